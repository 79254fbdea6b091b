"""The GAN lab's own real distributions: a ring of Gaussians and a noisy line segment (moons and the spiral are the
shared generators of ``app.datasets.generators``).

Each sampler is a pure function of its arguments and its data seed (``np.random.default_rng(seed)``), like every
dataset generator; it returns ``(X, y)`` with ``X`` (n, 2) float64 and ``y`` (n,) int64 (the ring: which mode a
point was drawn from; the line: zeros). ``ring_centres`` gives the modes the lab's coverage measure counts.

They live beside the lab's params (schemas may not import engines, and ``app/datasets`` is shared): the lab hands
the centres to the engine.
"""

from __future__ import annotations

import numpy as np


def ring_centres(modes: int, radius: float) -> np.ndarray:
    """(modes, 2) the centres, evenly spaced on the circle of ``radius``, the first on the positive x axis."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])


def ring(n_samples: int, *, modes: int, radius: float, std: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n_samples`` points: as equal a share per mode as ``n`` allows (mode order), each its centre plus
    N(0, std²) noise on both axes."""
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples, dtype=np.int64) % modes
    X = ring_centres(modes, radius)[y] + std * rng.standard_normal((n_samples, 2))
    return X, y


def segment(n_samples: int, *, length: float, angle: float, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n_samples`` points uniform along a segment of ``length`` through the origin at ``angle`` degrees, plus
    N(0, noise²) on both axes."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(-length / 2, length / 2, n_samples)
    a = np.deg2rad(angle)
    X = np.column_stack([t * np.cos(a), t * np.sin(a)]) + noise * rng.standard_normal((n_samples, 2))
    return X, np.zeros(n_samples, dtype=np.int64)
