"""The stage at laptop sizes (issue 12, items 4, 5 and 6): Run / Reset and the play button in view without
scrolling, a hero figure that fills its area, secondary panels of real size, a caption of fixed height that
moves nothing while frames play, and axe-core clean outside the controls form (the controls helper's).

Every page here also fails on a console error, an uncaught page error or a CSP violation.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.e2e.axe import TAGS, _source
from tests.e2e.probes import COMPLETE, FRAMES, INDEX, PLAYING

pytestmark = pytest.mark.e2e

SIZES = [(1440, 900), (1024, 768)]


@contextmanager
def lab_page(
    browser: Any, base_url: str, path: str, size: tuple[int, int], *, phone: bool = False, allow: tuple[str, ...] = ()
) -> Iterator[Any]:
    """A page at `size` (a phone: touch, mobile viewport) on `path`, with its first frames in; it fails on any
    console error, page error or CSP violation not matching `allow`."""
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path)
        poll(page, f"{FRAMES} > 1", message="(frames should stream in)")
        yield page
        unexpected = [e for e in errors if not any(a in e for a in allow)]
        assert not unexpected, unexpected
    finally:
        context.close()


def poll(page: Any, expression: str, timeout: float = 30.0, message: str = "") -> Any:
    """Evaluate `expression` until it is truthy (the page's CSP blocks wait_for_function)."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {expression!r} (last {value!r}) {message}")


def box(page: Any, selector: str) -> dict[str, float]:
    """The element's box in viewport coordinates (page scroll included: a box below the fold is > height)."""
    found = page.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right}; }",
        selector,
    )
    assert found is not None, selector
    return dict(found)


