"""The run caches: the in-process LRU's bounds, and the Redis backend's round trip (against a fake client)."""

from __future__ import annotations

from typing import Any

import pytest

from app.cache import MemoryRunCache, RedisRunCache, RunEvent

EVENTS = [RunEvent("scene", '{"data":[]}'), RunEvent("frame", '{"index":0}', 0), RunEvent("result", "{}")]


def test_lru_evicts_the_least_recently_used() -> None:
    cache = MemoryRunCache(max_entries=2, max_bytes=10_000)
    cache.put("a", EVENTS)
    cache.put("b", EVENTS)
    assert cache.get("a") == EVENTS  # a is now the most recent
    cache.put("c", EVENTS)
    assert cache.get("b") is None and cache.get("a") == EVENTS and cache.get("c") == EVENTS
    assert cache.stats()["entries"] == 2


def test_lru_respects_its_byte_budget() -> None:
    size = sum(len(e.data) for e in EVENTS)
    cache = MemoryRunCache(max_entries=100, max_bytes=2 * size)
    for key in "abc":
        cache.put(key, EVENTS)
    assert cache.stats()["bytes"] <= 2 * size and cache.get("a") is None
    MemoryRunCache(max_entries=100, max_bytes=size - 1).put("x", EVENTS)  # too big: silently not kept


class _FakeRedis:
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.store.get(key)

    def setex(self, key: str, ttl: int, value: str) -> None:
        self.store[key] = value.encode()


def test_redis_cache_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    fake = _FakeRedis()
    monkeypatch.setattr(redis.Redis, "from_url", staticmethod(lambda url: fake))
    cache = RedisRunCache("redis://example:6379/0")
    assert cache.get("k") is None
    cache.put("k", EVENTS)
    assert cache.get("k") == EVENTS
    assert cache.stats() == {"hits": 1, "misses": 1}


def test_redis_outage_is_a_miss_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    class _Down:
        def get(self, key: str) -> Any:
            raise ConnectionError("down")

        def setex(self, *args: Any) -> None:
            raise ConnectionError("down")

    monkeypatch.setattr(redis.Redis, "from_url", staticmethod(lambda url: _Down()))
    cache = RedisRunCache("redis://example:6379/0")
    cache.put("k", EVENTS)
    assert cache.get("k") is None
