"""What the views read of a lab's inputs, as read-only ``Protocol``s.

Views sit below the labs (DESIGN §2), so they cannot import the frozen dataclasses ``prepare`` builds
(``app.labs.inputs``); each view instead names the fields it reads, and mypy checks the lab's dataclass
against them where the ``Algorithm`` is built. Read-only properties, so a frozen dataclass field (or a
pydantic field) satisfies them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np


class Points(Protocol):
    """A dataset as loaded: the points the clustering, DBSCAN, hierarchical and PCA views draw."""

    @property
    def X(self) -> np.ndarray:
        """(n, d) float64 coordinates; the views draw the first two columns."""
        ...

    @property
    def y(self) -> np.ndarray | None:
        """(n,) int64 labels, or None for unlabelled inline data."""
        ...

    @property
    def feature_names(self) -> tuple[str, ...]:
        """d column names (axis titles)."""
        ...


# -- boundary ----------------------------------------------------------------------------------------------------------


class TrainTest(Protocol):
    """Row indices into ``X`` (both sorted)."""

    @property
    def train(self) -> np.ndarray:
        """(n_train,) int"""
        ...

    @property
    def test(self) -> np.ndarray:
        """(n_test,) int, may be empty"""
        ...


class BoundaryData(Protocol):
    """What the boundary view reads of the lab's inputs."""

    @property
    def X(self) -> np.ndarray:
        """(n, 2) float64 coordinates."""
        ...

    @property
    def y(self) -> np.ndarray:
        """(n,) int64 class indices 0..K−1."""
        ...

    @property
    def classes(self) -> Sequence[str]:
        """K class names (the labels as given)."""
        ...

    @property
    def split(self) -> TrainTest: ...

    @property
    def feature_names(self) -> tuple[str, ...]: ...

    @property
    def box(self) -> tuple[np.ndarray, np.ndarray]:
        """(lo, hi), each (2,): the plotted window."""
        ...


# -- hierarchical ------------------------------------------------------------------------------------------------------


class DendrogramTree(Protocol):
    """What the view draws of the engine's linkage tree (built once per run in ``prepare``)."""

    @property
    def Z(self) -> np.ndarray:
        """(n−1, 4) SciPy linkage matrix: child a, child b, distance, size."""
        ...

    @property
    def leaves(self) -> np.ndarray:
        """(n,) point ids left to right."""
        ...

    @property
    def link_x(self) -> np.ndarray:
        """(n−1, 4) x of each link's ∩ shape."""
        ...

    @property
    def link_y(self) -> np.ndarray:
        """(n−1, 4) y of each link's ∩ shape."""
        ...


class HierarchicalData(Points, Protocol):
    """The points plus the agglomerative tree (``tree``, ``cut_height``: None in divisive mode) or the
    divisive mode's scale (``total_sse``, ``n_distinct``)."""

    @property
    def tree(self) -> DendrogramTree | None: ...

    @property
    def cut_height(self) -> float | None: ...

    @property
    def total_sse(self) -> float: ...

    @property
    def n_distinct(self) -> int: ...

    @property
    def proximity(self) -> bool:
        """The engine computes the proximity matrices (agglomerative, few points): the view draws them."""
        ...


# -- optimization ------------------------------------------------------------------------------------------------------


class Landscape(Protocol):
    """What the race view reads of the loss surface."""

    @property
    def minima(self) -> Sequence[tuple[float, float]]: ...

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max): the view window."""
        ...

    @property
    def doc(self) -> str:
        """The formula's description; its part before ":" titles the plot."""
        ...


class SurfaceGrid(Protocol):
    """The surface sampled for the contour: ``xs`` (g,), ``ys`` (g,), ``z`` and ``level`` (g, g)."""

    @property
    def xs(self) -> np.ndarray: ...

    @property
    def ys(self) -> np.ndarray: ...

    @property
    def z(self) -> np.ndarray: ...

    @property
    def level(self) -> np.ndarray: ...


class Racer(Protocol):
    """One optimiser of the race."""

    @property
    def label(self) -> str: ...


class RaceData(Protocol):
    """What the race view reads of the lab's inputs."""

    @property
    def surface(self) -> Landscape: ...

    @property
    def grid(self) -> SurfaceGrid: ...

    @property
    def start(self) -> tuple[float, float]: ...

    @property
    def runs(self) -> Sequence[Racer]: ...


class DescentData(Protocol):
    """What the gradient-descent view reads of the lab's inputs."""

    @property
    def X(self) -> np.ndarray:
        """(m, 1 or 2) the (scaled) features."""
        ...

    @property
    def y(self) -> np.ndarray:
        """(m,) targets."""
        ...

    @property
    def feature_names(self) -> tuple[str, ...]: ...

    @property
    def grid(self) -> Mapping[str, np.ndarray]:
        """The MSE contour: axes ``u`` (g,), ``v`` (g,), ``level`` (g, g), least squares ``star`` (2,)."""
        ...

    @property
    def line_x(self) -> np.ndarray:
        """(2,) the data panel's x range, where the engine evaluates each fitted line."""
        ...


# -- activations -------------------------------------------------------------------------------------------------------


class ActivationCurves(Protocol):
    """What the activations view reads of the lab's inputs."""

    @property
    def x(self) -> np.ndarray:
        """(m,) where the curves are sampled."""
        ...

    @property
    def curves(self) -> Mapping[str, Mapping[str, np.ndarray]]:
        """Per activation, in drawing order: ``{"y": f(x), "dy": f'(x)}``, each (m,)."""
        ...

    @property
    def softmax(self) -> np.ndarray:
        """(k,) softmax of the chosen logits."""
        ...


# -- neural ------------------------------------------------------------------------------------------------------------


class NeuralData(Protocol):
    """What the neural-network view reads of the lab's inputs (the coordinates as the network sees them)."""

    @property
    def X(self) -> np.ndarray:
        """(n, 1 or 2) coordinates, standardised when they were large."""
        ...

    @property
    def y(self) -> np.ndarray:
        """(n,) int64 class indices 0..K−1, or float64 regression targets."""
        ...

    @property
    def train(self) -> np.ndarray:
        """(n_train,) row indices of the training points."""
        ...

    @property
    def test(self) -> np.ndarray:
        """(n_test,) row indices of the test points."""
        ...

    @property
    def n_classes(self) -> int:
        """K, or 0 for regression."""
        ...

    @property
    def loss(self) -> str:
        """The resolved loss: "cross_entropy" or "mse"."""
        ...

    @property
    def axes(self) -> Sequence[np.ndarray]:
        """The output plane's grid, per coordinate: (g,) values."""
        ...

    @property
    def thumb_axes(self) -> Sequence[np.ndarray]:
        """The neuron thumbnails' grid, per coordinate: (t,) values."""
        ...

    @property
    def input_thumbs(self) -> np.ndarray:
        """(n_features, t·t) each input feature over the thumbnail grid (t for 1-D data)."""
        ...

    @property
    def standardised(self) -> bool: ...

    @property
    def feature_names(self) -> tuple[str, ...]: ...
