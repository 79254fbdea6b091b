"""Neural-network lab vs a plain torch loop; time to first frame; frame size on the wire.

Run: ``python -m tests.perf.bench_neural``. Goals (issue 6): throughput with a frame every 10 steps
≤ 1.25× the plain loop's time; time to first frame p95 ≤ 150 ms; a default frame ≤ 40 KB. The plain loop and
the engine are timed interleaved in the same rounds (``tests.perf.timing``), the load average beside each ratio.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch
from torch import nn

from app.catalog import get_algorithm
from app.core.algorithm import Algorithm
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.labs.neural import NeuralInputs
from app.schemas.datasets import CirclesSpec
from app.schemas.neural import NeuralParams
from tests.perf.timing import interleaved, ratio_line


def _lab() -> Algorithm:
    lab = get_algorithm("neural-network")
    assert lab is not None
    return lab


LAB = _lab()
EPOCHS = 190  # (≤ 199: no thinning) 100 training points, batch 10: 10 Adam steps per epoch, a frame every epoch = every 10 steps


def _params(**kw: Any) -> NeuralParams:
    base: dict[str, Any] = {
        "dataset": CirclesSpec(noise=0.1),
        "hidden_layers": [16, 16],
        "activation": "tanh",
        "optimizer": "adam",
        "lr": 0.03,
        "batch_size": 10,
        "epochs": EPOCHS,
        "frame_every": 1,
    }
    return NeuralParams(**{**base, **kw})


def _plain_loop(inputs: NeuralInputs) -> None:
    """The same network and batches, written the usual way: nn.Sequential + Adam + randperm."""
    data = inputs.data
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    X = torch.as_tensor(data.X_train, dtype=torch.float32)
    y = torch.as_tensor(data.y_train)
    g = torch.Generator().manual_seed(0)
    for _ in range(EPOCHS):
        perm = torch.randperm(len(X), generator=g)
        for start in range(0, len(X), 10):
            idx = perm[start : start + 10]
            opt.zero_grad()
            torch.autograd.backward(nn.functional.cross_entropy(model(X[idx]), y[idx]))
            opt.step()


def main() -> None:
    torch.set_num_threads(1)  # as the run service does
    p = _params()
    inputs = LAB.prepare(p, DEFAULT_LIMITS)
    steps = EPOCHS * 10

    def engine() -> None:
        drain(LAB.engine(inputs, p, np.random.default_rng(0)))

    n_frames = len(drain(LAB.engine(inputs, p, np.random.default_rng(0)))[0])

    def engine_with_figures() -> None:
        for frame in drain(LAB.engine(inputs, p, np.random.default_rng(0)))[0]:
            encode({"state": frame.state, "metrics": frame.metrics, "figure": LAB.view.render(frame, inputs, p)})

    t = interleaved({"plain": lambda: _plain_loop(inputs), "engine": engine, "figures": engine_with_figures}, repeat=5)
    t_plain, t_engine, t_fig = t["plain"], t["engine"], t["figures"]
    print(f"2-16-16-2 tanh, Adam, batch 10, {steps} steps, a frame every 10 steps ({n_frames} frames), 1 thread")
    print(f"  plain torch loop            {steps / t_plain:7.0f} steps/s")
    print(f"  engine (frames)             {steps / t_engine:7.0f} steps/s")
    print(f"  engine + figures + JSON     {steps / t_fig:7.0f} steps/s")
    print("  " + ratio_line("engine (frames) vs the plain loop", t_engine, t_plain, goal=1.25))
    print("  " + ratio_line("engine + figures + JSON vs the plain loop", t_fig, t_plain))

    first = []
    for seed in range(40):
        start = time.perf_counter()
        q = _params(epochs=100, frame_every=5)
        inp = LAB.prepare(q, DEFAULT_LIMITS)
        gen = LAB.engine(inp, q, np.random.default_rng(seed))
        frame = next(gen)
        encode(LAB.view.scene(inp, q))
        encode({"state": frame.state, "metrics": frame.metrics, "figure": LAB.view.render(frame, inp, q)})
        first.append(time.perf_counter() - start)
        gen.close()
    print(
        f"time to first frame (defaults, prepare + scene + frame 0 encoded): "
        f"p50 {1e3 * np.percentile(first, 50):.1f} ms, p95 {1e3 * np.percentile(first, 95):.1f} ms"
    )

    for label, q in (
        ("defaults (8 thumbnails per layer: 2 layers of 8)", NeuralParams()),
        (
            "8 layers of 64, 7 features, 2,000 epochs",
            NeuralParams(
                hidden_layers=[64] * 8,
                epochs=2000,
                frame_every=1,
                features=["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"],
            ),
        ),
    ):
        inp = LAB.prepare(q, DEFAULT_LIMITS)
        gen = LAB.engine(inp, q, np.random.default_rng(0))
        sizes = []
        for i, frame in enumerate(gen):
            if i % 20 == 0 or frame.kind in ("done", "diverged"):
                sizes.append(
                    len(
                        encode(
                            {"state": frame.state, "metrics": frame.metrics, "figure": LAB.view.render(frame, inp, q)}
                        )
                    )
                )
        print(
            f"frame size, {label}: largest {max(sizes) / 1024:.1f} KB, "
            f"scene {len(encode(LAB.view.scene(inp, q))) / 1024:.1f} KB"
        )


if __name__ == "__main__":
    main()
