"""The learning-curves page in real Chromium: what only this lab draws (two page loads).

Stepping size by size rings exactly the rows fold 1's model trains on and adds one point to each curve; in
early stopping the last frame draws the dotted line where patience ran out and stars the epoch kept, on the
validation curve's lowest point before the stop. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

TRACE = """((name) => { const t = document.getElementById('main-plot')._fullData.find((d) => d.name === name);
  return t ? {x: Array.from(t.x ?? []).filter((v) => v !== null), y: Array.from(t.y ?? [])} : null; })"""
SHAPES = "(document.getElementById('main-plot').layout.shapes ?? []).map((s) => s.x0)"


def _trace(page: Any, name: str) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(f"{TRACE}({name!r})")
    return found


def _paused_at_start(page: Any, wait_until: Any) -> None:
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")


def test_learning_curve_grows_size_by_size(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/learning-curves")
    _paused_at_start(page, wait_until)
    sizes = [16, 52, 88, 124, 160]  # 10 %..100 % of a fold's 160 training rows (200 moons, 5 folds)
    for step, size in enumerate(sizes, start=1):
        if step > 1:
            page.keyboard.press("ArrowRight")
            wait_until(f"{INDEX} === {step - 1}")
        wait_until(f"{TRACE}('rows fold 1 trains on').x.length === {size}")
        assert len(_trace(page, "training accuracy")["x"]) == step
        assert _trace(page, "validation accuracy")["x"] == sizes[:step]
    page.keyboard.press("End")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'diagnosis'")
    assert "high variance" in page.inner_text("#caption")


def test_early_stopping_marks_the_stop_and_the_epoch_kept(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/learning-curves?mode=early_stopping")
    _paused_at_start(page, wait_until)
    assert page.evaluate(SHAPES) == []
    page.keyboard.press("End")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'restore'")
    stopped = wait_until(f"{SHAPES}.length === 1 && {SHAPES}[0]")
    kept = _trace(page, "epoch kept")
    val = _trace(page, "validation loss")
    assert len(kept["x"]) == 1 and kept["x"][0] < stopped
    before = [y for x, y in zip(val["x"], val["y"], strict=True) if x <= stopped]
    assert kept["y"][0] == pytest.approx(min(before), rel=1e-4)
    assert val["y"][-1] > 1.5 * kept["y"][0]  # it overfits: the last validation loss is far above the one kept
