"""Figures for the clustering labs: points coloured by cluster, centroids and their moves, the elbow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import Points
from app.views.keys import (
    colour_bar,
    hugging_range,
    legend_entry,
    symbol_codes,
    timeline,
    top_legend,
)
from app.views.theme import INK, MUTED, PALETTE, base_layout, discrete_colorscale, typed

# Trace order of the k-means scene; each frame's figure.data[i] is merged onto scene.data[i]. SHAPE_KEY is a
# legend-only entry saying what a point's colour and shape mean.
POINTS, CHANGED, MOVES, PREVIOUS, CENTROIDS, SHAPE_KEY = range(6)
PHASES = {"init": "Seeding", "assign": "Lloyd iterations", "update": "Lloyd iterations", "converged": "Converged"}
# Inside the plot's top-right corner (over a translucent card): a bar in the margin would resize the plot
# between the seeding frames and the rest.
WEIGHT_BAR = colour_bar(
    "D² weight",
    "top",
    tickvals=[0, 127.5, 255],
    ticktext=["0", "½ max", "max"],
    x=0.99,
    xanchor="right",
    y=0.98,
    yanchor="top",
    len=0.5,
    bgcolor="rgba(255,255,255,0.85)",
)
RING_LIMIT = 50
"""Ring changed points only while few change: past that the caption says how many, and rings would be
noise (and would push a 2,000-point frame past its 8 KB budget)."""

WEIGHT_SCALE = [[0.0, "#d9dde3"], [0.35, "#F0E442"], [1.0, "#D55E00"]]


class KMeansDrawn(Protocol):
    """The params the k-means view reads."""

    @property
    def k(self) -> int: ...


def _marker_size(n: int) -> int:
    return 9 if n <= 300 else 7 if n <= 1000 else 5


def _coords(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Only the first two columns are drawn (inline data may have more).
    return X[:, 0], X[:, 1] if X.shape[1] > 1 else np.zeros(X.shape[0])


def _round(values: np.ndarray) -> list[Any]:
    return [round(float(v), 6) for v in values]


class KMeansView:
    """Scene: the data points; frames: cluster colours, centroids, the old → new centroid moves."""

    def scene(self, inputs: Points, params: KMeansDrawn) -> dict[str, Any]:
        X = inputs.X
        names = inputs.feature_names or ("x₁", "x₂")
        x, y = _coords(X)
        size = _marker_size(X.shape[0])
        k = int(params.k)
        data = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "points",
                "showlegend": False,
                "x": typed(x, "f4"),
                "y": typed(y, "f4"),
                "marker": {
                    "size": size,
                    "color": MUTED,
                    "symbol": "circle",
                    "line": {"width": 0},
                    "colorscale": discrete_colorscale(k),
                    "cmin": -0.5,
                    "cmax": k - 0.5,
                },
                "hovertemplate": "point %{pointNumber}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "changed cluster",
                "showlegend": True,
                "x": [],
                "y": [],
                "marker": {"size": size + 8, "symbol": "circle-open", "color": INK, "line": {"width": 1.5}},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "centroid move",
                "showlegend": True,
                "x": [],
                "y": [],
                "line": {"color": INK, "width": 2, "dash": "dot"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "previous centroid",
                "showlegend": True,
                "x": [],
                "y": [],
                "marker": {"size": 14, "symbol": "circle-open", "color": INK, "line": {"width": 2}},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "centroid",
                "showlegend": True,
                "x": [],
                "y": [],
                # A star twice a point's size with a dark outline: never mistaken for one of its points.
                "marker": {"size": 24, "symbol": "star", "color": INK, "line": {"width": 2, "color": INK}},
                "hovertemplate": "centroid %{pointNumber}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            legend_entry("point (colour and shape: its cluster)", colour=MUTED, symbol="circle", size=9),
        ]
        # Clicks on the plot place the manual starting centres (static/js/interactions/place-points.js).
        interactions = [{"kind": "place-points", "param": "init", "count_param": "k"}]
        layout = base_layout(
            xaxis={"title": {"text": names[0]}, "zeroline": False, "range": hugging_range(x)},
            yaxis={"title": {"text": names[1] if len(names) > 1 else ""}, "zeroline": False, "range": hugging_range(y)},
            showlegend=True,
            legend=top_legend(),
            margin={"l": 56, "r": 16, "t": 40, "b": 48},
        )
        return {
            "data": data,
            "layout": layout,
            "x-interactions": interactions,
            "x-timeline": timeline(None, "step (k-means++ picks, then assign and update)"),
            "x-phases": PHASES,
        }

    def render(self, frame: Frame, inputs: Points, params: KMeansDrawn) -> dict[str, Any]:
        X = inputs.X
        state = frame.state
        C = np.asarray(state["centroids"])  # (j, d): j < k only during k-means++ picks
        traces: list[dict[str, Any]] = [{} for _ in range(6)]
        if frame.kind == "init" and "weights" in frame.visual:
            weights = np.asarray(frame.visual["weights"])
            level = np.round(255 * weights / max(float(weights.max()), 1e-300))  # (n,) 0..255
            traces[POINTS] = {
                "marker": {
                    "color": typed(level, "u1"),
                    "colorscale": WEIGHT_SCALE,
                    "cmin": 0,
                    "cmax": 255,
                    "showscale": True,
                    "colorbar": WEIGHT_BAR,
                }
            }
            picked = int(state["picked"])
            traces[CHANGED] = {
                "x": [float(X[picked, 0])],
                "y": [float(X[picked, 1 % X.shape[1]])],
                "name": "picked point",
            }
            traces[SHAPE_KEY] = {"name": "point (colour: its D² weight)", "marker": {"color": WEIGHT_SCALE[1][1]}}
        elif frame.kind != "init":
            traces[POINTS] = {
                "marker": {"color": typed(state["labels"], "u1"), "symbol": symbol_codes(state["labels"])}
            }
            traces[SHAPE_KEY] = {"marker": {"color": PALETTE[0]}}
        moved = state.get("changed", [])
        if 0 < len(moved) <= RING_LIMIT:
            x, y = _coords(X[np.asarray(moved)])
            traces[CHANGED] = {"x": typed(x, "f4"), "y": typed(y, "f4")}
        if frame.kind == "update":
            old = np.asarray(state["previous_centroids"])
            xs: list[float | None] = []
            ys: list[float | None] = []
            for (ox, oy), (nx, ny) in zip(old[:, :2], C[:, :2], strict=True):
                xs += [round(float(ox), 6), round(float(nx), 6), None]
                ys += [round(float(oy), 6), round(float(ny), 6), None]
            traces[MOVES] = {"x": xs, "y": ys}
            traces[PREVIOUS] = {"x": _round(old[:, 0]), "y": _round(old[:, 1 % old.shape[1]])}
        colours = [PALETTE[i % len(PALETTE)] for i in range(C.shape[0])]
        traces[CENTROIDS] = {"x": _round(C[:, 0]), "y": _round(C[:, 1 % C.shape[1]]), "marker": {"color": colours}}
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: Points, params: KMeansDrawn) -> list[dict[str, Any]]:
        elbow = result.get("elbow") or []
        if not elbow:
            return []
        ks = [row["k"] for row in elbow]
        wcss = [row["wcss"] for row in elbow]
        chosen = [row for row in elbow if row["k"] == params.k]
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "WCSS",
                "x": ks,
                "y": wcss,
                "line": {"color": PALETTE[0], "width": 2},
                "marker": {"size": 7, "color": PALETTE[0]},
                "hovertemplate": "k = %{x}<br>WCSS %{y:.4g}<extra></extra>",
            },
        ]
        annotations = []
        if chosen:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "chosen k",
                    "x": [chosen[0]["k"]],
                    "y": [chosen[0]["wcss"]],
                    "marker": {"size": 16, "color": PALETTE[1], "line": {"width": 2, "color": INK}},
                    "hovertemplate": "chosen k = %{x}<br>WCSS %{y:.4g}<extra></extra>",
                }
            )
            annotations.append(
                {
                    "x": chosen[0]["k"],
                    "y": chosen[0]["wcss"],
                    "text": f"k = {params.k}",
                    "showarrow": True,
                    "arrowhead": 0,
                    "ax": 30,
                    "ay": -30,
                }
            )
        layout = base_layout(
            xaxis={"title": {"text": "k (number of clusters)"}, "dtick": 1},
            yaxis={"title": {"text": "WCSS (within-cluster sum of squares)"}, "rangemode": "tozero"},
            annotations=annotations,
            margin={"l": 64, "r": 16, "t": 16, "b": 48},
        )
        return [{"id": "elbow", "title": "Elbow: WCSS by k", "figure": {"data": data, "layout": layout}}]
