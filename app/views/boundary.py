"""The one decision-boundary figure the four labs share (layout and keys: boundary_layout.py; result panels:
boundary_panels.py and kernel.py).

Main figure: the class-coloured boundary shading over the whole plane (probability as tint, or the SVM
decision function with its 0 and ±1 contours), each class in its own marker shape, training points filled,
test points hollow, misclassified ones crossed; on the right the confusion matrix of the current frame over
the shading's colour bar. The points go once in the scene; a frame carries the grid as one byte per cell
(class and confidence packed together) and the few things that moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary_panels import accuracy_by_k, errors_per_epoch
from app.views.inputs import BoundaryData
from app.views.kernel import kernel_panel
from app.views.markers import class_symbols
from app.views.theme import INK, MUTED, PALETTE, discrete_colorscale, typed

# Trace order of every boundary scene; lab-specific traces follow, then the legend keys.
HEAT, TRAIN, TEST, MISSED, CONFUSION = range(5)
EXTRA = 5
SVM_RANGE = bl.SVM_RANGE
TIMELINES: dict[str, dict[str, str | None]] = {
    "decision": {"key": "iteration", "title": "SMO step"},
    "class": {"key": None, "title": "update"},  # one frame per weight change (thinned past 200: each says so)
    "probability": {"key": "epoch", "title": "epoch"},
}
"""Each kind's ``x-timeline`` when the lab names none (kNN's frames step k: the lab passes that one)."""


class BoundaryDrawn(Protocol):
    """The params the boundary view reads."""

    @property
    def grid_size(self) -> int: ...


def _mix(colour: str, white: float) -> str:
    """``colour`` blended towards white by ``white`` in [0, 1], as an rgb() string."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "rgb({},{},{})".format(*(round(c + (255 - c) * white) for c in (r, g, b)))


def class_bands(n_classes: int) -> tuple[int, list[list[float | str]]]:
    """Levels per class and a colourscale where z = class·L + level runs from a pale to a stronger tint of
    the class colour (z from 0 to n_classes·L − 1)."""
    levels = 255 // n_classes
    top = n_classes * levels - 1
    scale: list[list[float | str]] = []
    for c in range(n_classes):
        colour = PALETTE[c % len(PALETTE)]
        scale.append([c * levels / top, _mix(colour, 0.9)])
        scale.append([(c * levels + levels - 1) / top, _mix(colour, 0.45)])
    return levels, scale


def _grid_z(values: np.ndarray, size: int, dtype: str = "u1") -> dict[str, str]:
    return {**typed(values, dtype), "shape": f"{size},{size}"}


def _xy(X: np.ndarray, rows: Any) -> dict[str, Any]:
    rows = np.asarray(rows, dtype=np.int64)
    return {"x": typed(X[rows, 0], "f4"), "y": typed(X[rows, 1], "f4")}


def _segment(segment: Any) -> dict[str, list[float | None]]:
    if segment is None:
        return {"x": [], "y": []}
    seg = np.asarray(segment)
    return {"x": [round(float(v), 6) for v in seg[:, 0]], "y": [round(float(v), 6) for v in seg[:, 1]]}


