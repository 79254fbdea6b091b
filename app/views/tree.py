"""The decision-tree figure: the plane with the tree's cuts, the scan of candidate cuts beside it, the tree drawing.

It composes the boundary view (classification: the partial tree's classes, tinted by the leaf's class share)
or the regression-fit view (regression: the step curve over 1 feature, the shaded fit over 2) and adds after
their traces:

* on the plane: the cuts made so far (thin), this frame's cut (thick, clipped to its node's region) and that
  region's outline;
* the scan panels, aligned with the plane's axes so a cut on the plane lines up with its peak: below the
  plane, the gain of every candidate threshold on the first feature (x shared with the plane); right of it,
  rotated, the second feature's (y shared). Each marks its best cut, and scikit-learn's split with a star;
* the tree drawing (``tree_diagram``) on the right, which in the depth chapter gives way to the chart of train
  and test score by max_depth.

Chapters: growing (split / level / leaf), pruning, depth sweep (``x-phases``). A frame sends the grid bytes
(the base views' encoding), the drawing's few dozen nodes, ≤ 81 scan points per feature and the layout keys
that change: each panel's axes are shown only in the chapter that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

import numpy as np

from app.core.frame import Frame
from app.views import tree_diagram
from app.views.boundary import BoundaryView
from app.views.inputs import BoundaryData
from app.views.keys import hugging_range
from app.views.regression_fit import RegressionData, RegressionFitView
from app.views.theme import GRID, INK, MUTED, typed
from app.views.tree_diagram import line_trace, marks_trace

PHASES = {"split": "Growing", "level": "Growing", "leaf": "Growing", "prune": "Pruning", "depth": "Depth sweep"}
TIMELINE = {"key": None, "title": "step"}
FOCUS = tree_diagram.FOCUS
CURVE = "#52606d"

# Domains (fractions of the plot area): the plane and its scans on the left, the drawing on the right.
PLANE_X, PLANE_Y = (0.0, 0.40), (0.34, 1.0)
SCAN1_Y = (0.0, 0.15)  # below the plane, x shared
SCAN2_X = (0.425, 0.5)  # right of the plane, y shared
RIGHT_X = (0.57, 1.0)
DIAGRAM_Y = (0.2, 0.93)
CURVE_X, CURVE_Y = (0.64, 1.0), (0.26, 0.9)
CONFUSION_X, CONFUSION_Y = (0.9, 1.0), (0.0, 0.13)
COLOUR_BAR = {
    "orientation": "h",
    "x": 0.69,
    "xanchor": "center",
    "y": 0.0,
    "yanchor": "bottom",
    "len": 0.24,
    "thickness": 12,
}
"""Where the shading's colour bar goes: under the drawing, left of the confusion matrix."""
NARROW_PX = 560
"""Plots narrower than this (a phone) take the scene's ``x-narrow`` layout: the panels stacked."""

# My traces, after the base view's: on the plane, the scans, the drawing, the depth chart.
CUTS, CUT, REGION, SCAN1, BEST1, SCAN2, BEST2, CHOSEN, EDGES, PRUNED, NODES, RING, TRAIN, TEST, AT, LIMIT = range(16)


class TreeDrawn(Protocol):
    """The params the tree view reads."""

    @property
    def task(self) -> str: ...

    @property
    def grid_size(self) -> int: ...

    @property
    def criterion_used(self) -> str: ...


def _title(text: str, axis: str, y: float) -> dict[str, Any]:
    """A panel's heading at the top left of ``axis``'s domain (so a layout that moves the panel moves it too)."""
    return {
        "text": text,
        "borderwidth": 0,
        "xref": f"{axis} domain",
        "yref": f"y{axis[1:]} domain",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 12, "color": INK},
    }


def _axis(title: str, visible: bool, **extra: Any) -> dict[str, Any]:
    small = {"size": 11}
    return {
        "title": {"text": title, "font": small, "standoff": 2},
        "tickfont": small,
        "gridcolor": GRID,
        "linecolor": MUTED,
        "zeroline": False,
        "visible": visible,
        "tickformat": "~g",  # 0.0004, not 400µ
        **extra,
    }


