"""PCA engine: a hand-computed case, scikit-learn's PCA as the oracle, the steps and the reconstruction."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from app.core.frame import Frame, drain
from app.datasets import multivariate
from app.engines import pca


def _run(X: np.ndarray, standardize: bool = True, k: int = 2) -> tuple[list[Frame], dict[str, Any]]:
    names = tuple(f"x{i + 1}" for i in range(X.shape[1]))
    return drain(pca.run(X, standardize=standardize, n_components=k, feature_names=names, rng=np.random.default_rng(0)))


def test_hand_case_points_on_a_diagonal() -> None:
    # Centred points (−2,−2), (0,0), (2,2) plus a small off-diagonal pair: the main axis is (1, 1)/√2.
    X = np.array([[-2.0, -2.0], [0.0, 0.0], [2.0, 2.0], [1.0, -1.0], [-1.0, 1.0]])
    frames, result = _run(X, standardize=False, k=1)
    # Covariance: var x = var y = (4+0+4+1+1)/4 = 2.5, cov = (4+0+4−1−1)/4 = 1.5 → eigenvalues 4 and 1.
    np.testing.assert_allclose(frames[2].state["covariance"], [[2.5, 1.5], [1.5, 2.5]])
    np.testing.assert_allclose(frames[3].state["eigenvalues"], [4.0, 1.0])
    np.testing.assert_allclose(result["components"], [[np.sqrt(0.5), np.sqrt(0.5)]])
    np.testing.assert_allclose(result["explained_variance_ratio"], [0.8])
    np.testing.assert_allclose(result["projected"][:, 0], [-2 * np.sqrt(2), 0, 2 * np.sqrt(2), 0, 0], atol=1e-12)
    np.testing.assert_allclose(result["scale"], [1.0, 1.0])
    # Reconstruction from one component loses the (1,−1) direction: 2 points × 2 / 5 samples.
    assert frames[-1].state["reconstruction_error"] == pytest.approx(0.8)
    assert [f.kind for f in frames] == [
        "raw",
        "centre",
        "covariance",
        "eigenvectors",
        "projection",
        "variance",
        "reconstruction",
    ]


TABLES = [
    ("iris", True),
    ("iris", False),
    ("wine", True),
    ("wine", False),
    ("breast_cancer", True),
    ("breast_cancer", False),
    ("digits", False),
]


@pytest.mark.parametrize(("name", "standardize"), TABLES)
def test_matches_sklearn_pca(name: str, standardize: bool) -> None:
    X, _, _, _ = multivariate.load_table(name)
    k = min(3, X.shape[1])
    _, result = _run(X, standardize, k)
    Z = StandardScaler().fit_transform(X) if standardize else X
    ref = PCA(n_components=k, svd_solver="full").fit(Z)
    signs = np.sign((result["components"] * ref.components_).sum(axis=1))  # equal up to sign
    np.testing.assert_allclose(result["components"] * signs[:, None], ref.components_, atol=1e-8, rtol=0)
    np.testing.assert_allclose(result["explained_variance_ratio"], ref.explained_variance_ratio_, atol=1e-12)
    np.testing.assert_allclose(result["projected"] * signs, ref.transform(Z), atol=1e-7)
    np.testing.assert_allclose(result["mean"], X.mean(axis=0))
    np.testing.assert_allclose(np.linalg.norm(result["components"], axis=1), 1.0)


@pytest.mark.parametrize("make", [multivariate.gaussian_2d, multivariate.gaussian_3d])
def test_toys_match_sklearn_and_reconstruct_exactly_with_every_component(make: Any) -> None:
    X, _ = make(250, seed=4)
    d = X.shape[1]
    frames, result = _run(X, True, d)
    ref = PCA(svd_solver="full").fit(StandardScaler().fit_transform(X))
    np.testing.assert_allclose(np.abs(result["components"]), np.abs(ref.components_), atol=1e-8)
    np.testing.assert_allclose(result["explained_variance_ratio"], ref.explained_variance_ratio_, atol=1e-12)
    errors = [f.state["reconstruction_error"] for f in frames if f.kind == "reconstruction"]
    assert len(errors) == d and errors == sorted(errors, reverse=True) and errors[-1] == 0.0


def test_reconstruction_error_is_the_dropped_variance() -> None:
    X, _, _, _ = multivariate.load_table("wine")
    frames, _ = _run(X, True, 4)
    values = frames[3].state["eigenvalues"]
    n = X.shape[0]
    for frame in (f for f in frames if f.kind == "reconstruction"):
        m = frame.state["m"]
        assert frame.state["reconstruction_error"] == pytest.approx(values[m:].sum() * (n - 1) / n, rel=1e-9)


def test_constant_columns_are_found() -> None:
    X, _, _, _ = multivariate.load_table("digits")
    assert pca.constant_columns(X).tolist() == [0, 32, 39]
    assert pca.constant_columns(np.array([[1.0, 2.0], [1.0, 3.0]])).tolist() == [0]
