"""The hyperparameter-tuning lab's figure: the boundary view's plane (narrowed) on the left, showing the current
candidate's model refit on the search rows; on the right the search panel (grid and halving: the score map, one
cell per candidate; random: one point per draw on the axes' own scales) above the progress panel (grid and
random: each candidate's CV score and the best so far over evaluations; halving: each round's candidates, kept
or dropped). The winner frame adds the winner's held-out test score beside its CV score.

* A frame sends the plane's grid as bytes (the boundary view's encoding) and the panels' few numbers as plain
  lists (at most 12 × 12 cells, or the draws so far): the axes, labels and keys go once in the scene.
* The boundary view's confusion matrix is hidden: the progress panel carries the scores, and the winner's
  test accuracy is in its caption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.boundary import CONFUSION, HEAT, BoundaryView
from app.views.inputs import BoundaryData
from app.views.theme import GRID, INK, MUTED, PALETTE

PLANE_X = (0.0, 0.5)
SEARCH_X = (0.64, 0.9)
SEARCH_Y = (0.62, 0.93)
PROGRESS_X = (0.64, 1.0)
PROGRESS_Y = (0.25, 0.43)
SEARCH_AXIS, PROGRESS_AXIS = 3, 4
SCORE_SCALE = "Viridis"
CELL_TEXT_MAX = 49
NARROW_HEIGHT = 720
"""A phone's plot height (px; the page caps it to the screen): three panels stacked need more than its default."""
"""Grids of at most this many cells write each score in its cell (beyond, the numbers would overlap)."""
CURRENT, BEST, TEST = PALETTE[5], PALETTE[1], PALETTE[2]


class TuningAxis(Protocol):
    """One searched hyperparameter (``app.engines.hyperparameter_tuning.Axis``)."""

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def values(self) -> tuple[Any, ...]: ...

    @property
    def low(self) -> float: ...

    @property
    def high(self) -> float: ...

    @property
    def log(self) -> bool: ...

    @property
    def kind(self) -> str: ...


class TuningSearch(Protocol):
    """What is searched."""

    @property
    def axes(self) -> tuple[TuningAxis, TuningAxis]: ...

    @property
    def strategy(self) -> str: ...


class TuningData(BoundaryData, Protocol):
    """The boundary data and the search."""

    @property
    def search(self) -> TuningSearch: ...


class TuningDrawn(Protocol):
    """The params the view reads."""

    @property
    def grid_size(self) -> int: ...


def label(value: Any) -> str:
    """A grid value as its axis labels it: "0.01", "1000", "5", "distance"."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(axis: TuningAxis) -> str:
    """An axis title short enough for a phone: the param's name and its scale."""
    name = {"hidden_layer_sizes": "width", "n_neighbors": "k", "learning_rate_init": "learning rate"}
    return name.get(axis.name, axis.name.replace("_", " ")) + (" (log)" if axis.log else "")


def _discrete(axis: TuningAxis, random: bool) -> bool:
    """Whether the axis is drawn by category (every grid axis; random search's weights and widths)."""
    return not random or axis.kind == "choice" or axis.name == "hidden_layer_sizes"


def _search_axis(axis: TuningAxis, random: bool, side: str) -> dict[str, Any]:
    small = {"size": 10}
    words = axis.label + (" (log scale)" if axis.log else "")
    out: dict[str, Any] = {
        "domain": list(SEARCH_X if side == "x" else SEARCH_Y),
        "anchor": f"{'y' if side == 'x' else 'x'}{SEARCH_AXIS}",
        "fixedrange": True,
        "tickfont": small,
        "title": {"text": words, "font": small, "standoff": 2},
        "showgrid": random,
        "gridcolor": GRID,
        "zeroline": False,
    }
    if _discrete(axis, random):
        ticks = list(range(len(axis.values)))
        out |= {
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [label(v) for v in axis.values],
            "range": [-0.5, len(axis.values) - 0.5],
        }
    elif axis.log:
        out |= {"type": "log", "range": [float(np.log10(axis.low)) - 0.1, float(np.log10(axis.high)) + 0.1]}
    else:
        pad = (axis.high - axis.low) * 0.05
        out |= {"range": [axis.low - pad, axis.high + pad]}
    return out


