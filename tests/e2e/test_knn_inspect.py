"""k-NN page: click a data point to see its k nearest neighbours and their vote, in real Chromium.

The box reads the run's ``result.neighbors`` (sorted lists from the engine): at frame k it shows the first k
of them, and it follows the timeline; while drawing, a click adds a point instead. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

BOX = "document.getElementById('inspect-box')"
SHOWN = f"{BOX} && !{BOX}.hidden"
RINGS = "(document.getElementById('main-plot').data.find((t) => t.name === 'neighbours')?.x ?? []).length"


def _ready(page: Any, wait_until: Any, path: str) -> dict[str, Any]:
    page.goto(path)
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.click("#btn-last")
    # The result the page holds: fetched the same way (same request → same run, from the cache).
    return page.evaluate("""async () => {
        const q = new URLSearchParams(location.search);
        const params = {k: Number(q.get('k') || 15)};
        if (q.get('weights')) params.weights = q.get('weights');
        const r = await fetch('/api/v1/algorithms/knn/runs', {method: 'POST',
            headers: {'content-type': 'application/json'}, body: JSON.stringify({params, seed: 0})});
        return (await r.json()).result;
    }""")


def _click_row(page: Any, point: list[float], dx: float = 0, dy: float = 0) -> None:
    """Click the screen position of a data point (offset by dx, dy pixels)."""
    x, y = page.evaluate(
        """([x, y]) => {
        const gd = document.getElementById('main-plot');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.left + xa.d2p(x), r.top + ya.d2p(y)];
    }""",
        point,
    )
    page.mouse.click(x + dx, y + dy)


def _votes(page: Any) -> list[int]:
    return [int(v) for v in re.findall(r"(\d+) votes?", page.locator("#inspect-box .inspect-bars").inner_text())]


def test_click_a_point_shows_its_neighbours_and_vote_and_follows_the_frame(page: Any, wait_until: Any) -> None:
    result = _ready(page, wait_until, "/algorithms/knn")
    k = result["k"]
    assert len(result["neighbors"][0]) == k and len(result["points"]) == len(result["labels"])
    assert page.evaluate("!document.querySelector('.inspect-hint').hidden"), "the page says points can be clicked"

    row = result["test_indices"][0]  # a test point: none of its neighbours is itself
    _click_row(page, result["points"][row], dx=3, dy=-2)  # near, not exactly on, the point
    wait_until(SHOWN, message="(clicking a point opens the vote box)")
    box = page.locator("#inspect-box")
    assert box.get_attribute("data-row") == str(row)
    assert box.get_attribute("data-k") == str(k) and page.evaluate(RINGS) == k
    labels = [result["labels"][n] for n in result["neighbors"][row]]
    counts = sorted((labels.count(c) for c in set(labels)), reverse=True)
    assert _votes(page) == counts, "one bar per class, with the engine's neighbours' labels counted"
    winner = min(c for c in set(labels) if labels.count(c) == counts[0])
    assert box.get_attribute("data-predicted") == str(winner)
    assert f"→ class {winner}" in box.inner_text()
    assert f"k = {k}" in box.inner_text() and "test" in box.inner_text()

    page.click("#btn-first")  # scrub back: frame 1 is k = 1, a single neighbour
    wait_until(f"{INDEX} === 0 && {BOX}.dataset.k === '1'", message="(the box follows the frame)")
    assert page.evaluate(RINGS) == 1 and _votes(page) == [1]
    assert box.get_attribute("data-predicted") == str(labels[0])
    page.locator("#scrub").fill("4")  # k = 5
    wait_until(f"{BOX}.dataset.k === '5'")
    assert sum(_votes(page)) == 5 and page.evaluate(RINGS) == 5

    page.keyboard.press("Escape")
    wait_until(f"{BOX}.hidden", message="(Escape clears it)")
    assert page.evaluate(RINGS) == 0

    _click_row(page, result["points"][row])
    wait_until(SHOWN)
    page.click("#btn-last")  # the selection survives playback controls
    wait_until(f"{BOX}.dataset.k === '{k}'")
    page.locator("#inspect-box .inspect-close").click()
    wait_until(f"{BOX}.hidden", message="(the close button clears it)")

    # While drawing, a click on a point adds a point instead of inspecting it.
    page.click("#draw-toggle")
    wait_until("!document.querySelector('.draw-box').hidden")
    page.click("#draw-from-data")  # the canvas starts empty: bring the run's points in on purpose
    n = len(result["points"])
    wait_until(f"document.querySelector('.data-status').textContent.includes('{n} points')")
    _click_row(page, result["points"][result["train_indices"][0]])
    wait_until(f"document.querySelector('.data-status').textContent.includes('{n + 1} points')")
    assert page.evaluate(f"{BOX}.hidden")
    wait_until(f"new URLSearchParams(location.search).has('data') && {COMPLETE} && {IDLE}")


def test_weighted_vote_and_empty_click_clears(page: Any, wait_until: Any) -> None:
    result = _ready(page, wait_until, "/algorithms/knn?k=7&weights=distance")
    assert len(result["neighbor_weights"][0]) == 7
    row = result["train_indices"][0]
    _click_row(page, result["points"][row])
    wait_until(SHOWN)
    text = page.locator("#inspect-box").inner_text()
    assert "weighted 1 / distance" in text and "distance 0" in text  # a training point outvotes the rest
    assert page.locator("#inspect-box").get_attribute("data-predicted") == str(result["labels"][row])

    # Empty space: the corner of the axes, away from every point.
    drag = page.locator("#main-plot .nsewdrag").first.bounding_box()
    page.mouse.click(drag["x"] + 2, drag["y"] + 2)
    wait_until(f"{BOX}.hidden", message="(a click on empty space clears it)")
