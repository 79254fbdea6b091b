"""Scale-out for real: a real ``redis-server`` and two app processes sharing its frame log (issue 11, "Prove it").

1. The same run asked of both processes at once is computed once, and both get the same bytes.
2. A reader that hangs up half-way on A and resumes on B with ``Last-Event-ID`` has what one read has.
3. SIGKILL of the computing process mid-run: readers on the other one still get the whole run, identical to
   the run computed by a fresh process without Redis, and the survivor counts one takeover.
4. Redis killed: runs are still served (200, complete, nothing 5xx) and ``/api/v1/stats`` says ``down``.

"The same bytes" compares the events of the run (name, id, data, in order, with the exact data text); an
``event: queued`` (how long this reader waited) is not part of the run and is left out of the comparison.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from tests.scaleout.procs import (
    NO_REDIS,
    REDIS_SERVER,
    AppServer,
    RedisServer,
    RunRead,
    SseEvent,
    StartApps,
    payload,
    read_run,
)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(REDIS_SERVER is None, reason=NO_REDIS)]

LAB = "neural-network"


def _redis(app: AppServer) -> dict[str, Any]:
    redis: dict[str, Any] = app.stats()["redis"]
    return redis


def _engines(*apps: AppServer) -> int:
    return sum(int(app.stats()["runs_started"]) for app in apps)


def _complete(read: RunRead) -> None:
    assert read.status == 200, read.text[:500]
    assert read.complete, f"the stream ended without its result: {read.events[-1:]}"
    assert not any(e.event == "error" for e in read.events), [e for e in read.events if e.event == "error"]


def _in_threads(*calls: Any) -> list[Any]:
    """Run each zero-argument call in a thread of its own, released together; their results (or errors)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # handed back to the test, which fails on it
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return results


def test_same_run_on_both_processes_is_computed_once(redis_server: RedisServer, start_apps: StartApps) -> None:
    a, b = start_apps(2, redis=redis_server)
    assert _redis(a)["status"] == "ok" and _redis(b)["status"] == "ok"
    before = _redis(a)["runs_computed"]
    body = {"params": {"epochs": 150}, "seed": 101}  # about a second and a half: both asks overlap it

    on_a, on_b = _in_threads(lambda: read_run(a.url, LAB, body), lambda: read_run(b.url, LAB, body))

    for read in (on_a, on_b):
        assert not isinstance(read, Exception), read
        _complete(read)
    assert payload(on_a.events) == payload(on_b.events)
    assert _redis(b)["runs_computed"] == before + 1
    assert _engines(a, b) == 1, "one engine ran the run, on one of the two processes"


def test_resume_on_the_other_process_gives_the_same_bytes(redis_server: RedisServer, start_apps: StartApps) -> None:
    a, b = start_apps(2, redis=redis_server)
    body = {"params": {"epochs": 200}, "seed": 202}  # 40 frames
    cut = 10

    half = read_run(a.url, LAB, body, stop_after_frame=cut)  # hangs up on A right after frame 10
    rest = read_run(b.url, LAB, body, last_event_id=cut)  # and goes on on B
    whole = read_run(a.url, LAB, body)  # one uninterrupted read, for comparison
    again = read_run(b.url, LAB, body)

    for read in (rest, whole, again):
        _complete(read)
    full = payload(whole.events)
    assert payload(again.events) == full
    mine = payload(half.events)
    assert mine and mine[-1] == SseEvent("frame", str(cut), mine[-1].data)
    assert mine == full[: len(mine)], "what A sent before the hang-up is the start of the run"
    skipped = [e for e in full if not (e.event == "frame" and e.id is not None and int(e.id) <= cut)]
    assert payload(rest.events) == skipped, "B sends the run from frame 11 on (and its scene/result)"


def test_sigkill_of_the_computing_process_loses_nothing(redis_server: RedisServer, start_apps: StartApps) -> None:
    a, b = start_apps(2, redis=redis_server)
    (fresh,) = start_apps(1)  # no Redis: the reference computation
    body = {"params": {"epochs": 300}, "seed": 303}  # 60 frames, 3-5 s of compute
    seen_on_b: list[SseEvent] = []
    reads: dict[str, Any] = {}

    def read(name: str, app: AppServer, on_event: Any = None) -> None:
        try:
            reads[name] = read_run(app.url, LAB, body, on_event=on_event)
        except httpx.HTTPError as exc:  # the reader on A loses its connection when A dies
            reads[name] = exc

    reader_a = threading.Thread(target=read, args=("a", a))
    reader_a.start()
    _wait(lambda: a.stats()["runs_started"] >= 1, "A to start computing the run")
    reader_b = threading.Thread(target=read, args=("b", b, seen_on_b.append))
    reader_b.start()
    _wait(lambda: sum(e.event == "frame" for e in seen_on_b) >= 5, "B's reader to get 5 frames")
    assert _engines(b) == 0, "B reads A's run from the log; it does not compute it too"
    assert not any(e.event == "result" for e in seen_on_b), "the run ended before the kill: make it longer"

    a.kill()  # SIGKILL: no goodbye, the lease lapses
    reader_b.join(120)
    reader_a.join(30)

    on_b = reads["b"]
    assert not isinstance(on_b, Exception), on_b
    _complete(on_b)
    reference = read_run(fresh.url, LAB, body)
    _complete(reference)
    assert payload(on_b.events) == payload(reference.events), "the taken-over run is the same run, byte for byte"
    assert _redis(b)["takeovers"] == 1


def test_redis_down_serves_from_the_process(redis_server: RedisServer, start_apps: StartApps) -> None:
    (app,) = start_apps(1, redis=redis_server)
    kmeans = {"seed": 7}
    first = read_run(app.url, "kmeans", kmeans)
    _complete(first)
    assert _redis(app)["status"] == "ok"

    redis_server.kill()

    again = read_run(app.url, "kmeans", kmeans)  # computed before: from the in-process cache
    new = read_run(app.url, LAB, {"seed": 404})  # never computed: computed here, alone
    as_json = httpx.post(app.url + "/api/v1/algorithms/pca/runs", json={"seed": 1}, timeout=60)
    health = httpx.get(app.url + "/healthz", timeout=10)
    statuses = [again.status, new.status, as_json.status_code, health.status_code]
    assert all(status < 500 for status in statuses), statuses
    _complete(again)
    _complete(new)
    assert as_json.status_code == 200 and as_json.json()["result"] is not None
    assert payload(again.events) == payload(first.events)
    _wait(lambda: _redis(app)["status"] == "down", '/api/v1/stats to say redis "down"', timeout_s=10)


def _wait(condition: Any, what: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s:g} s for {what}")
        time.sleep(0.02)
