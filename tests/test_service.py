"""The run service: one computation per distinct run, a fair bounded queue, runs that stop when nobody watches."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from app.cache import RunEvent
from app.catalog import get_algorithm
from app.core.budget import StopToken
from app.hub import Busy, CpuGate
from app.runs import RunPlan, plan_run
from app.service import RunService
from app.settings import Settings
from tests import aio

# A neural-network run with one long stretch between two frames: 2,000 epochs at batch size 1.
LONG = {"batch_size": 1, "epochs": 2_000, "frame_every": 2_000}


def _plan(settings: Settings, lab: str = "pca", params: dict[str, Any] | None = None, seed: int = 0) -> RunPlan:
    algorithm = get_algorithm(lab)
    assert algorithm is not None
    return plan_run(algorithm, dict(params or {}), seed, True, settings)


async def _read(service: RunService, plan: RunPlan, **kw: Any) -> list[RunEvent]:
    stream = await service.open(plan)
    return [event async for event in stream.events(**kw)]


def test_identical_requests_in_flight_share_one_computation() -> None:
    settings = Settings(cache_entries=16)

    async def scenario() -> tuple[list[list[RunEvent]], RunService]:
        service = RunService(settings)
        plan = _plan(settings)
        # 20 arrive together, 5 more once it is running: all attach, none recomputes, all see every event
        first = [asyncio.create_task(_read(service, plan)) for _ in range(20)]
        await asyncio.sleep(0)
        late = [asyncio.create_task(_read(service, plan)) for _ in range(5)]
        done = await asyncio.gather(*first, *late)
        after = await _read(service, plan)  # finished: from the cache
        return [*done, after], service

    bodies, service = aio.run(scenario())
    assert service.runs_started == 1
    assert service.runs_joined == 24 and service.runs_replayed == 1
    assert all(body == bodies[0] for body in bodies)
    kinds = [event.kind for event in bodies[0]]
    assert kinds[0] == "scene" and kinds[-1] == "result" and "frame" in kinds


def test_resume_after_a_frame_skips_what_the_client_has() -> None:
    settings = Settings()

    async def scenario() -> tuple[list[RunEvent], list[RunEvent]]:
        service = RunService(settings)
        plan = _plan(settings)
        whole = await _read(service, plan)
        return whole, await _read(service, plan, after=1)

    whole, resumed = aio.run(scenario())
    assert [e for e in whole if e.index is None or e.index > 1] == resumed


def test_runs_past_the_running_limit_wait_in_a_queue_and_are_told_their_place() -> None:
    settings = Settings(max_concurrent_runs=1, max_queued_runs=2, cache_entries=0)

    async def scenario() -> tuple[list[list[RunEvent]], bool]:
        service = RunService(settings)
        plans = [_plan(settings, "neural-network", {**LONG, "epochs": 20, "frame_every": 1})]
        plans += [_plan(settings, seed=seed) for seed in range(2)]
        streams = [await service.open(plan) for plan in plans]
        assert (service.hub.running, service.hub.queued) == (1, 2)
        busy = False
        try:
            await service.open(_plan(settings, seed=3))
        except Busy:
            busy = True
        bodies = await asyncio.gather(*[_collect(s) for s in streams])
        return bodies, busy

    async def _collect(stream: Any) -> list[RunEvent]:
        return [event async for event in stream.events(queued=True)]

    bodies, busy = aio.run(scenario())
    assert busy
    assert next(e.kind for e in bodies[0]) == "scene"  # admitted at once: no queued event
    queued = [[json.loads(e.data)["position"] for e in body if e.kind == "queued"] for body in bodies[1:]]
    assert queued[0] == [1] and queued[1] == [2, 1]  # the third moves up when the first finishes
    assert all(body[-1].kind == "result" for body in bodies)


def test_a_queued_run_nobody_waits_for_leaves_the_queue() -> None:
    settings = Settings(max_concurrent_runs=1, max_queued_runs=4, cache_entries=0)

    async def scenario() -> RunService:
        service = RunService(settings)
        running = await service.open(_plan(settings, seed=0))
        waiting = await service.open(_plan(settings, seed=1))
        assert service.hub.queued == 1
        waiting.close()
        assert service.hub.queued == 0
        _ = [event async for event in running.events()]
        await asyncio.sleep(0.05)
        return service

    service = aio.run(scenario())
    assert service.runs_started == 1


def test_a_run_nobody_watches_any_more_stops_within_a_second() -> None:
    """The heavy case of issue 11: one frame that would take minutes; the client leaves after the first frame."""
    settings = Settings(cache_entries=0)

    async def scenario() -> float:
        service = RunService(settings)
        stream = await service.open(_plan(settings, "neural-network", LONG))
        async for event in stream.events():
            if event.kind == "frame":
                break
        left = time.monotonic()
        stream.close()
        while service.hub.running:
            await asyncio.sleep(0.01)
            assert time.monotonic() - left < 5, "the run kept computing after its only watcher left"
        return time.monotonic() - left

    assert aio.run(scenario()) < 1.0


def test_a_run_over_its_compute_budget_ends_with_a_limit_error_inside_a_long_frame() -> None:
    settings = Settings(cache_entries=0, run_timeout_s=0.5)

    async def scenario() -> tuple[list[RunEvent], float]:
        service = RunService(settings)
        start = time.monotonic()
        events = await _read(service, _plan(settings, "neural-network", LONG))
        return events, time.monotonic() - start

    events, took = aio.run(scenario())
    last = json.loads(events[-1].data)
    assert events[-1].kind == "error" and last["fault"] == "limit" and last["setting"] == "STEPWISE_RUN_TIMEOUT_S"
    assert took < 1.5  # 0.5 s budget, stopped inside the frame, not after it (minutes)


def test_first_frames_go_before_later_frames_of_other_runs() -> None:
    async def scenario() -> list[str]:
        gate, order = CpuGate(1), []
        await gate.acquire(first=False)  # the CPU is busy

        async def wait(name: str, first: bool) -> None:
            await gate.acquire(first)
            order.append(name)
            gate.release()

        tasks = [asyncio.create_task(wait("later-1", False)), asyncio.create_task(wait("later-2", False))]
        await asyncio.sleep(0)
        tasks.append(asyncio.create_task(wait("first", True)))
        await asyncio.sleep(0)
        gate.release()
        await asyncio.gather(*tasks)
        return order

    assert aio.run(scenario()) == ["first", "later-1", "later-2"]


@pytest.mark.parametrize("reason", ["cancelled", "budget"])
def test_stop_token_reasons(reason: str) -> None:
    from app.core.budget import RunStopped, checkpoint, stopping_at

    token = StopToken(cancelled=reason == "cancelled", deadline=0.0 if reason == "budget" else float("inf"))
    checkpoint()  # outside a run: nothing
    with stopping_at(token), pytest.raises(RunStopped) as stop:
        checkpoint()
    assert stop.value.reason == reason
    checkpoint()  # the token is gone with the block
