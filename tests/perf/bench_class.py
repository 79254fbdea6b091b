"""A class opens one lesson link: a real server (``--workers 2``) and students simulated with asyncio + httpx.

Run: ``python -m tests.perf.bench_class [--scenario same|distinct|fresh|all] [--redis]``.

* ``same``: 200 students open the same neural-network link (the lab's defaults, ``figure=true``, SSE), their
  arrivals spread uniformly at random over 5 s. Goals: 0 errors, first frame p95 ≤ 1 s, the run computed once
  (once per worker without Redis; once in all with it: ``redis.runs_computed``).
* ``distinct``: 50 students with 50 distinct neural-network configs (seeds and hidden sizes). Goals: 0 errors,
  first frame p95 ≤ 2 s.
* ``fresh``: ``same``'s first wave on a server just started: timing starts as soon as the port accepts (not
  at ``/readyz``). Goal: first frame p95 ≤ 1 s.

Each scenario gets a server of its own (and, with ``--redis``, a ``redis-server`` of its own on a free port,
``STEPWISE_REDIS_URL``), so no scenario is served from another's cache. A student does what the page does
(``static/js/algorithm-page.js`` and ``api.js``): it GETs the lab (for its defaults) and the datasets, POSTs
the run with ``Accept: text/event-stream`` and ``Accept-Encoding: gzip, deflate``, reads the whole stream; on a
503 it waits ``Retry-After`` (2 s without one) and asks again, at most 5 times; a stream that breaks before
its result is resumed with ``Last-Event-ID`` at most 3 times (after 0.3 s × attempt). An error is a student
who still has no result after that (or got ``event: error``, or another HTTP status). Times are from the
student's arrival. The bench client shares the 2 cores with the server: its own CPU time is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import resource
import ssl
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.perf.timing import load
from tests.scaleout.procs import REDIS_SERVER, AppServer, RedisServer, run_path

LAB = "neural-network"
ARRIVALS_S = 5.0
PAGE_503_RETRIES, PAGE_RESUMES = 5, 3  # algorithm-page.js: page.retries < 5; api.js streamRun: retries = 3
HIDDEN = ([8, 8], [4], [6, 6], [8], [4, 4])  # the distinct configs: seed i, hidden sizes HIDDEN[i % 5]


@dataclass
class Student:
    arrive: float  # seconds after the wave starts
    body: dict[str, Any] | None = None  # None: the lab's defaults, as the page sends them (from GET /algorithms/ID)
    first_frame: float | None = None
    done: float | None = None
    wire_bytes: int = 0  # the run's bytes as received (compressed when the server compressed)
    busy: int = 0  # 503s seen
    queued: int = 0  # `event: queued` seen
    resumes: int = 0
    broke: str | None = None  # why the last resume was needed
    error: str | None = None


@dataclass
class _Scan:
    """Incremental SSE scanner over bytes: names and ids only (the data is not decoded: the client is cheap)."""

    buffer: bytes = b""
    events: list[tuple[bytes, bytes | None]] = field(default_factory=list)
    error: bytes = b""  # the text of an `event: error`, kept to be printed

    def feed(self, chunk: bytes) -> None:
        start = max(0, len(self.buffer) - 1)
        self.buffer += chunk
        cut = 0
        while (end := self.buffer.find(b"\n\n", start)) != -1:
            self.events.append(_meta(self.buffer, cut, end))
            if self.events[-1][0] == b"error":
                self.error = self.buffer[cut:end]
            cut = start = end + 2
        if cut:
            self.buffer = self.buffer[cut:]


def _meta(text: bytes, pos: int, end: int) -> tuple[bytes, bytes | None]:
    """(event name, id) of the event text[pos:end], skipping over its (long) data line without copying it."""
    name, ident = b"message", None
    while pos < end:
        stop = text.find(b"\n", pos, end)
        stop = end if stop == -1 else stop
        if text.startswith(b"event:", pos):
            name = text[pos + 6 : stop].strip()
        elif text.startswith(b"id:", pos):
            ident = text[pos + 3 : stop].strip()
        pos = stop + 1
    return name, ident


async def _defaults(client: httpx.AsyncClient) -> dict[str, Any]:
    """What the page fetches before its first run (in parallel): the lab and the datasets; the lab's defaults."""
    lab, datasets = await asyncio.gather(client.get(f"/api/v1/algorithms/{LAB}"), client.get("/api/v1/datasets"))
    lab.raise_for_status()
    datasets.raise_for_status()
    defaults: dict[str, Any] = lab.json()["defaults"]
    return defaults


