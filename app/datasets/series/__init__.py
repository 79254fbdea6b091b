"""Real series shipped with Stepwise for the recurrent-network lab (no runtime dependency fetches them).

``sunspots.csv``: the yearly mean sunspot numbers 1700–2008 (309 values; public domain, NGDC), as statsmodels
ships them (``statsmodels.datasets.sunspots``); ``scripts/make_rnn_series.py`` regenerates the file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SERIES = {"sunspots": "sunspots.csv"}
"""Name → CSV file (a header row, then ``label,value`` rows)."""


@lru_cache(maxsize=4)
def _load(name: str) -> np.ndarray:
    rows = (HERE / SERIES[name]).read_text(encoding="utf-8").splitlines()[1:]
    values = np.array([float(row.split(",")[1]) for row in rows if row.strip()], dtype=np.float64)
    values.setflags(write=False)
    return values


def load_series(name: str) -> np.ndarray:
    """The named series' values in order, a fresh (n,) float64 array."""
    return _load(name).copy()


def series_length(name: str) -> int:
    return int(_load(name).size)
