"""The learning-curves lab's figure: the boundary view's plane (narrowed) on the left, the curve panel on the right.

* learning curve: the plane is fold 1's model at this size, the rows it trains on ringed, the held-out rows it
  gets wrong crossed; the panel draws training and validation accuracy (mean ± std band over the folds)
  against the training rows, growing size by size.
* validation curve: the plane is fold 1's model at this setting value; the panel draws both curves against the
  setting (log axis for C and smoothing), and the end stars the best validation value.
* early stopping: the plane is the network's boundary after this epoch (hollow points: the validation rows);
  the panel draws both losses per epoch (log axis), a line where patience ran out and a star on the epoch
  early stopping keeps. A frame sends at most ``MAX_CURVE_POINTS`` points per loss curve (evenly thinned).
* The confusion matrix of the boundary view is hidden: the curve panel says how good the model is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.boundary import CONFUSION, HEAT, BoundaryView
from app.views.inputs import BoundaryData
from app.views.keys import timeline
from app.views.theme import GRID, INK, MUTED, PALETTE, typed

PLANE_X = (0.0, 0.54)
SIDE_X = (0.66, 1.0)
CURVE_Y = (0.34, 0.9)
CURVE_AXIS = 3
MAX_CURVE_POINTS = 400
TRAIN_COLOUR, VALIDATION_COLOUR = PALETTE[0], PALETTE[1]
RING_COLOUR = PALETTE[5]
NARROW_HEIGHT = 700
"""A phone's plot height (px; the page caps it to the screen): the plane and the curve panel stacked need it."""
# (axis title, log axis, x range) of each model's swept setting; the ranges mirror the engine's sweeps.
SETTINGS: dict[str, tuple[str, bool, tuple[float, float]]] = {
    "logistic_regression": ("C (inverse penalty, log scale)", True, (-3.3, 3.3)),
    "svm": ("C (margin penalty, log scale)", True, (-3.3, 3.3)),
    "decision_tree": ("max depth", False, (0.5, 12.5)),
    "knn": ("k (neighbours voting)", False, (0.0, 0.0)),
    "naive_bayes": ("variance smoothing (log scale)", True, (-9.5, 0.5)),
}
TIMELINE_KEYS = {"learning_curve": "train_size", "validation_curve": "value", "early_stopping": "epoch"}
"""The frame.state number each mode's sparklines are drawn against (the last frame, without it, stays put)."""


class LearningCurvesData(BoundaryData, Protocol):
    @property
    def most_neighbours(self) -> int:
        """The largest k a validation curve sweeps."""
        ...


