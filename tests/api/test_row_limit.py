"""The row limit (``STEPWISE_MAX_POINTS``) is one rule, the dataset spec's, checked in validation before any
data is built — for a dataset given in the request and for a lab's default dataset alike (a default is a model
instance, which pydantic would pass through unvalidated without ``revalidate_instances``). An image set counts
images, not rows: its limit is ``STEPWISE_MAX_IMAGES``, held to the same two rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.catalog import all_algorithms
from app.core.algorithm import Algorithm
from app.main import create_app
from app.settings import Settings


def _default_kind(algorithm: Algorithm[Any, Any]) -> str:
    """The kind of a lab's default dataset: ``images`` for an image set, else ``points``."""
    default = algorithm.params_model.model_fields["dataset"].get_default(call_default_factory=True)
    return str(getattr(default, "kind", "points"))


WITH_DATASET_ALGOS = [a for a in all_algorithms() if "dataset" in a.params_model.model_fields]
WITH_DATASET = [a.id for a in WITH_DATASET_ALGOS if _default_kind(a) != "images"]
WITH_IMAGE_SET = [a.id for a in WITH_DATASET_ALGOS if _default_kind(a) == "images"]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(max_points=3, max_images=3, cache_entries=0))) as test_client:
        yield test_client


def test_the_image_labs_are_told_apart() -> None:
    assert "cnn" in WITH_IMAGE_SET and "knn" in WITH_DATASET


@pytest.mark.parametrize("algorithm_id", WITH_DATASET)
def test_a_default_dataset_over_the_limit_is_refused_naming_the_setting(client: TestClient, algorithm_id: str) -> None:
    response = client.post(f"/api/v1/algorithms/{algorithm_id}/runs", json={"params": {}, "seed": 0})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][:3] == ["body", "params", "dataset"] and "STEPWISE_MAX_POINTS" in e["msg"] for e in errors), (
        errors
    )


@pytest.mark.parametrize("algorithm_id", WITH_DATASET)
def test_inline_rows_over_the_limit_are_refused(client: TestClient, algorithm_id: str) -> None:
    X = [[float(i), float(i % 2)] for i in range(4)]
    params = {"dataset": {"X": X, "y": [0, 1, 0, 1]}}
    response = client.post(f"/api/v1/algorithms/{algorithm_id}/runs", json={"params": params, "seed": 0})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any("STEPWISE_MAX_POINTS" in e["msg"] for e in errors), errors


@pytest.mark.parametrize("algorithm_id", WITH_IMAGE_SET)
def test_a_default_image_set_over_the_limit_is_refused_naming_the_setting(
    client: TestClient, algorithm_id: str
) -> None:
    response = client.post(f"/api/v1/algorithms/{algorithm_id}/runs", json={"params": {}, "seed": 0})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][:3] == ["body", "params", "dataset"] and "STEPWISE_MAX_IMAGES" in e["msg"] for e in errors), (
        errors
    )


@pytest.mark.parametrize("algorithm_id", WITH_IMAGE_SET)
def test_a_requested_image_set_over_the_limit_is_refused(client: TestClient, algorithm_id: str) -> None:
    params = {"dataset": {"name": "shapes", "n_samples": 4, "side": 8}}
    response = client.post(f"/api/v1/algorithms/{algorithm_id}/runs", json={"params": params, "seed": 0})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any("n_samples" in e["loc"] and "STEPWISE_MAX_IMAGES" in e["msg"] for e in errors), errors
