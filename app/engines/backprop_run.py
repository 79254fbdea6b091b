"""The backpropagation run (issue 17): forward pass node by node, backward pass node by node, the update, then
the next steps (one frame each) and the loss after the last update.

Frames: step 1 is ``forward`` × N (node i's value from its inputs, in topological order), ``backward`` × N (in
reverse order: node i's gradient = Σ local derivative × upstream gradient), ``update`` (w ← w − η·∂L/∂w for
each parameter); steps 2..S are one ``step`` frame each (their forward and backward passes and update at
once: ``DETAILED_STEPS``); ``done`` is the forward pass at the final numbers (and its gradients, for the node
inspector). At most 2·N + 1 + (S − 1) + 1 frames. When a value or gradient is not a finite number (the log of
a negative number after an update, an overflow) the last frame is ``stopped``, explaining it; the lab refuses
numbers that already fail at step 1 (a 422), so ``stopped`` comes only after an update.

State by node id: ``values`` and ``grads`` (only the nodes computed so far in this pass), ``parameters`` (the
trained names' values: after the update in ``update`` and ``step`` frames), ``node`` (the node this frame is
about), ``step`` and ``updates`` (the updates made before this frame's forward pass).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import backprop_captions as captions
from app.engines.backprop_graph import Graph, Problem, backward, evaluate, gradient, terms

DETAILED_STEPS = 1
"""Steps drawn node by node; later steps are one ``step`` frame each (keeps frames ≤ 2·N + S + 2)."""


@dataclass(frozen=True)
class Plan:
    graph: Graph
    start: Mapping[str, float]  # every name's number at step 1
    lr: float
    steps: int


def _history(losses: list[float]) -> dict[str, Any]:
    return {"losses": list(losses)}


def run(plan: Plan) -> Generator[Frame, None, dict[str, Any]]:
    graph = plan.graph
    ids = [node.id for node in graph.nodes]
    index = graph.index()
    params = graph.parameters
    leaves = {k: float(v) for k, v in plan.start.items()}
    losses: list[float] = []
    first_grads: dict[str, float] = {}

    def current() -> dict[str, float]:
        return {p: leaves[p] for p in params}

    def frame(kind: str, caption: str, state: dict[str, Any], loss: float | None) -> Frame:
        metrics = {"loss": loss} if loss is not None else {}
        return Frame(kind=kind, caption=caption, state=state, metrics=metrics, visual=_history(losses))

    def stop(k: int, updates: int, problem: Problem, values: list[float], grads: dict[str, float], where: str) -> Frame:
        state = {
            "step": k,
            "updates": updates,
            "node": ids[problem.node],
            "values": dict(zip(ids, values, strict=False)),
            "grads": grads,
            "parameters": current(),
        }
        return frame("stopped", captions.stopped(k, problem.message, where), state, None)

    def result(updates: int, stopped: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "losses": list(losses),
            "parameters": current(),
            "initial_gradients": dict(first_grads),
            "updates": updates,
            "stopped": stopped is not None,
        }
        if stopped is not None:
            out["detail"] = stopped
        return out

    for k in range(1, plan.steps + 2):  # step S + 1: the forward pass after the last update (the done frame)
        checkpoint()
        last = k == plan.steps + 1
        values, problem = evaluate(graph, leaves)
        if problem is not None:
            yield (bad := stop(k, k - 1, problem, values, {}, "forward pass"))
            return result(k - 1, bad.caption)
        grads, problem = backward(graph, values)
        if problem is not None:
            known = {ids[j]: grads[j] for j in range(problem.node + 1, len(ids))}
            yield (bad := stop(k, k - 1, problem, values, known, "backward pass"))
            return result(k - 1, bad.caption)
        loss = values[graph.output]
        losses.append(loss)
        by_id = dict(zip(ids, grads, strict=True))
        all_values = dict(zip(ids, values, strict=True))
        if k == 1:
            first_grads = dict(by_id)
        if last:
            state = {"step": plan.steps, "updates": plan.steps, "node": ids[graph.output], "values": all_values}
            state |= {"grads": by_id, "parameters": current()}
            yield frame("done", captions.done(plan.steps, losses[0], loss, current(), plan.lr), state, loss)
            break
        old = current()
        new = {p: old[p] - plan.lr * by_id[p] for p in params}
        if not all(math.isfinite(v) for v in new.values()):
            worst = next(p for p, v in new.items() if not math.isfinite(v))
            message = f"the update would make {worst} too large for a float (the gradient {by_id[worst]:.3g})"
            yield (bad := stop(k, k - 1, Problem(index[worst], message), values, by_id, "update"))
            return result(k - 1, bad.caption)
        base = {"step": k, "updates": k - 1}
        if k <= DETAILED_STEPS:
            losses.pop()  # the loss is known from the output node's forward frame on
            for i in range(len(ids)):
                checkpoint()
                if i == graph.output:
                    losses.append(loss)
                state = base | {"node": ids[i], "values": dict(zip(ids[: i + 1], values, strict=False))}
                state |= {"grads": {}, "parameters": old}
                caption = captions.forward(graph, i, values, k)
                yield frame("forward", caption, state, loss if i == graph.output else None)
            done_grads: dict[str, float] = {}
            for i in reversed(range(len(ids))):
                checkpoint()
                g, _ = gradient(graph, values, grads, i)
                done_grads[ids[i]] = g
                used = terms(graph, values, grads, i) if i != graph.output else []
                state = base | {"node": ids[i], "values": all_values, "grads": dict(done_grads), "parameters": old}
                yield frame("backward", captions.backward(graph, i, values, used, g, k), state, loss)
            checkpoint()
            state = base | {"values": all_values, "grads": by_id, "parameters": new}
            yield frame("update", captions.update(k, old, new, by_id, plan.lr), state, loss)
        else:
            state = base | {"node": ids[graph.output], "values": all_values, "grads": by_id, "parameters": new}
            caption = captions.step(k, plan.steps, loss, losses[-2], (old, new, by_id), plan.lr)
            yield frame("step", caption, state, loss)
        leaves.update(new)
    return result(plan.steps, None)
