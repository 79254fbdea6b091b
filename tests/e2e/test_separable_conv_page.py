"""The separable-convolution page in real Chromium with a tiny run (1 epoch, small networks): every stage plays;
the depthwise frame draws its maps and kernels, the cost frame its four bars, the sweep frame its counted
markers, the last frame both accuracy points and the parameter table; a kernel larger than the photo shows the
422's message at the field; and on a phone the figure fits the screen. Every test also fails on any console
error (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.lab_checks import show
from tests.e2e.probes import BADGE, CAPTION, COMPLETE, FRAMES, HEATMAPS, IDLE

pytestmark = pytest.mark.e2e

QUERY = "out_channels=2&conv1_filters=2&conv2_filters=3&epochs=1"
URL = f"/algorithms/separable-conv?{QUERY}"
KINDS = [
    "input",
    "depthwise",
    "depthwise",
    "depthwise",
    "pointwise",
    "pointwise",
    "standard",
    "cost",
    "sweep",
    "epoch",
    "done",
]
TRACE = "document.getElementById('main-plot').data[{i}]"


def test_every_stage_plays_and_draws(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the tiny run should finish)")
    assert page.evaluate(FRAMES) == len(KINDS)
    show(page, 1)
    assert page.evaluate(BADGE).lower() == "depthwise"
    assert "channel 1 of 3" in page.evaluate(CAPTION)
    assert page.evaluate(HEATMAPS) >= 2  # maps and kernels
    show(page, KINDS.index("cost"))
    assert page.evaluate(f"{TRACE.format(i=2)}.y.length + {TRACE.format(i=3)}.y.length") == 4
    show(page, KINDS.index("sweep"))
    assert page.evaluate(f"{TRACE.format(i=8)}.y.length") == 32  # 4 kernel sizes × 8 output counts, counted
    show(page, None)
    assert page.evaluate(f"{TRACE.format(i=12)}.x.length + {TRACE.format(i=13)}.x.length") == 2
    wait_until("document.getElementById('result-panels').textContent.includes('pointwise')", timeout=20)
    table = page.evaluate("document.getElementById('result-panels').textContent")
    assert "depthwise 2→2 3×3" in table and "pointwise 2→3 1×1" in table


def test_kernel_larger_than_the_photo_names_the_field(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")  # the refused run: the browser logs the response it was meant to get
    page.goto("/algorithms/separable-conv?out_channels=1&conv1_filters=1&conv2_filters=1&epochs=1")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the tiny run should finish)")
    page.fill("#ctl-image-side", "8")  # an 8 × 5 photo: a 9×9 kernel leaves no output
    page.press("#ctl-image-side", "Tab")
    page.fill("#ctl-kernel", "9")
    page.press("#ctl-kernel", "Tab")
    selector = '[data-path="kernel"]'
    wait_until(f"document.querySelector('{selector}').classList.contains('invalid')", message="(a 422 at kernel)")
    text = page.locator(f"{selector} > .field-error").inner_text()
    assert "≤ 0" in text and "(5 − 9 + 1)" in text
    assert page.evaluate(BADGE) == "invalid"


def test_phone_fits(screens: Any, console: Any) -> None:
    from tests.e2e.conftest import watch_console
    from tests.e2e.lab_checks import until

    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(URL)
        until(page, f"{COMPLETE} && {IDLE}", timeout=60)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        plot = page.locator("#main-plot").bounding_box()
        assert plot["x"] >= 0 and plot["x"] + plot["width"] <= width + 1
    finally:
        page.close()
    assert not console.unexpected()
