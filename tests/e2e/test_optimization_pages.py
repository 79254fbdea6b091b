"""The optimisation labs in real Chromium: clicking the surface moves the start (that both pages stream and draw
their surface and paths is test_every_lab_page's)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.probes import COMPLETE, RUNS

pytestmark = pytest.mark.e2e


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
