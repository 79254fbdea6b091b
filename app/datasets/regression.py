"""Seeded regression generators (float targets) for the gradient-descent lab.

Every function returns ``(X, y)``: ``X`` float64 (n, d), ``y`` float64 (n,). Randomness only from ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RegressionData:
    """``X`` (n, d) float64, ``y`` (n,) float64, ``d`` column names, and the spec's name (or "inline")."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    name: str


def line(n_samples: int = 200, *, noise: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One feature: x ~ U[−3, 3], y = 2x + 1 + N(0, noise²)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, n_samples)
    y = 2.0 * x + 1.0 + noise * rng.standard_normal(n_samples)
    return x[:, None].copy(), y


def two_scales(n_samples: int = 200, *, noise: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two features ~100× apart in scale: x₁ ~ U[0, 1], x₂ ~ U[0, 100]; y = 3x₁ + 0.05x₂ + 2 + N(0, noise²).

    Unscaled, the MSE valley is ~100² times steeper along w₂ than along w₁: batch GD must take tiny steps
    and then crawls along w₁ — the case for standardising.
    """
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(0.0, 1.0, n_samples), rng.uniform(0.0, 100.0, n_samples)])
    y = 3.0 * X[:, 0] + 0.05 * X[:, 1] + 2.0 + noise * rng.standard_normal(n_samples)
    return X, y


def sine(n_samples: int = 200, *, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One feature, a curve no line fits: x ~ U[−3, 3], y = 2·sin(1.5x) + N(0, noise²).

    The trees and boosting labs' regression data: a tree's piecewise-constant steps and boosting's residuals
    are visible on it, and a straight line (the gradient-descent lab) visibly underfits it.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3.0, 3.0, n_samples))
    y = 2.0 * np.sin(1.5 * x) + noise * rng.standard_normal(n_samples)
    return x[:, None].copy(), y
