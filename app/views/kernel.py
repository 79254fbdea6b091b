"""The SVM's kernel-trick panel: the points where the separator is flat, drawn from ``result.feature_space``.

Three pictures, one per kind of kernel (the engine decides which and computes every coordinate, line and plane):

* an explicit φ with 2 coordinates (linear, poly of degree 1): the points in φ-space with the boundary line and
  the two margin lines;
* an explicit φ with 3 or more coordinates (poly): a 3-D scatter of φ(x) (or, past 3, φ seen along w and the two
  directions the points spread most) with the separating plane;
* no drawable φ (rbf, sigmoid, poly with coef0 < 0): each point at (S₋, S₊), its weighted similarity to the two
  classes' support vectors, with the straight boundary S₊ − S₋ = ρ (what the SVM actually computes).

Each class has its own marker shape; training points wrongly classified carry a cross; test points are hollow.
The legend (in rows above the plot) names the classes, test points, crosses and lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from app.core.text import plural
from app.views.markers import OPEN, class_symbol, class_symbols, class_symbols_3d
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed

LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom", "font": {"size": 11}}


def _colours(y: np.ndarray) -> list[str]:
    return [PALETTE[int(c) % len(PALETTE)] for c in y]


def _keys(y: np.ndarray, kind: str) -> list[dict[str, Any]]:
    """Legend-only traces (one invisible point each): the classes' shapes, hollow test points, the cross."""
    third = {"z": [None]} if kind == "scatter3d" else {}
    scale = 0.5 if kind == "scatter3d" else 1.0

    def key(name: str, marker: dict[str, Any]) -> dict[str, Any]:
        return {"type": kind, "mode": "markers", "name": name, "x": [None], "y": [None], **third, "marker": marker}

    shapes = [
        key(f"class {c}", {"size": 9 * scale, "symbol": class_symbol(c), "color": PALETTE[c % len(PALETTE)]})
        for c in np.unique(y).tolist()
    ]
    cross = "x" if third else "x-thin"
    return [
        *shapes,
        key("test point (hollow)", {"size": 9 * scale, "symbol": "circle-open", "color": MUTED, "line": {"width": 2}}),
        key("wrong side", {"size": 9 * scale, "symbol": cross, "color": INK, "line": {"width": 2, "color": INK}}),
    ]


def _line(
    segment: Any, name: str, dash: str, xaxis: str = "x", yaxis: str = "y", legend: bool = True
) -> dict[str, Any]:
    seg = np.asarray(segment) if segment is not None else np.zeros((0, 2))
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "showlegend": legend,
        "x": seg[:, 0].tolist(),
        "y": seg[:, 1].tolist(),
        "line": {"color": INK if dash == "solid" else MUTED, "width": 2 if dash == "solid" else 1.5, "dash": dash},
        "hoverinfo": "skip",
        "xaxis": xaxis,
        "yaxis": yaxis,
    }


def _points_2d(
    P: np.ndarray, y: np.ndarray, test: np.ndarray, wrong: np.ndarray, names: list[str]
) -> list[dict[str, Any]]:
    symbols = (np.asarray(class_symbols(y)) + OPEN * np.isin(np.arange(y.size), test)).tolist()
    hover = f"{names[0]} %{{x:.3g}}<br>{names[1]} %{{y:.3g}}<extra>point %{{customdata}}</extra>"
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "points",
            "x": typed(P[:, 0], "f4"),
            "y": typed(P[:, 1], "f4"),
            "customdata": typed(np.arange(y.size), "i4"),
            "hovertemplate": hover,
            "showlegend": False,
            "marker": {"size": 6, "color": _colours(y), "symbol": symbols, "line": {"width": 1, "color": "#ffffff"}},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "wrong side",
            "showlegend": False,
            "x": typed(P[wrong, 0], "f4"),
            "y": typed(P[wrong, 1], "f4"),
            "hoverinfo": "skip",
            "marker": {"size": 9, "symbol": "x-thin", "color": INK, "line": {"width": 2, "color": INK}},
        },
    ]


