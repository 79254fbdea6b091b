"""axe-core at the three sizes a class meets (laptop, small laptop, phone): no serious or critical WCAG 2.1 A/AA
violation, after the first run has drawn (Plotly's SVG included).

Every lab's page is checked at 1024×768 and 1440×900 by test_every_lab_page (one page load per lab); here: the
catalog and the 404 page at each size, and on the phone (a drawer of settings) the labs whose pages differ most
(a drawer of list widgets, the network diagram).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

SIZES = {"laptop": (1440, 900), "small": (1024, 768), "phone": (390, 844)}
PHONE_LABS = ("optimizers", "neural-network")


@pytest.fixture(params=list(SIZES), scope="module")
def sized(request: Any, screens: Any) -> Iterator[Any]:
    page = screens.new_page(SIZES[request.param], phone=request.param == "phone")
    page.set_default_timeout(30_000)
    yield page
    page.close()


@pytest.fixture(scope="module")
def phone(screens: Any) -> Iterator[Any]:
    page = screens.new_page(SIZES["phone"], phone=True)
    page.set_default_timeout(30_000)
    yield page
    page.close()


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
        time.sleep(0.05)
    raise AssertionError(f"{page.url}: the first run did not finish within {timeout} s")


def test_catalog_and_404_are_accessible(sized: Any) -> None:
    for path in ("/", "/algorithms/no-such-lab"):
        sized.goto(path)
        _settle(sized)
        assert serious_violations(sized) == [], path


@pytest.mark.parametrize("lab", PHONE_LABS)
def test_phone_player_pages_are_accessible(phone: Any, lab: str) -> None:
    phone.goto(f"/algorithms/{lab}")
    _settle(phone)
    found = serious_violations(phone)
    assert found == [], f"{lab} on a phone:\n" + "\n".join(found)
