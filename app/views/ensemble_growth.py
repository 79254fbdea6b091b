"""The figure of an ensemble growing member by member (bagging, random forest), composed on the boundary view.

The boundary view draws the vote of the members so far as the main plane (class shading, points, confusion,
colour bar); this module moves its plane left to make room for a small panel of the newest member's own
boundary (at a coarser grid: every ``panel_step``-th cell), sizes the training markers by how often that member
drew each row (0 = faded and small), and adds legend keys that say what a size means. Trace order: the boundary
view's traces, then ``panel`` (the member's map), then the size keys, then a lab's own traces.

Every patch sent for a trace or an axis is whole (the whole marker, the whole axis), so a frame reads the same
whether the player merges it deeply or key by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary import TRAIN, BoundaryView, class_bands
from app.views.inputs import BoundaryData
from app.views.keys import legend_entry
from app.views.markers import class_symbols
from app.views.theme import INK, MUTED, discrete_colorscale, typed

PLANE = (0.0, 0.6)
"""x domain of the main plane (narrower than the boundary view's: it shares the width with the member panel)."""
PANEL_X = (0.67, 0.835)
PANEL_Y = (0.5, 0.86)
"""Where the member panel sits: beside the plane, level with the confusion matrix."""
FADED = 0.3
"""Opacity of a training row the member did not draw."""
MIDDLING = 0.55
"""The confidence a member's own map is tinted with (its own class only, no average vote)."""


class EnsembleData(BoundaryData, Protocol):
    """The boundary data and the member panel's grid step."""

    @property
    def panel_step(self) -> int: ...


class Drawn(Protocol):
    """The params this view reads."""

    @property
    def grid_size(self) -> int: ...


def base_size(n: int) -> int:
    """The boundary view's marker size for n points."""
    return 9 if n <= 300 else 7 if n <= 1000 else 5


def draw_sizes(counts: np.ndarray, base: int) -> np.ndarray:
    """(t,) marker size per training row from how often it was drawn: 0 small, 1 the usual size, more larger."""
    c = np.asarray(counts, dtype=np.int64)
    return np.where(c == 0, max(base - 4, 3), base + 3 * np.clip(c - 1, 0, 2)).astype(np.uint8)


def panel_cells(grid_size: int, step: int) -> int:
    """Cells per axis of the member panel."""
    return int(np.arange(0, grid_size, step).size)


def panel_axes(inputs: EnsembleData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The member panel's x and y axes, whole."""
    lo, hi = inputs.box
    x_title, y_title = bl.axis_titles(inputs.feature_names)
    small = {"size": 9}
    common = {"showgrid": False, "zeroline": False, "fixedrange": True, "tickfont": small, "nticks": 3}
    x = {
        **common,
        "domain": list(PANEL_X),
        "anchor": "y3",
        "range": [float(lo[0]), float(hi[0])],
        "title": {"text": x_title, "font": small, "standoff": 0},
    }
    y = {
        **common,
        "domain": list(PANEL_Y),
        "anchor": "x3",
        "range": [float(lo[1]), float(hi[1])],
        "title": {"text": y_title, "font": small, "standoff": 0},
    }
    return x, y


def heading(text: str) -> dict[str, Any]:
    """The member panel's title, above it."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": sum(PANEL_X) / 2,
        "y": PANEL_Y[1] + 0.02,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 10, "color": INK},
    }


class EnsembleGrowthView:
    """``BoundaryView("probability")`` plus the member panel and the draw-count marker sizes.

    ``member``: what one member is called ("estimator", "tree"); ``timeline``: the scene's ``x-timeline``;
    ``phases``: its ``x-phases`` (frame kind → chapter title), or None for one chapter."""

    def __init__(self, member: str, timeline: dict[str, str | None], phases: dict[str, str] | None = None) -> None:
        self.member = member
        self.boundary = BoundaryView("probability", timeline=timeline)
        self.phases = phases

    # -- what a lab says --------------------------------------------------------------------------------------

    def size_keys(self, params: Any, size: int) -> list[dict[str, Any]]:
        """Legend keys for the training markers' size: drawn once, several times, not drawn."""
        return [
            legend_entry(f"drawn once by this {self.member}", colour=MUTED, size=size),
            legend_entry("drawn 3+ times", colour=MUTED, size=size + 6),
            legend_entry("not drawn (faded)", colour=MUTED, size=max(size - 4, 3)),
        ]

    def extra_traces(self, inputs: EnsembleData, params: Any) -> list[dict[str, Any]]:
        """A lab's own traces, after the panel and the size keys."""
        return []

    def extra_patches(self, frame: Frame, inputs: EnsembleData, params: Any) -> list[dict[str, Any]]:
        """Per frame, the patches of ``extra_traces`` (``[]``: all left as in the scene)."""
        return []

    def panel_heading(self, frame: Frame | None) -> str:
        """The member panel's title for ``frame`` (None: the scene's)."""
        return f"The newest {self.member}<br>alone"

    # -- scene ----------------------------------------------------------------------------------------------------

    def scene(self, inputs: EnsembleData, params: Drawn) -> dict[str, Any]:
        scene = self.boundary.scene(inputs, params)
        lo, hi = inputs.box
        g, step = int(params.grid_size), int(inputs.panel_step)
        keep = np.arange(0, g, step)
        n_classes = len(inputs.classes)
        levels, scale = class_bands(n_classes)
        panel = {
            "type": "heatmap",
            "xaxis": "x3",
            "yaxis": "y3",
            "x": typed(np.linspace(lo[0], hi[0], g)[keep], "f4"),
            "y": typed(np.linspace(lo[1], hi[1], g)[keep], "f4"),
            "z": [],
            "zmin": 0,
            "zmax": n_classes * levels - 1,
            "colorscale": scale,
            "zsmooth": False,
            "showscale": False,
            "showlegend": False,
            "hoverinfo": "skip",
            "name": f"this {self.member} alone",
        }
        size = base_size(inputs.X.shape[0])
        scene["data"] += [panel, *self.size_keys(params, size), *self.extra_traces(inputs, params)]
        layout = scene["layout"]
        layout["xaxis"]["domain"] = list(PLANE)
        layout["xaxis3"], layout["yaxis3"] = panel_axes(inputs)
        layout["annotations"] = [*layout["annotations"], heading(self.panel_heading(None))]
        if self.phases:
            scene["x-phases"] = dict(self.phases)
        scene["x-narrow"] = bl.narrow_side_column(scene["data"])  # the lab's own colour bars too
        return scene

    # -- frames ---------------------------------------------------------------------------------------------------

    def n_panel(self, inputs: EnsembleData) -> int:
        """Index of the panel trace (the first after the boundary view's)."""
        return self.boundary.n_scene_traces(inputs)

    def training_marker(self, inputs: EnsembleData, counts: np.ndarray | None) -> dict[str, Any]:
        """The training trace's whole marker, sized by ``counts`` (t,) (the usual size for None)."""
        y, train = inputs.y, inputs.split.train
        n_classes = len(inputs.classes)
        size = base_size(inputs.X.shape[0])
        marker: dict[str, Any] = {
            "size": size,
            "symbol": class_symbols(y[train]),
            "color": typed(y[train], "u1"),
            "colorscale": discrete_colorscale(n_classes),
            "cmin": -0.5,
            "cmax": n_classes - 0.5,
            "line": {"width": 1, "color": "#ffffff"},
        }
        if counts is not None:
            marker["size"] = typed(draw_sizes(counts, size), "u1")
            marker["opacity"] = typed(np.where(np.asarray(counts) > 0, 1.0, FADED), "f4")
        return marker

    def panel_patch(self, inputs: EnsembleData, params: Drawn, predicted: np.ndarray | None) -> dict[str, Any]:
        """The member panel: its class map (a middling tint: one member has no average vote), or hidden."""
        if predicted is None:
            return {"visible": False}
        levels, _ = class_bands(len(inputs.classes))
        side = panel_cells(int(params.grid_size), int(inputs.panel_step))
        z = np.asarray(predicted) * levels + round(MIDDLING * (levels - 1))
        return {"z": {**typed(z, "u1"), "shape": f"{side},{side}"}, "visible": True}

    def panel_map(self, frame: Frame, inputs: EnsembleData, params: Drawn) -> np.ndarray | None:
        """(p²,) the class map the panel shows in ``frame``: the newest member's (None hides the panel)."""
        member = frame.visual.get("member_predicted")
        return None if member is None else np.asarray(member)

    def render(self, frame: Frame, inputs: EnsembleData, params: Drawn) -> dict[str, Any]:
        figure = self.boundary.render(frame, inputs, params)
        data: list[dict[str, Any]] = figure["data"]
        data += [{} for _ in range(self.n_panel(inputs) - len(data))]
        counts = frame.visual.get("sample_counts")
        data[TRAIN] = {"marker": self.training_marker(inputs, counts)}
        shown = self.panel_map(frame, inputs, params)
        data.append(self.panel_patch(inputs, params, shown))
        # The size keys only where the markers are sized by a member's draw (not on the whole-ensemble frames).
        data += [{"visible": counts is not None} for _ in self.size_keys(params, 9)]
        data += self.extra_patches(frame, inputs, params)
        held = "test" if inputs.split.test.size else "training"
        confusion = bl.layout(inputs.box, inputs.feature_names, held)["annotations"]
        x3, y3 = panel_axes(inputs)
        x3["visible"] = y3["visible"] = shown is not None
        layout = {
            "xaxis3": x3,
            "yaxis3": y3,
            "annotations": [*confusion, heading(self.panel_heading(frame) if shown is not None else "")],
        }
        return {"data": data, "layout": layout}

    def panels(self, result: Mapping[str, Any], inputs: EnsembleData, params: Drawn) -> list[dict[str, Any]]:
        return []
