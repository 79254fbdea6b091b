"""Keys for the optimisation, clustering and PCA figures: marker shapes by class, legend-only entries, colour
bars, axis ranges that hug the data, and the scene extras the player reads (``x-timeline``, ``x-phases``).

Colour is never the only carrier of meaning (issue 12): a class or cluster gets a shape from ``SYMBOLS`` as well
as a colour from the palette, and a trace drawn in a colour a legend cannot show (white arrows over a dark
surface) is keyed by a legend-only entry drawn in ink.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.views.theme import INK, typed

SYMBOLS: tuple[str, ...] = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "cross",
    "triangle-down",
    "pentagon",
    "hexagon",
    "triangle-left",
    "triangle-right",
    "hourglass",
    "bowtie",
)
"""Marker shapes of classes / clusters, in palette order (``star`` and ``x`` are kept for centroids, minima
and noise, so they never mean a class)."""

SYMBOL_CODES: tuple[int, ...] = (0, 1, 2, 5, 3, 6, 13, 14, 7, 8, 21, 20)
"""Plotly's numeric codes of ``SYMBOLS`` (a per-point symbol array goes out as a u1 typed array)."""

LEGEND_FONT = 12
TICK_FONT = 12  # ≥ 11 px: readable on a laptop and a projector


def symbol(i: int) -> str:
    return SYMBOLS[i % len(SYMBOLS)]


def symbol_codes(labels: Any) -> dict[str, str]:
    """Per-point marker shapes for integer labels (negative labels: noise, drawn as ``x``), as a typed array."""
    lab = np.asarray(labels, dtype=np.int64)
    table = np.array(SYMBOL_CODES, dtype=np.uint8)
    codes = np.where(lab >= 0, table[np.maximum(lab, 0) % len(table)], 4)  # 4: "x"
    return typed(codes.astype(np.uint8), "u1")


def legend_entry(
    name: str,
    *,
    colour: str = INK,
    symbol: str | None = None,
    dash: str | None = None,
    size: int = 10,
    group: str | None = None,
    axes: tuple[str, str] = ("x", "y"),
) -> dict[str, Any]:
    """A trace with no points that only shows in the legend: a marker (``symbol``) or a line (``dash``)."""
    trace: dict[str, Any] = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "name": name,
        "showlegend": True,
        "hoverinfo": "skip",
        "xaxis": axes[0],
        "yaxis": axes[1],
    }
    if dash is not None:
        trace |= {"mode": "lines", "line": {"color": colour, "width": 2, "dash": dash}}
    else:
        trace |= {
            "mode": "markers",
            "marker": {"symbol": symbol or "circle", "size": size, "color": colour, "line": {"width": 1, "color": INK}},
        }
    if group is not None:
        trace["legendgroup"] = group
    return trace


def top_legend(**overrides: Any) -> dict[str, Any]:
    """A one-row (wrapping) legend above the plot area, so it never covers data."""
    legend: dict[str, Any] = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
        "font": {"size": LEGEND_FONT, "color": INK},
        "bgcolor": "rgba(255,255,255,0)",
        "itemclick": "toggle",
        "itemdoubleclick": "toggleothers",
    }
    legend.update(overrides)
    return legend


def colour_bar(title: str, side: str = "right", **overrides: Any) -> dict[str, Any]:
    """A slim titled colour bar (Plotly ``colorbar``)."""
    bar: dict[str, Any] = {
        "title": {"text": title, "side": side, "font": {"size": LEGEND_FONT}},
        "thickness": 10,
        "len": 1.0,
        "outlinewidth": 0,
        "tickfont": {"size": 11},
    }
    bar.update(overrides)
    return bar


def hugging_range(values: Any, pad: float = 0.06) -> list[float]:
    """[lo, hi] of ``values`` widened by ``pad`` of their span on each side (a flat set gets ±0.5)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not v.size:
        return [-1.0, 1.0]
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo
    margin = span * pad if span > 0 else 0.5
    return [round(lo - margin, 6), round(hi + margin, 6)]


def log_ticks(level: np.ndarray, offset: float = 0.0) -> tuple[list[float], list[str]]:
    """Ticks of a colour scale over ``level`` = log10(value − offset): one per integer level, labelled with
    the value itself (10⁻², 1, 10², ...; plus the offset when it is not negligible)."""
    lo, hi = float(np.nanmin(level)), float(np.nanmax(level))
    first, last = int(np.ceil(lo)), int(np.floor(hi))
    step = max(1, (last - first) // 6 + 1)  # at most ~7 ticks
    vals = [float(k) for k in range(first, last + 1, step)]
    return vals, [_power_label(10.0**k + offset) for k in vals]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_label(value: float) -> str:
    if value > 0 and abs(np.log10(value) - round(np.log10(value))) < 1e-6:
        k = round(float(np.log10(value)))
        return "1" if k == 0 else "10" if k == 1 else "10" + str(k).translate(_SUPERSCRIPT)
    return f"{value:.3g}"


def timeline(key: str | None, title: str, *, log: bool = False, log_metrics: Sequence[str] = ()) -> dict[str, Any]:
    """The scene's ``x-timeline``: which frame.state number is a frame's position, and its axis title; ``log``
    draws the sparklines' x on a log scale (a strength swept over decades), ``log_metrics`` names the metrics
    whose y is (values spanning decades). Both are left out when unset (the player's defaults: linear)."""
    line: dict[str, Any] = {"key": key, "title": title}
    if log:
        line["log"] = True
    if log_metrics:
        line["log_metrics"] = list(log_metrics)
    return line
