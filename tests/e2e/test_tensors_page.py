"""The tensors page in real Chromium: the default image run draws the picture and its three channels and steps to
the normalised ones; switching the topic on the form re-runs with that topic's controls (the reshape run shows
PyTorch's failing view); a series too short for one window is refused next to the window control in plain
words; on a phone the table stays inside the screen. Every test also fails on any console error (conftest)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import watch_console
from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, HEATMAPS, IDLE, TRACE_NAMES

pytestmark = pytest.mark.e2e

URL = "/algorithms/tensors"
FIELD_ERROR = "[...document.querySelectorAll('.field-error')].filter((e) => !e.hidden).map((e) => e.textContent)"
VISIBLE = "(name) => { const f = document.querySelector(`.field[data-path='${name}']`); return !!f && !f.hidden; }"


def _done(wait_until: Any, what: str) -> None:
    wait_until(f"{COMPLETE} && {IDLE}", timeout=30, message=f"(the run should finish: {what})")


def test_the_image_run_and_a_topic_switch(page: Any, wait_until: Any) -> None:
    page.goto(URL)
    _done(wait_until, "default image")
    assert page.evaluate(FRAMES) == 5
    names = page.evaluate(TRACE_NAMES)
    assert {"red channel", "green channel", "blue channel", "picture", "the pixel in the caption"} <= set(names)
    wait_until(f"{HEATMAPS} >= 3", message="(the three channel maps)")
    page.keyboard.press("End")
    wait_until(f"{CAPTION}.includes('Normalised per channel')")
    low, high = page.evaluate(
        "(() => { const t = document.getElementById('main-plot')._fullData[0]; return [t.zmin, t.zmax]; })()"
    )
    assert low < 0 < high and low == -high  # the diverging scale around 0
    assert not page.evaluate(f"({VISIBLE})('text')")
    page.select_option("#ctl-topic", "reshape")
    wait_until("new URLSearchParams(location.search).get('topic') === 'reshape'", message="(the URL follows)")
    wait_until(f"{FRAMES} === 7 && {COMPLETE} && {IDLE}", timeout=30, message="(the reshape run: 7 frames)")
    assert page.evaluate(f"({VISIBLE})('dim0')")
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_until(f"{CAPTION}.includes('fails')", message="(the failing view)")
    assert "view size is not compatible" in page.evaluate(CAPTION)


def test_a_series_too_short_is_refused_at_the_window(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("422")
    page.goto(URL + "?topic=series&length=8&window=7&horizon=2")
    wait_until(f"{FIELD_ERROR}.length > 0", timeout=20, message="(a 422 next to a control)")
    errors = page.evaluate(FIELD_ERROR)
    assert any("series length 8" in e for e in errors), errors


def test_phone_fits_the_table(screens: Any, console: Any) -> None:
    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(URL + "?topic=table")
        end = time.monotonic() + 30
        while not page.evaluate(COMPLETE):
            assert time.monotonic() < end, "the run should finish"
            time.sleep(0.05)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        plot = page.locator("#main-plot").bounding_box()
        assert plot["x"] >= 0 and plot["x"] + plot["width"] <= width + 1
    finally:
        page.close()
    assert not console.unexpected()
