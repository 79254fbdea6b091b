"""The cache is looked up before ``prepare`` (issue 10): a cached run never builds its data, a miss still
builds it before the response starts, so data that does not fit the params is a 422, not a broken stream."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import catalog
from app.core.limits import Limits
from app.main import create_app
from app.runs import plan_run, validate_run
from app.settings import Settings

URL = "/api/v1/algorithms/spy-hierarchical/runs"
SMALL = {"params": {"dataset": {"name": "blobs", "n_samples": 30}, "n_clusters": 3}}


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The hierarchical lab (whose prepare builds the whole SciPy tree) under another id, counting prepares."""
    real = catalog.get_algorithm("hierarchical")
    assert real is not None
    calls: list[Any] = []

    def spy(params: Any, limits: Limits) -> Any:
        calls.append(params)
        return real.prepare(params, limits)

    monkeypatch.setitem(
        catalog._REGISTRY, "spy-hierarchical", dataclasses.replace(real, id="spy-hierarchical", prepare=spy)
    )
    return calls


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream", "application/jsonl"])
def test_a_cached_run_never_calls_prepare(prepared: list[Any], accept: str) -> None:
    with TestClient(create_app(Settings(cache_entries=16))) as client:
        first = client.post(URL, json=SMALL, headers={"Accept": accept})
        assert first.status_code == 200 and len(prepared) == 1
        again = client.post(URL, json=SMALL, headers={"Accept": accept})
        assert again.status_code == 200 and again.text == first.text
        assert len(prepared) == 1  # the hit replayed the cached events without building the tree
        other = client.post(URL, json={**SMALL, "seed": 5}, headers={"Accept": accept})
        assert other.status_code == 200 and len(prepared) == 2  # another key is a miss: prepared once more


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream"])
def test_a_miss_whose_data_does_not_fit_is_still_a_422(prepared: list[Any], accept: str) -> None:
    # (A count above the points is clamped now, issue 12; an all-zero point under cosine still cannot be run.)
    zero = {"params": {"dataset": {"X": [[0, 0], [1, 1], [2, 1]]}, "metric": "cosine", "linkage": "average"}}
    with TestClient(create_app(Settings(cache_entries=16))) as client:
        response = client.post(URL, json=zero, headers={"Accept": accept})
    assert response.status_code == 422 and len(prepared) == 1
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "params", "metric"] and "all-zero point 0" in error["msg"]


def test_validate_run_keys_without_preparing_and_plan_run_prepares(prepared: list[Any]) -> None:
    lab = catalog.get_algorithm("spy-hierarchical")
    assert lab is not None
    lazy = validate_run(lab, SMALL["params"], 0, False, Settings())
    assert prepared == []
    eager = plan_run(lab, SMALL["params"], 0, False, Settings())
    assert len(prepared) == 1 and eager.key == lazy.key
    assert lazy.inputs is lazy.prepare() and len(prepared) == 2  # built once per plan, then kept
