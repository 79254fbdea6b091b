"""The tensors lab's figure, composed as the player composes it (frame data[i] merged onto scene data[i]): every
topic draws on its main axes, names its traces, titles the axes it shows, keeps an empty panel hidden until its
frame fills it, and draws the frame's own numbers (the channels, the tensor as its shape lays it out, the
table's kinds, the one-hot matrix, the stacked windows)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import to_jsonable
from app.labs.tensors import TENSORS
from app.preview_figure import decode_typed_array
from app.schemas.tensors import TensorsParams
from app.views.tensors import laid_out as _laid_out


def _composed(raw: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    params = TensorsParams.model_validate(raw)
    inputs = TENSORS.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(TENSORS.engine(inputs, params, np.random.default_rng(0)))
    scene = to_jsonable(TENSORS.view.scene(inputs, params))
    figures = []
    for frame in frames:
        patch = to_jsonable(TENSORS.view.render(frame, inputs, params))
        figure = copy.deepcopy({"data": scene["data"], "layout": scene["layout"]})
        for trace, extra in zip(figure["data"], patch["data"], strict=False):
            trace.update(extra)
        for key, value in patch["layout"].items():
            figure["layout"][key] = {**figure["layout"].get(key, {}), **value} if isinstance(value, dict) else value
        figures.append(figure)
    assert scene["x-phases"] and set(scene["x-phases"]) == {f.kind for f in frames}
    return figures, frames


def _shown_axes(figure: dict[str, Any]) -> list[str]:
    return [k for k, v in figure["layout"].items() if k.startswith(("xaxis", "yaxis")) and v.get("visible", True)]


@pytest.mark.parametrize("topic", ["image", "reshape", "table", "text", "series"])
def test_every_topic_draws_named_traces_on_titled_axes(topic: str) -> None:
    figures, _ = _composed({"topic": topic})
    for figure in figures:
        main = [t for t in figure["data"] if t.get("xaxis", "x") == "x" and t.get("yaxis", "y") == "y"]
        assert main and all(t.get("name") for t in figure["data"])
        for axis in _shown_axes(figure):
            if axis.startswith("xaxis"):
                assert figure["layout"][axis]["title"]["text"], (topic, axis)
        assert any(t.get("showlegend", True) and t["type"] == "scatter" for t in figure["data"]), "a legend entry"
        for trace in figure["data"]:
            if trace.get("showscale"):
                assert trace["colorbar"]["title"]["text"], "a titled colour bar"


def test_the_image_channels_are_the_frames_numbers_and_turn_diverging_when_normalised() -> None:
    figures, frames = _composed({})
    red = decode_typed_array(figures[0]["data"][0]["z"])
    assert np.array_equal(red, frames[0].visual["channels"][0].astype(np.float32))
    assert figures[0]["data"][0]["zmax"] == 255 and figures[3]["data"][0]["zmax"] == 1
    assert figures[4]["data"][0]["colorscale"] == "RdBu" and figures[4]["data"][0]["zmid"] == 0
    assert figures[4]["data"][2]["colorbar"]["title"]["text"] == "(x − mean) / std"
    assert "strides (1, 144, 3)" in figures[1]["layout"]["xaxis4"]["title"]["text"]


def test_a_tensor_is_laid_out_slice_by_slice() -> None:
    grid = _laid_out(np.arange(12).reshape(2, 2, 3))
    assert grid.shape == (2, 7) and np.isnan(grid[:, 3]).all()
    assert grid[:, :3].tolist() == [[0, 1, 2], [3, 4, 5]] and grid[:, 4:].tolist() == [[6, 7, 8], [9, 10, 11]]
    figures, frames = _composed({"topic": "reshape"})
    transpose = next(i for i, f in enumerate(frames) if f.kind == "transpose")
    marker = figures[transpose]["data"][3]
    assert (marker["x"], marker["y"]) == ([0], [1])  # element 1 one row down: the stride of that axis is 1
    assert "not contiguous" in figures[transpose]["layout"]["xaxis"]["title"]["text"]


def test_the_table_marks_each_columns_kind() -> None:
    figures, frames = _composed({"topic": "table", "rows": 4})
    cells = figures[0]["data"][0]
    assert cells["x"] == frames[0].state["columns"] and cells["y"][0] == "kind" and len(cells["y"]) == 5
    kinds = {t["name"]: t["x"] for t in figures[0]["data"][1:]}
    assert kinds["categorical column"] == ["species"] and kinds["ordinal column"] == ["petal size"]
    assert kinds["encoded column"] == [] and len(figures[-1]["data"][4]["x"]) == 5


def test_text_and_series_panels_stay_hidden_until_filled() -> None:
    figures, frames = _composed({"topic": "text", "text": "abc"})
    assert [f["layout"]["xaxis3"].get("visible", True) for f in figures] == [False, False, False, True]
    assert [f["layout"]["xaxis2"].get("visible", True) for f in figures] == [False, True, True, True]
    assert decode_typed_array(figures[-1]["data"][2]["z"]).tolist() == np.eye(3).tolist()
    figures, frames = _composed({"topic": "series", "length": 12, "window": 4, "horizon": 2})
    assert [f["layout"]["xaxis2"].get("visible", True) for f in figures] == [False] * (len(figures) - 1) + [True]
    first = next(i for i, f in enumerate(frames) if f.kind == "window")
    assert figures[first]["data"][1]["x"] == [0, 1, 2, 3] and figures[first]["data"][2]["x"] == [4, 5]
    assert decode_typed_array(figures[-1]["data"][3]["z"]).shape == (7, 4)
