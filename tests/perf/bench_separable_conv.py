"""Separable-convolution lab: first frame, whole run at defaults against plain torch in the same rounds, frame sizes.

Run: ``python -m tests.perf.bench_separable_conv``. Goals (issue 16): first frame ≤ 100 ms, whole run at defaults
≤ 20 s on the 2-core box, frames compact (maps as u1 typed arrays). The lab's served run (validate, prepare, the
scene, every frame rendered and encoded, the result) and the plain torch work (the explainer's F.conv2d calls on
the photo, then both networks trained with the same initial weights, batches and epochs; no evaluation, no
frames) are timed in the same shuffled rounds, with the load beside the ratio.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import separable_explain, separable_train
from app.engines.cnn_train import make_optimizer
from app.labs.separable_conv import SEPARABLE_CONV, plan_of
from app.schemas.separable_conv import SeparableConvParams
from tests.perf.served_run import report_against_library, served_run

SEED = 0
LAB = "separable-conv"


def _plain(params: SeparableConvParams) -> object:
    inputs = SEPARABLE_CONV.prepare(params, DEFAULT_LIMITS)
    X, y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.y_train)
    photo = torch.from_numpy(np.ascontiguousarray(inputs.photo.transpose(2, 0, 1), dtype=np.float32) / 255)[None]
    kernels = torch.from_numpy(separable_explain.depthwise_kernels(params.kernel))
    mix = torch.from_numpy(separable_explain.pointwise_mix(params.out_channels))
    plan = plan_of(params)

    def loop() -> object:
        depth = F.conv2d(photo, kernels, groups=3)
        F.conv2d(depth, mix[:, :, None, None])
        F.conv2d(photo, mix[:, :, None, None] * kernels[:, 0][None])
        models = {n: separable_train.build_model(n, plan, (1, 8, 8), 10, SEED) for n in separable_train.MODELS}
        opts = {n: make_optimizer(params.optimizer, m.parameters(), params.lr) for n, m in models.items()}
        gen = torch.Generator().manual_seed(SEED + 1)
        for _ in range(params.epochs):
            order = torch.randperm(len(y), generator=gen)
            for name in separable_train.MODELS:
                for start in range(0, len(y), params.batch_size):
                    idx = order[start : start + params.batch_size]
                    opts[name].zero_grad()
                    torch.autograd.backward(F.cross_entropy(models[name](X[idx]), y[idx]))
                    opts[name].step()
        return models

    return loop


def main() -> None:
    torch.set_num_threads(1)
    params = SeparableConvParams()
    served_run(LAB, {}, SEED)  # warm: imports, torch's FLOP counter's first use
    report_against_library(
        LAB, SEED, _plain(params), goal="goal <= 20 s", label="whole run vs the plain torch loop", repeat=3
    )
    inputs = SEPARABLE_CONV.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(SEPARABLE_CONV.engine(inputs, params, np.random.default_rng(SEED)))
    sizes = {
        f"{i}:{f.kind}": len(encode({"kind": f.kind, "caption": f.caption, "state": f.state}))
        for i, f in enumerate(frames)
    }
    worst = max(sizes, key=sizes.__getitem__)
    print(
        f"frame (state) sizes: largest {sizes[worst] / 1e3:.1f} KB ({worst}), median "
        f"{sorted(sizes.values())[len(sizes) // 2] / 1e3:.1f} KB"
    )
    for seed in (0, 1, 2):
        _, res = drain(SEPARABLE_CONV.engine(inputs, params, np.random.default_rng(seed)))
        print(
            f"seed {seed}: test accuracy standard {res['standard']['test_accuracy']:.4f} "
            f"({res['standard']['parameters']} parameters), separable {res['separable']['test_accuracy']:.4f} "
            f"({res['separable']['parameters']})"
        )
    assert result["standard"]["parameters"] > result["separable"]["parameters"]


if __name__ == "__main__":
    main()
