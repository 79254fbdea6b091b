"""Helpers every decision-boundary engine shares: the seeded split, the grid, accuracy, confusion, the lines
a linear model or a tree draws on the plane.

Shapes: ``X`` (n, 2) float; ``y`` (n,) int class indices ``0 .. n_classes - 1``; the grid is ``g × g`` points
over the data's bounding box plus a margin, row-major with y varying slowest (``predicted[i, j]`` is the class
at ``(xs[j], ys[i])``), which is how Plotly's heatmap reads ``z``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.tree import BaseDecisionTree

MARGIN = 0.1
"""Padding of the grid around the data, as a fraction of the data's span on each axis."""


@dataclass(frozen=True)
class Split:
    """Row indices into ``X`` (both sorted), and the labels they carry."""

    train: np.ndarray  # (n_train,) int
    test: np.ndarray  # (n_test,) int, may be empty


def split(y: np.ndarray, test_fraction: float, rng: np.random.Generator) -> Split:
    """A seeded, stratified train/test split that leaves at least one point of every class in training.

    Each class sends ``round(count × test_fraction)`` of its points to the test set, capped at ``count − 1``;
    ``test_fraction = 0`` trains on everything.
    """
    test: list[np.ndarray] = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n_test = min(round(members.size * test_fraction), members.size - 1)
        if n_test > 0:
            test.append(rng.permutation(members)[:n_test])
    test_idx = np.sort(np.concatenate(test)) if test else np.zeros(0, dtype=np.int64)
    mask = np.ones(y.size, dtype=bool)
    mask[test_idx] = False
    return Split(train=np.flatnonzero(mask), test=test_idx.astype(np.int64))


def random_split(n: int, test_fraction: float, rng: np.random.Generator) -> Split:
    """A seeded split of ``n`` rows with no classes to stratify by (regression): ``round(n × test_fraction)``
    test rows, capped at ``n − 1``; ``test_fraction = 0`` trains on everything."""
    n_test = min(round(n * test_fraction), n - 1)
    test_idx = np.sort(rng.permutation(n)[:n_test]).astype(np.int64)
    mask = np.ones(n, dtype=bool)
    mask[test_idx] = False
    return Split(train=np.flatnonzero(mask), test=test_idx)


def train_size(y: np.ndarray, test_fraction: float) -> int:
    """Rows ``split`` will train on, known without the rng (for limit checks before the run)."""
    counts = np.unique(y, return_counts=True)[1]
    return int(sum(c - min(round(c * test_fraction), c - 1) for c in counts))


@dataclass(frozen=True)
class Grid:
    xs: np.ndarray  # (g,)
    ys: np.ndarray  # (g,)
    points: np.ndarray  # (g*g, 2), row-major: points[i*g + j] = (xs[j], ys[i])

    @property
    def size(self) -> int:
        return int(self.xs.size)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return float(self.xs[0]), float(self.xs[-1]), float(self.ys[0]), float(self.ys[-1])

    def reshape(self, values: np.ndarray) -> np.ndarray:
        """(g*g,) → (g, g) with rows along y."""
        return values.reshape(self.size, self.size)


def bounds(X: np.ndarray, margin: float = MARGIN) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi), each (2,): the data's bounding box grown by ``margin`` of its span on each side."""
    lo, hi = X[:, :2].min(axis=0), X[:, :2].max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)  # a flat axis still gets a unit-wide box
    return lo - margin * span, hi + margin * span


def make_grid(X: np.ndarray, size: int, margin: float = MARGIN) -> Grid:
    lo, hi = bounds(X, margin)
    xs, ys = np.linspace(lo[0], hi[0], size), np.linspace(lo[1], hi[1], size)
    gx, gy = np.meshgrid(xs, ys)  # (g, g) each, rows along y
    return Grid(xs=xs, ys=ys, points=np.column_stack([gx.ravel(), gy.ravel()]))


def fit_points(X: np.ndarray, size: int, margin: float = MARGIN) -> np.ndarray:
    """Where a regression view draws the fitted function: for 1 feature, ``size`` x values over the data's
    range grown by ``margin`` (size, 1), ascending; for 2 features, the ``make_grid`` points (size², 2)."""
    if X.shape[1] == 2:
        return make_grid(X, size, margin).points
    lo, hi = bounds(X[:, :1], margin)
    return np.linspace(lo[0], hi[0], size)[:, None]


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction correct; 0.0 for an empty set (no test points), which the metrics then leave out."""
    return float(np.mean(y_true == y_pred)) if y_true.size else 0.0


def confusion(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts: row = true class, column = predicted class (scikit-learn's layout)."""
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


