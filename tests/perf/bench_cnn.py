"""CNN lab: first frame, whole run at defaults against a plain torch loop on the same data, predict(), frame sizes.

Run: ``python -m tests.perf.bench_cnn``. Goals (issue 15): first frame ≤ 100 ms (the untrained network's feature
maps), whole run at defaults ≤ 15 s on the 2-core box (aim ≤ 5 s), a feature-map frame ≤ 64 KB, predict() ≤
50 ms warm. The lab's served run (validate, prepare, scene, every frame rendered and encoded, the result) and the
bare loop (same network, same initial weights, same batches and epochs; no evaluation, no frames) are timed in
the same shuffled rounds, with the load beside the ratio.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import cnn_model
from app.engines.cnn_train import make_optimizer
from app.labs.cnn import CNN, layer_specs, predict
from app.schemas.cnn import CnnParams
from tests.perf.served_run import report_against_library
from tests.perf.timing import load

SEED = 0
LAB = "cnn"


def _plain_loop(params: CnnParams) -> object:
    inputs = CNN.prepare(params, DEFAULT_LIMITS)
    X, y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.y_train)

    def loop() -> object:
        gen = torch.Generator().manual_seed(SEED)
        model, _ = cnn_model.build(layer_specs(params), (1, 8, 8), 10, gen)
        opt = make_optimizer(params.optimizer, model.parameters(), params.lr)
        for _ in range(params.epochs):
            order = torch.randperm(len(y), generator=gen)
            for start in range(0, len(y), params.batch_size):
                idx = order[start : start + params.batch_size]
                opt.zero_grad()
                torch.autograd.backward(F.cross_entropy(model(X[idx]), y[idx]))
                opt.step()
        return model

    return loop


def main() -> None:
    torch.set_num_threads(1)
    params = CnnParams()
    report_against_library(
        LAB,
        SEED,
        _plain_loop(params),
        goal="goal <= 15 s, aim <= 5 s",
        label="whole run vs the plain torch loop",
        repeat=3,
    )
    inputs = CNN.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(CNN.engine(inputs, params, np.random.default_rng(SEED)))
    sizes = [
        len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
    ]
    print(
        f"frame (state) sizes: largest {max(sizes) / 1e3:.1f} KB, median {sorted(sizes)[len(sizes) // 2] / 1e3:.1f} KB "
        "(goal <= 64 KB)"
    )
    image = (inputs.test_pixels[3, :, :, 0]).copy()
    predict(params, result, image)  # cold: loads the weights once
    times = []
    for _ in range(50):
        start = time.perf_counter()
        predict(params, result, image)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"predict() warm: p50 {times[25] * 1e3:.2f} ms, worst {times[-1] * 1e3:.2f} ms (goal <= 50 ms) [{load()}]")


if __name__ == "__main__":
    main()
