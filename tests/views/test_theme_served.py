"""The theme has one source, app/views/theme.py, and every page serves it (issue 10, item 4).

base.html renders ``theme.css_variables()`` into a ``:root`` style block (app.css names its colours from it) and
``theme.tokens()`` into ``<script type="application/json" id="stepwise-theme">`` that static/js/theme.js reads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.views import theme

REPO = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


@pytest.mark.parametrize("path", ["/", "/algorithms/kmeans", "/algorithms/knn", "/algorithms/no-such-lab"])
def test_every_page_serves_the_theme_of_theme_py(client: TestClient, path: str) -> None:
    html = client.get(path).text
    block = re.search(r'<script type="application/json" id="stepwise-theme">(.*?)</script>', html, re.S)
    assert block, f"{path} has no theme JSON block"
    served = json.loads(block.group(1))
    assert served == theme.tokens()
    assert served["palette"] == list(theme.PALETTE) and served["ink"] == theme.INK and served["font"] == theme.FONT
    style = re.search(r'<style id="stepwise-theme-css">:root \{(.*?)\}</style>', html, re.S)
    assert style, f"{path} has no theme style block"
    css = style.group(1)
    for i, colour in enumerate(theme.PALETTE):
        assert f"--palette-{i}: {colour};" in css
    assert f"--ink: {theme.INK};" in css and f"--font: {theme.FONT};" in css


def test_app_css_root_keeps_no_copy_of_the_theme() -> None:
    """app.css's :root names the shared colours from the rendered variables; it repeats none of their values."""
    css = (REPO / "static" / "css" / "app.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    shared = {c.lower() for c in (*theme.PALETTE, theme.INK, theme.MUTED, theme.GRID, theme.PAPER)}
    assert not shared & {c.lower() for c in HEX.findall(root)}
    assert "--font:" not in root and "--ink:" not in root
    for name in ("--blue", "--orange", "--green", "--vermillion", "--surface"):
        assert re.search(rf"{name}: var\(--(palette-\d+|paper)\);", root), name


@pytest.mark.parametrize(
    "module",
    [
        "theme.js",
        "algorithm-page.js",
        "interactions/inspect-neighbors.js",
        "interactions/inspect-votes.js",
        "interactions/place-points.js",
    ],
)
def test_the_front_end_draws_with_the_served_theme(module: str) -> None:
    """No colour literal in these modules: they take PALETTE, INK, PAPER from theme.js."""
    source = (REPO / "static" / "js" / module).read_text()
    assert not HEX.findall(source), f"{module} hard-codes {HEX.findall(source)}"
