"""Interactions by declaration and the served theme, in real Chromium (issue 10, item 4).

That the player loads ``static/js/interactions/<kind>.js`` for each entry of the scene's ``x-interactions`` and
nothing else is checked for every lab in test_every_lab_page. Here: a plugin nobody wrote before works from one
new file plus a declaration (served here by the test itself), an unknown kind is a console warning, not a
crash; the page's colours are theme.py's.
Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.views import theme
from tests.e2e.probes import COMPLETE, IDLE

pytestmark = pytest.mark.e2e

TRACE = "(name) => document.getElementById('main-plot').data.find((t) => t.name === name)"

PROBE = """
// A plugin the page has never heard of: marks where the plot was clicked.
export function create(ctx, decl) {
  const marks = [];
  window.__probe = { decl, marks };
  return {
    onClick(point) { if (!point) return false; marks.push(point); ctx.redraw(); return true; },
    traces() {
      return marks.length ? [{ type: "scatter", mode: "markers", name: "probe marks",
        x: marks.map((p) => p[0]), y: marks.map((p) => p[1]) }] : [];
    },
    hint() { return `${decl.label}: ${marks.length} clicked`; },
  };
}
"""


def _finished(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.click("#btn-last")


def test_a_new_interaction_is_one_file_and_a_declaration(page: Any, wait_until: Any, console: Any) -> None:
    """A lab the page knows nothing about declares a plugin nobody wrote before, plus a kind that does not exist."""
    console.allow("status of 404")  # Chromium's own log of the failed import of interactions/no-such-kind.js
    warnings: list[str] = []
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    page.route(
        "**/static/js/interactions/probe.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=PROBE),
    )

    def declare(route: Any) -> None:
        response = route.fetch()
        lines = response.text().split("\n")
        for i, line in enumerate(lines[:-1]):
            if line == "event: scene":
                j = next(n for n in range(i + 1, len(lines)) if lines[n].startswith("data: "))
                scene = json.loads(lines[j][len("data: ") :])
                scene["x-interactions"] = [{"kind": "probe", "label": "probe"}, {"kind": "no-such-kind"}]
                lines[j] = "data: " + json.dumps(scene)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        route.fulfill(status=response.status, headers=headers, body="\n".join(lines))

    page.route("**/api/v1/algorithms/logistic-regression/runs*", declare)
    _finished(page, wait_until, "/algorithms/logistic-regression")
    wait_until("window.__probe !== undefined", message="(the declared plugin is loaded and made)")
    assert page.evaluate("window.__probe.decl") == {"kind": "probe", "label": "probe"}
    wait_until("!document.getElementById('click-hint').hidden")
    assert page.locator("#click-hint").inner_text() == "probe: 0 clicked"
    assert any("no-such-kind" in w for w in warnings), warnings

    box = page.locator("#main-plot .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
    wait_until("window.__probe.marks.length === 1", message="(the click reaches the plugin)")
    wait_until(f"({TRACE})('probe marks')?.x?.length === 1", message="(its traces are drawn over the frame)")
    assert page.locator("#click-hint").inner_text() == "probe: 1 clicked"
    page.click("#btn-first")  # scrubbing keeps the plugin's traces
    wait_until(f"({TRACE})('probe marks')?.x?.length === 1")


def test_the_page_draws_with_theme_py(page: Any, wait_until: Any) -> None:
    _finished(page, wait_until, "/algorithms/kmeans?k=2")
    css = page.evaluate("""() => {
        const s = getComputedStyle(document.documentElement);
        return ['--palette-0', '--blue', '--vermillion', '--ink', '--surface'].map((v) => s.getPropertyValue(v).trim());
    }""")
    assert [c.lower() for c in css] == [
        c.lower() for c in (theme.PALETTE[0], theme.PALETTE[0], theme.PALETTE[5], theme.INK, theme.PAPER)
    ]
    js = page.evaluate("import('/static/js/theme.js').then((t) => [t.PALETTE, t.INK, t.FONT])")
    assert js == [list(theme.PALETTE), theme.INK, theme.FONT]

    # The manual centres are drawn in theme.py's ink (place-points.js takes it from theme.js).
    page.select_option("#ctl-init", "__manual__")
    box = page.locator("#main-plot .nsewdrag").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    star = f"({TRACE})('your starting centres')"
    wait_until(f"{star}?.x?.length === 1", message="(the placed centre is drawn)")
    assert page.evaluate(f"{star}.marker.color") == theme.INK
    assert page.evaluate(f"{star}.marker.line.color") == theme.PAPER
    assert page.evaluate("document.getElementById('player').classList.contains('placing')")
