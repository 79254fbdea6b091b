"""Checkpoints inside engine loops: what they cost, how far apart they are, how fast a run stops.

Run: ``python -m tests.perf.bench_checkpoints`` (one torch thread, as the run service uses). Goals (issue 11,
item 6): the checkpoint calls cost < 1 % of a default neural-network run; a run whose budget runs out
mid-frame raises ``RunStopped`` well under 1 s past its deadline (the heavy case: batch size 1, 200 epochs,
``frame_every`` 200, one frame of 20,000 Adam steps).

* overhead: the default neural run timed interleaved with the same run whose checkpoints are no-ops, and
  (steadier) calls x the cost of one call / the run's time;
* gaps: the longest stretch between two checkpoint calls, per lab at defaults and at heavy params;
* stop: the heavy cases under a 0.2 s deadline: how late past the deadline ``RunStopped`` came.
"""

from __future__ import annotations

import time
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from app.catalog import all_algorithms, get_algorithm
from app.core import budget
from app.core.budget import RunStopped, StopToken, stopping_at
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import (
    activations,
    dbscan,
    divisive,
    gradient_descent,
    hierarchical,
    linear,
    neighbors,
    neural,
    nn_model,
    pca,
)
from tests.perf.timing import interleaved, load

MY_ENGINES = (activations, dbscan, divisive, gradient_descent, hierarchical, linear, neighbors, neural, nn_model, pca)

HEAVY: dict[str, dict[str, Any]] = {
    "neural-network": {"batch_size": 1, "epochs": 200, "frame_every": 200},
    "neural-network (5,000 points, 8 x 64)": {
        "dataset": {"name": "circles", "n_samples": 5000, "noise": 0.1},
        "test_fraction": 0.1,
        "hidden_layers": [64] * 8,
        "batch_size": 1,
        "epochs": 200,
        "frame_every": 200,
    },
    "activations": {"depth": 20, "width": 512, "n_samples": 5000, "activation": "tanh", "init": "normal"},
    "logistic-regression": {
        "dataset": {"name": "moons", "n_samples": 5000, "noise": 0.3},
        "batch_size": 1,
        "epochs": 140,  # 3,500 training points: 490,000 steps, under the lab's 500,000
        "polynomial_degree": 5,
    },
    "perceptron": {"dataset": {"name": "moons", "n_samples": 5000, "noise": 0.3}, "epochs": 1000},
    "knn": {"dataset": {"name": "moons", "n_samples": 5000, "noise": 0.3}, "k": 50},
    "dbscan": {"dataset": {"name": "moons", "n_samples": 5000, "noise": 0.05}, "eps": 0.02, "min_samples": 2},
    "hierarchical": {"dataset": {"name": "blobs", "n_samples": 2000}},
    "hierarchical (divisive)": {"dataset": {"name": "blobs", "n_samples": 2000}, "mode": "divisive", "n_clusters": 64},
    "gradient-descent": {
        "dataset": {"name": "line", "n_samples": 5000},
        "variants": ["batch", "mini-batch", "stochastic"],
        "batch_size": 1,
        "epochs": 400,  # 5,000 rows: 4,002,000 updates, under the lab's 4,500,000
    },
}


class GapToken(StopToken):
    """Never stops; records how many checks were made and the longest time between two of them."""

    def __init__(self) -> None:
        super().__init__()
        self.calls, self.longest = 0, 0.0
        self._last = time.monotonic()

    def __getattribute__(self, name: str) -> Any:
        if name == "cancelled":  # checkpoint() reads it once per call
            now = time.monotonic()
            object.__setattr__(self, "longest", max(object.__getattribute__(self, "longest"), now - self._last))
            object.__setattr__(self, "_last", now)
            object.__setattr__(self, "calls", object.__getattribute__(self, "calls") + 1)
        return object.__getattribute__(self, name)


def _engine(lab_id: str, params: dict[str, Any]) -> Callable[[], Any]:
    algorithm = get_algorithm(lab_id.split(" (")[0])
    assert algorithm is not None
    model = algorithm.params_model.model_validate(params, context={"limits": DEFAULT_LIMITS})
    inputs = algorithm.prepare(model, DEFAULT_LIMITS)
    return lambda: algorithm.engine(inputs, model, np.random.default_rng(0))


@contextmanager
def _checkpoints_off() -> Iterator[None]:
    """Every checkpoint of these engines a no-op (the engines import the name, so patch each module)."""

    def noop() -> None:
        return None

    saved = {m: m.checkpoint for m in MY_ENGINES}
    for m in MY_ENGINES:
        m.checkpoint = noop  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for m, fn in saved.items():
            m.checkpoint = fn  # type: ignore[attr-defined]


def overhead(lab_id: str, params: dict[str, Any]) -> None:
    make = _engine(lab_id, params)

    def on() -> None:
        with stopping_at(StopToken()):
            drain(make())

    def off() -> None:
        with _checkpoints_off():
            drain(make())

    best = interleaved({"on": on, "off": off}, repeat=5)
    token = GapToken()
    with stopping_at(token):
        drain(make())
    with stopping_at(StopToken()):
        per_call = min(timeit.repeat(budget.checkpoint, number=100_000, repeat=5)) / 100_000
    share = token.calls * per_call / best["off"]
    print(
        f"overhead {lab_id} {params or 'defaults'}: run {best['off'] * 1e3:.0f} ms with no-op checkpoints, "
        f"{best['on'] * 1e3:.0f} ms with them ({(best['on'] / best['off'] - 1) * 100:+.2f} %, timing noise "
        f"included); {token.calls:,} calls x {per_call * 1e9:.0f} ns = {share * 100:.3f} % of the run [{load()}]"
    )


def gaps(lab_id: str, params: dict[str, Any], repeat: int = 3) -> None:
    """The longest stretch without a check, best of ``repeat`` runs (the least disturbed by other processes)."""
    make = _engine(lab_id, params)
    longest, total = [], []
    for _ in range(repeat):
        token = GapToken()
        start = time.monotonic()
        with stopping_at(token):
            frames, _ = drain(make())
        total.append(time.monotonic() - start)
        longest.append(token.longest)
    print(
        f"gaps {lab_id:40s} {min(total):7.2f} s, {len(frames):4d} frames, {token.calls:9,} checks, longest gap "
        f"{min(longest) * 1e3:7.1f} ms (worst run {max(longest) * 1e3:.1f}) [{load()}]"
    )


def stop(lab_id: str, params: dict[str, Any], ahead: float = 0.2) -> None:
    make = _engine(lab_id, params)
    token = StopToken(deadline=time.monotonic() + ahead)
    frames = 0
    with stopping_at(token):
        try:
            for _ in make():
                frames += 1
        except RunStopped as exc:
            late = time.monotonic() - token.deadline
            print(f"stop {lab_id:40s} {exc.reason} after {frames} frames, {late * 1e3:6.1f} ms past the deadline")
            return
    print(f"stop {lab_id:40s} finished before its {ahead} s deadline ({frames} frames)")


def main() -> None:
    torch.set_num_threads(1)
    overhead("neural-network", {})
    overhead("neural-network", {"batch_size": 1, "epochs": 20})
    overhead("logistic-regression", {"batch_size": 1})
    for algorithm in all_algorithms():
        gaps(algorithm.id, {})
    for lab_id, params in HEAVY.items():
        stop(lab_id, params)
    for lab_id, params in HEAVY.items():
        if not lab_id.startswith("neural-network"):  # their full heavy runs take minutes
            gaps(lab_id, params, repeat=1)


if __name__ == "__main__":
    main()
