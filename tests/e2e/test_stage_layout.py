"""The stage at laptop sizes (issue 12, items 4, 5 and 6): secondary panels of real size, a caption of fixed
height that moves nothing while frames play and opens in full over the figure, a focus ring on every control.
(Run / Reset and play in view without scrolling, a hero figure filling the stage and axe-core over the whole
page are checked for every lab, at 1024×768 and 1440×900, in test_every_lab_page.)

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


@contextmanager
def lab_page(
    screens: Any, path: str, size: tuple[int, int], *, phone: bool = False, allow: tuple[str, ...] = ()
) -> Iterator[Any]:
    """A page at `size` (a phone: touch, mobile viewport) on `path`, with its first frames in; it fails on any
    console error, page error or CSP violation not matching `allow`."""
    page = screens.new_page(size, phone=phone)
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
        page.close()


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


def test_secondary_panels_get_real_size(screens: Any) -> None:
    with lab_page(screens, "/algorithms/svm", (1440, 900)) as page:
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
def test_long_captions_move_nothing_during_playback(screens: Any, lab: str) -> None:
    with lab_page(screens, f"/algorithms/{lab}", (1024, 768)) as page:
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


def test_the_caption_opens_in_full_over_the_figure(screens: Any) -> None:
    with lab_page(screens, "/algorithms/svm", (1024, 768)) as page:
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


def test_every_control_shows_a_focus_ring(screens: Any) -> None:
    with lab_page(screens, "/algorithms/kmeans", (1440, 900)) as page:
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
