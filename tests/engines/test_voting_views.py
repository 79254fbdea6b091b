"""The voting and stacking figures composed as the player composes them (scene + one frame's patch, plus the
``x-extend`` rows of the frames so far): the strip fills member by member, the level-1 table grows fold by fold
to the whole table, and the keys every figure needs (legend names, titled colour bars, axis titles, shapes)."""

from __future__ import annotations

import base64
import copy
from typing import Any

import numpy as np
import pytest

from app.catalog import get_algorithm
from app.core.frame import drain
from app.encoding import to_jsonable
from app.runs import plan_run
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3, "seed": 1}


def _decode(value: Any) -> np.ndarray:
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
    return np.asarray(value)


def _compose(scene: dict[str, Any], patches: list[dict[str, Any]], i: int) -> dict[str, Any]:
    """Frame i's figure: the scene, the x-extend values of frames 0..i, then frame i's patch (compose.js)."""
    figure = copy.deepcopy(scene)
    for patch in patches[: i + 1]:
        for j, trace in enumerate(patch.get("data", [])):
            for key, values in trace.get("x-extend", {}).items():
                figure["data"][j][key] = [*figure["data"][j].get(key, []), *values]
    for j, trace in enumerate(patches[i].get("data", [])):
        figure["data"][j].update({k: v for k, v in trace.items() if k != "x-extend"})
    figure["layout"].update(patches[i].get("layout", {}))
    return figure


def _figures(lab: str, params: dict[str, Any]) -> tuple[Any, list[Any], list[dict[str, Any]], list[Any]]:
    algorithm = get_algorithm(lab)
    assert algorithm is not None
    plan = plan_run(algorithm, params, 0, True, Settings())
    scene = to_jsonable(algorithm.view.scene(plan.inputs, plan.params))
    frames, result = drain(algorithm.engine(plan.inputs, plan.params, np.random.default_rng(0)))
    patches = [to_jsonable(algorithm.view.render(f, plan.inputs, plan.params)) for f in frames]
    panels = [to_jsonable(p["figure"]) for p in algorithm.view.panels(result, plan.inputs, plan.params)]
    return plan, frames, [_compose(scene, patches, i) for i in range(len(frames))], [scene, *panels]


def _pictures(figure: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in figure["data"] if str(t.get("name", "")).endswith(" alone")]


def test_the_strip_fills_member_by_member_and_titles_say_their_accuracy() -> None:
    plan, frames, figures, _ = _figures("voting", {"dataset": MOONS, "grid_size": 20})
    m, t = len(plan.inputs.names), plan.inputs.thumbnail_size
    for i, figure in enumerate(figures):
        filled = [_decode(p["z"]).size for p in _pictures(figure)]
        shown = min(i + 1, m)
        assert filled == [t * t] * shown + [0] * (m - shown), (i, filled)
        titles = [
            a["text"] for a in figure["layout"]["annotations"] if "<br>" in a["text"] and "Confusion" not in a["text"]
        ]
        for j, title in enumerate(titles):
            accuracy = frames[j].state["test_accuracy"]
            assert title.endswith(f"test {100 * accuracy:.0f} %") if j < shown else title.endswith("…")
    heat = _decode(figures[0]["data"][0]["z"])
    assert heat.size == plan.params.grid_size**2  # the plane is the first member alone


