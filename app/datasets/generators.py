"""Seeded toy 2-D generators.

Every function returns ``(X, y)`` with ``X`` a float64 array of shape ``(n_samples, 2)`` and ``y`` an
int64 array of shape ``(n_samples,)`` holding class labels ``0 .. n_classes - 1``. Randomness comes only
from ``seed`` (``random_state=seed`` for scikit-learn, ``np.random.default_rng(seed)`` otherwise), so
the same arguments give the same arrays, byte for byte. Inputs are assumed valid: the pydantic specs in
``app.schemas.datasets`` check ranges once, at the boundary.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import make_blobs, make_circles, make_moons

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
XY = tuple[FloatArray, IntArray]

#: The shear used by :func:`anisotropic` (the one in scikit-learn's k-means assumptions example).
ANISOTROPIC_TRANSFORM: tuple[tuple[float, float], tuple[float, float]] = ((0.6, -0.6), (-0.4, 0.8))


def _out(X: NDArray[np.floating] | NDArray[np.integer], y: NDArray[np.integer]) -> XY:
    """Contiguous float64 ``X`` (n, 2) and int64 ``y`` (n,)."""
    return np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(y, dtype=np.int64)


def _split(n_samples: int, n_parts: int) -> list[int]:
    """``n_samples`` split into ``n_parts`` near-equal counts (the first ones get the remainder)."""
    base, extra = divmod(n_samples, n_parts)
    return [base + (1 if i < extra else 0) for i in range(n_parts)]


def blobs(n_samples: int = 300, *, seed: int = 0, centers: int = 4, cluster_std: float = 1.0) -> XY:
    """Isotropic Gaussian blobs around ``centers`` random centres in ``[-10, 10]^2``.

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in ``0 .. centers - 1``.
    """
    X, y = make_blobs(n_samples=n_samples, n_features=2, centers=centers, cluster_std=cluster_std, random_state=seed)
    return _out(X, y)


def moons(n_samples: int = 200, *, seed: int = 0, noise: float = 0.1) -> XY:
    """Two interleaving half circles. ``X`` (n, 2) float64, ``y`` (n,) int64 in ``{0, 1}``."""
    # ``+ 0.0`` turns -0.0 into 0.0: NumPy's normal() rejects any scale with the sign bit set ("scale < 0").
    X, y = make_moons(n_samples=n_samples, noise=noise + 0.0, random_state=seed)
    return _out(X, y)


def circles(n_samples: int = 200, *, seed: int = 0, noise: float = 0.05, factor: float = 0.5) -> XY:
    """A small circle (``y == 1``, radius ``factor``) inside a unit circle (``y == 0``).

    ``X`` (n, 2) float64, ``y`` (n,) int64 in ``{0, 1}``.
    """
    X, y = make_circles(n_samples=n_samples, noise=noise + 0.0, factor=factor, random_state=seed)  # -0.0 → 0.0
    return _out(X, y)


def xor(n_samples: int = 200, *, seed: int = 0, noise: float = 0.0) -> XY:
    """Points uniform in ``[-1, 1]^2``; ``y = 1`` where the two coordinates differ in sign.

    The label is fixed before Gaussian ``noise`` (standard deviation) moves the points, so noise blurs
    the quadrant boundaries. ``X`` (n, 2) float64, ``y`` (n,) int64 in ``{0, 1}``.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    if noise > 0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return _out(X, y)


def spiral(n_samples: int = 200, *, seed: int = 0, n_classes: int = 2, turns: float = 1.0, noise: float = 0.1) -> XY:
    """``n_classes`` interleaved spiral arms, each winding ``turns`` times from the origin to radius 1.

    Arm ``c`` is rotated by ``2 pi c / n_classes``; points lie at evenly spaced radii along it, then
    Gaussian ``noise`` (standard deviation, in units of the outer radius) is added. Samples are split
    as evenly as possible between arms. ``X`` (n, 2) float64, ``y`` (n,) int64 in ``0 .. n_classes-1``.
    """
    rng = np.random.default_rng(seed)
    parts_X: list[FloatArray] = []
    parts_y: list[IntArray] = []
    for c, count in enumerate(_split(n_samples, n_classes)):
        r = np.linspace(0.05, 1.0, count) if count > 1 else np.full(count, 0.5)
        theta = 2.0 * np.pi * (turns * r + c / n_classes)
        arm = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        parts_X.append(arm)
        parts_y.append(np.full(count, c, dtype=np.int64))
    X = np.concatenate(parts_X) if parts_X else np.empty((0, 2))
    y = np.concatenate(parts_y) if parts_y else np.empty(0, dtype=np.int64)
    if noise > 0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return _out(X, y)


def anisotropic(
    n_samples: int = 200,
    *,
    seed: int = 0,
    centers: int = 3,
    cluster_std: float = 1.0,
    transform: tuple[tuple[float, float], tuple[float, float]] = ANISOTROPIC_TRANSFORM,
) -> XY:
    """Gaussian blobs sheared by the linear map ``transform`` (``X @ transform``): elongated clusters.

    ``X`` (n, 2) float64, ``y`` (n,) int64 in ``0 .. centers - 1``.
    """
    X, y = make_blobs(n_samples=n_samples, n_features=2, centers=centers, cluster_std=cluster_std, random_state=seed)
    return _out(X @ np.asarray(transform, dtype=np.float64), y)


def varied_density(
    n_samples: int = 200, *, seed: int = 0, centers: int = 3, std_min: float = 0.5, std_max: float = 2.5
) -> XY:
    """Gaussian blobs whose standard deviations are evenly spaced from ``std_min`` to ``std_max``.

    Blob ``c`` has standard deviation ``linspace(std_min, std_max, centers)[c]``.
    ``X`` (n, 2) float64, ``y`` (n,) int64 in ``0 .. centers - 1``.
    """
    stds = np.linspace(std_min, std_max, centers)
    X, y = make_blobs(n_samples=n_samples, n_features=2, centers=centers, cluster_std=stds, random_state=seed)
    return _out(X, y)


def uniform(n_samples: int = 200, *, seed: int = 0, half_width: float = 1.0) -> XY:
    """Structureless noise: points uniform in the square ``[-half_width, half_width]^2``.

    ``X`` (n, 2) float64; ``y`` (n,) int64, all zeros (one class).
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-half_width, half_width, size=(n_samples, 2))
    return _out(X, np.zeros(n_samples, dtype=np.int64))
