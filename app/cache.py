"""Finished runs, keyed by the hash of their canonical request, stored once and compactly.

A run is a pure function of (algorithm, params, seed), so its encoded events can be replayed to anyone:
200 students opening one lesson link cost one computation. ``MemoryRunCache`` is the in-process LRU. Across
replicas the shared store is the Redis frame log (``app.framelog``), which holds computing runs as well.

A cached run is one ``bytes`` blob (every event's UTF-8 data back to back) plus a small offsets table, not a
list of Python strings: its byte count is what the process spends on it (a string per event costs its object
header and fragments the heap across worker threads), so ``STEPWISE_CACHE_BYTES`` means what it says.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

KINDS = ("scene", "frame", "panels", "result", "error")


@dataclass(frozen=True, slots=True)
class RunEvent:
    """One encoded event of a run: ``kind`` is scene | frame | panels | result | error (or ``queued``, which is
    never stored); ``data`` is JSON text; ``index`` is a frame's index (``None`` for the other kinds)."""

    kind: str
    data: str
    index: int | None = None


class RunCache(Protocol):
    def get(self, key: str) -> list[RunEvent] | None: ...

    def put(self, key: str, events: list[RunEvent]) -> None: ...

    def stats(self) -> dict[str, int]: ...


ENTRY_OVERHEAD = 400  # bytes an entry costs beyond its blob and table: the key, the objects, the dict slot


@dataclass(frozen=True, slots=True)
class PackedRun:
    """A run's events in one blob. ``table`` holds 3 ints per event: kind code, frame index (−1: none), end offset."""

    blob: bytes
    table: array  # type: ignore[type-arg]  # array('q'), typed loosely by typeshed

    @classmethod
    def pack(cls, events: list[RunEvent]) -> PackedRun:
        parts = [event.data.encode() for event in events]
        table = array("q")
        end = 0
        for event, part in zip(events, parts, strict=True):
            end += len(part)
            table.extend((KINDS.index(event.kind), -1 if event.index is None else event.index, end))
        return cls(b"".join(parts), table)

    def unpack(self) -> list[RunEvent]:
        out, start, table = [], 0, self.table
        for row in range(0, len(table), 3):
            code, index, end = table[row], table[row + 1], table[row + 2]
            out.append(RunEvent(KINDS[code], self.blob[start:end].decode(), None if index < 0 else index))
            start = end
        return out

    @property
    def nbytes(self) -> int:
        return len(self.blob) + self.table.itemsize * len(self.table) + ENTRY_OVERHEAD


class MemoryRunCache:
    """A thread-safe LRU bounded by entry count and by the bytes its packed runs occupy."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, PackedRun] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> list[RunEvent] | None:
        with self._lock:
            packed = self._entries.get(key)
            if packed is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return packed.unpack()

    def put(self, key: str, events: list[RunEvent]) -> None:
        if self._max_entries == 0 or any(event.kind not in KINDS for event in events):
            return
        packed = PackedRun.pack(events)
        if packed.nbytes > self._max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._bytes -= self._entries.pop(key).nbytes
            self._entries[key] = packed
            self._bytes += packed.nbytes
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, old = self._entries.popitem(last=False)
                self._bytes -= old.nbytes

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}