def test_the_level1_table_grows_fold_by_fold_to_the_whole_table() -> None:
    plan, frames, figures, _ = _figures("stacking", {"dataset": MOONS, "grid_size": 20, "cv": 3})
    table = next(t for t in figures[0]["data"] if t.get("name") == "level-1 table")
    index = figures[0]["data"].index(table)
    n_train = plan.inputs.split.train.size
    rows = [len(f["data"][index]["z"]) for f in figures]
    assert rows == [frames[0].state["filled"], frames[1].state["filled"], n_train, n_train, n_train]
    z = np.asarray(figures[-1]["data"][index]["z"])
    assert z.shape == (n_train, 1 + len(plan.inputs.names))  # the true class, then one column per model
    held = np.concatenate([f.state["held_out"] for f in frames if f.kind == "fold"])
    np.testing.assert_array_equal(z[:, 0], plan.inputs.y[held])  # the true class of each row, fold by fold
    np.testing.assert_array_equal(np.asarray(figures[-1]["data"][index]["customdata"])[:, 0], held)
    lines = [s for s in figures[0]["layout"]["shapes"] if s["type"] == "line"]
    assert len(lines) == 2  # between the three folds
    weights = next(t for t in figures[-1]["data"] if t.get("name") == "meta-model weights")
    assert np.asarray(weights["z"]).shape == (1, len(plan.inputs.names))
    assert not next(t for t in figures[0]["data"] if t.get("name") == "meta-model weights")["z"]  # no meta-model yet
    ring = next(t for t in figures[0]["data"] if t.get("name") == "held out in this fold" and t.get("x") != [None])
    assert _decode(ring["x"]).size == frames[0].state["held_out"].size
    assert (
        _decode(
            next(
                t
                for t in figures[-1]["data"]
                if t is not None and t.get("name") == "held out in this fold" and t.get("x") != [None]
            )["x"]
        ).size
        == 0
    )


@pytest.mark.parametrize(
    ("lab", "params"),
    [
        ("voting", {}),
        ("voting", {"dataset": BLOBS3, "voting": "soft", "estimators": [{"model": "naive_bayes"}, {"model": "knn"}]}),
        ("stacking", {}),
        ("stacking", {"dataset": BLOBS3, "final_estimator": "decision_tree", "passthrough": True}),
    ],
    ids=["voting", "voting-soft-3-classes", "stacking", "stacking-tree-3-classes"],
)
def test_keys_legends_colour_bars_and_axis_titles(lab: str, params: dict[str, Any]) -> None:
    _, frames, figures, statics = _figures(lab, params)
    scene = statics[0]
    for figure in [*figures, *statics]:
        shown = [t for t in figure["data"] if t.get("showlegend", True) and t.get("visible", True) is not False]
        assert all(str(t.get("name", "")).strip() for t in shown), f"{lab}: a legend entry without a name"
        titled = [
            t for t in figure["data"] if t.get("showscale") and t.get("colorbar", {}).get("title", {}).get("text")
        ]
        for trace in figure["data"]:
            if "colorscale" in trace and not trace.get("texttemplate") and trace.get("visible", True) is not False:
                assert any(t["colorscale"] == trace["colorscale"] for t in titled), trace.get("name")
    names = {t["name"] for t in scene["data"] if t.get("showlegend", True)}
    assert {"class 0", "class 1", "training (filled)", "test (hollow)", "misclassified"} <= names
    for name, axis in scene["layout"].items():
        if name.startswith(("xaxis", "yaxis")) and axis.get("visible", True) is not False:
            assert str(axis.get("title", {}).get("text", "")).strip(), f"{lab}: {name} has no title"
    assert scene["x-timeline"]["key"] is None and set(scene["x-phases"]) == {f.kind for f in frames}
    training = scene["data"][1]  # the boundary view's training points: one shape per class
    symbols, classes = np.asarray(training["marker"]["symbol"]), _decode(training["marker"]["color"]).astype(int)
    assert len(set(symbols[classes == 0].tolist())) == 1
    assert set(symbols[classes == 0].tolist()).isdisjoint(symbols[classes == 1].tolist())


def test_the_voting_scene_declares_the_click_and_stacking_hides_the_confusion() -> None:
    _, _, _, voting = _figures("voting", {"dataset": MOONS, "grid_size": 20})
    assert voting[0]["x-interactions"] == [{"kind": "inspect-votes"}]
    _, _, figures, stacking = _figures("stacking", {"dataset": MOONS, "grid_size": 20, "cv": 2})
    confusion = next(t for t in stacking[0]["data"] if t.get("name") == "confusion")
    assert confusion["visible"] is False and stacking[0]["layout"]["xaxis2"]["visible"] is False
    assert not any("Confusion" in a["text"] for f in figures for a in f["layout"]["annotations"])
