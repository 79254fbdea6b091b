"""Every lab's page in real Chromium: ONE page load per lab, at 1024×768, for every lab in the catalog (read at
collection time, so a lab is in here the moment it is registered). It replaces per-lab copies of the same
checks (and the catalog-wide axe loop), so that a new lab costs one page load (see tests/perf/ci_durations.md).

On that one page (tests/e2e/lab_checks.py): the first run streams and finishes; Run / Reset / play / the
scrubber are in view without scrolling and the figure fills the stage; the main figure is not blank (traces with
points, a legend with entries, a title on every axis that shows data, titled colour bars, plot areas filling
their box, no legend over the first plot); the metric charts plot against the scene's timeline, the scrubber's
chapters follow its phases, the page loads the interaction plugins the scene declares and no others; the form's
groups come in order, every control is labelled in words; auto pace fits the run in ~12 s; the curl snippet
wraps; the caption is non-empty and changes as the keys step (→, ←, Home, End; space plays and pauses; keys
typed into a field are left alone); axe-core finds no serious violation. Last, "Compare with…" opens the run as both
sides of /compare (tests/e2e/compare_checks.py): both figures draw and the shared timeline drives both. The same again at 1440×900 (the window
resized, not reloaded). The chapter titles drawn are apart, inside the track and readable (the dropped ones
their ticks' tooltips) at 1024, at 1440 and in a 390-wide window. Then, where the dataset list follows a sibling param
(a ``task`` switch), the picker follows it, with one run per switch; a new valid value in a numeric control
re-runs and lands in the URL, and a value past its bound is a 422 in plain words next to that control (never a
500). No console error but that 422.

Labs may add what a learner must find in their figure (``LOOKS``: legend entries, axis and colour-bar titles
at a frame) and checks of their own on the same page (``EXTRAS``). What only one lab does beyond that (a tree
diagram growing, a click showing votes) lives in that lab's own test file, at most three page loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.catalog import all_algorithms
from tests.e2e.compare_checks import check_compare
from tests.e2e.lab_checks import (
    LAPTOP,
    SMALL,
    Look,
    check_axe,
    check_chapter_titles,
    check_controls,
    check_figure,
    check_followed_datasets,
    check_form,
    check_keys,
    check_run_extras,
    check_stage,
    show,
    until,
)
from tests.e2e.probes import (
    BADGE,
    CAPTION,
    COMPLETE,
    CONTOURS,
    FAILED_BADGES,
    FRAMES,
    HEATMAPS,
    IDLE,
    LINES,
    PLAYING,
    POINTS,
)

pytestmark = pytest.mark.e2e

LABS = [algorithm.id for algorithm in all_algorithms()]


FILLED = {"area": True, "every_axis_titled": True}  # the composite figures of the unsupervised labs

LOOKS: dict[str, tuple[Look, ...]] = {
    "backprop": (Look(legend=("parameter (trained)", "operation", "loss L"), axes=("updates made", "loss L")),),
    "logistic-regression": (
        Look(
            legend=("class 0", "class 1", "training (filled)", "test (hollow)", "misclassified"),
            axes=("x₁", "x₂", "predicted", "true"),
            colorbars=("predicted class",),
            hero=True,
        ),
    ),
    "perceptron": (
        Look(
            legend=("class 0", "class 1", "decision boundary", "line before the update"),
            axes=("x₁", "x₂"),
            colorbars=("predicted class",),
            hero=True,
        ),
    ),
    "knn": (
        Look(
            legend=("class 0", "class 1", "training (filled)", "test (hollow)"),
            axes=("x₁", "x₂"),
            colorbars=("predicted class",),
            hero=True,
        ),
    ),
    "svm": (
        Look(
            legend=("support vector", "boundary f = 0, margins ±1", "misclassified"),
            axes=("x₁", "x₂"),
            colorbars=("decision f(x)",),
            hero=True,
        ),
    ),
    "neural-network": (
        Look(
            legend=("class 0", "class 1", "training (filled)", "weight > 0", "train (solid)"),
            axes=("x₁", "x₂", "epoch", "loss (cross-entropy)", "accuracy", "layer"),
            colorbars=("P(class 1)", "neuron output"),
        ),
    ),
    "activations": (
        Look(
            legend=("sigmoid", "ReLU", "std of activations", "std of gradients"),
            axes=("layer", "std (log scale)", "f(x)", "activation value"),
        ),
    ),
    "optimizers": (
        Look(
            legend=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "start", "minimum"),
            colorbar=True,
            **FILLED,
        ),
    ),
    "gradient-descent": (
        Look(legend=("batch", "mini-batch", "stochastic", "least squares", "data"), colorbar=True, **FILLED),
    ),
    "kmeans": (
        Look(frame=1, legend=("centroid", "picked point"), colorbar=True, **FILLED),
        Look(frame=5, legend=("centroid", "previous centroid", "centroid move"), **FILLED),  # an update frame
    ),
    "hierarchical": (
        Look(frame=10, legend=("this merge", "cut height", "merging (1st)", "merging (2nd)"), colorbar=True, **FILLED),
    ),
    "dbscan": (Look(frame=2, legend=("core point", "border point", "noise"), **FILLED),),
    "pca": (Look(frame=4, legend=("class 0", "class 1", "class 2"), colorbar=True, **FILLED),),
}


def _boundary_marks(page: Any) -> None:
    """The boundary labs: the boundary heatmap, train and test points, the accuracy chart, a 2×2 confusion."""
    until(page, f"{HEATMAPS} + document.querySelectorAll('#main-plot .contourlayer path').length > 0")
    assert page.evaluate(POINTS) > 50, "training and test points are drawn"
    assert page.locator('.metric[data-metric="train_accuracy"]').count() == 1
    confusion = "document.getElementById('main-plot').data.find((t) => t.name === 'confusion').z"
    assert len(page.evaluate(confusion)) == 2, "the frame's confusion matrix is drawn beside the boundary"


def _kmeans_chapters(page: Any) -> None:
    assert page.locator(".chapter-label").count() >= 2, "the k-means scene names its phases (x-phases)"


def _knn_groups(page: Any) -> None:
    """kNN's picture resolution is a display setting, its k a model one (the schema's x-group)."""
    group = "(p) => document.querySelector(`[data-path=\"${p}\"]`).closest('fieldset').dataset.group"
    assert page.evaluate(group, "k") == "model"
    assert page.evaluate(group, "grid_size") == "display"
    _boundary_marks(page)


def _gradient_descent_pace(page: Any) -> None:
    frames = page.evaluate(FRAMES)
    assert frames == 151, "the default run of gradient descent"
    fps = float(page.evaluate("document.getElementById('player').dataset.fps"))
    assert 10 <= frames / fps <= 15, f"{frames} frames at {fps} frames/s take {frames / fps:.1f} s"
    assert "12 s" in page.locator("#speed option[value='auto']").inner_text(), "the menu says what auto means"
    _optimizer_paths(page)


def _optimizer_paths(page: Any) -> None:
    """The optimisation labs: the surface from the scene; paths grown from the frames' points."""
    assert page.evaluate(CONTOURS) > 10
    longest = page.evaluate(
        "Math.max(...document.getElementById('main-plot').data.filter(t => t.mode === 'lines')"
        ".map(t => (t.x || t.y || []).length))"
    )
    assert longest > 20


