"""Figures for the optimisation labs.

Paths and loss curves grow frame by frame without being resent: a partial trace's ``"x-extend"``
(``{"x": [...], "y": [...]}``) holds only the points this frame added, and the player draws frame i with
the extensions of frames 0..i appended to the scene's arrays (static/js/plot.js ``composeFigure``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.descent import GradientDescentView  # re-exported: the lab imports both views from here
from app.views.inputs import RaceData
from app.views.keys import LEGEND_FONT, SYMBOLS, colour_bar, legend_entry, log_ticks, timeline
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed

EXTEND = "x-extend"
SURFACE_SCALE = [[0.0, "#0b1f3a"], [0.25, "#23508e"], [0.5, "#4f8fc0"], [0.75, "#a9d0e6"], [1.0, "#f4f8fb"]]


class RaceDrawn(Protocol):
    """The params the race view reads."""

    @property
    def steps(self) -> int: ...


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
        # contour, minima, start, R paths, R loss curves, R heads (one per optimiser: its legend entry), the
        # two arrow traces, then two legend-only keys of the arrows (drawn white on the surface, ink here).
        return {"paths": 3, "losses": 3 + R, "heads": 3 + 2 * R, "grad": 3 + 3 * R, "moment": 4 + 3 * R}

    def scene(self, inputs: RaceData, params: RaceDrawn) -> dict[str, Any]:
        surface, grid, runs = inputs.surface, inputs.grid, inputs.runs
        R = len(runs)
        colours = [PALETTE[i % len(PALETTE)] for i in range(R)]
        n = grid.level.shape[0]
        z = {**typed(grid.level, "f4"), "shape": f"{n},{n}"}
        finite = np.isfinite(grid.level)  # level = log10(f − min f + ε): the bar's ticks are f − min f
        ticks = log_ticks(grid.level[finite] if finite.any() else np.zeros(1))
        data: list[dict[str, Any]] = [
            {
                "type": "contour",
                "x": typed(grid.xs, "f4"),
                "y": typed(grid.ys, "f4"),
                "z": z,
                "colorscale": SURFACE_SCALE,
                "ncontours": 24,
                "line": {"width": 0.5, "color": "rgba(255,255,255,0.35)"},
                "showscale": True,  # levels are log-spaced: the bar's ticks are f itself (10⁻², 1, 10², ...)
                "colorbar": colour_bar(
                    "f − min f", tickvals=ticks[0], ticktext=ticks[1], x=0.57, xanchor="left", len=1.0, y=0.5
                ),
                "hovertemplate": "(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "minimum",
                "showlegend": True,
                "x": [m[0] for m in surface.minima],
                "y": [m[1] for m in surface.minima],
                "marker": {"symbol": "star", "size": 15, "color": "#F0E442", "line": {"width": 1, "color": INK}},
                "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "start",
                "showlegend": True,
                "x": [inputs.start[0]],
                "y": [inputs.start[1]],
                "marker": {
                    "symbol": "circle-open",
                    "size": 14,
                    "color": INK,
                    "line": {"width": 2.5, "color": "#ffffff"},
                },
                "hovertemplate": "start (%{x:.3g}, %{y:.3g})<extra></extra>",
            },
        ]
        for label, colour in zip((r.label for r in runs), colours, strict=True):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "legendgroup": label,
                    "showlegend": False,  # keyed by its head's entry (same colour, same group)
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
                    "legendgroup": label,
                    "showlegend": False,
                    "y": [],
                    "x0": 0,
                    "dx": 1,
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "line": {"color": colour, "width": 2},
                    "hovertemplate": f"{label}: step %{{x}}, loss %{{y:.4g}}<extra></extra>",
                }
            )
        for i, (label, colour) in enumerate(zip((r.label for r in runs), colours, strict=True)):
            # Its position now, in its own shape (the labels on the surface collided): the legend entry of the
            # optimiser's path and loss curve (line + shape).
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": label,
                    "legendgroup": label,
                    "showlegend": True,
                    "x": [],
                    "y": [],
                    "line": {"color": colour, "width": 2.2},
                    "marker": {
                        "size": 12,
                        "symbol": SYMBOLS[i % len(SYMBOLS)],
                        "color": colour,
                        "line": {"width": 1.5, "color": "#ffffff"},
                    },
                    "hovertemplate": f"{label} (%{{x:.4g}}, %{{y:.4g}})<extra></extra>",
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
                    "showlegend": False,
                    "hoverinfo": "skip",
                }
            )
        data.append(legend_entry("−gradient (white)", dash="solid"))
        data.append(legend_entry("−momentum (dotted)", dash="dot"))
        x0, x1, y0, y1 = surface.box
        log = grid.z.min() >= 0  # log loss axis only where f cannot go negative
        layout = base_layout(
            xaxis={
                "domain": [0.0, 0.56],
                "range": [x0, x1],
                "title": {"text": "x"},
                "zeroline": False,
                "showgrid": False,
            },
            yaxis={"range": [y0, y1], "title": {"text": "y"}, "zeroline": False, "showgrid": False},
            xaxis2={
                "domain": [0.74, 1.0],
                "anchor": "y2",
                "title": {"text": "step"},
                "gridcolor": "#e4e7eb",
                "range": [0, params.steps],
                "zeroline": False,
            },
            yaxis2={
                "anchor": "x2",
                "domain": [0.0, 0.5],
                "type": "log" if log else "linear",
                "title": {"text": "loss f (log scale)" if log else "loss f"},
                "gridcolor": "#e4e7eb",
                "exponentformat": "power",
            },
            margin={"l": 52, "r": 12, "t": 28, "b": 46},
            showlegend=True,
            # The key sits in the right column above the loss curves: it covers neither the surface nor a curve.
            legend={
                "x": 0.66,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "top",
                "font": {"size": LEGEND_FONT, "color": INK},
                "tracegroupgap": 0,
                "bgcolor": "rgba(255,255,255,0)",
            },
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
        return {
            "data": data,
            "layout": layout,
            "x-interactions": [{"kind": "set-point", "param": "start"}],
            "x-timeline": timeline("step", "step"),
        }

    def render(self, frame: Frame, inputs: RaceData, params: RaceDrawn) -> dict[str, Any]:
        R = len(inputs.runs)
        at = self._layout(R)
        v = frame.visual
        traces: list[dict[str, Any]] = [{} for _ in range(5 + 3 * R)]
        for j, (seg, losses) in enumerate(zip(v["segments"], v["loss_segments"], strict=True)):
            if len(seg):
                traces[at["paths"] + j] = {EXTEND: {"x": _plain(seg[:, 0]), "y": _plain(seg[:, 1])}}
                traces[at["losses"] + j] = {EXTEND: {"y": _plain(losses)}}
        heads = v["heads"]
        for j in range(R):
            traces[at["heads"] + j] = {"x": _plain(heads[j : j + 1, 0]), "y": _plain(heads[j : j + 1, 1])}
        for key, tips in (("grad", v["grad_tips"]), ("moment", v["moment_tips"])):
            x, y = _arrows(heads, tips)
            traces[at[key]] = {"x": typed(x, "f4"), "y": typed(y, "f4")}
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: RaceData, params: RaceDrawn) -> list[dict[str, Any]]:
        return []


__all__ = ["EXTEND", "SURFACE_SCALE", "GradientDescentView", "RaceView"]
