"""The inputs several labs share: frozen dataclasses that ``prepare`` returns and engine adapters and views read.

A lab with a shape of its own defines its dataclass in its own module. The views read these through the
read-only ``Protocol``s of ``app.views.inputs`` (views sit below the labs); mypy checks each dataclass
against its view's protocol where the ``Algorithm`` is built. ``clamps`` (keyword-only, so subclasses may add
fields without defaults) lists the counts the data contradicted: the ``Algorithm`` runs and draws with the used
values and notes them in the first caption (see ``app.core.algorithm.Clamp``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.core.algorithm import Clamp
from app.datasets import Dataset
from app.engines.boundary import Split


@dataclass(frozen=True)
class PointsInputs:
    """A dataset as loaded (k-means, DBSCAN, PCA, and the base of hierarchical clustering's inputs)."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray | None  # (n,) int64 labels, or None for unlabelled inline data
    feature_names: tuple[str, ...]  # d column names
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)

    @classmethod
    def of(cls, data: Dataset, clamps: tuple[Clamp, ...] = ()) -> PointsInputs:
        return cls(X=data.X, y=data.y, feature_names=data.feature_names, clamps=clamps)


@dataclass(frozen=True)
class BoundaryInputs:
    """A labelled 2-D dataset split for training and testing (logistic regression, perceptron, SVM)."""

    X: np.ndarray  # (n, 2) float64
    y: np.ndarray  # (n,) int64 class indices 0..K−1
    classes: tuple[str, ...]  # K class names: the labels as given
    split: Split  # train / test row indices, seeded by the dataset's own seed
    feature_names: tuple[str, ...]  # 2 column names
    box: tuple[np.ndarray, np.ndarray]  # (lo, hi), each (2,): the plotted window around the data
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True)
class KnnInputs(BoundaryInputs):
    """k-NN's inputs: the boundary data and the k the votes use."""

    k: int  # the k the votes use: the requested k, clamped to the training points (a ``Clamp`` says so)
    requested_k: int  # the k asked for


@dataclass(frozen=True)
class RegressionInputs:
    """A regression problem split for training and testing (decision tree and gradient boosting, task regression)."""

    X: np.ndarray  # (n, d) float64, d = 1 or 2
    y: np.ndarray  # (n,) float64 targets
    split: Split  # train / test row indices, seeded by the dataset's own seed
    feature_names: tuple[str, ...]  # d column names
    box: tuple[np.ndarray, np.ndarray]  # (lo, hi), each (d,): the data's range grown by the margin (fit_points')
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)
