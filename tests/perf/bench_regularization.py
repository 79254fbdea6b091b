"""Regularization lab: first frame and whole run at defaults (with figures, as the service serves them), against
the bare library fits of the same path.

Run: ``python -m tests.perf.bench_regularization``. Goals (issue 14): first frame ≤ 100 ms, whole run ≤ 3 s, a
frame's figure ≤ 16 KB. Per case (the defaults: L1; and L2, elastic net, weight decay with the rest at defaults)
the lab's served run (``served_run``: validate, prepare, scene, every frame rendered and encoded, the result) and
the bare library call on the same standardised features are timed in the same shuffled rounds, the load beside:

* L1 / elastic net: ``enet_path`` over the same α (scikit-learn's default ``tol``; the lab adds a tighter tol,
  the exact polish and the 2-feature sub-problem's path);
* L2: one ``Ridge(alpha=m·α)`` fit per α (the lab uses one SVD for every α);
* weight decay: the same number of ``torch.optim.SGD(lr, weight_decay=λ)`` steps on the same loss;
* classification: one fresh ``LogisticRegression(C=1/(m·α), l1_ratio=r, solver="saga")`` per α at scikit-learn's
  default tol (1e-4; the lab's own L-BFGS-B path is far tighter: saga at tol 1e-10 takes seconds per α on these
  correlated features).
"""

from __future__ import annotations

import functools
import time
import warnings
from typing import Any

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge, enet_path

from app.engines import regularization as rg
from app.schemas.regularization import RegularizationParams
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

GOAL_FIRST_MS, GOAL_RUN_S = 100.0, 3.0
CASES: dict[str, dict[str, Any]] = {
    "l1 (defaults)": {},
    "l2": {"penalty": "l2"},
    "elasticnet": {"penalty": "elasticnet"},
    "weight decay": {"mode": "weight_decay"},
    "classification l1": {"task": "classification"},
    "classification elasticnet": {"task": "classification", "penalty": "elasticnet"},
}


def _bare_classes(p: RegularizationParams) -> Any:
    from app.labs.regularization import REGULARIZATION

    design = REGULARIZATION.prepare(p, None).setup.design  # type: ignore[arg-type, union-attr]
    alphas = rg.alpha_grid(p.alpha_max, p.alpha_min, p.n_alphas)
    r = rg.l1_share(p.penalty, p.l1_ratio)

    def fits() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for alpha in alphas:
                LogisticRegression(C=1.0 / (design.y.size * alpha), l1_ratio=r, solver="saga").fit(design.Z, design.y)

    return fits


def _bare(params: dict[str, Any]) -> Any:
    p = RegularizationParams(**params)
    if p.task == "classification":
        return _bare_classes(p)
    data = rg.draw(p.truth, p.noise, p.n_points, p.validation_fraction, np.random.default_rng(p.data_seed))
    problem = rg.problem(data, p.degree)
    yc = problem.y - problem.intercept
    alphas = rg.alpha_grid(p.alpha_max, p.alpha_min, p.n_alphas)

    def fits() -> None:
        if p.mode == "weight_decay":
            Z = torch.tensor(problem.Z)
            target = torch.tensor(yc)
            w = torch.zeros(p.degree, dtype=torch.float64, requires_grad=True)
            optimiser = torch.optim.SGD([w], lr=p.learning_rate, weight_decay=p.weight_decay)
            for _ in range(p.n_steps):
                optimiser.zero_grad()
                (((target - Z @ w) ** 2).sum() / (2 * yc.size)).backward()
                optimiser.step()
        elif p.penalty == "l2":
            for alpha in alphas:
                Ridge(alpha=yc.size * alpha).fit(problem.Z, problem.y)
        else:
            enet_path(problem.Z, yc, l1_ratio=1.0 if p.penalty == "l1" else p.l1_ratio, alphas=alphas)

    return fits


def _served(params: dict[str, Any]) -> None:
    served_run("regularization", params, 0)


def main() -> None:
    torch.set_num_threads(1)
    for name, params in CASES.items():
        start = time.perf_counter()
        served_run("regularization", params, 0, frames=1)
        first = time.perf_counter() - start
        start = time.perf_counter()
        whole = served_run("regularization", params, 0)
        seconds = time.perf_counter() - start
        print(
            f"{name}: first frame {first * 1e3:.1f} ms (goal <= {GOAL_FIRST_MS:g}), whole run {seconds:.3f} s "
            f"(goal <= {GOAL_RUN_S:g}), {whole.frames} frames, largest frame {whole.largest / 1024:.1f} KB, "
            f"{whole.sent / 1024:.0f} KB sent [{load()}]"
        )
        times = interleaved({"lab": functools.partial(_served, params), "library": _bare(params)}, repeat=5)
        print("  " + ratio_line(f"{name} whole served run vs bare library", times["lab"], times["library"]))


if __name__ == "__main__":
    main()