class LearningCurvesDrawn(Protocol):
    """The params the view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def mode(self) -> str: ...

    @property
    def epochs(self) -> int: ...

    @property
    def model(self) -> Any: ...


def _line(name: str, colour: str, dash: str = "solid") -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": f"x{CURVE_AXIS}",
        "yaxis": f"y{CURVE_AXIS}",
        "line": {"color": colour, "width": 2.5, "dash": dash},
        "marker": {"size": 7, "color": colour, "symbol": "circle" if dash == "solid" else "diamond"},
        "hovertemplate": "%{x:.4g}: %{y:.3f}<extra>%{fullData.name}</extra>",
    }


def _band(name: str, colour: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": f"x{CURVE_AXIS}",
        "yaxis": f"y{CURVE_AXIS}",
        "fill": "toself",
        "fillcolor": colour + "33",
        "line": {"width": 0, "color": colour},
        "hoverinfo": "skip",
    }


def _marker(name: str, symbol: str, size: int, colour: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": f"x{CURVE_AXIS}",
        "yaxis": f"y{CURVE_AXIS}",
        "marker": {"symbol": symbol, "size": size, "color": colour, "line": {"width": 2.5, "color": colour}},
        "hovertemplate": "%{x:.4g}: %{y:.3f}<extra>%{fullData.name}</extra>",
    }


class LearningCurvesView:
    """Composes ``BoundaryView("probability")``; trace order: its traces, the ring of rows trained on, the
    training band, the validation band, the training curve, the validation curve, this step's marker, the
    best / kept marker, then the ring's legend key."""

    def __init__(self) -> None:
        self.base = BoundaryView("probability", timeline={"key": None, "title": "step"})

    def scene(self, inputs: LearningCurvesData, params: LearningCurvesDrawn) -> dict[str, Any]:
        scene = self.base.scene(inputs, params)
        mode = params.mode
        size = 9 if inputs.X.shape[0] <= 300 else 7 if inputs.X.shape[0] <= 1000 else 5
        ring = {
            "symbol": "circle-open",
            "size": size + 7,
            "color": RING_COLOUR,
            "line": {"width": 2, "color": RING_COLOUR},
        }
        ring_name = "rows fold 1 trains on"
        plane_ring = {"type": "scatter", "mode": "markers", "name": ring_name, "x": [], "y": [], "marker": ring}
        early = mode == "early_stopping"
        what = "loss" if early else "accuracy"
        scene["data"] += [
            {**plane_ring, "showlegend": False, "hoverinfo": "skip"},
            _band(f"training {what} ± std", TRAIN_COLOUR) | {"showlegend": False},
            _band(f"validation {what} ± std", VALIDATION_COLOUR) | {"showlegend": False},
            _line(f"training {what}", TRAIN_COLOUR) | ({"mode": "lines"} if early else {}),
            _line(f"validation {what}", VALIDATION_COLOUR, "dash") | ({"mode": "lines"} if early else {}),
            _marker("this step", "circle-open", 15, INK),
            _marker("epoch kept" if early else "best validation score", "star", 16, RING_COLOUR),
        ]
        if mode == "learning_curve":
            scene["data"].append({**plane_ring, "x": [None], "y": [None], "hoverinfo": "skip"})
        data = scene["data"]
        data[CONFUSION]["visible"] = False
        for trace in data:
            if trace.get("name") not in ("test (hollow)", "training (filled)"):
                continue
            if early:  # the held-out rows are the validation part
                trace["name"] = trace["name"].replace("test", "validation")
            else:  # every row is cross-validated: no test set to tell apart
                trace["showlegend"] = False
                trace["visible"] = False
        data[HEAT]["colorbar"] |= {"x": sum(SIDE_X) / 2, "len": SIDE_X[1] - SIDE_X[0], "y": 0.0}
        layout = scene["layout"]
        layout["xaxis"]["domain"] = list(PLANE_X)
        layout["xaxis2"]["visible"] = layout["yaxis2"]["visible"] = False
        layout[f"xaxis{CURVE_AXIS}"] = self._x_axis(inputs, params)
        small = {"size": 10}
        layout[f"yaxis{CURVE_AXIS}"] = {
            "domain": list(CURVE_Y),
            "anchor": f"x{CURVE_AXIS}",
            "fixedrange": True,
            "gridcolor": GRID,
            "zeroline": False,
            "tickfont": small,
            "title": {"text": "cross-entropy (log)" if early else "accuracy", "font": small, "standoff": 2},
            **({"type": "log", "dtick": "D2"} if early else {}),
        }
        layout["annotations"] = [_title(mode)]
        ring_at = self.base.n_scene_traces(inputs)
        layout["shapes"] = []
        narrow = scene["x-narrow"]
        narrow["data"] = {
            **narrow.get("data", {}),
            str(HEAT): {"showscale": False},
            str(ring_at): {"marker": {"size": size + 3, "line": {"width": 1.5}}},  # rings that fit a phone's plane
        }
        narrow["height"] = NARROW_HEIGHT
        narrow["layout"] = {
            "xaxis": {"domain": [0.0, 1.0]},
            "yaxis": {"domain": [0.6, 1.0]},
            f"xaxis{CURVE_AXIS}": {"domain": [0.1, 1.0]},
            f"yaxis{CURVE_AXIS}": {"domain": [0.05, 0.36]},
            "legend": {"font": {"size": 9}, "entrywidth": 0.5, "entrywidthmode": "fraction"},
        }
        scene["x-timeline"] = self._timeline(mode, params)
        scene["x-phases"] = _phases(mode)
        return scene

    def _timeline(self, mode: str, params: LearningCurvesDrawn) -> dict[str, Any]:
        """The sparklines' x: training rows, the swept setting (log for C and smoothing) or the epoch."""
        if mode == "validation_curve":
            title, log, _ = SETTINGS.get(str(params.model.model), ("setting", False, (0.0, 0.0)))
            return timeline("value", title, log=log)
        return timeline(TIMELINE_KEYS[mode], "training rows per fold" if mode == "learning_curve" else "epoch")

    def _x_axis(self, inputs: LearningCurvesData, params: LearningCurvesDrawn) -> dict[str, Any]:
        small = {"size": 10}
        axis: dict[str, Any] = {
            "domain": list(SIDE_X),
            "anchor": f"y{CURVE_AXIS}",
            "fixedrange": True,
            "gridcolor": GRID,
            "zeroline": False,
            "tickfont": small,
        }
        if params.mode == "early_stopping":
            return axis | {"range": [0, params.epochs * 1.02], "title": {"text": "epoch", "font": small}}
        if params.mode == "learning_curve":
            n = int(inputs.X.shape[0])
            return axis | {"range": [0, n * 1.02], "title": {"text": "training rows per fold", "font": small}}
        title, log, (lo, hi) = SETTINGS.get(str(params.model.model), ("setting", False, (0.0, 0.0)))
        if params.model.model == "knn":
            lo, hi = 0.0, inputs.most_neighbours + 1.0
        return axis | {"range": [lo, hi], "title": {"text": title, "font": small}, **({"type": "log"} if log else {})}

    def render(self, frame: Frame, inputs: LearningCurvesData, params: LearningCurvesDrawn) -> dict[str, Any]:
        patch = self.base.render(frame, inputs, params)
        data = patch["data"] + [{}] * (self.base.n_scene_traces(inputs) - len(patch["data"]))
        state, visual = frame.state, frame.visual
        subset = visual.get("subset")
        data.append({"x": [], "y": []} if subset is None else _xy(inputs.X, subset))
        shapes: list[dict[str, Any]] = []
        notes = [_title(params.mode)]
        if frame.kind in ("epoch", "restore"):
            data += _loss_traces(frame)
            stopped = state.get("stopped_epoch")
            if stopped is not None:
                shapes.append(_vertical(int(stopped)))
                notes.append(_stop_label(int(stopped)))
        else:
            data += _score_traces(frame)
        if params.mode == "learning_curve":
            data.append({})
        return {"data": data, "layout": {"shapes": shapes, "annotations": notes}}

    def panels(
        self, result: Mapping[str, Any], inputs: LearningCurvesData, params: LearningCurvesDrawn
    ) -> list[dict[str, Any]]:
        return []


