"""The gradient-boosting lab over HTTP: the bad-input list of issue 13 (a 422 naming the field, in words), the
task switch (a regression request without a dataset runs on sine), frames that match their published models at
settings beside the defaults, the figure budget (≤ 16 KB a frame) and what the figure draws, and the one
default-config claim of this lab."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas.frames.gradient_boosting import GradientBoostingFrame, GradientBoostingResult
from tests.conftest import parse_sse

URL = "/api/v1/algorithms/gradient-boosting/runs"
SMALL_MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3}
SMALL_SINE = {"name": "sine", "n_samples": 60}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3}
# Settings beside the defaults that reach every state shape (proposed for tests/test_frame_schemas.py CASES).
CASES: list[dict[str, Any]] = [
    {"task": "regression", "n_estimators": 5},  # 1-D squared error
    {"task": "regression", "regression_loss": "huber", "subsample": 0.5, "n_estimators": 4, "test_fraction": 0},
    {
        "task": "regression",
        "dataset": {"name": "two_scales", "n_samples": 50},
        "regression_loss": "absolute_error",
        "n_estimators": 3,
    },
    {"dataset": BLOBS3, "n_estimators": 3, "grid_size": 20},  # three classes: (N, K) gradients, K trees a stage
    {"loss": "exponential", "subsample": 0.7, "n_estimators": 3, "test_fraction": 0, "dataset": SMALL_MOONS},
]


def _run(client: TestClient, params: dict[str, Any], figure: bool = False, seed: int = 1) -> dict[str, Any]:
    response = client.post(URL + ("?figure=true" if figure else ""), json={"params": params, "seed": seed})
    assert response.status_code == 200, response.text[:2000]
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("params", "loc", "words"),
    [
        ({"n_estimators": 10**6}, "n_estimators", "less than or equal to 500"),
        ({"n_estimators": 0}, "n_estimators", "greater than or equal to 1"),
        ({"learning_rate": 0}, "learning_rate", "greater than 0"),
        ({"learning_rate": "NaN"}, "learning_rate", "finite number"),
        ({"subsample": 0}, "subsample", "greater than 0"),
        ({"subsample": 1.5}, "subsample", "less than or equal to 1"),
        ({"max_depth": 0}, "max_depth", "greater than or equal to 1"),
        ({"dataset": BLOBS3, "loss": "exponential"}, "loss", "two classes only"),
        ({"task": "regression", "regression_loss": "log_loss"}, "regression_loss", "squared_error"),
        ({"task": "classification", "loss": "huber"}, "loss", "log_loss"),
        ({"task": "regression", "dataset": SMALL_MOONS}, "dataset", "pick sine, line or two scales"),
        ({"task": "classification", "dataset": SMALL_SINE}, "dataset", "needs class labels"),
        ({"dataset": {"X": [[0.0], [1.0], [2.0]], "y": [0, 1, 0]}}, "dataset", "2 features"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, params: dict[str, Any], loc: str, words: str) -> None:
    response = client.post(URL, json={"params": params})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == loc or loc in e["loc"] for e in errors), errors
    assert any(words in e["msg"] for e in errors), errors


def test_a_regression_request_without_a_dataset_runs_on_the_sine_wave(client: TestClient) -> None:
    body = _run(client, {"task": "regression", "n_estimators": 2})
    assert body["params"]["dataset"]["name"] == "sine" and body["params"]["regression_loss"] == "squared_error"
    assert {"train_mse", "test_mse", "train_loss"} <= set(body["frames"][0]["state"])
    again = _run(client, body["params"])  # the resolved params run again, unchanged
    assert again["frames"] == body["frames"]


def test_inline_rows_with_integer_targets_are_numbers_for_regression(client: TestClient) -> None:
    rows = {"X": [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], "y": [0, 1, 4, 9, 16, 25]}
    body = _run(client, {"task": "regression", "dataset": rows, "n_estimators": 3, "test_fraction": 0})
    assert body["frames"][0]["state"]["initial_prediction"] == pytest.approx(55 / 6)
    assert body["result"]["test_mse"] is None and body["result"]["best_stage"] is None


@pytest.mark.parametrize("params", CASES, ids=["sine", "huber-subsample", "two-scales", "three-classes", "exponential"])
def test_frames_and_result_match_the_published_models(client: TestClient, params: dict[str, Any]) -> None:
    body = _run(client, params, figure=True)
    for frame in body["frames"]:
        GradientBoostingFrame.model_validate(frame)
        assert len(json.dumps(frame["figure"], separators=(",", ":"))) <= 16_384
    GradientBoostingResult.model_validate(body["result"])
    assert [f["kind"] for f in body["frames"]] == ["init"] + ["stage"] * params["n_estimators"]
    stage = body["frames"][1]["state"]
    if params.get("dataset") == BLOBS3:
        assert np.asarray(stage["negative_gradient"]).shape[1] == 3 and len(stage["trees"]) == 3
    if params.get("regression_loss") == "huber":
        assert stage["huber_delta"] > 0 and "clipped" in body["frames"][1]["caption"]
    if params.get("subsample", 1) < 1:
        assert len(stage["in_bag"]) < len(body["result"]["train_indices"])


def _composed(scene: dict[str, Any], frames: list[dict[str, Any]], upto: int) -> list[dict[str, Any]]:
    """The scene's traces with frames 0..upto merged on (x-extend appended), as the player composes them."""
    traces = [dict(t) for t in scene["data"]]
    for frame in frames[: upto + 1]:
        for trace, patch in zip(traces, frame["figure"]["data"], strict=False):
            for key, value in patch.items():
                if key == "x-extend":
                    for axis, points in value.items():
                        trace[axis] = list(trace.get(axis) or []) + points
                else:
                    trace[key] = value
    return traces


