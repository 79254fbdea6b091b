"""Drawing your own data, in real Chromium (issue 12, item 2, and the CSV half of item 4).

Choosing "Draw your own" starts an empty canvas on fixed axes; every click shows its point at once (in the same
task as the click, whatever the run does), in its class's colour and shape; the runs wait for the clicks to
pause; removing, undo, clear, touch and the keyboard work; the drawn data round-trips through the link; a CSV
error shows in plain words next to the upload control, in view. Every test also fails on any console error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.axe import serious_violations
from tests.e2e.probes import COMPLETE, DATA, FRAMES, HEATMAPS, IDLE, POINTS

pytestmark = pytest.mark.e2e

PLOT = "document.getElementById('main-plot')"
DRAWN = f"""(() => {{
    const gd = {PLOT};
    const traces = (gd._fullData ?? []).filter((t) => t.meta === 'drawn');
    const groups = [...gd.querySelectorAll('.scatterlayer .trace')].filter((g) => g.__data__?.[0]?.trace?.meta === 'drawn');
    return {{
        x: traces.flatMap((t) => [...t.x]), y: traces.flatMap((t) => [...t.y]),
        symbols: traces.map((t) => t.marker.symbol), colours: traces.map((t) => t.marker.color),
        rendered: groups.reduce((n, g) => n + g.querySelectorAll('.point').length, 0),
    }};
}})()"""
RANGES = f"[{PLOT}._fullLayout.xaxis.range.slice(), {PLOT}._fullLayout.yaxis.range.slice()]"
# Run requests the page sends (api.js calls the global fetch; counted in the page itself).
COUNT_RUNS = """(() => {
    window.__runRequests = 0;
    const original = window.fetch;
    window.fetch = (input, init) => {
        if (String(input).includes('/runs')) window.__runRequests += 1;
        return original(input, init);
    };
})()"""
BADGE = "document.getElementById('frame-kind').dataset.kind"


class Browser:
    """A page of its own size (and touch), failing the test on any console error or CSP violation."""

    def __init__(self, screens: Any, base_url: str) -> None:
        self.screens = screens
        self.base_url = base_url
        self.pages: list[Any] = []
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def allow(self, fragment: str) -> None:
        """Expect console errors containing ``fragment``."""
        self.allowed.append(fragment)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]

    def open(self, path: str, *, width: int = 1440, height: int = 900, touch: bool = False) -> Any:
        page = self.screens.new_page((width, height), phone=touch)
        self.pages.append(page)
        page.set_default_timeout(20_000)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(path)
        until(page, f"{FRAMES} >= 1 && {COMPLETE} && {IDLE}", timeout=60, message="(the first run finishes)")
        return page


@pytest.fixture
def pages(screens: Any, base_url: str) -> Iterator[Browser]:
    b = Browser(screens, base_url)
    yield b
    for p in b.pages:
        p.close()
    problems = b.unexpected()
    assert not problems, "browser console errors:\n" + "\n".join(problems)


def until(page: Any, expression: str, timeout: float = 30.0, message: str = "") -> Any:
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for {expression!r} (last value {value!r}) {message}")


def screen_to_data(page: Any, fx: float, fy: float) -> tuple[float, float, float, float]:
    """The screen position at fractions (fx, fy) of the main axes, and the data coordinates there."""
    out: list[float] = page.evaluate(
        """([fx, fy]) => {
        const gd = document.getElementById('main-plot');
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const px = r.width * fx, py = r.height * fy;
        return [r.left + px, r.top + py, xa.p2d(px), ya.p2d(py)];
    }""",
        [fx, fy],
    )
    return out[0], out[1], out[2], out[3]


def start_drawing(page: Any) -> None:
    page.click("#draw-toggle")
    until(page, "!document.getElementById('draw-box').hidden")


@pytest.mark.parametrize("lab", ["knn", "logistic-regression"])
def test_drawing_starts_empty_and_each_click_shows_at_once_on_fixed_axes(pages: Browser, lab: str) -> None:
    # On a loaded machine a click may come after the pause: that run of the first point or two is refused
    # (one class, too few points: the caption says so); the final run below must not be.
    pages.allow("status of 422")
    page = pages.open(f"/algorithms/{lab}")
    assert page.evaluate(POINTS) > 50, "the generator's points are on show before drawing"
    page.evaluate(COUNT_RUNS)
    runs_before = page.evaluate("Number(document.getElementById('player').dataset.runs)")
    start_drawing(page)
    # An empty canvas: not the generator's points, not its boundary, not its run.
    assert page.evaluate(POINTS) == 0
    assert page.evaluate(HEATMAPS) == 0
    assert page.evaluate(DRAWN)["rendered"] == 0
    ranges = page.evaluate(RANGES)
    span_x, span_y = abs(ranges[0][1] - ranges[0][0]), abs(ranges[1][1] - ranges[1][0])
    spots = [screen_to_data(page, 0.12 + 0.07 * i, 0.15 + 0.06 * (i % 6) + 0.02 * i) for i in range(12)]
    class_1 = page.locator('.class-swatch[data-class="1"]').bounding_box()
    seen: list[dict[str, Any]] = []
    for i, (sx, sy, _, _) in enumerate(spots, start=1):
        if i == 7:
            page.mouse.click(class_1["x"] + class_1["width"] / 2, class_1["y"] + class_1["height"] / 2)
        page.mouse.click(sx, sy)
        # No waiting: the click's own handler drew the point.
        seen.append(page.evaluate(f"({{drawn: {DRAWN}, ranges: {RANGES}}})"))
    for i, step in enumerate(seen, start=1):
        drawn = step["drawn"]
        assert drawn["rendered"] == i, f"click {i}: {drawn['rendered']} drawn points on screen"
        # Traces list class 0 first, then class 1: the order of the clicks here.
        for (_, _, x, y), ex, ey in zip(spots[:i], drawn["x"], drawn["y"], strict=True):
            assert abs(x - ex) < span_x / 200 and abs(y - ey) < span_y / 200, f"click {i}: a point is off its click"
        assert step["ranges"] == ranges, f"click {i}: the axes rescaled while drawing"
    drawn = page.evaluate(DRAWN)
    assert drawn["symbols"] == ["circle", "square"], "class 0 and class 1 differ by shape"
    assert len(set(drawn["colours"])) == 2, "and by colour"
    # One run once the clicks pause, and it succeeds (k larger than the 12 points is clamped with a note).
    until(page, f"Number(document.getElementById('player').dataset.runs) > {runs_before}")
    until(page, f"{FRAMES} >= 1 && {COMPLETE} && {IDLE}", message="(the run of the drawn points finishes)")
    assert page.evaluate("window.__runRequests") <= 3, "12 rapid clicks send at most 3 runs"
    assert page.evaluate(BADGE) not in ("invalid", "error", "lab failed", "too big"), page.evaluate(
        "document.getElementById('caption').textContent"
    )
    assert page.evaluate(DATA).startswith("d1.")
    assert page.evaluate(RANGES) == ranges, "the run of the drawn points keeps the drawing's axes"
    assert page.evaluate(DRAWN)["rendered"] == 12
    assert page.evaluate(POINTS) > 12, "the run's own marks are drawn under the drawn points"


def test_a_pending_run_never_shows_the_old_figure_as_the_new_data(pages: Browser) -> None:
    pages.allow("status of 422")  # a slow click may run the first point or two alone: too few to run
    page = pages.open("/algorithms/knn?k=3")
    start_drawing(page)
    for fx in (0.2, 0.3, 0.7, 0.8):
        if fx > 0.5:
            page.click('.class-swatch[data-class="1"]')
        sx, sy, _, _ = screen_to_data(page, fx, 0.5)
        page.mouse.click(sx, sy)
    until(page, f"{DATA}.startsWith('d1.') && {FRAMES} >= 1 && {COMPLETE} && {IDLE}")
    until(page, f"{HEATMAPS} > 0", message="(the run of the 4 points draws its boundary)")
    sx, sy, _, _ = screen_to_data(page, 0.5, 0.2)
    page.mouse.click(sx, sy)
    # The run on show is of the 4 points; 5 are drawn: it is faded, not passed off as theirs.
    faded = page.evaluate(f"{PLOT}.data.filter((t) => t.meta !== 'drawn').map((t) => t.opacity ?? 1)")
    assert faded and max(faded) <= 0.3
    assert page.evaluate(DRAWN)["rendered"] == 5
    until(page, f"{FRAMES} >= 1 && {COMPLETE} && {IDLE} && {PLOT}.data.every((t) => (t.opacity ?? 1) > 0.5)")


def test_remove_undo_clear_and_the_keyboard(pages: Browser) -> None:
    pages.allow("status of 422")  # one or two points are too few for a run: the caption says so
    page = pages.open("/algorithms/knn?k=3")
    start_drawing(page)
    spots = [(0.25, 0.25), (0.5, 0.5), (0.75, 0.75)]
    for fx, fy in spots:
        sx, sy, _, _ = screen_to_data(page, fx, fy)
        page.mouse.click(sx, sy)
    assert page.evaluate(DRAWN)["rendered"] == 3
    sx, sy, _, _ = screen_to_data(page, 0.75, 0.75)
    page.keyboard.down("Shift")
    page.mouse.click(sx + 4, sy - 3)  # Shift-click removes the nearest
    page.keyboard.up("Shift")
    assert page.evaluate(DRAWN)["rendered"] == 2
    sx, sy, _, _ = screen_to_data(page, 0.5, 0.5)
    page.mouse.click(sx, sy, button="right")  # and so does a right-click
    assert page.evaluate(DRAWN)["rendered"] == 1
    page.click("#draw-erase")  # the eraser (usable on touch)
    sx, sy, _, _ = screen_to_data(page, 0.25, 0.25)
    page.mouse.click(sx + 2, sy + 2)
    assert page.evaluate(DRAWN)["rendered"] == 0
    page.click("#draw-erase")
    page.click("#draw-undo")
    assert page.evaluate(DRAWN)["rendered"] == 1
    page.click("#draw-clear")
    assert page.evaluate(DRAWN)["rendered"] == 0
    page.click("#draw-undo")
    assert page.evaluate(DRAWN)["rendered"] == 1
    # Keyboard only: the class radios (arrow keys) and the coordinates form.
    page.focus("#draw-class-0")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "draw-class-1"
    assert page.is_checked("#draw-class-1")
    page.focus("#draw-x")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.5")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("-0.25")
    page.keyboard.press("Enter")
    drawn = page.evaluate(DRAWN)
    assert drawn["rendered"] == 2
    assert (drawn["x"][-1], drawn["y"][-1]) == (0.5, -0.25)
    assert drawn["symbols"] == ["circle", "square"]
    until(page, f"{DATA}.startsWith('d1.') && {COMPLETE} && {IDLE}")
    assert page.evaluate("document.activeElement.id") == "draw-y", "the re-rendered form keeps the focus"
    assert "2 points" in page.locator("#data-status").inner_text()


def test_a_tap_adds_one_point_on_the_phone(pages: Browser) -> None:
    pages.allow("status of 422")  # the first taps alone are too few points for a run
    page = pages.open("/algorithms/knn?k=3", width=390, height=844, touch=True)
    page.tap("#settings-open")  # the settings are a drawer on a phone
    page.locator("#draw-toggle").scroll_into_view_if_needed()
    page.tap("#draw-toggle")
    until(page, "!document.getElementById('draw-box').hidden")
    until(
        page,
        "!document.getElementById('settings').classList.contains('open')",
        message="(the drawer gets out of the way)",
    )
    page.locator("#main-plot").scroll_into_view_if_needed()
    ranges = page.evaluate(RANGES)
    for i, (fx, fy) in enumerate([(0.3, 0.4), (0.6, 0.6), (0.45, 0.3)], start=1):
        sx, sy, dx, dy = screen_to_data(page, fx, fy)
        page.touchscreen.tap(sx, sy)
        time.sleep(0.1)  # let any click the tap makes arrive: it must not add a second point
        drawn = page.evaluate(DRAWN)
        assert drawn["rendered"] == i
        span = abs(ranges[0][1] - ranges[0][0])
        assert abs(drawn["x"][-1] - dx) < span / 100 and abs(drawn["y"][-1] - dy) < span / 50
    assert page.evaluate(RANGES) == ranges


def test_the_drawn_points_round_trip_through_the_link(pages: Browser) -> None:
    page = pages.open("/algorithms/knn?k=3")
    start_drawing(page)
    for i, (fx, fy) in enumerate([(0.21, 0.33), (0.37, 0.61), (0.66, 0.27), (0.81, 0.74)]):
        if i == 2:
            page.click('.class-swatch[data-class="1"]')
        sx, sy, _, _ = screen_to_data(page, fx, fy)
        page.mouse.click(sx, sy)
    drawn = page.evaluate(DRAWN)
    until(page, f"{DATA}.startsWith('d1.') && {COMPLETE} && {IDLE}")
    link = page.url
    other = pages.open(link.replace(pages.base_url, ""))
    sent = other.evaluate(
        "JSON.parse(document.querySelector('#snippet-curl').textContent.match(/-d '(.*)'/s)[1]).params.dataset"
    )
    # Exactly the points on screen (the classes were drawn in order, so the traces list them in that order).
    assert sent["X"] == [[x, y] for x, y in zip(drawn["x"], drawn["y"], strict=True)]
    assert sent["y"] == [0, 0, 1, 1]
    start_drawing(other)  # the shared points are yours: drawing goes on from them
    assert other.evaluate(DRAWN)["rendered"] == 4


def test_start_from_the_current_data_brings_in_the_generator_on_purpose(pages: Browser) -> None:
    page = pages.open("/algorithms/knn?k=3&dataset.n_samples=40")
    start_drawing(page)
    assert page.evaluate(DRAWN)["rendered"] == 0
    page.click("#draw-from-data")
    until(page, f"{DRAWN}.rendered === 40")
    until(page, f"{DATA}.startsWith('d1.') && {COMPLETE} && {IDLE}")
    assert "40 points" in page.locator("#data-status").inner_text()


def test_a_csv_error_shows_next_to_the_upload_in_view(pages: Browser, tmp_path: Path) -> None:
    pages.allow("status of 422")  # the parse endpoint's answer to the bad row
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,0\n3,oops,1\n5,6,0\n7,8,1\n")
    page = pages.open("/algorithms/logistic-regression")
    page.set_input_files("#csv-file", str(bad))
    until(page, "!document.getElementById('csv-error').hidden")
    text = page.locator("#csv-error").inner_text()
    assert text.startswith("Could not use bad.csv: row 3, column 'b'"), text
    assert "not a number" in text and "Fix that cell" in text
    geometry = page.evaluate("""(() => {
        const e = document.getElementById('csv-error').getBoundingClientRect();
        const b = document.getElementById('csv-button').getBoundingClientRect();
        let clip = {top: 0, bottom: innerHeight};
        for (let n = document.getElementById('csv-error').parentElement; n; n = n.parentElement) {
            const s = getComputedStyle(n);
            if (/(auto|scroll|hidden)/.test(s.overflowY)) {
                const r = n.getBoundingClientRect();
                clip = {top: Math.max(clip.top, r.top), bottom: Math.min(clip.bottom, r.bottom)};
            }
        }
        return {top: e.top, bottom: e.bottom, gap: e.top - b.bottom, clipTop: clip.top, clipBottom: clip.bottom};
    })()""")
    assert 0 <= geometry["gap"] < 60, f"the error is right under the upload button: {geometry}"
    assert geometry["clipTop"] <= geometry["top"] and geometry["bottom"] <= geometry["clipBottom"], geometry
    problems = serious_violations(page, include="#data-tools")
    assert problems == [], problems


def test_the_data_tools_pass_axe_while_drawing(pages: Browser) -> None:
    pages.allow("status of 422")  # one point is too few for a run
    page = pages.open("/algorithms/knn")
    start_drawing(page)
    sx, sy, _, _ = screen_to_data(page, 0.4, 0.4)
    page.mouse.click(sx, sy)
    assert page.evaluate("document.querySelector('label[for=\"csv-file\"]')?.textContent") == "Upload CSV"
    problems = serious_violations(page, include="#data-tools")
    assert problems == [], problems
