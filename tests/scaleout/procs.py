"""Real processes for the scale-out tests and the class benchmark (``tests/perf/bench_class.py``).

* ``RedisServer``: Debian's ``redis-server`` on a free loopback port, no persistence (``--save "" --appendonly
  no``), its files in a temp dir of its own; ``kill()`` is SIGKILL (Redis "down").
* ``AppServer``: ``python -m app serve`` (the real CLI) on a free port, ``STEPWISE_*`` settings from the
  caller only (none inherited from this shell), in a process group of its own so that ``kill()`` takes the
  uvicorn supervisor and its workers together.
* ``read_run``: one SSE run read to its end (or cut after a given frame), keeping each event's exact text.

Nothing here is pytest-specific: the fixtures in ``conftest.py`` and the benchmark share it. Ports are picked
free and a process that dies at start (a port taken meanwhile, under pytest-xdist) is retried on another one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import httpx

REPO = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
SSE = "text/event-stream"
NO_REDIS = "redis-server is not installed (scripts/ensure-redis installs Debian's package; CI runs it)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _tail(path: Path, chars: int = 4_000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def _stop_group(proc: subprocess.Popen[bytes], sig: int, wait_s: float) -> None:
    """Send ``sig`` to the process group ``proc`` leads (we started it with its own session), then reap it."""
    # the group, even when its leader has gone: uvicorn's workers would outlive their supervisor
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


# --- Redis -------------------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    workdir: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.workdir / "redis.log"

    def start(self, timeout_s: float = 15.0) -> RedisServer:
        if REDIS_SERVER is None:
            raise RuntimeError("redis-server is not installed: run scripts/ensure-redis")
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # another process may take the free port between our probe and redis' bind
            self.port = free_port()
            # fmt: off
            command = [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.workdir), "--logfile", str(self.log), "--daemonize", "no",
            ]
            # fmt: on
            self.proc = subprocess.Popen(command, cwd=self.workdir, start_new_session=True)
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline and self.proc.poll() is None:
                if self.ping():
                    return self
                time.sleep(0.05)
            self.kill()
        raise RuntimeError(f"redis-server did not start:\n{_tail(self.log)}")

    def ping(self) -> bool:
        """PING over a raw socket (no client library needed to know it is up)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def client(self) -> Any:
        import redis  # a runtime dependency of the app (its shared frame log)

        return redis.Redis.from_url(self.url)

    def kill(self) -> None:
        """SIGKILL: Redis gone without a goodbye, as when its box dies."""
        if self.proc is not None:
            _stop_group(self.proc, signal.SIGKILL, 10)


# --- the app ------------------------------------------------------------------------------------------------


def app_env(settings: Mapping[str, str], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process' environment without any ``STEPWISE_*`` (a developer's shell must not leak settings into
    a test), plus ``settings`` (full names, e.g. ``{"STEPWISE_REDIS_URL": ...}``)."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("STEPWISE_")}
    env["PYTHONUNBUFFERED"] = "1"
    env["STEPWISE_PREVIEWS_ON_START"] = "false"  # the catalog's card images would add 12 runs to every count
    env.update(settings)
    return env


@dataclass
class AppServer:
    """``python -m app serve`` on a free loopback port. ``started`` is ``time.monotonic()`` at launch."""

    log: Path
    settings: Mapping[str, str] = field(default_factory=dict)
    workers: int = 1
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> AppServer:
        """Start the process and return at once (the fresh-server benchmark times from here)."""
        self.port = free_port()
        # fmt: off
        command = [
            sys.executable, "-m", "app", "serve",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers),
        ]
        # fmt: on
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command,
                cwd=REPO,
                env=app_env(self.settings),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started = time.monotonic()
        return self

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{_tail(self.log)}")

    def wait_port(self, timeout_s: float = 60.0) -> float:
        """Seconds from launch until the port accepts a TCP connection."""
        deadline = time.monotonic() + timeout_s
        while not port_accepts(self.port):
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {self.port} did not open in {timeout_s:g} s:\n{_tail(self.log)}")
            time.sleep(0.02)
        return time.monotonic() - self.started

    def wait_ready(self, path: str = "/readyz", timeout_s: float = 120.0) -> float:
        """Seconds from launch until ``GET path`` answers 200 (every worker that answers it says ready)."""
        deadline = time.monotonic() + timeout_s
        while True:
            self._check_alive()
            try:
                # a new connection each time: with several workers each poll may land on another one
                if httpx.get(self.url + path, timeout=2, headers={"Connection": "close"}).status_code == 200:
                    return time.monotonic() - self.started
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path} was not 200 within {timeout_s:g} s:\n{_tail(self.log)}")
            time.sleep(0.1)

    def port_taken(self) -> bool:
        """The process died because another one bound its port between our probe and its bind."""
        return self.proc is not None and self.proc.poll() is not None and "already in use" in _tail(self.log)

    def ready(self, path: str = "/readyz", timeout_s: float = 120.0) -> float:
        """``wait_ready``, relaunching once on another port if this one was taken meanwhile (pytest-xdist)."""
        try:
            return self.wait_ready(path, timeout_s)
        except RuntimeError:
            if not self.port_taken():
                self.stop()
                raise
        self.launch()
        return self.wait_ready(path, timeout_s)

    def start(self, ready: str = "/readyz", timeout_s: float = 120.0) -> AppServer:
        """Launch and wait for ``ready``."""
        self.launch()
        self.ready(ready, timeout_s)
        return self

    def pids(self) -> list[int]:
        """The server's process and its children (uvicorn's workers), from /proc."""
        if self.proc is None:
            return []
        found = [self.proc.pid]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:  # field 4 of /proc/PID/stat, after "pid (comm) state"
                found.append(int(entry.name))
        return found

    def rss_mb(self) -> dict[int, float]:
        """Resident set size (VmRSS) of each of ``pids()``, MB."""
        sizes = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return sizes

    def stats(self) -> dict[str, Any]:
        """One ``/api/v1/stats`` answer (from whichever worker takes the new connection)."""
        response = httpx.get(self.url + "/api/v1/stats", timeout=5, headers={"Connection": "close"})
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def worker_stats(self, timeout_s: float = 10.0) -> dict[int, dict[str, Any]]:
        """``/api/v1/stats`` of each worker, by pid: polled on new connections until ``workers`` distinct pids
        answered (or the timeout: then what was seen)."""
        seen: dict[int, dict[str, Any]] = {}
        deadline = time.monotonic() + timeout_s
        while len(seen) < self.workers and time.monotonic() < deadline:
            answer = self.stats()
            seen[int(answer.get("worker", self.proc.pid if self.proc else 0))] = answer
        return seen

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None:
            _stop_group(self.proc, sig, 10)

    def stop(self) -> None:
        """SIGTERM (uvicorn's graceful stop), SIGKILL after 10 s."""
        if self.proc is not None:
            _stop_group(self.proc, signal.SIGTERM, 10)


