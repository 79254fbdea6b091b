"""The recurrent-network view (``app.views.rnn``): the scene's fixed traces, each frame patching them in order with
the frame's own numbers (the gradient line is its ‖∂L/∂h_t‖, the heatmap its hidden states units × t, the gates
its gate means, the forecast its free run); the run's type is highlighted in the diagram; a phone layout exists;
a plain RNN alone says it has no gates; classify draws p(rise) against the truth."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.core.typed_array import from_typed_array
from app.labs.rnn import RNN
from app.schemas.rnn import RnnParams
from app.views import rnn as view_module
from app.views import rnn_parts

RAW: dict[str, Any] = {"length": 60, "window": 8, "hidden_size": 4, "epochs": 3, "bptt": 3}


def _floats(spec: dict[str, str], dtype: str = "f4") -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype)


def _setup(raw: dict[str, Any]) -> tuple[Any, Any, list[Any]]:
    params = RnnParams.model_validate(raw)
    inputs = RNN.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(RNN.engine(inputs, params, np.random.default_rng(0)))
    return params, inputs, frames


def test_scene_and_frames_line_up() -> None:
    params, inputs, frames = _setup(RAW)
    view = RNN.view
    scene = view.scene(inputs, params)
    slots = view_module._slots(inputs)
    assert len(scene["data"]) == len(slots) + 1  # + the legend-only "test loss"
    layout = scene["layout"]
    assert layout["yaxis3"]["type"] == "log" and layout["xaxis3"]["range"] == [-0.5, 7.5]
    names = [t.get("name") for t in scene["data"] if t.get("showlegend", True) and t.get("legend") is None]
    assert names == ["truth (the series)", "RNN", "LSTM", "test loss"]
    highlight = [s for s in layout["shapes"] if s.get("fillcolor") == rnn_parts.HIGHLIGHT]
    assert len(highlight) == 1 and highlight[0]["x0"] < 7.5 < highlight[0]["x1"]  # the third type: many → one
    assert any(s.get("xref") == "x3" and s["type"] == "line" and s["x0"] == 4.5 for s in layout["shapes"])  # bptt cut
    assert scene["x-narrow"]["width"] > 390 and scene["x-timeline"]["key"] == "epoch"
    json.dumps(scene)
    for i, frame in enumerate(frames):
        patch = view.render(frame, inputs, params)
        assert len(patch["data"]) == len(slots)
        for cell in ("rnn", "lstm"):
            net = frame.state["nets"][cell]
            grads = patch["data"][slots[f"grad:{cell}"]]
            assert _floats(grads["x"], "u2").tolist() == list(range(8))
            assert np.allclose(_floats(grads["y"]), net["grad_norms"], rtol=1e-6)
            heat = patch["data"][slots[f"heat:{cell}"]]["z"]
            assert heat["shape"] == "4,8"  # units × t
            assert np.allclose(_floats(heat).reshape(4, 8), from_typed_array(net["hidden"]).T)
            loss = patch["data"][slots[f"train:{cell}"]]
            assert _floats(loss["y"]).size == i + 1
            assert np.isclose(_floats(loss["y"])[-1], net["train_loss"], rtol=1e-6)
            pred = patch["data"][slots[f"pred:{cell}"]]
            assert _floats(pred["x"], "u2").tolist() == list(range(45, 60))
            if frame.kind != "init":
                fore = patch["data"][slots[f"fore:{cell}"]]
                assert np.allclose(_floats(fore["y"]), from_typed_array(net["forecast"]))
        for name, values in frame.state["nets"]["lstm"]["gates"].items():
            assert np.allclose(_floats(patch["data"][slots[f"gate:{name}"]]["y"]), values, rtol=1e-6)
        json.dumps(patch)
    assert view.panels({}, inputs, params) == []


def test_one_plain_rnn_says_it_has_no_gates_and_classify_draws_the_truth() -> None:
    params, inputs, frames = _setup(RAW | {"compare": False, "cell": "rnn", "task": "classify"})
    scene = RNN.view.scene(inputs, params)
    texts = [a["text"] for a in scene["layout"]["annotations"]]
    assert any("no gates" in t for t in texts)
    assert scene["layout"]["yaxis"]["title"]["text"] == "p(rise)"
    patch = RNN.view.render(frames[-1], inputs, params)
    truth = _floats(patch["data"][0]["y"], "u1")
    assert truth.tolist() == inputs.test_truth.tolist() and set(truth.tolist()) <= {0, 1}
    p = _floats(patch["data"][1]["y"])
    assert np.all((p >= 0) & (p <= 1))
