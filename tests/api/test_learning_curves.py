"""The learning-curves lab through real HTTP: bad input is a 422 naming the field in plain words, a k the data
contradicts is clamped (200, with a note), the SSE stream of each mode parses with its contract fields, and the
breast cancer set of the journal runs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse

RUNS = "/api/v1/algorithms/learning-curves/runs"
SMALL = {"name": "moons", "n_samples": 60, "noise": 0.3}


def _error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.text[:500]
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]["loc"], detail[0]["msg"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"dataset": {"X": [[0, 0], [1, 1], [2, 2], [3, 3]], "y": [0, 0, 0, 1]}}, ["splitter"], "pick k-fold"),
        ({"dataset": {"X": [[0, 0], [1, 1]], "y": [0, 1]}, "mode": "early_stopping"}, ["validation_fraction"], "raise"),
        ({"dataset": SMALL, "epochs": 2001, "mode": "early_stopping"}, ["epochs"], ""),
        ({"dataset": SMALL, "k": 11}, ["k"], ""),
        ({"dataset": SMALL, "n_sizes": 1}, ["n_sizes"], ""),
        ({"dataset": SMALL, "mode": "grid"}, ["mode"], ""),
        ({"dataset": SMALL, "model": {"model": "decision_tree", "max_depth": 0}}, ["model", "decision_tree"], ""),
    ],
)
def test_bad_input_names_the_field(client: TestClient, params: dict[str, Any], field: list[str], words: str) -> None:
    loc, msg = _error(client.post(RUNS, json={"params": params}))
    assert loc[: 2 + len(field)] == ["body", "params", *field]
    assert words in msg


def test_k_beyond_the_rows_is_clamped_with_a_note(client: TestClient) -> None:
    tiny = {"X": [[float(i), float(i % 4)] for i in range(8)], "y": [0, 1] * 4}
    params = {"dataset": tiny, "k": 10, "splitter": "kfold", "n_sizes": 2, "grid_size": 20}
    response = client.post(RUNS, json={"params": params, "seed": 1})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["frames"][0]["caption"].startswith("Note: 10 folds are more than the 8 rows, so 8 folds are used")
    assert body["result"]["n_folds"] == 8 and all(len(row) == 8 for row in body["result"]["test_scores"])


@pytest.mark.parametrize(
    ("params", "kinds", "fields"),
    [
        ({"n_sizes": 3}, ["size", "size", "size", "diagnosis"], ("train_sizes", "train_scores", "test_scores")),
        (
            {"mode": "validation_curve", "model": {"model": "svm"}, "n_values": 3},
            ["value", "value", "value", "best"],
            ("param_range", "train_scores", "test_scores"),
        ),
        (
            {"mode": "early_stopping", "epochs": 20, "hidden_width": 8},
            ["epoch"] * 21 + ["restore"],
            ("train_loss", "val_loss", "best_epoch", "stopped_epoch"),
        ),
    ],
)
def test_stream_of_each_mode(client: TestClient, params: dict[str, Any], kinds: list[str], fields: tuple[str]) -> None:
    body = {"params": {"dataset": SMALL, "grid_size": 20, **params}, "seed": 2}
    response = client.post(RUNS + "?figure=true", json=body, headers={"accept": "text/event-stream"})
    assert response.status_code == 200
    events = parse_sse(response.text)
    frames = [e["data"] for e in events if e["event"] == "frame"]
    assert [f["kind"] for f in frames][: len(kinds)] == kinds[: len(frames)]
    assert frames[-1]["kind"] == kinds[-1]
    assert all("figure" in f for f in frames)
    result = next(e["data"] for e in events if e["event"] == "result")
    assert set(fields) <= set(result)


def test_breast_cancer_learning_curve(client: TestClient) -> None:
    params = {"dataset": {"name": "breast_cancer"}, "model": {"model": "logistic_regression"}, "n_sizes": 3, "k": 3}
    response = client.post(RUNS, json={"params": params | {"grid_size": 20}, "seed": 0})
    assert response.status_code == 200, response.text[:500]
    result = response.json()["result"]
    assert result["train_sizes"][-1] == 379  # 2/3 of the 569 rows
    assert all(0.85 < s <= 1.0 for s in result["test_mean"])  # the journal's set: a linear model separates it well
