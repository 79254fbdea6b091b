"""Figures for the DBSCAN lab: points by kind, then by cluster as it grows; eps-circles; the k-distance plot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import Points
from app.views.keys import hugging_range, legend_entry, timeline, top_legend
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed

# Trace order: the points, the frontier rings, then legend-only keys of the three kinds (their shapes).
POINTS, FRONTIER, CORE_KEY, BORDER_KEY, NOISE_KEY = range(5)
KIND_SYMBOLS = {"core": 0, "border": 2, "noise": 4}  # Plotly codes: circle, diamond, x
KIND_NAMES = {"core": "core point", "border": "border point", "noise": "noise"}
PHASES = {
    "core": "Core, border and noise",
    "border": "Core, border and noise",
    "noise": "Core, border and noise",
    "expand": "Growing clusters",
    "reassign": "Border points to their nearest core",
    "done": "Result",
}
CIRCLE_LIMIT = 30  # eps-circles around at most this many frontier points (more would hide the points)

KIND_CODES = {"core": 1, "border": 2, "noise": 3}
KIND_COLOURS = (MUTED, PALETTE[0], PALETTE[4], PALETTE[5])
KIND_SCALE = [[edge, colour] for i, colour in enumerate(KIND_COLOURS) for edge in (i / 4, (i + 1) / 4)]
REVEALED = {"core": ("core",), "border": ("core", "border"), "noise": ("core", "border", "noise")}
UNASSIGNED = "#d9dde3"


class DBSCANDrawn(Protocol):
    """The params the DBSCAN view reads."""

    @property
    def eps(self) -> float: ...

    @property
    def min_samples(self) -> int: ...


def _ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ..."""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _sizes(n: int) -> tuple[int, int]:
    """Marker size of core points and of the others."""
    return (11, 7) if n <= 300 else (8, 5) if n <= 1500 else (5, 3)


def _cluster_scale(k: int) -> list[list[float | str]]:
    """Codes 0 (not yet reached), 1 (noise), 2 + c (cluster c) → colours, in equal steps."""
    colours = [UNASSIGNED, INK] + [PALETTE[c % len(PALETTE)] for c in range(k)]
    m = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale += [[i / m, colour], [(i + 1) / m, colour]]
    return scale


def _circle(x: float, y: float, r: float, colour: str, dash: str = "solid") -> dict[str, Any]:
    return {
        "type": "circle",
        "xref": "x",
        "yref": "y",
        "x0": x - r,
        "x1": x + r,
        "y0": y - r,
        "y1": y + r,
        "line": {"color": colour, "width": 1.5, "dash": dash},
        "fillcolor": "rgba(0,0,0,0)",
        "layer": "below",
    }


