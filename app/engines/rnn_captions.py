"""Captions of the rnn lab: each states this frame's numbers (losses, the gradient at the window's first step
against its last, in each net) and what they show (a plain RNN's gradient vanishing with distance)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.text import plural

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
TINY = 1e-30
"""A gradient below this counts as this in a ratio (a ratio stays finite)."""


@dataclass(frozen=True)
class Facts:
    """What every caption may name about the run."""

    task: str
    cells: tuple[str, ...]
    hidden: int
    layers: int
    window: int
    bptt: int
    per_epoch: int
    epochs: int


def sci(value: float) -> str:
    """A positive number a learner reads at a glance: ``0.156``, ``2.6 × 10⁻¹²``."""
    value = float(value)
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if abs(mantissa) >= 9.95:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.1f} × 10{str(exponent).translate(SUPERSCRIPT)}"


def factor(r: float) -> str:
    """A ratio in words: ``3.4×``, ``120×``, ``5.9 × 10⁶×``."""
    if r >= 1e4 or r < 1e-3:
        return f"{sci(r)}×"
    return f"{r:.3g}×"


def _nets(facts: Facts) -> str:
    names = " and ".join(f"an {NAMES[c]}" if c != "gru" else "a GRU" for c in facts.cells)
    layers = f", {plural(facts.layers, 'layer')}" if facts.layers > 1 else ""
    what = "say whether the next value rises" if facts.task == "classify" else "predict the next value"
    return (
        f"{names[0].upper()}{names[1:]} of {plural(facts.hidden, 'hidden unit')}{layers} read windows of "
        f"{facts.window} values and {what} from the last step's output (many-to-one)"
    )


def _grads(facts: Facts, reads: Mapping[str, Mapping[str, Any]]) -> str:
    parts = []
    for cell, read in reads.items():
        g = read["grad_norms"]
        way = "falls" if g[0] <= g[-1] else "grows"
        parts.append(f"{way} from {sci(g[-1])} to {sci(g[0])} in the {NAMES[cell]}")
    text = f"from the window's last step back to t = 0, ‖∂L/∂h_t‖ {' and '.join(parts)}"
    if "rnn" in reads and len(reads) > 1:
        other = next(c for c in reads if c != "rnn")
        r = max(reads[other]["grad_norms"][0], TINY) / max(reads["rnn"]["grad_norms"][0], TINY)
        text += f": at t = 0 the {NAMES[other]} gets {factor(r)} the RNN's gradient"
    return text


def _cut(facts: Facts) -> str:
    if 0 < facts.bptt < facts.window:
        return (
            f" Training truncates backpropagation to the last {plural(facts.bptt, 'step')} (the dashed line): the "
            "steps before it get no gradient in training; the curve is full backpropagation."
        )
    return ""


def _losses(facts: Facts, reads: Mapping[str, Mapping[str, Any]]) -> str:
    kind = "cross-entropy" if facts.task == "classify" else "squared error"
    parts = [f"{read['test_loss']:.4f} {NAMES[cell]}" for cell, read in reads.items()]
    text = f"test {kind} {', '.join(parts)}"
    if facts.task == "classify":
        acc = [f"{read['test_accuracy']:.0%} {NAMES[cell]}" for cell, read in reads.items()]
        text += f"; test accuracy {', '.join(acc)}"
    return text


def init(facts: Facts, reads: Mapping[str, Mapping[str, Any]]) -> str:
    return f"{_nets(facts)}. Untrained, {_grads(facts, reads)}; {_losses(facts, reads)}.{_cut(facts)}"


def epoch(facts: Facts, e: int, reads: Mapping[str, Mapping[str, Any]]) -> str:
    same = ", the same batches for both" if len(facts.cells) > 1 else ""
    grads = _grads(facts, reads)
    return (
        f"Epoch {e} of {facts.epochs} ({plural(facts.per_epoch, 'step')} each{same}): {_losses(facts, reads)}; {grads}."
    )


def done(facts: Facts, e: int, reads: Mapping[str, Mapping[str, Any]], diverged: int) -> str:
    if diverged:
        return (
            f"Training diverged in epoch {diverged} (a loss was not a finite number), so this frame shows the nets "
            f"after epoch {e}: try a smaller learning rate. {_losses(facts, reads)}."
        )
    return f"After {plural(e, 'epoch')}: {_losses(facts, reads)}; {_grads(facts, reads)}.{_cut(facts)}"
