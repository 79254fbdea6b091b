"""The shared regression-fit view (1 and 2 features): what it draws agrees with the engines' fit points, the
residual sticks run from each training point to the fit, the 2-feature fit is quantised over the scene's fixed
range, every trace is named in a legend and the frames stay within the 16 KB budget."""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from app.core.frame import Frame
from app.engines.boundary import fit_points
from app.labs.classify import regressor_inputs
from app.labs.inputs import RegressionInputs
from app.schemas.regression import SineSpec, TwoScalesSpec
from app.views import regression_fit as rf
from app.views.regression_fit import RegressionFitView


@dataclass(frozen=True)
class Drawn:
    dataset: Any
    test_fraction: float = 0.25
    grid_size: int = 100


def _inputs(spec: Any, test_fraction: float = 0.25) -> RegressionInputs:
    return regressor_inputs(spec.load(), Drawn(spec, test_fraction))


def _decode(value: Any) -> np.ndarray:
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
    return np.asarray(value, dtype=np.float64)


def _merge(scene: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    figure = copy.deepcopy(scene)
    for i, trace in enumerate(patch["data"]):
        figure["data"][i].update(trace)
    figure["layout"].update(patch["layout"])
    return figure


def _valid(figure: dict[str, Any]) -> None:
    clean = {k: v for k, v in figure.items() if not k.startswith("x-")}
    go.Figure(data=clean["data"], layout=clean["layout"])


def test_the_curve_is_drawn_over_the_engines_fit_points() -> None:
    one = _inputs(SineSpec(n_samples=40))
    assert np.array_equal(rf.curve_xs(one, 30), fit_points(one.X, 30)[:, 0])
    two = _inputs(TwoScalesSpec(n_samples=40))
    xs, ys = rf.grid_axes(two, 20)
    gx, gy = np.meshgrid(xs, ys)  # rows along y, as make_grid
    assert np.array_equal(np.column_stack([gx.ravel(), gy.ravel()]), fit_points(two.X, 20))


def test_one_feature_draws_points_curve_and_residual_sticks_from_each_point_to_the_fit() -> None:
    inputs = _inputs(SineSpec(n_samples=30))
    params = Drawn(None, grid_size=25)
    view = RegressionFitView(timeline={"key": "stage", "title": "stage"}, phases={"stage": "Boosting"})
    scene = view.scene(inputs, params)
    assert len(scene["data"]) == view.n_scene_traces(inputs) == 4
    assert scene["x-timeline"] == {"key": "stage", "title": "stage"}
    assert scene["x-phases"] == {"stage": "Boosting"}
    names = [t["name"] for t in scene["data"] if t.get("showlegend")]
    assert names == ["residual (y − fit)", "training points", "test points", "fitted curve"]
    train, test = scene["data"][rf.TRAIN], scene["data"][rf.TEST]
    assert train["marker"]["symbol"] == "circle" and test["marker"]["symbol"] == "circle-open"
    assert np.allclose(_decode(test["x"]), inputs.X[inputs.split.test, 0].astype(np.float32))
    assert scene["layout"]["xaxis"]["title"]["text"] == "x" and scene["layout"]["yaxis"]["title"]["text"]

    fit = np.sin(rf.curve_xs(inputs, 25))  # (g,) any curve
    mean = float(inputs.y[inputs.split.train].mean())
    residual = inputs.y - mean  # (n,) y − fit at each row (a constant fit)
    frame = Frame("stage", "c", {}, visual={"fit": fit, "residual": residual})
    patch = view.render(frame, inputs, params)
    assert len(patch["data"]) == 4
    assert np.allclose(_decode(patch["data"][rf.FIT]["y"]), fit, atol=1e-6)
    sticks_x = _decode(scene["data"][rf.RESIDUALS]["x"]).reshape(-1, 3)
    sticks_y = _decode(patch["data"][rf.RESIDUALS]["y"]).reshape(-1, 3)
    train_rows = inputs.split.train
    assert sticks_x.shape[0] == train_rows.size, "one stick per training point, none for test points"
    assert np.allclose(sticks_x[:, 0], inputs.X[train_rows, 0], atol=1e-5)
    assert np.allclose(sticks_x[:, 0], sticks_x[:, 1]), "sticks are vertical"
    assert np.allclose(sticks_y[:, 0], inputs.y[train_rows], atol=1e-5)
    assert np.allclose(sticks_y[:, 1], mean, atol=1e-5), "each stick ends on the fit"
    assert np.isnan(sticks_x[:, 2]).all() and np.isnan(sticks_y[:, 2]).all(), "NaN separates the sticks"
    _valid(_merge(scene, patch))


def test_two_features_shade_the_fit_on_a_fixed_range_with_a_titled_colour_bar() -> None:
    inputs = _inputs(TwoScalesSpec(n_samples=60))
    params = Drawn(None, grid_size=100)
    view = RegressionFitView(residuals=True, domain=(0.0, 0.6))
    scene = view.scene(inputs, params)
    assert len(scene["data"]) == view.n_scene_traces(inputs)
    heat = scene["data"][rf.HEAT]
    assert heat["colorbar"]["title"]["text"] == "predicted y"
    assert heat["colorbar"]["x"] > 0.6, "the colour bar sits right of the plane"
    assert scene["layout"]["xaxis"]["domain"] == [0.0, 0.6]
    lo, hi = rf.value_range(inputs.y)
    assert lo < inputs.y.min() and hi > inputs.y.max()
    for row in (rf.TRAIN, rf.TEST):
        marker = scene["data"][row]["marker"]
        assert marker["colorscale"] == heat["colorscale"] and (marker["cmin"], marker["cmax"]) == (lo, hi)
    ticks = [float(t) for t in heat["colorbar"]["ticktext"]]
    assert all(lo <= t <= hi for t in ticks) and len(ticks) >= 3
    assert heat["colorbar"]["tickvals"] == pytest.approx([(t - lo) / (hi - lo) * rf.LEVELS for t in ticks])
    legend = {t["name"] for t in scene["data"] if t.get("showlegend", True)}
    assert {"training (filled)", "test (hollow)"} <= legend

    points = fit_points(inputs.X, 100)  # (g², 2)
    fit = 3 * points[:, 0] + 0.05 * points[:, 1] + 2
    fit[0] = hi + 50  # beyond the range: clipped to the top level
    patch = view.render(Frame("stage", "c", {}, visual={"fit": fit}), inputs, params)
    z = patch["data"][rf.HEAT]["z"]
    levels = _decode(z)
    assert z["shape"] == "100,100" and levels.dtype == np.uint8 and levels.size == 100 * 100
    assert levels[0] == rf.LEVELS
    back = lo + levels[1:].astype(float) / rf.LEVELS * (hi - lo)
    assert np.abs(back - np.clip(fit[1:], lo, hi)).max() <= (hi - lo) / rf.LEVELS / 2 + 1e-9, "within half a level"
    assert len(json.dumps(patch, separators=(",", ":"))) <= 16_000, "a frame fits the budget at g = 100"
    _valid(_merge(scene, patch))


def test_hand_computed_quantisation_and_ticks() -> None:
    assert rf.quantise(np.array([0.0, 0.5, 1.0, -3.0, 9.0]), 0.0, 1.0).tolist() == [0, 127, 254, 0, 254]
    assert rf.nice_ticks(-0.13, 4.2) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert rf.nice_ticks(0.05, 0.93) == [0.2, 0.4, 0.6, 0.8]


def test_no_sticks_when_the_lab_asks_for_none() -> None:
    inputs = _inputs(SineSpec(n_samples=20), test_fraction=0.0)
    view = RegressionFitView(residuals=False)
    scene = view.scene(inputs, Drawn(None, grid_size=20))
    assert scene["data"][rf.RESIDUALS]["visible"] is False
    assert "x-phases" not in scene
    patch = view.render(Frame("s", "c", {}, visual={"fit": np.zeros(20), "residual": inputs.y}), inputs, Drawn(None))
    assert patch["data"][rf.RESIDUALS] == {}
    assert _decode(scene["data"][rf.TEST]["x"]).size == 0, "no test set: an empty test trace"
