"""The cross-validation lab's figure: the boundary view's plane (narrowed) on the left, and on the right the folds
(one line per fold over the dataset's rows: training part, held-out part) above the score strip (each fold's
score, then mean ± std beside 20 single train/test splits).

* shuffle: the folds panel is empty (nothing is cut yet); split: every fold's line; fold f: the plane is fold f's
  model (its shading), the held-out rows ringed and the ones it gets wrong crossed, fold f's line framed, the
  strip gains its score; summary: the plane is the model refit on all rows, the strip adds the single splits and
  both mean ± std bars.
* The folds panel sends one byte per cell (0 unused, 1 training, 2 held out). Beyond ``MAX_ROWS`` folds
  (leave-one-out) or ``MAX_COLUMNS`` rows the cells are binned (a bin shows its most telling cell: held out over
  training over unused), so a frame stays small whatever the data.
* The confusion matrix of the boundary view is hidden: there is no test set here (every row is tested once, in
  its fold), and the strip says how good the model is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.boundary import CONFUSION, HEAT, BoundaryView
from app.views.inputs import BoundaryData
from app.views.theme import GRID, INK, MUTED, PALETTE, typed

PLANE_X = (0.0, 0.56)
SIDE_X = (0.66, 1.0)
FOLDS_Y = (0.7, 0.92)
STRIP_Y = (0.3, 0.56)
NARROW_PX = 560
"""Plots narrower than this (a phone) take the scene's ``x-narrow``: the plane on top, the two panels under it."""
FOLDS_AXIS, STRIP_AXIS = 3, 4
MAX_ROWS, MAX_COLUMNS = 20, 300
HELD = PALETTE[5]
TRAINING = "#b8c4d0"
UNUSED = "#f3f4f6"
CV_ROW, SINGLE_ROW = "k folds", "1 split ×20"
ERROR_BAR = {"type": "data", "color": INK, "thickness": 2, "width": 8}
"""The mean ± std bars' style, sent whole with each frame's values (a patch replaces a nested object)."""
FOLD_COLOURS = [[0, UNUSED], [0.33, UNUSED], [0.34, TRAINING], [0.66, TRAINING], [0.67, HELD], [1, HELD]]
"""z 0, 1, 2 → unused, training, held out."""
SCORE_WORDS = {"accuracy": "accuracy", "f1": "F1 score", "roc_auc": "ROC AUC"}


class CrossValidationData(BoundaryData, Protocol):
    """The boundary data and the folds' count."""

    @property
    def n_folds(self) -> int:
        """k: folds used (the rows for leave-one-out)."""
        ...


