"""The recurrent-network page in real Chromium with a tiny run: it streams and plays its frames, draws the series
with both nets' predictions, both gradient lines, both hidden-state heatmaps, the gates and the diagram of RNN
types; the caption states the gradients; switching compare off leaves one net; on a phone the plot stays inside
the screen. Every test also fails on any console error (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.phone import phone_page
from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, HEATMAPS, IDLE, LINES, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = "/algorithms/rnn?length=80&window=10&hidden_size=6&epochs=3"


def test_run_draws_every_panel(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40, message="(the tiny run should finish)")
    assert page.evaluate(FRAMES) == 4  # init, epochs 1 and 2, done (epoch 3)
    names = page.evaluate(TRACE_NAMES)
    assert "RNN: ‖∂L/∂h_t‖" in names and "LSTM: ‖∂L/∂h_t‖" in names and "forget gate" in names
    wait_until(f"{HEATMAPS} >= 2", message="(both hidden-state heatmaps)")
    wait_until(f"{LINES} >= 10", message="(series, predictions, forecasts, gradients, losses, gates)")
    assert page.evaluate("document.querySelectorAll('#main-plot .shapelayer path').length") >= 20  # the diagram
    page.keyboard.press("Home")
    wait_until(f"{CAPTION}.includes('‖∂L/∂h_t‖')")
    assert "the LSTM gets" in page.evaluate(CAPTION)


def test_one_net_when_compare_is_off(page: Any, wait_until: Any) -> None:
    page.goto(URL + "&compare=false&cell=gru")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40, message="(the tiny run should finish)")
    names = page.evaluate(TRACE_NAMES)
    assert "GRU: ‖∂L/∂h_t‖" in names and "RNN: ‖∂L/∂h_t‖" not in names and "update gate" in names
    wait_until(f"{HEATMAPS} >= 1", message="(the GRU's hidden states)")


def test_phone_fits(screens: Any, console: Any) -> None:
    with phone_page(screens, console, URL, timeout=40):
        pass  # the fit checks are all there is
