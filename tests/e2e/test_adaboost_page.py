"""AdaBoost page in real Chromium (one page load): stepping a round re-sizes the training markers by their new
weights, rings the new tree's mistakes and grows the α / ε strip by one round. Fails on any console error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, IDLE, INDEX, PLAYING

pytestmark = pytest.mark.e2e

SHOWN = """(() => {
  const gd = document.getElementById('main-plot');
  const named = (name) => gd.data.find((t) => t.name === name && !(t.x.length === 1 && t.x[0] === null));
  return {
    sizes: Array.from(gd.data[1].marker.size ?? []),
    rings: Array.from(named("tree's mistake").x).length,
    bars: Array.from(named('say α').x),
    errors: Array.from(named('weighted error ε').y),
  };
})()"""
RUN = """async () => {
  const r = await fetch('/api/v1/algorithms/adaboost/runs', {method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({params: {n_estimators: 6, grid_size: 30}, seed: 0})});
  return (await r.json()).frames.map((f) => f.state);
}"""


def test_a_round_step_reweights_rings_and_grows_the_strip(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/adaboost?n_estimators=6&grid_size=30")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the run should finish)")
    if page.evaluate(PLAYING):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    states = page.evaluate(RUN)  # the page's run again (same request, from the cache)
    first = page.evaluate(SHOWN)
    assert len(set(first["sizes"])) == 1, "round 1: every weight is 1/N, every marker the same size"
    assert first["bars"] == [1] and first["rings"] == len(states[0]["misclassified_by_tree"])
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    second = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("Round 2:")
    size = first["sizes"][0]
    assert max(second["sizes"]) > size > min(second["sizes"]), "round 1's mistakes grew, the rest shrank"
    assert second["bars"] == [1, 2] and second["rings"] == len(states[1]["misclassified_by_tree"])
    assert second["errors"] == pytest.approx([states[0]["error"], states[1]["error"]], abs=1e-6)
