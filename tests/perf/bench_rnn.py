"""Recurrent-network lab: first frame, whole run at defaults against plain torch loops of the same two nets on the
same windows, frame sizes, and the measured argument (‖∂L/∂h_0‖ of the RNN and the LSTM) on three seeds.

Run: ``python -m tests.perf.bench_rnn``. Goals (issue 17): first frame ≤ 100 ms. The lab's served run (validate,
prepare, scene, every frame rendered and encoded, the result) and the bare loops (nn.RNN and nn.LSTM + a linear
head, the same initial weights and batches; no evaluation, no frames) are timed in the same shuffled rounds, with
the load beside the ratio. The gap is what the frames read: 20 × (losses on both parts, the gradient probe run
step by step, the 40-step free forecast, the gates).
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.labs.rnn import RNN
from app.schemas.rnn import RnnParams
from tests.perf.served_run import report_against_library
from tests.perf.timing import load

SEED = 0
LAB = "rnn"


def _plain_loops(params: RnnParams) -> object:
    inputs = RNN.prepare(params, DEFAULT_LIMITS)
    X, y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.y_train)
    hidden = params.hidden_size

    def loops() -> object:
        gen = torch.Generator().manual_seed(SEED)
        nets = []
        for module in (torch.nn.RNN, torch.nn.LSTM):
            rnn = module(1, hidden, params.num_layers, batch_first=True)
            head = torch.nn.Linear(hidden, 1)
            for p in (*rnn.parameters(), *head.parameters()):
                torch.nn.init.uniform_(p, -(hidden**-0.5), hidden**-0.5, generator=gen)
            opt = torch.optim.Adam([*rnn.parameters(), *head.parameters()], lr=params.lr)
            order = torch.Generator().manual_seed(SEED + 1)
            for _ in range(params.epochs):
                perm = torch.randperm(len(y), generator=order)
                for start in range(0, len(y), params.batch_size):
                    idx = perm[start : start + params.batch_size]
                    opt.zero_grad()
                    out, _ = rnn(X[idx])
                    torch.autograd.backward(F.mse_loss(head(out[:, -1])[:, 0], y[idx]))
                    opt.step()
            nets.append(rnn)
        return nets

    return loops


def main() -> None:
    torch.set_num_threads(1)
    params = RnnParams()
    report_against_library(
        LAB, SEED, _plain_loops(params), goal="no goal of its own", label="whole run vs the plain torch loops", repeat=3
    )
    inputs = RNN.prepare(params, DEFAULT_LIMITS)
    for seed in (0, 1, 2):
        frames, result = drain(RNN.engine(inputs, params, np.random.default_rng(seed)))
        sizes = [
            len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
        ]
        init = frames[0].state["nets"]
        final = result["nets"]
        print(
            f"seed {seed}: ‖∂L/∂h_0‖ at init RNN {init['rnn']['grad_norms'][0]:.3g}, LSTM "
            f"{init['lstm']['grad_norms'][0]:.3g}; at the end RNN {final['rnn']['first_step_gradient']:.3g}, LSTM "
            f"{final['lstm']['first_step_gradient']:.3g}; test MSE RNN {final['rnn']['test_loss']:.4f}, LSTM "
            f"{final['lstm']['test_loss']:.4f}; largest frame state {max(sizes) / 1e3:.1f} KB"
        )
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
