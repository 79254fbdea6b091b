"""Where the boundary figure puts things, and its keys: the layout, the legend keys and the colour bars.

The stage (about 770×540 at 1440×900): the boundary plane fills the left ``MAIN`` of the plot width and its
whole height, its axes' range exactly the engine's grid extent (the data box plus a margin), so the shading
reaches every edge; no equal aspect (the grid is fixed by the data, the box by the screen: forcing one unit
on both axes would either squash the plane or leave unshaded bands). The right column holds the confusion
matrix above the shading's colour bar; the legend runs in rows above both, out of the data's way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from app.views.markers import class_symbol
from app.views.theme import GRID, INK, MUTED, PALETTE, base_layout

MAIN = (0.0, 0.8)
"""x domain of the boundary plane (fraction of the plot width)."""
SIDE = (0.865, 1.0)
"""x domain of the right column: confusion matrix, colour bar."""
SVM_RANGE = 2.0
"""The SVM decision function is drawn clipped to ±2: the margins (±1) sit at a quarter and three quarters."""
PRETTY = {"x1": "x₁", "x2": "x₂"}


def decision_level(f: float) -> float:
    """A decision value → its u1 level (±SVM_RANGE → 0 and 254)."""
    return (f + SVM_RANGE) / (2 * SVM_RANGE) * 254


def axis_titles(feature_names: Sequence[str]) -> tuple[str, str]:
    """The two axis titles: the dataset's column names, "x₁" and "x₂" for unnamed columns."""
    names = list(feature_names)[:2] or ["x1", "x2"]
    if len(names) < 2:
        names.append("x2")
    return PRETTY.get(names[0], names[0]), PRETTY.get(names[1], names[1])


def colorbar(title: str, tickvals: list[float], ticktext: list[str]) -> dict[str, Any]:
    """A horizontal colour bar at the foot of the right column."""
    return {
        "orientation": "h",
        "x": sum(SIDE) / 2,
        "xanchor": "center",
        "y": 0.04,
        "yanchor": "bottom",
        "len": SIDE[1] - SIDE[0],
        "thickness": 12,
        "outlinewidth": 0,
        "title": {"text": title, "side": "top", "font": {"size": 11}},
        "tickfont": {"size": 10},
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
    }


NARROW_PX = 560
"""Plots narrower than this (a phone) take the scene's ``x-narrow`` (static/js/narrow.js)."""
NARROW_LINE = 11
"""Characters per line of a colour bar's title on a phone: the right column is about 70 px wide there."""


def wrap_words(text: str, width: int) -> str:
    """``text`` (lines split by ``<br>``) re-wrapped to lines of at most ``width`` characters where words allow."""
    lines: list[str] = []
    for word in text.replace("<br>", " ").split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def narrow_side_column(data: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The scene's ``x-narrow`` for a phone: every colour bar's title in short lines, so that none runs past the
    figure's right edge (the bars sit in the narrow right column), and the confusion matrix a little shorter
    from below to leave those lines room."""
    patches: dict[str, Any] = {}
    for j, trace in enumerate(data):
        title = ((trace.get("colorbar") or {}).get("title") or {}).get("text")
        if title:
            patches[str(j)] = {"colorbar": {"title": {"text": wrap_words(title, NARROW_LINE), "font": {"size": 10}}}}
    return {"width": NARROW_PX, "data": patches, "layout": {"yaxis2": {"domain": [0.6, 0.86]}}}


def class_colorbar(classes: Sequence[str], levels: int, confidence: bool) -> dict[str, Any]:
    """The class-band shading's bar: a tick at the middle of each class's band, named by the class."""
    title = "predicted class<br>(paler: less sure)" if confidence else "predicted class"
    return colorbar(title, [c * levels + (levels - 1) / 2 for c in range(len(classes))], [str(c) for c in classes])


def decision_colorbar() -> dict[str, Any]:
    ticks = [-1.0, 0.0, 1.0]
    return colorbar("decision f(x)<br>(clipped at ±2)", [decision_level(f) for f in ticks], ["−1", "0", "+1"])


def _key(name: str, marker: dict[str, Any], size: int) -> dict[str, Any]:
    """A legend-only trace: one invisible point (Plotly hides traces without data from the legend, and the
    real traces colour each point by its class, which a legend swatch cannot show)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [None],
        "y": [None],
        "hoverinfo": "skip",
        "marker": {"size": size, **marker},
    }


def _line_key(name: str, line: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [None],
        "y": [None],
        "hoverinfo": "skip",
        "line": line,
    }


def legend_keys(classes: Sequence[str], kind: str, extras: tuple[str, ...], size: int) -> list[dict[str, Any]]:
    """The legend: each class (its shape and colour), training vs test, misclassified, and the lab's extras."""
    out = [
        _key(f"class {name}", {"symbol": class_symbol(c), "color": PALETTE[c % len(PALETTE)]}, size)
        for c, name in enumerate(classes)
    ]
    out += [
        _key("training (filled)", {"symbol": "circle", "color": MUTED}, size),
        _key("test (hollow)", {"symbol": "circle-open", "color": MUTED, "line": {"width": 2}}, size),
        _key("misclassified", {"symbol": "x-thin", "color": INK, "line": {"width": 2, "color": INK}}, size),
    ]
    if "support" in extras:
        out.append(_key("support vector", {"symbol": "circle-open", "color": INK, "line": {"width": 1.5}}, size))
    if "highlight" in extras:
        marker = {"symbol": "circle-open", "color": PALETTE[5], "line": {"width": 3}}
        out.append(_key("point being corrected", marker, size))
    if "line_after" in extras:
        out.append(_line_key("decision boundary", {"color": INK, "width": 3}))
    if "line_before" in extras:
        out.append(_line_key("line before the update", {"color": MUTED, "dash": "dash", "width": 2}))
    if kind == "decision":
        out.append(_line_key("boundary f = 0, margins ±1", {"color": INK, "width": 1.5}))
    return out


def layout(box: tuple[np.ndarray, np.ndarray], feature_names: Sequence[str], held: str) -> dict[str, Any]:
    """The figure's layout: ``box`` (lo, hi) is the grid's extent and becomes the axes' range."""
    lo, hi = box
    x_title, y_title = axis_titles(feature_names)
    small = {"size": 10}
    plane = {"gridcolor": GRID, "linecolor": MUTED, "zeroline": False, "fixedrange": False}
    cells = {"type": "category", "fixedrange": True, "tickfont": small, "showgrid": False}
    return base_layout(
        xaxis={**plane, "domain": list(MAIN), "title": {"text": x_title}, "range": [float(lo[0]), float(hi[0])]},
        yaxis={**plane, "title": {"text": y_title}, "range": [float(lo[1]), float(hi[1])]},
        xaxis2={
            **cells,
            "domain": list(SIDE),
            "anchor": "y2",
            "title": {"text": "predicted", "font": small, "standoff": 4},
            "side": "bottom",
        },
        yaxis2={
            **cells,
            "domain": [0.5, 0.86],
            "anchor": "x2",
            "title": {"text": "true", "font": small, "standoff": 2},
            "autorange": "reversed",
        },
        annotations=[
            {
                "text": f"Confusion<br>({held} set)",
                "xref": "paper",
                "yref": "paper",
                "x": sum(SIDE) / 2,
                "y": 0.88,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": INK},
            }
        ],
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 11},
            "bgcolor": "rgba(255,255,255,0)",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        margin={"l": 56, "r": 8, "t": 8, "b": 48},
    )
