"""The transfer-learning page in real Chromium with a tiny race (2 modes, 3 epochs): it streams and finishes, the
figure draws one accuracy line per mode (legend), the frozen grid says frozen for feature extraction, the moved
bars are drawn; and on a phone the stacked layout stays inside the screen. Every test also fails on any console
error (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import BARS, CAPTION, COMPLETE, IDLE, LINES, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = '/algorithms/transfer-learning?epochs=3&labelled=20&modes=["scratch","feature_extraction"]'
GRID_TEXT = "document.getElementById('main-plot').data[2].text.flat().join(',')"


def test_race_draws_curves_grid_and_bars(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40, message="(the tiny race should finish)")
    page.keyboard.press("End")
    wait_until(f"{CAPTION}.startsWith('Done')", message="(End shows the done frame)")
    names = page.evaluate(TRACE_NAMES)
    assert names[:2] == ["from scratch", "feature extraction"]
    assert page.evaluate(LINES) >= 2
    assert page.evaluate(BARS) >= 8  # 4 blocks × 2 modes
    assert page.evaluate(GRID_TEXT).count("frozen") == 2  # feature extraction's conv1 and conv2
    caption = page.evaluate(CAPTION)
    assert "Against scratch, in points" in caption and "bit-identical to the backbone" in caption


def test_phone_layout_fits(screens: Any, console: Any) -> None:
    from tests.e2e.conftest import watch_console
    from tests.e2e.test_cnn_page import deadline_poll

    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(URL)
        deadline_poll(page, COMPLETE, 40)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        box = page.locator("#main-plot").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    finally:
        page.close()
    assert not console.unexpected()
