"""The bagging and random-forest labs through the API: bad input is a 422 naming the field in words, a count the
data contradicts is clamped with a note, every frame and result matches the published models (including the
runs that reach the rarer frame kinds), and the default runs keep their claims (one named test per lab)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.frame_models import FRAME_MODELS

TINY = {"X": [[0.0, 0.0], [0.1, 0.2], [1.0, 1.1], [1.2, 0.9], [0.2, 0.1], [1.1, 1.0]], "y": [0, 0, 1, 1, 0, 1]}
SMALL = {"name": "moons", "n_samples": 60, "noise": 0.3}
FRAME_BUDGET = 16 * 1024


def _run(client: TestClient, lab: str, params: dict[str, Any], figure: bool = False, seed: int = 3) -> Any:
    url = f"/api/v1/algorithms/{lab}/runs" + ("?figure=true" if figure else "")
    return client.post(url, json={"params": params, "seed": seed})


def _error_at(response: Any, field: str) -> str:
    """The 422's message for ``field`` (the error located at params.<field>)."""
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    hits = [e for e in errors if e["loc"][:3] == ["body", "params", field]]
    assert hits, errors
    message: str = hits[0]["msg"]
    return message


@pytest.mark.parametrize(
    ("lab", "params", "field", "words"),
    [
        ("bagging", {"n_estimators": 10**6}, "n_estimators", "200"),
        ("random-forest", {"n_estimators": 10**6}, "n_estimators", "300"),
        ("bagging", {"mode": "custom", "max_features": 0}, "max_features", "greater than 0"),
        ("bagging", {"mode": "custom", "max_features": 3}, "max_features", "2"),
        ("bagging", {"mode": "custom", "max_features": 1.5}, "max_features", "whole count of features"),
        ("random-forest", {"max_features": 0}, "max_features", ""),
        ("random-forest", {"max_features": 3}, "max_features", ""),
        ("bagging", {"mode": "custom", "max_samples": 0}, "max_samples", "greater than 0"),
        ("bagging", {"mode": "custom", "max_samples": 2.5}, "max_samples", "whole count of rows"),
        ("random-forest", {"max_depth": 0}, "max_depth", "greater than or equal to 1"),
        ("bagging", {"estimator": {"model": "knn", "n_neighbors": 0}}, "estimator", ""),
        ("bagging", {"mode": "custom", "bootstrap": False}, "oob_score", "out-of-bag scoring needs rows drawn"),
        ("random-forest", {"bootstrap": False}, "oob_score", "out-of-bag scoring needs bootstrap on"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, lab: str, params: dict[str, Any], field: str, words: str
) -> None:
    assert words in _error_at(_run(client, lab, params), field)


def test_a_shortcut_mode_sets_the_four_draws_and_switches_oob_off_without_bootstrap(client: TestClient) -> None:
    # What the form sends after switching from custom to pasting: the hidden controls keep their old values.
    sent = {
        "dataset": SMALL,
        "n_estimators": 2,
        "grid_size": 20,
        "mode": "pasting",
        "bootstrap": True,
        "max_samples": 7,
        "max_features": 1,
        "oob_score": True,
    }
    body = _run(client, "bagging", sent).json()
    assert {
        k: body["params"][k] for k in ("bootstrap", "max_samples", "bootstrap_features", "max_features", "oob_score")
    } == {"bootstrap": False, "max_samples": 0.5, "bootstrap_features": False, "max_features": 2.0, "oob_score": False}
    assert body["result"]["oob_score"] is None


def test_counts_the_data_contradicts_are_clamped_with_a_note(client: TestClient) -> None:
    body = _run(
        client,
        "bagging",
        {"dataset": TINY, "test_fraction": 0, "mode": "custom", "max_samples": 50, "n_estimators": 2, "grid_size": 20},
    ).json()
    first = body["frames"][0]
    assert first["caption"].startswith("Note: 50 rows per estimator is more than the 6 training rows, so each draws 6.")
    assert sum(first["state"]["sample_counts"]) == 6


RARER = {
    "bagging": [
        {
            "dataset": TINY,
            "test_fraction": 0,
            "estimator": {"model": "svm", "C": 1.0, "probability": False},
            "mode": "pasting",
        },  # an SVM on a draw of one class: the unfit frame
        {"dataset": SMALL, "mode": "random_subspaces", "n_estimators": 3, "grid_size": 20},
        {
            "dataset": {"name": "blobs", "n_samples": 45, "centers": 3},
            "n_estimators": 3,
            "test_fraction": 0,
            "estimator": {"model": "knn", "n_neighbors": 3},
            "grid_size": 20,
        },
    ],
    "random-forest": [
        {"dataset": TINY, "test_fraction": 0, "n_estimators": 3, "grid_size": 20},
        {
            "dataset": SMALL,
            "bootstrap": False,
            "oob_score": False,
            "max_features": "all",
            "n_estimators": 3,
            "max_depth": 2,
        },
    ],
}
"""Settings beside the defaults that reach the other frame kinds and state shapes (unfit, no test set, no
bootstrap); the same as the lead's ``tests/test_frame_schemas.py`` ``CASES`` entries for these labs."""


@pytest.mark.parametrize(("lab", "params"), [(lab, p) for lab, cases in RARER.items() for p in cases])
def test_rarer_runs_match_the_published_models(client: TestClient, lab: str, params: dict[str, Any]) -> None:
    response = _run(client, lab, params, figure=True)
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    models = FRAME_MODELS[lab]
    for frame in body["frames"]:
        models.frame.model_validate(frame)
    models.result.model_validate(body["result"])


def _default_run(client: TestClient, lab: str) -> dict[str, Any]:
    response = _run(client, lab, {}, figure=True, seed=0)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    for frame in body["frames"]:
        size = len(json.dumps(frame["figure"], separators=(",", ":")))
        assert size <= FRAME_BUDGET, f"{lab} frame {frame['index']}: {size} bytes"
    return body


def test_bagging_defaults(client: TestClient) -> None:
    """The default-config claims: 20 bagged depth-6 trees on moons, one frame each within the frame budget; the
    vote beats the average member on the test set; every training row is out of bag for some member."""
    body = _default_run(client, "bagging")
    frames, result = body["frames"], body["result"]
    assert [f["kind"] for f in frames] == ["estimator"] * 20
    assert result["test_score"] > float(np.mean(result["member_scores"]))
    assert result["oob_rows"] == len(result["train_indices"]) and result["oob_score"] > 0.8


def test_random_forest_defaults(client: TestClient) -> None:
    """The default-config claims: 40 trees, then the variance and importance frames, each within the frame
    budget; the forest beats the average tree; its trees' errors are far from perfectly correlated."""
    body = _default_run(client, "random-forest")
    frames, result = body["frames"], body["result"]
    assert [f["kind"] for f in frames] == ["tree"] * 40 + ["variance", "importance"]
    assert result["test_score"] > float(np.mean(result["tree_scores"]))
    assert result["error_correlation"] < 0.8 and result["oob_score"] > 0.8
