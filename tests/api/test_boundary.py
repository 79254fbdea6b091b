"""The boundary labs over HTTP: contract fields, compact frames, and the bad-input list of issue 4."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse

LABS = ["logistic-regression", "perceptron", "knn", "svm"]
INLINE = {"X": [[0, 0], [0, 1], [1, 0], [1, 1], [3, 3], [3, 4], [4, 3], [4, 4]], "y": [0, 0, 0, 0, 1, 1, 1, 1]}
STATE = {
    "logistic-regression": {"weights", "bias", "loss", "train_accuracy", "test_accuracy"},
    "perceptron": {"weights", "bias", "misclassified"},
    "knn": {"k", "train_accuracy", "test_accuracy"},
    "svm": {"support_indices", "dual_coef", "intercept", "objective"},
}
RESULT = {
    "logistic-regression": {"weights", "bias", "loss"},
    "perceptron": {"weights", "bias", "errors_per_epoch", "converged"},
    "knn": {"k", "accuracy_by_k"},
    "svm": {"support_indices", "dual_coef", "intercept", "objective"},
}


def _url(lab: str, figure: bool = False) -> str:
    return f"/api/v1/algorithms/{lab}/runs" + ("?figure=true" if figure else "")


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    return response.json()["detail"]


@pytest.mark.parametrize("lab", LABS)
def test_contract_fields_and_grid(client: TestClient, lab: str) -> None:
    params = {"dataset": {"name": "moons", "n_samples": 80}, "grid_size": 24}
    body = client.post(_url(lab), json={"params": params, "seed": 2}).json()
    assert body["params"]["test_fraction"] == 0.3 and body["params"]["grid_size"] == 24
    for frame in body["frames"]:
        assert STATE[lab] <= set(frame["state"]) and frame["caption"]
        assert "train_accuracy" in frame["metrics"]
    result = body["result"]
    assert RESULT[lab] | {"grid", "train_indices"} <= set(result)
    grid = result["grid"]
    assert {"x", "y", "predicted"} <= set(grid) and len(grid["x"]) == len(grid["y"]) == 24
    assert len(grid["predicted"]) == 24 and all(len(row) == 24 for row in grid["predicted"])
    assert ("probability" in grid) == (lab in {"logistic-regression", "knn"})
    assert len(result["train_indices"]) == 56  # 80 points, 30 % held out per class


@pytest.mark.parametrize("lab", LABS)
def test_streamed_frames_stay_under_16_kb_at_defaults(client: TestClient, lab: str) -> None:
    response = client.post(_url(lab, figure=True), headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    assert events[0]["event"] == "scene" and events[-1]["event"] == "result"
    frames = [e["data"] for e in events if e["event"] == "frame"]
    assert frames
    for frame in frames:
        assert len(json.dumps(frame["figure"], separators=(",", ":"))) <= 16_384


def test_inline_data_runs_and_zero_test_fraction_trains_on_everything(client: TestClient) -> None:
    body = client.post(_url("svm"), json={"params": {"dataset": INLINE, "kernel": "linear", "test_fraction": 0}}).json()
    assert body["result"]["train_indices"] == list(range(8)) and body["result"]["test_accuracy"] is None
    assert body["frames"][-1]["kind"] == "converged"


def test_perceptron_on_xor_says_not_separable(client: TestClient) -> None:
    params = {"dataset": {"name": "xor", "n_samples": 60}, "epochs": 5}
    body = client.post(_url("perceptron"), json={"params": params}).json()
    assert body["result"]["converged"] is False and "not linearly separable" in body["frames"][-1]["caption"]


@pytest.mark.parametrize(
    ("lab", "params", "loc"),
    [
        ("knn", {"dataset": {"X": [[0, 0], [1, math.nan], [2, 2], [3, 3]], "y": [0, 1, 0, 1]}}, "dataset"),
        ("knn", {"dataset": {"X": [[0, 0], [1, math.inf], [2, 2], [3, 3]], "y": [0, 1, 0, 1]}}, "dataset"),
        ("logistic-regression", {"dataset": {"X": INLINE["X"], "y": [1] * 8}}, "dataset"),
        ("svm", {"C": 0}, "C"),
        ("svm", {"C": -1}, "C"),
        ("logistic-regression", {"grid_size": 100_000}, "grid_size"),
        ("logistic-regression", {"polynomial_degree": 50}, "polynomial_degree"),
        ("perceptron", {"dataset": {"name": "blobs", "centers": 3}}, "dataset"),
        ("knn", {"dataset": {"X": [[0, 0, 0]] * 4, "y": [0, 1, 0, 1]}}, "dataset"),
        ("knn", {"dataset": {"X": INLINE["X"]}}, "dataset"),
        (
            "logistic-regression",
            {"epochs": 2000, "batch_size": 1, "dataset": {"name": "moons", "n_samples": 2000}},
            "batch_size",
        ),
        ("knn", {"metric": "cosine"}, "metric"),
        ("svm", {"kernel": "laplacian"}, "kernel"),
        ("knn", {"test_fraction": 0.95}, "test_fraction"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, lab: str, params: dict, loc: str) -> None:
    body = json.dumps({"params": params})  # NaN and Infinity go out as the JS literals Python reads back
    response = client.post(_url(lab), content=body, headers={"content-type": "application/json"})
    errors = _errors(response)
    assert any(e["loc"][:3] == ["body", "params", loc] for e in errors), errors


@pytest.mark.parametrize("lab", LABS)
def test_tiny_and_duplicated_data_runs(client: TestClient, lab: str) -> None:
    # Two points (one per class), and three identical points with mixed labels: runs, never a 4xx/5xx.
    for data in ({"X": [[0, 0], [1, 1]], "y": [0, 1]}, {"X": [[2, 2], [2, 2], [2, 2]], "y": [0, 1, 1]}):
        response = client.post(
            _url(lab, figure=True), json={"params": {"dataset": data, "k": 5} if lab == "knn" else {"dataset": data}}
        )
        assert response.status_code == 200, response.text
        assert response.json()["frames"][-1]["caption"]


def test_knn_k_beyond_the_training_points_is_clamped_not_refused(client: TestClient) -> None:
    body = client.post(_url("knn"), json={"params": {"dataset": INLINE, "k": 7}}).json()
    n_train = len(body["result"]["train_indices"])
    assert body["result"]["k"] == n_train < 7 and body["result"]["requested_k"] == 7
    assert f"k = 7 was asked, but there are only {n_train} training points" in body["frames"][-1]["caption"]


def test_too_many_label_values_inline(client: TestClient) -> None:
    X = [[float(i), float(i % 7)] for i in range(40)]
    errors = _errors(client.post(_url("knn"), json={"params": {"dataset": {"X": X, "y": list(range(40))}}}))
    assert errors[0]["loc"][:3] == ["body", "params", "dataset"] and "classes" in errors[0]["msg"]
