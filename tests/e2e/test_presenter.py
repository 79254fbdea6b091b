"""Presenter mode for a projector (issue 12, item 11): the P key (not while typing) or the Present button turns
it on; it is kept in the URL as present=1 (a reload keeps it) and never sent to the API as a param; the
caption and the figure's type are larger, the settings hidden, the stage the whole width."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.probes import COMPLETE
from tests.e2e.test_stage_layout import box, lab_page, poll, violations_outside

pytestmark = pytest.mark.e2e

CAPTION_PX = "parseFloat(getComputedStyle(document.getElementById('caption')).fontSize)"
FIGURE_PX = "document.getElementById('main-plot')._fullLayout.font.size"
PRESENT = "new URLSearchParams(location.search).get('present')"


def test_the_p_key_turns_presenter_mode_on_and_a_reload_keeps_it(screens: Any) -> None:
    with lab_page(screens, "/algorithms/kmeans?k=3", (1440, 900)) as page:
        poll(page, COMPLETE)
        caption_px = page.evaluate(CAPTION_PX)
        figure_px = page.evaluate(FIGURE_PX)
        assert page.locator("#settings").is_visible()
        bodies: list[dict[str, Any]] = []

        def on_request(request: Any) -> None:
            if "/runs" in request.url and request.post_data:
                bodies.append(json.loads(request.post_data))

        page.on("request", on_request)

        page.locator("body").click(position={"x": 700, "y": 880})
        page.keyboard.press("p")
        poll(page, f"{PRESENT} === '1'", message="(present=1 in the URL)")
        assert page.evaluate("new URLSearchParams(location.search).get('k')") == "3", "the params stay"
        assert page.evaluate("document.documentElement.classList.contains('presenting')")
        assert page.get_attribute("#present-toggle", "aria-pressed") == "true"
        assert not page.locator("#settings").is_visible(), "controls hidden"
        assert page.evaluate(CAPTION_PX) >= 1.3 * caption_px
        poll(page, f"{FIGURE_PX} > {figure_px}", message="(the figure's type is larger)")
        assert box(page, "#main-plot")["width"] >= 0.9 * 1440, "the stage takes the width"
        assert violations_outside(page, "#controls") == []

        page.reload()
        poll(page, f"{COMPLETE}")
        assert page.evaluate(PRESENT) == "1"
        assert page.evaluate("document.documentElement.classList.contains('presenting')")
        assert not page.locator("#settings").is_visible()
        assert page.evaluate(CAPTION_PX) >= 1.3 * caption_px
        assert page.evaluate("document.querySelector('#metrics .metric-name') !== null")
        assert bodies, "the reload ran the lab"
        assert all("present" not in b.get("params", {}) for b in bodies), bodies
        assert bodies[-1]["params"].get("k") == 3

        page.locator("body").click(position={"x": 700, "y": 880})
        page.keyboard.press("p")
        poll(page, f"{PRESENT} === null", message="(off again: present leaves the URL)")
        assert page.locator("#settings").is_visible()


def test_p_typed_into_a_field_is_just_a_letter_and_the_button_toggles(screens: Any) -> None:
    with lab_page(screens, "/algorithms/kmeans", (1024, 768)) as page:
        poll(page, "document.getElementById('player').dataset.ready === 'true'")
        page.click("#ctl-seed")
        page.keyboard.press("p")
        assert page.evaluate(PRESENT) is None
        assert not page.evaluate("document.documentElement.classList.contains('presenting')")
        page.click("#present-toggle")
        poll(page, f"{PRESENT} === '1'")
        page.click("#present-toggle")
        poll(page, f"{PRESENT} === null")
