"""The stacking lab's figure: the boundary view's plane (narrowed), the level-1 table beside it, the meta-model's
weights above the table, and the strip of every base model's small picture below (``ensemble_strip``).

* Fold frames: the plane rings the fold's held-out points (its shading stays empty: no stacked model exists
  yet); the table grows by that fold's rows (``x-extend``: each frame sends only its own rows, the player keeps
  the earlier ones), folds top to bottom, each fold's rows by class; one column per base model (its
  out-of-fold probability of class 1, or of each class for more than two), and for two classes a first column
  with the true class on the same scale, so a wrong probability stands out against it; the strip shows the
  models trained without this fold.
* Meta: the weights row fills (the logistic regression's coefficient on each column, or the tree's importance),
  the plane crosses the training points the meta-model gets wrong on the table; the strip shows the base models
  refit on all training points.
* Final: the plane is the stacked model's boundary, the strip the refit base models with their test accuracy.

The table sits where the boundary view draws its confusion matrix, which is hidden here (the captions and the
metrics give the accuracies; four panels beside the plane would not fit a phone).

Columns line up: the weights row starts above the table's first model column. Features passed through are
columns of the weights row only (they are inputs, not predictions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary import CONFUSION, BoundaryView
from app.views.ensemble_strip import Strip, StripData, held_word, raise_plane
from app.views.keys import colour_bar
from app.views.stacking_narrow import narrow_layout
from app.views.theme import INK, PALETTE, base_layout, typed
from app.views.voting import member_accuracy_panel

PHASES = {"fold": "Out-of-fold predictions", "meta": "Meta-model and stack", "final": "Meta-model and stack"}
PLANE_X = (0.0, 0.55)
TABLE_X = (0.63, 0.88)
TABLE_Y = (0.45, 0.8)
WEIGHTS_Y = (0.86, 0.95)
TABLE_AXIS, WEIGHTS_AXIS = 8, 9
"""Axis numbers of the table and the weights row (the strip's pictures take 3 .. 7)."""
RING = PALETTE[5]
TRUTH = "true class"
WRITTEN = 10
"""The most cells of the weights row that get their number written in (more would overlap)."""


class StackingData(StripData, Protocol):
    """The committee's data and the k-fold split's shape."""

    @property
    def fold_sizes(self) -> tuple[int, ...]:
        """Training points per fold, in fold order."""
        ...

    @property
    def meta(self) -> Mapping[str, Any]:
        """The meta-model's spec (``model``: logistic_regression | decision_tree)."""
        ...


class StackingDrawn(Protocol):
    """The params the stacking view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def passthrough(self) -> bool: ...


@dataclass(frozen=True)
class Columns:
    """The table's and the weights row's columns, and where each sits."""

    table: list[str]  # the table's column labels (the true class first, for two classes)
    weights: list[str]  # the weights row's: the model columns, then the features passed through
    models: int  # model columns (in both)
    truth: bool  # the table starts with the true class

    @property
    def width(self) -> float:
        """One column's width (paper fraction), the same in both."""
        return (TABLE_X[1] - TABLE_X[0]) / (int(self.truth) + len(self.weights))

    @property
    def table_x(self) -> tuple[float, float]:
        return TABLE_X[0], TABLE_X[0] + self.width * len(self.table)

    @property
    def weights_x(self) -> tuple[float, float]:
        return TABLE_X[0] + self.width * int(self.truth), TABLE_X[1]


def columns_of(inputs: StackingData, passthrough: bool) -> Columns:
    classes = list(inputs.classes)
    truth = len(classes) == 2
    models = list(inputs.short_names) if truth else [f"{short} · {c}" for short in inputs.short_names for c in classes]
    features = [bl.PRETTY.get(f, f) for f in inputs.feature_names[:2]] if passthrough else []
    return Columns([TRUTH, *models] if truth else models, models + features, len(models), truth)


class StackingView:
    """Composes ``BoundaryView("probability")``; trace order: its traces, the strip, the held-out ring, the table,
    the weights row, the ring's legend key."""

    def __init__(self) -> None:
        self.base = BoundaryView("probability", timeline={"key": None, "title": "fold, then meta-model, then stack"})

    def scene(self, inputs: StackingData, params: StackingDrawn) -> dict[str, Any]:
        scene = self.base.scene(inputs, params)
        strip = Strip(inputs, first=3)
        columns = columns_of(inputs, params.passthrough)
        size = 9 if inputs.X.shape[0] <= 300 else 7 if inputs.X.shape[0] <= 1000 else 5
        ring = {"symbol": "circle-open", "size": size + 8, "color": RING, "line": {"width": 2.5, "color": RING}}
        mark = {"type": "scatter", "mode": "markers", "name": "held out in this fold", "hoverinfo": "skip"}
        scene["data"] += [
            *strip.traces(),
            {**mark, "x": [], "y": [], "marker": ring, "showlegend": False},
            _table_trace(inputs, columns),
            _weights_trace(inputs, columns),
            {**mark, "x": [None], "y": [None], "marker": ring},  # its legend key
        ]
        # The table takes the confusion matrix's place (the caption and the metrics give the accuracies).
        scene["data"][CONFUSION]["visible"] = False
        layout = scene["layout"]
        layout["xaxis2"]["visible"] = layout["yaxis2"]["visible"] = False
        raise_plane(layout, PLANE_X)
        layout.update(strip.axes())
        layout.update(_table_axes(inputs, columns))
        layout["annotations"] = [*strip.titles(), _weights_title(inputs, columns)]
        layout["shapes"] = strip.frames() + _fold_lines(inputs)
        scene["x-phases"] = dict(PHASES)
        first = self.base.n_scene_traces(inputs)  # the strip's pictures, then the ring, the table, the weights
        table = scene["data"][first + strip.count + 1]
        wrapped = scene["x-narrow"]["data"]  # the boundary view's: its colour bar's title in short lines
        scene["x-narrow"] = narrow_layout(
            wide_x=TABLE_X,
            table_x=columns.table_x,
            weights_x=columns.weights_x,
            axes=(TABLE_AXIS, WEIGHTS_AXIS),
            table=first + strip.count + 1,
            weights=first + strip.count + 2,
            strip=range(first, first + strip.count),
            table_title=table["colorbar"]["title"]["text"],
            weights_bar=bool(scene["data"][first + strip.count + 2].get("showscale")),
            shapes=_fold_lines(inputs),
        )
        narrow = scene["x-narrow"]["data"]
        scene["x-narrow"]["data"] = {**wrapped, **narrow, "0": _merged(wrapped.get("0", {}), narrow["0"])}
        return scene

    def render(self, frame: Frame, inputs: StackingData, params: StackingDrawn) -> dict[str, Any]:
        patch = self.base.render(frame, inputs, params)
        data = patch["data"] + [{}] * (self.base.n_scene_traces(inputs) - len(patch["data"]))
        strip = Strip(inputs, first=3)
        columns = columns_of(inputs, params.passthrough)
        visual = frame.visual
        data += strip.patches(visual)
        held = visual.get("held_out")
        data.append({"x": [], "y": []} if held is None else _xy(inputs.X, held))
        rows = visual.get("table_rows")
        if rows is None or held is None:
            data.append({})
        else:
            shown = np.round(np.asarray(rows, dtype=np.float64)[:, : columns.models], 3)  # (n_te, model columns)
            if columns.truth:
                shown = np.column_stack([inputs.y[np.asarray(held)], shown])  # the true class, 0 or 1, first
            points = [[int(r)] * len(columns.table) for r in np.asarray(held).tolist()]
            data.append({"x-extend": {"z": shown.tolist(), "customdata": points}})
        weights = visual.get("weights")
        data.append({"z": []} if weights is None else {"z": np.round(np.asarray(weights), 3).tolist()})
        label = str(visual.get("thumbnail_label", held_word(inputs)))
        titles = strip.titles(visual.get("thumbnail_scores", ()), label)
        annotations = [*titles, _weights_title(inputs, columns)]
        return {"data": data, "layout": {"annotations": annotations}}

    def panels(self, result: Mapping[str, Any], inputs: StackingData, params: StackingDrawn) -> list[dict[str, Any]]:
        if "columns" not in result:
            return []
        return [
            member_accuracy_panel(
                list(inputs.names), result, "the stack", "accuracy-by-model", ("test_score", "train_score")
            ),
            _trust_panel(inputs, result),
        ]


def _table_trace(inputs: StackingData, columns: Columns) -> dict[str, Any]:
    classes = list(inputs.classes)
    if columns.truth:
        title = f"P(class {classes[1]}),<br>out of fold"
        scale: list[list[float | str]] = [[0.0, PALETTE[0]], [0.5, "#ffffff"], [1.0, PALETTE[1]]]
    else:
        title, scale = "P(class),<br>out of fold", [[0.0, "#ffffff"], [1.0, INK]]
    return {
        "type": "heatmap",
        "name": "level-1 table",
        "xaxis": f"x{TABLE_AXIS}",
        "yaxis": f"y{TABLE_AXIS}",
        "x": columns.table,
        "z": [],
        "customdata": [],
        "zmin": 0,
        "zmax": 1,
        "colorscale": scale,
        "showscale": True,
        "showlegend": False,
        "colorbar": colour_bar(
            title,
            "top",  # above the bar: beside it, the title would run into the confusion matrix's labels
            x=columns.table_x[1] + 0.005,
            xanchor="left",
            y=sum(TABLE_Y) / 2,
            yanchor="middle",
            len=TABLE_Y[1] - TABLE_Y[0],
            thickness=8,
            tickfont={"size": 9},
        )
        | {"title": {"text": title, "side": "top", "font": {"size": 10}}},
        "hovertemplate": "training point %{customdata}<br>%{x}: %{z:.2f}<extra></extra>",
    }


def _weights_trace(inputs: StackingData, columns: Columns) -> dict[str, Any]:
    coef = inputs.meta["model"] == "logistic_regression"
    classes = list(inputs.classes)
    rows = ["weight"] if not coef or len(classes) == 2 else [f"class {c} score" for c in classes]
    # Green for trust, reddish purple for distrust: neither is a class colour of the plane beside it.
    diverging = [[0.0, PALETTE[3]], [0.5, "#ffffff"], [1.0, PALETTE[2]]]
    trace: dict[str, Any] = {
        "type": "heatmap",
        "name": "meta-model weights" if coef else "meta-model split importance",
        "xaxis": f"x{WEIGHTS_AXIS}",
        "yaxis": f"y{WEIGHTS_AXIS}",
        "x": columns.weights,
        "y": rows,
        "z": [],
        "colorscale": diverging if coef else [[0.0, "#ffffff"], [1.0, PALETTE[2]]],
        "showlegend": False,
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": "%{y}, %{x}: %{z:.3f}<extra></extra>",
    }
    if len(columns.weights) * len(rows) <= WRITTEN:
        # The numbers are in the cells (3 decimals on hover): the tint only repeats them.
        trace |= {"showscale": False, "texttemplate": "%{z:.1f}", "textfont": {"size": 10}}
    else:  # too many cells to write in: a colour bar says what the tint means
        trace |= {
            "showscale": True,
            "colorbar": colour_bar(
                "weight" if coef else "importance",
                "right",
                orientation="h",  # above the row's right end, beside its title: the row is too short for a bar
                x=TABLE_X[1],
                xanchor="right",
                y=WEIGHTS_Y[1] + 0.005,
                yanchor="bottom",
                len=0.1,
                thickness=6,
                nticks=3,
                tickfont={"size": 8},
            )
            | {"title": {"text": "weight" if coef else "importance", "side": "right", "font": {"size": 9}}},
        }
    return trace | ({"zmid": 0} if coef else {"zmin": 0, "zmax": 1})


def _table_axes(inputs: StackingData, columns: Columns) -> dict[str, Any]:
    sizes = np.asarray(inputs.fold_sizes)
    centres = np.cumsum(sizes) - sizes / 2 - 0.5
    small = {"size": 9}
    hidden = {"type": "category", "visible": False, "fixedrange": True}
    return {
        f"xaxis{TABLE_AXIS}": {
            "domain": list(columns.table_x),
            "anchor": f"y{TABLE_AXIS}",
            "type": "category",
            "tickangle": -90,
            "tickfont": small,
            "fixedrange": True,
            "title": {"text": "base model", "font": {"size": 10}, "standoff": 2},
        },
        f"yaxis{TABLE_AXIS}": {
            "domain": list(TABLE_Y),
            "anchor": f"x{TABLE_AXIS}",
            "range": [int(sizes.sum()) - 0.5, -0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "tickmode": "array",
            "tickvals": [round(float(c), 2) for c in centres],
            "ticktext": [f"fold {f}" for f in range(1, sizes.size + 1)],
            "tickfont": small,
            "title": {"text": "training points", "font": {"size": 10}, "standoff": 2},
        },
        f"xaxis{WEIGHTS_AXIS}": {**hidden, "domain": list(columns.weights_x), "anchor": f"y{WEIGHTS_AXIS}"},
        f"yaxis{WEIGHTS_AXIS}": {
            **hidden,
            "domain": list(WEIGHTS_Y),
            "anchor": f"x{WEIGHTS_AXIS}",
            "autorange": "reversed",
        },
    }


def _weights_title(inputs: StackingData, columns: Columns) -> dict[str, Any]:
    coef = inputs.meta["model"] == "logistic_regression"
    return {
        "text": "meta-model weights" if coef else "meta-model importance",
        # On the row's own axes (hidden, but their domain places it): a narrow layout that moves the row moves it.
        "xref": f"x{WEIGHTS_AXIS} domain",
        "yref": f"y{WEIGHTS_AXIS} domain",
        "x": 0,
        "y": 1,
        "yshift": 2,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 10, "color": INK},
    }


def _fold_lines(inputs: StackingData) -> list[dict[str, Any]]:
    """A line between consecutive folds' rows of the table."""
    return [
        {
            "type": "line",
            "xref": f"x{TABLE_AXIS} domain",
            "yref": f"y{TABLE_AXIS}",
            "x0": 0,
            "x1": 1,
            "y0": float(end) - 0.5,
            "y1": float(end) - 0.5,
            "line": {"color": INK, "width": 1},
        }
        for end in np.cumsum(inputs.fold_sizes)[:-1]
    ]


def _merged(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two trace patches of one trace, key by key (nested dicts merged)."""
    out = dict(a)
    for key, value in b.items():
        out[key] = _merged(out[key], value) if isinstance(out.get(key), dict) and isinstance(value, dict) else value
    return out


def _xy(X: np.ndarray, rows: Any) -> dict[str, Any]:
    rows = np.asarray(rows, dtype=np.int64)
    return {"x": typed(X[rows, 0], "f4"), "y": typed(X[rows, 1], "f4")}


def _trust_panel(inputs: StackingData, result: Mapping[str, Any]) -> dict[str, Any]:
    coef = "meta_coef" in result
    trust = [float(v) for v in result["trust"]]
    data = [
        {
            "type": "bar",
            "name": "trust",
            "x": list(inputs.names),
            "y": trust,
            "marker": {"color": [PALETTE[2] if v >= 0 else PALETTE[3] for v in trust]},
            "hovertemplate": "%{x}: %{y:.3f}<extra></extra>",
        }
    ]
    layout = base_layout(
        xaxis={"title": {"text": "base model"}},
        yaxis={"title": {"text": "coefficient" if coef else "share of the impurity decrease"}, "zeroline": True},
    )
    title = (
        "How much the meta-model trusts each base model (its weight on the model's probability)"
        if coef
        else "How much the meta-model's tree splits on each base model"
    )
    return {"id": "meta-trust", "title": title, "figure": {"data": data, "layout": layout}}
