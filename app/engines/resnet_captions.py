"""Captions of the residual-network lab: each states the measured argument in numbers (the factor by which the
residual net's first layer gets more gradient than the plain one's, both nets' training losses)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.text import plural

TINY = 1e-30
"""A gradient norm below this counts as this in a ratio (a ratio stays finite for JSON)."""
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@dataclass(frozen=True)
class Facts:
    """What every caption may name about the run."""

    depth: int
    width: int
    activation: str
    batch_norm: bool
    per_epoch: int  # steps per epoch
    epochs: int


def ratio(residual: float, plain: float) -> float:
    """``residual / plain`` with both floored at ``TINY``."""
    return max(residual, TINY) / max(plain, TINY)


def factor(r: float) -> str:
    """A ratio in words a learner reads at a glance: ``340×``, ``12,000×``, ``3.4 × 10⁷×``, ``0.52×``."""
    if r >= 1e6:
        exponent = math.floor(math.log10(r))
        mantissa = r / 10**exponent
        if mantissa >= 9.95:
            mantissa, exponent = 1.0, exponent + 1
        return f"{mantissa:.1f} × 10{str(exponent).translate(SUPERSCRIPT)}×"
    if r >= 100:
        digits = math.floor(math.log10(r)) - 1  # keep two significant digits
        return f"{round(r, -digits):,.0f}×"
    return f"{r:.2g}×"


def _net(facts: Facts) -> str:
    norm = ", batch norm" if facts.batch_norm else ""
    return f"{facts.depth} linear layers of width {facts.width} ({facts.activation}{norm})"


def _grads(norms: Mapping[str, Sequence[float]], when: str) -> str:
    res, plain = norms["residual"][0], norms["plain"][0]
    return (
        f"{when} the first layer's gradient norm ‖∂L/∂W₁‖ is {res:.3g} in the residual net and {plain:.3g} in the "
        f"plain one: the residual net's first layer gets {factor(ratio(res, plain))} the gradient"
    )


def init(facts: Facts, reads: Mapping[str, Mapping[str, Any]], norms: Mapping[str, Sequence[float]]) -> str:
    """Both nets untrained: the same weights, the gradient factor over all training points."""
    losses = f"train loss {reads['plain']['train_loss']:.4f} plain, {reads['residual']['train_loss']:.4f} residual"
    if facts.depth <= 2:
        return (
            f"Two nets of {_net(facts)}: with no hidden width → width layer there is nothing to skip, so the two "
            f"nets are the same ({losses})."
        )
    plain = norms["plain"]
    fall = ratio(plain[-1], plain[0])
    return (
        f"Two nets of {_net(facts)} start from the same weights; the residual one adds each hidden layer's input "
        f"back to its output (h + f(h)). {_grads(norms, 'Over all training points,')}. In the plain net the output "
        f"layer gets {factor(fall)} the first layer's gradient: it vanishes towards the input ({losses})."
    )


def epoch(facts: Facts, e: int, reads: Mapping[str, Mapping[str, Any]], norms: Mapping[str, Sequence[float]]) -> str:
    """After epoch ``e``: both training losses and test accuracies, the last step's gradient factor."""
    p, r = reads["plain"], reads["residual"]
    return (
        f"Epoch {e} of {facts.epochs} ({plural(facts.per_epoch, 'step')} each, the same batches for both): train loss "
        f"{p['train_loss']:.4f} plain, {r['train_loss']:.4f} residual; test accuracy {p['test_accuracy']:.1%} "
        f"plain, {r['test_accuracy']:.1%} residual. {_grads(norms, 'At the epoch’s last step')}."
    )


def done(facts: Facts, reads: Mapping[str, Mapping[str, Any]], init_ratio: float, ratios: Sequence[float]) -> str:
    """The race's outcome: final losses, the factor at the start and the median over the frames."""
    p, r = reads["plain"]["train_loss"], reads["residual"]["train_loss"]
    verdict = "lower" if r < p else "not lower"
    median = float(sorted(ratios)[len(ratios) // 2])
    return (
        f"After {plural(facts.epochs, 'epoch')} the train loss is {p:.4f} plain and {r:.4f} residual: the residual "
        f"net's is {verdict}. Its first layer got {factor(init_ratio)} the plain net's gradient at the start and "
        f"{factor(median)} at the median frame; test accuracy {reads['plain']['test_accuracy']:.1%} plain, "
        f"{reads['residual']['test_accuracy']:.1%} residual."
    )