def test_the_regression_figure_shows_the_tree_fitting_the_residuals(client: TestClient) -> None:
    params = {"task": "regression", "dataset": SMALL_SINE, "n_estimators": 4, "regression_loss": "absolute_error"}
    response = client.post(URL + "?figure=true", json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    scene = next(e["data"] for e in events if e["event"] == "scene")
    frames = [e["data"] for e in events if e["event"] == "frame"]
    traces = {t["name"]: t for t in _composed(scene, frames, 3)}
    for name in ("residual (y − fit)", "fitted curve", "tree's target", "tree's fit", "region's step", "test loss"):
        assert name in traces and traces[name].get("showlegend", True), name
    assert traces["tree's target"]["xaxis"] == "x2" and traces["training loss"]["xaxis"] == "x3"
    assert traces["training loss"]["x"] == [0, 1, 2, 3] and len(traces["test loss"]["y"]) == 4
    assert scene["x-timeline"] == {"key": "stage", "title": "stage (trees added)"}
    assert scene["layout"]["yaxis2"]["title"]["text"] == "sign of y − F"


def test_at_defaults_boosting_beats_its_start_and_every_frame_fits_the_budget(client: TestClient) -> None:
    """The lab's one default-config claim: 50 stages of depth-2 trees on moons take the test log-loss well below
    the prior's and the test accuracy above 80 %; regression on sine takes the test MSE below a fifth of the
    mean's. Every frame's figure stays within 16 KB."""
    for params in ({}, {"task": "regression"}):
        body = _run(client, params, figure=True, seed=0)
        frames, result = body["frames"], body["result"]
        assert len(frames) == 51
        assert all(len(json.dumps(f["figure"], separators=(",", ":"))) <= 16_384 for f in frames)
        start, end = frames[0]["state"], frames[-1]["state"]
        if params:
            assert end["test_mse"] < start["test_mse"] / 5
        else:
            assert end["test_loss"] < 0.7 * start["test_loss"] and end["test_accuracy"] > 0.8
        assert result["test_loss"][0] == start["test_loss"] and result["best_stage"] > 10