def violations_outside(page: Any, exclude: str) -> list[str]:
    """axe-core's serious / critical WCAG A/AA violations on the page, leaving out `exclude` (another owner's)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source() + "\n;undefined")
    found: list[dict[str, Any]] = page.evaluate(
        """async ([exclude, tags]) => {
            const r = await window.axe.run({exclude: [exclude]}, {runOnly: {type: "tag", values: tags},
                                                                 resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.slice(0, 6).map(n => n.target.join(" "))}));
        }""",
        [exclude, TAGS],
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(v['targets'])})" for v in found if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lab", ["svm", "neural-network"])  # the longest forms (k-means: in the other tests)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_reset_and_play_are_in_view_without_scrolling(
    browser: Any, base_url: str, lab: str, size: tuple[int, int]
) -> None:
    width, height = size
    with lab_page(browser, base_url, f"/algorithms/{lab}", size) as page:
        poll(page, "document.getElementById('player').dataset.ready === 'true'")
        assert page.evaluate("window.scrollY") == 0
        for selector in ("#run-button", "#reset-button", "#btn-play", "#scrub"):
            b = box(page, selector)
            assert b["height"] > 0 and b["y"] >= 0 and b["bottom"] <= height, (selector, b)
            assert b["x"] >= 0 and b["right"] <= width, (selector, b)
        # Run stays in view however far the settings are scrolled (a sticky footer of the column).
        page.evaluate("document.querySelector('.controls-scroll').scrollTop = 1e6")
        run = box(page, "#run-button")
        assert run["bottom"] <= height and page.locator("#run-button").is_visible()
        centre = [run["x"] + run["width"] / 2, run["y"] + run["height"] / 2]
        assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('#run-button') !== null", centre)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_hero_figure_fills_the_stage(browser: Any, base_url: str, size: tuple[int, int]) -> None:
    width, height = size
    with lab_page(browser, base_url, "/algorithms/kmeans", size) as page:
        plot = box(page, "#main-plot")
        if width == 1440:
            assert plot["width"] >= 0.55 * width, plot
        assert plot["height"] >= 0.5 * height, plot
        assert plot["bottom"] <= height, "the figure is whole in the first screen"
        drawn = page.evaluate("document.querySelector('#main-plot .main-svg').getBoundingClientRect().width")
        assert drawn >= plot["width"] - 2, "plotly draws the whole box"


def test_secondary_panels_get_real_size(browser: Any, base_url: str) -> None:
    with lab_page(browser, base_url, "/algorithms/svm", (1440, 900)) as page:
        poll(page, COMPLETE)
        poll(page, "document.querySelectorAll('.result-panel .panel-plot .main-svg').length > 0")
        panels = page.evaluate(
            "[...document.querySelectorAll('.result-panel .panel-plot')].map(e => e.getBoundingClientRect().height)"
        )
        assert panels and min(panels) >= 280, panels
        metrics = box(page, "#metrics-panel")
        assert metrics["height"] >= 280 and metrics["width"] >= 0.55 * 1440, metrics


CAPTURE = """() => ['#btn-play', '#scrub', '#main-plot', '.caption-bar'].map((s) => {
  const r = document.querySelector(s).getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
})"""


@pytest.mark.parametrize("lab", ["kmeans", "svm"])
def test_long_captions_move_nothing_during_playback(browser: Any, base_url: str, lab: str) -> None:
    with lab_page(browser, base_url, f"/algorithms/{lab}", (1024, 768)) as page:
        poll(page, COMPLETE)
        if page.evaluate(PLAYING):
            page.click("#btn-play")
        page.click("#btn-first")
        before = page.evaluate(CAPTURE)
        captions = set()
        page.click("#btn-play")
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            now = page.evaluate(CAPTURE)
            captions.add(page.evaluate("document.getElementById('caption').textContent"))
            for name, a, b in zip(("play", "scrubber", "plot", "caption bar"), before, now, strict=True):
                assert all(abs(p - q) <= 1 for p, q in zip(a, b, strict=True)), (name, a, b)
            time.sleep(0.1)
        assert page.evaluate(INDEX) > 0 and len(captions) > 1, "frames (and captions) changed meanwhile"


def test_the_caption_opens_in_full_over_the_figure(browser: Any, base_url: str) -> None:
    with lab_page(browser, base_url, "/algorithms/svm", (1024, 768)) as page:
        poll(page, COMPLETE)
        if page.evaluate(PLAYING):
            page.click("#btn-play")
        page.click("#btn-first")
        page.click("#btn-forward")
        poll(
            page,
            "document.getElementById('caption-bar').classList.contains('overflowing')",
            message="(a long SVM caption is clamped and offers 'more')",
        )
        play = box(page, "#btn-play")
        page.click("#caption-more")
        bar = page.evaluate("document.getElementById('caption-bar').scrollHeight")
        text = page.evaluate("document.getElementById('caption').scrollHeight")
        assert bar >= text, "the whole caption shows"
        assert box(page, "#btn-play") == play, "opening it moves nothing"
        assert page.get_attribute("#caption-more", "aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert page.get_attribute("#caption-more", "aria-expanded") == "false"
        assert page.get_attribute("#caption", "aria-live") == "polite"


@pytest.mark.parametrize("lab", ["kmeans", "svm", "gradient-descent"])
def test_axe_clean_outside_the_controls_form(browser: Any, base_url: str, lab: str) -> None:
    with lab_page(browser, base_url, f"/algorithms/{lab}", (1440, 900)) as page:
        poll(page, COMPLETE)
        poll(page, "document.querySelectorAll('#metrics .metric-plot .main-svg').length > 0")
        assert violations_outside(page, "#controls") == []


def test_every_control_shows_a_focus_ring(browser: Any, base_url: str) -> None:
    with lab_page(browser, base_url, "/algorithms/kmeans", (1440, 900)) as page:
        poll(page, COMPLETE)
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.classList.contains('skip-link')")
        assert page.locator(".skip-link").is_visible()
        for selector in ("#btn-play", "#scrub", "#speed", "#present-toggle", "#run-button"):
            page.focus(selector)
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible applies
            style = page.evaluate(
                "(s) => { const e = document.querySelector(s); const c = getComputedStyle(e);"
                " return [document.activeElement === e, c.outlineStyle, parseFloat(c.outlineWidth)]; }",
                selector,
            )
            assert style[0] and style[1] != "none" and style[2] >= 2, (selector, style)
        landmarks = page.evaluate(
            "[...document.querySelectorAll('header, nav, main, aside, section[aria-label]')].map(e => e.tagName)"
        )
        assert {"HEADER", "NAV", "MAIN", "ASIDE"} <= set(landmarks)
