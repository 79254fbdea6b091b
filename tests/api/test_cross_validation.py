"""The cross-validation lab through real HTTP: bad input is a 422 naming the field in plain words (leave-one-out on
5,000 rows, k out of range, ROC AUC an SVM cannot give), a k the data contradicts is clamped (200, with a note),
the stream parses, and the breast cancer set of the journal runs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse

RUNS = "/api/v1/algorithms/cross-validation/runs"
SMALL = {"name": "moons", "n_samples": 60, "noise": 0.3}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3}


def _error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.text[:500]
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]["loc"], detail[0]["msg"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        (
            {"dataset": {"name": "moons", "n_samples": 5000}, "splitter": "leave-one-out"},
            ["splitter"],
            "5,000 rows",
        ),
        ({"dataset": SMALL, "splitter": "leave-one-out", "scoring": "f1"}, ["scoring"], "only accuracy"),
        ({"dataset": BLOBS3, "model": {"model": "svm"}, "scoring": "roc_auc"}, ["model", "probability"], "turn it on"),
        ({"dataset": SMALL, "k": 21}, ["k"], ""),
        ({"dataset": SMALL, "k": 1}, ["k"], ""),
        ({"dataset": SMALL, "splitter": "bootstrap"}, ["splitter"], ""),
        ({"dataset": SMALL, "model": {"model": "decision_tree", "max_depth": 0}}, ["model", "decision_tree"], ""),
    ],
)
def test_bad_input_names_the_field(client: TestClient, params: dict[str, Any], field: list[str], words: str) -> None:
    loc, msg = _error(client.post(RUNS, json={"params": params}))
    assert loc[: 2 + len(field)] == ["body", "params", *field]
    assert words in msg


def test_k_beyond_the_rows_is_clamped_with_a_note(client: TestClient) -> None:
    tiny = {"X": [[float(i), float(i % 4)] for i in range(8)], "y": [0, 1] * 4}
    response = client.post(RUNS, json={"params": {"dataset": tiny, "k": 12, "grid_size": 20}, "seed": 1})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["frames"][0]["caption"].startswith("Note: 12 folds are more than the 8 rows, so 8 folds are used")
    assert body["result"]["n_folds"] == 8 and len(body["result"]["folds"]) == 8


def test_stream_of_breast_cancer_with_stratified_auc(client: TestClient) -> None:
    params = {
        "dataset": {"name": "breast_cancer"},
        "model": {"model": "logistic_regression"},
        "splitter": "stratified",
        "k": 3,
        "scoring": "roc_auc",
        "grid_size": 20,
    }
    response = client.post(RUNS, json={"params": params, "seed": 2}, headers={"accept": "text/event-stream"})
    assert response.status_code == 200
    events = parse_sse(response.text)
    kinds = [e["data"]["kind"] for e in events if e["event"] == "frame"]
    assert kinds == ["shuffle", "split", "fold", "fold", "fold", "summary"]
    result = next(e["data"] for e in events if e["event"] == "result")
    assert sum(len(f) for f in result["folds"]) == 569
    assert all(0.9 < s <= 1.0 for s in result["scores"])  # the journal's set: a linear model separates it well
