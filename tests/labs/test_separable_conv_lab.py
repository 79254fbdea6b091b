"""The separable-convolution lab end to end (``app.labs.separable_conv``): bad input is a 422 naming the field
(an output size ≤ 0 with the arithmetic, out-of-range fields, the training budget), every frame and the result
validate against the lab's models, the captions' numbers are the states', runs are seeded, frames are small; and
(slow) the defaults' accuracy claim on three seeds."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.labs.separable_conv import SEPARABLE_CONV
from app.schemas.common import ParamsError
from app.schemas.frames.separable_conv import SeparableConvFrame, SeparableConvResult
from app.schemas.separable_conv import SeparableConvParams
from tests.labs.lab_run import first_error

URL = "/api/v1/algorithms/separable-conv/runs"
CASE: dict[str, Any] = {
    "image": {"name": "photo", "which": "flower", "side": 16},
    "kernel": 5,
    "out_channels": 2,
    "conv1_filters": 2,
    "conv2_filters": 3,
    "epochs": 1,
}
"""The tiny CASES entry: every frame kind in well under a second."""


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    params = SeparableConvParams.model_validate(raw)
    inputs = SEPARABLE_CONV.prepare(params, DEFAULT_LIMITS)
    return drain(SEPARABLE_CONV.engine(inputs, params, np.random.default_rng(seed)))


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


def test_case_reaches_every_kind_and_validates() -> None:
    frames, result = _run(CASE)
    kinds = [f.kind for f in frames]
    assert kinds == ["input"] + ["depthwise"] * 3 + ["pointwise"] * 2 + ["standard", "cost", "sweep", "epoch", "done"]
    for i, frame in enumerate(frames):
        wire = {
            "index": i,
            "kind": frame.kind,
            "caption": frame.caption,
            "state": frame.state,
            "metrics": frame.metrics,
        }
        SeparableConvFrame.model_validate(json.loads(encode(wire)))
    SeparableConvResult.model_validate(json.loads(encode(result)))


def test_same_seed_same_frames_other_seed_other_weights() -> None:
    a, _ = _run(CASE, seed=4)
    b, _ = _run(CASE, seed=4)
    c, _ = _run(CASE, seed=5)
    assert [encode(f.state) for f in a] == [encode(f.state) for f in b]
    assert encode(a[-1].state) != encode(c[-1].state)
    assert encode(a[0].state) == encode(c[0].state)  # the explainer is seedless (fixed kernels)


def test_captions_carry_the_state_numbers() -> None:
    frames, result = _run(CASE)
    by_kind: dict[str, list[Any]] = {}
    for f in frames:
        by_kind.setdefault(f.kind, []).append(f)
    first = by_kind["input"][0]
    s = first.state
    assert f"{s['h']} × {s['w']} pixels in 3 channels" in first.caption
    assert f"= {s['k'] ** 2 * 3 * s['c_out']} weights" in first.caption
    for f in by_kind["pointwise"]:
        assert f"output {f.state['output'] + 1} of {f.state['c_out']}" in f.caption
    cost = by_kind["cost"][0].state
    assert f"{cost['standard']['params_measured']:,}" in by_kind["cost"][0].caption
    assert f"{cost['separable']['macs_measured']:,}" in by_kind["cost"][0].caption
    done = by_kind["done"][0]
    for name in ("standard", "separable"):
        assert f"{done.state[name]['test_accuracy'] * 100:.1f} %" in done.caption
        assert f"{done.state[name]['parameters']:,} parameters" in done.caption
        assert done.state[name]["parameters"] == result[name]["parameters"]


def test_kernel_larger_than_the_photo_is_a_422_with_the_arithmetic(client: TestClient) -> None:
    error = _error(client, {"image": {"name": "photo", "side": 8}, "kernel": 9})
    assert error["loc"][-1] == "kernel"
    assert "≤ 0" in error["msg"] and "(5 − 9 + 1)" in error["msg"]
    with pytest.raises(ParamsError) as caught:
        SEPARABLE_CONV.prepare(SeparableConvParams(image={"name": "photo", "side": 8}, kernel=6), DEFAULT_LIMITS)  # type: ignore[arg-type]
    assert caught.value.loc == ("kernel",)


@pytest.mark.parametrize(
    "params,field",
    [
        ({"kernel": 1}, "kernel"),
        ({"out_channels": 0}, "out_channels"),
        ({"conv2_filters": 65}, "conv2_filters"),
        ({"epochs": 0}, "epochs"),
        ({"lr": -1}, "lr"),
        ({"image": {"name": "photo", "side": 4}}, "side"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_fields_are_422s_naming_them(client: TestClient, params: dict[str, Any], field: str) -> None:
    error = _error(client, params)
    assert field in [str(p) for p in error["loc"]]


def test_training_work_over_the_budget_is_a_422() -> None:
    params = SeparableConvParams(conv1_filters=32, conv2_filters=64, epochs=60)
    limits = dataclasses.replace(DEFAULT_LIMITS, max_cnn_work=1e8)
    with pytest.raises(ParamsError) as caught:
        SEPARABLE_CONV.prepare(params, limits)
    assert caught.value.loc == ("epochs",) and "STEPWISE_MAX_CNN_WORK" in caught.value.msg


def test_frames_are_small_at_defaults() -> None:
    frames, _ = _run({"epochs": 1})
    sizes = {f.kind: len(encode({"state": f.state, "caption": f.caption})) for f in frames}
    assert max(sizes.values()) <= 32_000, sizes


@pytest.mark.slow
def test_defaults_reach_95_percent_for_both_networks_on_three_seeds() -> None:
    for seed in (0, 1, 2):
        _, result = _run({}, seed=seed)
        assert result["standard"]["test_accuracy"] >= 0.95
        assert result["separable"]["test_accuracy"] >= 0.93
        assert result["separable"]["parameters"] < 0.6 * result["standard"]["parameters"]


def test_a_diverging_step_stops_training_with_finite_frames() -> None:
    from tests.test_catalog_properties import check_run

    raw = {**CASE, "optimizer": "sgd", "lr": 10.0, "epochs": 3}
    assert check_run(SEPARABLE_CONV, raw, 0)
    frames, result = _run(raw)
    assert frames[-1].kind == "done"
    assert all(np.isfinite(result[name]["step_losses"]).all() for name in ("standard", "separable"))


def test_a_sample_of_the_digits_is_stratified_and_all_of_them_is_the_whole_set() -> None:
    from app.datasets.images import digits
    from app.schemas.separable_conv import DIGITS_TOTAL

    labels = digits().labels
    assert labels is not None and labels.size == DIGITS_TOTAL
    whole = SEPARABLE_CONV.prepare(SeparableConvParams(), DEFAULT_LIMITS).data
    assert whole.y_train.size + whole.y_test.size == DIGITS_TOTAL
    few = SEPARABLE_CONV.prepare(SeparableConvParams(digits=200), DEFAULT_LIMITS).data
    assert (few.y_train.size, few.y_test.size) == (150, 50)
    assert set(np.bincount(few.y_train).tolist()) <= {14, 15, 16}  # every digit, in proportion
