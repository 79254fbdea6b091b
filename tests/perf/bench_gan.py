"""GAN lab: first frame, whole run at defaults against a plain torch GAN loop of the same nets on the same data, frame
sizes, and the issue's claim on three seeds (the ring's 8 modes all covered by step 2,000).

Run: ``python -m tests.perf.bench_gan``. Goals (issue 17): first frame ≤ 100 ms, whole run at defaults ≤ 10 s on
the 2-core box. The lab's served run (validate, prepare, scene, every frame rendered and encoded, the result) and
the bare loop (the same G and D from the same seed, the same batches, Adam; no frames, no read-outs) are timed in
the same shuffled rounds, with the load beside the ratio.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import gan_train
from app.labs.gan import GAN
from app.schemas.gan import GanParams
from tests.perf.served_run import report_against_library
from tests.perf.timing import load

SEED = 0
LAB = "gan"


def _plain_loop(params: GanParams) -> Callable[[], object]:
    inputs = GAN.prepare(params, DEFAULT_LIMITS)
    X = torch.from_numpy(inputs.data.X)
    n, B, k = X.shape[0], params.batch_size, params.latent_dim

    def loop() -> object:
        init = torch.Generator().manual_seed(SEED)
        G = gan_train.mlp(k, params.g_layers, 2, params.activation, init)
        D = gan_train.mlp(2, params.d_layers, 1, params.activation, init)
        g_opt = torch.optim.Adam(G.parameters(), lr=params.g_lr, betas=(0.5, 0.999))
        d_opt = torch.optim.Adam(D.parameters(), lr=params.d_lr, betas=(0.5, 0.999))
        noise = torch.Generator().manual_seed(SEED + 1)
        for _ in range(params.steps):
            real = X[torch.randint(0, n, (B,), generator=noise)]
            fake = G(torch.randn(B, k, generator=noise)).detach()
            d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
            d_opt.zero_grad()
            torch.autograd.backward(d_loss)
            d_opt.step()
            g_loss = F.softplus(-D(G(torch.randn(B, k, generator=noise)))).mean()
            g_opt.zero_grad()
            torch.autograd.backward(g_loss)
            g_opt.step()
        return G

    return loop


def main() -> None:
    torch.set_num_threads(1)
    params = GanParams()
    report_against_library(
        LAB, SEED, _plain_loop(params), goal="goal <= 10 s", label="whole run vs the plain torch loop", repeat=3
    )
    inputs = GAN.prepare(params, DEFAULT_LIMITS)
    for seed in (0, 1, 2):
        frames, result = drain(GAN.engine(inputs, params, np.random.default_rng(seed)))
        sizes = [
            len(encode({"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics})) for f in frames
        ]
        last = frames[-1].state
        print(
            f"seed {seed}: modes covered at step {last['step']}: {last['modes']['covered']} of "
            f"{last['modes']['total']} (first all at step {result['first_all_covered']}); final D loss "
            f"{last['d_loss']:.3f}, G loss {last['g_loss']:.3f}; largest frame state {max(sizes) / 1e3:.1f} KB"
        )
        assert last["modes"]["covered"] == 8, f"seed {seed}: the claim fails"
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
