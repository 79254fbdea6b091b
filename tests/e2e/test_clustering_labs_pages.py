"""The PCA page in real headless Chromium: its own datasets, stepped through, and a switch of dataset that
re-runs. (The hierarchical and DBSCAN pages' dendrogram, circles and captions are checked on their one page
load in test_every_lab_page.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, POINTS

pytestmark = pytest.mark.e2e

HEATMAP = "document.querySelectorAll('#main-plot .heatmaplayer image, #main-plot .hm image').length"


def _open(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until(f"{FRAMES} > 1", message="(frames should stream in)")
    wait_until(COMPLETE, message="(the stream should end)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")  # pause, so scrubbing stays where it is put


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
