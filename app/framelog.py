"""The shared frame log: every replica's runs in Redis, so a class behind a load balancer costs one computation.

For each run (its cache key ``K``):

* ``stepwise:log:K`` — a Redis Stream of the run's encoded events in order, entry ``0-n`` being the n-th event
  (fields ``k`` kind, ``d`` data, ``i`` frame index or empty). Explicit ids make appends fenced: if two replicas
  ever both think they compute a run, the second one's ``XADD 0-n`` fails (the id is taken), and it turns reader.
  A finished run's log stays ``ttl_s`` (it is the shared cache); one that ended otherwise (a limit, a fault,
  cancelled) expires in ``STALE_S``.
* ``stepwise:lock:K`` — which replica computes the run, with a lease the computing replica renews; when the
  replica dies the lease lapses and a reader on another replica claims the run and recomputes it from the start,
  appending only the events after the log's last (a run is a pure function, so they are byte-identical).
* ``stepwise:readers:K`` — replicas with someone watching the run, each until a time (a sorted set), so the
  computing replica does not cancel a run whose only watchers are elsewhere.

Every call raises ``LogDown`` when Redis fails, after which ``usable()`` is false for ``retry_s``: the service
then serves from its own process (and says so in ``/api/v1/stats``) instead of failing requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError

from app.cache import RunEvent

log = logging.getLogger(__name__)
T = TypeVar("T")

STALE_S = 60  # how long a log that did not end in a result is kept (readers in flight finish reading it)
TERMINAL = ("result", "error")

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LogDown(Exception):
    """Redis did not answer (or answered an error): serve without the shared log for a while."""


def _entry(event: RunEvent) -> dict[str, str]:
    return {"k": event.kind, "d": event.data, "i": "" if event.index is None else str(event.index)}


def _event(fields: dict[bytes, bytes]) -> RunEvent:
    index = fields[b"i"]
    return RunEvent(fields[b"k"].decode(), fields[b"d"].decode(), int(index) if index else None)


def _seq(entry_id: bytes | str) -> int:
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    return int(text.split("-")[1])


class FrameLog:
    """Async access to the shared frame log of one Redis, for the replica ``replica``."""

    def __init__(self, url: str, replica: str, lease_ms: int, ttl_s: int, retry_s: float) -> None:
        self._redis = aioredis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=1.0)
        self.replica, self.lease_ms, self.ttl_s, self.retry_s = replica, lease_ms, ttl_s, retry_s
        self._down_until = 0.0
        self.failures = 0

    def usable(self) -> bool:
        return time.monotonic() >= self._down_until

    @property
    def status(self) -> str:
        return "ok" if self.usable() else "down"

    async def _call(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except (RedisError, OSError) as exc:
            raise self._fail(exc) from exc

    @staticmethod
    def _keys(key: str) -> tuple[str, str, str]:
        return f"stepwise:log:{key}", f"stepwise:lock:{key}", f"stepwise:readers:{key}"

    async def snapshot(self, key: str) -> tuple[list[RunEvent], bool]:
        """The log's events so far and whether a replica holds the run's lock."""
        stream, lock, _ = self._keys(key)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xrange(stream)
            pipe.exists(lock)
            entries, locked = await self._call(pipe.execute())
        return [_event(fields) for _, fields in entries], bool(locked)

    async def discard(self, key: str) -> None:
        await self._call(self._redis.delete(self._keys(key)[0]))

    async def claim(self, key: str) -> bool:
        return bool(await self._call(self._redis.set(self._keys(key)[1], self.replica, nx=True, px=self.lease_ms)))

    async def renew(self, key: str) -> bool:
        return bool(await self._call(self._redis.eval(_RENEW, 1, self._keys(key)[1], self.replica, self.lease_ms)))

    async def release(self, key: str) -> None:
        await self._call(self._redis.eval(_RELEASE, 1, self._keys(key)[1], self.replica))

    async def locked(self, key: str) -> bool:
        return bool(await self._call(self._redis.exists(self._keys(key)[1])))

    async def append(self, key: str, first_seq: int, events: list[RunEvent]) -> bool:
        """Add ``events`` as entries ``first_seq``, ``first_seq + 1``, … (1-based); False if another replica
        already wrote one of those entries (this replica lost the run and must only read it now)."""
        if not events:
            return True
        stream = self._keys(key)[0]
        async with self._redis.pipeline(transaction=False) as pipe:
            for offset, event in enumerate(events):
                pipe.xadd(stream, _entry(event), id=f"0-{first_seq + offset}")  # type: ignore[arg-type]
            pipe.pexpire(stream, self.lease_ms * 20 + STALE_S * 1000)
            results: list[Any] = await self._call(pipe.execute(raise_on_error=False))
        for result in results:
            if isinstance(result, ResponseError):
                if "equal or smaller" in str(result):
                    return False
                raise self._fail(result)
            if isinstance(result, Exception):
                raise self._fail(result)
        return True

    def _fail(self, exc: BaseException) -> LogDown:
        """Mark Redis down for ``retry_s`` and return the error to raise."""
        self.failures += 1
        self._down_until = time.monotonic() + self.retry_s
        log.warning(
            "redis unavailable (%s: %s); serving from this process for %g s", type(exc).__name__, exc, self.retry_s
        )
        return LogDown(str(exc))

    async def read(self, key: str, after_seq: int, block_ms: int | None) -> list[tuple[int, RunEvent]]:
        """Entries after ``after_seq``, waiting up to ``block_ms`` for the first one (``None``: not at all)."""
        stream = self._keys(key)[0]
        answer: Any = await self._call(self._redis.xread({stream: f"0-{after_seq}"}, count=1000, block=block_ms))
        if not answer:
            return []
        _, entries = answer[0]  # RESP2: [[stream, [(id, {field: value}), ...]]]
        return [(_seq(entry_id), _event(fields)) for entry_id, fields in entries]

    async def finish(self, key: str, complete: bool) -> None:
        """Keep a finished run's log as the shared cache; let any other expire soon. Then give the lock back."""
        stream, _, readers = self._keys(key)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.expire(stream, self.ttl_s if complete else STALE_S)
            pipe.delete(readers)
            await self._call(pipe.execute())
        await self.release(key)

    async def watch(self, key: str) -> None:
        """Say this replica has someone watching ``key`` for the next two leases."""
        readers = self._keys(key)[2]
        until = time.time() + 2 * self.lease_ms / 1000
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(readers, {self.replica: until})
            pipe.pexpire(readers, 4 * self.lease_ms)
            await self._call(pipe.execute())

    async def unwatch(self, key: str) -> None:
        await self._call(self._redis.zrem(self._keys(key)[2], self.replica))

    async def watched_elsewhere(self, key: str) -> bool:
        readers = self._keys(key)[2]
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(readers, "-inf", time.time())
            pipe.zrange(readers, 0, -1)
            _, members = await self._call(pipe.execute())
        return any(member.decode() != self.replica for member in members)

    async def count_computed(self) -> None:
        await self._call(self._redis.incr("stepwise:stats:runs_computed"))

    async def runs_computed(self) -> int:
        value = await self._call(self._redis.get("stepwise:stats:runs_computed"))
        return int(value or 0)

    async def close(self) -> None:
        await self._redis.aclose()