class CrossValidationDrawn(Protocol):
    """The params the view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def scoring(self) -> str: ...


def bins(count: int, most: int) -> int:
    """Items per bin so that ``count`` items make at most ``most`` bins."""
    return max(1, -(-count // most))


def binned(matrix: np.ndarray, row_bin: int, column_bin: int) -> np.ndarray:
    """(k, n) u1 cells → (⌈k/r⌉, ⌈n/c⌉): each bin's largest value (held out 2 > training 1 > unused 0)."""
    k, n = matrix.shape
    rows, cols = -(-k // row_bin), -(-n // column_bin)
    padded = np.zeros((rows * row_bin, cols * column_bin), dtype=np.uint8)
    padded[:k, :n] = matrix
    out: np.ndarray = padded.reshape(rows, row_bin, cols, column_bin).max(axis=(1, 3))
    return out


class CrossValidationView:
    """Composes ``BoundaryView("probability")``; trace order: its traces, the held-out ring, the folds, the fold
    scores, the current fold's score, the mean ± std bars, the single splits, then legend keys."""

    def __init__(self) -> None:
        self.base = BoundaryView("probability", timeline={"key": None, "title": "shuffle, split, then each fold"})

    def _shape(self, inputs: CrossValidationData) -> tuple[int, int]:
        return bins(inputs.n_folds, MAX_ROWS), bins(inputs.X.shape[0], MAX_COLUMNS)

    def scene(self, inputs: CrossValidationData, params: CrossValidationDrawn) -> dict[str, Any]:
        scene = self.base.scene(inputs, params)
        n, k = inputs.X.shape[0], inputs.n_folds
        row_bin, column_bin = self._shape(inputs)
        size = 9 if n <= 300 else 7 if n <= 1000 else 5
        ring = {"symbol": "circle-open", "size": size + 7, "color": HELD, "line": {"width": 2.5, "color": HELD}}
        mark = {"type": "scatter", "mode": "markers", "hoverinfo": "skip"}
        starts = np.arange(0, k, row_bin)
        labels = [f"fold {s + 1}" if row_bin == 1 else f"folds {s + 1}–{min(s + row_bin, k)}" for s in starts]
        columns = np.arange(0, n, column_bin) + (column_bin - 1) / 2
        words = SCORE_WORDS.get(params.scoring, params.scoring)
        on_strip = {"xaxis": f"x{STRIP_AXIS}", "yaxis": f"y{STRIP_AXIS}"}
        scene["data"] += [
            {**mark, "name": "held out in this fold", "x": [], "y": [], "marker": ring, "showlegend": False},
            {
                "type": "heatmap",
                "name": "folds",
                "xaxis": f"x{FOLDS_AXIS}",
                "yaxis": f"y{FOLDS_AXIS}",
                "x": typed(columns, "f4"),
                "y": labels,
                "z": [],
                "zmin": 0,
                "zmax": 2,
                "colorscale": [
                    [0, UNUSED],
                    [0.33, UNUSED],
                    [0.34, TRAINING],
                    [0.66, TRAINING],
                    [0.67, HELD],
                    [1, HELD],
                ],
                "showscale": False,
                "showlegend": False,
                "ygap": 1,
                "hovertemplate": "%{y}, row %{x:.0f}<extra></extra>",
            },
            {
                **on_strip,
                "type": "scatter",
                "mode": "markers+text",
                "name": "each fold's score",
                "x": [],
                "y": [],
                "text": [],
                "textposition": "top center",
                "textfont": {"size": 9, "color": MUTED},
                "marker": {"size": 10, "color": PALETTE[0], "symbol": "circle", "opacity": 0.8},
                "hovertemplate": "fold %{text}: %{x:.3f}<extra></extra>",
            },
            {
                **on_strip,
                **mark,
                "name": "this fold's score",
                "x": [],
                "y": [],
                "marker": {"size": 16, "symbol": "circle-open", "color": HELD, "line": {"width": 3, "color": HELD}},
            },
            {
                **on_strip,
                "type": "scatter",
                "mode": "markers",
                "name": "mean ± std",
                "x": [],
                "y": [],
                "error_x": {**ERROR_BAR, "array": []},
                "marker": {"size": 13, "symbol": "diamond", "color": INK},
                "hovertemplate": "%{y}: mean %{x:.3f}<extra></extra>",
            },
            {
                **on_strip,
                "type": "scatter",
                "mode": "markers",
                "name": "single splits (20 seeds)",
                "x": [],
                "y": [],
                "marker": {"size": 9, "color": PALETTE[2], "symbol": "triangle-up", "opacity": 0.75},
                "hovertemplate": "one split: %{x:.3f}<extra></extra>",
            },
            {**mark, "name": "held out in this fold", "x": [None], "y": [None], "marker": ring},
            _swatch("training rows of a fold", TRAINING),
            _swatch("held-out rows of a fold", HELD),
        ]
        data = scene["data"]
        data[CONFUSION]["visible"] = False
        for trace in data:  # no test set here: every row is tested once, in its fold
            if trace.get("name") in ("test (hollow)", "training (filled)"):
                trace["showlegend"] = False
                trace["visible"] = False
        data[HEAT]["colorbar"] |= {"x": sum(SIDE_X) / 2, "len": SIDE_X[1] - SIDE_X[0], "y": 0.0}
        layout = scene["layout"]
        layout["xaxis"]["domain"] = list(PLANE_X)
        layout["xaxis2"]["visible"] = layout["yaxis2"]["visible"] = False
        small = {"size": 10}
        layout[f"xaxis{FOLDS_AXIS}"] = {
            "domain": list(SIDE_X),
            "anchor": f"y{FOLDS_AXIS}",
            "range": [-0.5, n - 0.5],
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "tickfont": small,
            "title": {"text": "row of the dataset", "font": small, "standoff": 2},
        }
        layout[f"yaxis{FOLDS_AXIS}"] = {
            "domain": list(FOLDS_Y),
            "anchor": f"x{FOLDS_AXIS}",
            "type": "category",
            "autorange": "reversed",
            "fixedrange": True,
            "tickfont": {"size": 9},
            "title": {"text": "fold", "font": small, "standoff": 2},
        }
        layout[f"xaxis{STRIP_AXIS}"] = {
            "domain": list(SIDE_X),
            "anchor": f"y{STRIP_AXIS}",
            "fixedrange": True,
            "gridcolor": GRID,
            "zeroline": False,
            "tickfont": small,
            "title": {"text": f"{words} on held-out rows", "font": small, "standoff": 2},
        }
        layout[f"yaxis{STRIP_AXIS}"] = {
            "domain": list(STRIP_Y),
            "anchor": f"x{STRIP_AXIS}",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [SINGLE_ROW, CV_ROW],
            "range": [-0.6, 1.6],
            "fixedrange": True,
            "tickfont": {"size": 10},
            "title": {"text": "scored by", "font": small, "standoff": 2},
        }
        layout["annotations"] = _titles()
        narrow = scene["x-narrow"]  # the boundary view's (its colour bar titles in short lines), plus the restack
        narrow["data"] = {**narrow.get("data", {}), str(HEAT): {"showscale": False}}
        narrow["layout"] = {
            "xaxis": {"domain": [0.0, 1.0]},
            "yaxis": {"domain": [0.62, 1.0]},
            f"xaxis{FOLDS_AXIS}": {"domain": [0.16, 1.0], "title": {"text": ""}},
            f"yaxis{FOLDS_AXIS}": {"domain": [0.33, 0.45]},
            f"xaxis{STRIP_AXIS}": {"domain": [0.24, 1.0]},
            f"yaxis{STRIP_AXIS}": {"domain": [0.05, 0.19]},
            # Two legend columns: one entry a line would take half the phone's plot.
            "legend": {"font": {"size": 9}, "entrywidth": 0.5, "entrywidthmode": "fraction"},
        }
        scene["x-phases"] = {"shuffle": "Split", "split": "Split", "fold": "Fold by fold", "summary": "Summary"}
        return scene

    def render(self, frame: Frame, inputs: CrossValidationData, params: CrossValidationDrawn) -> dict[str, Any]:
        patch = self.base.render(frame, inputs, params)
        data = patch["data"] + [{}] * (self.base.n_scene_traces(inputs) - len(patch["data"]))
        visual, state = frame.visual, frame.state
        X = inputs.X
        held = visual.get("held_out")
        data.append({"x": [], "y": []} if held is None else _xy(X, held))
        row_bin, column_bin = self._shape(inputs)
        matrix = np.asarray(visual.get("assignment", np.zeros((0, X.shape[0]))), dtype=np.uint8)
        if matrix.shape[0]:
            cells = binned(matrix, row_bin, column_bin)
            data.append({"z": {**typed(cells, "u1"), "shape": f"{cells.shape[0]},{cells.shape[1]}"}})
        else:
            data.append({"z": []})
        # Folds with the same score share one marker, labelled with all their numbers ("1, 2").
        same: dict[float, list[str]] = {}
        for f, s in enumerate(state.get("scores", []), start=1):
            if s is not None:
                same.setdefault(round(float(s), 4), []).append(str(f))
        data.append({"x": list(same), "y": [CV_ROW] * len(same), "text": [", ".join(v) for v in same.values()]})
        current = state.get("score") if frame.kind == "fold" else None
        data.append({"x": [], "y": []} if current is None else {"x": [round(float(current), 4)], "y": [CV_ROW]})
        data.append(
            _mean_bars(state) if frame.kind == "summary" else {"x": [], "y": [], "error_x": {**ERROR_BAR, "array": []}}
        )
        single = [round(float(s), 4) for s in state.get("single_split_scores", []) if s is not None]
        data.append({"x": single, "y": [SINGLE_ROW] * len(single)})
        data += [{}, {}, {}]
        layout: dict[str, Any] = {"annotations": _titles()}
        if frame.kind == "fold":
            row = (int(state["fold"]) - 1) // row_bin
            layout["shapes"] = [_frame_row(row)]
        else:
            layout["shapes"] = []
        return {"data": data, "layout": layout}

    def panels(
        self, result: Mapping[str, Any], inputs: CrossValidationData, params: CrossValidationDrawn
    ) -> list[dict[str, Any]]:
        return []


def _titles() -> list[dict[str, Any]]:
    """The panels' headings, on their axes' domains (so a narrow layout that moves the axes moves them too)."""
    head = {"showarrow": False, "xanchor": "left", "yanchor": "bottom", "x": 0, "font": {"size": 11, "color": INK}}
    return [
        {
            **head,
            "text": "Folds: rows that train, rows held out",
            "xref": f"x{FOLDS_AXIS} domain",
            "yref": f"y{FOLDS_AXIS} domain",
            "y": 1.02,
        },
        {
            **head,
            "text": "Scores on held-out rows",
            "xref": f"x{STRIP_AXIS} domain",
            "yref": f"y{STRIP_AXIS} domain",
            "y": 1.04,
        },
    ]


def _frame_row(row: int) -> dict[str, Any]:
    """A rectangle around the folds panel's line ``row``: the fold being held out."""
    return {
        "type": "rect",
        "xref": f"x{FOLDS_AXIS} domain",
        "yref": f"y{FOLDS_AXIS}",
        "x0": 0,
        "x1": 1,
        "y0": row - 0.5,
        "y1": row + 0.5,
        "line": {"color": INK, "width": 2},
        "fillcolor": "rgba(0,0,0,0)",
    }


def _mean_bars(state: Mapping[str, Any]) -> dict[str, Any]:
    xs: list[float] = []
    ys: list[str] = []
    errors: list[float] = []
    for row, mean, std in (
        (CV_ROW, state.get("mean"), state.get("std")),
        (SINGLE_ROW, state.get("single_split_mean"), state.get("single_split_std")),
    ):
        if mean is not None and std is not None:
            xs.append(round(float(mean), 4))
            ys.append(row)
            errors.append(round(float(std), 4))
    return {"x": xs, "y": ys, "error_x": {**ERROR_BAR, "array": errors}}


def _swatch(name: str, colour: str) -> dict[str, Any]:
    """A legend key for a colour of the folds panel."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [None],
        "y": [None],
        "hoverinfo": "skip",
        "marker": {"symbol": "square", "size": 11, "color": colour, "line": {"width": 0}},
    }


def _xy(X: np.ndarray, rows: Any) -> dict[str, Any]:
    rows = np.asarray(rows, dtype=np.int64)
    return {"x": typed(X[rows, 0], "f4"), "y": typed(X[rows, 1], "f4")}
