"""/compare in real Chromium (issue 18): one setting changed (the diff in words, both runs aligned by epoch, the
metrics of both on shared axes with a legend, the timeline and keys driving both, the form re-running B and the
URL following), two labs on the same data, and a phone. Every lab's compare is in test_every_lab_page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.compare_checks import BADGES, CAPTIONS, DIFF, INDEX, LEGENDS, MARKS, READY, TICKS
from tests.e2e.lab_checks import until

pytestmark = pytest.mark.e2e

SMALL_NET = "neural-network?seed=0&epochs=20&frame_every=5&hidden_layers=%5B4%5D"


def _compare(a: str, b: str) -> str:
    return f"/compare?a={quote(a, safe='')}&b={quote(b, safe='')}"


def test_one_setting_changed_side_by_side(page: Any) -> None:
    page.goto(_compare(SMALL_NET, SMALL_NET + "&lr=0.3"))
    until(page, READY, timeout=60, message="(both runs)")
    assert page.evaluate(DIFF) == "B: learning rate (η) 0.3 instead of 0.03."
    assert "aligned by epoch" in page.evaluate("document.getElementById('align-note').textContent")
    ticks = page.evaluate(TICKS)
    assert ticks == 5  # epochs 0, 5, 10, 15, 20 on both sides: one step each
    legends = page.evaluate(LEGENDS)
    assert "A: Neural network playground" in legends and "B: Neural network playground" in legends
    assert page.evaluate("document.querySelectorAll('#compare-metrics .compare-chart').length") >= 2
    page.evaluate(
        "document.getElementById('btn-play').getAttribute('aria-label') === 'Pause' && document.getElementById('btn-play').click()"
    )
    page.keyboard.press("Home")
    until(page, f"{INDEX} === 0")
    start = page.evaluate(CAPTIONS)
    page.keyboard.press("ArrowRight")
    until(page, f"{INDEX} === 1")
    moved = page.evaluate(CAPTIONS)
    assert moved[0] != start[0] and moved[1] != start[1], "one key moves both runs"
    assert "Epochs 1–5" in moved[0] and "Epochs 1–5" in moved[1]
    assert all(m > 0 for m in page.evaluate(MARKS))
    # The form edits B: a new seed re-runs B only, and the URL and the diff follow.
    page.fill("#ctl-seed", "3")
    page.dispatch_event("#ctl-seed", "change")
    until(page, f"{READY} && new URLSearchParams(location.search).get('b').includes('seed=3')", timeout=60)
    assert page.evaluate(DIFF).endswith("seed 3 instead of 0.")
    assert "seed=0" in page.evaluate("new URLSearchParams(location.search).get('a')")


def test_two_labs_on_the_same_data(page: Any) -> None:
    page.goto(_compare("kmeans?seed=0&dataset.name=moons&k=2", "kmeans?seed=0&dataset.name=moons&k=2"))
    until(page, READY, timeout=60)
    page.select_option("#compare-lab", "dbscan")
    until(page, f"{READY} && new URLSearchParams(location.search).get('b').startsWith('dbscan')", timeout=60)
    assert page.evaluate(DIFF).startswith("B: DBSCAN: core, border and noise instead of k-means and the elbow method")
    b = page.evaluate("new URLSearchParams(location.search).get('b')")
    assert "dataset.name=moons" in b or "dataset." not in b  # the same moons as A (DBSCAN's default is moons)
    assert page.evaluate("document.getElementById('title-b').textContent") == "DBSCAN: core, border and noise"
    assert all(badge not in ("error", "invalid") for badge in page.evaluate(BADGES))
    assert "aligned by frame" in page.evaluate("document.getElementById('align-note').textContent")


def test_an_unknown_lab_says_so(page: Any, console: Any) -> None:
    console.allow("404")
    page.goto("/compare?a=no-such-lab")
    until(page, "document.getElementById('compare').dataset.ready === 'error'")
    assert "no-such-lab" in page.evaluate(DIFF)


def test_phone_stacks_the_runs_inside_the_screen(screens: Any, console: Any) -> None:
    from tests.e2e.conftest import watch_console

    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(_compare(SMALL_NET, SMALL_NET + "&activation=relu"))
        until(page, READY, timeout=60)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        a = page.locator("#plot-a").bounding_box()
        b = page.locator("#plot-b").bounding_box()
        assert a["x"] >= 0 and a["x"] + a["width"] <= width + 1 and b["y"] > a["y"] + a["height"] - 1
    finally:
        page.close()
    assert not console.unexpected()
