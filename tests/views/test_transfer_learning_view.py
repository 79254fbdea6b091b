"""The transfer-learning view: every frame's patch lines up with the scene's traces (M lines, the frozen grid,
M bar traces), the grid says frozen where the state does, and the phone layout moves every axis."""

from __future__ import annotations

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.transfer_learning import TRANSFER
from app.schemas.transfer_learning import TransferLearningParams


def test_scene_and_patches_line_up() -> None:
    params = TransferLearningParams(labelled=10, epochs=2, modes=["scratch", "feature_extraction"])
    inputs = TRANSFER.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(TRANSFER.engine(inputs, params, np.random.default_rng(0)))
    scene = TRANSFER.view.scene(inputs, params)
    assert len(scene["data"]) == 2 + 1 + 2
    assert [t["name"] for t in scene["data"] if t.get("showlegend", True) and t["type"] == "scatter"] == [
        "from scratch",
        "feature extraction",
    ]
    narrow = scene["x-narrow"]["layout"]
    assert {"xaxis", "yaxis2", "xaxis3"} <= set(narrow)
    for frame in frames:
        patch = TRANSFER.view.render(frame, inputs, params)
        assert len(patch["data"]) == len(scene["data"])
        assert patch["data"][0]["x"] == list(range(frame.state["epoch"] + 1))
        grid = patch["data"][2]
        assert grid["text"][1][:2] == ["frozen", "frozen"] and grid["z"][0] == [0, 0, 0, 0]
