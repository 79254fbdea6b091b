"""The generic clamp mechanism of ``Algorithm``: the engine and the view see the used value, frame 0 says so."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from app.core.algorithm import Algorithm, Clamp, ClampedEngine, ClampedView
from app.core.frame import Frame, drain
from app.core.limits import Limits


class _Params(BaseModel):
    k: int = 5


@dataclass(frozen=True)
class _Inputs:
    n: int
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def _prepare(params: _Params, limits: Limits) -> _Inputs:
    if params.k <= 3:
        return _Inputs(3)
    return _Inputs(3, clamps=(Clamp("k", 3, f"Note: k = {params.k} is more than the 3 points, so k = 3 is used."),))


def _engine(inputs: _Inputs, params: _Params, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    for j in range(1, params.k + 1):
        yield Frame("k", f"k = {j} of {params.k}.", {"k": j})
    return {"k": params.k}


class _View:
    def scene(self, inputs: _Inputs, params: _Params) -> dict[str, Any]:
        return {"data": [], "layout": {"title": f"k = {params.k}"}}

    def render(self, frame: Frame, inputs: _Inputs, params: _Params) -> dict[str, Any]:
        return {"data": [], "layout": {"title": f"{frame.state['k']} of {params.k}"}}

    def panels(self, result: Mapping[str, Any], inputs: _Inputs, params: _Params) -> list[dict[str, Any]]:
        return [{"id": "k", "title": f"k = {params.k}", "figure": {}}]


LAB: Algorithm[_Params, _Inputs] = Algorithm("t", "T", "test", "x", (0,), _Params, _prepare, _engine, _View())


def _run(params: _Params) -> tuple[list[Frame], dict[str, Any], _Inputs]:
    inputs = LAB.prepare(params, Limits())
    frames, result = drain(LAB.engine(inputs, params, np.random.default_rng(0)))
    return frames, result, inputs


def test_the_engine_runs_with_the_used_value_and_frame_0_begins_with_the_note() -> None:
    frames, result, _ = _run(_Params(k=7))
    assert [f.caption for f in frames] == [
        "Note: k = 7 is more than the 3 points, so k = 3 is used. k = 1 of 3.",
        "k = 2 of 3.",
        "k = 3 of 3.",
    ]
    assert result == {"k": 3}


def test_without_a_clamp_nothing_changes() -> None:
    frames, result, _ = _run(_Params(k=2))
    assert [f.caption for f in frames] == ["k = 1 of 2.", "k = 2 of 2."] and result == {"k": 2}


def test_the_view_draws_the_used_value() -> None:
    params = _Params(k=9)
    frames, result, inputs = _run(params)
    assert LAB.view.scene(inputs, params)["layout"]["title"] == "k = 3"
    assert LAB.view.render(frames[-1], inputs, params)["layout"]["title"] == "3 of 3"
    assert LAB.view.panels(result, inputs, params)[0]["title"] == "k = 3"
    assert params.k == 9  # the request's params are not touched: they are echoed back as asked


def test_the_run_stays_pure_and_replace_does_not_wrap_twice() -> None:
    again = dataclasses.replace(LAB, id="t2")
    assert isinstance(again.engine, ClampedEngine) and isinstance(again.view, ClampedView)
    assert not isinstance(again.engine.engine, ClampedEngine)
    params = _Params(k=7)
    inputs = again.prepare(params, Limits())
    first = drain(again.engine(inputs, params, np.random.default_rng(0)))
    second = drain(LAB.engine(inputs, params, np.random.default_rng(1)))
    assert first == second and first[0][0].caption.count("Note:") == 1


def test_an_engine_with_no_frames_still_returns_its_result() -> None:
    def empty(inputs: _Inputs, params: _Params, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
        return {"k": params.k}
        yield  # a generator

    lab = dataclasses.replace(LAB, engine=empty)
    params = _Params(k=7)
    assert drain(lab.engine(lab.prepare(params, Limits()), params, np.random.default_rng(0))) == ([], {"k": 3})
