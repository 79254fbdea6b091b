"""The residual-network view (``app.views.resnet``): the scene's fixed traces, each frame patching them in
order; the gradient lines are the frame's own norms (layer 1 first), the loss curves its history, the
boundaries the nets' grid probabilities; the block diagram's addition is highlighted; a phone layout exists."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.resnet import RESNET
from app.schemas.resnet import ResnetParams
from app.views import resnet as view_module
from app.views import resnet_parts

RAW: dict[str, Any] = {"dataset": {"name": "moons", "n_samples": 40}, "depth": 5, "width": 4, "epochs": 3}


def _floats(spec: dict[str, str], dtype: str = "f4") -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype)


def test_scene_and_frames_line_up() -> None:
    params = ResnetParams.model_validate(RAW)
    inputs = RESNET.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(RESNET.engine(inputs, params, np.random.default_rng(0)))
    view = RESNET.view
    scene = view.scene(inputs, params)
    assert len(scene["data"]) == view_module.T_RATIO + 2  # + the legend-only "test loss"
    assert scene["layout"]["yaxis2"]["type"] == "log" and scene["layout"]["yaxis6"]["type"] == "log"
    names = [t.get("name") for t in scene["data"] if t.get("showlegend", True)]
    assert names[:3] == ["plain net", "residual net", "test loss"]
    assert any(s["type"] == "circle" and s["fillcolor"] == resnet_parts.ADD for s in scene["layout"]["shapes"])
    assert scene["x-narrow"]["width"] > 390
    json.dumps(scene)
    for i, frame in enumerate(frames):
        patch = view.render(frame, inputs, params)
        assert len(patch["data"]) == view_module.T_RATIO + 1
        for j, net in enumerate(("plain", "residual")):
            grads = patch["data"][view_module.T_GRAD + j]
            assert _floats(grads["x"], "u1").tolist() == list(range(1, RAW["depth"] + 1))
            assert np.allclose(_floats(grads["y"]), frame.state[net]["grad_norms"], rtol=1e-6)
            loss = patch["data"][view_module.T_LOSS + j]
            assert _floats(loss["y"]).size == i + 1
            assert np.isclose(_floats(loss["y"])[-1], frame.state[net]["train_loss"], rtol=1e-6)
            z = _floats(patch["data"][view_module.T_BOUNDARY + j]["z"], "u1")
            probs = frame.visual["grid"][net][:, 1]
            assert np.array_equal(z, np.round(255 * probs).astype(np.uint8))
        ratio = _floats(patch["data"][view_module.T_RATIO]["y"])
        assert np.isclose(ratio[-1], frame.state["first_layer_ratio"], rtol=1e-6)
        json.dumps(patch)
    assert view.panels({}, inputs, params) == []


def test_three_classes_draw_class_and_confidence() -> None:
    params = ResnetParams.model_validate(RAW | {"dataset": {"name": "blobs", "n_samples": 60, "centers": 3}})
    inputs = RESNET.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(RESNET.engine(inputs, params, np.random.default_rng(0)))
    patch = RESNET.view.render(frames[-1], inputs, params)
    z = _floats(patch["data"][view_module.T_BOUNDARY]["z"], "u1")
    classes = frames[-1].visual["grid"]["plain"].argmax(axis=1)
    assert np.array_equal(z // 85, classes)  # 255 / 3 = 85 per class band