class TreeView:
    """The decision-tree lab's figure for both tasks (see the module docstring)."""

    def __init__(self) -> None:
        self.boundary = BoundaryView("probability", timeline=TIMELINE)
        self.fit = RegressionFitView(timeline=TIMELINE, phases=PHASES, domain=PLANE_X, y_domain=PLANE_Y)

    def _classify(self, params: TreeDrawn) -> bool:
        return params.task == "classification"

    def _base_count(self, inputs: Any, params: TreeDrawn) -> int:
        if self._classify(params):
            return self.boundary.n_scene_traces(cast(BoundaryData, inputs))
        return self.fit.n_scene_traces(cast(RegressionData, inputs))

    def _names(self, inputs: Any) -> tuple[str, str]:
        names = list(inputs.feature_names)
        pretty = {"x1": "x₁", "x2": "x₂"}
        first = pretty.get(names[0], names[0]) if names else "x₁"
        second = pretty.get(names[1], names[1]) if len(names) > 1 else "x₂"
        return first, second

    def _scan_axes(self, inputs: Any, on: bool, ranges: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The two scan panels' axes in full (``on``: shown), as the scene sets them."""
        first, second = self._names(inputs)
        two = inputs.X.shape[1] == 2
        gains = ranges or {}
        return {
            "xaxis3": _axis(f"threshold on {first}", on, domain=list(PLANE_X), anchor="y3", matches="x"),
            "yaxis3": _axis("gain", on, domain=list(SCAN1_Y), anchor="x3", range=gains.get("gain1", [0, 1]), nticks=3),
            "xaxis4": _axis(
                "gain", on and two, domain=list(SCAN2_X), anchor="y4", range=gains.get("gain2", [0, 1]), nticks=2
            ),
            "yaxis4": _axis(
                f"threshold on {second}",
                on and two,
                domain=list(PLANE_Y),
                anchor="x4",
                matches="y",
                showticklabels=False,
                side="right",
            ),
        }

    def _scan_patch(self, inputs: Any, on: bool, ranges: Mapping[str, Any]) -> dict[str, Any]:
        """What a frame changes of the scan axes: shown or not, and the gain ranges (merged onto the scene's)."""
        two = inputs.X.shape[1] == 2
        out: dict[str, Any] = {
            "xaxis3": {"visible": on},
            "yaxis3": {"visible": on},
            "xaxis4": {"visible": on and two},
            "yaxis4": {"visible": on and two},
        }
        if "gain1" in ranges:
            out["yaxis3"]["range"] = ranges["gain1"]
        if "gain2" in ranges:
            out["xaxis4"]["range"] = ranges["gain2"]
        return out

    def scene(self, inputs: Any, params: TreeDrawn) -> dict[str, Any]:
        classify = self._classify(params)
        base = (
            self.boundary.scene(cast(BoundaryData, inputs), params)
            if classify
            else self.fit.scene(cast(RegressionData, inputs), params)
        )
        data: list[dict[str, Any]] = list(base["data"])
        plane = ("x", "y")
        first, second = self._names(inputs)
        data += [
            line_trace("cuts so far", plane, {"color": INK, "width": 1}, opacity=0.7),
            line_trace("this split's cut", plane, {"color": INK, "width": 3}),
            line_trace("node being split", plane, {"color": FOCUS, "width": 2, "dash": "dot"}, legendgroup="focus"),
            line_trace(f"gain of each cut on {first}", ("x3", "y3"), {"color": CURVE, "width": 2}, showlegend=False),
            marks_trace(
                "best cut per feature",
                ("x3", "y3"),
                {"symbol": "circle-open", "size": 9, "color": INK, "line": {"width": 2}},
                legendgroup="best",
                hoverinfo="skip",
            ),
            line_trace(f"gain of each cut on {second}", ("x4", "y4"), {"color": CURVE, "width": 2}, showlegend=False),
            marks_trace(
                "best cut per feature",
                ("x4", "y4"),
                {"symbol": "circle-open", "size": 9, "color": INK, "line": {"width": 2}},
                legendgroup="best",
                showlegend=False,
                hoverinfo="skip",
            ),
            marks_trace(
                "scikit-learn's split",
                ("x3", "y3"),
                {"symbol": "star", "size": 13, "color": FOCUS, "line": {"width": 1, "color": INK}},
                hoverinfo="skip",
            ),
            *tree_diagram.scene_traces(len(getattr(inputs, "classes", ()))),
        ]
        layout = self._layout(dict(base["layout"]), inputs, classify)
        if classify or inputs.X.shape[1] == 2:  # the shading's colour bar: under the drawing, out of its way
            bar = data[0]["colorbar"]
            data[0] = {**data[0], "colorbar": {**bar, **COLOUR_BAR, "title": {**bar["title"], "side": "top"}}}
        n0 = self._base_count(inputs, params)
        hidden = {"visible": False}
        narrow_data: dict[str, Any] = {str(n0 + j): hidden for j in (SCAN1, BEST1, SCAN2, BEST2, CHOSEN)}
        narrow_data["0"] = {"showscale": False}
        if classify:
            narrow_data[str(4)] = hidden  # the confusion matrix
        return {
            "data": data,
            "layout": layout,
            "x-interactions": list(base.get("x-interactions", [])),
            "x-timeline": dict(TIMELINE),
            "x-phases": dict(PHASES),
            # The node boxes are sized for the wide panel: on a phone the drawing keeps its marks (class shape and
            # colour, the ring on the node being split) and the boxes' words stay in the hover.
            "x-narrow": {
                "width": NARROW_PX,
                "layout": self._narrow_layout(classify),
                "data": narrow_data,
                "annotations_off": [tree_diagram.AXES[0]],
            },
        }

    def _layout(self, layout: dict[str, Any], inputs: Any, classify: bool) -> dict[str, Any]:
        """The base view's layout with its plane moved left, and the axes of the scans, drawing and depth chart."""
        layout["xaxis"] = {**layout["xaxis"], "domain": list(PLANE_X)}
        layout["yaxis"] = {**layout["yaxis"], "domain": list(PLANE_Y)}
        layout |= self._scan_axes(inputs, True)
        hidden = {"visible": False, "fixedrange": True}
        layout["xaxis5"] = {**hidden, "domain": list(RIGHT_X), "anchor": "y5"}
        bare = not classify and inputs.X.shape[1] == 1  # no confusion matrix or colour bar under the drawing
        tall = (0.03, DIAGRAM_Y[1]) if bare else DIAGRAM_Y
        layout["yaxis5"] = {**hidden, "domain": list(tall), "anchor": "x5"}
        score = "accuracy" if classify else "mean squared error"
        layout["xaxis6"] = _axis("max depth", False, domain=list(CURVE_X), anchor="y6", dtick=1)
        layout["yaxis6"] = _axis(score, False, domain=list(CURVE_Y), anchor="x6")
        if classify:
            small = {"size": 10}
            layout["xaxis2"] = {
                **layout["xaxis2"],
                "domain": list(CONFUSION_X),
                "title": {"text": "predicted", "font": small, "standoff": 2},
            }
            layout["yaxis2"] = {
                **layout["yaxis2"],
                "domain": list(CONFUSION_Y),
                "title": {"text": "test set:<br>true", "font": small, "standoff": 2},
            }
        layout["annotations"] = self._titles("split", classify)
        layout["plot_bgcolor"] = "rgba(0,0,0,0)"  # the panels overlap (drawing, depth chart): none may hide another
        layout["legend"] = {**layout.get("legend", {}), "font": {"size": 11}, "traceorder": "normal"}
        layout["margin"] = {"l": 52, "r": 8, "t": 8, "b": 44}
        return layout

    def _narrow_layout(self, classify: bool) -> dict[str, Any]:
        """Below NARROW_PX (a phone): the plane on top, the drawing (or depth chart) under it, full width; no
        scans, confusion matrix or colour bar (the legend names the classes; the caption has the scan's numbers)."""
        off = {"visible": False}
        layout: dict[str, Any] = {
            "xaxis": {"domain": [0.0, 1.0]},
            "yaxis": {"domain": [0.56, 1.0]},
            "xaxis3": off,
            "yaxis3": off,
            "xaxis4": off,
            "yaxis4": off,
            "xaxis5": {"domain": [0.0, 1.0]},
            "yaxis5": {"domain": [0.0, 0.3]},
            "xaxis6": {"domain": [0.14, 1.0]},
            "yaxis6": {"domain": [0.06, 0.28]},
            "legend": {"font": {"size": 10}},
        }
        if classify:
            layout |= {"xaxis2": off, "yaxis2": off}
        return layout

    def _titles(self, kind: str, classify: bool, ranges: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """The drawing's (or the depth chart's) heading, anchored to its axes' domain (it moves with them), and
        under the drawing the key to its small boxes (``ranges``: the drawing's, from ``tree_diagram.draw``)."""
        if kind == "depth":
            return [_title("Train and test score by max depth", "x6", 1.04)]
        heading = {"prune": "Pruning the unpruned tree (faded: cut away)"}.get(
            kind, "The tree so far (left branch: yes, ≤)"
        )
        out = [_title(heading, "x5", 1.01)]
        if ranges and "x" in ranges:
            # In the drawing's own x (as the boxes): a narrow layout that leaves the boxes out leaves it out too.
            deeper = f" · below depth {tree_diagram.MAX_LEVELS - 1}: not drawn" if ranges.get("truncated") else ""
            key = {
                **_title(f"small boxes: samples · {'class' if classify else 'y'}{deeper}", "x5", -0.01),
                "xref": tree_diagram.AXES[0],
                "x": ranges["x"][1],
                "xanchor": "right",
                "yanchor": "top",
                "font": {"size": 10, "color": INK},
            }
            out.append(key)
        return out

    def render(self, frame: Frame, inputs: Any, params: TreeDrawn) -> dict[str, Any]:
        classify = self._classify(params)
        if classify:
            base = self.boundary.render(frame, cast(BoundaryData, inputs), params)
        else:
            base = self.fit.render(frame, cast(RegressionData, inputs), params)
        n0 = self._base_count(inputs, params)
        traces = list(base["data"]) + [{} for _ in range(n0 - len(base["data"]))]
        mine: list[dict[str, Any]] = [{"x": [], "y": []} for _ in range(16)]
        visual, state = frame.visual, frame.state
        self._plane(mine, visual, inputs)
        scan_layout = self._scan(mine, state) if frame.kind == "split" else {}
        patches, boxes, ranges = tree_diagram.draw(
            visual.get("diagram"),
            inputs.feature_names,
            getattr(inputs, "classes", ()),
            params.task,
            params.criterion_used,
        )
        mine[EDGES], mine[PRUNED], mine[NODES], mine[RING] = patches
        curve = visual.get("depth_curve")
        if curve is not None:
            mine[TRAIN], mine[TEST], mine[AT], mine[LIMIT] = tree_diagram.depth_patches(curve)
        layout: dict[str, Any] = self._scan_patch(inputs, frame.kind == "split", scan_layout)
        layout["xaxis6"] = {"visible": curve is not None}
        layout["yaxis6"] = {"visible": curve is not None}
        if ranges:
            layout["xaxis5"] = {"range": ranges["x"]}
            layout["yaxis5"] = {"range": ranges["y"]}
        layout["annotations"] = self._titles(frame.kind, classify, ranges) + boxes
        return {"data": traces + mine, "layout": layout}

    def _plane(self, mine: list[dict[str, Any]], visual: Mapping[str, Any], inputs: Any) -> None:
        """The cuts so far, this frame's cut and its node's region, in the plane's coordinates."""
        one = inputs.X.shape[1] == 1
        y_span = hugging_range(inputs.y, pad=0.08) if one else None

        def segment(cut: Mapping[str, Any]) -> tuple[list[float], list[float]]:
            lo, hi, t = cut["lo"], cut["hi"], float(cut["threshold"])
            if one:
                return [t, t], list(y_span or [0, 1])
            if cut["feature"] == 0:
                return [t, t], [float(lo[1]), float(hi[1])]
            return [float(lo[0]), float(hi[0])], [t, t]

        def polyline(cuts: list[Mapping[str, Any]]) -> dict[str, list[float | None]]:
            """Segments in one trace, None between them (a level frame makes several cuts at once)."""
            xs: list[float | None] = []
            ys: list[float | None] = []
            for cut in cuts:
                a, b = segment(cut)
                xs += [*(round(v, 5) for v in a), None]
                ys += [*(round(v, 5) for v in b), None]
            return {"x": xs, "y": ys}

        mine[CUTS] = polyline(visual.get("cuts", []))
        mine[CUT] = polyline(visual.get("current", []))
        region = visual.get("region")
        if region is not None:
            lo, hi = region
            y0, y1 = (y_span or [0, 1]) if one else (float(lo[1]), float(hi[1]))
            x0, x1 = float(lo[0]), float(hi[0])
            mine[REGION] = {"x": [x0, x1, x1, x0, x0], "y": [y0, y0, y1, y1, y0]}

    def _scan(self, mine: list[dict[str, Any]], state: Mapping[str, Any]) -> dict[str, Any]:
        """The scan curves, their best cuts and the chosen split; returns the gain axes' ranges."""
        ranges: dict[str, Any] = {}
        for scan in state.get("scan", []):
            gains = np.asarray(scan["gains"], dtype=np.float64)
            top = float(gains.max()) if gains.size else 0.0
            span = [0.0, round(max(top, 1e-9) * 1.15, 6)]
            best = (scan["best_threshold"], scan["best_gain"])
            thresholds = typed(scan["thresholds"], "f4")
            gain = typed(gains, "f4")
            if scan["feature"] == 0:
                mine[SCAN1] = {"x": thresholds, "y": gain}
                mine[BEST1] = {"x": [best[0]], "y": [best[1]]} if best[0] is not None else {"x": [], "y": []}
                ranges["gain1"] = span
            else:
                mine[SCAN2] = {"x": gain, "y": thresholds}
                mine[BEST2] = {"x": [best[1]], "y": [best[0]]} if best[0] is not None else {"x": [], "y": []}
                ranges["gain2"] = span
        split = state.get("split")
        if split is not None:
            if split["feature"] == 0:
                mine[CHOSEN] = {"x": [split["threshold"]], "y": [split["gain"]], "xaxis": "x3", "yaxis": "y3"}
            else:
                mine[CHOSEN] = {"x": [split["gain"]], "y": [split["threshold"]], "xaxis": "x4", "yaxis": "y4"}
        return ranges

    def panels(self, result: Mapping[str, Any], inputs: Any, params: TreeDrawn) -> list[dict[str, Any]]:
        return []
