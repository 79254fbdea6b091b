"""Keys of the supervised labs' figures (issue 12, items 2, 3 and 6; shared contracts 3 and 4).

For each lab's default run and a run on drawn (inline) data, the scene and each frame composed onto it, as the
player composes them: every trace a learner must tell apart is named and in a legend, every colour scale has a
titled colour bar, every axis drawn has a title, the boundary shading's extent is the axes' range (no white
bands), classes differ by marker shape, and the scene says what a frame is (``x-timeline``).
"""

from __future__ import annotations

import base64
import copy
import functools
from typing import Any

import numpy as np
import pytest

from app.catalog import all_algorithms
from app.core.frame import drain
from app.encoding import to_jsonable
from app.runs import plan_run
from app.settings import Settings

LABS = {a.id: a for a in all_algorithms()}
BOUNDARY = ["logistic-regression", "perceptron", "knn", "svm"]
# The trees and ensembles (issue 13): a boundary lab each, with few models and a coarse grid to stay fast.
ENSEMBLES = ["decision-tree", "voting", "bagging", "random-forest", "adaboost", "gradient-boosting", "stacking"]
SUPERVISED = [*BOUNDARY, *ENSEMBLES, "neural-network", "activations"]
SMALL_RUN: dict[str, dict[str, Any]] = {
    "decision-tree": {"max_depth": 3, "grid_size": 30},
    "voting": {"grid_size": 30},
    "bagging": {"n_estimators": 4, "grid_size": 30},
    "random-forest": {"n_estimators": 4, "grid_size": 30},
    "adaboost": {"n_estimators": 4, "grid_size": 30},
    "gradient-boosting": {"n_estimators": 4, "grid_size": 30},
    "stacking": {"cv": 3, "grid_size": 30},
}
"""The ensembles' "default" run: their defaults but for these (the older labs' is their defaults)."""
# Three classes drawn by hand (two for the binary labs): the drawn-data run.
DRAWN_3 = {
    "X": [[0, 0], [0.5, 0.2], [0.2, 0.6], [3, 3], [3.4, 2.7], [2.8, 3.5], [0, 4], [0.4, 4.3], [-0.3, 3.6]],
    "y": [0, 0, 0, 1, 1, 1, 2, 2, 2],
}
DRAWN_2 = {"X": DRAWN_3["X"][:6], "y": DRAWN_3["y"][:6]}
DRAWN = {
    "logistic-regression": {"dataset": DRAWN_3, "epochs": 5},
    "perceptron": {"dataset": DRAWN_2},
    "knn": {"dataset": DRAWN_3, "k": 3},
    "svm": {"dataset": DRAWN_2, "kernel": "poly", "degree": 2},  # also draws the 3-D kernel panel
    "neural-network": {"dataset": DRAWN_3, "epochs": 4, "frame_every": 2},
    **{lab: {**small, "dataset": DRAWN_3} for lab, small in SMALL_RUN.items()},
}
RUNS = [(lab, "default") for lab in SUPERVISED] + [(lab, "drawn") for lab in DRAWN]
BOUNDARY_RUNS = [r for r in RUNS if r[0] in BOUNDARY or r[0] in ENSEMBLES]
CLASSIFIER_RUNS = [r for r in RUNS if r[0] != "activations"]
LEGEND = {
    "logistic-regression": {"class 0", "class 1", "training (filled)", "test (hollow)", "misclassified"},
    "perceptron": {"training (filled)", "decision boundary", "line before the update"},
    "knn": {"class 0", "training (filled)", "test (hollow)", "misclassified"},
    "svm": {"support vector", "boundary f = 0, margins ±1", "test (hollow)"},
    "neural-network": {"class 0", "class 1", "training (filled)", "test (hollow)", "weight < 0"},
    "activations": {"sigmoid", "std of activations", "std of gradients"},
    "decision-tree": {"class 0", "training (filled)", "test (hollow)", "misclassified", "node being split"},
    "voting": {"class 0", "class 1", "training (filled)", "test (hollow)", "misclassified"},
    "bagging": {"training (filled)", "test (hollow)", "drawn once by this estimator", "not drawn (faded)"},
    "random-forest": {"training (filled)", "test (hollow)", "drawn once by this tree", "not drawn (faded)"},
    "adaboost": {"training (filled)", "size = weight", "tree's mistake", "this tree's cut"},
    "gradient-boosting": {"training (filled)", "this tree's cuts", "training loss", "test loss"},
    "stacking": {"training (filled)", "test (hollow)", "misclassified", "held out in this fold"},
}
TIMELINE = {
    "logistic-regression": ("epoch", "epoch"),
    "perceptron": (None, "update"),
    "knn": ("k", "k (neighbours voting)"),
    "svm": ("iteration", "SMO step"),
    "neural-network": ("epoch", "epoch"),
    "activations": ("layer", "layer"),
    "decision-tree": (None, "step"),
    "voting": (None, "model, then the vote"),
    "bagging": ("estimator", "estimators voting"),
    "random-forest": ("trees", "trees in the forest"),
    "adaboost": ("round", "boosting round"),
    "gradient-boosting": ("stage", "stage (trees added)"),
    "stacking": (None, "fold, then meta-model, then stack"),
}
CHAPTERS = {
    "decision-tree": {"Growing", "Pruning", "Depth sweep"},
    "voting": {"Each model alone", "The vote"},
    "random-forest": {"Trees, one by one", "The whole forest"},
    "stacking": {"Out-of-fold predictions", "Meta-model and stack"},
}
"""The labs whose scene names its phases (``x-phases``: the scrubber's chapters), and their titles."""


