"""The catalog in a real browser: a grid of cards that uses the width, each with its lab's own preview image,
one sentence and the journal day in words; live search; keyboard focus; axe-clean, as is the 404 page."""

from __future__ import annotations

import re
import time
from typing import Any

from tests.e2e.axe import serious_violations

DAY_WORDS = re.compile(r"^Days? \d+(–\d+)?((, \d+(–\d+)?)* and \d+(–\d+)?)? of the 66-day journal$")
# Where each visible card is and what it says.
CARDS = """() => [...document.querySelectorAll('.card:not([hidden])')].map(card => {
    const box = card.getBoundingClientRect();
    const img = card.querySelector('img.card-preview');
    return {
        id: card.querySelector('a').dataset.testid, left: Math.round(box.left), top: Math.round(box.top),
        width: box.width, img: img && {loaded: img.complete && img.naturalWidth > 0, alt: img.alt,
                                         src: img.getAttribute('src'), width: img.getBoundingClientRect().width},
        sentence: card.querySelector('.card-summary').textContent.trim(),
        chip: card.querySelector('.day-chip').textContent.trim(),
    };
})"""
IMAGES_LOADED = "[...document.querySelectorAll('img.card-preview')].every(i => i.complete && i.naturalWidth > 0)"


def _wait_for_images(page: Any, timeout: float = 240.0) -> None:
    """Every preview loaded (they load lazily: each card is scrolled into view; a fresh server computes each
    lab's default run first, tens of seconds on a busy machine)."""
    deadline = time.monotonic() + timeout
    for card in page.locator(".card").all():
        card.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    while not page.evaluate(IMAGES_LOADED):
        assert time.monotonic() < deadline, "the card previews did not all load"
        time.sleep(0.25)


def _rows(cards: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows: dict[int, list[dict[str, Any]]] = {}
    for card in cards:
        rows.setdefault(card["top"], []).append(card)
    return [rows[top] for top in sorted(rows)]


def test_wide_screen_grid_of_cards_with_previews_sentences_and_days(page: Any) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/", wait_until="domcontentloaded")
    _wait_for_images(page)
    cards = page.evaluate(CARDS)
    assert len(cards) >= 10
    rows = _rows(cards)
    assert len(rows[0]) >= 3, f"first row: {[c['id'] for c in rows[0]]}"
    assert all(len(row) >= 3 for row in rows[:-1]), str([[c["id"] for c in row] for row in rows])
    right = max(c["left"] + c["width"] for c in cards)
    assert right - min(c["left"] for c in cards) >= 0.85 * 1440, "the grid uses the width"
    for card in cards:
        assert card["img"]["loaded"], card["id"]
        assert card["img"]["src"] == f"/previews/{card['id'].removeprefix('card-')}.svg"
        assert card["img"]["width"] >= 0.9 * card["width"], "the image spans its card"
        assert len(card["img"]["alt"]) > 20, card
        assert re.fullmatch(r"[^.!?]+[.!?]", card["sentence"]), f"one sentence: {card['sentence']!r}"
        assert DAY_WORDS.match(card["chip"]), card["chip"]
    kmeans = next(c for c in cards if c["id"] == "card-kmeans")
    assert kmeans["chip"] == "Day 13 of the 66-day journal"
    assert page.locator('[data-testid="card-kmeans"]').get_attribute("href") == "/algorithms/kmeans"
    assert serious_violations(page) == []


def test_cards_are_keyboard_focusable_with_a_visible_ring(page: Any) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/", wait_until="domcontentloaded")
    page.focus("#search")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const a = document.activeElement; const s = getComputedStyle(a);
                   return {card: a.classList.contains('card-link'), style: s.outlineStyle,
                           width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }"""
    )
    assert focused["card"], "Tab from the search goes to the first card"
    assert focused["style"] != "none" and focused["width"] >= 2, focused
    assert focused["colour"] == "rgb(0, 90, 140)", "the ring is the dark accent (≥ 3:1 on the page)"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/algorithms/[a-z0-9-]+$"))


def test_phone_shows_one_column(screens: Any) -> None:
    page = screens.new_page((390, 844), phone=True)
    try:
        page.goto("/", wait_until="domcontentloaded")
        cards = page.evaluate(CARDS)
        assert len({c["left"] for c in cards}) == 1, "one column"
        assert all(c["width"] >= 340 for c in cards), "cards take the phone's width"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the screen"
    finally:
        page.close()


def test_search_filters_cards_and_families(page: Any) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/", wait_until="domcontentloaded")
    total = len(page.evaluate(CARDS))
    page.fill("#search", "clustering")
    shown = page.evaluate(CARDS)
    assert 0 < len(shown) < total
    assert {"card-kmeans", "card-dbscan", "card-hierarchical"} <= {c["id"] for c in shown}
    assert not page.locator('[data-testid="card-perceptron"]').is_visible()
    assert page.locator('section[data-family="linear"]').is_hidden()
    assert f"{len(shown)} algorithms" in page.locator("#search-count").inner_text()
    page.fill("#search", "no-such-lab-xyz")
    assert page.evaluate(CARDS) == [] and page.locator("#no-results").is_visible()
    page.fill("#search", "")
    assert len(page.evaluate(CARDS)) == total


def test_not_found_page_is_axe_clean_and_links_the_labs(page: Any, console: Any) -> None:
    console.allow("status of 404")  # the browser logs the page's own status
    response = page.goto("/algorithms/no-such-lab")
    assert response is not None and response.status == 404
    assert page.locator(".lab-links a").count() >= 10
    assert serious_violations(page) == []
