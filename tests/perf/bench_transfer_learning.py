"""Transfer-learning lab: first frame, whole run at defaults against plain torch loops of the same four modes on
the same data, frame sizes.

Run: ``python -m tests.perf.bench_transfer_learning``. Goals (issue 16): first frame ≤ 100 ms, whole run at
defaults ≤ 20 s on the 2-core box, frames compact. The lab's served run (validate, prepare, scene, every frame
rendered and encoded, the result) and the bare loops (same networks and starts, same batches and epochs; no test
evaluation, no frames) are timed in the same shuffled rounds, with the load beside the ratio.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import transfer_train as tt
from app.labs.transfer_learning import TRANSFER
from app.schemas.transfer_learning import TransferLearningParams
from tests.perf.served_run import report_against_library, served_run

SEED = 0
LAB = "transfer-learning"


def _plain_loops(params: TransferLearningParams) -> object:
    inputs = TRANSFER.prepare(params, DEFAULT_LIMITS)
    X, y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.y_train)
    state = inputs.backbone.state

    def loop() -> object:
        models = []
        for mode in params.modes:
            model, gen = tt.start_model(mode, SEED, state)
            opt = tt.make_optimizer(mode, model, params.lr, params.fine_tune_lr_factor)
            for epoch in range(params.epochs):
                tt.set_frozen(model, tt.frozen_blocks(mode, epoch, params.unfreeze_every))
                order = torch.randperm(len(y), generator=gen)
                for start in range(0, len(y), params.batch_size):
                    idx = order[start : start + params.batch_size]
                    opt.zero_grad()
                    torch.autograd.backward(F.cross_entropy(model(X[idx]), y[idx]))
                    opt.step()
            models.append(model)
        return models

    return loop


def main() -> None:
    torch.set_num_threads(1)
    params = TransferLearningParams()
    served_run(LAB, {}, SEED, frames=1)  # warm: the backbone file and the digits are read once per process
    report_against_library(
        LAB,
        SEED,
        _plain_loops(params),
        goal="goal <= 20 s",
        label="whole run vs plain torch loops of the same modes",
        repeat=3,
    )
    inputs = TRANSFER.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(TRANSFER.engine(inputs, params, np.random.default_rng(SEED)))
    sizes = [
        len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
    ]
    print(
        f"frame (state) sizes: largest {max(sizes) / 1e3:.2f} KB, median {sorted(sizes)[len(sizes) // 2] / 1e3:.2f} KB"
    )


if __name__ == "__main__":
    main()
