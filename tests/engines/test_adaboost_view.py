"""The AdaBoost figure, composed as the player composes it (``app.preview_figure``): markers sized by their
weight, this round's cut and rings, the α / ε strip growing one round per frame, and its keys."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest

from app.catalog import get_algorithm
from app.core.frame import Frame, drain
from app.encoding import to_jsonable
from app.preview_figure import compose_figure, decode_typed_array
from app.runs import plan_run
from app.settings import Settings
from app.views.adaboost import LARGEST, SMALLEST, AdaBoostView, weight_sizes

PARAMS = {"dataset": {"name": "moons", "n_samples": 120, "noise": 0.3}, "n_estimators": 8, "grid_size": 24}


@functools.cache
def _run() -> tuple[Any, Any, dict[str, Any], list[Frame], list[dict[str, Any]]]:
    algorithm = get_algorithm("adaboost")
    assert algorithm is not None
    plan = plan_run(algorithm, PARAMS, 2, True, Settings())
    frames, _ = drain(algorithm.engine(plan.inputs, plan.params, np.random.default_rng(2)))
    scene = to_jsonable(algorithm.view.scene(plan.inputs, plan.params))
    patches = [to_jsonable(algorithm.view.render(f, plan.inputs, plan.params)) for f in frames]
    return plan.inputs, plan.params, scene, frames, patches


def _composed(i: int) -> dict[str, Any]:
    _, _, scene, _, patches = _run()
    return compose_figure(scene, patches[i], patches[:i])


def _trace(figure: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in figure["data"] if t.get("name") == name and t.get("x") != [None])


def _values(v: Any) -> np.ndarray:
    return decode_typed_array(v) if isinstance(v, dict) else np.asarray(v, dtype=float)


def test_marker_size_is_the_scenes_size_at_one_over_n_and_grows_with_the_weight() -> None:
    inputs, _, scene, frames, _ = _run()
    base = _trace(scene, "training points")["marker"]["size"]
    first = _values(_composed(0)["data"][1]["marker"]["size"])
    assert np.all(first == base)  # round 1: every weight is 1/N
    second = _values(_composed(1)["data"][1]["marker"]["size"])
    grew = np.searchsorted(inputs.split.train, frames[0].state["misclassified_by_tree"])
    others = np.setdiff1d(np.arange(second.size), grew)
    assert np.all(second[grew] > base) and np.all(second[others] <= base)  # the misclassified grew, the rest shrank
    sizes = weight_sizes(np.r_[1.0, np.full(99, 1e-12)], 9)  # one point of 100 holds all the weight: clamped
    assert sizes[0] == round(LARGEST * 9) and np.all(sizes[1:] == round(SMALLEST * 9))
    # Area ∝ weight: four times the weight, twice the diameter.
    assert weight_sizes(np.array([0.4, 0.1, 0.1, 0.4]) / 1.0, 10).tolist() == [13, 6, 6, 13]


def test_the_cut_and_the_rings_are_this_rounds_tree() -> None:
    inputs, _, _, frames, _ = _run()
    for i, frame in enumerate(frames):
        figure = _composed(i)
        rings = _trace(figure, "tree's mistake")
        rows = frame.state["misclassified_by_tree"]
        np.testing.assert_allclose(_values(rings["x"]), inputs.X[rows, 0].astype(np.float32))
        np.testing.assert_allclose(_values(rings["y"]), inputs.X[rows, 1].astype(np.float32))
        cut = _trace(figure, "cut")
        tree = frame.state["tree"]
        along = cut["x"] if tree["feature"][0] == 0 else cut["y"]
        assert along[:2] == pytest.approx([tree["threshold"][0]] * 2, abs=1e-6)  # a stump: one straight cut


def test_the_strip_grows_one_round_per_frame() -> None:
    _, _, _, frames, _ = _run()
    for i in (0, 3, len(frames) - 1):
        figure = _composed(i)
        bars, line = _trace(figure, "say α"), _trace(figure, "weighted error ε")
        assert bars["x"] == list(range(1, i + 2)) == line["x"]
        assert bars["y"] == pytest.approx([f.state["alpha"] for f in frames[: i + 1]], abs=1e-6)
        assert line["y"] == pytest.approx([f.state["error"] for f in frames[: i + 1]], abs=1e-6)


def test_keys_axes_and_the_guessing_line() -> None:
    _, params, scene, _, _ = _run()
    keys = {t["name"] for t in scene["data"] if t.get("x") == [None] and t.get("showlegend", True)}
    assert {"this tree's cut", "tree's mistake", "size = weight", "misclassified", "class 0", "class 1"} <= keys
    layout = scene["layout"]
    for axis in ("xaxis3", "yaxis3", "yaxis4"):
        assert layout[axis]["title"]["text"]
    assert layout["yaxis"]["domain"][0] > layout["yaxis3"]["domain"][1]  # the strip sits below the plane
    guess = _trace(scene, "guessing: ε = 1 − 1/K")
    assert guess["y"] == [0.5, 0.5] and guess["x"] == [0.5, params.n_estimators + 0.5]
    inputs, params, _, _, _ = _run()
    view = AdaBoostView()
    theirs = to_jsonable(view.boundary.scene(inputs, params))["data"]
    n = view.boundary.n_scene_traces(inputs)
    assert len(theirs) == n and scene["data"][1:n] == theirs[1:]  # the boundary's traces first, as they are