def _decode(value: Any) -> np.ndarray:
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
    return np.asarray(value)


def _merge(scene: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    figure = copy.deepcopy(scene)
    for i, trace in enumerate(patch.get("data", [])):
        figure["data"][i].update(trace)
    figure["layout"].update(patch.get("layout", {}))
    return figure


@functools.cache
def _run(lab: str, which: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[Any], list[dict[str, Any]]]:
    """(scene, figures of the first, middle and last frames, all frames, panels)."""
    algorithm = LABS[lab]
    params = DRAWN[lab] if which == "drawn" else SMALL_RUN.get(lab, {})
    plan = plan_run(algorithm, params, 0, True, Settings())
    view = algorithm.view
    scene = to_jsonable(view.scene(plan.inputs, plan.params))
    frames, result = drain(algorithm.engine(plan.inputs, plan.params, np.random.default_rng(0)))
    picks = sorted({0, len(frames) // 2, len(frames) - 1})
    figures = [_merge(scene, to_jsonable(view.render(frames[i], plan.inputs, plan.params))) for i in picks]
    panels = [to_jsonable(p["figure"]) for p in view.panels(result, plan.inputs, plan.params)]
    return scene, figures, frames, panels


def _in_legend(figure: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in figure["data"] if t.get("showlegend", True) and t.get("visible", True) is not False]


def _has_points(trace: dict[str, Any]) -> bool:
    return any(_decode(trace.get(k, [])).size for k in ("x", "y", "z"))


def _ids(runs: list[tuple[str, str]]) -> list[str]:
    return [f"{lab}-{which}" for lab, which in runs]


@pytest.fixture(scope="module", params=RUNS, ids=_ids(RUNS))
def run(request: pytest.FixtureRequest) -> tuple[str, Any]:
    lab, which = request.param
    return lab, _run(lab, which)


def test_every_trace_told_apart_is_named_in_a_legend(run: tuple[str, Any]) -> None:
    lab, (scene, figures, _, panels) = run
    for figure in [scene, *figures, *panels]:
        shown = _in_legend(figure)
        if len(shown) > 1:  # one series (mistakes per epoch) is said by its axis titles
            assert figure["layout"].get("showlegend") is True, f"{lab}: the figure shows its legend"
        assert all(str(t.get("name", "")).strip() for t in shown), f"{lab}: a legend entry without a name"
    names = {t["name"] for t in _in_legend(scene)}
    missing = {n for n in LEGEND[lab] if not n.startswith("class ") or n in names} - names
    assert not missing, f"{lab}: the legend lacks {missing}"
    if lab in BOUNDARY or lab in ENSEMBLES or lab == "neural-network":
        assert {"class 0", "class 1"} <= names, f"{lab}: each class has its key"


def test_every_colour_scale_has_a_titled_colour_bar(run: tuple[str, Any]) -> None:
    lab, (scene, figures, _, panels) = run
    for figure in [*figures, *panels]:
        titled = [  # a heatmap shows its colour bar unless told not to (plotly's showscale defaults to true)
            t
            for t in figure["data"]
            if t.get("showscale", "colorscale" in t) and t.get("colorbar", {}).get("title", {}).get("text")
        ]
        for trace in figure["data"]:
            if "colorscale" not in trace or trace.get("texttemplate") or trace.get("type") == "surface":
                continue  # counts written in their cells (confusion), or the kernel's one-colour plane
            shares = any(t["colorscale"] == trace["colorscale"] for t in titled)
            assert shares, f"{lab}: {trace.get('name')!r} has a colour scale with no titled colour bar"
    if lab != "activations":
        assert any(t.get("showscale") for t in scene["data"]), f"{lab}: the shading has a colour bar"


def _drawn_axes(figure: dict[str, Any]) -> set[str]:
    """Layout names of the 2-D axes some trace draws on (``xaxis``, ``yaxis2``, ...)."""
    used: set[str] = set()
    for trace in figure["data"]:
        if trace.get("type") in ("scatter3d", "surface"):
            continue
        for letter in "xy":
            ref = trace.get(f"{letter}axis", letter)
            used.add(f"{letter}axis{ref[1:]}")
    return used


def test_every_axis_drawn_has_a_title(run: tuple[str, Any]) -> None:
    lab, (scene, _, _, panels) = run
    for figure in [scene, *panels]:
        layout = figure["layout"]
        for name in _drawn_axes(figure):
            axis = layout.get(name, {})
            if axis.get("visible") is False:
                continue  # the network drawing's hidden axes
            assert str(axis.get("title", {}).get("text", "")).strip(), f"{lab}: {name} has no title"
        for name in ("xaxis", "yaxis", "zaxis") if "scene" in layout else ():
            assert layout["scene"][name]["title"]["text"], f"{lab}: 3-D {name} has no title"


@pytest.mark.parametrize(("lab", "which"), BOUNDARY_RUNS, ids=_ids(BOUNDARY_RUNS))
def test_the_shading_reaches_the_axes_edges(lab: str, which: str) -> None:
    scene, figures, _, _ = _run(lab, which)
    heat, layout = scene["data"][0], scene["layout"]
    xs, ys = _decode(heat["x"]), _decode(heat["y"])
    assert layout["xaxis"]["range"] == pytest.approx([xs[0], xs[-1]], rel=1e-6, abs=1e-6)
    assert layout["yaxis"]["range"] == pytest.approx([ys[0], ys[-1]], rel=1e-6, abs=1e-6)
    assert "scaleanchor" not in layout["yaxis"], "an equal aspect would squash the plane or leave white bands"
    for figure in figures[1:]:  # stacking shades nothing while its folds fill the table, then every cell
        shaded = _decode(figure["data"][0]["z"]).size
        assert shaded in (0, xs.size * ys.size), "a shading covers every cell of the grid"
    assert _decode(figures[-1]["data"][0]["z"]).size == xs.size * ys.size, "the last frame shades every cell"


@pytest.mark.parametrize(("lab", "which"), CLASSIFIER_RUNS, ids=_ids(CLASSIFIER_RUNS))
def test_classes_differ_by_marker_shape(lab: str, which: str) -> None:
    scene, _, _, panels = _run(lab, which)
    point_traces = [t for t in scene["data"] if t.get("name") in ("training points", "test points") and _has_points(t)]
    assert point_traces, f"{lab}: the points are drawn"
    for trace in point_traces:
        classes = _decode(trace["marker"]["color"]).astype(int)
        symbols = np.asarray(trace["marker"]["symbol"])
        assert symbols.shape == classes.shape, "one symbol per point"
        per_class = {c: set(symbols[classes == c].tolist()) for c in np.unique(classes).tolist()}
        assert all(len(s) == 1 for s in per_class.values()), f"{lab}: a class has one shape"
        assert len({next(iter(s)) for s in per_class.values()}) == len(per_class), f"{lab}: classes share a shape"
    train, test = point_traces[0], point_traces[-1]
    if train is not test:
        assert not set(train["marker"]["symbol"]) & set(test["marker"]["symbol"]), "test points are hollow"
    for panel in panels:  # the SVM kernel panel's points
        for points in (t for t in panel["data"] if t.get("name") == "points"):
            assert len(set(np.asarray(points["marker"]["symbol"]).tolist())) >= 2


def test_the_scene_says_what_a_frame_is(run: tuple[str, Any]) -> None:
    lab, (scene, _, frames, _) = run
    key, title = TIMELINE[lab]
    assert scene["x-timeline"] == {"key": key, "title": title}
    if key is not None:
        positions = [frame.state[key] for frame in frames]
        assert all(isinstance(p, int | float) for p in positions), f"{lab}: every frame has a number at {key!r}"
        assert positions == sorted(positions), f"{lab}: the timeline runs forward"
    if lab not in CHAPTERS:
        assert "x-phases" not in scene, f"{lab}: one phase, no chapters"
        return
    phases = scene["x-phases"]
    assert set(phases.values()) == CHAPTERS[lab], f"{lab}: its chapters' titles"
    assert {frame.kind for frame in frames} <= set(phases), f"{lab}: every frame is in a chapter"
