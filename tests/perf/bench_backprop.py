"""Backpropagation lab: first frame, whole served run of every preset against a plain torch loop (the same
expression on float64 scalar tensors: forward, ``backward``, ``torch.optim.SGD`` step, the same steps), frame
counts and sizes; and the bare hand-written engine (forward + backward + update, no frames) against the same loop.

Run: ``python -m tests.perf.bench_backprop``. Goals (issue 17): first frame ≤ 100 ms. The lab's served run
(validate, prepare, scene, every frame rendered and encoded, the result) and the torch loop are timed in the same
shuffled rounds, with the load beside the ratio. The lab does far more than the loop (a frame, a caption and a
figure per node), so its ratio is a cost of teaching, not of the arithmetic; the bare engine's ratio is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

from app.core.limits import DEFAULT_LIMITS
from app.engines import backprop_graph as bg
from app.labs.backprop import BACKPROP
from app.schemas.backprop import PRESETS, BackpropParams
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

SEED = 0
LAB = "backprop"
STEPS = 10
NAMESPACE = {name: getattr(torch, name) for name in ("exp", "log", "tanh", "sigmoid", "relu")}


def _torch_loop(expression: str, start: dict[str, float], parameters: tuple[str, ...]) -> Callable[[], object]:
    def loop() -> object:
        tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k in parameters) for k, v in start.items()}
        optimizer = torch.optim.SGD([tensors[p] for p in parameters], lr=0.1)
        for _ in range(STEPS):
            optimizer.zero_grad()
            loss = eval(expression, {"__builtins__": {}}, {**NAMESPACE, **tensors})
            torch.autograd.backward(loss)
            optimizer.step()
        return tensors

    return loop


def _bare_engine(graph: bg.Graph, start: dict[str, float]) -> Callable[[], object]:
    def loop() -> object:
        leaves = dict(start)
        index = graph.index()
        for _ in range(STEPS):
            values, _ = bg.evaluate(graph, leaves)
            grads, _ = bg.backward(graph, values)
            for p in graph.parameters:
                leaves[p] -= 0.1 * grads[index[p]]
        return leaves

    return loop


def main() -> None:
    torch.set_num_threads(1)
    firsts = []
    for _ in range(9):
        start = time.perf_counter()
        served_run(LAB, {}, SEED, frames=1)
        firsts.append(time.perf_counter() - start)
    firsts.sort()
    print(f"first frame (defaults): p50 {firsts[4] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms)")
    for graph in PRESETS:
        if graph == "custom":
            continue
        params = BackpropParams(graph=graph, steps=STEPS)  # type: ignore[call-arg]
        inputs = BACKPROP.prepare(params, DEFAULT_LIMITS)
        raw = {"graph": graph, "steps": STEPS}
        torch_loop = _torch_loop(inputs.expression, inputs.start, inputs.graph.parameters)
        best = interleaved(
            {
                "lab": lambda raw=raw: served_run(LAB, raw, SEED),
                "torch": torch_loop,
                "bare": _bare_engine(inputs.graph, inputs.start),
            },
            repeat=5,
        )
        whole = served_run(LAB, raw, SEED)
        print(
            f"{graph}: {len(inputs.ids)} nodes, {whole.frames} frames, largest figure {whole.largest / 1e3:.1f} KB, "
            f"sent {whole.sent / 1e3:.0f} KB; served run {best['lab'] * 1e3:.1f} ms"
        )
        print("  " + ratio_line("served run vs the plain torch loop", best["lab"], best["torch"]))
        print("  " + ratio_line("bare engine vs the plain torch loop", best["bare"], best["torch"]))
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
