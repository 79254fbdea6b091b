"""The residual-network page in real Chromium with a tiny run: it streams and plays its frames, draws both loss
curves, both gradient lines, both boundaries and the block diagram, the caption states the factor, and on a
phone the plot stays inside the screen. Every test also fails on any console error (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.phone import phone_page
from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, HEATMAPS, IDLE, LINES, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = "/algorithms/resnet?depth=8&width=6&epochs=3"


def test_run_draws_every_panel(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40, message="(the tiny run should finish)")
    assert page.evaluate(FRAMES) == 4  # init, epochs 1 and 2, done (epoch 3)
    names = page.evaluate(TRACE_NAMES)
    assert "plain net" in names and "residual: ‖∂L/∂W‖ per layer" in names
    wait_until(f"{HEATMAPS} >= 2", message="(both decision boundaries)")
    wait_until(f"{LINES} >= 6", message="(loss curves, gradient lines, the factor)")
    assert page.evaluate("document.querySelectorAll('#main-plot .shapelayer path').length") >= 3  # the block
    page.keyboard.press("Home")
    wait_until(f"{CAPTION}.includes('the gradient')")
    assert "first layer gets" in page.evaluate(CAPTION)


def test_phone_fits(screens: Any, console: Any) -> None:
    with phone_page(screens, console, URL, timeout=40):
        pass  # the fit checks are all there is
