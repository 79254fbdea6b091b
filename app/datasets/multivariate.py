"""Data with more than two features, for PCA: correlated Gaussian toys and the bundled tables whole.

* ``gaussian_2d`` / ``gaussian_3d``: seeded correlated Gaussians whose features have different scales (so
  standardising changes the answer). ``X`` float64 (n, 2) or (n, 3); ``y`` int64 zeros (one class).
* ``load_table(name)``: scikit-learn's bundled iris (4 features), wine (13), breast cancer (30) and digits
  (64 pixels of 8×8 images) with every column: ``X`` (n, d) float64 (a fresh copy), ``y`` (n,) int64, the
  column names and the class names. Nothing is downloaded: the tables ship inside scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_LOADERS: dict[str, Callable[..., Any]] = {
    "iris": load_iris,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
    "digits": load_digits,
}
N_FEATURES: dict[str, int] = {"iris": 4, "wine": 13, "breast_cancer": 30, "digits": 64}
N_ROWS: dict[str, int] = {"iris": 150, "wine": 178, "breast_cancer": 569, "digits": 1797}

# Standard deviations of the toys' features before mixing, and their means (non-zero, so centring shows).
_STD_2D = np.array([3.0, 1.0])
_MEAN_2D = np.array([4.0, -2.0])
_STD_3D = np.array([3.0, 2.0, 1.0])
_MEAN_3D = np.array([2.0, -1.0, 3.0])


def _gaussian(n_samples: int, seed: int, std: np.ndarray, mean: np.ndarray, correlation: float) -> FloatArray:
    """Gaussian with cov_ij = std_i std_j ρ (i ≠ j), std_i² on the diagonal: (n, d) float64."""
    corr = np.full((std.size, std.size), correlation)
    np.fill_diagonal(corr, 1.0)
    cov = corr * np.outer(std, std)
    rng = np.random.default_rng(seed)
    return np.ascontiguousarray(rng.multivariate_normal(mean, cov, size=n_samples, method="eigh"))


def gaussian_2d(n_samples: int = 200, *, seed: int = 0, correlation: float = 0.8) -> tuple[FloatArray, IntArray]:
    """Two correlated features (std 3 and 1, correlation ρ). Valid for −1 < ρ < 1."""
    return _gaussian(n_samples, seed, _STD_2D, _MEAN_2D, correlation), np.zeros(n_samples, dtype=np.int64)


def gaussian_3d(n_samples: int = 300, *, seed: int = 0, correlation: float = 0.6) -> tuple[FloatArray, IntArray]:
    """Three features (std 3, 2, 1), every pair correlated ρ. Valid for −0.5 < ρ < 1."""
    return _gaussian(n_samples, seed, _STD_3D, _MEAN_3D, correlation), np.zeros(n_samples, dtype=np.int64)


@cache
def table(name: str) -> tuple[FloatArray, IntArray, tuple[str, ...], tuple[str, ...]]:
    """A bundled table, read once: ``X`` (n, d) float64, ``y`` (n,) int64, column names, class names (read-only)."""
    bunch = _LOADERS[name]()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y, tuple(str(f) for f in bunch.feature_names), tuple(str(t) for t in bunch.target_names)


def load_table(name: str) -> tuple[FloatArray, IntArray, tuple[str, ...], tuple[str, ...]]:
    """The whole table ``name``: ``X`` (n, d) float64 (a writable copy), ``y`` (n,), column and class names."""
    X, y, columns, classes = table(name)
    return X.copy(), y.copy(), columns, classes