def _phases(mode: str) -> dict[str, str]:
    if mode == "early_stopping":
        return {"epoch": "Training", "restore": "Early stop"}
    if mode == "validation_curve":
        return {"value": "Value by value", "best": "Best value"}
    return {"size": "Size by size", "diagnosis": "Diagnosis"}


def _title(mode: str) -> dict[str, Any]:
    text = {
        "learning_curve": "Accuracy, mean ± std over folds",
        "validation_curve": "Accuracy, mean ± std over folds",
        "early_stopping": "Loss per epoch",
    }[mode]
    return {
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "x": 0,
        "y": 1.02,
        "xref": f"x{CURVE_AXIS} domain",
        "yref": f"y{CURVE_AXIS} domain",
        "text": text,
        "font": {"size": 11, "color": INK},
    }


def _stop_label(epoch: int) -> dict[str, Any]:
    """The words at the top of the patience line."""
    return {
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "top",
        "x": epoch,
        "y": 1,
        "xref": f"x{CURVE_AXIS}",
        "yref": f"y{CURVE_AXIS} domain",
        "text": " patience ran out",
        "font": {"size": 10, "color": MUTED},
    }


def _vertical(epoch: int) -> dict[str, Any]:
    """A dotted line at the epoch where patience ran out."""
    return {
        "type": "line",
        "xref": f"x{CURVE_AXIS}",
        "yref": f"y{CURVE_AXIS} domain",
        "x0": epoch,
        "x1": epoch,
        "y0": 0,
        "y1": 1,
        "line": {"color": MUTED, "width": 2, "dash": "dot"},
    }


