"""The convolution page in real Chromium: the output map fills, the image picker's thumbnails and upload re-run
on the chosen picture (and a link with an upload restores it), the kernel grid runs your own numbers, a file
that is not an image is refused in plain words, and on a phone nothing overflows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import watch_console
from tests.e2e.probes import COMPLETE, IDLE

pytestmark = pytest.mark.e2e

INPUT_TITLE = "document.getElementById('main-plot')._fullLayout.xaxis.title.text"
KERNEL_TITLE = "document.getElementById('main-plot')._fullLayout.xaxis2.title.text"
KERNEL_Z = "Array.from(document.getElementById('main-plot')._fullData[1].z, (r) => Array.from(r))"
FILLED = """(() => { const z = document.getElementById('main-plot')._fullData[3].z ?? [];
  let n = 0; for (const r of z) for (const v of r) if (Number.isFinite(v)) n += 1; return n; })()"""
PLUGINS_READY = "[...document.querySelectorAll('.plugin-widget')].every((w) => w.dataset.ready === 'true')"
IMAGE_PARAM = "JSON.parse(new URLSearchParams(location.search).get('image') || 'null')"
FIELD_ERROR = "[...document.querySelectorAll('.field-error')].filter((e) => !e.hidden).map((e) => e.textContent)"


def _done(wait_until: Any, what: str) -> None:
    wait_until(f"{COMPLETE} && {IDLE}", timeout=30, message=f"(the run should finish: {what})")


def _png(width: int, height: int) -> bytes:
    picture = Image.new("RGB", (width, height), (20, 40, 60))
    for x in range(width // 2, width):
        for y in range(height):
            picture.putpixel((x, y), (230, 220, 200))  # a vertical edge for sobel-x to find
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_the_map_fills_and_the_picker_reruns_on_a_digit_and_an_upload(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/convolution")
    _done(wait_until, "defaults")
    wait_until(PLUGINS_READY, message="(the image picker and kernel grid should load)")
    assert page.evaluate(INPUT_TITLE).startswith("input (1, 32, 48)")
    page.keyboard.press("End")
    wait_until(f"{FILLED} === 30 * 46", message="(the last frame's map is the whole 30 × 46 output)")
    page.click("button[data-image='Digit 3']")
    wait_until(f"{IMAGE_PARAM}?.name === 'digit' && {IMAGE_PARAM}?.index === 3")
    _done(wait_until, "digit 3")
    wait_until(f"{INPUT_TITLE}.startsWith('input (1, 8, 8)')")
    page.set_input_files(
        ".image-upload-input", files=[{"name": "edge.png", "mimeType": "image/png", "buffer": _png(120, 80)}]
    )
    wait_until(f"{IMAGE_PARAM}?.name === 'inline'", message="(the upload becomes the inline image)")
    _done(wait_until, "the upload")
    wait_until(f"{INPUT_TITLE}.startsWith('input (1, 32, 48)')", message="(120 × 80 shrunk to the link-sized 48 × 32)")
    link = page.url
    assert len(link) < 14_000, len(link)  # the widget's LINK_BUDGET: common proxies stop at 8–16 KB
    page.goto(link)
    _done(wait_until, "the shared link")
    assert page.evaluate(f"{IMAGE_PARAM}.shape") == [32, 48, 3]
    assert page.evaluate(INPUT_TITLE).startswith("input (1, 32, 48)")


def test_a_kernel_typed_in_the_grid_runs(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/convolution")
    _done(wait_until, "defaults")
    wait_until(PLUGINS_READY)
    page.select_option("#ctl-kernel", "custom")  # the grid's starting numbers (Sobel-x) run at once
    wait_until(f"{KERNEL_TITLE}.startsWith('custom kernel 3×3')", message="(choosing 'your own numbers' runs)")
    _done(wait_until, "custom kernel, the grid's starting numbers")
    cells = page.locator(".kernel-cell")
    assert cells.count() == 9
    numbers = [1, 2, 1, 0, 0, 0, -1, -2, -1]
    for i, v in enumerate(numbers[:-1]):
        cells.nth(i).fill(str(v))
    cells.nth(8).fill("oops")
    cells.nth(8).dispatch_event("change")
    wait_until(f"{FIELD_ERROR}.some((t) => t.includes('not a number'))", message="(a bad box is flagged)")
    assert cells.nth(8).get_attribute("aria-invalid") == "true"
    cells.nth(8).fill("-1")
    cells.nth(8).dispatch_event("change")
    wait_until(f"JSON.stringify({KERNEL_Z}) === {str([numbers[0:3], numbers[3:6], numbers[6:9]])!r}".replace(" ", ""))
    _done(wait_until, "the typed kernel")
    assert page.evaluate(KERNEL_TITLE).startswith("custom kernel 3×3")


CUSTOM_KERNEL = "JSON.parse(new URLSearchParams(location.search).get('custom_kernel') || 'null')"


def test_one_kernel_per_colour_channel_started_from_a_preset(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/convolution?channels=rgb")
    _done(wait_until, "colour defaults")
    wait_until(PLUGINS_READY)
    page.select_option("#ctl-kernel", "custom")
    _done(wait_until, "custom kernel")
    page.check(".kernel-per-channel")
    wait_until("document.querySelectorAll('.kernel-cell').length === 27", message="(three 3×3 grids)")
    assert page.locator(".kernel-cell").nth(9).get_attribute("aria-label") == "green row 1, column 1"
    page.select_option(".kernel-size", "5")
    page.select_option(".kernel-preset", "box_blur")
    page.click(".kernel-copy")  # the preset's own size comes with it: 3 × 3 again, on every channel
    wait_until(
        f"JSON.stringify({CUSTOM_KERNEL}) !== 'null' && {CUSTOM_KERNEL}.length === 3 && {CUSTOM_KERNEL}[2].length === 3",
        message="(the link holds three 3×3 matrices)",
    )
    wait_until(f"{KERNEL_TITLE} === 'custom kernel 3×3'", message="(the run of the copied preset)")
    _done(wait_until, "box blur per channel")
    link = page.evaluate(CUSTOM_KERNEL)
    assert all(abs(v - 1 / 9) < 1e-9 for m in link for row in m for v in row), link
    shown = page.evaluate(KERNEL_Z)  # the figure draws the red slice's numbers
    assert len(shown) == 3 and all(abs(v - 1 / 9) < 1e-3 for row in shown for v in row), shown
    # Channels that differ: the green slice's first box; the title says whose numbers it shows.
    page.locator(".kernel-cell").nth(9).fill("1")
    page.locator(".kernel-cell").nth(9).dispatch_event("change")
    wait_until(f"{KERNEL_TITLE} === 'custom kernel 3×3 (the red slice)'", message="(the per-channel run)")
    _done(wait_until, "the green slice changed")
    assert page.evaluate(CUSTOM_KERNEL)[1][0][0] == 1


def test_a_file_that_is_not_an_image_is_refused_in_plain_words(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")
    page.goto("/algorithms/convolution")
    _done(wait_until, "defaults")
    wait_until(PLUGINS_READY)
    page.set_input_files(
        ".image-upload-input", files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"just some text"}]
    )
    wait_until(f"{FIELD_ERROR}.some((t) => t.startsWith('The upload was refused'))")
    assert page.evaluate(IMAGE_PARAM) is None  # the picture did not change


def test_on_a_phone_nothing_overflows(screens: Any, console: Any) -> None:
    page = screens.new_page(phone=True)
    watch_console(page, console)
    page.goto("/algorithms/convolution")
    deadline_ok = False
    for _ in range(120):
        if page.evaluate(f"{COMPLETE} && {IDLE}"):
            deadline_ok = True
            break
        page.wait_for_timeout(250)
    assert deadline_ok, "the run should finish on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.evaluate("document.getElementById('main-plot').getBoundingClientRect().right")
    assert box <= 390
    page.close()