class BoundaryView:
    """``kind``: "probability" (logistic, knn), "class" (perceptron: no probability) or "decision" (svm);
    ``timeline``: the scene's ``x-timeline`` (``{"key", "title"}``; default: ``TIMELINES[kind]``)."""

    def __init__(
        self,
        kind: str,
        extras: tuple[str, ...] = (),
        interactions: tuple[dict[str, Any], ...] = (),
        timeline: Mapping[str, str | None] | None = None,
    ) -> None:
        self.kind = kind
        self.extras = extras  # "support" | "line_before" | "line_after" | "highlight"
        self.interactions = interactions  # the scene's x-interactions (static/js/interactions/<kind>.js)
        self.timeline = dict(timeline) if timeline is not None else None

    def _timeline(self, params: BoundaryDrawn) -> dict[str, str | None]:
        if self.timeline is not None:
            return dict(self.timeline)
        if self.kind == "probability" and hasattr(params, "k"):  # kNN, until its lab names its timeline
            return {"key": "k", "title": "k (neighbours voting)"}
        return dict(TIMELINES[self.kind])

    def scene(self, inputs: BoundaryData, params: BoundaryDrawn) -> dict[str, Any]:
        X, y, parts = inputs.X, inputs.y, inputs.split
        classes = list(inputs.classes)
        n_classes = len(classes)
        size = 9 if X.shape[0] <= 300 else 7 if X.shape[0] <= 1000 else 5
        lo, hi = inputs.box
        g = int(params.grid_size)
        xs, ys = np.linspace(lo[0], hi[0], g), np.linspace(lo[1], hi[1], g)
        heat: dict[str, Any] = {
            "x": typed(xs, "f4"),
            "y": typed(ys, "f4"),
            "z": [],
            "zmin": 0,
            "showscale": True,
            "hoverinfo": "skip",
            "showlegend": False,
        }
        if self.kind == "decision":
            q = bl.decision_level
            heat |= {
                "type": "contour",
                "zmax": 254,
                "colorscale": [[0, _mix(PALETTE[0], 0.35)], [0.5, "#ffffff"], [1, _mix(PALETTE[1], 0.35)]],
                "contours": {"coloring": "heatmap", "start": q(-1), "end": q(1), "size": q(0) - q(-1)},
                "line": {"color": INK, "width": 1.5},
                "colorbar": bl.decision_colorbar(),
                "name": "decision function f(x)",
            }
        else:
            levels, scale = class_bands(n_classes)
            heat |= {
                "type": "heatmap",
                "zmax": n_classes * levels - 1,
                "colorscale": scale,
                "zsmooth": False,
                "colorbar": bl.class_colorbar(classes, levels, confident := self.kind == "probability"),
                "name": "predicted class and confidence" if confident else "predicted class",
            }
        data: list[dict[str, Any]] = [heat]
        point_colour = {"colorscale": discrete_colorscale(n_classes), "cmin": -0.5, "cmax": n_classes - 0.5}
        hover = "point %{customdata}<br>(%{x:.3g}, %{y:.3g})<extra>%{fullData.name}</extra>"
        for name, rows, hollow in (("training points", parts.train, False), ("test points", parts.test, True)):
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    **_xy(X, rows),
                    "showlegend": False,
                    "customdata": typed(rows, "i4"),
                    "hovertemplate": hover,
                    "marker": {
                        "size": size,
                        "symbol": class_symbols(y[rows], hollow),
                        "color": typed(y[rows], "u1"),
                        **point_colour,
                        "line": {"width": 2} if hollow else {"width": 1, "color": "#ffffff"},
                    },
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "misclassified",
                "x": [],
                "y": [],
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": {"size": size + 3, "symbol": "x-thin", "color": INK, "line": {"width": 2, "color": INK}},
            }
        )
        data.append(
            {
                "type": "heatmap",
                "xaxis": "x2",
                "yaxis": "y2",
                "z": [],
                "x": classes,
                "y": classes,
                # The counts are written in the cells: the tint only repeats them, so it needs no colour bar.
                "colorscale": [[0, "#ffffff"], [1, _mix(PALETTE[0], 0.2)]],
                "showscale": False,
                "showlegend": False,
                "zmin": 0,
                "texttemplate": "%{z}",
                "textfont": {"size": 12},
                "xgap": 2,
                "ygap": 2,
                "hovertemplate": "true %{y}, predicted %{x}: %{z}<extra></extra>",
                "name": "confusion",
            }
        )
        for extra in self.extras:
            data.append(self._extra_trace(extra, size))
        data.extend(bl.legend_keys(classes, self.kind, self.extras, size))
        held = "test" if parts.test.size else "training"
        return {
            "data": data,
            "layout": bl.layout((lo, hi), inputs.feature_names, held),
            "x-interactions": [dict(d) for d in self.interactions],
            "x-timeline": self._timeline(params),
            "x-narrow": bl.narrow_side_column(data),
        }

    def n_scene_traces(self, inputs: BoundaryData) -> int:
        """How many traces ``scene`` draws: a composing view (trees, ensembles) appends its own after them and
        pads its ``render`` patches with ``{}`` up to this index."""
        return EXTRA + len(self.extras) + len(bl.legend_keys(list(inputs.classes), self.kind, self.extras, 9))

    def _extra_trace(self, extra: str, size: int) -> dict[str, Any]:
        """A lab's own trace; its legend entry is a key (``boundary_layout.legend_keys``)."""
        trace: dict[str, Any] = {"type": "scatter", "x": [], "y": [], "hoverinfo": "skip", "showlegend": False}
        if extra == "support":
            ring = {"size": size + 9, "symbol": "circle-open", "color": INK, "line": {"width": 1.5}}
            return trace | {"mode": "markers", "name": "support vectors", "marker": ring}
        if extra == "highlight":
            ring = {"size": size + 14, "symbol": "circle-open", "color": PALETTE[5], "line": {"width": 3}}
            return trace | {"mode": "markers", "name": "point being corrected", "marker": ring}
        before = extra == "line_before"
        return trace | {
            "mode": "lines",
            "name": "line before the update" if before else "decision boundary",
            "line": {
                "color": MUTED if before else INK,
                "width": 2 if before else 3,
                "dash": "dash" if before else "solid",
            },
        }

    def render(self, frame: Frame, inputs: BoundaryData, params: BoundaryDrawn) -> dict[str, Any]:
        X = inputs.X
        n_classes = len(inputs.classes)
        g = int(params.grid_size)
        traces: list[dict[str, Any]] = [{} for _ in range(EXTRA + len(self.extras))]
        visual = frame.visual
        if self.kind == "decision" and "decision" in visual:
            f = np.clip(visual["decision"], -SVM_RANGE, SVM_RANGE)
            traces[HEAT] = {"z": _grid_z(np.round((f + SVM_RANGE) / (2 * SVM_RANGE) * 254), g)}
        elif "predicted" in visual:
            levels, _ = class_bands(n_classes)
            if "probability" in visual:
                # Confidence above chance, 0 at 1/K, 1 at certainty: the tint deepens with it.
                conf = np.clip((visual["probability"] - 1 / n_classes) / (1 - 1 / n_classes), 0, 1)
            else:
                conf = np.full(visual["predicted"].shape, 0.55)
            traces[HEAT] = {"z": _grid_z(visual["predicted"] * levels + np.round(conf * (levels - 1)), g)}
        if "misclassified" in visual:
            traces[MISSED] = _xy(X, visual["misclassified"])
        if "confusion" in frame.state:
            traces[CONFUSION] = {"z": np.asarray(frame.state["confusion"]).tolist()}
        for offset, extra in enumerate(self.extras):
            j = EXTRA + offset
            if extra == "support" and "support_indices" in frame.state:
                traces[j] = _xy(X, frame.state["support_indices"])
            elif extra == "highlight":
                row = visual.get("highlight")
                traces[j] = {"x": [], "y": []} if row is None else _xy(X, [row])
            elif extra in ("line_before", "line_after"):
                traces[j] = _segment(visual.get(extra))
        return {"data": traces, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: BoundaryData, params: BoundaryDrawn) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if "accuracy_by_k" in result:
            out.append(accuracy_by_k(result["accuracy_by_k"], result.get("best_k")))
        if "errors_per_epoch" in result:
            out.append(errors_per_epoch(result["errors_per_epoch"]))
        if "feature_space" in result:
            out.append(kernel_panel(result, inputs.y))
        return out
