"""A lab page on a phone (390×844, touch): the run finishes and nothing is wider than the screen — the page
scrolls only downwards and the plot starts and ends inside it. What a lab checks beyond that it checks inside
the ``with``; console errors fail the test when the block ends (see conftest)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.e2e.conftest import watch_console
from tests.e2e.probes import COMPLETE


@contextmanager
def phone_page(screens: Any, console: Any, url: str, timeout: float = 40) -> Iterator[tuple[Any, int]]:
    """The phone's page at ``url`` once its run is complete, and the screen's width in CSS pixels."""
    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(url)
        end = time.monotonic() + timeout
        while not page.evaluate(COMPLETE):
            assert time.monotonic() < end, "the run should finish"
            time.sleep(0.05)
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        plot = page.locator("#main-plot").bounding_box()
        assert plot["x"] >= 0 and plot["x"] + plot["width"] <= width + 1
        yield page, width
    finally:
        page.close()
    assert not console.unexpected()
