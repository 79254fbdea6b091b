"""Figure of the gradient-descent lab: the MSE surface with each variant's path (the hero, left), the data
with the fitted lines and the loss curves (right). Paths and curves grow by ``"x-extend"`` (see optimization.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import DescentData
from app.views.keys import SYMBOLS, colour_bar, log_ticks, timeline, top_legend
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed

EXTEND = "x-extend"
SURFACE_SCALE = [[0.0, "#0b1f3a"], [0.25, "#23508e"], [0.5, "#4f8fc0"], [0.75, "#a9d0e6"], [1.0, "#f4f8fb"]]


class DescentDrawn(Protocol):
    """The params the gradient-descent view reads."""

    @property
    def variants(self) -> Sequence[str]: ...

    @property
    def scaling(self) -> str: ...

    @property
    def epochs(self) -> int: ...


def _plain(values: Any) -> list[float | None]:
    # 7 significant digits: float32 precision, a third of the bytes of a full repr.
    return [float(f"{v:.7g}") if np.isfinite(v) else None for v in np.asarray(values, dtype=float).ravel()]


class GradientDescentView:
    """Data + fitted lines (top left), loss per variant (bottom left), MSE contour with paths (right)."""

    def scene(self, inputs: DescentData, params: DescentDrawn) -> dict[str, Any]:
        X, y, grid, names = inputs.X, inputs.y, inputs.grid, inputs.feature_names
        V = len(params.variants)
        colours = [PALETTE[i % len(PALETTE)] for i in range(V)]
        n = grid["level"].shape[0]
        level = np.asarray(grid["level"])
        ticks = log_ticks(level[np.isfinite(level)] if np.isfinite(level).any() else np.zeros(1))
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "data",
                "x": typed(X[:, 0], "f4"),
                "y": typed(y, "f4"),
                "showlegend": True,
                "marker": {"size": 5, "color": MUTED},
                "hovertemplate": "(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "contour",
                "x": typed(grid["u"], "f4"),
                "y": typed(grid["v"], "f4"),
                "z": {**typed(grid["level"], "f4"), "shape": f"{n},{n}"},
                "xaxis": "x3",
                "yaxis": "y3",
                "colorscale": SURFACE_SCALE,
                "ncontours": 22,
                "showscale": True,  # log-spaced levels of MSE above its minimum; the ticks are that excess
                "colorbar": colour_bar(
                    "MSE above least squares", tickvals=ticks[0], ticktext=ticks[1], x=0.51, xanchor="left", len=1.0
                ),
                "line": {"width": 0.5, "color": "rgba(255,255,255,0.35)"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "least squares",
                "showlegend": True,
                "x": [float(grid["star"][0])],
                "y": [float(grid["star"][1])],
                "xaxis": "x3",
                "yaxis": "y3",
                "marker": {"symbol": "star", "size": 15, "color": "#F0E442", "line": {"width": 1, "color": INK}},
                "hovertemplate": "least squares (%{x:.4g}, %{y:.4g})<extra></extra>",
            },
        ]
        for name, colour in zip(params.variants, colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": False,
                    "x": [],
                    "y": [],
                    "line": {"color": colour, "width": 2.5},
                    "hovertemplate": f"{name}<extra></extra>",
                }
            )
        for name, colour in zip(params.variants, colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": False,
                    "x": [],
                    "y": [],
                    "xaxis": "x3",
                    "yaxis": "y3",
                    "line": {"color": colour, "width": 1.6},
                    "hovertemplate": f"{name}<extra></extra>",
                }
            )
        for name, colour in zip(params.variants, colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": False,
                    "x": [],
                    "y": [],
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "line": {"color": colour, "width": 2},
                    "hovertemplate": f"{name}: epoch %{{x:.3g}}, MSE %{{y:.4g}}<extra></extra>",
                }
            )
        for i, (name, colour) in enumerate(zip(params.variants, colours, strict=True)):
            # Where each variant is now, in its own shape (the text labels here collided): its legend entry.
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": True,
                    "x": [],
                    "y": [],
                    "xaxis": "x3",
                    "yaxis": "y3",
                    "line": {"color": colour, "width": 2},
                    "marker": {
                        "size": 11,
                        "symbol": SYMBOLS[i % len(SYMBOLS)],
                        "color": colour,
                        "line": {"width": 1.5, "color": "#ffffff"},
                    },
                    "hovertemplate": f"{name} (%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
                }
            )
        unit = "" if params.scaling == "none" else f" ({params.scaling}d)"
        plane = ("w", "b") if X.shape[1] == 1 else ("w₁", "w₂ (at b = b*)")
        # The MSE surface with the three paths is the hero (left); the data with the fitted lines and the loss
        # curves stack on the right.
        layout = base_layout(
            xaxis={"domain": [0.68, 1.0], "anchor": "y", "title": {"text": names[0] + unit}, "zeroline": False},
            yaxis={"domain": [0.6, 1.0], "anchor": "x", "title": {"text": "y"}, "zeroline": False},
            xaxis2={"domain": [0.68, 1.0], "anchor": "y2", "title": {"text": "epoch"}, "range": [0, params.epochs]},
            yaxis2={
                "domain": [0.0, 0.4],
                "anchor": "x2",
                "type": "log",
                "title": {"text": "MSE (log scale)"},
                "exponentformat": "power",
                "gridcolor": "#e4e7eb",
            },
            xaxis3={
                "domain": [0.0, 0.5],
                "anchor": "y3",
                "title": {"text": plane[0]},
                "showgrid": False,
                "range": [float(grid["u"][0]), float(grid["u"][-1])],
            },
            yaxis3={
                "domain": [0.0, 1.0],
                "anchor": "x3",
                "title": {"text": plane[1]},
                "showgrid": False,
                "range": [float(grid["v"][0]), float(grid["v"][-1])],
            },
            margin={"l": 56, "r": 12, "t": 36, "b": 46},
            showlegend=True,
            legend=top_legend(),
        )
        return {"data": data, "layout": layout, "x-timeline": timeline("epoch", "epoch")}

    def render(self, frame: Frame, inputs: DescentData, params: DescentDrawn) -> dict[str, Any]:
        V = len(params.variants)
        xs = inputs.line_x  # (2,) the data panel's x range: where the engine evaluated each fitted line
        two = inputs.X.shape[1] == 2
        traces: list[dict[str, Any]] = [{} for _ in range(3 + 4 * V)]
        heads = []
        for j, (row, seg) in enumerate(zip(frame.state["variants"], frame.visual["segments"], strict=True)):
            w, b = np.asarray(row["w"]), float(row["b"])
            traces[3 + j] = {"x": _plain(xs), "y": _plain(frame.visual["lines"][j])}
            plane = seg[:, :2] if two else seg[:, [0, -1]]
            if len(plane):
                traces[3 + V + j] = {EXTEND: {"x": _plain(plane[:, 0]), "y": _plain(plane[:, 1])}}
            traces[3 + 2 * V + j] = {EXTEND: {"x": [round(frame.state["epoch"], 6)], "y": _plain([row["loss"]])}}
            heads.append(plane[-1] if len(plane) else (w[:2] if two else np.array([w[0], b])))
        for j, head in enumerate(heads):
            traces[3 + 3 * V + j] = {"x": _plain(head[:1]), "y": _plain(head[1:2])}
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: DescentData, params: DescentDrawn) -> list[dict[str, Any]]:
        return []
