"""The hierarchical, DBSCAN and PCA pages in real headless Chromium: they stream, draw, and log no errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, LINES, POINTS

pytestmark = pytest.mark.e2e

HEATMAP = "document.querySelectorAll('#main-plot .heatmaplayer image, #main-plot .hm image').length"


def _open(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until(f"{FRAMES} > 1", message="(frames should stream in)")
    wait_until(COMPLETE, message="(the stream should end)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")  # pause, so scrubbing stays where it is put


def test_hierarchical_page_grows_the_dendrogram(page: Any, wait_until: Any) -> None:
    _open(page, wait_until, "/algorithms/hierarchical")
    page.locator("#scrub").fill("10")
    wait_until(f"{CAPTION}.startsWith('Merge 11 of 39')")
    assert page.evaluate(POINTS) >= 40, "the scatter should draw the points"
    assert page.evaluate(LINES) >= 2, "the dendrogram and the current link should be drawn"
    assert page.evaluate(HEATMAP) >= 1, "the proximity matrix should be drawn for 40 points"
    page.click("#btn-last")
    wait_until(f"{CAPTION}.startsWith('Cut into')")


def test_dbscan_page_draws_points_circles_and_the_k_distance_panel(page: Any, wait_until: Any) -> None:
    _open(page, wait_until, "/algorithms/dbscan")
    page.locator("#scrub").fill("0")
    wait_until(f"{CAPTION}.includes('core points')")
    assert page.evaluate(POINTS) >= 200
    assert page.evaluate("document.querySelectorAll('#main-plot .shapelayer path').length") >= 1  # eps-circles
    wait_until(
        "document.querySelectorAll('#panel-k-distance .scatterlayer .js-line').length > 0",
        message="(the k-distance panel should be drawn)",
    )
    page.click("#btn-last")
    wait_until(f"{CAPTION}.startsWith('Done: 2 clusters')")


def test_pca_page_uses_its_own_datasets_and_steps_through(page: Any, wait_until: Any) -> None:
    _open(page, wait_until, "/algorithms/pca")
    options = page.evaluate("[...document.querySelectorAll('.dataset-thumb')].map((b) => b.dataset.name)")
    assert options == ["gaussian2d", "gaussian3d", "iris", "wine", "breast_cancer", "digits"]
    page.locator("#scrub").fill("5")
    wait_until(f"{CAPTION}.startsWith('Explained variance')")
    assert page.evaluate(POINTS) >= 150
    assert page.evaluate("document.querySelectorAll('#main-plot .barlayer .point').length") == 4
    assert page.evaluate(HEATMAP) >= 1
    page.click('.dataset-thumb[data-name="gaussian2d"]')
    wait_until("location.search.includes('dataset.name=gaussian2d')")
    wait_until(
        f"Number(document.getElementById('player').dataset.runs) >= 2 && {COMPLETE}",
        message="(the new run should finish)",
    )
    page.locator("#scrub").fill("0")
    wait_until(f"{CAPTION}.includes('200 samples × 2 features')")
