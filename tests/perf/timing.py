"""The timing rules every benchmark uses.

* ``interleaved``: the engine and the library are timed in the same rounds, in a shuffled order each round,
  so load that drifts during a benchmark hits both alike instead of leaking into their ratio (timing one in
  a block and then the other does not). Each case's figure is the best of its rounds (the least disturbed).
* ``load`` is printed beside every ratio: a ratio measured at load 3 on 2 cores says less than one at 0.2.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    """Seconds of the fastest of ``repeat`` calls of ``fn`` (for a case with nothing to compare against)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(cases: dict[str, Callable[[], object]], repeat: int = 7, seed: int = 0) -> dict[str, float]:
    """Best seconds per case over ``repeat`` rounds; every round calls every case once, in a shuffled order."""
    order = list(cases)
    times: dict[str, list[float]] = {name: [] for name in cases}
    shuffle = random.Random(seed)
    for _ in range(repeat):
        shuffle.shuffle(order)
        for name in order:
            start = time.perf_counter()
            cases[name]()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def load() -> str:
    """The 1-minute load average and the core count, e.g. ``load 0.42 on 2 cores``."""
    try:
        one = os.getloadavg()[0]
    except OSError:  # not on every platform
        return "load n/a"
    return f"load {one:.2f} on {os.cpu_count() or 1} cores"


def ratio_line(label: str, engine_s: float, library_s: float, goal: float | None = None) -> str:
    """``label: engine 12.3 ms, library 4.1 ms, ratio 3.00x (goal <= 1.5x: missed) [load 0.42 on 2 cores]``."""
    ratio = engine_s / library_s if library_s > 0 else float("inf")
    verdict = "" if goal is None else f" (goal <= {goal:g}x: {'met' if ratio <= goal else 'missed'})"
    return (
        f"{label}: engine {engine_s * 1e3:.1f} ms, library {library_s * 1e3:.1f} ms, "
        f"ratio {ratio:.2f}x{verdict} [{load()}]"
    )
