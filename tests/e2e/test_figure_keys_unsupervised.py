"""Issue 12 items 3 and 6 in real Chromium, for the optimisation, clustering and PCA labs: what Plotly drew.

At 1440×900 and 1024×768 each lab's page shows a legend with the entries a learner needs, a title on every
axis it draws, a colour bar where a colour scale means something, and a main figure whose plot areas fill
at least 70 % of the #main-plot box (the bounding box of its plot areas and colour bars).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, FRAMES

pytestmark = pytest.mark.e2e

SIZES = [(1440, 900), (1024, 768)]
LEGEND = "[...document.querySelectorAll('#main-plot .legend .traces')].map((e) => e.textContent.trim())"
TITLES = (
    "Object.fromEntries([...document.querySelectorAll('#main-plot .g-xtitle, #main-plot .g-ytitle, "
    '#main-plot [class^="g-x"][class$="title"], #main-plot [class^="g-y"][class$="title"]\')]'
    ".map((e) => [e.getAttribute('class'), e.textContent.trim()]))"
)
AXES_DRAWN = (
    "[...document.querySelectorAll('#main-plot .cartesianlayer .subplot')].flatMap((s) => "
    "[...s.classList].filter((c) => c !== 'subplot'))"
)
COLOUR_BARS = "document.querySelectorAll('#main-plot .colorbar').length"
FILL = """(() => {
  const box = document.getElementById('main-plot').getBoundingClientRect();
  // the plot areas and their colour bars (a bar is the figure's key, not wasted space)
  const rects = [...document.querySelectorAll('#main-plot .draglayer .nsewdrag, #main-plot .colorbar .cbbg')]
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
  if (!rects.length || !box.width) return 0;
  const l = Math.min(...rects.map((r) => r.left)), r = Math.max(...rects.map((r) => r.right));
  const t = Math.min(...rects.map((r) => r.top)), b = Math.max(...rects.map((r) => r.bottom));
  return ((r - l) * (b - t)) / (box.width * box.height);
})()"""

# (lab, the frame to look at, legend entries that must be there, whether a colour bar is drawn there)
CASES = [
    ("optimizers", "last", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "start", "minimum"], True),
    ("gradient-descent", "last", ["batch", "mini-batch", "stochastic", "least squares", "data"], True),
    ("kmeans", "1", ["centroid", "picked point"], True),
    ("kmeans", "5", ["centroid", "previous centroid", "centroid move"], False),  # an update frame
    ("hierarchical", "10", ["this merge", "cut height", "merging (1st)", "merging (2nd)"], True),
    ("dbscan", "2", ["core point", "border point", "noise"], False),
    ("pca", "4", ["class 0", "class 1", "class 2"], True),
]


# Every case at the laptop size; at the small laptop, the crowded multi-panel figures (the CI budget: each page
# costs ~10 s of a 2-core box).
AT_SMALL = ("optimizers", "pca")
RUNS = [(case, SIZES[0]) for case in CASES] + [(case, SIZES[1]) for case in CASES if case[0] in AT_SMALL]


@pytest.fixture
def sized_page(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a fresh server primes every lab first; CI boxes are shared
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _until(page: Any, expression: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {expression!r} (last {value!r})")


def _show(page: Any, lab: str, frame: str) -> None:
    page.goto(f"/algorithms/{lab}")
    _until(page, f"{FRAMES} > 1")
    _until(page, COMPLETE)
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play", force=True)
    target = "s.max" if frame == "last" else f"'{frame}'"
    page.evaluate(
        f"(() => {{ const s = document.getElementById('scrub'); s.value = {target};"
        " s.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    index = "Number(document.getElementById('scrub').max)" if frame == "last" else frame
    _until(page, f"Number(document.getElementById('player').dataset.index) === {index}")
    time.sleep(0.3)  # the redraw after the scrub


@pytest.mark.parametrize(
    ("case", "sized_page"), RUNS, ids=[f"{w}x{h}-{c[0]}-{c[1]}" for c, (w, h) in RUNS], indirect=["sized_page"]
)
def test_the_figure_is_keyed_titled_and_fills_its_box(sized_page: Any, case: tuple[Any, ...]) -> None:
    lab, frame, entries, bar = case
    page = sized_page
    _show(page, lab, frame)
    legend = page.evaluate(LEGEND)
    missing = [e for e in entries if not any(text == e or text.startswith(e + " (") for text in legend)]
    assert not missing, f"{lab}: legend {legend} lacks {missing}"
    titles = page.evaluate(TITLES)
    drawn = page.evaluate(AXES_DRAWN)  # e.g. ["xy", "x2y2", "x3y3"]
    assert drawn, f"{lab}: no subplot drawn"
    empty = [cls for cls, text in titles.items() if not text]
    assert not empty, f"{lab}: untitled axes {empty}"
    assert len(titles) >= 2 * len(drawn), f"{lab}: {len(titles)} axis titles for subplots {drawn}: {titles}"
    if bar:
        assert page.evaluate(COLOUR_BARS) >= 1, f"{lab}: no colour bar"
        bar_titles = page.evaluate(
            "[...document.querySelectorAll('#main-plot .colorbar .cbtitle')].map((e) => e.textContent.trim())"
        )
        assert all(bar_titles) and bar_titles, f"{lab}: colour bar titles {bar_titles}"
    fill = page.evaluate(FILL)
    assert fill >= 0.7, f"{lab}: the plot areas fill {fill:.0%} of #main-plot"
