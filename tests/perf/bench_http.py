"""Time to first frame over HTTP at defaults (p50/p95), and bytes per k-means frame with its figure.

Run: ``python -m tests.perf.bench_http``. Starts uvicorn on a free loopback port, cache off so every request
computes. Goals: p95 time to first frame ≤ 100 ms; one frame with its figure for 2,000 points ≤ 8 KB. Nothing is
compared against a library here; the latency line carries the load average (``tests.perf.timing.load``).
"""

from __future__ import annotations

import socket
import statistics
import threading
import time

import httpx
import uvicorn

from app.main import create_app
from app.settings import Settings
from tests.perf.timing import load

URL = "/api/v1/algorithms/kmeans/runs"


def _serve() -> tuple[str, uvicorn.Server]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings(cache_entries=0)), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/healthz")
            return base, server
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def first_frame_latency(client: httpx.Client, runs: int = 60) -> list[float]:
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        with client.stream(
            "POST", URL + "?figure=true", json={"seed": seed}, headers={"Accept": "text/event-stream"}
        ) as response:
            for line in response.iter_lines():
                if line.startswith("event: frame"):
                    times.append(time.perf_counter() - start)
                    break
    return times


def frame_sizes(client: httpx.Client, n: int = 2_000) -> dict[str, list[int]]:
    body = {"params": {"dataset": {"name": "blobs", "n_samples": n}}, "seed": 0}
    text = client.post(URL + "?figure=true", json=body, headers={"Accept": "text/event-stream"}).text
    sizes: dict[str, list[int]] = {}
    for block in text.split("\n\n"):
        if block.startswith("event: frame"):
            kind = block.split('"kind":"', 1)[1].split('"', 1)[0]
            sizes.setdefault(kind, []).append(len(block.encode()) + 2)
    return sizes


def main() -> None:
    base, server = _serve()
    with httpx.Client(base_url=base, timeout=30) as client:
        first_frame_latency(client, runs=5)  # warm-up
        times = sorted(first_frame_latency(client))
        p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        print(
            f"time to first SSE frame at defaults (figure=true, cache off, {len(times)} runs): "
            f"p50 {p50 * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms (goal p95 <= 100 ms) [{load()}]"
        )
        for kind, sizes in frame_sizes(client).items():
            print(
                f"  2,000 points, {kind:9s} frames: {len(sizes):3d}, bytes on the wire max {max(sizes):6d}, "
                f"median {int(statistics.median(sizes)):6d} (goal <= 8192)"
            )
    server.should_exit = True


if __name__ == "__main__":
    main()
