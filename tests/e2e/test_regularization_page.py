"""The regularization page in real Chromium (two page loads): the data frame draws the points and no fit; a step
to the first α draws the fit, the constraint region and one point of every coefficient's path; the last frame
stars the best α. In weight-decay mode a step draws the before → shrunk → after marks and the weight bars. The
classification task (a third page load) shades the plane, draws the boundary and grows one path per named feature.
Fails on any console error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, IDLE, INDEX, PLAYING

pytestmark = pytest.mark.e2e

SHOWN = """(() => {
  const gd = document.getElementById('main-plot');
  const values = (trace, axis) => Array.from(trace?.[axis] ?? []);
  const named = (start) => gd.data.find((t) => (t.name || '').startsWith(start));
  const paths = gd.data.filter((t) => t.xaxis === 'x3' && t.type === 'scatter');
  return {
    points: values(named('training'), 'x').length,
    fit: values(named('the fit'), 'y').length,
    region: values(named('diamond'), 'x').length,
    paths: paths.map((t) => values(t, 'y').length),
    star: values(named('best α'), 'x').length,
    step: values(named('this step'), 'x').length,
    bars: values(gd.data.find((t) => t.type === 'bar'), 'y').length,
  };
})()"""


def _loaded(page: Any, wait_until: Any, query: str) -> None:
    page.goto("/algorithms/regularization?" + query)
    wait_until(f"{COMPLETE} && {IDLE}", timeout=60, message="(the run should finish)")
    if page.evaluate(PLAYING):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")


def test_a_step_draws_the_fit_the_region_and_one_point_of_each_path(page: Any, wait_until: Any) -> None:
    _loaded(page, wait_until, "degree=6&n_alphas=8&grid_size=30")
    start = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).endswith("over 8 values.")
    assert start["points"] > 0 and start["fit"] == 0 and start["region"] == 0, "the points, no fit yet"
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    first = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("α = 3:")
    assert first["fit"] == 30 and first["region"] == 73
    assert first["paths"] == [1] * 6, "one point on each coefficient's path"
    page.keyboard.press("End")
    wait_until(f"{INDEX} === 9")
    last = page.evaluate(SHOWN)
    assert last["paths"] == [8] * 6 and last["star"] == 1
    assert page.evaluate(CAPTION).startswith("The best α is")


def test_weight_decay_draws_the_shrink_and_the_step(page: Any, wait_until: Any) -> None:
    _loaded(page, wait_until, "mode=weight_decay&n_steps=20&degree=5&weight_decay=0.5")
    assert page.evaluate(CAPTION).startswith("Gradient descent with weight decay λ = 0.5")
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    shown = page.evaluate(SHOWN)
    assert page.evaluate(CAPTION).startswith("Step 1: the shrink moved the weights by 0 towards 0")
    assert shown["step"] == 3 and shown["bars"] == 5


PLANE = """(() => {
  const gd = document.getElementById('main-plot');
  const z = gd.data[0].z;
  const paths = gd.data.filter((t) => t.xaxis === 'x3' && t.type === 'scatter');
  return {
    heat: gd.data[0].type,
    cells: z ? (z.length ?? (z.bdata ? 1 : 0)) : 0,
    boundary: gd.data[1].name,
    paths: paths.map((t) => Array.from(t.y ?? []).length),
    names: paths.map((t) => (t.hovertemplate || '').split(':')[0]),
  };
})()"""


def test_classification_shades_the_plane_and_grows_the_named_paths(page: Any, wait_until: Any) -> None:
    _loaded(page, wait_until, "task=classification&class_degree=2&n_alphas=6&grid_size=20")
    assert "stratified split" in page.evaluate(CAPTION)
    page.keyboard.press("ArrowRight")
    wait_until(f"{INDEX} === 1")
    first = page.evaluate(PLANE)
    assert first["heat"] == "heatmap" and first["cells"] > 0 and first["boundary"] == "boundary P = 0.5"
    assert first["paths"] == [1] * 5 and first["names"] == ["x₁", "x₂", "x₁²", "x₁·x₂", "x₂²"]
    page.keyboard.press("End")
    wait_until(f"{INDEX} === 7")
    assert page.evaluate(PLANE)["paths"] == [6] * 5
    assert page.evaluate(CAPTION).startswith("The best α is")
