"""The run service's limits and its safety net: time budget, non-finite metrics, engine failures."""

from __future__ import annotations

import json
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import numpy as np
from pydantic import BaseModel, ConfigDict

from app.catalog import Algorithm, get_algorithm
from app.core.frame import Frame
from app.runs import plan_run
from app.service import RunService
from app.settings import Settings


class _NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _BlankView:
    def scene(self, inputs: Any, params: Any) -> dict[str, Any]:
        return {"data": [{}], "layout": {}}

    def render(self, frame: Frame, inputs: Any, params: Any) -> dict[str, Any]:
        return {"data": [{}], "layout": {}}

    def panels(self, result: Any, inputs: Any, params: Any) -> list[dict[str, Any]]:
        return []


def _diverging(inputs: Any, params: Any, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    yield Frame("step", "fine", {"w": np.array([1.0])}, {"loss": 1.0})
    yield Frame("step", "boom", {"w": np.array([np.nan])}, {"loss": float("inf")})
    yield Frame("step", "never reached", {}, {"loss": 0.0})
    return {}


def _failing(inputs: Any, params: Any, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    yield Frame("step", "fine", {}, {})
    raise np.linalg.LinAlgError("singular matrix")


def _test_algorithm(engine: Any) -> Algorithm:
    return Algorithm("test", "t", "Test", "x" * 50, (0,), _NoParams, lambda p, limits: {}, engine, _BlankView())


def _events(algorithm: Algorithm, settings: Settings) -> list[tuple[str, Any]]:
    async def collect() -> list[tuple[str, Any]]:
        service = RunService(settings)
        plan = plan_run(algorithm, {}, 0, False, settings)
        return [(e.kind, json.loads(e.data)) async for e in service.stream(plan)]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, collect).result()


def test_non_finite_metric_ends_with_a_friendly_diverged_frame() -> None:
    events = _events(_test_algorithm(_diverging), Settings())
    kinds = [kind for kind, _ in events]
    assert kinds == ["frame", "frame", "frame", "result"]
    assert events[1][1]["state"]["w"] == [None] and events[1][1]["metrics"]["loss"] is None  # valid JSON
    assert events[2][1]["kind"] == "diverged" and "smaller step" in events[2][1]["caption"]
    assert events[3][1]["diverged"] is True


def test_engine_failure_is_an_error_event_not_a_crash() -> None:
    events = _events(_test_algorithm(_failing), Settings())
    assert [kind for kind, _ in events] == ["frame", "error"]
    assert "singular matrix" in events[-1][1]["detail"]
    assert events[-1][1]["fault"] == "server" and "bug on our side" in events[-1][1]["detail"]


def test_time_budget_stops_the_run() -> None:
    kmeans = get_algorithm("kmeans")
    assert kmeans is not None
    events = _events(kmeans, Settings(run_timeout_s=1e-9))
    # the budget is checked inside the engine's loops too, so it may stop before the first frame is out
    assert [kind for kind, _ in events] in (["error"], ["frame", "error"])
    assert "STEPWISE_RUN_TIMEOUT_S" in events[-1][1]["detail"]
    assert events[-1][1]["fault"] == "limit" and events[-1][1]["setting"] == "STEPWISE_RUN_TIMEOUT_S"