def _dendrogram(page: Any) -> None:
    show(page, 10)
    assert page.evaluate(CAPTION).startswith("Merge 11 of 39")
    assert page.evaluate(POINTS) >= 40, "the scatter draws the points"
    assert page.evaluate(LINES) >= 2, "the dendrogram and the current link are drawn"
    assert page.evaluate(HEATMAPS) >= 1, "the proximity matrix is drawn for 40 points"
    show(page, None)
    assert page.evaluate(CAPTION).startswith("Cut into")


def _dbscan_circles(page: Any) -> None:
    show(page, 0)
    assert "core points" in page.evaluate(CAPTION)
    assert page.evaluate(POINTS) >= 200
    assert page.evaluate("document.querySelectorAll('#main-plot .shapelayer path').length") >= 1  # eps-circles
    until(page, "document.querySelectorAll('#panel-k-distance .scatterlayer .js-line').length > 0")
    show(page, None)
    assert page.evaluate(CAPTION).startswith("Done: 2 clusters")


# Lab-only checks on the same page, after the generic ones at 1024×768 (the default run on show, paused).
EXTRAS: dict[str, Callable[[Any], None]] = {
    "logistic-regression": _boundary_marks,
    "perceptron": _boundary_marks,
    "knn": _knn_groups,
    "svm": _boundary_marks,
    "optimizers": _optimizer_paths,
    "gradient-descent": _gradient_descent_pace,
    "kmeans": _kmeans_chapters,
    "hierarchical": _dendrogram,
    "dbscan": _dbscan_circles,
}