async def _student(base_url: str, s: Student, wave_start: float, tls: ssl.SSLContext) -> None:
    """One student's browser: connections of its own (kept alive 4 s, under uvicorn's 5 s, so that a reused
    connection is never one the server is closing: a browser retries those, httpx would not)."""
    await asyncio.sleep(max(0.0, wave_start + s.arrive - time.perf_counter()))
    limits = httpx.Limits(max_connections=6, keepalive_expiry=4.0)  # a browser's 6 per host
    timeout = httpx.Timeout(300.0, connect=60.0)  # like an SSE-friendly load balancer's long read timeout
    headers = {"Accept-Encoding": "gzip, deflate"}  # what this client decodes (a browser also offers br, zstd)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=timeout, headers=headers, verify=tls
    ) as client:
        await _visit(client, s)


async def _visit(client: httpx.AsyncClient, s: Student) -> None:
    t0 = time.perf_counter()
    last_id: bytes | None = None
    try:
        body = s.body or {"params": await _defaults(client), "seed": 0}
    except httpx.HTTPError as exc:
        s.error = f"loading the lab: {exc!r}"
        return
    while True:
        headers = {"Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = last_id.decode()
        scan = _Scan()
        try:
            async with client.stream("POST", run_path(LAB), json=body, headers=headers) as response:
                if response.status_code == 503:
                    s.busy += 1
                    await response.aread()
                    s.wire_bytes += response.num_bytes_downloaded
                    if s.busy > PAGE_503_RETRIES:
                        s.error = f"503 after {PAGE_503_RETRIES} retries"
                        return
                    retry = response.headers.get("Retry-After", "")
                    await asyncio.sleep(float(retry) if retry.isdigit() else 2.0)
                    continue
                if response.status_code != 200:
                    s.error = f"HTTP {response.status_code}: {(await response.aread())[:200]!r}"
                    return
                try:
                    async for chunk in response.aiter_bytes():
                        scan.feed(chunk)
                        for name, ident in scan.events:
                            if name == b"frame":
                                last_id = ident
                                if s.first_frame is None:
                                    s.first_frame = time.perf_counter() - t0
                            elif name == b"queued":
                                s.queued += 1
                            elif name == b"result":
                                s.done = time.perf_counter() - t0
                            elif name == b"error":
                                s.error = f"event: error {scan.error[:300]!r}"
                        scan.events.clear()
                finally:
                    s.wire_bytes += response.num_bytes_downloaded
        except httpx.HTTPError as exc:  # a broken stream: resumed below, as the page does
            s.broke = f"{exc!r} after frame {last_id!r}"
            if s.resumes >= PAGE_RESUMES:
                s.error = f"stream broke {s.resumes + 1} times: {exc!r}"
                return
        if s.done is not None or s.error is not None:
            return
        if s.resumes >= PAGE_RESUMES:
            s.error = "the stream kept ending before its result"
            return
        s.broke = s.broke or f"the stream ended before its result, after frame {last_id!r}"
        s.resumes += 1
        await asyncio.sleep(0.3 * s.resumes)


async def _wave(base_url: str, students: list[Student]) -> float:
    """Run every student; the seconds the whole wave took."""
    tls = ssl.create_default_context()  # made once: httpx would build one per client (plain http uses none)
    start = time.perf_counter()
    await asyncio.gather(*(_student(base_url, s, start, tls) for s in students))
    return time.perf_counter() - start


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _goal(label: str, ok: bool) -> str:
    return f"  goal {label}: {'met' if ok else 'MISSED'}"


def _run_bytes(base_url: str, body: dict[str, Any]) -> tuple[int, int]:
    """One more read of the run (cached by now) with and without gzip: wire bytes (gzip, identity)."""
    sizes = []
    for encoding in ("gzip", "identity"):
        headers = {"Accept": "text/event-stream", "Accept-Encoding": encoding}
        with (
            httpx.Client(base_url=base_url, timeout=300) as client,
            client.stream("POST", run_path(LAB), json=body, headers=headers) as response,
        ):
            for _ in response.iter_raw():
                pass
            sizes.append(response.num_bytes_downloaded)
    return sizes[0], sizes[1]


def _students(scenario: str, count: int | None, seed: int) -> list[Student]:
    n = count or (50 if scenario == "distinct" else 200)
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0.0, ARRIVALS_S) for _ in range(n))
    if scenario != "distinct":
        return [Student(t) for t in arrivals]
    configs = [{"params": {"hidden_layers": HIDDEN[i % len(HIDDEN)]}, "seed": i} for i in range(n)]
    rng.shuffle(configs)
    return [Student(t, body) for t, body in zip(arrivals, configs, strict=True)]


