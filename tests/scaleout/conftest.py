"""Fixtures for the scale-out tests: a real ``redis-server`` and real app processes sharing it.

* ``redis_server``: Debian's ``redis-server`` on a free port, no persistence, files in this test's temp dir,
  killed at the end (``scripts/ensure-redis`` installs it; without it every test here is skipped, saying so).
* ``start_apps(n, redis=...)``: ``n`` processes of ``python -m app serve`` (1 worker each) launched together
  (their imports overlap), each waited on ``/readyz``; with ``redis`` they share its frame log, with a short
  lease (``LEASE_MS``) so that a takeover after a SIGKILL comes within a second. All stopped at the end.

Parallel-safe under pytest-xdist: every port is picked free and every file lives under ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scaleout.procs import NO_REDIS, REDIS_SERVER, AppServer, RedisServer, StartApps

LEASE_MS = 600
READY_TIMEOUT_S = 240.0  # several processes importing torch and every lab at once on 2 shared cores


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if REDIS_SERVER is None:
        pytest.skip(NO_REDIS)
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def start_apps(tmp_path: Path) -> Iterator[StartApps]:
    """``start_apps(n, redis=None, **settings)`` → ``n`` ready app processes (``settings``: extra
    ``STEPWISE_*`` env, e.g. ``STEPWISE_CACHE_ENTRIES="0"``)."""
    started: list[AppServer] = []

    def start(n: int, redis: RedisServer | None = None, **settings: str) -> list[AppServer]:
        env = dict(settings)
        if redis is not None:
            env |= {"STEPWISE_REDIS_URL": redis.url, "STEPWISE_REDIS_LEASE_MS": str(LEASE_MS)}
        first = len(started)
        apps = [AppServer(tmp_path / f"app{first + i}.log", env, workers=1) for i in range(n)]
        for app in apps:
            started.append(app.launch())
        for app in apps:
            try:
                app.ready("/readyz", READY_TIMEOUT_S)
            except RuntimeError as exc:
                pytest.fail(str(exc))
        return apps

    try:
        yield start
    finally:
        for app in started:
            app.stop()
