"""The backpropagation page in real Chromium: the default run streams and plays, the graph is drawn (nodes,
edges, the loss line), and clicking a node shows its operation, forward value and gradient at the frame on show,
following the timeline (issue 17: "a node clicked shows its forward value and gradient"). Two page loads; every
test also fails on any console error (see conftest)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, IDLE, INDEX, TRACE_NAMES

pytestmark = pytest.mark.e2e

BOX = "document.getElementById('inspect-node-box')"
SHOWN = f"{BOX} && !{BOX}.hidden"


def _click_node(page: Any, node: str) -> None:
    x, y = page.evaluate(
        """(id) => {
        const gd = document.getElementById('main-plot');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const i = gd.data[2].hovertext.findIndex((t) => t.startsWith(`<b>${id}</b>`));
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.left + xa.d2p(gd.data[2].x[i]), r.top + ya.d2p(gd.data[2].y[i])];
    }""",
        node,
    )
    page.mouse.click(x + 3, y - 3)


def _show(page: Any, wait_until: Any, index: int) -> None:
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === {index}", message=f"(frame {index} on show)")


def test_click_a_node_shows_its_value_and_gradient_and_follows_the_frame(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/backprop")
    wait_until(f"{COMPLETE} && {IDLE}", message="(the default run should finish)")
    assert page.evaluate(FRAMES) == 27  # 8 forward, 8 backward, the update, 9 steps, done
    names = page.evaluate(TRACE_NAMES)
    assert "node: operation, value, ∂L/∂node" in names and "loss L" in names
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    _show(page, wait_until, 2)  # forward: n1 = w × x
    assert "n1 = w × x" in page.evaluate(CAPTION)
    _click_node(page, "w")
    wait_until(SHOWN, message="(clicking a node opens its panel)")
    box = page.locator("#inspect-node-box")
    assert box.get_attribute("data-node") == "w"
    assert box.get_attribute("data-value") == "value = 0.5"
    assert "not computed yet" in (box.get_attribute("data-grad") or "")
    _show(page, wait_until, 15)  # the last backward frame: ∂L/∂w
    wait_until(f"{BOX}.dataset.grad === '∂L/∂w = -3.45'", message="(the gradient follows the frame)")
    assert "parameter" in box.inner_text()
    _show(page, wait_until, 16)  # the update: w ← 0.845
    wait_until(f"{BOX}.dataset.value.includes('0.845')", message="(the update's new value)")
    _click_node(page, "n2")
    wait_until(f"{BOX}.dataset.node === 'n2'", message="(another node)")
    assert "n2 = w * x + b" in box.inner_text() and "∂L/∂n2 = -2.3" in box.inner_text()
    page.keyboard.press("Escape")
    wait_until(f"{BOX} === null || {BOX}.hidden", message="(Escape closes the panel)")


def test_the_network_preset_on_a_phone_fits(screens: Any, console: Any) -> None:
    from tests.e2e.conftest import watch_console

    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto("/algorithms/backprop?graph=net-221&steps=3")
        end = time.monotonic() + 40
        while not page.evaluate(COMPLETE):
            assert time.monotonic() < end, "the run should finish"
            time.sleep(0.05)
        assert page.evaluate(FRAMES) == 2 * 29 + 1 + 2 + 1
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        plot = page.locator("#main-plot").bounding_box()
        assert plot["x"] >= 0 and plot["x"] + plot["width"] <= width + 1
    finally:
        page.close()
    assert not console.unexpected()
