"""The bagging and random-forest pages in real Chromium: what only these labs draw (two page loads).

* Bagging: the training markers are sized by how often the frame's member drew each row (not drawn: faded and
  small), the member panel shows that member's own boundary under its name, and both follow the timeline.
* Random forest: the variance frame draws the map of where the trees disagree in place of the class shading,
  and the last frame draws the impurity and permutation importances as bars.

Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import BARS, COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

TRAIN_MARKER = """(() => { const t = document.getElementById('main-plot')._fullData.find((d) => d.name === 'training points');
  const m = t.marker; return {size: Array.from(m.size), opacity: Array.from(m.opacity ?? [])}; })()"""
PANEL_TITLE = "document.getElementById('main-plot').layout.annotations.at(-1).text"
VISIBLE = "document.getElementById('main-plot')._fullData.filter((t) => t.visible === true).map((t) => t.name)"


def _ready(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")


def _counts(page: Any, index: int) -> list[int]:
    """The draw counts of frame ``index`` of the page's own run (the same request: from the cache)."""
    counts: list[int] = page.evaluate(
        """async (i) => {
        const r = await fetch('/api/v1/algorithms/bagging/runs', {method: 'POST',
            headers: {'content-type': 'application/json'}, body: JSON.stringify({params: {}, seed: 0})});
        return (await r.json()).frames[i].state.sample_counts; }""",
        index,
    )
    return counts


def test_bagging_markers_show_each_members_draw(page: Any, wait_until: Any) -> None:
    _ready(page, wait_until, "/algorithms/bagging")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    for index in (0, 1):
        counts = _counts(page, index)
        marker = wait_until(TRAIN_MARKER)
        faded = [o < 1 for o in marker["opacity"]]
        assert faded == [c == 0 for c in counts]  # the rows this member never drew are faded
        sized = list(zip(marker["size"], counts, strict=True))
        never = max(s for s, c in sized if c == 0)
        once = [s for s, c in sized if c == 1]
        assert min(once) > never and min(s for s, c in sized if c >= 2) > max(once)  # size grows with the draws
        assert page.evaluate(PANEL_TITLE) == f"Estimator {index + 1}<br>alone"
        page.keyboard.press("ArrowRight")
        wait_until(f"{INDEX} === {index + 1}")


def test_forest_variance_map_then_importance_bars(page: Any, wait_until: Any) -> None:
    _ready(page, wait_until, "/algorithms/random-forest")
    page.keyboard.press("End")
    wait_until(f"{INDEX} > 40")
    page.keyboard.press("ArrowLeft")  # the variance frame
    wait_until("document.getElementById('frame-kind').dataset.kind === 'variance'")
    visible = wait_until(VISIBLE)
    assert "vote variance across trees" in visible and "predicted class and confidence" not in visible
    assert page.evaluate(BARS) == 0
    page.keyboard.press("End")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'importance'")
    assert wait_until(BARS) == 4  # two features × (impurity, permutation)
    visible = page.evaluate(VISIBLE)
    assert {"impurity importance", "permutation importance", "predicted class and confidence"} <= set(visible)
