"""``/api/v1/datasets`` through a real HTTP client (the router on a bare app, and ``create_app()`` if present)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.datasets import router
from app.datasets import generators
from app.schemas.datasets import SPECS
from app.settings import Settings, get_settings


def _bare_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app


def _full_app() -> FastAPI:
    from app.main import create_app  # type: ignore[import-not-found,unused-ignore]

    app: FastAPI = create_app()
    return app


APPS = ["bare"]
if importlib.util.find_spec("app.main") is not None:
    APPS.append("create_app")


@pytest.fixture(params=APPS)
def app(request: pytest.FixtureRequest) -> FastAPI:
    return _bare_app() if request.param == "bare" else _full_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_catalog(client: TestClient) -> None:
    r = client.get("/api/v1/datasets")
    assert r.status_code == 200
    body = r.json()
    assert [d["name"] for d in body][: len(SPECS)] == list(SPECS)  # the shared ones first, then the labs' own
    moons = next(d for d in body if d["name"] == "moons")
    assert moons["kind"] == "generator" and moons["defaults"]["noise"] == 0.1
    assert moons["params_schema"]["properties"]["noise"]["x-step"] == 0.01
    assert next(d for d in body if d["name"] == "wine")["kind"] == "classic"


def test_one_generator_with_query(client: TestClient) -> None:
    r = client.get("/api/v1/datasets/moons", params={"n_samples": 50, "noise": 0.2, "seed": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"name", "X", "y", "feature_names", "params"}
    assert body["name"] == "moons" and body["feature_names"] == ["x1", "x2"]
    assert body["params"] == {"name": "moons", "n_samples": 50, "noise": 0.2, "seed": 3}
    X, y = generators.moons(50, seed=3, noise=0.2)
    np.testing.assert_array_equal(np.array(body["X"]), X)  # JSON floats round-trip exactly
    assert body["y"] == y.tolist()


def test_defaults_and_determinism(client: TestClient) -> None:
    a = client.get("/api/v1/datasets/blobs").json()
    b = client.get("/api/v1/datasets/blobs").json()
    assert a == b
    assert len(a["X"]) == 300 and len(set(a["y"])) == 4
    assert a["params"] == {"name": "blobs", "n_samples": 300, "centers": 4, "cluster_std": 1.0, "seed": 0}
    c = client.get("/api/v1/datasets/blobs?seed=1").json()
    assert c["X"] != a["X"]


@pytest.mark.parametrize("name", list(SPECS))
def test_every_dataset_at_defaults(client: TestClient, name: str) -> None:
    r = client.get(f"/api/v1/datasets/{name}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["X"]) == len(body["y"]) and all(len(row) == 2 for row in body["X"])


def test_classic_features(client: TestClient) -> None:
    pca = client.get("/api/v1/datasets/iris?features=pca").json()
    assert pca["feature_names"] == ["PC1", "PC2"] and pca["params"]["features"] == "pca"
    cols = client.get("/api/v1/datasets/iris?features=0,2").json()
    assert cols["feature_names"] == ["sepal length (cm)", "petal length (cm)"]
    assert cols["params"]["features"] == [0, 2]
    assert cols["X"][0] == [5.1, 1.4]
    std = client.get("/api/v1/datasets/wine", params={"features": "1,2", "standardize": "true"}).json()
    assert abs(np.mean(std["X"])) < 1e-9


def _detail(r: Any) -> list[dict[str, Any]]:
    assert r.status_code == 422, r.text
    detail: list[dict[str, Any]] = r.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail


def test_unknown_dataset_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/datasets/foo")
    assert r.status_code == 404
    assert r.json()["detail"].startswith("unknown dataset 'foo'; known: blobs, moons")


def test_unknown_query_parameter_is_422(client: TestClient) -> None:
    d = _detail(client.get("/api/v1/datasets/moons?factor=0.3"))
    assert d[0]["type"] == "extra_forbidden" and d[0]["loc"] == ["query", "factor"]
    d = _detail(client.get("/api/v1/datasets/moons?name=circles"))
    assert d[0]["loc"] == ["query", "name"]


def test_bad_values_are_422_with_pydantic_errors(client: TestClient) -> None:
    d = _detail(client.get("/api/v1/datasets/moons?noise=-1&n_samples=abc"))
    locs = {tuple(e["loc"]) for e in d}
    assert locs == {("query", "noise"), ("query", "n_samples")}
    assert all("msg" in e and "type" in e for e in d)
    d = _detail(client.get("/api/v1/datasets/iris?features=0,9"))
    assert d[0]["loc"] == ["query", "features"] and "0..3" in d[0]["msg"]
    d = _detail(client.get("/api/v1/datasets/moons?noise=nan"))
    assert d[0]["loc"] == ["query", "noise"]
    d = _detail(client.get("/api/v1/datasets/moons?seed=1&seed=2"))
    assert d[0]["loc"][:2] == ["query", "seed"]


def test_service_limit_on_points(app: FastAPI) -> None:
    app.dependency_overrides[get_settings] = lambda: Settings(max_points=100)
    with TestClient(app) as client:
        assert client.get("/api/v1/datasets/moons?n_samples=100").status_code == 200
        d = _detail(client.get("/api/v1/datasets/moons?n_samples=101"))
        assert d[0]["loc"] == ["query", "n_samples"] and "100" in d[0]["msg"]
        d = _detail(client.get("/api/v1/datasets/breast_cancer"))  # 569 rows > 100
        assert d[0]["type"] == "less_than_equal" and d[0]["loc"] == ["path", "name"] and "569 rows" in d[0]["msg"]
        d = _detail(client.get("/api/v1/datasets/iris?n_samples=10"))  # tables have a fixed size (and 150 > 100)
        assert {(e["type"], tuple(e["loc"])) for e in d} == {
            ("extra_forbidden", ("query", "n_samples")),
            ("less_than_equal", ("path", "name")),
        }


def test_default_service_limit_is_settings_max_points(client: TestClient) -> None:
    limit = get_settings().max_points
    d = _detail(client.get(f"/api/v1/datasets/blobs?n_samples={limit + 1}"))
    assert d[0]["loc"] == ["query", "n_samples"]
    d = _detail(client.get("/api/v1/datasets/blobs?n_samples=100001"))  # the schema's hard cap
    assert d[0]["loc"] == ["query", "n_samples"]


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/datasets" in paths and "/api/v1/datasets/{name}" in paths
