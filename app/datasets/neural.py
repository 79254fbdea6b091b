"""Regression sets for the neural-network lab (the classification sets come from ``generators``).

Each returns ``(X, y)``: ``X`` float64 ``(n, 2)`` or ``(n, 1)``, ``y`` float64 ``(n,)`` real targets.
Randomness only from ``seed``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def plane(n_samples: int = 200, *, seed: int = 0, noise: float = 0.1) -> tuple[FloatArray, FloatArray]:
    """Points uniform in ``[-1, 1]²``; target ``(x₁ + x₂) / 2`` plus Gaussian ``noise`` (TensorFlow
    Playground's "plane"): a linear model fits it exactly."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = 0.5 * (X[:, 0] + X[:, 1]) + rng.normal(0.0, noise, size=n_samples)
    return X, y


def sine(
    n_samples: int = 200, *, seed: int = 0, noise: float = 0.1, periods: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """One input ``x₁`` uniform in ``[-π·periods, π·periods]``; target ``sin x₁`` plus Gaussian ``noise``.

    ``X`` is ``(n, 1)``: the curve is a 1-D regression (the ``sin x₁`` feature fits it in one neuron).
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-np.pi * periods, np.pi * periods, size=n_samples))
    y = np.sin(x) + rng.normal(0.0, noise, size=n_samples)
    return x[:, None], y
