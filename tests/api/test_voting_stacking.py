"""The voting and stacking labs through real HTTP: bad input is a 422 naming the field in plain words, a count the
data contradicts is clamped (200, with a note), streams parse, and the frames and results of runs beyond the
defaults validate against the published models (every frame kind reached)."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.catalog import get_algorithm
from tests.conftest import parse_sse

VOTING = "/api/v1/algorithms/voting/runs"
STACKING = "/api/v1/algorithms/stacking/runs"
SMALL = {"name": "moons", "n_samples": 60, "noise": 0.3}
TINY = {"X": [[0.0, 0.0], [0.1, 0.2], [1.0, 1.1], [1.2, 0.9], [0.2, 0.1], [1.1, 1.0]], "y": [0, 0, 1, 1, 0, 1]}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3}
NO_PROBABILITIES = [{"model": "logistic_regression"}, {"model": "svm", "probability": False}]


def _error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.text[:500]
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]["loc"], detail[0]["msg"]


@pytest.mark.parametrize(
    ("url", "params", "loc", "words"),
    [
        (VOTING, {"estimators": []}, ["estimators"], "at least 1"),
        (VOTING, {"estimators": [{"model": "knn"}] * 6}, ["estimators"], "at most 5"),
        (VOTING, {"weights": [1, 2, 3]}, ["weights"], "there are 4 models but 3 weights"),
        (VOTING, {"weights": [1, -2, 1, 1]}, ["weights", 1], "greater than 0"),
        (VOTING, {"estimators": [{"model": "knn"}, {"model": "forest"}]}, ["estimators", 1, "model"], "one of"),
        (VOTING, {"voting": "loud"}, ["voting"], "'hard' or 'soft'"),
        (
            VOTING,
            {"voting": "soft", "estimators": NO_PROBABILITIES},
            ["estimators", 1, "probability"],
            "soft voting averages the models' probabilities, and the SVM (model 2) gives none unless Probabilities",
        ),
        (VOTING, {"estimators": [{"model": "decision_tree", "max_depth": 0}]}, ["estimators", 0], "greater than or"),
        (STACKING, {"cv": 1}, ["cv"], "greater than or equal to 2"),
        (STACKING, {"cv": 11}, ["cv"], "less than or equal to 10"),
        (
            STACKING,
            {"estimators": NO_PROBABILITIES},
            ["estimators", 1, "probability"],
            "stacking feeds each model's probabilities to the meta-model",
        ),
        (STACKING, {"final_estimator": "svm"}, ["final_estimator"], "logistic_regression"),
        (
            STACKING,
            {"dataset": {"X": [[1, 1]] * 4, "y": [0, 1, 0, 1]}, "estimators": [{"model": "naive_bayes"}]},
            ["estimators", 0, "model"],
            "no spread to fit",
        ),
    ],
)
def test_bad_input_is_a_422_at_the_field(client: TestClient, url: str, params: Any, loc: list[Any], words: str) -> None:
    got, msg = _error(client.post(url, json={"params": params}))
    assert got[: 2 + len(loc)][:2] == ["body", "params"]
    assert [p for p in got[2:] if p not in ("decision_tree",)][: len(loc)] == loc, got
    assert words in msg, msg


def test_a_nan_weight_is_refused_at_that_weight(client: TestClient) -> None:
    body = '{"params": {"weights": [1, NaN, 1, 1]}}'
    got, _ = _error(client.post(VOTING, content=body, headers={"Content-Type": "application/json"}))
    assert got == ["body", "params", "weights", 1]


def test_k_beyond_the_training_points_is_clamped_with_a_note(client: TestClient) -> None:
    params = {"dataset": TINY, "estimators": [{"model": "knn", "n_neighbors": 40}, {"model": "naive_bayes"}]}
    response = client.post(VOTING, json={"params": params})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["frames"][0]["caption"].startswith("Note: k-NN's k = 40 is more than the 4 training points")
    assert body["result"]["models"][0] == "k-NN (k = 4)"
    assert body["params"]["estimators"][0]["n_neighbors"] == 40  # the resolved request keeps what was asked


def test_voting_streams_its_members_then_the_vote(client: TestClient) -> None:
    params = {"dataset": SMALL, "voting": "soft", "grid_size": 20}
    response = client.post(
        VOTING + "?figure=true", json={"params": params, "seed": 1}, headers={"Accept": "text/event-stream"}
    )
    assert response.status_code == 200
    events = parse_sse(response.text)
    frames = [e["data"] for e in events if e["event"] == "frame"]
    assert [f["kind"] for f in frames] == ["model"] * 4 + ["ensemble"]
    assert [f["state"]["model"] for f in frames[:-1]] == [0, 1, 2, 3]
    result = next(e["data"] for e in events if e["event"] == "result")
    n = len(result["points"])
    assert len(result["votes"]) == n and len(result["votes"][0]) == 4
    assert len(result["probabilities"][0]) == 4 and len(result["probabilities"][0][0]) == 2
    assert all("figure" in f for f in frames)


def test_stacking_streams_folds_meta_and_final_as_jsonl(client: TestClient) -> None:
    params = {"dataset": SMALL, "cv": 3, "grid_size": 20}
    response = client.post(STACKING, json={"params": params, "seed": 2}, headers={"Accept": "application/jsonl"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    frames = [line for line in lines if "kind" in line]
    assert [f["kind"] for f in frames] == ["fold"] * 3 + ["meta", "final"]
    result = lines[-1]["result"]
    assert len(result["oof_predictions"]) == len(result["train_indices"]) == len(result["folds"])
    assert sorted(set(result["folds"])) == [1, 2, 3] and len(result["meta_coef"][0]) == 5


# Runs beyond the defaults that reach every frame kind and state shape (for tests/test_frame_schemas.py's CASES).
CASES: dict[str, list[dict[str, Any]]] = {
    "voting": [
        {"voting": "soft", "weights": [1, 2, 1, 1], "grid_size": 20},
        {
            "dataset": BLOBS3,
            "estimators": [{"model": "naive_bayes"}, {"model": "knn", "n_neighbors": 50}],
            "test_fraction": 0,
        },
        {"dataset": TINY, "voting": "soft", "estimators": [{"model": "svm", "probability": True}]},
    ],
    "stacking": [
        {"dataset": BLOBS3, "cv": 3, "passthrough": True, "grid_size": 20},
        {
            "final_estimator": "decision_tree",
            "test_fraction": 0,
            "grid_size": 20,
            "estimators": [{"model": "knn", "n_neighbors": 3}, {"model": "naive_bayes"}],
        },
        {"dataset": TINY, "cv": 10, "test_fraction": 0},
    ],
}


@pytest.mark.parametrize("lab", ["voting", "stacking"])
def test_runs_beyond_the_defaults_match_the_published_models(client: TestClient, lab: str) -> None:
    algorithm = get_algorithm(lab)
    assert algorithm is not None and algorithm.frame_model is not None and algorithm.result_model is not None
    info = client.get(f"/api/v1/algorithms/{lab}").json()
    try:
        validators = [
            importlib.import_module("jsonschema_rs").validator_for(info[k]) for k in ("frame_schema", "result_schema")
        ]
    except ImportError:  # pragma: no cover - schemathesis (requirements-dev) brings it
        validators = []
    kinds: set[str] = set()
    for params in [{}, *CASES[lab]]:
        response = client.post(f"/api/v1/algorithms/{lab}/runs?figure=true", json={"params": params, "seed": 5})
        assert response.status_code == 200, (params, response.text[:500])
        body = response.json()
        for frame in body["frames"]:
            algorithm.frame_model.model_validate(frame)
            kinds.add(frame["kind"])
        algorithm.result_model.model_validate(body["result"])
        for validator, instances in zip(validators, (body["frames"], [body["result"]]), strict=False):
            for instance in instances:
                assert not list(validator.iter_errors(instance)), lab
    assert kinds == {"voting": {"model", "ensemble"}, "stacking": {"fold", "meta", "final"}}[lab]