@dataclass(frozen=True)
class Scores:
    """What every boundary frame reports about the current model."""

    train_accuracy: float
    test_accuracy: float | None  # None when there is no test set
    confusion: np.ndarray  # on the test set when there is one, else on the training set
    misclassified: np.ndarray  # (m,) row indices into X (train and test)

    def metrics(self, **extra: float) -> dict[str, float]:
        out = {"train_accuracy": self.train_accuracy}
        if self.test_accuracy is not None:
            out["test_accuracy"] = self.test_accuracy
        out.update(extra)
        return out

    def state(self) -> dict[str, Any]:
        return {
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "confusion": self.confusion.copy(),
        }

    def summary(self) -> str:
        test = f", test {self.test_accuracy:.1%}" if self.test_accuracy is not None else ""
        return f"accuracy train {self.train_accuracy:.1%}{test}"


def score(y: np.ndarray, predicted: np.ndarray, parts: Split, n_classes: int) -> Scores:
    """Scores of predictions for every row of X (``predicted`` (n,))."""
    has_test = parts.test.size > 0
    held = parts.test if has_test else parts.train
    return Scores(
        train_accuracy=accuracy(y[parts.train], predicted[parts.train]),
        test_accuracy=accuracy(y[parts.test], predicted[parts.test]) if has_test else None,
        confusion=confusion(y[held], predicted[held], n_classes),
        misclassified=np.flatnonzero(predicted != y),
    )


def line_segment(w: np.ndarray, b: float, box: tuple[float, float, float, float]) -> np.ndarray | None:
    """The part of the line w·x + b = 0 inside the box (x0, x1, y0, y1), as [[xa, ya], [xb, yb]], or None."""
    x0, x1, y0, y1 = box
    hits: list[tuple[float, float]] = []
    if abs(w[1]) > 1e-12:
        for x in (x0, x1):
            y = -(w[0] * x + b) / w[1]
            if y0 <= y <= y1:
                hits.append((x, y))
    if abs(w[0]) > 1e-12:
        for y in (y0, y1):
            x = -(w[1] * y + b) / w[0]
            if x0 <= x <= x1:
                hits.append((x, y))
    if len(hits) < 2:
        return None
    ends = np.array(hits)
    # The two hits farthest apart (a corner can be hit twice).
    d = ((ends[:, None, :] - ends[None, :, :]) ** 2).sum(axis=2)
    i, j = np.unravel_index(int(d.argmax()), d.shape)
    return ends[[i, j]]


def tree_cuts(tree: BaseDecisionTree, box: tuple[float, float, float, float]) -> np.ndarray:
    """(m, 2, 2): each split of a fitted 2-feature tree (its ``tree_``) as the segment [[xa, ya], [xb, yb]] of
    its cut across its own cell, what its ancestors' cuts leave of the box (x0, x1, y0, y1): the tree's regions
    drawn on the plane. In pre-order, left child first; a cut outside its cell (a node whose cell the box
    leaves empty) is left out."""
    t = tree.tree_
    out: list[list[list[float]]] = []
    cells = [(0, *box)]  # (node, its cell x0, x1, y0, y1): a stack, the left child popped first
    while cells:
        node, x0, x1, y0, y1 = cells.pop()
        feature, cut = int(t.feature[node]), float(t.threshold[node])
        if feature < 0 or x0 >= x1 or y0 >= y1:  # a leaf, or a cell outside the box: nothing to draw below it
            continue
        left, right = int(t.children_left[node]), int(t.children_right[node])
        if feature == 0:
            if x0 < cut < x1:
                out.append([[cut, y0], [cut, y1]])
            cells += [(right, max(cut, x0), x1, y0, y1), (left, x0, min(cut, x1), y0, y1)]
        else:
            if y0 < cut < y1:
                out.append([[x0, cut], [x1, cut]])
            cells += [(right, x0, x1, max(cut, y0), y1), (left, x0, x1, y0, min(cut, y1))]
    return np.asarray(out, dtype=np.float64).reshape(-1, 2, 2)


def grid_result(grid: Grid, predicted: np.ndarray, **extra: np.ndarray) -> dict[str, Any]:
    """``result.grid``: {"x", "y", "predicted", ...extra} as plain nested lists (the contract shape)."""
    out: dict[str, Any] = {"x": grid.xs.tolist(), "y": grid.ys.tolist(), "predicted": grid.reshape(predicted).tolist()}
    for name, values in extra.items():
        out[name] = np.round(grid.reshape(values), 6).tolist()
    return out


def thin(total: int, keep: int) -> list[int]:
    """About ``keep`` indices from 0..total-1, evenly spread, always with the first and the last."""
    if total <= keep:
        return list(range(total))
    return sorted({round(float(v)) for v in np.linspace(0, total - 1, keep)})