def _flat(space: Mapping[str, Any], y: np.ndarray, test: np.ndarray, wrong: np.ndarray) -> dict[str, Any]:
    P, names, lines = np.asarray(space["coords"]), list(space["axes"]), space["lines"]
    data = [
        *_points_2d(P, y, test, wrong, names),
        _line(lines["boundary"], "boundary f = 0", "solid"),
        _line(lines["margin_low"], "margins f = ±1", "dash"),
        _line(lines["margin_high"], "margin f = +1", "dash", legend=False),
        *_keys(y, "scatter"),
    ]
    layout = base_layout(
        xaxis={"title": {"text": names[0]}, "zeroline": False},
        yaxis={"title": {"text": names[1]}, "zeroline": False},
        showlegend=True,
        legend=LEGEND,
    )
    return {"data": data, "layout": layout}


def _lifted(space: Mapping[str, Any], y: np.ndarray, test: np.ndarray, wrong: np.ndarray) -> dict[str, Any]:
    P, names = np.asarray(space["coords"]), list(space["axes"])
    symbols = class_symbols_3d(y, np.isin(np.arange(y.size), test))
    data: list[dict[str, Any]] = [
        {
            "type": "scatter3d",
            "mode": "markers",
            "name": "points",
            "x": typed(P[:, 0], "f4"),
            "y": typed(P[:, 1], "f4"),
            "z": typed(P[:, 2], "f4"),
            "customdata": typed(np.arange(y.size), "i4"),
            "marker": {"size": 3, "color": _colours(y), "symbol": symbols},
            "hovertemplate": "point %{customdata}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter3d",
            "mode": "markers",
            "name": "wrong side",
            "x": typed(P[wrong, 0], "f4"),
            "y": typed(P[wrong, 1], "f4"),
            "z": typed(P[wrong, 2], "f4"),
            "hoverinfo": "skip",
            "showlegend": False,
            "marker": {"size": 4, "symbol": "x", "color": INK},
        },
        *_keys(y, "scatter3d"),
    ]
    surface = space.get("surface")
    if surface is not None:
        data.append(
            {
                "type": "surface",
                "x": typed(np.asarray(surface["x"]), "f4"),
                "y": typed(np.asarray(surface["y"]), "f4"),
                "z": surface["z"],
                "opacity": 0.35,
                "showscale": False,
                "colorscale": [[0, MUTED], [1, MUTED]],
                "name": "plane w·φ + b = 0",
                "showlegend": True,
                "hoverinfo": "skip",
            }
        )
    axis = {"nticks": 4, "tickfont": {"size": 8}}
    title = {"font": {"size": 10}}
    scene = {
        "xaxis": {"title": {"text": names[0], **title}, **axis},
        "yaxis": {"title": {"text": names[1], **title}, **axis},
        "zaxis": {"title": {"text": names[2], **title}, **axis},
        "camera": {"eye": {"x": 1.8, "y": -1.8, "z": 0.9}},
        "aspectmode": "cube",
    }
    return {
        "data": data,
        "layout": base_layout(
            scene=scene, font={"size": 10}, showlegend=True, legend=LEGEND, margin={"l": 0, "r": 0, "t": 0, "b": 0}
        ),
    }


def _similarity(space: Mapping[str, Any], y: np.ndarray, test: np.ndarray, wrong: np.ndarray) -> dict[str, Any]:
    figure = _flat(space, y, test, wrong)
    figure["layout"]["yaxis"]["scaleanchor"] = "x"  # equal units: the boundary S₊ = S₋ + ρ runs at 45°
    return figure


def kernel_panel(result: Mapping[str, Any], y: np.ndarray) -> dict[str, Any]:
    """The panel ``{"id", "title", "caption", "figure"}`` for an SVM result (``caption``: the engine's words on
    what the kernel is and whether the flat separator really separates); ``y`` (n,) the class indices."""
    space = result["feature_space"]
    y, test = np.asarray(y), np.asarray(result["test_indices"], dtype=np.int64)
    wrong = np.asarray(space["wrong"], dtype=np.int64)
    if space["kind"] == "similarity":
        figure, title = _similarity(space, y, test, wrong), "Kernel trick: similarity to support vectors"
    elif len(space["axes"]) == 2:
        figure, title = _flat(space, y, test, wrong), "Kernel trick: the feature space φ(x)"
    else:
        figure, title = _lifted(space, y, test, wrong), f"Kernel trick: {space['dimension']}-D feature space φ(x)"
    verdict = (
        "the flat separator splits the training classes"
        if wrong.size == 0
        else f"{plural(wrong.size, 'training point')} on the wrong side"
    )
    return {"id": "kernel-trick", "title": f"{title} ({verdict})", "caption": str(space["caption"]), "figure": figure}
