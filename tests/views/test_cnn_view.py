"""The CNN view (``app.views.cnn``): one trace per module plus the fixed ones, each frame patching them in the
scene's order; the pictures are the frame's own numbers; the wrong grid images are ringed; the layer table."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.cnn import CNN
from app.schemas.cnn import CnnParams
from app.views import cnn_parts

RAW: dict[str, Any] = {
    "dataset": {"name": "shapes", "n_samples": 48, "side": 8},
    "layers": [{"type": "conv", "filters": 3, "kernel": 3}, {"type": "relu"}, {"type": "maxpool", "size": 2}],
    "epochs": 1,
}


def test_scene_frames_and_panel_line_up() -> None:
    params = CnnParams.model_validate(RAW)
    inputs = CNN.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(CNN.engine(inputs, params, np.random.default_rng(0)))
    view = CNN.view
    scene = view.scene(inputs, params)
    n_modules = len(inputs.table)
    assert scene["x-interactions"] == [{"kind": "draw-digit"}]
    assert scene["x-timeline"]["key"] == "epoch"
    for frame in frames:
        patch = view.render(frame, inputs, params)
        assert len(patch["data"]) == n_modules + 7 <= len(scene["data"])
        # The conv layer's picture is its output for the sample, decoded from the frame's bytes.
        conv = frame.state["maps"][0]
        raw = np.frombuffer(base64.b64decode(conv["values"]["bdata"]), dtype=np.uint8).reshape(conv["shape"])
        expected = conv["min"] + raw * (conv["max"] - conv["min"]) / 255
        picture = np.frombuffer(base64.b64decode(patch["data"][1]["z"]["bdata"]), dtype=np.float32)
        assert np.allclose(np.sort(picture[np.isfinite(picture)]), np.sort(expected.ravel()), atol=1e-5)
        wrong = frame.state["grid_wrong"]
        rings = patch["data"][n_modules + 5]
        assert len(rings["x"]) == len(wrong)
        labels = patch["data"][n_modules + 4]["text"]
        assert labels == [inputs.class_names[p] for p in frame.state["grid_predicted"]]
    (panel,) = view.panels(result, inputs, params)
    cells = panel["figure"]["data"][0]["cells"]["values"]
    assert cells[0][:-1] == [row["name"] for row in result["layers"]]
    assert cells[2][-1] == f"{result['parameters']:,}"


def test_tiles_by_hand() -> None:
    channels = np.arange(2 * 2 * 2, dtype=np.float64).reshape(2, 2, 2)
    out = cnn_parts.tiles(channels)  # 2 channels: a 2-wide grid of 2×2 tiles with a NaN column between
    assert out.shape == (2, 5)
    assert np.isnan(out[:, 2]).all()
    assert out[:, :2].tolist() == [[0, 1], [2, 3]] and out[:, 3:].tolist() == [[4, 5], [6, 7]]
