"""AdaBoost's figure: the boundary figure of the ensemble so far, the training markers sized by their sample
weight, this round's tree (its cuts, the points it misclassifies ringed), and below the plane a strip of each
round's say α (bars) and weighted error ε (line) beside the guessing level 1 − 1/K.

Composed from ``BoundaryView`` (its traces first, unchanged; this view's after them): the shading is the
weighted vote (paler where the trees' say is split), the crosses are the ensemble's mistakes. The strip grows
by ``x-extend``: a frame sends only its own round's α and ε.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary import TRAIN, BoundaryView
from app.views.inputs import BoundaryData
from app.views.theme import GRID, INK, MUTED, PALETTE, typed

EXTEND = "x-extend"
STRIP = (0.0, 0.16)
"""y domain of the α / ε strip (fraction of the plot height); the plane takes ``PLANE``, the gap between them
holds the plane's x tick labels and title."""
PLANE = (0.33, 1.0)
COLOUR_BAR_Y = 0.2
"""The shading's colour bar moves up the right column, between the confusion matrix and the strip, so the
strip's right-hand (ε) axis title has the corner to itself."""
RING = PALETTE[5]  # vermillion: this round's tree's mistakes (rings) and their weight ε (the line)
SAY = PALETTE[4]
SMALLEST, LARGEST = 0.45, 3.0
"""Marker sizes by weight as multiples of the scene's size (at w = 1/N): area ∝ weight, clamped to these."""


class AdaBoostDrawn(Protocol):
    """The params the AdaBoost view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def n_estimators(self) -> int: ...


def point_size(n_points: int) -> int:
    """The boundary scene's marker size for ``n_points`` points (``BoundaryView.scene``'s rule)."""
    return 9 if n_points <= 300 else 7 if n_points <= 1000 else 5


def weight_sizes(weights: np.ndarray, base: int) -> np.ndarray:
    """(N,) marker sizes: ``base`` at w = 1/N, the area growing with the weight, within [SMALLEST, LARGEST]·base."""
    relative = np.sqrt(np.asarray(weights, dtype=np.float64) * weights.size)
    return np.clip(np.round(base * relative), round(SMALLEST * base), round(LARGEST * base))


def _segments(cuts: np.ndarray) -> dict[str, list[float | None]]:
    """(m, 2, 2) segments → one line trace's x and y, the segments apart (None between them)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (xa, ya), (xb, yb) in np.asarray(cuts, dtype=np.float64).reshape(-1, 2, 2).tolist():
        xs += [round(xa, 6), round(xb, 6), None]
        ys += [round(ya, 6), round(yb, 6), None]
    return {"x": xs[:-1], "y": ys[:-1]}


def _key(name: str, marker: dict[str, Any] | None = None, line: dict[str, Any] | None = None) -> dict[str, Any]:
    """A legend-only entry (one invisible point)."""
    trace: dict[str, Any] = {"type": "scatter", "name": name, "x": [None], "y": [None], "hoverinfo": "skip"}
    if line is not None:
        return trace | {"mode": "lines", "line": line}
    return trace | {"mode": "markers", "marker": marker or {}}


