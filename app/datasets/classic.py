"""scikit-learn's bundled classic tables (iris, wine, breast cancer), brought down to two features.

These ship inside scikit-learn (``load_*``): nothing is downloaded. Each loader returns
``(X, y, feature_names)`` with ``X`` float64 of shape ``(n, 2)``, ``y`` int64 of shape ``(n,)`` and the
two feature names. ``features`` is either ``"pca"`` (standardise all columns, then PCA to two components,
named ``PC1``/``PC2``) or a pair of column indices ``(i, j)`` (those two raw columns, optionally
standardised).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from app.datasets import multivariate
from app.datasets.multivariate import table

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Features = Literal["pca"] | Sequence[int]

CLASSIC_NAMES: tuple[str, ...] = ("iris", "wine", "breast_cancer")
#: Column count of each classic table (``multivariate`` owns the sizes of every bundled table).
N_FEATURES: dict[str, int] = {name: multivariate.N_FEATURES[name] for name in CLASSIC_NAMES}
#: Row count of each classic table.
N_ROWS: dict[str, int] = {name: multivariate.N_ROWS[name] for name in CLASSIC_NAMES}


def feature_names(name: str) -> tuple[str, ...]:
    """All column names of the classic table ``name`` (e.g. iris: 4 names)."""
    return table(name)[2]


def class_names(name: str) -> tuple[str, ...]:
    """The class names of the classic table ``name``, indexed by label."""
    return table(name)[3]


def load_classic(
    name: str, features: Features = "pca", *, standardize: bool = False
) -> tuple[FloatArray, IntArray, tuple[str, str]]:
    """Load ``name`` (``iris`` | ``wine`` | ``breast_cancer``) as a 2-D problem.

    ``features="pca"``: standardise every column, project on the first two principal components
    (``standardize`` is implied). ``features=(i, j)``: raw columns ``i`` and ``j``, standardised to zero
    mean / unit variance when ``standardize``. Returns ``X`` (n, 2) float64 (a fresh array),
    ``y`` (n,) int64 and the two feature names.
    """
    X_all, y, names, _ = table(name)
    if isinstance(features, str):
        if features != "pca":
            raise ValueError(f"features must be 'pca' or two column indices, not {features!r}")
        Z = StandardScaler().fit_transform(X_all)
        X = PCA(n_components=2, svd_solver="full").fit_transform(Z)
        chosen: tuple[str, str] = ("PC1", "PC2")
    else:
        i, j = (int(k) for k in features)
        X = X_all[:, [i, j]]
        if standardize:
            X = StandardScaler().fit_transform(X)
        chosen = (names[i], names[j])
    return np.array(X, dtype=np.float64, order="C"), y.copy(), chosen
