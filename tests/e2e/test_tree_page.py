"""The decision-tree page in real Chromium: what only this lab does (two page loads, 1024 × 768).

* The tree drawing grows two nodes a split, breadth-first, and no two node boxes overlap at the default depth 4;
  the cut on the plane lines up with the star on the scan panel below it (they share the x axis); the three
  chapters (growing, pruning, depth sweep) are marked on the scrubber; the scan panels show only while growing
  and the depth chart only in its chapter.
* task=regression: the step curve is drawn, the tree is scikit-learn's, and the 2-feature scan sits beside the
  plane for two features (its rotated panel shares the plane's y).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX
from tests.e2e.test_stage_layout import lab_page, poll

pytestmark = pytest.mark.e2e

LAPTOP = (1024, 768)
GD = "document.getElementById('main-plot')"
NODES = f"({GD}.data.find((t) => t.name === 'tree nodes')?.x?.length ?? 0)"
BOXES = f"""(() => [...{GD}.querySelectorAll('.annotation')]
  .filter((a) => a.querySelector('.bg') && parseFloat(a.querySelector('.bg').style.strokeWidth || '0') > 0)
  .map((a) => {{ const r = a.querySelector('.bg').getBoundingClientRect();
                 return [r.left, r.top, r.right, r.bottom]; }}))()"""
"""The node boxes on screen (annotations with a border; the panel headings have none)."""
STAR_AND_CUT = f"""(() => {{ const gd = {GD}; const full = gd._fullLayout;
  const star = gd._fullData.find((t) => t.name === "scikit-learn's split");
  const cut = gd._fullData.find((t) => t.name === "this split's cut");
  const ax = full[star.xaxis.replace('x', 'xaxis')];
  return [star.xaxis, ax._offset + ax.d2p(star.x[0]), full.xaxis._offset + full.xaxis.d2p(cut.x[0]), cut.x[0] === cut.x[1]];
}})()"""


def _step_to(page: Any, index: int) -> None:
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")
    poll(page, f"{INDEX} === {index}")


def _overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    pad = 0.5  # borders may touch
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] + pad < b[2] and b[0] + pad < a[2] and a[1] + pad < b[3] and b[1] + pad < a[3]
    ]


def test_the_tree_grows_split_by_split_without_overlapping_boxes(screens: Any) -> None:
    with lab_page(screens, "/algorithms/decision-tree", LAPTOP) as page:
        poll(page, f"{COMPLETE} && {IDLE}", message="(the run should finish)")
        if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
            page.click("#btn-play")
        kinds: list[str] = page.evaluate(
            """(async () => { const r = await fetch('/api/v1/algorithms/decision-tree/runs', {method: 'POST',
                 headers: {'content-type': 'application/json'}, body: JSON.stringify({params: {}, seed: 0})});
               return (await r.json()).frames.map((f) => f.kind); })()"""
        )
        splits = kinds.count("split")
        assert splits >= 3 and kinds[0] == "split"
        counts = []
        for i in range(splits):
            _step_to(page, i)
            counts.append(page.evaluate(NODES))
            boxes = page.evaluate(BOXES)
            assert boxes, "the drawing labels its nodes"
            assert not _overlaps(boxes), f"frame {i}: node boxes overlap"
            axis, star_px, cut_px, vertical = page.evaluate(STAR_AND_CUT)
            if axis == "x3":  # a cut on the first feature: the star sits right under the cut on the plane
                assert vertical and abs(star_px - cut_px) < 1.5, (star_px, cut_px)
        assert counts == list(range(3, 3 + 2 * splits, 2)), "each split adds its two children"
        marks = page.evaluate("[...document.querySelectorAll('.chapter-marks *')].map((n) => n.textContent.trim())")
        assert {"Growing", "Pruning", "Depth sweep"} <= {m for m in marks if m}
        shown = "(name) => { const a = document.getElementById('main-plot')._fullLayout[name]; return a.visible; }"
        assert page.evaluate(f"({shown})('yaxis3')") and not page.evaluate(f"({shown})('xaxis6')")
        page.keyboard.press("End")
        poll(page, f"{INDEX} === {len(kinds) - 1}")
        assert not page.evaluate(f"({shown})('yaxis3')") and page.evaluate(f"({shown})('xaxis6')")
        assert page.evaluate(f"{GD}.data.find((t) => t.name === 'train').x.length") >= 2


def test_regression_draws_the_step_curve_and_both_scans(screens: Any) -> None:
    path = "/algorithms/decision-tree?task=regression&dataset.name=two_scales"
    with lab_page(screens, path, LAPTOP) as page:
        poll(page, f"{COMPLETE} && {IDLE}", message="(the run should finish)")
        if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
            page.click("#btn-play")
        _step_to(page, 0)
        names = page.evaluate(f"{GD}._fullData.filter((t) => (t.x?.length ?? 0) > 0).map((t) => t.name)")
        assert {"gain of each cut on x₁", "gain of each cut on x₂", "scikit-learn's split"} <= set(names)
        assert page.evaluate(f"{GD}._fullData[0].type") == "heatmap"  # the shaded fit of two features
        caption = page.evaluate("document.getElementById('caption').textContent")
        assert "squared error" in caption and "Split the root" in caption
        both = f"({GD}._fullLayout.yaxis4.matches === 'y' && {GD}._fullLayout.xaxis3.matches === 'x')"
        assert page.evaluate(both), "the scans share the plane's axes"
