"""Two replicas (two ``RunService``s) sharing a real ``redis-server``: one computation, takeover, Redis down.

The multi-process versions (real app processes, SIGKILL) are in ``tests/scaleout/``; these drive the service
directly, so each scenario is quick and exact about what computed where.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from app.cache import RunEvent
from app.catalog import get_algorithm
from app.runs import RunPlan, plan_run
from app.service import RunService
from app.settings import Settings
from tests import aio

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (scripts/ensure-redis)"
)

# Long enough to be caught mid-run: 40 frames of a few tens of ms each.
STEADY = {"epochs": 40, "frame_every": 1, "batch_size": 4}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url() -> Iterator[str]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=port)
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.kill()
            proc.wait()


def _plan(settings: Settings, params: dict[str, Any] | None = None) -> RunPlan:
    algorithm = get_algorithm("neural-network")
    assert algorithm is not None
    return plan_run(algorithm, dict(params or STEADY), 0, True, settings)


async def _read(service: RunService, plan: RunPlan) -> list[RunEvent]:
    stream = await service.open(plan)
    return [event async for event in stream.events()]


def _reference(params: dict[str, Any] | None = None) -> list[RunEvent]:
    settings = Settings(cache_entries=0)

    async def alone() -> list[RunEvent]:
        return await _read(RunService(settings), _plan(settings, params))

    return aio.run(alone())


def test_the_same_run_on_two_replicas_is_computed_once(redis_url: str) -> None:
    settings = Settings(redis_url=redis_url, redis_lease_ms=600)

    async def scenario() -> tuple[list[list[RunEvent]], list[RunService]]:
        a, b = RunService(settings), RunService(settings)
        plan = _plan(settings)
        bodies = await asyncio.gather(*[_read(service, plan) for service in (a, b, a, b)])
        late = RunService(settings)  # a third replica, after the run finished: the log is the shared cache
        bodies.append(await _read(late, plan))
        stats = await late.stats()
        assert stats["redis"]["status"] == "ok" and stats["redis"]["runs_computed"] == 1
        for service in (a, b, late):
            await service.close()
        return bodies, [a, b, late]

    bodies, services = aio.run(scenario())
    assert sum(service.runs_started for service in services) == 1
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0] == _reference()


def test_a_replica_that_dies_mid_run_is_taken_over_byte_identically(redis_url: str) -> None:
    settings = Settings(redis_url=redis_url, redis_lease_ms=400)

    async def scenario() -> tuple[list[RunEvent], RunService, int]:
        a, b = RunService(settings), RunService(settings)
        plan = _plan(settings)
        assert a.framelog is not None

        async def vanish(*args: Any) -> None:  # a dead process neither releases its lock nor finishes its log
            return None

        for name in ("finish", "release", "renew"):
            setattr(a.framelog, name, vanish)
        on_a = await a.open(plan)
        reader_a = asyncio.create_task(asyncio.wait_for(_drain(on_a), 60))
        while a.runs_started == 0 or len(a.hub.live[plan.key].events) < 4:
            await asyncio.sleep(0.01)
        on_b = [event async for event in _until_done(b, plan, kill=a)]
        reader_a.cancel()
        await asyncio.gather(reader_a, return_exceptions=True)
        seen_by_a = len(a.hub.live.get(plan.key, on_a_run(on_a)).events)
        await b.close()
        await a.close()
        return on_b, b, seen_by_a

    on_b, b, seen_by_a = aio.run(scenario())
    assert b.takeovers == 1 and b.runs_started == 1
    assert seen_by_a < len(on_b)  # A really was stopped mid-run
    assert on_b == _reference()


def on_a_run(stream: Any) -> Any:
    return stream._subscription.run


async def _drain(stream: Any) -> None:
    async for _ in stream.events():
        pass


async def _until_done(service: RunService, plan: RunPlan, kill: RunService) -> Any:
    stream = await service.open(plan)
    killed = False
    async for event in stream.events():
        if not killed and event.kind == "frame" and event.index is not None and event.index >= 6:
            killed = True
            assert kill.framelog is not None

            async def dead(*args: Any) -> bool:  # a dead process writes nothing more (a cancelled task might)
                return True

            kill.framelog.append = dead  # type: ignore[method-assign]
            await kill.hub.close()  # A's engine stops; its lease lapses (it does not renew any more)
        yield event


def test_redis_down_serves_from_the_process_and_says_so() -> None:
    settings = Settings(redis_url=f"redis://127.0.0.1:{_free_port()}/0", redis_retry_s=30)

    async def scenario() -> tuple[list[RunEvent], dict[str, Any]]:
        service = RunService(settings)
        events = await _read(service, _plan(settings, {"epochs": 5, "frame_every": 1}))
        stats = await service.stats()
        await service.close()
        return events, stats

    events, stats = aio.run(scenario())
    assert events[-1].kind == "result"
    assert stats["redis"]["status"] == "down" and stats["redis"]["failures"] >= 1
    assert events == _reference({"epochs": 5, "frame_every": 1})


def test_warming_fills_the_shared_log_for_every_replica(redis_url: str) -> None:
    from app.warm import warm, warm_list

    settings = Settings(redis_url=redis_url)
    plans = [plan for plan in warm_list(settings) if plan.algorithm.id in ("pca", "kmeans")]
    assert len(plans) == 4  # their lessons' presets are their defaults: warmed once

    async def scenario() -> tuple[list[Any], RunService]:
        warmer, replica = RunService(settings), RunService(settings)
        report = await warm(warmer, plans)
        for plan in plans:
            events = await _read(replica, plan)
            assert events[-1].kind == "result"
        await warmer.close()
        await replica.close()
        return report, replica

    report, replica = aio.run(scenario())
    assert [row.outcome for row in report] == ["result"] * 4
    assert replica.runs_started == 0  # every run came from the log
