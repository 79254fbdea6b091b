"""The AdaBoost lab over HTTP: the default run (the one place its default-config claims live), a run anyone can
reproduce with scikit-learn alone from what the API returns, and bad input as a 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from numpy.testing import assert_allclose
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from tests.conftest import parse_sse

URL = "/api/v1/algorithms/adaboost/runs"
FRAME_BUDGET = 16_384


def _dataset(client: TestClient, spec: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The lab's data as the datasets API serves it (the lab's class indices are the sorted labels')."""
    query = {k: v for k, v in spec.items() if k != "name"}
    body = client.get(f"/api/v1/datasets/{spec['name']}", params=query).json()
    _, y = np.unique(np.asarray(body["y"]), return_inverse=True)
    return np.asarray(body["X"], dtype=np.float64), y


def test_default_run_claims(client: TestClient) -> None:
    """At defaults (moons, 50 stumps, learning rate 1, seed 0): 50 round frames streamed with ids 0..49, each
    figure within the 16 KB frame budget, the timeline keyed by round, all 50 rounds fitted."""
    response = client.post(URL + "?figure=true", json={"seed": 0}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    assert events[0]["event"] == "scene" and events[-1]["event"] == "result"
    assert events[0]["data"]["x-timeline"] == {"key": "round", "title": "boosting round"}
    frames = [e for e in events if e["event"] == "frame"]
    assert [int(e["id"]) for e in frames] == list(range(50))
    assert {e["data"]["kind"] for e in frames} == {"round"}
    assert [e["data"]["state"]["round"] for e in frames] == list(range(1, 51))
    sizes = [len(json.dumps(e["data"]["figure"], separators=(",", ":"))) for e in frames]
    assert max(sizes) <= FRAME_BUDGET, max(sizes)
    result = events[-1]["data"]
    assert result["stop"] == "completed" and result["n_trees"] == 50
    assert len(result["estimator_weights"]) == 50 and all(w > 0 for w in result["estimator_weights"])
    # Boosting beats its members: the last ensemble does better on the test set than any one stump's
    # training accuracy (a stump cannot bend around the moons).
    best_stump = max(e["data"]["state"]["tree_train_accuracy"] for e in frames)
    assert result["test_accuracy"] > best_stump


@pytest.mark.parametrize(
    "params",
    [
        {"n_estimators": 12, "learning_rate": 0.5, "max_depth": 2},
        {"dataset": {"name": "blobs", "n_samples": 90, "centers": 3, "seed": 4}, "n_estimators": 10},
    ],
)
def test_a_run_is_reproduced_by_scikit_learn_alone(client: TestClient, params: dict[str, Any]) -> None:
    """The data (datasets API), the training rows (result) and the seed are enough: AdaBoostClassifier with
    random_state = seed gives the same says and errors, and the same final boundary."""
    seed = 9
    body = client.post(URL, json={"params": {**params, "grid_size": 20}, "seed": seed}).json()
    resolved, result = body["params"], body["result"]
    X, y = _dataset(client, resolved["dataset"])
    train = np.asarray(result["train_indices"])
    model = AdaBoostClassifier(
        estimator=DecisionTreeClassifier(max_depth=resolved["max_depth"]),
        n_estimators=resolved["n_estimators"],
        learning_rate=resolved["learning_rate"],
        random_state=seed,
    ).fit(X[train], y[train])
    assert_allclose(result["estimator_weights"], model.estimator_weights_, rtol=0, atol=1e-9)
    assert_allclose(result["estimator_errors"], model.estimator_errors_, rtol=0, atol=1e-9)
    gx, gy = np.meshgrid(result["grid"]["x"], result["grid"]["y"])
    predicted = model.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    assert predicted.tolist() == result["grid"]["predicted"]
    test = np.asarray(result["test_indices"])
    assert result["test_accuracy"] == pytest.approx(float(np.mean(model.predict(X[test]) == y[test])), abs=1e-12)
    for frame, weight in zip(body["frames"], model.estimator_weights_, strict=True):
        assert frame["state"]["alpha"] == pytest.approx(weight, abs=1e-9)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"n_estimators": 10**6}, "n_estimators"),
        ({"n_estimators": 0}, "n_estimators"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": -0.5}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"learning_rate": float("inf")}, "learning_rate"),
        ({"max_depth": 0}, "max_depth"),
        ({"max_depth": 6}, "max_depth"),
        ({"algorithm": "SAMME.R"}, "algorithm"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, params: dict[str, Any], field: str) -> None:
    body = json.dumps({"params": params})  # NaN and Infinity go out as the JS literals Python reads back
    response = client.post(URL, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert any(e["loc"][:3] == ["body", "params", field] for e in errors), errors


def test_data_no_tree_can_start_on_is_a_422_at_the_dataset(client: TestClient) -> None:
    """Balanced classes on one position: the first tree is a coin flip, which scikit-learn refuses to fit."""
    dataset = {"X": [[1.0, 2.0]] * 4, "y": [0, 1, 0, 1]}
    response = client.post(URL, json={"params": {"dataset": dataset, "test_fraction": 0}})
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "params", "dataset"]
    assert "no better than guessing" in error["msg"] and "AdaBoost cannot start" in error["msg"]


def test_an_early_stop_streams_its_stopped_frame(client: TestClient) -> None:
    """One position, classes 2 : 1: after two rounds no tree beats guessing; the last frame says so."""
    dataset = {"X": [[0.0, 0.0]] * 3, "y": [0, 0, 1]}
    response = client.post(
        URL, json={"params": {"dataset": dataset, "test_fraction": 0}}, headers={"Accept": "application/jsonl"}
    )
    lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    frames, result = lines[:-1], lines[-1]["result"]
    assert frames[-1]["kind"] == "stopped" and result["stop"] == "guessing"
    assert result["n_trees"] == len(frames) - 1 and frames[-1]["state"]["alpha"] == 0
