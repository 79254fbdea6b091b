"""The rnn lab's series and windows (NumPy only).

``generate`` draws a sine, a noisy sine, a sum of two sines or a square wave of ``length`` values (a random phase
from the data seed; noise for the noisy sine only). ``split`` cuts a series in time: the values before ``cut``
train, the rest test. ``windows`` slices every window of ``w`` values and what follows it: the next value
(forecast) and whether it rises above the window's last value (classify, the many-to-one task).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GENERATED = ("sine", "noisy_sine", "sum_of_sines", "square")
SECOND_PERIOD = 1 / 3.3
"""The sum of sines adds a sine of this share of the period (half the amplitude)."""


def generate(kind: str, length: int, period: float, noise: float, seed: int) -> np.ndarray:
    """(length,) float64 values of the generated series ``kind``."""
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype=np.float64)
    phase = float(rng.uniform(0, 2 * math.pi))
    base = np.sin(2 * math.pi * t / period + phase)
    if kind == "sum_of_sines":
        second = float(rng.uniform(0, 2 * math.pi))
        return base + 0.5 * np.sin(2 * math.pi * t / (period * SECOND_PERIOD) + second)
    if kind == "square":
        return np.where(base >= 0, 1.0, -1.0)
    if kind == "noisy_sine":
        return base + noise * rng.standard_normal(length)
    return base


@dataclass(frozen=True)
class Windows:
    """Every window of a standardised series and its targets, float32 for the nets."""

    X: np.ndarray  # (n, w, 1) float32 inputs
    next_value: np.ndarray  # (n,) float32 the value after each window
    rises: np.ndarray  # (n,) int64 1 if that value is above the window's last one, else 0
    target_index: np.ndarray  # (n,) int64 position of the value after each window in the series


def windows(z: np.ndarray, w: int, first_target: int, stop: int) -> Windows:
    """The windows whose following value sits at ``first_target .. stop − 1`` (each needs ``w`` values before)."""
    idx = np.arange(first_target, stop, dtype=np.int64)  # (n,)
    offsets = np.arange(-w, 0, dtype=np.int64)  # (w,)
    X = z[idx[:, None] + offsets[None, :]].astype(np.float32)[..., None]  # (n, w, 1)
    nxt = z[idx].astype(np.float32)
    rises = (z[idx] > z[idx - 1]).astype(np.int64)
    return Windows(X, nxt, rises, idx)
