"""Figures for the optimisation labs.

Paths and loss curves grow frame by frame without being resent: a partial trace's ``"x-extend"``
(``{"x": [...], "y": [...]}``) holds only the points this frame added, and the player draws frame i with
the extensions of frames 0..i appended to the scene's arrays (static/js/plot.js ``composeFigure``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import DescentData, RaceData
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed

EXTEND = "x-extend"
SURFACE_SCALE = [[0.0, "#0b1f3a"], [0.25, "#23508e"], [0.5, "#4f8fc0"], [0.75, "#a9d0e6"], [1.0, "#f4f8fb"]]


class RaceDrawn(Protocol):
    """The params the race view reads."""

    @property
    def steps(self) -> int: ...


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


def _arrows(origins: np.ndarray, tips: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of arrows origin → tip as one trace: [o, tip, NaN] per run (NaN = gap)."""
    pts = np.stack([origins, tips, np.full_like(origins, np.nan)], axis=1).reshape(-1, 2)  # (3R, 2)
    return pts[:, 0], pts[:, 1]


class RaceView:
    """Scene: the log-scaled contour, minima, start; frames: paths (extended), heads, arrows, loss curves."""

    def _layout(self, R: int) -> dict[str, int]:
        return {"paths": 3, "losses": 3 + R, "heads": 3 + 2 * R, "grad": 4 + 2 * R, "moment": 5 + 2 * R}

    def scene(self, inputs: RaceData, params: RaceDrawn) -> dict[str, Any]:
        surface, grid, runs = inputs.surface, inputs.grid, inputs.runs
        R = len(runs)
        colours = [PALETTE[i % len(PALETTE)] for i in range(R)]
        n = grid.level.shape[0]
        z = {**typed(grid.level, "f4"), "shape": f"{n},{n}"}
        data: list[dict[str, Any]] = [
            {
                "type": "contour",
                "x": typed(grid.xs, "f4"),
                "y": typed(grid.ys, "f4"),
                "z": z,
                "colorscale": SURFACE_SCALE,
                "ncontours": 24,
                "line": {"width": 0.5, "color": "rgba(255,255,255,0.35)"},
                "showscale": False,  # levels are log-spaced: darker = lower f (a colour bar crowded the loss panel)
                "hovertemplate": "(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "known minima",
                "x": [m[0] for m in surface.minima],
                "y": [m[1] for m in surface.minima],
                "marker": {"symbol": "star", "size": 15, "color": "#F0E442", "line": {"width": 1, "color": INK}},
                "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "start",
                "x": [inputs.start[0]],
                "y": [inputs.start[1]],
                "marker": {"symbol": "circle-open", "size": 14, "color": "#ffffff", "line": {"width": 2}},
                "hovertemplate": "start (%{x:.3g}, %{y:.3g})<extra></extra>",
            },
        ]
        for label, colour in zip((r.label for r in runs), colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "x": [],
                    "y": [],
                    "line": {"color": colour, "width": 2.2},
                    "hovertemplate": f"{label}<extra></extra>",
                }
            )
        for label, colour in zip((r.label for r in runs), colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "y": [],
                    "x0": 0,
                    "dx": 1,
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "line": {"color": colour, "width": 2},
                    "hovertemplate": f"{label}: step %{{x}}, loss %{{y:.4g}}<extra></extra>",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "now",
                "x": [],
                "y": [],
                "text": [r.label for r in runs],
                "textposition": "top center",
                "textfont": {"color": "#ffffff", "size": 12},
                "marker": {"size": 11, "color": colours, "line": {"width": 1.5, "color": "#ffffff"}},
                "hovertemplate": "%{text} (%{x:.4g}, %{y:.4g})<extra></extra>",
            }
        )
        sizes = typed(np.tile([0, 9, 0], R), "u1")
        point_colours = [c for c in colours for _ in range(3)]
        for name, dash in (("−gradient", "solid"), ("−momentum / first moment", "dot")):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "x": [],
                    "y": [],
                    "line": {"color": "#ffffff", "width": 1.6, "dash": dash},
                    "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": point_colours},
                    "hoverinfo": "skip",
                }
            )
        x0, x1, y0, y1 = surface.box
        log = grid.z.min() >= 0  # log loss axis only where f cannot go negative
        layout = base_layout(
            xaxis={
                "domain": [0.0, 0.58],
                "range": [x0, x1],
                "title": {"text": "x"},
                "zeroline": False,
                "showgrid": False,
            },
            yaxis={"range": [y0, y1], "title": {"text": "y"}, "zeroline": False, "showgrid": False},
            xaxis2={
                "domain": [0.72, 1.0],
                "anchor": "y2",
                "title": {"text": "step"},
                "gridcolor": "#e4e7eb",
                "range": [0, params.steps],
                "zeroline": False,
            },
            yaxis2={
                "anchor": "x2",
                "type": "log" if log else "linear",
                "title": {"text": "loss f"},
                "gridcolor": "#e4e7eb",
                "exponentformat": "power",
            },
            margin={"l": 52, "r": 12, "t": 28, "b": 46},
            annotations=[
                {
                    "text": surface.doc.split(":")[0],
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": 1.0,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 12, "color": MUTED},
                }
            ],
        )
        # A click on the surface moves the start (static/js/interactions/set-point.js).
        return {"data": data, "layout": layout, "x-interactions": [{"kind": "set-point", "param": "start"}]}

    def render(self, frame: Frame, inputs: RaceData, params: RaceDrawn) -> dict[str, Any]:
        R = len(inputs.runs)
        at = self._layout(R)
        v = frame.visual
        traces: list[dict[str, Any]] = [{} for _ in range(6 + 2 * R)]
        for j, (seg, losses) in enumerate(zip(v["segments"], v["loss_segments"], strict=True)):
            if len(seg):
                traces[at["paths"] + j] = {EXTEND: {"x": _plain(seg[:, 0]), "y": _plain(seg[:, 1])}}
                traces[at["losses"] + j] = {EXTEND: {"y": _plain(losses)}}
        heads = v["heads"]
        traces[at["heads"]] = {"x": typed(heads[:, 0], "f4"), "y": typed(heads[:, 1], "f4")}
        for key, tips in (("grad", v["grad_tips"]), ("moment", v["moment_tips"])):
            x, y = _arrows(heads, tips)
            traces[at[key]] = {"x": typed(x, "f4"), "y": typed(y, "f4")}
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: RaceData, params: RaceDrawn) -> list[dict[str, Any]]:
        return []


