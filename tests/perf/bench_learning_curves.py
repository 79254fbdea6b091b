"""Learning-curves lab: first frame, whole run with figures, and the bare library call of the same work.

Run: ``python -m tests.perf.bench_learning_curves``. Goals (issue 14): first frame ≤ 100 ms and the whole run at
defaults ≤ 3 s, every frame's figure ≤ 16 KB. For each mode the lab's served run (``served_run``: validate,
prepare, scene, every frame rendered and encoded, the result) and the bare library call are timed in the same
shuffled rounds (``interleaved``), with the load beside the ratio:

* learning curve: ``learning_curve`` with the same splitter, model and seed (the lab adds a grid prediction per
  size for fold 1's picture);
* validation curve: ``validation_curve`` over the same values (plus one grid prediction per value);
* early stopping: a bare torch loop of the same network, epochs and batches (the lab adds the grid picture of
  ~60 epoch frames and the weight copies early stopping keeps).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from sklearn.model_selection import StratifiedKFold, learning_curve, validation_curve
from torch.nn import functional as F

from app.core.limits import DEFAULT_LIMITS
from app.engines.base_models import make_estimator
from app.engines.learning_curves import param_values
from app.engines.nn_model import MLP
from app.labs.learning_curves import LEARNING_CURVES
from app.schemas.learning_curves import LearningCurvesParams
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

SEED = 0
LAB = "learning-curves"


def _library(mode: str) -> Callable[[], object]:
    params = LearningCurvesParams(mode=mode)  # type: ignore[arg-type]
    inputs = LEARNING_CURVES.prepare(params, DEFAULT_LIMITS)
    X, y = inputs.X, inputs.y
    spec = params.model.model_dump()
    cv = StratifiedKFold(params.k, shuffle=True, random_state=SEED)
    if mode == "learning_curve":
        sizes = np.linspace(0.1, 1.0, params.n_sizes)
        return lambda: learning_curve(
            make_estimator(spec, SEED), X, y, train_sizes=sizes, cv=cv, shuffle=True, random_state=SEED
        )
    if mode == "validation_curve":
        values = param_values(spec, params.n_values, inputs.most_neighbours)
        return lambda: validation_curve(
            make_estimator(spec, SEED), X, y, param_name="max_depth", param_range=values, cv=cv
        )
    train, val = inputs.split.train, inputs.split.test
    Z = torch.tensor((X - X[train].mean(0)) / X[train].std(0), dtype=torch.float32)
    target = torch.tensor(y)

    def loop() -> object:
        gen = torch.Generator().manual_seed(SEED)
        net = MLP(
            2, [params.hidden_width] * params.hidden_layers, 2, activation="relu", init="he_uniform", generator=gen
        )
        opt = torch.optim.Adam(net.parameters(), lr=params.learning_rate)
        for _ in range(params.epochs):
            opt.zero_grad()
            torch.autograd.backward(F.cross_entropy(net(Z[train]), target[train]))
            opt.step()
            with torch.no_grad():
                F.cross_entropy(net(Z[train]), target[train]), F.cross_entropy(net(Z[val]), target[val])
        return net

    return loop


def main() -> None:
    torch.set_num_threads(1)
    for mode in ("learning_curve", "validation_curve", "early_stopping"):
        params: dict[str, Any] = {"mode": mode}
        firsts = []
        for _ in range(9):
            start = time.perf_counter()
            served_run(LAB, params, SEED, frames=1)
            firsts.append(time.perf_counter() - start)
        firsts.sort()
        best = interleaved({"lab": lambda: served_run(LAB, params, SEED), "library": _library(mode)}, repeat=5)  # noqa: B023 (called in this iteration)
        whole = served_run(LAB, params, SEED)
        print(
            f"[{mode}] first frame: p50 {firsts[4] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms) [{load()}]"
        )
        print(
            f"[{mode}] {whole.frames} frames, largest figure {whole.largest / 1e3:.1f} KB (goal <= 16 KB), sent {whole.sent / 1e3:.0f} KB"
        )
        print(f"[{mode}] whole run: {best['lab']:.3f} s (goal <= 3 s)")
        library = {"learning_curve": "learning_curve", "validation_curve": "validation_curve"}.get(mode, "torch loop")
        print(ratio_line(f"[{mode}] whole run vs bare {library}", best["lab"], best["library"]))


if __name__ == "__main__":
    main()
