"""The separable-convolution view (``app.views.separable_conv``): the scene's traces, each frame's patch in the
scene's order with the frame's own numbers (the maps decoded from its bytes, the measured cost bars, the sweep's
counted ratios, the accuracy curves and points), the stage-by-stage reveal, and the parameter table."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.separable_conv import SEPARABLE_CONV
from app.schemas.separable_conv import SeparableConvParams
from app.views import separable_conv as view_module
from app.views.cnn_parts import decoded

RAW: dict[str, Any] = {
    "image": {"name": "photo", "which": "flower", "side": 16},
    "out_channels": 2,
    "conv1_filters": 2,
    "conv2_filters": 3,
    "epochs": 2,
}


def _floats(z: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.float32)


def test_scene_and_every_patch_line_up() -> None:
    params = SeparableConvParams.model_validate(RAW)
    inputs = SEPARABLE_CONV.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(SEPARABLE_CONV.engine(inputs, params, np.random.default_rng(0)))
    view = SEPARABLE_CONV.view
    scene = view.scene(inputs, params)
    n = view_module.PTS_SEP + 1
    assert len(scene["data"]) == n + 4  # plus the four legend entries
    assert {t.get("name") for t in scene["data"][-4:]} == {
        "standard conv",
        "separable conv",
        "counted by torch",
        "these settings",
    }
    for frame in frames:
        patch = view.render(frame, inputs, params)
        assert len(patch["data"]) == n
        if "maps" in frame.state:
            picture = _floats(patch["data"][view_module.MAPS]["z"])
            expected = decoded(frame.state["maps"]).ravel()
            assert np.allclose(np.sort(picture[np.isfinite(picture)]), np.sort(expected), atol=1e-5)
        bars = patch["data"][view_module.BAR_STD]
        if frame.kind in ("input", "depthwise", "pointwise", "standard"):
            assert bars == {"y": []}  # not yet revealed
        if frame.kind == "cost":
            cost = frame.state["standard"]
            assert bars["y"] == [cost["params_measured"], cost["macs_measured"]]
        if frame.kind == "sweep":
            counted = patch["data"][view_module.COUNTED]
            assert len(counted["y"]) == len(frame.state["ks"]) * len(frame.state["c_outs"])
        if frame.kind in ("epoch", "done"):
            history = frame.state["history"]
            assert patch["data"][view_module.ACC_SEP]["y"] == history["separable"]
            assert patch["data"][view_module.PTS_STD]["x"] == [frame.state["standard"]["parameters"]]
    (panel,) = view.panels(result, inputs, params)
    cells = panel["figure"]["data"][0]["cells"]["values"]
    totals = [int(v.replace(",", "")) for name, layer, v in zip(*cells, strict=True) if layer.startswith("total")]
    assert totals == [result["standard"]["parameters"], result["separable"]["parameters"]]


def test_filter_grid_by_hand() -> None:
    filters = np.arange(2 * 3 * 2 * 2, dtype=np.float64).reshape(2, 3, 2, 2)
    grid = view_module.filter_grid(filters)
    assert grid.shape == (5, 8)
    assert grid[3:5, 6:8].tolist() == filters[1, 2].tolist()
    assert np.isnan(grid[2]).all()
