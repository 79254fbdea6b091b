"""The optimisation labs in real Chromium: both pages stream and draw; clicking the surface moves the start."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.probes import COMPLETE, FRAMES, RUNS

pytestmark = pytest.mark.e2e

LINES = "document.querySelectorAll('#main-plot .scatterlayer .trace path.js-line').length"
CONTOUR = "document.querySelectorAll('#main-plot .contourlayer path').length"


@pytest.mark.parametrize("lab", ["optimizers", "gradient-descent"])
def test_page_streams_and_draws(page: Any, wait_until: Any, lab: str) -> None:
    page.goto(f"/algorithms/{lab}")
    wait_until(f"{FRAMES} > 1", message="(frames should stream in)")
    wait_until(COMPLETE, message="(the stream should end)")
    page.click("#btn-last")
    assert page.evaluate(CONTOUR) > 10  # the surface, drawn from the scene
    # Paths grow from the frames' x-extend points: at the last frame each has many points.
    longest = page.evaluate(
        "Math.max(...document.getElementById('main-plot').data.filter(t => t.mode === 'lines')"
        ".map(t => (t.x || t.y || []).length))"
    )
    assert longest > 20
    assert page.locator("#caption").inner_text().strip()


def test_clicking_the_surface_sets_the_start(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/optimizers?steps=20")
    wait_until(COMPLETE)
    runs = page.evaluate(RUNS)
    box = page.locator("#main-plot .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
    wait_until(f"{RUNS} > {runs}", message="(a click should re-run)")
    wait_until(COMPLETE)
    start = json.loads(parse_qs(urlparse(page.url).query)["start"][0])
    assert 0.5 < start[0] < 1.5 and 0.5 < start[1] < 1.5  # rosenbrock's box is x ∈ [-2, 2], y ∈ [-1, 3]
    assert page.locator('[data-path="start"] .point-value').inner_text() == f"({start[0]}, {start[1]})"
    page.click('[data-path="start"] button')
    wait_until("new URLSearchParams(location.search).get('start') === null")
