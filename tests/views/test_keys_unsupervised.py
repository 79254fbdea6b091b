"""Issue 12 items 3 and 6 for the optimisation, clustering and PCA labs: every default run's figures carry keys.

Scene + each frame composed the way the player composes them (a frame's traces merged onto the scene's):
the traces a learner must tell apart are named and in a legend, every colour scale that is shown has a titled
colour bar, every axis has a title, k-means centroids differ from their points, the hero scatter's ranges hug
the data, and every scene carries the player's ``x-timeline`` (and ``x-phases`` where a run has chapters).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.catalog import get_algorithm
from app.core.frame import drain
from app.encoding import to_jsonable
from app.runs import plan_run
from app.settings import Settings

LABS = ["optimizers", "gradient-descent", "kmeans", "hierarchical", "dbscan", "pca"]
AXES = {"xaxis", "yaxis", "xaxis2", "yaxis2", "xaxis3", "yaxis3"}


def _merge(base: Any, patch: Any) -> Any:
    """static/js/plot.js deepMerge: plain dicts merge, anything else in the patch replaces."""
    if not isinstance(patch, dict) or "bdata" in patch or not isinstance(base, dict) or "bdata" in base:
        return patch
    return {**base, **{k: _merge(base.get(k), v) for k, v in patch.items()}}


def _run(lab: str) -> tuple[dict[str, Any], list[Any], list[dict[str, Any]]]:
    algorithm = get_algorithm(lab)
    assert algorithm is not None
    plan = plan_run(algorithm, {}, 0, True, Settings())
    frames, _ = drain(algorithm.engine(plan.inputs, plan.params, np.random.default_rng(0)))
    scene = to_jsonable(algorithm.view.scene(plan.inputs, plan.params))
    composed = []
    for frame in frames:
        patch = to_jsonable(algorithm.view.render(frame, plan.inputs, plan.params))
        data = [_merge(t, patch["data"][i]) if i < len(patch["data"]) else t for i, t in enumerate(scene["data"])]
        composed.append({"data": data, "layout": _merge(scene["layout"], patch["layout"]), "kind": frame.kind})
    return scene, frames, composed


@pytest.fixture(scope="module", params=LABS)
def lab_run(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], list[Any], list[dict[str, Any]]]:
    return (request.param, *_run(request.param))


def _legend_names(figure: dict[str, Any]) -> list[str]:
    return [t["name"] for t in figure["data"] if t.get("showlegend") and t.get("visible", True) is not False]


def test_every_axis_has_a_title_and_the_legend_is_on(lab_run: Any) -> None:
    lab, scene, _, composed = lab_run
    assert scene["layout"].get("showlegend") is True, f"{lab}: the figure shows no legend"
    for figure in (composed[0], composed[len(composed) // 2], composed[-1]):
        layout = figure["layout"]
        for name in AXES & set(layout):
            axis = layout[name]
            if axis.get("visible") is False:
                continue
            title = (axis.get("title") or {}).get("text", "")
            if lab == "pca" and figure["kind"] == "projection" and name == "yaxis":
                continue  # one component kept: there is no PC2 to title
            assert title.strip(), f"{lab} frame {figure['kind']}: {name} has no title"


def test_shown_colour_scales_have_titled_bars(lab_run: Any) -> None:
    lab, _, _, composed = lab_run
    bars = 0
    for figure in composed:
        for trace in figure["data"]:
            for holder in (trace, trace.get("marker") or {}):
                if holder.get("showscale"):
                    bars += 1
                    title = ((holder.get("colorbar") or {}).get("title") or {}).get("text", "")
                    assert title.strip(), f"{lab}: a colour bar without a title on {trace.get('name')}"
    expected = {"optimizers", "gradient-descent", "kmeans", "hierarchical", "pca"}
    if lab in expected:
        assert bars, f"{lab}: its colour scale (surface, D² weights, matrix) shows no colour bar"


NAMED = {
    "optimizers": {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "start", "minimum"},
    "gradient-descent": {"batch", "mini-batch", "stochastic", "least squares", "data"},
    "kmeans": {"centroid", "previous centroid", "centroid move"},
    "hierarchical": {"this merge", "cut height", "merging (1st)", "merging (2nd)"},
    "dbscan": {"core point", "border point", "noise"},
    "pca": {"class 0", "class 1", "class 2"},
}


def test_the_traces_a_learner_tells_apart_are_in_the_legend(lab_run: Any) -> None:
    lab, _, _, composed = lab_run
    shown = set().union(*(_legend_names(f) for f in composed))
    shown |= {n.split(" (")[0] for n in shown}  # "core point (colour: its cluster)" keys "core point" too
    assert NAMED[lab] <= shown, f"{lab}: missing legend entries {NAMED[lab] - shown}"


def test_optimiser_loss_lines_share_their_paths_colour_and_group() -> None:
    scene, _, _ = _run("optimizers")
    lines = [t for t in scene["data"] if t.get("legendgroup") and t.get("mode") == "lines"]
    by_group: dict[str, set[str]] = {}
    for t in lines:
        by_group.setdefault(t["legendgroup"], set()).add(t["line"]["color"])
    assert len(by_group) == 6 and all(len(c) == 1 for c in by_group.values())
    loss = [t for t in lines if t.get("yaxis") == "y2"]
    assert {t["name"] for t in loss} == set(by_group)


def test_kmeans_centroids_differ_from_their_points() -> None:
    _, _, composed = _run("kmeans")
    figure = composed[-1]
    points, centroids = figure["data"][0], next(t for t in figure["data"] if t["name"] == "centroid")
    assert centroids["marker"]["symbol"] == "star" and centroids["marker"]["line"]["width"] >= 2
    assert centroids["marker"]["size"] >= 2 * points["marker"]["size"]
    assert "symbol" in points["marker"] and points["marker"]["symbol"] != "star"  # shape by cluster
    seeding = next(f for f in composed if f["kind"] == "init")
    bar = seeding["data"][0]["marker"]
    assert bar["showscale"] and "D²" in bar["colorbar"]["title"]["text"]


@pytest.mark.parametrize("lab", ["kmeans", "dbscan"])
def test_the_scatter_ranges_hug_the_data(lab: str) -> None:
    algorithm = get_algorithm(lab)
    assert algorithm is not None
    plan = plan_run(algorithm, {}, 0, True, Settings())
    scene = algorithm.view.scene(plan.inputs, plan.params)
    X = plan.inputs.X
    for axis, column in (("xaxis", 0), ("yaxis", 1)):
        lo, hi = scene["layout"][axis]["range"]
        span = X[:, column].max() - X[:, column].min()
        assert lo <= X[:, column].min() and hi >= X[:, column].max(), f"{lab}: {axis} cuts points off"
        assert (hi - lo) <= 1.2 * span, f"{lab}: {axis} spans {hi - lo:.3g} for data spanning {span:.3g}"
    assert "scaleanchor" not in scene["layout"]["yaxis"], "an aspect lock would widen one range past the data"


def test_scene_extras_name_a_timeline_key_the_frames_carry(lab_run: Any) -> None:
    lab, scene, frames, _ = lab_run
    line = scene["x-timeline"]
    assert set(line) == {"key", "title"} and line["title"].strip()
    if line["key"] is not None:
        assert all(isinstance(f.state[line["key"]], int | float) for f in frames), f"{lab}: {line['key']}"
    phases = scene.get("x-phases")
    if lab in ("kmeans", "hierarchical", "dbscan", "pca"):
        assert phases and {f.kind for f in frames} <= set(phases), f"{lab}: a frame kind has no phase"
    if lab == "kmeans":
        assert phases["init"] == "Seeding" and phases["assign"] == phases["update"] == "Lloyd iterations"


def test_pca_projection_axes_say_the_share_of_variance() -> None:
    _, _, composed = _run("pca")
    figure = next(f for f in composed if f["kind"] == "projection")
    assert (
        figure["layout"]["xaxis"]["title"]["text"].startswith("PC1 (")
        and "% of variance" in (figure["layout"]["xaxis"]["title"]["text"])
    )


def test_hierarchical_tick_labels_are_readable() -> None:
    scene, _, _ = _run("hierarchical")
    for name in AXES & set(scene["layout"]):
        axis = scene["layout"][name]
        if axis.get("showticklabels") is False:
            continue
        assert (axis.get("tickfont") or {}).get("size", 14) >= 11, f"{name}: tick labels under 11 px"
