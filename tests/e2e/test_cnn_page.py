"""The CNN page in real Chromium with a tiny run (2 epochs): it trains and plays its frames; a digit drawn with
the mouse on the panel's canvas comes back from the predict endpoint as probabilities and feature maps; the
keyboard inks cells; the download button yields the model file; uploading that file as initial weights re-runs
from it; and on a phone a tap draws and the panel stays inside the screen. Every test also fails on any console
error (see conftest)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, FRAMES, IDLE, RUNS

pytestmark = pytest.mark.e2e

URL = "/algorithms/cnn?epochs=2"
PANEL = "document.getElementById('digit-panel')"
SHOWN = f"!!{PANEL} && !{PANEL}.hidden"
PREDICTED = f"{PANEL}?.dataset.predicted !== undefined && {PANEL}?.dataset.busy !== 'true'"
MAPS = "document.querySelectorAll('#digit-maps canvas.digit-map').length"
BARS = "document.querySelectorAll('#digit-bars li').length"


def _draw_seven(page: Any) -> None:
    """A 7 drawn with the mouse: the top bar, then the diagonal (one stroke, in 8 × 8 cell units)."""
    canvas = page.locator("#digit-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    cell = box["width"] / 8
    points = [(1.5, 1.2), (6.5, 1.2), (5.5, 3.0), (4.5, 4.5), (3.5, 6.8)]
    page.mouse.move(box["x"] + points[0][0] * cell, box["y"] + points[0][1] * cell)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * cell, box["y"] + y * cell, steps=4)
    page.mouse.up()


def test_train_draw_download_and_load(page: Any, wait_until: Any, tmp_path: Path) -> None:
    page.goto(URL)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40, message="(the tiny run should finish)")
    assert page.evaluate(FRAMES) > 1
    # Images, not points: no "Draw your own" points and no CSV upload under the dataset picker.
    assert page.locator("#draw-toggle, #csv-button").count() == 0
    wait_until(SHOWN, message="(the draw panel shows once the run has a result)")

    _draw_seven(page)
    wait_until(PREDICTED, message="(the predict endpoint should answer)")
    assert page.evaluate(BARS) == 10  # one bar per digit
    assert page.evaluate(MAPS) > 8  # every channel of every layer
    answer = page.inner_text("#digit-answer")
    assert answer.startswith("The network reads it as ") and "%" in answer
    assert page.inner_text("#digit-error") == ""
    probabilities = page.evaluate(
        "[...document.querySelectorAll('#digit-bars .digit-value')].map((e) => parseFloat(e.textContent))"
    )
    assert 97 <= sum(probabilities) <= 103  # rounded percentages of a softmax

    # Keyboard: focus the canvas, move the cursor, space inks a cell, and the answer is asked again.
    ink = int(page.evaluate("document.getElementById('digit-canvas').dataset.ink"))
    page.focus("#digit-canvas")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # cell (2, 0): blank under the 7's halo, so it inks
    wait_until(f"Number(document.getElementById('digit-canvas').dataset.ink) > {ink}")
    wait_until(PREDICTED)

    # Download: the file is the run's state_dict bytes.
    with page.expect_download() as info:
        page.click("#model-download")
    download = info.value
    assert download.suggested_filename == "stepwise-cnn.pt"
    saved = tmp_path / "stepwise-cnn.pt"
    download.save_as(saved)
    data = saved.read_bytes()
    assert data[:2] == b"PK"  # torch.save writes a zip archive

    # Upload it as the initial weights: the value is the file's base64 and the page runs again from it.
    runs = page.evaluate(RUNS)
    page.set_input_files(".plugin-widget[data-plugin='weights-file'] input[type=file]", str(saved))
    wait_until(f"{RUNS} > {runs}", message="(the upload should start a run)")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=40)
    value = page.evaluate("new URLSearchParams(location.search).get('initial_weights')")
    assert base64.b64decode(value.strip('"')) == data  # the link keeps the file (24 K characters at defaults)
    assert "stepwise-cnn.pt" in page.inner_text(".weights-status")
    assert page.evaluate("document.getElementById('frame-kind').dataset.kind") != "error"
    wait_until(SHOWN)
    wait_until(PREDICTED, message="(the drawing is read again by the new run's network)")


def test_phone_tap_draws_and_the_panel_fits(screens: Any, console: Any) -> None:
    from tests.e2e.conftest import watch_console

    page = screens.new_page(phone=True)
    watch_console(page, console)
    try:
        page.goto(URL)
        deadline_poll(page, f"{COMPLETE} && {SHOWN}", 40)
        canvas = page.locator("#digit-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        for col in range(2, 6):
            page.touchscreen.tap(box["x"] + (col + 0.5) * box["width"] / 8, box["y"] + 1.5 * box["height"] / 8)
        deadline_poll(page, PREDICTED, 20)
        width = page.evaluate("document.documentElement.clientWidth")
        panel = page.locator("#digit-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width + 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        assert page.evaluate(MAPS) > 0
    finally:
        page.close()
    assert not console.unexpected()


def deadline_poll(page: Any, expression: str, timeout: float) -> None:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if page.evaluate(expression):
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {expression!r}")
