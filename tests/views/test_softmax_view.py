"""The softmax view draws what the frames hold: bars of logits, exps, p, log p and the gradient per class (the
target marked), the (p, loss) point on the −log p curve, the naive p in the stability frame, the temperatures'
lines in the temperature frame, titles and the shaded panel that follow the frame kind; the phone layout restacks
the six panels."""

from __future__ import annotations

import base64
import copy
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import to_jsonable
from app.labs.softmax import SOFTMAX
from app.schemas.softmax import SoftmaxParams
from app.views import softmax_panels as panels


def _decode(typed: Any) -> np.ndarray:
    return np.frombuffer(base64.b64decode(typed["bdata"]), dtype=np.dtype(typed["dtype"]))


def _run(params: dict[str, Any]) -> tuple[dict[str, Any], list[Any], list[dict[str, Any]]]:
    model = SoftmaxParams.model_validate(params)
    inputs = SOFTMAX.prepare(model, DEFAULT_LIMITS)
    frames, _ = drain(SOFTMAX.engine(inputs, model, np.random.default_rng(0)))
    scene = to_jsonable(SOFTMAX.view.scene(inputs, model))
    rendered = [to_jsonable(SOFTMAX.view.render(f, inputs, model)) for f in frames]
    return scene, frames, rendered


def _merge(scene: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    figure = copy.deepcopy(scene)
    for i, trace in enumerate(patch["data"]):
        figure["data"][i].update(trace)
    figure["layout"].update(patch["layout"])
    return figure


def test_bars_show_the_frames_numbers_and_mark_the_target() -> None:
    scene, frames, rendered = _run({"target": 2, "steps": 3})
    colours = scene["data"][panels.T_PROB]["marker"]["color"]
    assert colours[2] == panels.TARGET and colours.count(panels.TARGET) == 1
    assert scene["data"][panels.T_PROB]["marker"]["pattern"]["shape"][2] == "/"
    for frame, patch in zip(frames, rendered, strict=True):
        for trace, key in ((panels.T_LOGITS, "logits"), (panels.T_PROB, "probabilities"), (panels.T_GRAD, "grad")):
            np.testing.assert_allclose(_decode(patch["data"][trace]["y"]), frame.state[key])
        np.testing.assert_allclose(patch["data"][panels.T_MARK]["y"], [frame.state["loss"]])
    names = {t.get("name") for t in scene["data"]}
    assert {"target class", "other classes", "logits before the steps", "naive p (no max subtracted)"} <= names


def test_the_exp_panel_shows_naive_exps_then_the_shifted_ones() -> None:
    _, frames, rendered = _run({"steps": 0})
    kinds = [f.kind for f in frames]
    exp = rendered[kinds.index("exp")]
    np.testing.assert_allclose(_decode(exp["data"][panels.T_EXP]["y"]), np.exp([2.0, 1.0, 0.1, -1.0]))
    assert "e<sup>z</sup>" in exp["layout"]["annotations"][1]["text"]
    stability = rendered[kinds.index("stability")]
    np.testing.assert_allclose(_decode(stability["data"][panels.T_EXP]["y"]), np.exp([0.0, -1.0, -1.9, -3.0]))
    assert stability["data"][panels.T_NAIVE]["visible"] is True
    assert "m = 2" in stability["layout"]["annotations"][1]["text"]


def test_big_logits_say_overflow_on_the_bars() -> None:
    _, frames, rendered = _run({"source": "big", "steps": 0})
    stability = rendered[[f.kind for f in frames].index("stability")]
    assert stability["data"][panels.T_EXP]["text"] == ["overflow"] * 3
    assert stability["data"][panels.T_NAIVE]["text"] == ["overflow"] * 3


def test_temperature_lines_and_the_shaded_panels_follow_the_kind() -> None:
    _, frames, rendered = _run({"temperature": 2.0, "steps": 1})
    kinds = [f.kind for f in frames]
    temperature = rendered[kinds.index("temperature")]
    lines = temperature["data"][panels.T_TEMPS : panels.T_TEMPS + panels.N_TEMPS]
    assert [t["name"] for t in lines] == ["T = 0.5", "T = 1", "T = 2", "T = 4", "T = 8"]
    for kind, patch in zip(kinds, rendered, strict=True):
        refs = {s["xref"] for s in patch["layout"]["shapes"]}
        assert refs == {f"x{panels.AXIS[p]} domain" for p in panels.SHADED[kind]}
        bold = [a["text"] for a in patch["layout"]["annotations"] if a["text"].startswith("<b>")]
        assert len(bold) == len(panels.SHADED[kind])


def test_the_phone_layout_restacks_every_panel_and_keeps_titles_on_their_axes() -> None:
    scene, _, rendered = _run({"steps": 1})
    narrow = scene["x-narrow"]["layout"]
    for name in panels.PANELS:
        a = panels.AXIS[name]
        assert narrow[f"xaxis{a}"]["domain"] != scene["layout"][f"xaxis{a}"]["domain"] or name == "logits"
    assert "annotations" not in narrow  # the frames' titles sit on axis domains: the phone moves them too
    composed = _merge(scene, rendered[0])
    assert all(a["xref"].endswith("domain") for a in composed["layout"]["annotations"])
