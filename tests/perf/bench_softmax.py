"""Softmax lab: first frame, whole run at defaults and at 200 steps against a plain torch loop of the same
gradient descent on the same logits, the hand-written math against torch's own per call, and frame sizes.

Run: ``python -m tests.perf.bench_softmax``. Goals (issue 17): first frame ≤ 100 ms. The lab's served run
(validate, prepare, scene, every frame rendered and encoded, the result) and the bare loop (torch float64
cross-entropy, backward and an SGD step per step, no frames) are timed in the same shuffled rounds, with the load
beside the ratio.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch.nn import functional as F

from app.engines import softmax as sm
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

SEED = 0
LAB = "softmax"
LOGITS = [2.0, 1.0, 0.1, -1.0]


def _torch_loop(steps: int) -> object:
    def loop() -> object:
        z = torch.tensor(LOGITS, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([z], lr=1.0)
        target = torch.tensor([0])
        for _ in range(steps):
            opt.zero_grad()
            F.cross_entropy(z.unsqueeze(0), target).backward()
            opt.step()
        return z

    return loop


def _math_calls(n: int) -> tuple[object, object]:
    rng = np.random.default_rng(0)
    batch = [rng.normal(0, 10, 10) for _ in range(n)]
    tensors = [torch.tensor(z) for z in batch]

    def ours() -> object:
        for z in batch:
            s = sm.softmax(z)
            sm.grad_logits(s.probabilities, 0)
        return None

    def theirs() -> object:
        for z in tensors:
            torch.softmax(z, 0)
            torch.log_softmax(z, 0)
        return None

    return ours, theirs


def main() -> None:
    torch.set_num_threads(1)
    firsts = []
    for _ in range(15):
        start = time.perf_counter()
        served_run(LAB, {}, SEED, frames=1)
        firsts.append(time.perf_counter() - start)
    firsts.sort()
    print(f"first frame: p50 {firsts[7] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms) [{load()}]")
    for steps in (20, 200):
        best = interleaved(
            {"lab": lambda s=steps: served_run(LAB, {"steps": s}, SEED), "library": _torch_loop(steps)}, repeat=7
        )
        whole = served_run(LAB, {"steps": steps}, SEED)
        print(
            f"steps={steps}: {whole.frames} frames, largest figure {whole.largest / 1e3:.1f} KB, sent "
            f"{whole.sent / 1e3:.0f} KB; whole run {best['lab'] * 1e3:.1f} ms"
        )
        print(ratio_line(f"  whole served run (steps={steps}) vs a bare torch SGD loop", best["lab"], best["library"]))
    ours, theirs = _math_calls(2000)
    best = interleaved({"ours": ours, "torch": theirs}, repeat=7)
    print(ratio_line("2,000 softmax + gradient (NumPy) vs torch.softmax + log_softmax", best["ours"], best["torch"]))


if __name__ == "__main__":
    main()
