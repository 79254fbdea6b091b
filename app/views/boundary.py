"""The one decision-boundary figure the four labs share, and the result panels (SVM kernel panel: kernel.py).

Main figure (about 700×480): on the left the class-coloured boundary heatmap (probability as tint, or the SVM
decision function with its 0 and ±1 contours), training points filled, test points hollow, misclassified ones
crossed; on the right the confusion matrix of the current frame. The points go once in the scene; a frame
carries the grid as one byte per cell (class and confidence packed together) and the few things that moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import BoundaryData
from app.views.kernel import kernel_panel
from app.views.theme import INK, MUTED, PALETTE, base_layout, discrete_colorscale, typed

# Trace order of every boundary scene; lab-specific traces follow, then the legend keys.
HEAT, TRAIN, TEST, MISSED, CONFUSION = range(5)
EXTRA = 5
SVM_RANGE = 2.0
"""The SVM decision function is drawn clipped to ±2: the margins (±1) sit at a quarter and three quarters."""


class BoundaryDrawn(Protocol):
    """The params the boundary view reads."""

    @property
    def grid_size(self) -> int: ...


def _decision_level(f: float) -> float:
    """A decision value → its u1 level (±SVM_RANGE → 0 and 254)."""
    return (f + SVM_RANGE) / (2 * SVM_RANGE) * 254


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
    """``kind``: "probability" (logistic, knn), "class" (perceptron: no probability) or "decision" (svm)."""

    def __init__(self, kind: str, extras: tuple[str, ...] = (), interactions: tuple[dict[str, Any], ...] = ()) -> None:
        self.kind = kind
        self.extras = extras  # "support" | "line_before" | "line_after" | "highlight"
        self.interactions = interactions  # the scene's x-interactions (static/js/interactions/<kind>.js)

    def scene(self, inputs: BoundaryData, params: BoundaryDrawn) -> dict[str, Any]:
        X, y, parts = inputs.X, inputs.y, inputs.split
        classes = list(inputs.classes)
        n_classes = len(classes)
        size = 9 if X.shape[0] <= 300 else 7 if X.shape[0] <= 1000 else 5
        lo, hi = inputs.box
        g = int(params.grid_size)
        xs, ys = np.linspace(lo[0], hi[0], g), np.linspace(lo[1], hi[1], g)
        point_colour = {"colorscale": discrete_colorscale(n_classes), "cmin": -0.5, "cmax": n_classes - 0.5}
        hover = "point %{customdata}<br>(%{x:.3g}, %{y:.3g})<extra>%{fullData.name}</extra>"
        if self.kind == "decision":
            q = _decision_level
            heat: dict[str, Any] = {
                "type": "contour",
                "x": typed(xs, "f4"),
                "y": typed(ys, "f4"),
                "z": [],
                "zmin": 0,
                "zmax": 254,
                "colorscale": [[0, _mix(PALETTE[0], 0.35)], [0.5, "#ffffff"], [1, _mix(PALETTE[1], 0.35)]],
                "contours": {"coloring": "heatmap", "start": q(-1), "end": q(1), "size": q(0) - q(-1)},
                "line": {"color": INK, "width": 1.5},
                "showscale": False,
                "hoverinfo": "skip",
                "name": "f(x)",
            }
        else:
            _, scale = class_bands(n_classes)
            heat = {
                "type": "heatmap",
                "x": typed(xs, "f4"),
                "y": typed(ys, "f4"),
                "z": [],
                "zmin": 0,
                "zmax": n_classes * (255 // n_classes) - 1,
                "colorscale": scale,
                "zsmooth": False,
                "showscale": False,
                "hoverinfo": "skip",
                "name": "boundary",
            }
        data: list[dict[str, Any]] = [heat]
        for name, rows, symbol in (("train", parts.train, "circle"), ("test", parts.test, "circle-open")):
            line = {"width": 1, "color": "#ffffff"} if symbol == "circle" else {"width": 2}
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
                        "symbol": symbol,
                        "color": typed(y[rows], "u1"),
                        **point_colour,
                        "line": line,
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
                "colorscale": [[0, "#ffffff"], [1, _mix(PALETTE[0], 0.2)]],
                "showscale": False,
                "zmin": 0,
                "texttemplate": "%{z}",
                "textfont": {"size": 13},
                "xgap": 2,
                "ygap": 2,
                "hovertemplate": "true %{y}, predicted %{x}: %{z}<extra></extra>",
                "name": "confusion",
            }
        )
        for extra in self.extras:
            data.append(self._extra_trace(extra, size))
        data.extend(self._legend_keys(size))
        names = inputs.feature_names or ("x1", "x2")
        held = "test" if parts.test.size else "training"
        small = {"size": 11}
        layout = base_layout(
            xaxis={
                "domain": [0, 0.74],
                "title": {"text": names[0]},
                "zeroline": False,
                "range": [lo[0], hi[0]],
                "constrain": "domain",
            },
            yaxis={
                "title": {"text": names[1]},
                "zeroline": False,
                "range": [lo[1], hi[1]],
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
            },
            xaxis2={
                "domain": [0.8, 1.0],
                "anchor": "y2",
                "title": {"text": "predicted", "font": small},
                "tickfont": small,
                "type": "category",
                "fixedrange": True,
                "side": "bottom",
            },
            yaxis2={
                "domain": [0.52, 0.9],
                "anchor": "x2",
                "title": {"text": "true", "font": small},
                "tickfont": small,
                "type": "category",
                "autorange": "reversed",
                "fixedrange": True,
            },
            annotations=[
                {
                    "text": f"Confusion ({held} set)",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.9,
                    "y": 0.97,
                    "showarrow": False,
                    "font": {"size": 12, "color": INK},
                }
            ],
            showlegend=True,
            legend={
                "x": 0.8,
                "y": 0.36,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 12},
                "bgcolor": "rgba(255,255,255,0)",
                "itemclick": False,
                "itemdoubleclick": False,
            },
            margin={"l": 56, "r": 8, "t": 16, "b": 48},
        )
        return {"data": data, "layout": layout, "x-interactions": [dict(d) for d in self.interactions]}

    def _extra_trace(self, extra: str, size: int) -> dict[str, Any]:
        if extra == "support":
            return {
                "type": "scatter",
                "mode": "markers",
                "name": "support vectors",
                "x": [],
                "y": [],
                "marker": {"size": size + 9, "symbol": "circle-open", "color": INK, "line": {"width": 1.5}},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        if extra == "highlight":
            return {
                "type": "scatter",
                "mode": "markers",
                "name": "updated point",
                "x": [],
                "y": [],
                "marker": {"size": size + 14, "symbol": "circle-open", "color": PALETTE[5], "line": {"width": 3}},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        before = extra == "line_before"
        return {
            "type": "scatter",
            "mode": "lines",
            "name": "line before" if before else "line",
            "x": [],
            "y": [],
            "line": {
                "color": MUTED if before else INK,
                "width": 2 if before else 3,
                "dash": "dash" if before else "solid",
            },
            "hoverinfo": "skip",
            "showlegend": False,
        }

    def _legend_keys(self, size: int) -> list[dict[str, Any]]:
        keys: list[tuple[str, dict[str, Any]]] = [
            ("training point", {"symbol": "circle", "color": MUTED}),
            ("test point", {"symbol": "circle-open", "color": MUTED, "line": {"width": 2}}),
            ("misclassified", {"symbol": "x-thin", "color": INK, "line": {"width": 2, "color": INK}}),
        ]
        if "support" in self.extras:
            keys.append(("support vector", {"symbol": "circle-open", "color": INK, "line": {"width": 1.5}}))
        if "highlight" in self.extras:
            keys.append(("point being fixed", {"symbol": "circle-open", "color": PALETTE[5], "line": {"width": 3}}))
        out: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [None],
                "y": [None],
                "hoverinfo": "skip",
                "marker": {"size": size, **marker},
            }
            for name, marker in keys
        ]
        if "line_after" in self.extras:
            out.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "line before the update",
                    "x": [None],
                    "y": [None],
                    "line": {"color": MUTED, "dash": "dash", "width": 2},
                    "hoverinfo": "skip",
                }
            )
        if self.kind == "decision":
            out.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "f = 0 and margins ±1",
                    "x": [None],
                    "y": [None],
                    "line": {"color": INK, "width": 1.5},
                    "hoverinfo": "skip",
                }
            )
        return out

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
            out.append(_accuracy_by_k(result["accuracy_by_k"], result.get("best_k")))
        if "errors_per_epoch" in result:
            out.append(_errors_per_epoch(result["errors_per_epoch"]))
        if "feature_space" in result:
            out.append(kernel_panel(result, inputs.y))
        return out


def _accuracy_by_k(history: list[dict[str, Any]], best: int | None) -> dict[str, Any]:
    ks = [row["k"] for row in history]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "train",
            "x": ks,
            "y": [row["train_accuracy"] for row in history],
            "line": {"color": PALETTE[0], "width": 2},
            "marker": {"size": 5},
            "hovertemplate": "k = %{x}: train %{y:.1%}<extra></extra>",
        }
    ]
    if history and history[0]["test_accuracy"] is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "test",
                "x": ks,
                "y": [row["test_accuracy"] for row in history],
                "line": {"color": PALETTE[1], "width": 2},
                "marker": {"size": 5},
                "hovertemplate": "k = %{x}: test %{y:.1%}<extra></extra>",
            }
        )
    shapes = (
        []
        if best is None
        else [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": best,
                "x1": best,
                "y0": 0,
                "y1": 1,
                "line": {"color": MUTED, "dash": "dot"},
            }
        ]
    )
    layout = base_layout(
        xaxis={"title": {"text": "k (neighbours voting)"}},
        yaxis={"title": {"text": "accuracy"}, "tickformat": ".0%"},
        shapes=shapes,
        showlegend=True,
        legend={"x": 1, "xanchor": "right", "y": 0.02, "yanchor": "bottom"},
    )
    return {
        "id": "accuracy-by-k",
        "title": "Accuracy by k: from overfitting (k = 1) to underfitting",
        "figure": {"data": data, "layout": layout},
    }


def _errors_per_epoch(errors: list[int]) -> dict[str, Any]:
    data = [
        {
            "type": "bar",
            "x": list(range(1, len(errors) + 1)),
            "y": errors,
            "marker": {"color": PALETTE[5]},
            "hovertemplate": "epoch %{x}: %{y} mistakes<extra></extra>",
        }
    ]
    layout = base_layout(
        xaxis={"title": {"text": "epoch"}, "dtick": max(1, len(errors) // 10)},
        yaxis={"title": {"text": "mistakes (updates)"}, "rangemode": "tozero"},
    )
    return {"id": "errors-per-epoch", "title": "Mistakes per epoch", "figure": {"data": data, "layout": layout}}
