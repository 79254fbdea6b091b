"""Class markers that differ by shape as well as colour (colour is never the only carrier of a class).

Class c is drawn as ``CLASS_SYMBOLS[c]`` in ``PALETTE[c]``: filled for training points, the ``-open`` variant
for test points. Per-point symbols go out as Plotly's symbol numbers (a short int each, where a name would
cost ~15 bytes a point). None of these shapes is a cross: crosses mark misclassified points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

CLASS_SYMBOLS: tuple[str, ...] = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "pentagon",
    "hexagon",
    "star",
    "hourglass",
    "bowtie",
)
_NUMBERS = (0, 1, 2, 5, 6, 13, 14, 17, 25, 26)
"""Plotly's number of each name in ``CLASS_SYMBOLS``; its open variant is the number + 100."""
OPEN = 100

SYMBOLS_3D: tuple[str, ...] = ("circle", "square", "diamond")
"""The filled shapes scatter3d draws (it has these, their -open variants, cross and x)."""


def class_symbol(c: int, hollow: bool = False) -> str:
    """The symbol name of class ``c`` (cycling past ten classes)."""
    name = CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)]
    return f"{name}-open" if hollow else name


def class_symbols(y: Any, hollow: bool = False) -> list[int]:
    """(n,) class indices → n Plotly symbol numbers (the open variants when ``hollow``)."""
    numbers = np.asarray(_NUMBERS)[np.asarray(y, dtype=np.int64) % len(_NUMBERS)]
    codes: list[int] = (numbers + (OPEN if hollow else 0)).tolist()
    return codes


def class_symbols_3d(y: Any, hollow: Any) -> list[str]:
    """(n,) class indices and (n,) bool "hollow" → scatter3d symbol names (three shapes, then they repeat)."""
    codes = np.asarray(y, dtype=np.int64) % len(SYMBOLS_3D)
    flags = np.asarray(hollow, dtype=bool).tolist()
    return [SYMBOLS_3D[c] + ("-open" if h else "") for c, h in zip(codes.tolist(), flags, strict=True)]
