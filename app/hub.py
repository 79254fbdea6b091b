"""Runs in flight, shared by everyone who asks for them, and the fair scheduling of their CPU.

* ``LiveRun``: one distinct run being computed (or read from another replica). Its events so far are kept in
  order; every request for the same run attaches to it and reads them all, then live (``follow``). 200
  students opening one link cost one computation.
* Admission: up to ``max_running`` live runs at once, then up to ``max_queued`` wait in arrival order (their
  followers see their ``position``), then ``Busy`` (a 503 with Retry-After).
* ``CpuGate``: live runs do not hold a core for their whole life; each engine step takes one of ``cpu_slots``
  permits and gives it back, so runs share the CPU frame by frame, and a run's first frame (cheap, and what a
  learner waits for) goes ahead of the other runs' later frames.
* A run nobody watches any more is abandoned: its ``on_idle`` callback decides (by default its token is
  cancelled, so the engine stops at its next ``checkpoint()``).

Everything here runs on the event loop; only the steps themselves run in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import anyio

from app.cache import RunEvent
from app.core.budget import StopToken
from app.encoding import dumps

log = logging.getLogger(__name__)
T = TypeVar("T")


class Busy(Exception):
    """Every place to compute and every place in the queue is taken."""


class CpuGate:
    """``slots`` permits; waiters for a first frame go before the others; arrival order within each."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._waiting: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (deque(), deque())

    async def acquire(self, first: bool) -> None:
        if self._free > 0 and not (self._waiting[0] or self._waiting[1]):
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._waiting[0 if first else 1]
        queue.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed the permit just as we were cancelled: pass it on
            else:
                queue.remove(future)
            raise

    def release(self) -> None:
        for queue in self._waiting:
            while queue:
                future = queue.popleft()
                if not future.done():
                    future.set_result(None)
                    return
        self._free += 1


@dataclass(eq=False)
class LiveRun:
    """One distinct run in flight. ``events`` only grows; ``done`` once the last event is in."""

    key: str
    token: StopToken = field(default_factory=StopToken)
    events: list[RunEvent] = field(default_factory=list)
    done: bool = False
    complete: bool = False
    position: int = 0  # 0: admitted; n ≥ 1: n-th waiting in the queue
    watchers: int = 0
    shared: bool = False  # computed here into the shared frame log (other replicas may be watching)
    on_idle: Callable[[LiveRun], None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _admitted: asyncio.Event = field(default_factory=asyncio.Event)

    def publish(self, events: list[RunEvent]) -> None:
        if events:
            self.events.extend(events)
            self._wake()

    def end(self, complete: bool) -> None:
        self.done, self.complete = True, complete
        self._wake()

    def _wake(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def follow(self, after: int = -1, queued: bool = False) -> AsyncIterator[RunEvent]:
        """Every event so far and then each as it comes, frames with index ≤ ``after`` skipped; with ``queued``,
        a ``queued`` event ``{"position"}`` whenever the run's place in the queue changes."""
        read, shown = 0, 0
        while True:
            while read < len(self.events):
                event = self.events[read]
                read += 1
                if event.index is None or event.index > after:
                    yield event
            if self.done:
                return
            if queued and self.position != shown:
                shown = self.position
                if shown > 0:
                    yield RunEvent("queued", dumps({"position": shown}))
            await self._changed.wait()


class Subscription:
    """One request attached to a live run; ``close`` (idempotent) detaches it, and the last to leave idles it."""

    def __init__(self, run: LiveRun) -> None:
        self.run = run
        self._open = True
        run.watchers += 1

    def close(self) -> None:
        if self._open:
            self._open = False
            self.run.watchers -= 1
            if self.run.watchers == 0 and not self.run.done and self.run.on_idle is not None:
                self.run.on_idle(self.run)


def cancel_when_idle(run: LiveRun) -> None:
    run.token.cancel()


class RunHub:
    """The live runs of this process, their admission queue and the CPU gate."""

    def __init__(self, max_running: int, max_queued: int, cpu_slots: int) -> None:
        self.max_running, self.max_queued = max_running, max_queued
        self.live: dict[str, LiveRun] = {}
        self._running: set[LiveRun] = set()
        self._queue: deque[LiveRun] = deque()
        self._gate = CpuGate(cpu_slots)
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def queued(self) -> int:
        return len(self._queue)

    def has_room(self) -> bool:
        return len(self._running) < self.max_running or len(self._queue) < self.max_queued

    def launch(self, key: str, work: Callable[[LiveRun], Awaitable[None]]) -> LiveRun:
        """A new live run for ``key`` (raises ``Busy`` when there is no room), with ``work`` started as a task
        once it is admitted. Attach to it (``Subscription``) before awaiting anything, or it idles at once."""
        if not self.has_room():
            raise Busy
        run = LiveRun(key, on_idle=cancel_when_idle)
        self.live[key] = run
        if len(self._running) < self.max_running:
            self._admit(run)
        else:
            self._queue.append(run)
            self._renumber()
        task = asyncio.get_running_loop().create_task(self._drive(run, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run

    async def _drive(self, run: LiveRun, work: Callable[[LiveRun], Awaitable[None]]) -> None:
        try:
            await run._admitted.wait()
            if not run.token.cancelled:
                await work(run)
        except Exception:
            log.exception("run %s failed outside its engine", run.key[:12])
        finally:
            if not run.done:
                run.end(complete=False)
            self._retire(run)

    def _admit(self, run: LiveRun) -> None:
        self._running.add(run)
        run.position = 0
        run._admitted.set()
        run._wake()

    def _retire(self, run: LiveRun) -> None:
        if self.live.get(run.key) is run:
            del self.live[run.key]
        if run in self._queue:
            self._queue.remove(run)
        self._running.discard(run)
        while self._queue and len(self._running) < self.max_running:
            self._admit(self._queue.popleft())
        self._renumber()

    def _renumber(self) -> None:
        for place, waiting in enumerate(self._queue, start=1):
            if waiting.position != place:
                waiting.position = place
                waiting._wake()

    def abandon_queued(self, run: LiveRun) -> None:
        """A queued run nobody waits for leaves the queue at once (its task ends without computing)."""
        if run in self._queue:
            run.token.cancel()
            self._queue.remove(run)
            self._renumber()
            run._admitted.set()

    async def step(self, first: bool, fn: Callable[[], T]) -> T:
        """Run ``fn`` (one engine step) in a worker thread once a CPU permit is free."""
        await self._gate.acquire(first)
        try:
            return await anyio.to_thread.run_sync(fn)
        finally:
            self._gate.release()

    async def close(self) -> None:
        """Cancel every live run (server shutdown)."""
        for run in list(self.live.values()):
            run.token.cancel()
            self.abandon_queued(run)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
