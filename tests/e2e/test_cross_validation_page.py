"""The cross-validation page in real Chromium: what only this lab draws (one page load).

Stepping fold by fold frames that fold's line in the folds panel, rings exactly its held-out rows on the plane and
adds its score to the strip; the last frame draws the mean ± std bars for k-fold and for the 20 single splits,
whose markers appear only then. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

TRACE = """((name) => { const t = document.getElementById('main-plot')._fullData.find((d) => d.name === name);
  return t ? {n: Array.from(t.x ?? []).filter((v) => v !== null).length,
              errors: Array.from(t.error_x?.array ?? [])} : null; })"""
FRAMED_ROW = "(document.getElementById('main-plot').layout.shapes ?? []).map((s) => s.y0 + 0.5)"


def _count(page: Any, name: str) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(f"{TRACE}({name!r})")
    return found


def test_folds_step_then_the_summary_sets_k_fold_beside_single_splits(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/cross-validation")
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    for fold in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        if fold == 1:  # the split frame: every fold's line, nothing held out on the plane yet
            page.keyboard.press("ArrowRight")
        wait_until(f"{INDEX} === {fold + 1}")
        assert wait_until(FRAMED_ROW) == [fold - 1]
        assert _count(page, "held out in this fold")["n"] == 40  # 200 rows, 5 folds
        assert _count(page, "each fold's score")["n"] >= 1
        assert _count(page, "single splits (20 seeds)")["n"] == 0
    page.keyboard.press("End")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'summary'")
    bars = wait_until(f"{TRACE}('mean ± std')")
    assert bars["n"] == 2 and len(bars["errors"]) == 2 and all(e > 0 for e in bars["errors"])
    assert _count(page, "single splits (20 seeds)")["n"] == 20
    assert page.evaluate(FRAMED_ROW) == []
