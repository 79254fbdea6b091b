"""scikit-learn's bundled tables reduced to two features."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_iris

from app.datasets import classic


@pytest.mark.parametrize(("name", "n", "n_classes"), [("iris", 150, 3), ("wine", 178, 3), ("breast_cancer", 569, 2)])
def test_pca_shapes(name: str, n: int, n_classes: int) -> None:
    X, y, names = classic.load_classic(name, "pca")
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.unique(y).size == n_classes
    assert names == ("PC1", "PC2")
    assert classic.N_ROWS[name] == n
    assert len(classic.feature_names(name)) == classic.N_FEATURES[name]
    # PCA of standardised data: centred, first component carries the most variance
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-10)
    assert X[:, 0].var() > X[:, 1].var()


def test_pca_is_deterministic() -> None:
    a = classic.load_classic("wine", "pca")[0]
    b = classic.load_classic("wine", "pca")[0]
    assert a.tobytes() == b.tobytes()


def test_column_pick_is_the_raw_columns() -> None:
    X, y, names = classic.load_classic("iris", (0, 2))
    bunch = load_iris()
    np.testing.assert_array_equal(X, bunch.data[:, [0, 2]])
    np.testing.assert_array_equal(y, bunch.target)
    assert names == (bunch.feature_names[0], bunch.feature_names[2])


def test_column_pick_standardised() -> None:
    X, _, _ = classic.load_classic("breast_cancer", [3, 1], standardize=True)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(X.std(axis=0), 1.0)


def test_returned_arrays_are_fresh_copies() -> None:
    X, y, _ = classic.load_classic("iris", (0, 1))
    X[:] = 0.0
    y[:] = 9
    X2, y2, _ = classic.load_classic("iris", (0, 1))
    assert X2.any() and (y2 != 9).all()


def test_bad_features_string() -> None:
    with pytest.raises(ValueError, match="pca"):
        classic.load_classic("iris", "tsne")  # type: ignore[arg-type]
