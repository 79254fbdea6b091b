"""The player on a phone (390×844, touch; issue 12, item 8): the figure first, then the caption and the
transport; the site's nav links and the whole lab title visible; no keyboard hints; the settings in a drawer
(Settings opens it, focus moves in, Escape closes it and gives focus back); a swipe on the figure steps a
frame; targets of at least 44 px; axe-core clean outside the controls form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, INDEX, PLAYING
from tests.e2e.test_stage_layout import box, lab_page, poll, violations_outside

pytestmark = pytest.mark.e2e

PHONE = (390, 844)


@pytest.mark.parametrize("lab", ["kmeans", "svm"])
def test_the_figure_comes_first_with_caption_and_transport_next(screens: Any, lab: str) -> None:
    with lab_page(screens, f"/algorithms/{lab}", PHONE, phone=True) as page:
        plot = box(page, "#main-plot")
        caption = box(page, ".caption-bar")
        play = box(page, "#btn-play")
        assert plot["y"] < 844 and plot["bottom"] <= 844, plot
        assert plot["height"] >= 260 and plot["width"] >= 340, plot
        assert plot["bottom"] <= caption["y"] <= play["y"], (plot, caption, play)
        assert not page.locator("#settings").is_visible(), "the settings wait in the drawer"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"


def test_nav_links_title_and_no_key_hints(screens: Any) -> None:
    with lab_page(screens, "/algorithms/gradient-descent", PHONE, phone=True) as page:
        for link in page.locator(".site-nav a").all():
            assert link.is_visible()
            assert box(page, f".site-nav a[href='{link.get_attribute('href')}']")["right"] <= 390
        title = page.evaluate(
            "(() => { const h = document.querySelector('.algo-title');"
            " return [h.scrollWidth <= h.clientWidth + 1, h.scrollHeight <= h.clientHeight + 1, h.textContent]; })()"
        )
        assert title[0] and title[1], f"the title is shown whole: {title}"
        assert not page.locator(".keys-hint").is_visible(), "no keyboard hints on a touch screen"
        for selector in ("#btn-back", "#btn-forward", "#btn-play", "#settings-open"):
            b = box(page, selector)
            assert b["width"] >= 44 and b["height"] >= 44, (selector, b)


def test_the_settings_drawer_opens_traps_focus_and_closes(screens: Any) -> None:
    with lab_page(screens, "/algorithms/kmeans", PHONE, phone=True) as page:
        poll(page, "document.getElementById('player').dataset.ready === 'true'")
        assert page.get_attribute("#settings-open", "aria-expanded") == "false"
        page.click("#settings-open")
        poll(
            page,
            "document.getElementById('settings').getBoundingClientRect().right <= 391"
            " && getComputedStyle(document.getElementById('settings')).visibility === 'visible'",
        )
        assert page.get_attribute("#settings-open", "aria-expanded") == "true"
        assert page.evaluate("document.getElementById('settings').contains(document.activeElement)")
        assert page.locator("#run-button").is_visible()
        for _ in range(60):  # Tab never leaves the open drawer
            page.keyboard.press("Tab")
            assert page.evaluate("document.getElementById('settings').contains(document.activeElement)")
        assert violations_outside(page, "#controls") == []
        page.keyboard.press("Escape")
        poll(page, "getComputedStyle(document.getElementById('settings')).visibility === 'hidden'")
        assert page.evaluate("document.activeElement.id") == "settings-open"
        page.click("#settings-open")
        poll(page, "document.getElementById('settings').classList.contains('open')")
        page.click("#settings-close")
        poll(page, "!document.getElementById('settings').classList.contains('open')")


def swipe(page: Any, x0: float, x1: float, y: float) -> None:
    """A real one-finger stroke from (x0, y) to (x1, y), through the DevTools touch input."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for k in range(1, 6):
        x = x0 + (x1 - x0) * k / 5
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_swipe_on_the_figure_steps_a_frame(screens: Any) -> None:
    with lab_page(screens, "/algorithms/kmeans", PHONE, phone=True) as page:
        poll(page, COMPLETE)
        if page.evaluate(PLAYING):
            page.click("#btn-play")
        page.click("#btn-first")
        page.click("#btn-forward")
        page.click("#btn-forward")
        assert page.evaluate(INDEX) == 2
        plot = box(page, "#main-plot")
        y = plot["y"] + plot["height"] / 2
        swipe(page, plot["x"] + plot["width"] * 0.8, plot["x"] + plot["width"] * 0.2, y)  # leftwards: next
        poll(page, f"{INDEX} === 3", message="(a swipe left shows the next frame)")
        swipe(page, plot["x"] + plot["width"] * 0.2, plot["x"] + plot["width"] * 0.8, y)  # rightwards: previous
        poll(page, f"{INDEX} === 2", message="(a swipe right shows the previous frame)")
        assert page.evaluate("document.getElementById('main-plot')._fullLayout.dragmode") is False, "no zoom box"
