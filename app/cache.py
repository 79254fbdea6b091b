"""Finished runs, keyed by the hash of their canonical request.

A run is a pure function of (algorithm, params, seed), so its encoded events can be replayed to anyone:
200 students opening one lesson link cost one computation. ``MemoryRunCache`` is the in-process LRU;
``RedisRunCache`` shares runs between replicas when ``STEPWISE_REDIS_URL`` is set.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import astuple, dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunEvent:
    """One encoded event of a run: ``kind`` is scene | frame | panels | result | error; ``data`` is JSON text."""

    kind: str
    data: str
    index: int | None = None


class RunCache(Protocol):
    def get(self, key: str) -> list[RunEvent] | None: ...

    def put(self, key: str, events: list[RunEvent]) -> None: ...

    def stats(self) -> dict[str, int]: ...


def _size(events: list[RunEvent]) -> int:
    return sum(len(event.data) for event in events)


class MemoryRunCache:
    """A thread-safe LRU bounded by entry count and by total characters of encoded events."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, list[RunEvent]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> list[RunEvent] | None:
        with self._lock:
            events = self._entries.get(key)
            if events is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return events

    def put(self, key: str, events: list[RunEvent]) -> None:
        size = _size(events)
        if self._max_entries == 0 or size > self._max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._bytes -= _size(self._entries.pop(key))
            self._entries[key] = events
            self._bytes += size
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, old = self._entries.popitem(last=False)
                self._bytes -= _size(old)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}


class RedisRunCache:
    """The same interface over Redis, so every replica reuses every other replica's runs."""

    def __init__(self, url: str, ttl_s: int = 24 * 3600) -> None:
        import redis  # imported here: only deployments with STEPWISE_REDIS_URL need it

        self._client = redis.Redis.from_url(url)
        self._ttl_s = ttl_s
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> list[RunEvent] | None:
        try:
            raw = self._client.get(f"stepwise:run:{key}")
        except Exception:  # a cache outage must not fail a run
            log.warning("redis get failed", exc_info=True)
            return None
        if raw is None:
            self.misses += 1
            return None
        self.hits += 1
        return [RunEvent(*row) for row in json.loads(raw)]

    def put(self, key: str, events: list[RunEvent]) -> None:
        try:
            self._client.setex(f"stepwise:run:{key}", self._ttl_s, json.dumps([astuple(e) for e in events]))
        except Exception:
            log.warning("redis put failed", exc_info=True)

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}
