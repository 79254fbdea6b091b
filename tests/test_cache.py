"""The in-process LRU of finished runs: its bounds, and its compact storage (one blob per run)."""

from __future__ import annotations

from app.cache import ENTRY_OVERHEAD, MemoryRunCache, PackedRun, RunEvent

EVENTS = [
    RunEvent("scene", '{"data":[]}'),
    RunEvent("frame", '{"index":0,"caption":"Point é moved"}', 0),
    RunEvent("frame", '{"index":1}', 1),
    RunEvent("panels", "[]"),
    RunEvent("result", "{}"),
]


def test_lru_evicts_the_least_recently_used() -> None:
    cache = MemoryRunCache(max_entries=2, max_bytes=10_000)
    cache.put("a", EVENTS)
    cache.put("b", EVENTS)
    assert cache.get("a") == EVENTS  # a is now the most recent
    cache.put("c", EVENTS)
    assert cache.get("b") is None and cache.get("a") == EVENTS and cache.get("c") == EVENTS
    assert cache.stats()["entries"] == 2


def test_lru_respects_its_byte_budget() -> None:
    size = PackedRun.pack(EVENTS).nbytes
    cache = MemoryRunCache(max_entries=100, max_bytes=2 * size)
    for key in "abc":
        cache.put(key, EVENTS)
    assert cache.stats()["bytes"] <= 2 * size and cache.get("a") is None
    small = MemoryRunCache(max_entries=100, max_bytes=size - 1)
    small.put("x", EVENTS)  # too big: silently not kept
    assert small.get("x") is None


def test_a_run_is_stored_as_one_blob_and_comes_back_identical() -> None:
    packed = PackedRun.pack(EVENTS)
    assert packed.unpack() == EVENTS  # kinds, indices and non-ASCII data round-trip
    utf8 = sum(len(event.data.encode()) for event in EVENTS)
    assert len(packed.blob) == utf8 and packed.nbytes == utf8 + 8 * 3 * len(EVENTS) + ENTRY_OVERHEAD


def test_queued_events_are_never_cached() -> None:
    cache = MemoryRunCache(max_entries=4, max_bytes=10_000)
    cache.put("q", [RunEvent("queued", '{"position":1}'), *EVENTS])
    assert cache.get("q") is None
