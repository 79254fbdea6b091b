"""axe-core over every page at the three sizes a class meets (laptop, small laptop, phone): no serious or
critical WCAG 2.1 A/AA violation anywhere, after the first run has drawn (Plotly's SVG included)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

SIZES = {"laptop": (1440, 900), "small": (1024, 768), "phone": (390, 844)}


def _lab_ids(base_url: str) -> list[str]:
    return [a["id"] for a in httpx.get(f"{base_url}/api/v1/algorithms", timeout=30).json()]


@pytest.fixture(params=list(SIZES), scope="module")
def sized(request: Any, browser: Any, base_url: str) -> Iterator[Any]:
    width, height = SIZES[request.param]
    phone = request.param == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _settle(page: Any, timeout: float = 30.0) -> None:
    """Until the player has frames and is idle (or the page is not a player)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(
            "(() => { const p = document.getElementById('player');"
            " return p ? (p.dataset.running === 'false' && (p.dataset.runs ?? '0') !== '0') : true; })()"
        )
        if state:
            return
        time.sleep(0.1)
    raise AssertionError(f"{page.url}: the first run did not finish within {timeout} s")


def test_catalog_and_404_are_accessible(sized: Any) -> None:
    for path in ("/", "/algorithms/no-such-lab"):
        sized.goto(path)
        _settle(sized)
        assert serious_violations(sized) == [], path


# Every lab at the laptop size; at the other two, the labs whose pages differ most (a drawer of list widgets,
# the network diagram), as each page costs ~5 s of a 2-core box (test_stage_layout checks svm and k-means).
SMALLER_SIZES_LABS = ("optimizers", "neural-network")


def test_every_player_page_is_accessible(sized: Any, base_url: str) -> None:
    problems: dict[str, list[str]] = {}
    laptop = sized.viewport_size["width"] == SIZES["laptop"][0]
    for lab in _lab_ids(base_url) if laptop else SMALLER_SIZES_LABS:
        sized.goto(f"/algorithms/{lab}")
        _settle(sized)
        found = serious_violations(sized)
        if found:
            problems[lab] = found
    assert problems == {}, "\n".join(f"{lab}: {v}" for lab, vs in problems.items() for v in vs)
