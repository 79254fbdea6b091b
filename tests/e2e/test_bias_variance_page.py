"""The bias–variance page in real Chromium (one page load): the data frame draws the truth and training set 1 and no
fit; a step to the first complexity draws the fan, the stacked bar equal to that frame's bias², variance and noise,
and one point of each U-curve; the last frame marks the sweet spot. Fails on any console error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, IDLE, INDEX, PLAYING

pytestmark = pytest.mark.e2e

SHOWN = """(() => {
  const gd = document.getElementById('main-plot');
  const all = (name) => gd.data.filter((t) => t.name === name);
  const values = (trace, axis) => Array.from(trace?.[axis] ?? []);
  const strip = (name) => all(name).find((t) => t.xaxis === 'x3');
  const bar = (name) => all(name).find((t) => t.type === 'bar');
  return {
    truth: values(all('true f(x)')[0], 'y').length,
    points: values(all('training set 1')[0], 'x').length,
    fan: values(gd.data[0], 'y').length,
    bias: values(bar('bias²'), 'y'),
    variance: values(bar('variance'), 'y'),
    stripVariance: values(strip('variance'), 'y'),
    stripX: values(strip('variance'), 'x'),
    star: values(all('sweet spot')[0], 'x'),
  };
})()"""


def test_a_step_draws_the_fan_the_bar_and_one_point_of_each_curve(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/bias-variance?max_degree=4&n_datasets=20&n_points=15&grid_size=30")
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the run should finish)")
    if page.evaluate(PLAYING):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    start = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("The truth is f(x) = sin(2πx)")
    assert start["truth"] == 30 and start["points"] == 15, "the truth on the grid, set 1's 15 points"
    assert start["fan"] == 0 and start["stripVariance"] == [], "no fit yet"
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    first = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("Degree 0:")
    assert first["fan"] == 19 * 31, "sets 2..20 on the grid, a break after each"
    assert first["stripX"] == [0] and len(first["stripVariance"]) == 1
    assert first["variance"] == pytest.approx(first["stripVariance"], rel=1e-5)
    page.keyboard.press("End")
    wait_until(f"{INDEX} === 6")
    last = page.evaluate(SHOWN)
    assert last["stripX"] == [0, 1, 2, 3, 4] and len(last["star"]) == 1
    assert page.evaluate(CAPTION).startswith("The sweet spot is degree")
