"""``/api/v1/datasets`` serves the datasets only some labs take (PCA's, the regression sets), so that every
dataset a lab's picker offers has points for its thumbnail: listed after the shared ones, in the same shape."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.datasets import router
from app.datasets import classic, multivariate
from app.datasets import regression as regression_sets
from app.schemas.datasets import SPECS
from app.schemas.images import IMAGE_SPECS

LAB_SETS = ["gaussian2d", "gaussian3d", "digits", "line", "two_scales", "sine", "ring", "segment"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_listed_after_the_shared_ones_in_the_same_shape(client: TestClient) -> None:
    body = client.get("/api/v1/datasets").json()
    names = [d["name"] for d in body]
    assert names == [*SPECS, *LAB_SETS, *IMAGE_SPECS]
    shared_keys = set(body[0])
    for entry in body[len(SPECS) :]:
        extra = {"shape", "class_names"} if entry["kind"] == "images" else set()  # tests/api/test_images.py
        assert set(entry) == shared_keys | extra, entry["name"]
        assert entry["params_schema"]["properties"]["name"]["const"] == entry["name"]
        assert entry["defaults"]["name"] == entry["name"]
    kinds = {d["name"]: d["kind"] for d in body}
    assert kinds["digits"] == "classic" and kinds["gaussian3d"] == kinds["sine"] == "generator"


def test_pca_clouds_keep_their_features(client: TestClient) -> None:
    flat = client.get("/api/v1/datasets/gaussian2d?n_samples=50&correlation=0.9&seed=3").json()
    X = np.array(flat["X"])
    assert X.shape == (50, 2) and flat["params"]["correlation"] == 0.9
    assert np.corrcoef(X.T)[0, 1] > 0.6  # the correlation asked for shows in the points
    X_lib, _ = multivariate.gaussian_2d(50, seed=3, correlation=0.9)
    assert np.allclose(X, X_lib)
    cloud = client.get("/api/v1/datasets/gaussian3d?n_samples=40").json()
    assert np.array(cloud["X"]).shape == (40, 3) and cloud["feature_names"] == ["x1", "x2", "x3"]


def test_digits_as_its_two_principal_components(client: TestClient) -> None:
    body = client.get("/api/v1/datasets/digits").json()
    X_lib, y_lib, names = classic.load_classic("digits", "pca")
    assert np.allclose(body["X"], X_lib) and body["y"] == y_lib.tolist()
    assert body["feature_names"] == list(names) == ["PC1", "PC2"]
    assert sorted(set(body["y"])) == list(range(10))
    picked = client.get("/api/v1/datasets/digits?features=20,28").json()  # two pixels, as iris takes two columns
    X_cols, _, cols = classic.load_classic("digits", (20, 28))
    assert np.allclose(picked["X"], X_cols) and picked["feature_names"] == list(cols)


def test_regression_sets_are_points_x_y(client: TestClient) -> None:
    sine = client.get("/api/v1/datasets/sine?n_samples=30&noise=0").json()
    X, y = np.array(sine["X"]), np.array(sine["y"])
    assert X.shape == (30, 1) and y.shape == (30,)
    assert np.allclose(y, 2 * np.sin(1.5 * X[:, 0]))  # no noise: the curve itself
    line = client.get("/api/v1/datasets/line?n_samples=25&seed=4").json()
    X_lib, y_lib = regression_sets.line(25, noise=0.5, seed=4)
    assert np.allclose(line["X"], X_lib) and np.allclose(line["y"], y_lib)
    two = client.get("/api/v1/datasets/two_scales?n_samples=20").json()
    assert np.array(two["X"]).shape == (20, 2) and all(isinstance(v, float) for v in two["y"])


def test_bad_queries_are_refused_at_their_field(client: TestClient) -> None:
    response = client.get("/api/v1/datasets/sine?noise=-1")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "noise"]
    response = client.get("/api/v1/datasets/gaussian3d?correlation=-0.9")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "correlation"]
    assert client.get("/api/v1/datasets/plane").status_code == 404  # the neural lab's own: not served (yet)
