"""The segmentation lab end to end (``app.labs.segmentation``): its CASES params reach every frame kind and match
the frame models; bad input is a 422 naming the field with the arithmetic; the class mapping and the split."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.segmentation import CLASS_NAMES, SEGMENTATION
from app.main import create_app
from app.schemas.frames.segmentation import SegmentationFrame, SegmentationResult
from app.schemas.segmentation import SegmentationParams
from app.settings import Settings
from tests.labs.lab_run import first_error

URL = "/api/v1/algorithms/segmentation/runs"
CASES: dict[str, Any] = {"n_samples": 24, "side": 8, "width": 2, "epochs": 1, "batch_size": 8, "shown": 1}
"""The tiny params of tests/test_frame_schemas.py's CASES entry: every frame kind in well under a second."""


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


def test_cases_reach_every_frame_kind_and_match_the_models() -> None:
    params = SegmentationParams.model_validate(CASES)
    frames, result = drain(
        SEGMENTATION.engine(SEGMENTATION.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(0))
    )
    assert {f.kind for f in frames} == {"stamp", "crop", "init", "epoch", "done"}
    for f in frames:
        SegmentationFrame.model_validate(
            {"index": 0, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    SegmentationResult.model_validate(result)


def test_classes_are_background_and_three_shapes() -> None:
    params = SegmentationParams.model_validate(CASES | {"n_samples": 30})
    inputs = SEGMENTATION.prepare(params, DEFAULT_LIMITS)
    assert CLASS_NAMES == ("background", "circle", "square", "triangle") == inputs.class_names
    masks = np.concatenate([inputs.data.Y_train, inputs.data.Y_test])
    assert set(np.unique(masks).tolist()) == {0, 1, 2, 3}
    for mask in masks:  # one shape per image
        assert len(set(np.unique(mask).tolist()) - {0}) == 1
    assert inputs.data.Y_test.shape[0] == 8  # ceil(0.25 · 30)


def test_output_padding_not_below_the_stride_is_a_422(client: TestClient) -> None:
    error = _error(client, {"tc_stride": 2, "tc_output_padding": 2})
    assert error["loc"][-1] == "tc_output_padding"
    assert "output_padding is 2" in error["msg"] and "smaller than the stride (2)" in error["msg"]


def test_an_empty_explainer_output_is_a_422_with_the_arithmetic(client: TestClient) -> None:
    error = _error(client, {"tc_size": 1, "tc_kernel": 1, "tc_stride": 1, "tc_padding": 2, "tc_output_padding": 0})
    assert error["loc"][-1] == "tc_padding"
    assert "(1 − 1)·1 − 2·2 + (1 − 1) + 0 + 1 = -3" in error["msg"]


def test_side_not_a_multiple_of_4_is_a_422(client: TestClient) -> None:
    error = _error(client, {"side": 18})
    assert error["loc"][-1] == "side" and "multiple of 4" in error["msg"]


def test_limits_name_their_settings() -> None:
    with TestClient(create_app(Settings(cache_entries=0, max_images=100, max_cnn_work=1e6))) as small:
        error = _error(small, {"n_samples": 200})
        assert error["loc"][-1] == "n_samples" and "STEPWISE_MAX_IMAGES" in error["msg"]
        error = _error(small, {"n_samples": 100})
        assert error["loc"][-1] == "epochs" and "STEPWISE_MAX_CNN_WORK" in error["msg"]


def test_a_bad_number_is_a_422_not_a_500(client: TestClient) -> None:
    for params in ({"width": 0}, {"tc_kernel": 9}, {"lr": -1}, {"epochs": 0}, {"shown": 20}):
        error = _error(client, params)
        assert error["loc"][-1] == next(iter(params))
