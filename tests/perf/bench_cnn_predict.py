"""``POST /api/v1/algorithms/cnn/predict`` warm, over real sockets: median and p95 of 50 requests (goal ≤ 50 ms).

Run: ``python -m tests.perf.bench_cnn_predict``. Starts ``python -m app serve`` in its own process on a free
loopback port, plays the default CNN run as the page does (``figure=true``: the run the predicts then reuse from
the cache), warms the model, then times, interleaved request by request: the predict round trip, a ``/healthz``
round trip (the HTTP floor of this machine) and, in this process, the same trained network's forward pass in
plain torch on the same image (rebuilt from ``result.model``; the library's own cost). Prints the load average
beside the figures: on the shared 2-core box they move with it.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx
import numpy as np
import torch

from tests.perf.timing import load

PREDICT = "/api/v1/algorithms/cnn/predict"
ROUNDS = 50


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _serve() -> tuple[str, subprocess.Popen[bytes]]:
    port = _port()
    env = os.environ | {"STEPWISE_PREVIEWS_ON_START": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                return base, proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def main() -> None:
    torch.set_num_threads(1)
    base, proc = _serve()
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            start = time.perf_counter()
            run = client.post("/api/v1/algorithms/cnn/runs?figure=true", json={"params": {}, "seed": 0})
            run.raise_for_status()
            print(f"default run played as the page does: {time.perf_counter() - start:.1f} s ({load()})")
            result = run.json()["result"]
            pixels = np.zeros((8, 8), dtype=np.uint8)  # (H, W): a 7
            pixels[1, 1:7] = 255
            for row in range(2, 7):
                pixels[row, 7 - row] = 255
            body = {
                "params": {},
                "seed": 0,
                "image": {"dtype": "u1", "shape": [8, 8], "bdata": base64.b64encode(pixels.tobytes()).decode()},
            }
            for _ in range(5):  # warm: the model built and kept, the parsed result kept
                client.post(PREDICT, json=body).raise_for_status()
            started = client.get("/api/v1/stats").json()["runs_started"]

            # The library's own cost: the same weights in torch's own modules, the same image, forward + softmax.
            state = torch.load(io.BytesIO(base64.b64decode(result["model"]["base64"])), weights_only=True)
            x = torch.from_numpy(pixels.astype(np.float32) / 255.0)[None, None]  # (1, 1, 8, 8)

            keys = sorted({k.split(".")[0] for k in state}, key=int)

            def forward() -> torch.Tensor:
                """The default layers: (conv, relu, 2×2 max pool) × 2, flatten, dense, relu, output."""
                with torch.no_grad():
                    h = x
                    for i, key in enumerate(keys):
                        w, b = state[f"{key}.weight"], state[f"{key}.bias"]
                        if w.ndim == 4:
                            h = torch.nn.functional.conv2d(h, w, b, padding="same")  # (1, F, H, W)
                            h = torch.nn.functional.max_pool2d(torch.relu(h), 2)  # (1, F, H/2, W/2)
                        else:
                            h = torch.nn.functional.linear(h.flatten(1), w, b)  # (1, units)
                            h = h if i == len(keys) - 1 else torch.relu(h)
                    return torch.softmax(h, dim=1)[0]  # (K,)

            same = np.allclose(forward().numpy(), client.post(PREDICT, json=body).json()["probabilities"], atol=1e-5)
            print(f"plain torch gives the endpoint's probabilities: {same}")

            predict_s, health_s, torch_s = [], [], []
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                response = client.post(PREDICT, json=body)
                predict_s.append(time.perf_counter() - t0)
                response.raise_for_status()
                t0 = time.perf_counter()
                client.get("/healthz")
                health_s.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                forward()
                torch_s.append(time.perf_counter() - t0)
            retrained = client.get("/api/v1/stats").json()["runs_started"] - started
    finally:
        proc.terminate()
        proc.wait(10)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    med, tail = statistics.median(predict_s), p95(predict_s)
    print(
        f"predict (warm, {ROUNDS} requests): median {1e3 * med:.1f} ms, p95 {1e3 * tail:.1f} ms (goal ≤ 50 ms) "
        f"[{load()}]"
    )
    print(f"/healthz round trip: median {1e3 * statistics.median(health_s):.1f} ms, p95 {1e3 * p95(health_s):.1f} ms")
    print(
        f"plain torch forward + softmax of the same network and image: median "
        f"{1e3 * statistics.median(torch_s):.2f} ms; predict / torch = {med / statistics.median(torch_s):.0f}×, "
        f"predict − healthz = {1e3 * (med - statistics.median(health_s)):.1f} ms"
    )
    print(f"engines started by the {ROUNDS} predicts: {retrained} (0: the cached run was reused)")


if __name__ == "__main__":
    main()
