"""Catalog entries publish ``frame_schema`` and ``result_schema`` (JSON Schema of a lab's frames and result).

Adding only (DESIGN §3): every key the entries had before is still there, and ``GET /api/v1/algorithms/{id}`` is
still exactly the list's entry (``test_runs.test_catalog_endpoints``), so the list carries the schemas too (about
11 KB per lab). Runs validated against the schemas: ``tests/test_frame_schemas.py``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.catalog import all_algorithms
from tests.frame_models import FRAME_MODELS

BEFORE = {"id", "title", "family", "summary", "days", "params_schema", "defaults"}
"""The keys of a catalog entry before the schemas were added."""


def test_each_algorithm_publishes_its_frame_and_result_schemas(client: TestClient) -> None:
    for algorithm in all_algorithms():
        info = client.get(f"/api/v1/algorithms/{algorithm.id}").json()
        assert set(info) == BEFORE | {"frame_schema", "result_schema"}
        models = FRAME_MODELS[algorithm.id]
        assert info["frame_schema"] == models.frame.model_json_schema()
        assert info["result_schema"] == models.result.model_json_schema()
        frame = info["frame_schema"]
        assert frame["description"] and frame["$defs"]
        kinds = [d for d in frame["$defs"].values() if "kind" in d.get("properties", {})]
        assert kinds and all(d["additionalProperties"] is False for d in kinds)
        assert all({"index", "kind", "caption", "state", "metrics"} <= set(d["required"]) for d in kinds)


def test_the_list_entries_are_the_same(client: TestClient) -> None:
    listing = client.get("/api/v1/algorithms").json()
    assert [entry["id"] for entry in listing] == [a.id for a in all_algorithms()]
    for entry in listing:
        assert entry == client.get(f"/api/v1/algorithms/{entry['id']}").json()


def test_openapi_documents_the_new_fields(client: TestClient) -> None:
    info = client.get("/openapi.json").json()["components"]["schemas"]["AlgorithmInfo"]["properties"]
    assert {"frame_schema", "result_schema"} <= set(info)
    assert "JSON Schema" in info["frame_schema"]["description"]
