"""Figures for the PCA lab: the data (raw → transformed → projected → reconstructed), the covariance heatmap,
the explained-variance bars. One figure: data on the left (``x``/``y``), covariance top right (``x2``/``y2``),
variance bottom right (``x3``/``y3``); the right-hand panels fill in as the steps reach them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import Points
from app.views.keys import (
    TICK_FONT,
    colour_bar,
    hugging_range,
    legend_entry,
    symbol,
    symbol_codes,
    timeline,
    top_legend,
)
from app.views.theme import INK, PALETTE, base_layout, discrete_colorscale, typed

ARROWS = 3
"""Principal axes drawn on the data: the first three of those the engine computes (``visual["axes"]``)."""
POINTS, GHOST, RESIDUALS = range(3)
AXES = tuple(range(3, 3 + ARROWS))
HEATMAP, BARS, CUMULATIVE = 3 + ARROWS, 4 + ARROWS, 5 + ARROWS
RESIDUAL_LIMIT = 300  # residual segments drawn for at most this many points
ANNOTATE_LIMIT = 8  # covariance values written in the cells up to d × d
LABEL_LIMIT = 16  # feature names on the heatmap's axes up to this many features
PHASES = {
    "raw": "Raw data",
    "standardize": "Centre and scale",
    "covariance": "Covariance",
    "eigenvectors": "Principal axes",
    "projection": "Projection",
    "variance": "Explained variance",
    "reconstruction": "Reconstruction",
}
DIVERGING = [[0.0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#f7f7f7"], [0.75, "#f4a582"], [1.0, "#b2182b"]]


class PCADrawn(Protocol):
    """The params the PCA view reads."""

    @property
    def n_components(self) -> int: ...

    @property
    def standardize(self) -> bool: ...


def _title(text: str, x: float, y: float) -> dict[str, Any]:
    return {
        "text": f"<b>{text}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13, "color": INK},
    }


def _short(name: str) -> str:
    return name if len(name) <= 22 else name[:20] + "…"


class PCAView:
    """Scene: empty traces and the three panels' axes; frames: points, arrows, heatmap and bars as they appear."""

    def scene(self, inputs: Points, params: PCADrawn) -> dict[str, Any]:
        X = inputs.X
        y = inputs.y
        n, d = X.shape
        names = tuple(inputs.feature_names or [f"x{i + 1}" for i in range(d)])
        classes = 0
        if y is not None and np.unique(y).size > 1:
            classes = int(y.max()) + 1
            colour: Any = typed(y, "u1")
            marker = {
                "color": colour,
                "symbol": symbol_codes(y),  # shape as well as colour carries the class
                "colorscale": discrete_colorscale(classes),
                "cmin": -0.5,
                "cmax": classes - 0.5,
            }
        else:
            marker = {"color": PALETTE[0]}
        size = 8 if n <= 300 else 5
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "samples",
                "showlegend": classes == 0,
                "x": [],
                "y": [],
                "marker": {**marker, "size": size, "opacity": 0.85, "line": {"width": 0}},
                "hovertemplate": "sample %{pointNumber}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "before reconstruction",
                "showlegend": True,
                "x": [],
                "y": [],
                "marker": {"size": size, "color": "rgba(154,165,177,0.35)", "line": {"width": 0}},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "residual",
                "showlegend": True,
                "x": [],
                "y": [],
                "line": {"color": "rgba(31,41,51,0.35)", "width": 1},
                "hoverinfo": "skip",
            },
        ]
        for a in range(ARROWS):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers+text",
                    "name": f"PC{a + 1}",
                    "showlegend": False,  # labelled on the plot, at the arrow's tip
                    "x": [],
                    "y": [],
                    "line": {"color": PALETTE[5 if a == 0 else (2, 7)[a - 1]], "width": 4 - a},
                    "marker": {
                        "size": [0, 9],
                        "symbol": "arrow",
                        "angleref": "previous",
                        "color": PALETTE[5 if a == 0 else (2, 7)[a - 1]],
                    },
                    "text": ["", f"PC{a + 1}"],
                    "textposition": "top center",
                    "textfont": {"size": 13, "color": INK},
                    "hoverinfo": "skip",
                }
            )
        labels = [_short(v) for v in names] if d <= LABEL_LIMIT else None
        data.append(
            {
                "type": "heatmap",
                "name": "covariance",
                "z": [],
                "xaxis": "x2",
                "yaxis": "y2",
                "colorscale": DIVERGING,
                "zmid": 0,
                "showscale": True,
                "colorbar": colour_bar(
                    "covariance", x=0.955, xanchor="left", len=0.5, y=1.0, yanchor="top", thickness=8
                ),
                "xgap": 1 if d <= 30 else 0,
                "ygap": 1 if d <= 30 else 0,
                "hovertemplate": "%{y} × %{x}<br>%{z:.3g}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "bar",
                "name": "share of variance (kept components blue)",
                "showlegend": False,
                "x": [],
                "y": [],
                "xaxis": "x3",
                "yaxis": "y3",
                "marker": {"color": []},
                "hovertemplate": "PC%{x}: %{y:.1%}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "cumulative share",
                "showlegend": False,
                "x": [],
                "y": [],
                "xaxis": "x3",
                "yaxis": "y3",
                "line": {"color": INK, "width": 2},
                "marker": {"size": 5, "color": INK},
                "hovertemplate": "first %{x}: %{y:.1%}<extra></extra>",
            }
        )
        heat_axis = {
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "tickfont": {"size": 11},
            "title": {"text": "feature", "font": {"size": 12}, "standoff": 2},
        }
        if labels is not None:
            heat_axis |= {"tickvals": list(range(d)), "ticktext": labels}
        else:
            heat_axis |= {"showticklabels": False}
        layout = base_layout(
            xaxis={
                "domain": [0.0, 0.5],
                "title": {"text": names[0]},
                "zeroline": True,
                "anchor": "y",
                "tickfont": {"size": TICK_FONT},
            },
            yaxis={
                "domain": [0.0, 1.0],
                "title": {"text": names[1] if d > 1 else ""},
                "zeroline": True,
                "anchor": "x",
                "tickfont": {"size": TICK_FONT},
            },
            xaxis2={
                **heat_axis,
                "domain": [0.68, 0.95],
                "anchor": "y2",
                "showticklabels": False,
                "title": {"text": "covariance matrix ZᵀZ / (n − 1)", "font": {"size": 12}, "standoff": 4},
            },
            yaxis2={**heat_axis, "domain": [0.5, 1.0], "anchor": "x2", "autorange": "reversed"},
            xaxis3={
                "domain": [0.68, 0.95],
                "anchor": "y3",
                "title": {"text": "principal component"},
                "fixedrange": True,
                "range": [0.4, min(d, 20) + 0.6],
                "dtick": 1 if d <= 10 else 5,
            },
            yaxis3={
                "domain": [0.0, 0.32],
                "anchor": "x3",
                "range": [0, 1.05],
                "tickformat": ".0%",
                "title": {"text": "share of variance"},
                "fixedrange": True,
                "gridcolor": "#eef1f5",
            },
            margin={"l": 56, "r": 16, "t": 36, "b": 44},
            showlegend=True,
            legend=top_legend(),
            annotations=[  # the data and the covariance say what they are in their axis titles
                _title("Explained variance", 0.56, 0.36),
            ],
        )
        for c in range(classes):  # one key per class: its colour and its shape
            data.append(legend_entry(f"class {c}", colour=PALETTE[c % len(PALETTE)], symbol=symbol(c), size=9))
        return {"data": data, "layout": layout, "x-timeline": timeline(None, "stage"), "x-phases": PHASES}

    def render(self, frame: Frame, inputs: Points, params: PCADrawn) -> dict[str, Any]:
        names = tuple(inputs.feature_names or ("x1", "x2"))
        d = inputs.X.shape[1]
        visual = frame.visual
        traces: list[dict[str, Any]] = [{} for _ in range(6 + ARROWS)]
        points = np.asarray(visual["points"])
        traces[POINTS] = {"x": typed(points[:, 0], "f4"), "y": typed(points[:, 1], "f4")}
        if "original" in visual:
            original = np.asarray(visual["original"])
            traces[GHOST] = {"x": typed(original[:, 0], "f4"), "y": typed(original[:, 1], "f4")}
            if points.shape[0] <= RESIDUAL_LIMIT:
                gap = np.full(points.shape[0], np.nan)
                traces[RESIDUALS] = {
                    "x": typed(np.column_stack([original[:, 0], points[:, 0], gap]).ravel(), "f4"),
                    "y": typed(np.column_stack([original[:, 1], points[:, 1], gap]).ravel(), "f4"),
                }
        for a, ends in enumerate(np.asarray(visual.get("axes", np.zeros((0, 2, 2))))[:ARROWS]):
            traces[AXES[a]] = {
                "x": [round(float(v), 5) for v in ends[:, 0]],
                "y": [round(float(v), 5) for v in ends[:, 1]],
            }
        if "covariance" in visual:
            C = np.asarray(visual["covariance"])
            heat: dict[str, Any] = {"z": {**typed(C, "f4"), "shape": f"{d}, {d}"}}
            if d <= ANNOTATE_LIMIT:
                heat |= {"texttemplate": "%{z:.2f}", "textfont": {"size": 11}}
            traces[HEATMAP] = heat
        if "ratio" in visual:
            ratio = np.asarray(visual["ratio"])[:20]  # (≤ 20,) the first components; the rest are slivers
            k = int(params.n_components)
            pcs = np.arange(1, ratio.size + 1)
            traces[BARS] = {
                "x": typed(pcs, "u1"),
                "y": typed(ratio, "f4"),
                "marker": {"color": [PALETTE[0] if i < k else "#bcc5cf" for i in range(ratio.size)]},
            }
            traces[CUMULATIVE] = {"x": typed(pcs, "u1"), "y": typed(np.cumsum(visual["ratio"])[:20], "f4")}
        if frame.kind in ("projection", "variance"):
            share = np.asarray(visual.get("ratio", frame.state.get("explained_variance_ratio", [])), dtype=float)

            def pc(i: int) -> str:
                return f"PC{i + 1} ({100 * share[i]:.1f} % of variance)" if i < share.size else f"PC{i + 1}"

            x_title, y_title = pc(0), pc(1) if params.n_components > 1 else ""
        else:
            suffix = "" if frame.kind == "raw" else " (z-score)" if params.standardize else " (centred)"
            x_title = _short(names[0]) + suffix
            y_title = (_short(names[1]) + suffix) if len(names) > 1 else ""
        # The ranges hug this frame's points (no aspect lock: it would shrink the plot to the data's shape).
        layout = {
            "xaxis": {"title": {"text": x_title}, "range": hugging_range(points[:, 0])},
            "yaxis": {"title": {"text": y_title}, "range": hugging_range(points[:, 1])},
        }
        return {"data": traces, "layout": layout}

    def panels(self, result: Mapping[str, Any], inputs: Points, params: PCADrawn) -> list[dict[str, Any]]:
        return []