class AdaBoostView:
    """The boundary view with the weights, this round's tree and the α / ε strip."""

    def __init__(self) -> None:
        self.boundary = BoundaryView("probability", timeline={"key": "round", "title": "boosting round"})

    def _first(self, inputs: BoundaryData) -> int:
        """Index of this view's first trace (after every boundary trace)."""
        return self.boundary.n_scene_traces(inputs)

    def scene(self, inputs: BoundaryData, params: AdaBoostDrawn) -> dict[str, Any]:
        figure = self.boundary.scene(inputs, params)
        data: list[dict[str, Any]] = figure["data"]
        data[0]["colorbar"]["y"] = COLOUR_BAR_Y
        size = point_size(inputs.X.shape[0])
        rounds = int(params.n_estimators)
        guess = 1.0 - 1.0 / len(inputs.classes)
        empty = {"type": "scatter", "x": [], "y": [], "showlegend": False}
        strip = {"xaxis": "x3", "yaxis": "y3"}
        data += [
            empty | {"mode": "lines", "name": "cut", "hoverinfo": "skip", "line": {"color": INK, "width": 3}},
            empty
            | {
                "mode": "markers",
                "name": "tree's mistake",
                "hoverinfo": "skip",
                "marker": {"symbol": "circle-open", "color": RING, "size": size + 6, "line": {"width": 2.5}},
            },
            {
                "type": "bar",
                "name": "say α",
                "x": [],
                "y": [],
                **strip,
                "showlegend": False,
                "marker": {"color": SAY},
                "hovertemplate": "round %{x}: say α = %{y:.3f}<extra></extra>",
            },
            empty
            | {
                "mode": "lines+markers",
                "name": "weighted error ε",
                "xaxis": "x3",
                "yaxis": "y4",
                "line": {"color": RING, "width": 2},
                "marker": {"color": RING, "size": 5},
                "hovertemplate": "round %{x}: error ε = %{y:.3f}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "guessing: ε = 1 − 1/K",
                "x": [0.5, rounds + 0.5],
                "y": [guess, guess],
                "xaxis": "x3",
                "yaxis": "y4",
                "showlegend": False,
                "line": {"color": MUTED, "width": 1.5, "dash": "dot"},
                "hovertemplate": f"guessing among {len(inputs.classes)} classes: ε = {guess:.3f}<extra></extra>",
            },
            _key("this tree's cut", line={"color": INK, "width": 3}),
            _key(
                "tree's mistake",
                marker={"symbol": "circle-open", "color": RING, "size": size + 2, "line": {"width": 2.5}},
            ),
            _key("size = weight", marker={"symbol": "circle", "color": MUTED, "size": size + 4}),
        ]
        layout = figure["layout"]
        small = {"size": 10}
        layout["yaxis"]["domain"] = list(PLANE)
        layout["xaxis3"] = {
            "domain": list(bl.MAIN),
            "anchor": "y3",
            "range": [0.5, rounds + 0.5],
            "title": {"text": "boosting round", "font": small, "standoff": 2},
            "tickfont": small,
            "gridcolor": GRID,
            "zeroline": False,
            "fixedrange": True,
        }
        layout["yaxis3"] = {
            "domain": list(STRIP),
            "anchor": "x3",
            "rangemode": "tozero",
            "title": {"text": "α (bars)", "font": small},
            "tickfont": small,
            "gridcolor": GRID,
            "fixedrange": True,
        }
        layout["yaxis4"] = {
            "overlaying": "y3",
            "anchor": "x3",
            "side": "right",
            "range": [0.0, min(1.0, guess + 0.1)],
            "tickmode": "array",
            "tickvals": [0.0, round(guess / 2, 3), round(guess, 3)],
            "title": {"text": "ε (line)", "font": small},
            "tickfont": small,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        }
        layout["annotations"] = [
            *layout.get("annotations", []),
            {
                "text": "guessing",
                "xref": "x3",
                "yref": "y4",
                "x": rounds + 0.5,
                "y": guess,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 10, "color": INK},
            },
        ]
        return figure

    def render(self, frame: Frame, inputs: BoundaryData, params: AdaBoostDrawn) -> dict[str, Any]:
        patch = self.boundary.render(frame, inputs, params)
        first = self._first(inputs)
        traces: list[dict[str, Any]] = patch["data"] + [{} for _ in range(first - len(patch["data"]))]
        state = frame.state
        train = inputs.split.train
        sizes = weight_sizes(np.asarray(state["sample_weight"]), point_size(inputs.X.shape[0]))  # (N,)
        traces[TRAIN] = {"marker": {"size": typed(sizes, "u1")}}
        misses = np.asarray(state["misclassified_by_tree"], dtype=np.int64)  # dataset rows, all training rows
        at = np.searchsorted(train, misses)  # their places among the training rows (both sorted)
        rings = {
            "x": typed(inputs.X[misses, 0], "f4"),
            "y": typed(inputs.X[misses, 1], "f4"),
            "marker": {"size": typed(sizes[at] + 6, "u1")},
        }
        number = int(state["round"])
        traces += [
            _segments(frame.visual["cuts"]),
            rings,
            {EXTEND: {"x": [number], "y": [round(float(state["alpha"]), 6)]}},
            {EXTEND: {"x": [number], "y": [round(float(state["error"]), 6)]}},
        ]
        return {"data": traces, "layout": patch["layout"]}

    def panels(self, result: Mapping[str, Any], inputs: BoundaryData, params: AdaBoostDrawn) -> list[dict[str, Any]]:
        return []
