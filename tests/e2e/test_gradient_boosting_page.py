"""Gradient boosting's regression page in real Chromium (one page load): at the start the panel shows what the
first tree will fit (the residuals from the mean) and no tree yet; a step draws stage 1's tree fitting those
residuals, moves the curve and grows both loss curves by one point. Fails on any console error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, IDLE, INDEX, PLAYING

pytestmark = pytest.mark.e2e

SHOWN = """(() => {
  const gd = document.getElementById('main-plot');
  const named = (name) => gd.data.find((t) => t.name === name);
  const values = (name, axis) => Array.from(named(name)[axis] ?? []);
  return {
    target: values("tree's target", 'y'),
    fit: values("tree's fit", 'y'),
    curve: values('fitted curve', 'y'),
    train: values('training loss', 'y'),
    test: values('test loss', 'y'),
  };
})()"""
RUN = """async () => {
  const r = await fetch('/api/v1/algorithms/gradient-boosting/runs', {method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({params: {task: 'regression', n_estimators: 5, grid_size: 30}, seed: 0})});
  return (await r.json()).frames.map((f) => f.state);
}"""


def test_a_stage_step_shows_the_tree_fitting_the_residuals(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/gradient-boosting?task=regression&n_estimators=5&grid_size=30")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the run should finish)")
    if page.evaluate(PLAYING):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    states = page.evaluate(RUN)  # the page's run again (same request, from the cache)
    start = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("Stage 0:")
    assert len(start["target"]) == len(states[1]["negative_gradient"]), "every training row's residual"
    assert start["fit"] == [] and len(set(start["curve"])) == 1, "no tree yet: the curve is the flat mean"
    assert start["train"] == pytest.approx([states[0]["train_loss"]], abs=1e-5)
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    stage = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("Stage 1:")
    assert sorted(stage["target"]) == pytest.approx(sorted(states[1]["negative_gradient"]), abs=1e-5)
    assert len(stage["fit"]) == 30 and 2 <= len(set(stage["fit"])) <= 4, "a depth-2 tree: at most 4 levels"
    assert len(set(stage["curve"])) > 1, "the curve has bent"
    assert stage["train"] == pytest.approx([s["train_loss"] for s in states[:2]], abs=1e-5)
    assert stage["test"] == pytest.approx([s["test_loss"] for s in states[:2]], abs=1e-5)
