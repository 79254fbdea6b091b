"""One check run over every algorithm in the catalog (DESIGN §6)."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import numpy as np
import pytest

from app.catalog import Algorithm, all_algorithms
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.runs import plan_run
from app.service import RunService
from app.settings import Settings
from tests.small_runs import small_params

ALGORITHMS = all_algorithms()
IDS = [a.id for a in ALGORITHMS]
KEBAB = set("abcdefghijklmnopqrstuvwxyz0123456789-")


async def _events(algorithm: Algorithm, seed: int, figure: bool, params: dict[str, Any]) -> list[Any]:
    settings = Settings(cache_entries=0)
    service = RunService(settings)
    plan = plan_run(algorithm, params, seed, figure, settings)
    return [event async for event in service.stream(plan)]


def _run(algorithm: Algorithm, seed: int = 0, figure: bool = False, params: dict[str, Any] | None = None) -> list[Any]:
    # A thread of its own: the browser tests' playwright session keeps an event loop on the main thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, _events, algorithm, seed, figure, params or {}).result()


def _engine_frames(algorithm: Algorithm) -> tuple[list[Any], dict[str, Any]]:
    params = algorithm.params_model.model_validate(small_params(algorithm.id))
    return drain(algorithm.engine(algorithm.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(0)))


def test_catalog_is_not_empty_and_ids_are_unique_kebab_case() -> None:
    assert IDS and len(IDS) == len(set(IDS))
    assert all(set(i) <= KEBAB for i in IDS)


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_entry_is_complete(algorithm: Algorithm) -> None:
    assert algorithm.title and algorithm.family and len(algorithm.summary) > 40 and algorithm.days
    schema = algorithm.params_model.model_json_schema()
    assert schema["type"] == "object"
    assert algorithm.params_model.model_config.get("extra") == "forbid"
    json.dumps(algorithm.params_model().model_dump(mode="json"))


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_runs_at_defaults_bounded_and_deterministic(algorithm: Algorithm) -> None:
    first = _run(algorithm, seed=1)
    # Determinism: the defaults run again, or for a heavy lab its small params run twice (the defaults' second
    # run cost CI half a minute; what makes a run repeat does not depend on its size).
    small = small_params(algorithm.id)
    one = _run(algorithm, seed=1, params=small) if small else first
    other = _run(algorithm, seed=1, params=small)
    assert [(e.kind, e.data) for e in one] == [(e.kind, e.data) for e in other]
    kinds = [e.kind for e in first]
    assert kinds[-1] == "result" and "error" not in kinds
    frames = [json.loads(e.data) for e in first if e.kind == "frame"]
    assert 1 <= len(frames) <= Settings().max_frames
    for i, frame in enumerate(frames):
        assert frame["index"] == i and frame["caption"].strip() and frame["kind"]
        assert all(isinstance(v, (int, float)) for v in frame["metrics"].values())


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_frames_never_alias_arrays(algorithm: Algorithm) -> None:
    frames, _ = _engine_frames(algorithm)
    arrays = [(i, v) for i, f in enumerate(frames) for v in f.state.values() if isinstance(v, np.ndarray)]
    for a_index, (i, a) in enumerate(arrays):
        for j, b in arrays[a_index + 1 :]:
            assert i == j or not np.shares_memory(a, b), f"frames {i} and {j} share an array"


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_every_frame_renders_through_its_view(algorithm: Algorithm) -> None:
    events = _run(algorithm, figure=True, params=small_params(algorithm.id))
    assert events[0].kind == "scene"
    scene = json.loads(events[0].data)
    assert scene["data"] and "template" not in scene["layout"]
    for event in events:
        if event.kind == "frame":
            figure = json.loads(event.data)["figure"]
            assert set(figure) == {"data", "layout"}
            assert len(figure["data"]) >= len(scene["data"]) or all(isinstance(t, dict) for t in figure["data"])
    panels = json.loads(next(e.data for e in events if e.kind == "panels"))
    for panel in panels:
        assert {"id", "title", "figure"} <= set(panel)


def test_catalog_is_in_curriculum_order() -> None:
    # The journal's order: by the first day each lab covers (ties keep the order catalog.py lists them in).
    firsts = [min(a.days) for a in ALGORITHMS]
    assert firsts == sorted(firsts)
    assert IDS[:4] == ["logistic-regression", "optimizers", "perceptron", "knn"]


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_prepare_returns_a_frozen_dataclass(algorithm: Algorithm) -> None:
    inputs = algorithm.prepare(algorithm.params_model(), DEFAULT_LIMITS)
    assert dataclasses.is_dataclass(inputs) and type(inputs).__dataclass_params__.frozen  # type: ignore[attr-defined]
