"""The segmentation page in real Chromium with a tiny run: the explainer's frames come first and step pixel by
pixel (the ring and the stamp's box move, the caption names the pixel), the crop frame's caption says the output
size arithmetic, the training frames overlay the predicted masks with a legend of the classes, and a bad
output_padding is a 422 in words next to its control. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import BADGE, CAPTION, COMPLETE, IDLE, INDEX, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = "/algorithms/segmentation?n_samples=120&side=8&width=4&epochs=2"
RING = "document.getElementById('main-plot').data[1].x.length"
MASK_Z = (
    "(() => { const z = document.getElementById('main-plot').data[8].z; return z && (z.bdata || z.length) ? 1 : 0; })()"
)


def _go(page: Any, index: int) -> None:
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")


def test_explainer_then_training(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the tiny run should finish)")
    names = page.evaluate(TRACE_NAMES)
    assert {"circle", "square", "triangle", "stamped pixel and its block"} <= set(names)
    page.locator("#main-plot").click(position={"x": 5, "y": 5})
    _go(page, 0)
    wait_until(f"{INDEX} === 0")
    wait_until(f"{CAPTION}.includes('Input pixel (0, 0)')")
    assert page.evaluate(RING) == 1
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1 && {CAPTION}.includes('Input pixel (0, 1)')")
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 9")
    assert page.evaluate(BADGE).lower() == "crop"
    caption = page.evaluate(CAPTION)
    assert "H_out = (H − 1)·s − 2p + (k − 1) + output_padding + 1" in caption and "= 6" in caption
    assert page.evaluate(RING) == 0
    page.keyboard.press("End")
    wait_until(f"{CAPTION}.includes('Trained:')")
    assert page.evaluate(MASK_Z) == 1


def test_output_padding_rule_is_a_422_in_words(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("422")
    page.goto("/algorithms/segmentation?n_samples=120&side=8&width=4&epochs=1&tc_output_padding=2")
    wait_until(
        "document.body.innerText.toLowerCase().includes('output_padding is 2')",
        timeout=30,
        message="(the 422 names output_padding and the rule)",
    )
    assert "smaller than the stride (2)" in page.evaluate("document.body.innerText")
