"""The wire: encoding share of a run, gzip CPU per MB by level, and a fresh server's first frame.

    python -m tests.perf.bench_wire            # all three
    python -m tests.perf.bench_wire encoding   # or: gzip | fresh
    git archive HEAD | tar -x -C /tmp/before && python -m tests.perf.bench_wire fresh --before-tree /tmp/before

* **encoding**: a DBSCAN and a logistic-regression run (defaults, figures on), produced once per round and
  encoded by the old recursive walk (``tests.test_encoding._reference_encode``) and by orjson
  (``app.encoding.encode``), interleaved. The share is encode / (produce + encode).
* **gzip**: a real logistic-regression run with figures (1.3 MB) compressed at levels 1, 6 and 9, as one
  whole JSON document and as an SSE stream flushed per event (``Z_SYNC_FLUSH``, what the middleware does);
  CPU ms per MB of input and what 200 readers of one cached run cost.
* **fresh**: a fresh uvicorn subprocess, then the neural-network lab's first SSE frame; before (priming
  off: the factory ``unprimed_app`` below) and after (the real app; a load balancer waits for ``/readyz``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from tests.perf.timing import interleaved, load

REPO = Path(__file__).resolve().parents[2]


def _produce(algorithm_id: str) -> list[Any]:
    from app.catalog import get_algorithm
    from tests.test_encoding import lab_payloads

    algorithm = get_algorithm(algorithm_id)
    assert algorithm is not None
    return [value for _, value in lab_payloads(algorithm, figure=True)]


def _encode_all(encoder: Callable[[Any], str], values: list[Any]) -> list[str]:
    return [encoder(v) for v in values]


def bench_encoding(repeat: int = 7) -> None:
    from app.encoding import encode
    from tests.test_encoding import _reference_encode

    print(f"== encoding share of a whole run (defaults, figures on), best of {repeat} interleaved rounds")
    for algorithm_id in ("dbscan", "logistic-regression"):
        values = _produce(algorithm_id)  # warm: imports, first-use costs
        size = sum(len(encode(v).encode()) for v in values)
        times = interleaved(
            {
                "produce": partial(_produce, algorithm_id),
                "old walk + json": partial(_encode_all, _reference_encode, values),
                "orjson": partial(_encode_all, encode, values),
            },
            repeat=repeat,
        )
        produce = times["produce"]
        for name in ("old walk + json", "orjson"):
            enc = times[name]
            print(
                f"{algorithm_id:20s} {name:16s} encode {enc * 1e3:7.1f} ms, produce {produce * 1e3:7.1f} ms, "
                f"share {enc / (produce + enc):5.1%} of the run ({len(values)} events, {size / 1e6:.2f} MB) [{load()}]"
            )
        print(f"{algorithm_id:20s} orjson is {times['old walk + json'] / times['orjson']:.1f}x faster [{load()}]")


def cpu_interleaved(cases: dict[str, Any], repeat: int = 7, seed: int = 0) -> dict[str, float]:
    """``interleaved``, timed by this thread's CPU clock: a loaded machine (other jobs on the 2 cores)
    stretches wall time but not the CPU a compression costs, which is what 200 readers would spend."""
    import random

    order, best = list(cases), {name: float("inf") for name in cases}
    shuffle = random.Random(seed)
    for _ in range(repeat):
        shuffle.shuffle(order)
        for name in order:
            start = time.thread_time()
            cases[name]()
            best[name] = min(best[name], time.thread_time() - start)
    return best


def _sse_messages(values: list[Any], kinds: list[str]) -> list[bytes]:
    from fastapi.sse import format_sse_event

    from app.encoding import encode

    out, index = [], 0
    for kind, value in zip(kinds, values, strict=True):
        ident = None
        if kind == "frame":
            ident, index = str(index), index + 1
        out.append(format_sse_event(data_str=encode(value), event=kind, id=ident))
    return out


def _gzip_stream(messages: list[bytes], level: int) -> int:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    size = 0
    for message in messages:
        size += len(compressor.compress(message) + compressor.flush(zlib.Z_SYNC_FLUSH))
    return size + len(compressor.flush(zlib.Z_FINISH))


def bench_gzip(repeat: int = 7, readers: int = 200) -> None:
    from app.catalog import get_algorithm
    from app.compression import gzip_whole
    from app.encoding import encode
    from tests.test_encoding import lab_payloads

    algorithm = get_algorithm("logistic-regression")
    assert algorithm is not None
    pairs = list(lab_payloads(algorithm, figure=True))
    kinds, values = [k for k, _ in pairs], [v for _, v in pairs]
    whole = b"[" + b",".join(encode(v).encode() for v in values) + b"]"
    messages = _sse_messages(values, kinds)
    stream_bytes = sum(map(len, messages))
    print(
        f"== gzip of one logistic-regression run with figures: JSON {len(whole) / 1e6:.2f} MB, "
        f"SSE {stream_bytes / 1e6:.2f} MB in {len(messages)} events; best of {repeat} interleaved rounds"
    )
    cases: dict[str, Any] = {}
    for level in (1, 6, 9):
        cases[f"whole L{level}"] = lambda level=level: gzip_whole(whole, level)
        cases[f"stream L{level}"] = lambda level=level: _gzip_stream(messages, level)
    wall = interleaved(cases, repeat=repeat)
    cpu = cpu_interleaved(cases, repeat=repeat)
    for level in (1, 6, 9):
        for shape, raw, size in (
            ("whole ", len(whole), len(gzip_whole(whole, level))),
            ("stream", stream_bytes, _gzip_stream(messages, level)),
        ):
            name = f"{shape.strip()} L{level}"
            print(
                f"level {level} {shape}: CPU {cpu[name] * 1e3:6.1f} ms = {cpu[name] * 1e3 / (raw / 1e6):5.1f} ms/MB "
                f"(wall {wall[name] * 1e3:6.1f} ms), {raw / 1e6:.2f} MB -> {size / 1e3:6.1f} KB ({raw / size:4.1f}x); "
                f"{readers} readers: {readers * cpu[name]:5.2f} s of CPU [{load()}]"
            )


def _serve_messages(messages: list[bytes], key: str | None) -> Any:
    """An ASGI app sending ``messages`` as an SSE stream (with ``BODY_KEY_HEADER`` when ``key`` is given)."""
    from app.compression import BODY_KEY_HEADER

    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"text/event-stream")]
        if key is not None:
            headers.append((BODY_KEY_HEADER.encode(), key.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for message in messages:
            await send({"type": "http.response.body", "body": message, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


def bench_replay(readers: int = 200, level: int = 6) -> None:
    """``readers`` clients reading one run's SSE stream through ``GzipMiddleware``: each compressing its
    own copy, or the first compressing and the rest replaying (``BODY_KEY_HEADER``). CPU seconds in all."""
    import anyio

    from app.catalog import get_algorithm
    from app.compression import CompressedBodies, GzipMiddleware
    from tests.test_encoding import lab_payloads

    algorithm = get_algorithm("logistic-regression")
    assert algorithm is not None
    pairs = list(lab_payloads(algorithm, figure=True))
    messages = _sse_messages([v for _, v in pairs], [k for k, _ in pairs])
    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"accept-encoding", b"gzip")]}

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        return None

    async def readers_of(key: str | None) -> None:
        middleware = GzipMiddleware(_serve_messages(messages, key), min_bytes=1_024, level=level,
                                    bodies=CompressedBodies())  # fmt: skip
        for _ in range(readers):
            await middleware(scope, receive, send)

    print(
        f"== {readers} readers of one logistic-regression SSE run ({sum(map(len, messages)) / 1e6:.2f} MB), level {level}"
    )
    times = cpu_interleaved(
        {"each compresses": lambda: anyio.run(readers_of, None), "compressed once": lambda: anyio.run(readers_of, "k")},
        repeat=3,
    )
    for name, seconds in times.items():
        print(
            f"{name:16s}: {seconds:5.2f} s of CPU for {readers} readers ({seconds / readers * 1e3:5.2f} ms each) [{load()}]"
        )


def unprimed_app() -> Any:
    """The app as it was before readiness priming (the "before" of ``bench_fresh``)."""
    from app.main import create_app
    from app.readiness import Readiness

    class _NoPriming(Readiness):
        def start(self, settings: Any, extra: Any = ()) -> None:
            return None

    app = create_app()
    app.state.readiness = _NoPriming()
    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _frames_s(url: str, algorithm_id: str) -> tuple[float, float]:
    """Seconds from the request to the first and to the second SSE frame (the second follows the first
    training step: where torch.optim's lazy imports used to hide)."""
    started = time.perf_counter()
    seen: list[float] = []
    with httpx.stream(
        "POST",
        f"{url}/api/v1/algorithms/{algorithm_id}/runs?figure=true",
        headers={"Accept": "text/event-stream", "Accept-Encoding": "gzip"},
        timeout=120,
    ) as response:
        assert response.status_code == 200, response.status_code
        for line in response.iter_lines():
            if line == "event: frame":
                seen.append(time.perf_counter() - started)
                if len(seen) == 2:
                    return seen[0], seen[1]
    raise AssertionError("fewer than two frames")


def _fresh(factory: str, wait_ready: bool, cwd: Path, algorithm_id: str = "neural-network") -> dict[str, float]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", factory, "--factory", "--port", str(port), "--log-level", "warning"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
    )
    try:
        out: dict[str, float] = {}
        for probe in ("/healthz", "/readyz") if wait_ready else ("/healthz",):
            while True:
                try:
                    if httpx.get(url + probe, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert proc.poll() is None, "uvicorn exited"
                time.sleep(0.05)
            out[probe] = time.perf_counter() - started
        out["first frame"], out["second frame"] = _frames_s(url, algorithm_id)
        out["start to 2nd frame"] = time.perf_counter() - started
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def bench_fresh(rounds: int = 3, before_tree: Path | None = None) -> None:
    """``before_tree``: a checkout of the code before this change (``git archive HEAD | tar -x -C DIR``),
    served from there with the same venv, for the honest "before"."""
    print(f"== a fresh server's first neural-network SSE frames ({rounds} rounds, alternating); medians (range)")
    cases: dict[str, tuple[str, bool, Path]] = {
        "this tree, priming off, request once /healthz answers": ("tests.perf.bench_wire:unprimed_app", False, REPO),
        "this tree, request once /healthz answers (impatient)": ("app.main:create_app", False, REPO),
        "this tree, request once /readyz answers (load balancer)": ("app.main:create_app", True, REPO),
    }
    if before_tree is not None:
        cases = {f"before ({before_tree}), request once /healthz answers": ("app.main:create_app", False, before_tree),
                 **cases}  # fmt: skip
    results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (factory, wait_ready, cwd) in cases.items():
            results[name].append(_fresh(factory, wait_ready, cwd))
    for name, runs in results.items():
        parts = []
        for key in runs[0]:
            values = sorted(r[key] for r in runs)
            parts.append(f"{key} {values[len(values) // 2]:.2f} s ({values[0]:.2f}-{values[-1]:.2f})")
        print(f"{name}:\n    " + "; ".join(parts) + f" [{load()}]")


def main(argv: list[str]) -> None:
    before_tree = None
    if "--before-tree" in argv:
        at = argv.index("--before-tree")
        before_tree = Path(argv[at + 1]).resolve()
        argv = argv[:at] + argv[at + 2 :]
    which = set(argv) or {"encoding", "gzip", "fresh"}
    import torch

    torch.set_num_threads(1)
    if "encoding" in which:
        bench_encoding()
    if "gzip" in which:
        bench_gzip()
        bench_replay()
    if "fresh" in which:
        bench_fresh(before_tree=before_tree)


if __name__ == "__main__":
    main(sys.argv[1:])