def _poll_ready(app: AppServer, into: dict[str, float], stop: threading.Event) -> None:
    """Background: seconds from launch to the first 200 of /readyz (the fresh scenario does not wait for it)."""
    while not stop.is_set():
        try:
            status = httpx.get(app.url + "/readyz", timeout=2, headers={"Connection": "close"}).status_code
            if status == 200:
                into["readyz"] = time.monotonic() - app.started
                return
            if status == 404:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)


def _report(
    scenario: str,
    students: list[Student],
    app: AppServer,
    redis: RedisServer | None,
    extra: dict[str, Any],
    redis_before: int = 0,
) -> list[bool]:
    n = len(students)
    errors = [s for s in students if s.error is not None or s.done is None]
    firsts = [s.first_frame for s in students if s.first_frame is not None]
    dones = [s.done for s in students if s.done is not None]
    print(
        f"\n== {scenario}: {n} students, arrivals over {ARRIVALS_S:g} s, {app.workers} workers, "
        f"redis {'on' if redis else 'off'} =="
    )
    for key, value in extra.items():
        print(f"  {key}: {value}")
    print(
        f"  errors {len(errors)}, 503s seen {sum(s.busy for s in students)} (by "
        f"{sum(s.busy > 0 for s in students)} students), queued events {sum(s.queued for s in students)} (by "
        f"{sum(s.queued > 0 for s in students)}), resumes {sum(s.resumes for s in students)}"
    )
    for s in errors[:3]:
        print(f"    e.g. {s.error or 'no result'}")
    for s in [s for s in students if s.resumes][:3]:
        print(f"    resumed {s.resumes}x, e.g. {s.broke}")
    p95_first = _pct(firsts, 0.95) if firsts else math.inf
    if firsts:
        print(
            f"  first frame: p50 {statistics.median(firsts):.2f} s, p95 {p95_first:.2f} s, max {max(firsts):.2f} s"
            f" ({len(firsts)} of {n} got one)"
        )
    if dones:
        print(f"  complete: p50 {statistics.median(dones):.2f} s, p95 {_pct(dones, 0.95):.2f} s")
    wire = [s.wire_bytes for s in students]
    print(
        f"  bytes per student on the wire (Accept-Encoding: gzip, deflate): mean {statistics.mean(wire) / 1e3:.0f} KB"
    )
    per_worker = app.worker_stats()
    started = sum(int(w.get("runs_started", 0)) for w in per_worker.values())
    joined = sum(int(w.get("runs_joined", 0)) for w in per_worker.values())
    replayed = sum(int(w.get("runs_replayed", 0)) for w in per_worker.values())
    computed = next((w.get("redis", {}).get("runs_computed") for w in per_worker.values()), None)
    statuses = sorted({str(w.get("redis", {}).get("status")) for w in per_worker.values()})
    print(
        f"  server: runs_started {started} (summed over {len(per_worker)} of {app.workers} workers), "
        f"runs_joined {joined}, runs_replayed {replayed}, redis {'/'.join(statuses)}"
        + (f", redis runs_computed {computed}" if computed is not None else "")
    )
    rss = app.rss_mb()
    print(
        "  server RSS: "
        + ", ".join(f"pid {pid} {mb:.0f} MB" for pid, mb in rss.items())
        + f" (total {sum(rss.values()):.0f} MB)"
    )
    if redis is not None:
        used = int(redis.client().info("memory")["used_memory"])
        per_run = (used - redis_before) / computed / 1e3 if computed else math.nan
        print(
            f"  redis: used_memory {used / 1e6:.1f} MB (+{(used - redis_before) / 1e6:.1f} MB over the wave: "
            f"{per_run:.0f} KB per run computed), keys {redis.client().dbsize()}"
        )
    print(f"  {load()}")
    goals = [("0 errors", not errors)]
    if scenario == "same":
        goals.append(("first frame p95 <= 1 s", p95_first <= 1.0))
        if redis is None:
            goals.append((f"computed once per worker (<= {app.workers})", 1 <= started <= app.workers))
        else:
            goals.append(("computed once in all (redis runs_computed == 1)", computed == 1 and started == 1))
    elif scenario == "distinct":
        goals.append(("first frame p95 <= 2 s", p95_first <= 2.0))
    else:
        goals = [("first frame p95 <= 1 s", p95_first <= 1.0)]
    for label, ok in goals:
        print(_goal(label, ok))
    return [ok for _, ok in goals]


