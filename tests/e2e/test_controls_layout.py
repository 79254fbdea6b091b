"""The parameter form at 1440×900 (issue 12, items 4 and 7): the dataset first, as thumbnails, chosen by
keyboard; only the controls that apply; errors in plain words next to their control, in view. (Every lab's
groups in order, labels in words and an axe-clean form are checked on its one page load in
test_every_lab_page.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

IDLE = "document.getElementById('player').dataset.running === 'false'"


@pytest.fixture
def laptop(page: Any) -> Any:
    """The shared ``page`` (console watched, ``wait_until`` polls it) at 1440×900, the laptop of the issue."""
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def _open(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until("document.getElementById('player').dataset.ready === 'true'")
    wait_until(IDLE, timeout=40)


def _in_view(page: Any, selector: str) -> dict[str, Any]:
    """Where ``selector`` is against the viewport and the controls column's visible box."""
    result: dict[str, Any] = page.evaluate(
        """(sel) => {
            const node = document.querySelector(sel);
            const col = document.querySelector('.controls-col').getBoundingClientRect();
            const r = node.getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, colTop: col.top, colBottom: col.bottom,
                    viewport: innerHeight, inView: r.height > 0 && r.top >= Math.max(0, col.top) - 1
                      && r.bottom <= Math.min(innerHeight, col.bottom) + 1,
                    scrolled: document.querySelector('.controls-col').scrollTop};
        }""",
        selector,
    )
    return result


def test_dataset_picker_is_first_and_visible_without_scrolling(laptop: Any, wait_until: Any) -> None:
    page = laptop
    _open(page, wait_until, "/algorithms/knn")
    first = page.evaluate(
        "(() => { const f = document.querySelector('#controls-fields .field');"
        " return f && f.dataset.path + ':' + f.dataset.kind; })()"
    )
    assert first == "dataset:dataset", "the dataset is the first control of the form"
    focusable = page.evaluate(
        "document.querySelector('#controls-fields').querySelector('button, input, select, textarea').className"
    )
    assert "dataset-thumb" in focusable, "the first thing to operate is a dataset thumbnail"
    place = _in_view(page, '#controls-fields .dataset-thumb[aria-checked="true"]')
    assert place["scrolled"] == 0 and place["inView"], f"the chosen dataset shows without scrolling: {place}"
    assert _in_view(page, "#controls-fields .dataset-picker")["inView"], "the whole picker is in view"

    picker = page.locator("#controls-fields .dataset-picker")
    assert picker.get_attribute("role") == "radiogroup"
    names = picker.locator(".dataset-thumb").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert {"Moons", "Circles", "Blobs", "Spiral", "XOR"} <= set(names), names
    checked = picker.locator('.dataset-thumb[aria-checked="true"]')
    assert checked.count() == 1 and checked.get_attribute("aria-label") == "Moons"
    # Each thumbnail draws its dataset's points (fetched once, small), coloured per class.
    wait_until(
        "[...document.querySelectorAll('.dataset-thumb')].slice(0, 5)"
        ".every(b => b.querySelectorAll('svg path[fill]').length >= 2)",
        message="(the first thumbnails should show their points, two classes at least)",
    )
    colours = page.evaluate(
        "[...document.querySelectorAll('.dataset-thumb[data-name=\"moons\"] svg path')].map(p => p.getAttribute('fill'))"
    )
    assert len(set(colours)) == 2, f"moons: two classes, two colours ({colours})"
    # The chosen dataset's own fields follow the picker, before any other group.
    order = page.evaluate(
        "[...document.querySelectorAll('#controls-fields .field[data-path]')].slice(0, 4).map(f => f.dataset.path)"
    )
    assert order[0] == "dataset" and order[1].startswith("dataset."), order


def test_choosing_a_dataset_by_keyboard(laptop: Any, wait_until: Any) -> None:
    page = laptop
    _open(page, wait_until, "/algorithms/knn")
    page.focus('.dataset-thumb[aria-checked="true"]')
    assert page.evaluate("document.activeElement.tabIndex") == 0, "Tab reaches the picker at the chosen one"
    assert page.locator('.dataset-thumb[tabindex="0"]').count() == 1, "one tab stop for the whole picker"
    page.keyboard.press("ArrowRight")
    wait_until("document.activeElement.dataset.name === 'circles'")
    assert page.get_attribute('.dataset-thumb[data-name="circles"]', "aria-checked") == "true"
    assert page.get_attribute('.dataset-thumb[data-name="moons"]', "aria-checked") == "false"
    wait_until("location.search.includes('dataset.name=circles')", message="(the choice goes to the URL)")
    wait_until("!!document.querySelector('[data-path=\"dataset.factor\"]')", message="(circles' own fields show)")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none", "a visible focus ring on the focused thumbnail"


def test_knn_p_only_for_minkowski(laptop: Any, wait_until: Any) -> None:
    page = laptop
    _open(page, wait_until, "/algorithms/knn")
    p_field = page.locator('[data-path="p"]')
    assert p_field.count() == 1 and not p_field.is_visible(), "no p for the euclidean metric"
    assert page.input_value("#ctl-metric") == "euclidean"
    page.select_option("#ctl-metric", "minkowski")
    assert p_field.is_visible(), "p shows once the metric is minkowski"
    page.fill("#ctl-p", "4")
    page.press("#ctl-p", "Tab")
    wait_until("location.search.includes('p=4')")
    page.select_option("#ctl-metric", "manhattan")
    assert not p_field.is_visible(), "p hides again for manhattan"
    wait_until("location.search.includes('metric=manhattan')")
    page.select_option("#ctl-metric", "minkowski")
    assert page.input_value("#ctl-p") == "4", "a hidden control keeps its value"
    # Option labels come from x-labels, values stay the API's.
    option = page.locator('#ctl-metric option[value="manhattan"]').inner_text()
    assert option != "manhattan" and "anhattan" in option, option


def test_out_of_range_k_shows_plain_words_next_to_k_in_view(laptop: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")
    page = laptop
    _open(page, wait_until, "/algorithms/knn")
    # Scroll the column to its end first: the error must bring k back into view.
    page.evaluate("document.querySelector('.controls-col').scrollTop = 1e6")
    assert not _in_view(page, '[data-path="k"]')["inView"] or page.evaluate(
        "document.querySelector('.controls-col').scrollHeight <= document.querySelector('.controls-col').clientHeight"
    )
    page.evaluate(
        """() => { const k = document.getElementById('ctl-k'); k.value = '99';
                   k.dispatchEvent(new Event('change', {bubbles: true})); }"""
    )
    wait_until("document.querySelector('[data-path=\"k\"]').classList.contains('invalid')", message="(the 422)")
    error = page.locator('[data-path="k"] > .field-error')
    assert error.is_visible()
    text = error.inner_text()
    assert re.fullmatch(r".*\S must be at most 50 \(allowed: 1 to 50\)", text), text
    assert "Input should" not in text and not text.startswith("K "), text
    label = page.locator('[data-path="k"] > label').inner_text()
    assert text.startswith(label), f"the message names the control as its label does: {label!r} / {text!r}"
    wait_until(
        "(() => { const r = document.querySelector('[data-path=\"k\"] > .field-error').getBoundingClientRect();"
        " const c = document.querySelector('.controls-col').getBoundingClientRect();"
        " return r.top >= Math.max(0, c.top) - 1 && r.bottom <= Math.min(innerHeight, c.bottom) + 1; })()",
        message="(the error and its control are scrolled into view)",
    )
    assert _in_view(page, "#ctl-k")["inView"]