class HyperparameterTuningView:
    """Composes ``BoundaryView("probability")``; trace order: its traces, the search panel's scores, the current
    candidate, the best so far, the dropped candidates, the progress panel's dots, its line, the test score."""

    def __init__(self) -> None:
        self.base = BoundaryView("probability", timeline={"key": None, "title": "each candidate, then the winner"})

    def scene(self, inputs: TuningData, params: TuningDrawn) -> dict[str, Any]:
        scene = self.base.scene(inputs, params)
        search = inputs.search
        first, second = search.axes
        random, halving = search.strategy == "random", search.strategy == "halving"
        chance = 1 / len(inputs.classes)
        on_search = {"xaxis": f"x{SEARCH_AXIS}", "yaxis": f"y{SEARCH_AXIS}"}
        on_progress = {"xaxis": f"x{PROGRESS_AXIS}", "yaxis": f"y{PROGRESS_AXIS}"}
        bar = {
            "x": SEARCH_X[1] + 0.02,
            "xanchor": "left",
            "y": sum(SEARCH_Y) / 2,
            "len": SEARCH_Y[1] - SEARCH_Y[0],
            "thickness": 10,
            "outlinewidth": 0,
            "title": {"text": "mean CV<br>accuracy", "side": "top", "font": {"size": 10}},
            "tickfont": {"size": 9},
        }
        hover = f"{first.name} %{{x}}, {second.name} %{{y}}: %{{z:.3f}}<extra></extra>"
        if random:
            scores: dict[str, Any] = {
                **on_search,
                "type": "scatter",
                "mode": "markers",
                "name": "a random draw",
                "x": [],
                "y": [],
                "marker": {
                    "size": 11,
                    "symbol": "circle",
                    "color": [],
                    "colorscale": SCORE_SCALE,
                    "cmin": chance,
                    "cmax": 1.0,
                    "colorbar": bar,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": f"{first.name} %{{x:.3g}}, {second.name} %{{y:.3g}}<extra></extra>",
            }
        else:
            scores = {
                **on_search,
                "type": "heatmap",
                "name": "mean CV accuracy",
                "x": list(range(len(first.values))),
                "y": list(range(len(second.values))),
                "z": [],
                "zmin": chance,
                "zmax": 1.0,
                "colorscale": SCORE_SCALE,
                "colorbar": bar,
                "showlegend": False,
                "xgap": 1,
                "ygap": 1,
                "hoverongaps": False,
                "hovertemplate": hover,
            }
            if len(first.values) * len(second.values) <= CELL_TEXT_MAX:
                scores |= {"texttemplate": "%{z:.2f}", "textfont": {"size": 9}}
        mark = {"type": "scatter", "mode": "markers", "x": [], "y": [], "hoverinfo": "skip"}
        ring = "circle-open" if random else "square-open"
        scene["data"] += [
            scores,
            {
                **on_search,
                **mark,
                "name": "this candidate",
                "marker": {"symbol": ring, "size": 20, "color": CURRENT, "line": {"width": 3, "color": CURRENT}},
            },
            {
                **on_search,
                **mark,
                "name": "best candidate",
                "marker": {"symbol": "star", "size": 15, "color": BEST, "line": {"width": 1, "color": INK}},
            },
            {
                **on_search,
                **mark,
                "name": "dropped this round",
                "showlegend": False,
                "marker": {"symbol": "x-thin", "size": 12, "opacity": 0.55, "line": {"width": 1.5, "color": INK}},
            },
            {
                **on_progress,
                **mark,
                "name": "kept" if halving else "CV score",
                "marker": {"symbol": "circle", "size": 7, "color": PALETTE[0], "opacity": 0.8},
                "hovertemplate": "%{y:.3f}<extra></extra>",
            },
            {
                **on_progress,
                "type": "scatter",
                "x": [],
                "y": [],
                "hoverinfo": "skip",
                **(
                    {
                        "mode": "markers",
                        "name": "dropped",
                        "marker": {"symbol": "x-thin", "size": 9, "color": MUTED, "line": {"width": 2, "color": MUTED}},
                    }
                    if halving
                    else {
                        "mode": "lines",
                        "name": "best CV so far",
                        "line": {"color": BEST, "width": 2.5, "shape": "hv"},
                    }
                ),
            },
            {
                **on_progress,
                **mark,
                "name": "winner's test score",
                "marker": {"symbol": "diamond", "size": 13, "color": TEST, "line": {"width": 1, "color": INK}},
            },
        ]
        data = scene["data"]
        data[CONFUSION]["visible"] = False
        colours = data[HEAT]["colorbar"]
        colours |= {"x": sum(PROGRESS_X) / 2, "len": PROGRESS_X[1] - PROGRESS_X[0], "y": 0.0}
        colours["title"] = {**colours["title"], "text": colours["title"]["text"].replace("<br>", " ")}
        layout = scene["layout"]
        layout["xaxis"]["domain"] = list(PLANE_X)
        layout["xaxis2"]["visible"] = layout["yaxis2"]["visible"] = False
        layout[f"xaxis{SEARCH_AXIS}"] = _search_axis(first, random, "x")
        layout[f"yaxis{SEARCH_AXIS}"] = _search_axis(second, random, "y")
        small = {"size": 10}
        progress_x: dict[str, Any] = {
            "domain": list(PROGRESS_X),
            "anchor": f"y{PROGRESS_AXIS}",
            "fixedrange": True,
            "gridcolor": GRID,
            "zeroline": False,
            "tickfont": small,
            "title": {
                "text": "round (rows per candidate grow)" if halving else "evaluation",
                "font": small,
                "standoff": 2,
            },
        }
        if halving:
            progress_x |= {"dtick": 1, "range": [0.5, 3.5]}
        layout[f"xaxis{PROGRESS_AXIS}"] = progress_x
        layout[f"yaxis{PROGRESS_AXIS}"] = {
            "domain": list(PROGRESS_Y),
            "anchor": f"x{PROGRESS_AXIS}",
            "fixedrange": True,
            "gridcolor": GRID,
            "zeroline": False,
            "tickfont": small,
            "range": [max(0.0, chance - 0.05), 1.02],
            "title": {"text": "CV accuracy", "font": small, "standoff": 2},
        }
        layout["annotations"] = _titles(search.strategy)
        narrow = scene["x-narrow"]  # the boundary view's, plus the restack: plane on top, the two panels under it
        scores_at = str(self.base.n_scene_traces(inputs))
        small_bar = {"colorbar": {"y": 0.38, "len": 0.22, "x": 0.86, "title": {"text": "CV<br>accuracy"}}}
        narrow["data"] = {
            **narrow.get("data", {}),
            str(HEAT): {"showscale": False},
            scores_at: {"marker": small_bar} if random else {**small_bar, "texttemplate": ""},
        }
        short = {"font": {"size": 9}, "standoff": 2}
        narrow["height"] = NARROW_HEIGHT  # the plane, the score map and the best-so-far curve, stacked
        narrow["layout"] = {
            "xaxis": {"domain": [0.0, 1.0]},
            "yaxis": {"domain": [0.6, 1.0]},
            f"xaxis{SEARCH_AXIS}": {"domain": [0.2, 0.8], "title": {**short, "text": _short(first)}},
            f"yaxis{SEARCH_AXIS}": {"domain": [0.27, 0.49], "title": {**short, "text": _short(second)}},
            f"xaxis{PROGRESS_AXIS}": {"domain": [0.2, 1.0]},
            f"yaxis{PROGRESS_AXIS}": {"domain": [0.02, 0.15]},
            # Two legend columns: one entry a line would take half the phone's plot.
            "legend": {"font": {"size": 9}, "entrywidth": 0.5, "entrywidthmode": "fraction"},
        }
        # No room on a phone for the panels' headings: their axis titles say what they show.
        narrow["annotations_off"] = [f"x{SEARCH_AXIS} domain", f"x{PROGRESS_AXIS} domain"]
        scene["x-phases"] = {"setup": "Setup", "evaluate": "Search", "round": "Search", "winner": "Winner"}
        return scene

    def render(self, frame: Frame, inputs: TuningData, params: TuningDrawn) -> dict[str, Any]:
        patch = self.base.render(frame, inputs, params)
        data = patch["data"] + [{}] * (self.base.n_scene_traces(inputs) - len(patch["data"]))
        visual, search = frame.visual, inputs.search
        random, halving = search.strategy == "random", search.strategy == "halving"
        positions = np.asarray(visual.get("positions", np.zeros((0, 2))), dtype=np.float64)  # (m, 2)
        means = np.asarray(visual.get("means", np.zeros(0)), dtype=np.float64)  # (m,)
        data.append(_scores(search, positions, means, random))
        current = visual.get("current")
        data.append(_points([current]) if current is not None else {"x": [], "y": []})
        best = visual.get("best_position")
        data.append(_points([best]) if best is not None else {"x": [], "y": []})
        dropped = np.asarray(visual.get("dropped", np.zeros(0)), dtype=np.int64)
        data.append(_points(positions[dropped]) if dropped.size else {"x": [], "y": []})
        test = frame.state.get("test_score") if frame.kind == "winner" else None
        if halving:
            history = np.asarray(visual.get("history", np.zeros((0, 3))), dtype=np.float64)  # (rows, 3)
            kept, out = history[history[:, 2] == 1], history[history[:, 2] == 0]
            data.append(_xy(kept[:, 0], kept[:, 1]))
            data.append(_xy(out[:, 0], out[:, 1]))
            last = float(history[-1, 0]) if history.size else 1.0
        else:
            steps = np.arange(1, means.size + 1, dtype=np.float64)
            data.append(_xy(steps, means))
            data.append(_xy(steps, np.asarray(visual.get("best_curve", np.zeros(0)), dtype=np.float64)))
            last = float(max(means.size, 1))
        data.append({"x": [], "y": []} if test is None else {"x": [last], "y": [round(float(test), 4)]})
        layout: dict[str, Any] = {}  # the panels' headings are the scene's
        if halving:
            rounds = int(frame.state.get("n_rounds", last))
            layout[f"xaxis{PROGRESS_AXIS}"] = {"range": [0.5, max(rounds, int(last)) + 0.5]}
        else:
            layout[f"xaxis{PROGRESS_AXIS}"] = {"range": [0.5, max(float(means.size), 1.0) + 0.5]}
        return {"data": data, "layout": layout}

    def panels(self, result: Mapping[str, Any], inputs: TuningData, params: TuningDrawn) -> list[dict[str, Any]]:
        return []


def _round4(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 4) for v in values]


