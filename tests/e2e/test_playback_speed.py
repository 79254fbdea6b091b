"""Playback speed in real headless Chromium (issue 10, item 5): the speed menu, every frame shown at the top
speed, the metric marker following the frame, zoom kept while frames change.

How fast the player goes is measured by ``tests/perf/bench_playback.py``, never asserted here (no timed
assertions in the test suite): these tests check what is shown, not how quickly.
Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, FRAMES, IDLE, INDEX, PLAYING

pytestmark = pytest.mark.e2e

FPS = "Number(document.getElementById('player').dataset.fps)"

# Record every frame index the timeline shows while playing, until it stops.
RECORD_PLAY = """async () => {
  const root = document.getElementById('player');
  const seen = [];
  let last = root.dataset.index;
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (root.dataset.index !== last) { last = root.dataset.index; seen.push(Number(last)); }
      if (root.dataset.playing === 'false') { obs.disconnect(); resolve(); }
    });
    obs.observe(root, { attributes: true, attributeFilter: ['data-index', 'data-playing'] });
  });
  document.getElementById('btn-play').click();
  await Promise.race([done, new Promise((r) => setTimeout(r, 60000))]);
  return seen;
}"""


def _finished(page: Any, wait_until: Any, path: str) -> int:
    page.goto(path)
    wait_until(f"{FRAMES} > 1 && {COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate(PLAYING):
        page.click("#btn-play")  # pause
    return int(page.evaluate(FRAMES))


MARKER = "document.querySelector('.metric[data-metric=\"wcss\"] .metric-marker')"
X_RANGE = "document.getElementById('main-plot')._fullLayout.xaxis.range.slice()"


def test_speed_menu_top_speed_metric_marker_and_zoom(page: Any, wait_until: Any) -> None:
    """One k-means page: the speed menu; at the top speed every frame shown once, in order; the metric marker
    following the frame; a zoom kept while every frame plays."""
    n = _finished(page, wait_until, "/algorithms/kmeans")

    # The menu offers frames per second, and auto fits the run in about 12 s.
    options = page.evaluate("[...document.querySelectorAll('#speed option')].map((o) => [o.value, o.textContent])")
    values = [v for v, _ in options]
    assert values[0] == "auto" and page.input_value("#speed") == "auto", "auto is the default"
    numbers = [float(v) for v in values[1:]]
    assert numbers == sorted(numbers) and max(numbers) == 30 and min(numbers) <= 1
    assert all("frame" in label for v, label in options if v != "auto"), "labelled in words"
    assert page.get_attribute("#speed", "aria-label") == "Playback speed"
    assert "12 s" in options[0][1], "auto says what it does: a whole run in about 12 s"
    assert page.evaluate(FPS) == pytest.approx(max(0.5, min(30, n / 12)), abs=0.01)
    page.select_option("#speed", "10")
    assert page.evaluate(FPS) == 10

    # The metric's marker follows the frame.
    page.click("#btn-first")
    wait_until(f"{MARKER}.style.display !== 'none'", message="(the marker is placed)")
    left = page.evaluate(f"{MARKER}.style.left")
    page.click("#btn-last")
    wait_until(f"{MARKER}.style.left !== {left!r}", message="(the marker moves with the frame)")
    assert float(page.evaluate(f"parseFloat({MARKER}.style.left)")) > float(left.removesuffix("px"))
    assert page.locator('.metric[data-metric="wcss"] .metric-value').inner_text() not in ("", "–")

    # At the top speed every frame is shown, in order, and the marker ends on the last point of its line.
    page.select_option("#speed", "30")
    page.click("#btn-first")
    seen = page.evaluate(RECORD_PLAY)
    assert seen == list(range(1, n)), "no frame skipped, none twice"
    assert page.evaluate(INDEX) == n - 1 and page.evaluate(PLAYING) is False
    assert page.locator("#frame-counter").inner_text() == f"frame {n} / {n}"
    marker = page.locator('.metric[data-metric="wcss"] .metric-marker')
    assert marker.is_visible()
    box = marker.bounding_box()
    plot_box = page.locator('.metric[data-metric="wcss"] .metric-plot .nsewdrag').bounding_box()
    assert box is not None and plot_box is not None
    assert abs((box["x"] + box["width"] / 2) - (plot_box["x"] + plot_box["width"])) < 0.1 * plot_box["width"]

    # A zoom is kept while frames change.
    page.click("#btn-first")
    drag = page.locator("#main-plot .nsewdrag").bounding_box()
    assert drag is not None
    x0, y0 = drag["x"] + drag["width"] * 0.3, drag["y"] + drag["height"] * 0.3
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + drag["width"] * 0.3, y0 + drag["height"] * 0.3, steps=5)
    page.mouse.up()
    wait_until("document.getElementById('main-plot')._fullLayout.xaxis.autorange === false", message="(zoomed)")
    zoomed = page.evaluate(X_RANGE)
    page.evaluate(RECORD_PLAY)
    assert page.evaluate(INDEX) == n - 1
    assert page.evaluate(X_RANGE) == pytest.approx(zoomed), "playing through every frame keeps the zoom"
    page.click("#btn-first")
    assert page.evaluate(X_RANGE) == pytest.approx(zoomed)