PHONE_WIDTH = (390, 844)


@pytest.mark.parametrize("lab", LABS)
def test_every_lab_page(page: Any, console: Any, base_url: str, lab: str) -> None:
    console.allow("status of 422")  # Chromium's own log of the refused value below
    # Plotly's axis-line path from a subplot measured while the window is being resized (all four numbers NaN; the
    # next draw puts it right): seen once under CI load on the decision-tree page, not reproduced since. Only these
    # two exact paths are let through; any other bad attribute still fails the test.
    console.allow('attribute d: Expected number, "MNaN,NaNHNaN"')
    console.allow('attribute d: Expected number, "MNaN,NaNVNaN"')
    info = httpx.get(f"{base_url}/api/v1/algorithms/{lab}", timeout=30).json()
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": SMALL[0], "height": SMALL[1]})
    page.goto(f"/algorithms/{lab}")
    until(page, f"{FRAMES} >= 1", timeout=60, message=f"({lab}: frames stream in)")
    until(page, f"{COMPLETE} && {IDLE}", timeout=60, message=f"({lab}: the first run finishes)")
    assert page.evaluate(BADGE) not in FAILED_BADGES, f"{lab}: {page.evaluate(CAPTION)}"
    if page.evaluate(PLAYING):  # pause, so what is checked stays on screen (a DOM click: no waiting for
        page.evaluate("document.getElementById('btn-play').click()")  # the busy plot to hold still)
    looks = LOOKS.get(lab, (Look(),))
    check_stage(page, lab, *SMALL, opened=True)
    for look in looks:
        show(page, look.frame)
        check_figure(page, lab, look, SMALL)
    check_run_extras(page, lab)
    check_chapter_titles(page, lab, SMALL)
    check_form(page, lab)
    if lab in EXTRAS:
        EXTRAS[lab](page)
    check_keys(page, lab)
    check_axe(page, lab, SMALL)

    page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})  # the laptop: resized, not reloaded
    until(
        page,
        "Math.abs(document.querySelector('#main-plot .main-svg').getBoundingClientRect().width"
        " - document.getElementById('main-plot').getBoundingClientRect().width) < 2",
        message="(relayout)",
    )
    check_stage(page, lab, *LAPTOP)
    for look in looks:
        show(page, look.frame)
        check_figure(page, lab, look, LAPTOP)
    check_chapter_titles(page, lab, LAPTOP)
    check_axe(page, lab, LAPTOP)
    page.set_viewport_size({"width": PHONE_WIDTH[0], "height": PHONE_WIDTH[1]})  # the phone's width (a window,
    check_chapter_titles(page, lab, PHONE_WIDTH)  # not an emulated phone): the narrowest scrubber

    page.set_viewport_size({"width": SMALL[0], "height": SMALL[1]})
    if "x-datasets-by" in info["params_schema"]["properties"].get("dataset", {}):
        check_followed_datasets(page, lab, info)
    check_controls(page, lab, info["params_schema"])
    page.goto(f"/algorithms/{lab}")  # the defaults again (the form was left with a refused value): cached
    until(page, f"{COMPLETE} && {IDLE}", timeout=60, message=f"({lab}: the defaults again)")
    check_compare(page, lab)  # the player's "Compare with…": this run beside itself on one timeline