def _xy(xs: np.ndarray, ys: np.ndarray) -> dict[str, Any]:
    return {"x": _round4(xs), "y": _round4(ys)}


def _points(rows: Sequence[Any] | np.ndarray) -> dict[str, Any]:
    array = np.asarray(rows, dtype=np.float64).reshape(-1, 2)  # (p, 2): panel positions
    return _xy(array[:, 0], array[:, 1])


def _scores(search: TuningSearch, positions: np.ndarray, means: np.ndarray, random: bool) -> dict[str, Any]:
    """The search panel's patch: the draws so far (random) or the score map (grid, halving; gaps: not yet)."""
    if random:
        shown = np.where(np.isfinite(means), means, 0.0)
        return {**_xy(positions[:, 0], positions[:, 1]), "marker": {"color": _round4(shown)}}
    first, second = search.axes
    z: list[list[float | None]] = [[None] * len(first.values) for _ in second.values]  # (n2, n1)
    for (col, row), mean in zip(positions, means, strict=True):
        if np.isfinite(mean):
            z[int(row)][int(col)] = round(float(mean), 4)
    return {"z": z}


def _titles(strategy: str) -> list[dict[str, Any]]:
    """The panels' headings, on their axes' domains (so a narrow layout that moves the axes moves them too)."""
    head = {"showarrow": False, "xanchor": "left", "yanchor": "bottom", "x": 0, "font": {"size": 11, "color": INK}}
    search = {
        "grid": "Each candidate's mean CV accuracy",
        "random": "Random draws, coloured by CV accuracy",
        "halving": "Each candidate's latest CV accuracy",
    }[strategy]
    progress = "Rounds: who is kept, who is dropped" if strategy == "halving" else "Best so far, over evaluations"
    return [
        {**head, "text": search, "xref": f"x{SEARCH_AXIS} domain", "yref": f"y{SEARCH_AXIS} domain", "y": 1.03},
        {**head, "text": progress, "xref": f"x{PROGRESS_AXIS} domain", "yref": f"y{PROGRESS_AXIS} domain", "y": 1.04},
    ]
