"""``/readyz``: 503 while the worker primes its labs, 200 after; ``/healthz`` answers throughout.

Each test gives its app a fresh ``Readiness`` (the process's own, ``app.readiness.PROCESS``, primes once per
process and is shared by every app), with an extra start-up task that waits on a gate the test opens."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import readiness as readiness_module
from app.main import create_app
from app.readiness import PROCESS, Readiness, prime_lab
from app.settings import Settings


def _wait_ready(client: TestClient, timeout: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/readyz")
        if response.status_code == 200:
            body: dict[str, Any] = response.json()
            return body
        assert time.monotonic() < deadline, response.json()
        time.sleep(0.05)


def _client_with(readiness: Readiness, settings: Settings | None = None) -> TestClient:
    app = create_app(settings or Settings())
    app.state.readiness = readiness
    return TestClient(app)


def test_starting_then_ready_and_healthz_answers_throughout() -> None:
    gate = threading.Event()

    def held() -> None:
        gate.wait(30)

    readiness = Readiness(extra=(held,))
    with _client_with(readiness) as client:  # the lifespan starts priming
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "starting"
        assert "priming" in body["detail"]
        assert response.headers["cache-control"] == "no-store"
        started = time.perf_counter()
        assert client.get("/healthz").json() == {"status": "ok"}
        assert time.perf_counter() - started < 1.0  # priming runs in a thread, not on the event loop
        gate.set()
        body = _wait_ready(client)
    assert body["status"] == "ready"
    assert body["primed"] == len(readiness.primed) > 0
    assert "failed" not in body


def test_every_lab_is_primed_and_a_broken_one_does_not_keep_the_worker_unready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.catalog import all_algorithms

    def prime_or_break(algorithm: Any, settings: Settings, stop: Any = None) -> None:
        if algorithm.id == "kmeans":
            raise RuntimeError("kmeans is broken today")
        prime_lab(algorithm, settings, stop)

    monkeypatch.setattr(readiness_module, "prime_lab", prime_or_break)
    readiness = Readiness()
    with _client_with(readiness) as client:
        body = _wait_ready(client)
    assert body["failed"] == {"kmeans": "RuntimeError: kmeans is broken today"}
    assert sorted(readiness.primed) == sorted(a.id for a in all_algorithms() if a.id != "kmeans")


def test_a_stuck_start_gives_up_waiting_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    monkeypatch.setattr(readiness_module, "prime_lab", lambda algorithm, settings, stop=None: gate.wait(10))
    readiness = Readiness()
    with _client_with(readiness, Settings(prime_give_up_s=0.2)) as client:
        body = _wait_ready(client, timeout=10)
        gate.set()
    assert body["status"] == "ready"
    assert "gave up waiting" in body["detail"]


def test_not_started_is_not_ready() -> None:
    ready, body = Readiness().status()
    assert not ready
    assert body["status"] == "starting"


def test_the_process_primes_once_for_every_app() -> None:
    with TestClient(create_app(Settings())) as first:
        _wait_ready(first)
    started = PROCESS.started_at
    with TestClient(create_app(Settings())) as second:
        assert second.get("/readyz").status_code == 200  # already primed: ready at once
    assert PROCESS.started_at == started


def test_readyz_is_in_the_openapi_with_its_503(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/readyz"]["get"]
    assert set(operation["responses"]) >= {"200", "503"}
