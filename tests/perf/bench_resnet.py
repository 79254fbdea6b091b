"""Residual-network lab: first frame, whole run at defaults against plain torch loops of the same two nets on the
same data, frame sizes, and the measured argument on three seeds.

Run: ``python -m tests.perf.bench_resnet``. Goals (issue 16): first frame ≤ 100 ms, whole run at defaults ≤ 20 s
on the 2-core box. The lab's served run (validate, prepare, scene, every frame rendered and encoded, the result)
and the bare loops (both nets, same initial weights, same batches and epochs; no evaluation, no frames) are
timed in the same shuffled rounds, with the load beside the ratio.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import resnet_model
from app.engines.nn_model import make_optimizer
from app.labs.resnet import RESNET
from app.schemas.resnet import ResnetParams
from tests.perf.served_run import report_against_library
from tests.perf.timing import load

SEED = 0
LAB = "resnet"


def _plain_loops(params: ResnetParams) -> object:
    inputs = RESNET.prepare(params, DEFAULT_LIMITS)
    X, y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.y_train)
    k = inputs.n_classes

    def loops() -> object:
        nets = resnet_model.pair(
            2,
            params.width,
            k,
            params.depth,
            activation=params.activation,
            batch_norm=params.batch_norm,
            generator=torch.Generator().manual_seed(SEED),
        )
        for net in nets:
            opt = make_optimizer(params.optimizer, list(net.parameters()), params.lr)
            order = torch.Generator().manual_seed(SEED + 1)
            for _ in range(params.epochs):
                perm = torch.randperm(len(y), generator=order)
                for start in range(0, len(y), params.batch_size):
                    idx = perm[start : start + params.batch_size]
                    opt.zero_grad()
                    torch.autograd.backward(F.cross_entropy(net(X[idx]), y[idx]))
                    opt.step()
        return nets

    return loops


def main() -> None:
    torch.set_num_threads(1)
    params = ResnetParams()
    report_against_library(
        LAB, SEED, _plain_loops(params), goal="goal <= 20 s", label="whole run vs the plain torch loops", repeat=3
    )
    inputs = RESNET.prepare(params, DEFAULT_LIMITS)
    for seed in (0, 1, 2):
        frames, result = drain(RESNET.engine(inputs, params, np.random.default_rng(seed)))
        sizes = [
            len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
        ]
        ratios = sorted(result["first_layer_ratios"])
        print(
            f"seed {seed}: layer-1 factor at init {result['init_first_layer_ratio']:.3g}, median frame "
            f"{ratios[len(ratios) // 2]:.3g}; final train loss plain {result['plain']['train_loss']:.4f}, residual "
            f"{result['residual']['train_loss']:.4f}; test accuracy plain {result['plain']['test_accuracy']:.3f}, "
            f"residual {result['residual']['test_accuracy']:.3f}; largest frame state {max(sizes) / 1e3:.1f} KB"
        )
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
