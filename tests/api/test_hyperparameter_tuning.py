"""The hyperparameter-tuning lab through real HTTP: bad input is a 422 naming the field in plain words (a budget of
10⁶ fits says how many, a range upside down, k out of range, an unknown strategy or model), a k the data
contradicts is clamped (200, with a note), and a halving stream parses round by round with its cv_results."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse

RUNS = "/api/v1/algorithms/hyperparameter-tuning/runs"
SMALL = {"name": "moons", "n_samples": 60, "noise": 0.3}
QUICK = {"dataset": SMALL, "n_first": 2, "n_second": 2, "k": 3, "grid_size": 20}


def _error(response: Any) -> tuple[list[Any], str]:
    assert response.status_code == 422, response.text[:500]
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]["loc"], detail[0]["msg"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"strategy": "random", "n_iter": 1_000_000}, ["n_iter"], "5,000,001 model fits"),
        ({"n_first": 12, "n_second": 12, "k": 20}, ["k"], "at most 2,000"),
        ({"model": "mlp", "n_first": 8, "n_second": 8}, ["k"], "at most 300 (a network's fit trains 60 epochs"),
        ({"c_low": 5.0, "c_high": 5.0}, ["c_high"], "above the lowest"),
        ({"model": "knn", "k_low": 9, "k_high": 3}, ["k_high"], "above the lowest"),
        ({"dataset": SMALL, "model": "knn", "k_high": 50}, ["k_high"], "lower the largest k"),
        ({"dataset": {"name": "moons", "n_samples": 20}, "strategy": "halving", "k": 5}, ["k"], "rows"),
        ({"k": 21}, ["k"], ""),
        ({"strategy": "bayesian"}, ["strategy"], ""),
        ({"model": "forest"}, ["model"], ""),
    ],
)
def test_bad_input_names_the_field(client: TestClient, params: dict[str, Any], field: list[str], words: str) -> None:
    loc, msg = _error(client.post(RUNS, json={"params": params}))
    assert loc[: 2 + len(field)] == ["body", "params", *field]
    assert words in msg


def test_k_beyond_the_smallest_class_is_clamped_with_a_note(client: TestClient) -> None:
    tiny = {"X": [[float(i), float(i % 3)] for i in range(12)], "y": [0, 1] * 6}
    params = {**QUICK, "dataset": tiny, "test_fraction": 0.3, "k": 9}
    response = client.post(RUNS, json={"params": params, "seed": 1})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["frames"][0]["caption"].startswith("Note: 9 folds are more than the 4 search rows of class 0")
    assert body["frames"][0]["state"]["n_folds"] == 4
    assert all(len(row) == 4 for row in body["result"]["cv_results"]["split_test_scores"])


def test_halving_stream_goes_round_by_round(client: TestClient) -> None:
    params = {**QUICK, "dataset": {**SMALL, "n_samples": 120}, "strategy": "halving", "n_first": 4, "n_second": 3}
    response = client.post(RUNS, json={"params": params, "seed": 2}, headers={"accept": "text/event-stream"})
    assert response.status_code == 200
    events = parse_sse(response.text)
    frames = [e["data"] for e in events if e["event"] == "frame"]
    kinds = [f["kind"] for f in frames]
    assert kinds[0] == "setup" and kinds[-1] == "winner" and set(kinds[1:-1]) == {"round"}
    rounds = [f["state"] for f in frames if f["kind"] == "round"]
    assert rounds[0]["n_candidates"] == 12
    result = next(e["data"] for e in events if e["event"] == "result")
    table = result["cv_results"]
    assert table["iter"] == [r for r, s in enumerate(rounds) for _ in range(s["n_candidates"])]
    assert [table["n_resources"][table["iter"].index(r)] for r in range(len(rounds))] == [
        s["n_resources"] for s in rounds
    ]
    assert result["best_params"] in rounds[-1]["params"]
    assert result["optimism"] == pytest.approx(result["best_score"] - result["test_score"])
