"""The supervised labs' figures in real Chromium (issue 12, items 3 and 6): what Plotly drew has the legend
entries, axis titles and colour bars a learner needs, and the plot fills its box at laptop sizes (no
~230 px strip in a 770 px box)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, FRAMES

pytestmark = pytest.mark.e2e

SIZES = [(1440, 900), (1024, 768)]
EXPECTED: dict[str, dict[str, list[str]]] = {
    "logistic-regression": {
        "legend": ["class 0", "class 1", "training (filled)", "test (hollow)", "misclassified"],
        "axes": ["x₁", "x₂", "predicted", "true"],
        "colorbar": ["predicted class"],
    },
    "perceptron": {
        "legend": ["class 0", "class 1", "decision boundary", "line before the update"],
        "axes": ["x₁", "x₂"],
        "colorbar": ["predicted class"],
    },
    "knn": {
        "legend": ["class 0", "class 1", "training (filled)", "test (hollow)"],
        "axes": ["x₁", "x₂"],
        "colorbar": ["predicted class"],
    },
    "svm": {
        "legend": ["support vector", "boundary f = 0, margins ±1", "misclassified"],
        "axes": ["x₁", "x₂"],
        "colorbar": ["decision f(x)"],
    },
    "neural-network": {
        "legend": ["class 0", "class 1", "training (filled)", "weight > 0", "train (solid)"],
        "axes": ["x₁", "x₂", "epoch", "loss (cross-entropy)", "accuracy", "layer"],
        "colorbar": ["P(class 1)", "neuron output"],
    },
    "activations": {
        "legend": ["sigmoid", "ReLU", "std of activations", "std of gradients"],
        "axes": ["layer", "std (log scale)", "f(x)", "activation value"],
        "colorbar": [],
    },
}
BOUNDARY = {"logistic-regression", "perceptron", "knn", "svm"}

DRAWN = """() => {
  const gd = document.getElementById('main-plot');
  const texts = (sel) => [...gd.querySelectorAll(sel)].map((n) => n.textContent.trim()).filter(Boolean);
  const box = gd.getBoundingClientRect();
  const drags = [...gd.querySelectorAll('.nsewdrag')].map((n) => n.getBoundingClientRect());
  return {
    legend: texts('[class^="legend"] .traces'),
    axes: texts('[class^="g-x"][class$="title"], [class^="g-y"][class$="title"]'),
    colorbars: texts('.colorbar .cbtitle'),
    nColorbars: gd.querySelectorAll('.colorbar').length,
    box: [box.left, box.top, box.width, box.height],
    drags: drags.map((r) => [r.left, r.top, r.right, r.bottom]),
  };
}"""


def _open(page: Any, wait_until: Any, lab: str, width: int, height: int) -> dict[str, Any]:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/algorithms/{lab}")
    wait_until(f"{FRAMES} >= 1 && {COMPLETE}", message=f"({lab} should stream to the end)")
    page.evaluate("document.getElementById('btn-last').click()")  # a click, wherever the page scrolled
    wait_until("document.querySelectorAll('#main-plot .nsewdrag').length > 0")
    drawn: dict[str, Any] = page.evaluate(DRAWN)
    return drawn


def _covered(drawn: dict[str, Any], hero_only: bool) -> tuple[float, float]:
    """Fraction of the #main-plot box's width and height the plot area covers: the first subplot (the
    boundary plane) for the boundary labs, the union of the subplots for the composite figures."""
    rects = drawn["drags"][:1] if hero_only else drawn["drags"]
    left, top = min(r[0] for r in rects), min(r[1] for r in rects)
    right, bottom = max(r[2] for r in rects), max(r[3] for r in rects)
    _, _, width, height = drawn["box"]
    return (right - left) / width, (bottom - top) / height


# Every lab at the laptop size; at the small laptop, the ones whose layout is tightest (the CI budget: each page
# costs ~10 s of a 2-core box).
AT_SMALL = ("svm", "neural-network")
RUNS = [(lab, SIZES[0]) for lab in EXPECTED] + [(lab, SIZES[1]) for lab in EXPECTED if lab in AT_SMALL]


@pytest.mark.parametrize(("lab", "size"), RUNS, ids=[f"{lab}-{w}x{h}" for lab, (w, h) in RUNS])
def test_the_figure_has_its_keys_and_fills_its_box(page: Any, wait_until: Any, lab: str, size: tuple[int, int]) -> None:
    drawn = _open(page, wait_until, lab, *size)
    expected = EXPECTED[lab]
    legend = " | ".join(drawn["legend"])
    for name in expected["legend"]:
        assert any(entry.startswith(name) for entry in drawn["legend"]), f"{lab}: no legend entry {name!r} in {legend}"
    for title in expected["axes"]:
        assert title in drawn["axes"], f"{lab}: no axis titled {title!r} (drawn: {drawn['axes']})"
    bars = " | ".join(drawn["colorbars"])
    for title in expected["colorbar"]:
        assert title in bars, f"{lab}: no colour bar titled {title!r} (drawn: {bars})"
    assert drawn["nColorbars"] == len(drawn["colorbars"]), f"{lab}: every colour bar has a title"
    wide, tall = _covered(drawn, hero_only=lab in BOUNDARY)
    assert wide >= 0.7 and tall >= 0.7, f"{lab} at {size}: the plot covers {wide:.0%} × {tall:.0%} of its box"


@pytest.mark.parametrize("lab", sorted(BOUNDARY))
def test_the_legend_does_not_cover_the_boundary_plane(page: Any, wait_until: Any, lab: str) -> None:
    _open(page, wait_until, lab, 1024, 768)
    overlap = page.evaluate(
        """() => {
          const gd = document.getElementById('main-plot');
          const plane = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const legend = gd.querySelector('.legend').getBoundingClientRect();
          const w = Math.max(0, Math.min(plane.right, legend.right) - Math.max(plane.left, legend.left));
          const h = Math.max(0, Math.min(plane.bottom, legend.bottom) - Math.max(plane.top, legend.top));
          return w * h;
        }"""
    )
    assert overlap < 1, f"{lab}: the legend covers {overlap:.0f} px² of the boundary plane"