StartApps = Callable[..., "list[AppServer]"]
"""The ``start_apps`` fixture: ``start_apps(n, redis=None, **settings)`` → ``n`` ready app processes."""


# --- reading a run ------------------------------------------------------------------------------------------


class SseEvent(NamedTuple):
    event: str
    id: str | None
    data: str


def parse_events(text: str) -> list[SseEvent]:
    """Complete SSE events of ``text`` (any line ending; comments dropped; a trailing partial event dropped)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    events = []
    blocks = text.split("\n\n")
    for block in blocks[:-1]:  # the last piece has no blank line after it yet
        name, ident, data = "message", None, []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                name = value
            elif key == "id":
                ident = value
            elif key == "data":
                data.append(value)
        if data or name != "message":
            events.append(SseEvent(name, ident, "\n".join(data)))
    return events


def payload(events: list[SseEvent]) -> list[SseEvent]:
    """The run itself: every event but ``queued`` (how long this reader waited is not part of the run)."""
    return [e for e in events if e.event != "queued"]


def frame_ids(events: list[SseEvent]) -> list[int]:
    return [int(e.id) for e in events if e.event == "frame" and e.id is not None]


@dataclass
class RunRead:
    status: int
    headers: httpx.Headers
    text: str
    events: list[SseEvent]

    @property
    def complete(self) -> bool:
        return any(e.event == "result" for e in self.events)


def run_path(algorithm: str) -> str:
    return f"/api/v1/algorithms/{algorithm}/runs?figure=true"


def read_run(
    base_url: str,
    algorithm: str,
    body: Mapping[str, Any],
    *,
    last_event_id: int | None = None,
    stop_after_frame: int | None = None,
    on_event: Callable[[SseEvent], None] | None = None,
    timeout_s: float = 120.0,
) -> RunRead:
    """POST a run as the page does (SSE, ``figure=true``) and read it to the end, or hang up right after the
    frame with id ``stop_after_frame`` has arrived whole. ``on_event`` sees each event as it completes (from
    the reading thread). A connection that breaks raises ``httpx.TransportError``."""
    headers = {"Accept": SSE}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    with (
        httpx.Client(base_url=base_url, timeout=httpx.Timeout(timeout_s, connect=10)) as client,
        client.stream("POST", run_path(algorithm), json=dict(body), headers=headers) as response,
    ):
        if response.status_code != 200:
            response.read()
            return RunRead(response.status_code, response.headers, response.text, [])
        chunks: list[str] = []
        pending, events = "", []
        for chunk in response.iter_text():
            chunks.append(chunk)
            pending += chunk.replace("\r\n", "\n")  # the app ends lines with \n; a CRLF split across chunks
            if "\n\n" not in pending:  # is not expected from it
                continue
            done, _, pending = pending.rpartition("\n\n")
            for event in parse_events(done + "\n\n"):
                events.append(event)
                if on_event is not None:
                    on_event(event)
                if event.event == "frame" and stop_after_frame is not None and event.id == str(stop_after_frame):
                    return RunRead(200, response.headers, "".join(chunks), events)
        return RunRead(200, response.headers, "".join(chunks), events + parse_events(pending))