def _round(values: Sequence[float | None]) -> list[float | None]:
    return [None if v is None else round(float(v), 4) for v in values]


def _band_xy(xs: Sequence[float], mean: Sequence[float | None], std: Sequence[float | None]) -> dict[str, Any]:
    """A closed polygon mean + std forward, mean − std back (steps without a score left out)."""
    kept = [(x, m, s) for x, m, s in zip(xs, mean, std, strict=True) if m is not None and s is not None]
    upper = [round(m + s, 4) for _, m, s in kept]
    lower = [round(m - s, 4) for _, m, s in kept]
    x = [x for x, _, _ in kept]
    return {"x": x + x[::-1], "y": upper + lower[::-1]}


def _score_traces(frame: Frame) -> list[dict[str, Any]]:
    """Bands, curves, this step and the best: the learning or validation curve so far."""
    state = frame.state
    if "train_sizes" in state:
        xs: list[float] = [float(v) for v in state["train_sizes"]]
    else:
        xs = [float(v) for v in state["param_range"][: len(state["test_mean"])]]
    train, test = state["train_mean"], state["test_mean"]
    current: dict[str, Any] = {"x": [], "y": []}
    if frame.kind in ("size", "value") and test and test[-1] is not None:
        current = {"x": [xs[-1]], "y": [round(float(test[-1]), 4)]}
    best: dict[str, Any] = {"x": [], "y": []}
    if frame.kind == "best" and state.get("best_score") is not None:
        best = {"x": [float(state["best_value"])], "y": [round(float(state["best_score"]), 4)]}
    return [
        _band_xy(xs, train, state["train_std"]),
        _band_xy(xs, test, state["test_std"]),
        {"x": xs, "y": _round(train)},
        {"x": xs, "y": _round(test)},
        current,
        best,
    ]


def _thinned(curve: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(epochs (p,), values (p,)): at most ``MAX_CURVE_POINTS`` evenly spaced epochs, the last always kept."""
    n = curve.size
    if n <= MAX_CURVE_POINTS:
        picks = np.arange(n)
    else:
        picks = np.unique(np.linspace(0, n - 1, MAX_CURVE_POINTS).round().astype(np.int64))
    return picks + 1, curve[picks]


def _loss_traces(frame: Frame) -> list[dict[str, Any]]:
    """Both loss curves so far, this epoch's validation loss, and the epoch early stopping keeps."""
    state, visual = frame.state, frame.visual
    traces: list[dict[str, Any]] = [{"x": [], "y": []}, {"x": [], "y": []}]
    for key in ("train_loss", "val_loss"):
        epochs, values = _thinned(np.asarray(visual.get(key, np.zeros(0)), dtype=np.float64))
        traces.append({"x": typed(epochs, "i4"), "y": typed(values, "f4")})
    losses = np.asarray(visual.get("val_loss", np.zeros(0)), dtype=np.float64)
    current: dict[str, Any] = {"x": [], "y": []}
    if frame.kind == "epoch" and losses.size:
        current = {"x": [int(losses.size)], "y": [round(float(losses[-1]), 5)]}
    best = state.get("best_epoch")
    kept: dict[str, Any] = {"x": [], "y": []}
    if best and (frame.kind == "restore" or state.get("stopped_epoch") is not None):
        kept = {"x": [int(best)], "y": [round(float(losses[int(best) - 1]), 5)]}
    return [*traces, current, kept]


def _xy(X: np.ndarray, rows: Any) -> dict[str, Any]:
    rows = np.asarray(rows, dtype=np.int64)
    return {"x": typed(X[rows, 0], "f4"), "y": typed(X[rows, 1], "f4")}
