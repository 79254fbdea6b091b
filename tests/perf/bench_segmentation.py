"""Segmentation lab: first frame, whole run at defaults against a plain torch loop on the same data, frame sizes.

Run: ``python -m tests.perf.bench_segmentation``. Goals (issue 16): first frame ≤ 100 ms (prepare, the scene and
the first explainer frame), whole run at defaults ≤ 20 s on the 2-core box, frames compact. The lab's served run
(validate, prepare, scene, every frame rendered and encoded, the result) and the bare loop (the same network,
initial weights, batches and epochs; no evaluation, no frames) are timed in the same shuffled rounds, with the
load beside the ratio.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines.segmentation_model import SegNet
from app.labs.segmentation import SEGMENTATION
from app.schemas.segmentation import SegmentationParams
from tests.perf.served_run import report_against_library

SEED = 0
LAB = "segmentation"


def _plain_loop(params: SegmentationParams) -> object:
    inputs = SEGMENTATION.prepare(params, DEFAULT_LIMITS)
    X, Y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.Y_train)

    def loop() -> object:
        gen = torch.Generator().manual_seed(SEED)
        model = SegNet(inputs.net, gen)
        opt = torch.optim.Adam(model.parameters(), lr=params.lr)
        for _ in range(params.epochs):
            order = torch.randperm(len(Y), generator=gen)
            for start in range(0, len(Y), params.batch_size):
                idx = order[start : start + params.batch_size]
                opt.zero_grad()
                torch.autograd.backward(F.cross_entropy(model(X[idx]), Y[idx]))
                opt.step()
        return model

    return loop


def main() -> None:
    torch.set_num_threads(1)
    params = SegmentationParams()
    report_against_library(
        LAB, SEED, _plain_loop(params), goal="goal <= 20 s", label="whole run vs the plain torch loop", repeat=2
    )
    inputs = SEGMENTATION.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(SEGMENTATION.engine(inputs, params, np.random.default_rng(SEED)))
    sizes = [
        len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
    ]
    print(
        f"frame (state) sizes: largest {max(sizes) / 1e3:.1f} KB, median {sorted(sizes)[len(sizes) // 2] / 1e3:.1f} KB; "
        f"mean IoU at defaults (seed {SEED}): {result['mean_iou']:.3f}"
    )


if __name__ == "__main__":
    main()
