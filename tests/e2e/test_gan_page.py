"""The GAN page in real Chromium with a short run: it streams and plays its frames, draws D's picture, the real and
generated points, the gradient arrows, the mode circles and the curves, the caption states the losses and the
modes; points drawn on the plane become the real distribution of the next run; on a phone the plot stays inside
the screen. Every test also fails on any console error (see conftest)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.phone import phone_page
from tests.e2e.probes import CAPTION, COMPLETE, DATA, FRAMES, HEATMAPS, IDLE, LINES, POINTS, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = "/algorithms/gan?steps=60&every=20&batch_size=32&g_layers=16&d_layers=16"


def test_run_draws_every_panel(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the short run should finish)")
    assert page.evaluate(FRAMES) == 4  # init, steps 20 and 40, done (step 60)
    names = page.evaluate(TRACE_NAMES)
    assert {"real points", "generated G(z)", "push −∂L_G/∂x", "mode covered (3σ)", "D loss"} <= set(names)
    wait_until(f"{HEATMAPS} >= 1", message="(D's picture)")
    wait_until(f"{POINTS} >= 512", message="(the real points and the generated ones)")
    wait_until(f"{LINES} >= 5", message="(arrows, mode circles, the curves)")
    assert "modes covered" in page.evaluate(CAPTION) or "modes are covered" in page.evaluate(CAPTION)
    page.keyboard.press("Home")
    wait_until(f"{CAPTION}.includes('untrained generator')")
    assert "3σ = 0.30" in page.evaluate(CAPTION)


def test_drawn_points_become_the_real_distribution(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the first run should finish)")
    page.click("#draw-toggle")
    wait_until("!document.getElementById('draw-box').hidden")
    for fx, fy in [(0.3, 0.3), (0.35, 0.32), (0.6, 0.65), (0.62, 0.7), (0.5, 0.5)]:
        box = page.evaluate(
            """([fx, fy]) => { const r = document.querySelector('#main-plot .nsewdrag').getBoundingClientRect();
            return [r.left + fx * r.width, r.top + fy * r.height]; }""",
            [fx, fy],
        )
        page.mouse.click(box[0], box[1])
        time.sleep(0.05)
    wait_until(f"{DATA}.startsWith('d1.') && {COMPLETE} && {IDLE}", timeout=60, message="(a run of the drawing)")
    sent = page.evaluate(
        "JSON.parse(document.querySelector('#snippet-curl').textContent.match(/-d '(.*)'/s)[1]).params.dataset"
    )
    assert len(sent["X"]) == 5
    page.click("#draw-toggle")  # done drawing: the run of the drawing is on show
    wait_until(f"{FRAMES} >= 2 && {COMPLETE}", timeout=60, message="(the drawing's run on show)")
    page.keyboard.press("Home")
    wait_until(f"{CAPTION}.includes('the 5 real ones are grey')", message="(the drawing is the real distribution)")


def test_phone_fits(screens: Any, console: Any) -> None:
    with phone_page(screens, console, URL, timeout=60):
        pass  # the fit checks are all there is
