"""The GAN view (``app.views.gan``): the scene's fixed traces and every frame patching them in order; the heatmap is
the frame's own D grid, the generated points its samples, each arrow runs from a sample to sample + scale · push,
the ring's circles split into covered and missed by the rule, the curves are the history; a phone layout exists."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.core.typed_array import from_typed_array
from app.labs.gan import GAN
from app.schemas.gan import GanParams
from app.views import gan as view_module

RAW: dict[str, Any] = {
    "dataset": {"name": "ring", "n_samples": 64},
    "g_layers": [8],
    "d_layers": [8],
    "steps": 6,
    "every": 3,
    "batch_size": 16,
}


def _floats(spec: dict[str, str]) -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype="<f4")


def _run(raw: dict[str, Any]) -> tuple[Any, Any, list[Any]]:
    params = GanParams.model_validate(raw)
    inputs = GAN.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(GAN.engine(inputs, params, np.random.default_rng(0)))
    return params, inputs, frames


def test_scene_and_frames_line_up() -> None:
    params, inputs, frames = _run(RAW)
    view = GAN.view
    scene = view.scene(inputs, params)
    assert len(scene["data"]) == view_module.N_TRACES
    names = [t["name"] for t in scene["data"] if t.get("showlegend", True)]
    assert {"real points", "generated G(z)", "push −∂L_G/∂x", "mode covered (3σ)", "D loss", "G loss"} <= set(names)
    assert scene["data"][view_module.T_HEAT]["colorbar"]["title"]["text"] == "D(x)"
    assert scene["layout"]["yaxis"]["scaleanchor"] == "x"
    assert scene["x-timeline"]["key"] == "step" and scene["x-narrow"]["width"] > 390
    json.dumps(scene)
    for i, frame in enumerate(frames):
        patch = view.render(frame, inputs, params)
        assert len(patch["data"]) == view_module.N_TRACES
        z = np.frombuffer(base64.b64decode(patch["data"][view_module.T_HEAT]["z"]["bdata"]), dtype="u1")
        d = from_typed_array(frame.state["d_grid"]).astype(np.float64).ravel()
        assert np.array_equal(z, np.round(255 * d).astype(np.uint8))  # the picture is the frame's D grid
        fake = from_typed_array(frame.state["fake"])
        assert np.array_equal(_floats(patch["data"][view_module.T_FAKE]["x"]), fake[:, 0])
        arrows = patch["data"][view_module.T_ARROW]
        xs, ys = _floats(arrows["x"]).reshape(-1, 3), _floats(arrows["y"]).reshape(-1, 3)
        at = from_typed_array(frame.state["arrows"]["at"])
        tip = at + frame.state["arrows"]["scale"] * from_typed_array(frame.state["arrows"]["push"])
        assert np.allclose(xs[:, 0], at[:, 0]) and np.allclose(ys[:, 1], tip[:, 1], atol=1e-5)
        assert np.isnan(xs[:, 2]).all()
        modes = frame.state["modes"]
        covered = _floats(patch["data"][view_module.T_COVERED]["x"])  # one NaN after each circle
        assert np.isnan(covered).sum() == modes["covered"]
        missed = _floats(patch["data"][view_module.T_MISSED]["x"])
        assert np.isnan(missed).sum() == modes["total"] - modes["covered"]
        loss = _floats(patch["data"][view_module.T_DLOSS]["y"])
        assert loss.size == i + 1 and np.isclose(loss[-1], frame.state["d_loss"], rtol=1e-6)
        assert np.isclose(_floats(patch["data"][view_module.T_MODES]["y"])[-1], modes["covered"])
        json.dumps(patch)
    assert view.panels({}, inputs, params) == []


def test_off_the_ring_no_circles_and_the_critic_is_unbounded() -> None:
    params, inputs, frames = _run(RAW | {"dataset": {"name": "moons", "n_samples": 30}, "loss": "wasserstein-gp"})
    scene = GAN.view.scene(inputs, params)
    heat = scene["data"][view_module.T_HEAT]
    assert heat["colorbar"]["title"]["text"] == "critic"
    assert any("ring of Gaussians only" in a["text"] for a in scene["layout"]["annotations"])
    patch = GAN.view.render(frames[-1], inputs, params)
    assert patch["data"][view_module.T_COVERED] == {} and patch["data"][view_module.T_MODES] == {}
    grid = from_typed_array(frames[-1].state["d_grid"]).astype(np.float64)
    ticks = patch["data"][view_module.T_HEAT]["colorbar"]["ticktext"]
    assert ticks[0] == f"{grid.min():.3g}" and ticks[-1] == f"{grid.max():.3g}"  # the critic's own units