def run_scenario(scenario: str, args: argparse.Namespace, workdir: Path) -> list[bool]:
    redis = RedisServer(workdir / f"redis-{scenario}").start() if args.redis else None
    settings = {"STEPWISE_REDIS_URL": redis.url} if redis else {}
    app = AppServer(workdir / f"app-{scenario}.log", settings, workers=args.workers)
    students = _students(scenario, args.students, args.seed)
    extra: dict[str, Any] = {}
    stop = threading.Event()
    try:
        app.launch()
        if scenario == "fresh":
            ready: dict[str, float] = {}
            extra["port accepts"] = f"{app.wait_port(300):.1f} s after launch"  # the wave starts now
            threading.Thread(target=_poll_ready, args=(app, ready, stop), daemon=True).start()
        else:
            extra["ready"] = f"/readyz 200 {app.ready('/readyz', 300):.1f} s after launch"
        redis_before = int(redis.client().info("memory")["used_memory"]) if redis else 0
        cpu0, load0 = resource.getrusage(resource.RUSAGE_SELF), load()
        took = asyncio.run(_wave(app.url, students))
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        stop.set()
        if scenario == "fresh":
            extra["/readyz 200"] = f"{ready['readyz']:.1f} s after launch" if "readyz" in ready else "not seen"
        client_cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
        extra["wave"] = f"{took:.1f} s; bench client CPU {client_cpu:.1f} s; {load0} before"
        body = students[0].body or {"params": asyncio.run(_defaults_once(app.url)), "seed": 0}
        gz, identity = _run_bytes(app.url, body)
        extra["one run re-read"] = f"{identity / 1e3:.0f} KB identity, {gz / 1e3:.0f} KB gzip"
        return _report(scenario, students, app, redis, extra, redis_before)
    finally:
        stop.set()
        app.stop()
        if redis is not None:
            redis.kill()


async def _defaults_once(base_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        return await _defaults(client)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_class", description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=("same", "distinct", "fresh", "all"), default="all")
    parser.add_argument("--redis", action="store_true", help="a redis-server of its own per scenario")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--students", type=int, help="override the class size (200 / 50)")
    parser.add_argument("--seed", type=int, default=0, help="of the arrival times")
    args = parser.parse_args()
    if args.redis and REDIS_SERVER is None:
        raise SystemExit("--redis needs redis-server: run scripts/ensure-redis")
    scenarios = ("same", "distinct", "fresh") if args.scenario == "all" else (args.scenario,)
    with tempfile.TemporaryDirectory(prefix="stepwise-class-") as tmp:
        verdicts = [ok for scenario in scenarios for ok in run_scenario(scenario, args, Path(tmp))]
    print(f"\ngoals: {sum(verdicts)} met, {len(verdicts) - sum(verdicts)} missed")


if __name__ == "__main__":
    main()
