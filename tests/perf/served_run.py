"""A lab's run with figures as the run service makes it, in process, for the benchmarks: validate, prepare, the
scene, every frame rendered and encoded, the result. What it measures is the bytes a client would be sent and
the largest frame figure (the ≤ 16 KB frame budget)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.catalog import get_algorithm
from app.encoding import encode
from app.runs import plan_run
from app.settings import Settings
from tests.perf.timing import interleaved, load, ratio_line

SETTINGS = Settings(cache_entries=0)  # no run cache: every round computes


@dataclass(frozen=True)
class Served:
    sent: int  # bytes of the scene, every frame and the result (and the panels, when asked for)
    largest: int  # bytes of the largest frame's figure, compact JSON
    frames: int  # frames made


def served_run(
    lab: str, params: dict[str, Any], seed: int, frames: int | None = None, *, panels: bool = False
) -> Served:
    """The run of ``lab`` to its end, or its first ``frames`` (1: the time to the first frame)."""
    algorithm = get_algorithm(lab)
    assert algorithm is not None, lab
    plan = plan_run(algorithm, params, seed, True, SETTINGS)
    inputs = plan.prepare()
    sent = len(encode(algorithm.view.scene(inputs, plan.params)))
    engine = algorithm.engine(inputs, plan.params, np.random.default_rng(seed))
    largest, index = 0, 0
    while frames is None or index < frames:
        try:
            frame = next(engine)
        except StopIteration as done:
            sent += len(encode(done.value))
            if panels:
                sent += len(encode(algorithm.view.panels(done.value, inputs, plan.params)))
            break
        figure = algorithm.view.render(frame, inputs, plan.params)
        largest = max(largest, len(json.dumps(json.loads(encode(figure)), separators=(",", ":"))))
        payload = {"index": index, "kind": frame.kind, "caption": frame.caption, "state": frame.state}
        sent += len(encode(payload | {"metrics": frame.metrics, "figure": figure}))
        index += 1
    engine.close()
    return Served(sent, largest, index)


def report_against_library(
    lab: str, seed: int, library: Callable[[], object], *, goal: str, label: str, repeat: int = 3
) -> None:
    """Print what every training lab's benchmark prints first: the first frame's time (9 served runs of one
    frame: p50 and worst, against the 100 ms goal), the frames and their sizes, and the whole run at defaults
    against ``library`` (the plain torch loop of the same work), interleaved, with the load beside it."""
    firsts = []
    for _ in range(9):
        start = time.perf_counter()
        served_run(lab, {}, seed, frames=1)
        firsts.append(time.perf_counter() - start)
    firsts.sort()
    print(f"first frame: p50 {firsts[4] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms) [{load()}]")
    best = interleaved({"lab": lambda: served_run(lab, {}, seed), "library": library}, repeat=repeat)
    whole = served_run(lab, {}, seed)
    print(f"{whole.frames} frames, largest figure {whole.largest / 1e3:.1f} KB, sent {whole.sent / 1e3:.0f} KB")
    print(f"whole run at defaults: {best['lab']:.3f} s ({goal})")
    print(ratio_line(label, best["lab"], best["library"]))
