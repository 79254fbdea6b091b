"""The segmentation view: one patch entry per scene trace, typed arrays for pictures, a legend of the classes, the
scene holding the finished explainer (and no image), a phone layout, and every frame kind drawn."""

from __future__ import annotations

import json

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.core.typed_array import from_typed_array
from app.labs.segmentation import SEGMENTATION
from app.schemas.segmentation import SegmentationParams

SMALL = {"n_samples": 24, "side": 8, "width": 2, "epochs": 1, "batch_size": 8, "shown": 3}


def test_scene_and_every_frame_render() -> None:
    params = SegmentationParams.model_validate(SMALL)
    inputs = SEGMENTATION.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(SEGMENTATION.engine(inputs, params, np.random.default_rng(0)))
    scene = SEGMENTATION.view.scene(inputs, params)
    names = [t.get("name") for t in scene["data"] if t.get("showlegend")]
    assert {"circle", "square", "triangle"} <= set(names) and "background" not in names
    assert scene["x-phases"]["stamp"] == "transposed conv" and scene["x-phases"]["epoch"] == "training"
    assert set(scene["x-narrow"]["layout"]) >= {"xaxis", "yaxis6"} and scene["x-narrow"]["width"] == 390
    # the finished explainer is in the scene: its output trace is the crop frame's output
    crop = next(f for f in frames if f.kind == "crop")
    output = scene["data"][6]["z"]
    assert output["shape"] == f"{crop.state['out_size']},{crop.state['out_size']}"
    np.testing.assert_array_equal(
        np.frombuffer(__import__("base64").b64decode(output["bdata"]), dtype="<f4").reshape(6, 6),
        from_typed_array(crop.state["output"]),
    )
    for f in frames:
        patch = SEGMENTATION.view.render(f, inputs, params)
        assert len(patch["data"]) == 10 <= len(scene["data"])
        assert patch["layout"]["title"]["text"]
        json.dumps(patch)
        if f.kind == "stamp":
            assert patch["data"][1]["x"] and patch["data"][4]["x"]  # the ring and the stamp's box
        if f.kind == "epoch":
            assert len(patch["data"][9]["y"]) == 4
            assert patch["data"][8]["z"]["dtype"] == "u1"  # a typed array of bytes, not nested lists
            assert patch["data"][7]["z"]["dtype"] == "u1"  # the grey images come with the training frames
            assert len(json.dumps(patch)) < 16_000
    # the scene needs no image: the first frame comes before the images are drawn
    assert scene["data"][7]["z"] == [] and scene["data"][8]["z"] == []
