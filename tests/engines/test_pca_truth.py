"""PCA lab, issue 9: constant data, the n vs n − 1 of standardising and of the covariance matrix (scikit-learn
as the oracle), and reconstruction captions that agree with the error beside them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from app.core.frame import Frame, drain
from app.engines import pca


def _run(X: np.ndarray, standardize: bool, k: int) -> tuple[list[Frame], dict]:
    names = tuple(f"x{j + 1}" for j in range(X.shape[1]))
    return drain(pca.run(X, standardize=standardize, n_components=k, feature_names=names, rng=np.random.default_rng(0)))


def _by_kind(frames: list[Frame], kind: str) -> list[Frame]:
    return [f for f in frames if f.kind == kind]


def test_repro_constant_data_says_there_is_no_variance() -> None:
    frames, result = _run(np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]), False, 1)
    text = " ".join(f.caption for f in frames)
    assert "x1 and x1" not in text and "strongest pair" not in text
    assert "every entry is 0" in _by_kind(frames, "covariance")[0].caption
    recon = _by_kind(frames, "reconstruction")[0]
    assert recon.state["reconstruction_error"] == 0.0
    assert "100" not in recon.caption and "no variance to lose" in recon.caption
    assert np.isfinite(result["explained_variance_ratio"]).all()  # scikit-learn gives 0/0 = NaN here
    assert "nan" not in text.lower()


def test_strongest_pair_is_two_different_features_or_none() -> None:
    frames, _ = _run(np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]), False, 2)  # x2 constant: no covariance
    cov = _by_kind(frames, "covariance")[0]
    assert "no two features vary together" in cov.caption
    frames, _ = _run(np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 1.0], [3.0, 6.0, 0.0], [4.0, 8.0, 1.0]]), False, 2)
    assert "strongest pair is x1 and x2" in _by_kind(frames, "covariance")[0].caption


def test_standardise_and_covariance_say_n_and_n_minus_1_consistently_with_sklearn() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 3)) * [1.0, 3.0, 0.2]
    frames, result = _run(X, True, 2)
    cov = _by_kind(frames, "covariance")[0]
    C = np.asarray(cov.state["covariance"])
    np.testing.assert_allclose(np.diag(C), 5 / 4)  # ÷ n to standardise, ÷ (n − 1) for C
    assert "n/(n − 1) = 1.25" in cov.caption
    assert "dividing by n = 5" in frames[1].caption and "StandardScaler" in frames[1].caption
    ref = PCA(2).fit(StandardScaler().fit_transform(X))
    np.testing.assert_allclose(result["explained_variance"], ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(np.abs(result["components"]), np.abs(ref.components_), atol=1e-8)
    r = np.asarray(np.corrcoef(X, rowvar=False))[np.triu_indices(3, 1)]  # the caption's correlation: Pearson's r
    assert f"correlation {r[np.abs(r).argmax()]:.3f}" in cov.caption


def test_reconstruction_error_is_the_dropped_variance_times_n_minus_1_over_n() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 3)) @ np.array([[3.0, 0, 0], [1, 1, 0], [0, 0.5, 0.2]])
    frames, result = _run(X, False, 3)
    values = result["eigenvalues"]
    for frame in _by_kind(frames, "reconstruction"):
        m = frame.state["m"]
        expected = values[m:].sum() * 29 / 30
        assert frame.state["reconstruction_error"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert "every component is kept" in _by_kind(frames, "reconstruction")[-1].caption


def test_collinear_data_reconstructs_exactly_from_one_component() -> None:
    frames, _ = _run(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.0]]), True, 2)
    first = _by_kind(frames, "reconstruction")[0]
    assert first.state["reconstruction_error"] == 0.0 and "exact" in first.caption
    assert "Project onto the first 2 components" in _by_kind(frames, "projection")[0].caption
    frames, _ = _run(np.array([[1.0, 2.0], [2.0, 4.5], [3.0, 6.0]]), True, 1)
    assert "Project onto the first component: each sample becomes 1 number" in _by_kind(frames, "projection")[0].caption
