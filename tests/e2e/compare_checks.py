"""The compare page opened from a player's "Compare with…" (issue 18): used on every lab's page by
tests/e2e/test_every_lab_page.py, so compare is checked for every lab in the catalog at the cost of one page
load (both sides start as the player's own run, which the cache already holds)."""

from __future__ import annotations

from typing import Any

from tests.e2e.lab_checks import until

_COMPARE = "document.getElementById('compare').dataset"
# The element may not be parsed yet right after the URL changes: null until then, never an error.
READY = "(c => !!c && c.dataset.ready === 'true' && c.dataset.running === 'false')(document.getElementById('compare'))"
TICKS = f"Number({_COMPARE}.frames || 0)"
INDEX = f"Number({_COMPARE}.index)"
CAPTIONS = "['a', 'b'].map(s => document.getElementById('caption-' + s).textContent)"
BADGES = "['a', 'b'].map(s => document.getElementById('frame-kind-' + s).textContent.trim())"
MARKS = (
    "['a', 'b'].map(s => document.querySelectorAll('#plot-' + s + ' .scatterlayer .point, #plot-' + s"
    " + ' .scatterlayer .js-line, #plot-' + s + ' .heatmaplayer image, #plot-' + s + ' .barlayer .point').length)"
)
LEGENDS = "[...document.querySelectorAll('#compare-metrics .legendtext')].map(t => t.textContent)"
DIFF = "document.getElementById('compare-diff').textContent"


def check_compare(page: Any, lab: str) -> None:
    """From the player: "Compare with…" opens this run as A and B; both draw, the timeline drives both."""
    player_query = page.evaluate("location.search.slice(1)")
    page.click("#compare-link")
    until(page, "location.pathname === '/compare'", message=f"({lab}: the compare page opens)")
    until(page, READY, timeout=60, message=f"({lab}: both runs arrive)")
    a, b = page.evaluate("['a', 'b'].map(s => new URLSearchParams(location.search).get(s))")
    assert a == b == f"{lab}?{player_query}", f"{lab}: the compare URL carries the player's state ({a!r}, {b!r})"
    assert "same settings" in page.evaluate(DIFF)
    assert all(badge not in ("error", "invalid", "lab failed", "too big") for badge in page.evaluate(BADGES)), (
        f"{lab}: {page.evaluate(CAPTIONS)}"
    )
    until(page, "(() => { const m = " + MARKS + "; return m[0] > 0 && m[1] > 0; })()", message=f"({lab}: both plots)")
    ticks = page.evaluate(TICKS)
    assert ticks >= 1
    page.evaluate(
        "document.getElementById('btn-play').getAttribute('aria-label') === 'Pause' && document.getElementById('btn-play').click()"
    )
    page.keyboard.press("End")
    until(page, f"{INDEX} === {ticks - 1}", message=f"({lab}: End reaches the last step)")
    first, second = page.evaluate(CAPTIONS)
    assert first and first == second, f"{lab}: the same run on both sides shows the same caption at a step"
    legends = page.evaluate(LEGENDS)
    if legends:  # a lab that reports metrics: both runs on each chart, named
        assert any(t.startswith("A:") for t in legends) and any(t.startswith("B:") for t in legends)
