"""The decision-tree lab over HTTP: the bad-input list of issue 13 (a 422 naming the field, in words), the task
switch (a regression request without a dataset runs on sine), frames that match their published models at
settings beside the defaults (every frame kind), an SSE stream, and the one default-config claim of this lab
(the figure budget and the chapters)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.schemas.frames.tree import TreeFrame, TreeResult
from tests.conftest import parse_sse

URL = "/api/v1/algorithms/decision-tree/runs"
SMALL_MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3}
SMALL_SINE = {"name": "sine", "n_samples": 60}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3}
# Settings beside the defaults that reach every frame kind and state shape (proposed for tests/test_frame_schemas.py
# CASES["decision-tree"]).
CASES: list[dict[str, Any]] = [
    {"task": "regression", "grid_size": 20},  # 1-D squared error: split, prune, depth
    {
        "task": "regression",
        "dataset": {"name": "two_scales", "n_samples": 50},
        "regression_criterion": "absolute_error",
    },
    {"dataset": BLOBS3, "criterion": "entropy", "test_fraction": 0, "grid_size": 20},  # three classes, no test set
    {"dataset": SMALL_MOONS, "min_samples_split": 100, "grid_size": 20},  # leaf: the root stays a leaf
    # more than 63 splits: level frames
    {
        "dataset": {"name": "moons", "n_samples": 700, "noise": 0.45},
        "max_depth": 14,
        "test_fraction": 0,
        "prune": False,
    },
    {"dataset": SMALL_MOONS, "max_leaf_nodes": 5, "ccp_alpha": 0.01, "criterion": "log_loss", "grid_size": 20},
]


def _run(client: TestClient, params: dict[str, Any], figure: bool = False, seed: int = 1) -> dict[str, Any]:
    response = client.post(URL + ("?figure=true" if figure else ""), json={"params": params, "seed": seed})
    assert response.status_code == 200, response.text[:2000]
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("params", "loc", "words"),
    [
        ({"max_depth": 0}, "max_depth", "greater than or equal to 1"),
        ({"max_depth": 21}, "max_depth", "less than or equal to 20"),
        ({"min_samples_leaf": 0}, "min_samples_leaf", "greater than or equal to 1"),
        ({"min_samples_split": 1}, "min_samples_split", "greater than or equal to 2"),
        ({"max_leaf_nodes": 1}, "max_leaf_nodes", "greater than or equal to 2"),
        ({"ccp_alpha": -1}, "ccp_alpha", "greater than or equal to 0"),
        ({"ccp_alpha": "NaN"}, "ccp_alpha", "finite number"),
        ({"criterion": "squared_error"}, "criterion", "give it as regression_criterion"),
        ({"task": "regression", "regression_criterion": "gini"}, "regression_criterion", "give it as criterion"),
        ({"criterion": "friedman"}, "criterion", "'gini', 'entropy' or 'log_loss'"),
        ({"task": "regression", "dataset": SMALL_MOONS}, "dataset", "pick sine, line or two scales"),
        ({"task": "classification", "dataset": SMALL_SINE}, "dataset", "pick a classification dataset"),
        ({"dataset": {"name": "moons", "n_samples": 6000}}, "n_samples", "more than 5,000"),
        ({"dataset": {"X": [[0.0], [1.0], [2.0]], "y": [0, 1, 0]}}, "X", "2 features"),
        ({"task": "regression", "dataset": {"X": [[0.0], [1.0], [2.0]]}}, "dataset", "give y"),
        ({"test_fraction": 1.5}, "test_fraction", "less than or equal to 0.9"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, params: dict[str, Any], loc: str, words: str) -> None:
    response = client.post(URL, json={"params": params})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == loc or loc in e["loc"] for e in errors), errors
    assert any(words in e["msg"] for e in errors), errors


def test_a_regression_request_without_a_dataset_runs_on_the_sine_wave(client: TestClient) -> None:
    body = _run(client, {"task": "regression", "prune": False, "max_depth": 2})
    assert body["params"]["dataset"]["name"] == "sine" and body["params"]["regression_criterion"] == "squared_error"
    first = body["frames"][0]["state"]
    assert {"train_mse", "test_mse"} <= set(first) and "train_accuracy" not in first
    assert body["result"]["score"] == "mean squared error"
    again = _run(client, body["params"])  # the resolved params run again, unchanged
    assert again["frames"] == body["frames"]


def test_inline_rows_with_integer_targets_are_numbers_for_regression(client: TestClient) -> None:
    rows = {"X": [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], "y": [0, 1, 4, 9, 16, 25]}
    body = _run(client, {"task": "regression", "dataset": rows, "test_fraction": 0, "prune": False})
    values = sorted(n["value"][0] for n in body["result"]["tree"] if n["left"] is None)
    assert values == [0.0, 1.0, 4.0, 9.0, 16.0, 25.0]  # depth 4 reaches one row per leaf: the targets themselves


@pytest.mark.parametrize("params", CASES, ids=range(len(CASES)))
def test_frames_and_result_match_the_published_models(client: TestClient, params: dict[str, Any]) -> None:
    body = _run(client, params)
    for frame in body["frames"]:
        TreeFrame.model_validate(frame)
    TreeResult.model_validate(body["result"])


def test_every_frame_kind_is_reached_by_the_cases(client: TestClient) -> None:
    kinds = {frame["kind"] for params in CASES for frame in _run(client, params)["frames"]}
    assert kinds == {"split", "level", "leaf", "prune", "depth"}


def test_the_run_streams_as_server_sent_events(client: TestClient) -> None:
    response = client.post(
        URL,
        json={"params": {"dataset": SMALL_MOONS, "grid_size": 20}, "seed": 4},
        headers={"Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    events = parse_sse(response.text)
    frames = [e for e in events if e["event"] == "frame"]
    assert [int(e["id"]) for e in frames] == list(range(len(frames)))
    assert frames[0]["data"]["kind"] == "split" and frames[0]["data"]["state"]["node"] == 0
    result = next(e["data"] for e in events if e["event"] == "result")
    assert result["tree"][0]["id"] == 0 and result["n_leaves"] >= 2


def test_the_seed_is_scikit_learns_random_state(client: TestClient) -> None:
    """Features tie on symmetric data, so scikit-learn's seeded feature order picks the root's feature; the run's
    seed must be that random_state."""
    from sklearn.tree import DecisionTreeClassifier

    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 3
    y = [0, 0, 0, 1] * 3
    for seed in range(4):
        body = _run(client, {"dataset": {"X": X, "y": y}, "test_fraction": 0, "prune": False}, seed=seed)
        expected = DecisionTreeClassifier(max_depth=4, random_state=seed).fit(X, y).tree_.feature[0]
        assert body["result"]["tree"][0]["feature"] == expected
        assert "ties it" in body["frames"][0]["caption"]


def test_defaults_stay_within_the_frame_budget_and_have_three_chapters(client: TestClient) -> None:
    """The default-config claim of this lab: every frame's figure ≤ 16 KB (compact JSON), the scene names the three
    chapters, and the default run grows, prunes and sweeps depths."""
    body = _run(client, {}, figure=True, seed=0)
    sizes = [len(json.dumps(f["figure"], separators=(",", ":"))) for f in body["frames"]]
    assert max(sizes) <= 16 * 1024, sizes
    assert body["scene"]["x-phases"] == {
        "split": "Growing",
        "level": "Growing",
        "leaf": "Growing",
        "prune": "Pruning",
        "depth": "Depth sweep",
    }
    kinds = [f["kind"] for f in body["frames"]]
    assert kinds[0] == "split" and "prune" in kinds and kinds[-1] == "depth"
    assert kinds == sorted(kinds, key=["split", "prune", "depth"].index), "chapters in order"