class GradientDescentView:
    """Data + fitted lines (top left), loss per variant (bottom left), MSE contour with paths (right)."""

    def scene(self, inputs: DescentData, params: DescentDrawn) -> dict[str, Any]:
        X, y, grid, names = inputs.X, inputs.y, inputs.grid, inputs.feature_names
        V = len(params.variants)
        colours = [PALETTE[i % len(PALETTE)] for i in range(V)]
        n = grid["level"].shape[0]
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "data",
                "x": typed(X[:, 0], "f4"),
                "y": typed(y, "f4"),
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
                "showscale": False,
                "line": {"width": 0.5, "color": "rgba(255,255,255,0.35)"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "least squares",
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
                    "x": [],
                    "y": [],
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "line": {"color": colour, "width": 2},
                    "hovertemplate": f"{name}: epoch %{{x:.3g}}, MSE %{{y:.4g}}<extra></extra>",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "now",
                "x": [],
                "y": [],
                "xaxis": "x3",
                "yaxis": "y3",
                "text": list(params.variants),
                "textposition": "top center",
                "textfont": {"color": "#ffffff", "size": 12},
                "marker": {"size": 10, "color": colours, "line": {"width": 1.5, "color": "#ffffff"}},
                "hoverinfo": "skip",
            }
        )
        unit = "" if params.scaling == "none" else f" ({params.scaling}d)"
        plane = ("w", "b") if X.shape[1] == 1 else ("w₁", "w₂ (at b = b*)")
        layout = base_layout(
            xaxis={"domain": [0.0, 0.4], "anchor": "y", "title": {"text": names[0] + unit}, "zeroline": False},
            yaxis={"domain": [0.58, 1.0], "anchor": "x", "title": {"text": "y"}, "zeroline": False},
            xaxis2={"domain": [0.0, 0.4], "anchor": "y2", "title": {"text": "epoch"}, "range": [0, params.epochs]},
            yaxis2={
                "domain": [0.0, 0.4],
                "anchor": "x2",
                "type": "log",
                "title": {"text": "MSE"},
                "exponentformat": "power",
                "gridcolor": "#e4e7eb",
            },
            xaxis3={
                "domain": [0.52, 1.0],
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
            margin={"l": 56, "r": 12, "t": 16, "b": 46},
        )
        return {"data": data, "layout": layout}

    def render(self, frame: Frame, inputs: DescentData, params: DescentDrawn) -> dict[str, Any]:
        V = len(params.variants)
        xs = inputs.line_x  # (2,) the data panel's x range: where the engine evaluated each fitted line
        two = inputs.X.shape[1] == 2
        traces: list[dict[str, Any]] = [{} for _ in range(4 + 3 * V)]
        heads = []
        for j, (row, seg) in enumerate(zip(frame.state["variants"], frame.visual["segments"], strict=True)):
            w, b = np.asarray(row["w"]), float(row["b"])
            traces[3 + j] = {"x": _plain(xs), "y": _plain(frame.visual["lines"][j])}
            plane = seg[:, :2] if two else seg[:, [0, -1]]
            if len(plane):
                traces[3 + V + j] = {EXTEND: {"x": _plain(plane[:, 0]), "y": _plain(plane[:, 1])}}
            traces[3 + 2 * V + j] = {EXTEND: {"x": [round(frame.state["epoch"], 6)], "y": _plain([row["loss"]])}}
            heads.append(plane[-1] if len(plane) else (w[:2] if two else np.array([w[0], b])))
        H = np.array(heads)
        traces[3 + 3 * V] = {"x": _plain(H[:, 0]), "y": _plain(H[:, 1])}
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: DescentData, params: DescentDrawn) -> list[dict[str, Any]]:
        return []
