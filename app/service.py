"""The run service: one computation per distinct run, however many watch it, on one replica or many.

``RunService.open(plan)`` gives a request its ``RunStream``, in this order of preference:

1. a replay of the finished run from the in-process cache (``app.cache``);
2. the live run already in flight in this process — the request attaches and reads every event so far, then
   each as it is made (``app.hub``);
3. a new live run, admitted or queued (``Busy`` past the queue: a 503), whose work is either
   * with Redis (``STEPWISE_REDIS_URL``): the shared frame log (``app.framelog``) — replay a run another replica
     finished, follow one another replica computes (taking it over if that replica dies), or claim it and
     compute it here, appending every event to the log; or
   * without Redis, or with Redis down: compute it here (``app.producer``), one frame per CPU-gated step.

A run that nobody watches any more (here or, with Redis, on any replica) is cancelled: its engine stops at its
next ``checkpoint()``. Finished runs land in the in-process cache, and with Redis in the log for every replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import anyio

from app.cache import MemoryRunCache, RunCache, RunEvent
from app.framelog import TERMINAL, FrameLog, LogDown
from app.hub import Busy, LiveRun, RunHub, Subscription
from app.producer import Producer
from app.runs import RunPlan
from app.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["Busy", "RunService", "RunStream"]


class RunStream:
    """What one request reads: a replay of a cached run, or its subscription to a live one. ``close`` it."""

    def __init__(self, replay: list[RunEvent] | None = None, subscription: Subscription | None = None) -> None:
        self._replay, self._subscription = replay, subscription

    @property
    def live(self) -> LiveRun | None:
        """The live run this stream follows (``None`` for a replay)."""
        return None if self._subscription is None else self._subscription.run

    @property
    def finished(self) -> bool:
        """A replay of a finished run: its bytes are a pure function of the request (no queue, no limits)."""
        return self._replay is not None

    async def events(self, after: int = -1, queued: bool = False) -> AsyncIterator[RunEvent]:
        """Events in order, frames with index ≤ ``after`` skipped (SSE resume); ``queued`` adds the queue's
        ``queued`` events (SSE only). Reading to the end closes the stream."""
        try:
            if self._subscription is not None:
                async for event in self._subscription.run.follow(after, queued):
                    yield event
            else:
                for event in self._replay or []:
                    if event.index is None or event.index > after:
                        yield event
        finally:
            self.close()

    def close(self) -> None:
        if self._subscription is not None:
            self._subscription.close()


class RunService:
    """Owns the cache, the live runs and (with Redis) this replica's side of the shared frame log."""

    def __init__(self, settings: Settings, cache: RunCache | None = None) -> None:
        self.settings = settings
        self.cache: RunCache = cache or MemoryRunCache(settings.cache_entries, settings.cache_bytes)
        self.hub = RunHub(settings.max_concurrent_runs, settings.max_queued_runs, settings.cpu_slots)
        self.replica = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.framelog = (
            FrameLog(
                settings.redis_url,
                self.replica,
                settings.redis_lease_ms,
                settings.redis_log_ttl_s,
                settings.redis_retry_s,
            )
            if settings.redis_url
            else None
        )
        self.runs_started = 0  # engines started in this process
        self.runs_joined = 0  # requests that attached to a run already in flight here
        self.runs_replayed = 0  # requests served whole from the in-process cache
        self.takeovers = 0  # runs this process took over from a replica that stopped renewing its lease
        self._tasks: set[asyncio.Task[None]] = set()

    def cached(self, plan: RunPlan) -> list[RunEvent] | None:
        return self.cache.get(plan.key)

    async def open(self, plan: RunPlan) -> RunStream:
        """The stream for ``plan``. Raises ``Busy`` (no room), and, for a run not in flight or cached here,
        whatever ``plan.prepare()`` raises (``RunInputError``: a 422; ``RunFailed``: a 500) before any event."""
        hit = self.cache.get(plan.key)
        if hit is not None:
            self.runs_replayed += 1
            return RunStream(replay=hit)
        live = self._joinable(plan.key)
        if live is None:
            if not self.hub.has_room():
                raise Busy
            await anyio.to_thread.run_sync(plan.prepare)  # a no-op if the caller prepared it
            live = self._joinable(plan.key)  # someone may have started it while the data was built
        if live is not None:
            self.runs_joined += 1
            return RunStream(subscription=Subscription(live))
        run = self.hub.launch(plan.key, partial(self._work, plan))
        run.on_idle = self._idle
        return RunStream(subscription=Subscription(run))

    async def stream(self, plan: RunPlan, after: int = -1) -> AsyncIterator[RunEvent]:
        """Every event of ``plan``'s run (for the CLI, warm-up and tests)."""
        run_stream = await self.open(plan)
        async for event in run_stream.events(after):
            yield event

    def _joinable(self, key: str) -> LiveRun | None:
        live = self.hub.live.get(key)
        return None if live is None or live.token.cancelled else live

    # ---- what a live run does -------------------------------------------------------------------------------

    async def _work(self, plan: RunPlan, run: LiveRun) -> None:
        framelog = self.framelog
        if framelog is not None and framelog.usable():
            try:
                await self._shared(plan, run, framelog)
                return
            except LogDown:
                log.warning("run %s: continuing in this process without the shared log", plan.key[:12])
        if not run.done:
            await self._produce(plan, run, None)

    async def _shared(self, plan: RunPlan, run: LiveRun, framelog: FrameLog) -> None:
        logged, locked = await framelog.snapshot(plan.key)
        if logged and logged[-1].kind in TERMINAL:
            if logged[-1].kind == "result":  # finished on some replica: the shared cache
                run.publish(logged)
                self.cache.put(plan.key, logged)
                run.end(complete=True)
                return
            await framelog.discard(plan.key)  # ended by a limit or a fault: not a result to share
            logged, locked = [], await framelog.locked(plan.key)
        run.publish(logged)
        if not locked and await framelog.claim(plan.key):
            await self._produce(plan, run, framelog)
        else:
            await self._follow(plan, run, framelog)

    async def _follow(self, plan: RunPlan, run: LiveRun, framelog: FrameLog) -> None:
        """Read a run another replica computes, into ``run``; take it over if that replica stops renewing."""
        seq = len(run.events)
        block_ms = max(100, min(1_000, framelog.lease_ms // 2))
        try:
            while run.watchers > 0:
                await framelog.watch(plan.key)
                entries = await framelog.read(plan.key, seq, block_ms)
                if not entries and not await framelog.locked(plan.key) and await framelog.claim(plan.key):
                    self.takeovers += 1
                    log.info("run %s: its replica stopped renewing the lease; computing it here", plan.key[:12])
                    entries = await framelog.read(plan.key, seq, None)  # whatever it wrote before it went
                    if not (entries and entries[-1][1].kind in TERMINAL):
                        run.publish([event for _, event in entries])
                        await self._produce(plan, run, framelog)
                        return
                    await framelog.release(plan.key)
                if entries:
                    seq = entries[-1][0]
                    run.publish([event for _, event in entries])
                    last = entries[-1][1]
                    if last.kind in TERMINAL:
                        if last.kind == "result":
                            self.cache.put(plan.key, run.events)
                        run.end(complete=last.kind == "result")
                        return
        finally:
            if run.watchers == 0 and framelog.usable():
                with contextlib.suppress(LogDown):
                    await framelog.unwatch(plan.key)

    async def _produce(self, plan: RunPlan, run: LiveRun, framelog: FrameLog | None) -> None:
        """Compute the run here. Events ``run`` already has (from the log, before a takeover) are recomputed
        and checked, not published again; with ``framelog`` every new event is appended to the shared log."""
        producer = Producer(plan, self.settings, token=run.token)
        skip, made = len(run.events), 0
        self.runs_started += 1
        renewing: asyncio.Task[None] | None = None
        if framelog is not None:
            run.shared = True
            renewing = self._spawn(self._renew(plan.key, run, framelog))
            try:
                await framelog.count_computed()
            except LogDown:
                framelog = None
        lost = False
        try:
            while not producer.done:
                events = await self.hub.step(producer.index == 0 and skip == 0, producer.step)
                fresh = events[max(0, skip - made) :]
                self._check_replayed(plan, run.events[made : made + len(events) - len(fresh)], events)
                made += len(events)
                if framelog is not None and fresh:
                    try:
                        if not await framelog.append(plan.key, len(run.events) + 1, fresh):
                            lost = True  # another replica computes it too and wrote first: read it instead
                            break
                    except LogDown:
                        framelog = None
                run.publish(fresh)
        finally:
            producer.close()
            if renewing is not None:
                renewing.cancel()
            if not lost:  # before any await: a request arriving now must find the result, not recompute it
                if producer.complete:
                    self.cache.put(plan.key, run.events)
                run.end(producer.complete)
            if framelog is not None and not lost:
                with contextlib.suppress(LogDown):
                    await framelog.finish(plan.key, producer.complete)
        if lost and framelog is not None:
            await self._follow(plan, run, framelog)

    @staticmethod
    def _check_replayed(plan: RunPlan, logged: list[RunEvent], recomputed: list[RunEvent]) -> None:
        for before, again in zip(logged, recomputed, strict=False):
            if before.data != again.data:  # a run is a pure function: a mismatch is a determinism bug
                log.error(
                    "run %s of %s: recomputed %s differs from the log", plan.key[:12], plan.algorithm.id, again.kind
                )

    async def _renew(self, key: str, run: LiveRun, framelog: FrameLog) -> None:
        """Renew the lease while computing; cancel the run once nobody watches it on any replica."""
        while True:
            await asyncio.sleep(framelog.lease_ms / 3000)
            try:
                if not await framelog.renew(key):
                    log.warning("run %s: lost its lease (this process was too slow to renew it)", key[:12])
                if run.watchers == 0 and not await framelog.watched_elsewhere(key):
                    run.token.cancel()
            except LogDown:
                return

    def _idle(self, run: LiveRun) -> None:
        """The last local watcher left: leave the queue, or stop computing unless other replicas watch."""
        if run.position > 0:
            self.hub.abandon_queued(run)
        elif not (run.shared and self.framelog is not None and self.framelog.usable()):
            run.token.cancel()  # with a shared run, _renew cancels it once no replica watches it either

    def _spawn(self, coro: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ---- counters and shutdown ------------------------------------------------------------------------------

    async def stats(self) -> dict[str, Any]:
        redis: dict[str, Any] = {"status": "off"}
        if self.framelog is not None:
            redis = {"status": self.framelog.status, "takeovers": self.takeovers, "failures": self.framelog.failures}
            if self.framelog.usable():
                try:
                    redis["runs_computed"] = await self.framelog.runs_computed()
                except LogDown:
                    redis["status"] = "down"
        return {
            "worker": os.getpid(),
            "active_runs": self.hub.running,
            "queued_runs": self.hub.queued,
            "runs_started": self.runs_started,
            "runs_joined": self.runs_joined,
            "runs_replayed": self.runs_replayed,
            "max_concurrent_runs": self.settings.max_concurrent_runs,
            "max_queued_runs": self.settings.max_queued_runs,
            "cache": self.cache.stats(),
            "redis": redis,
        }

    async def close(self) -> None:
        await self.hub.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.framelog is not None:
            await self.framelog.close()