class DBSCANView:
    """Scene: the points and an empty frontier; frames: colours and sizes by kind or cluster, eps-circles."""

    def scene(self, inputs: Points, params: DBSCANDrawn) -> dict[str, Any]:
        X = inputs.X
        names = inputs.feature_names or ("x₁", "x₂")
        x, y = X[:, 0], X[:, 1] if X.shape[1] > 1 else np.zeros(X.shape[0])
        _, small = _sizes(X.shape[0])
        data = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "points",
                "showlegend": False,
                "x": typed(x, "f4"),
                "y": typed(y, "f4"),
                "marker": {
                    "size": small,
                    "color": MUTED,
                    "colorscale": KIND_SCALE,
                    "cmin": -0.5,
                    "cmax": 3.5,
                    "line": {"width": 0},
                },
                "hovertemplate": "point %{pointNumber}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "frontier (being expanded)",
                "showlegend": True,
                "x": [],
                "y": [],
                "marker": {"size": 16, "symbol": "circle-open", "color": INK, "line": {"width": 2}},
                "hoverinfo": "skip",
            },
        ]
        for kind in ("core", "border", "noise"):
            data.append(
                legend_entry(KIND_NAMES[kind], colour=MUTED, symbol=("circle", "diamond", "x")[KIND_CODES[kind] - 1])
            )
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
            "x-timeline": timeline(None, "step (finding kinds, then growing clusters)"),
            "x-phases": PHASES,
        }

    @staticmethod
    def _kind_shapes(kinds: np.ndarray) -> np.ndarray:
        """(n,) u1 Plotly symbol codes: circle for core, diamond for border, x for noise."""
        codes = np.full(kinds.size, KIND_SYMBOLS["noise"], dtype=np.uint8)
        codes[kinds == "core"] = KIND_SYMBOLS["core"]
        codes[kinds == "border"] = KIND_SYMBOLS["border"]
        return codes

    def render(self, frame: Frame, inputs: Points, params: DBSCANDrawn) -> dict[str, Any]:
        X = inputs.X
        draw_circles = X.shape[1] == 2  # an eps-ball is a circle only when the picture is the whole space
        kinds = np.asarray(frame.state["kinds"])
        core_size, small = _sizes(X.shape[0])
        sizes = np.where(kinds == "core", core_size, small).astype(np.uint8)
        traces: list[dict[str, Any]] = [{} for _ in range(5)]
        shapes: list[dict[str, Any]] = []
        symbols = self._kind_shapes(kinds)  # the shape keys a point's kind in every frame
        if frame.kind in REVEALED:
            codes = np.zeros(kinds.size, dtype=np.uint8)
            shown = np.zeros(kinds.size, dtype=bool)
            for kind in REVEALED[frame.kind]:
                codes[kinds == kind] = KIND_CODES[kind]
                shown |= kinds == kind
            # Not yet classified: a plain grey circle (its kind is the next frames' news).
            shape_codes = np.where(shown, symbols, 0).astype(np.uint8)
            traces[POINTS] = {
                "marker": {"color": typed(codes, "u1"), "size": typed(sizes, "u1"), "symbol": typed(shape_codes, "u1")}
            }
            for kind, at in (("core", CORE_KEY), ("border", BORDER_KEY), ("noise", NOISE_KEY)):
                if kind in REVEALED[frame.kind]:
                    traces[at] = {"marker": {"color": KIND_COLOURS[KIND_CODES[kind]]}}
            if draw_circles:
                colour = KIND_COLOURS[KIND_CODES[frame.kind]]
                shapes = [
                    _circle(float(X[i, 0]), float(X[i, 1]), params.eps, colour)
                    for i in np.asarray(frame.visual.get("circles", [])).tolist()
                ]
                traces[FRONTIER] = {
                    "x": [round(float(X[i, 0]), 5) for i in frame.visual.get("circles", [])],
                    "y": [round(float(X[i, 1]), 5) for i in frame.visual.get("circles", [])],
                    "marker": {"color": colour},
                }
            return {"data": traces, "layout": {"shapes": shapes}}
        labels = np.asarray(frame.state["labels"])
        k = int(labels.max()) + 1 if labels.size else 0
        codes = np.where(labels >= 0, labels + 2, 0).astype(np.uint16)
        if frame.kind == "done":
            codes[labels < 0] = 1  # whatever is still unreached at the end is noise
        for kind, at in (("core", CORE_KEY), ("border", BORDER_KEY), ("noise", NOISE_KEY)):
            traces[at] = {"name": f"{KIND_NAMES[kind]} (colour: its cluster)" if kind != "noise" else "noise"}
        traces[NOISE_KEY]["marker"] = {"color": INK}
        traces[POINTS] = {
            "marker": {
                "color": typed(codes, "u2"),
                "size": typed(sizes, "u1"),
                "symbol": typed(symbols, "u1"),
                "colorscale": _cluster_scale(k),
                "cmin": -0.5,
                "cmax": k + 1.5,
            }
        }
        frontier = np.asarray(frame.state["frontier"], dtype=np.int64)
        if frontier.size:
            fx, fy = X[frontier, 0], X[frontier, 1] if X.shape[1] > 1 else np.zeros(frontier.size)
            traces[FRONTIER] = {"x": typed(fx, "f4"), "y": typed(fy, "f4")}
            if draw_circles:
                shapes = [
                    _circle(float(X[i, 0]), float(X[i, 1]), params.eps, MUTED, "dot")
                    for i in frontier[:CIRCLE_LIMIT].tolist()
                ]
        return {"data": traces, "layout": {"shapes": shapes}}

    def panels(self, result: Mapping[str, Any], inputs: Points, params: DBSCANDrawn) -> list[dict[str, Any]]:
        kd = np.asarray(result.get("k_distances", []), dtype=np.float64)
        if not kd.size:
            return []
        n_core = int((kd <= params.eps).sum())
        data = [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "k-distance",
                "x": typed(np.arange(kd.size), "u4"),
                "y": typed(kd, "f4"),
                "line": {"color": PALETTE[0], "width": 2},
                "hovertemplate": "rank %{x}<br>distance %{y:.3g}<extra></extra>",
            },
        ]
        layout = base_layout(
            xaxis={"title": {"text": "point rank (largest k-distance first)"}},
            yaxis={
                "title": {"text": f"distance to the {_ordinal(params.min_samples)} nearest point"},
                "rangemode": "tozero",
            },
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": params.eps,
                    "y1": params.eps,
                    "line": {"color": PALETTE[5], "width": 2, "dash": "dash"},
                }
            ],
            annotations=[
                {
                    "xref": "paper",
                    "yref": "y",
                    "x": 1,
                    "y": params.eps,
                    "xanchor": "right",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 12},
                    "text": f"eps = {params.eps:g}: {n_core} core",
                }
            ],
            margin={"l": 52, "r": 12, "t": 12, "b": 44},
        )
        title = (
            f"k-distance (distance to the {_ordinal(params.min_samples)} nearest point, the point itself counted "
            "first): choose eps at the knee"
        )
        return [{"id": "k-distance", "title": title, "figure": {"data": data, "layout": layout}}]
