"""Captions of the transfer-learning race: each mode's test accuracy, what is frozen, how far the layers moved,
and at the end by how many points each transferred mode beats (or trails) scratch. Every number is the frame's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.text import fixed, percent, plural
from app.engines.transfer_model import BLOCKS, BODY

NAMES = {
    "scratch": "from scratch",
    "feature_extraction": "feature extraction",
    "fine_tune": "fine-tuning",
    "gradual": "gradual unfreezing",
}


@dataclass(frozen=True)
class Facts:
    modes: tuple[str, ...]
    labelled: int
    n_test: int
    epochs: int
    source_accuracy: float


def _accuracies(facts: Facts, accs: Sequence[float]) -> str:
    return ", ".join(f"{NAMES[m]} {percent(a, 1)}" for m, a in zip(facts.modes, accs, strict=True))


def _frozen(facts: Facts, frozen: Sequence[Sequence[bool]]) -> str:
    parts = []
    for mode, flags in zip(facts.modes, frozen, strict=True):
        names = [b for b, off in zip(BLOCKS, flags, strict=True) if off]
        if names:
            parts.append(f"{NAMES[mode]} {', '.join(names)}")
    return f"Frozen: {'; '.join(parts)}." if parts else "Nothing is frozen."


def init(facts: Facts, accs: Sequence[float], frozen: Sequence[Sequence[bool]]) -> str:
    return (
        f"Before training: the backbone read held-out source digits 0–4 at {percent(facts.source_accuracy, 1)}; "
        f"on the target digits 5–9 each mode has {plural(facts.labelled, 'labelled image')} to train on and "
        f"{facts.n_test} to test on. With a new random head, test accuracy is {_accuracies(facts, accs)} "
        f"(chance 20 %). {_frozen(facts, frozen)}"
    )


def _furthest(facts: Facts, moved: Sequence[Sequence[float]]) -> str:
    """How far the transferred body moved, per mode that started from the backbone."""
    parts = []
    for mode, row in zip(facts.modes, moved, strict=True):
        if mode == "scratch":
            continue
        body = row[: len(BODY)]
        top = max(range(len(body)), key=lambda i: body[i])
        parts.append(f"{NAMES[mode]} {BLOCKS[top]} by {fixed(100 * body[top], 1)} %")
    return f" Furthest from the backbone: {'; '.join(parts)}." if parts else ""


def epoch(
    facts: Facts,
    epoch: int,
    accs: Sequence[float],
    before: Sequence[float],
    frozen: Sequence[Sequence[bool]],
    moved: Sequence[Sequence[float]],
) -> str:
    lead = max(range(len(accs)), key=lambda i: accs[i])
    change = (accs[lead] - before[lead]) * 100
    return (
        f"Epoch {epoch} of {facts.epochs}: test accuracy {_accuracies(facts, accs)}; {NAMES[facts.modes[lead]]} "
        f"leads ({'+' if change >= 0 else '−'}{fixed(abs(change), 1)} points this epoch). "
        f"{_frozen(facts, frozen)}{_furthest(facts, moved)}"
    )


def done(
    facts: Facts,
    accs: Sequence[float],
    moved: Sequence[Sequence[float]],
    unchanged: Sequence[bool],
    trained: Sequence[set[str]],
) -> str:
    text = (
        f"Done after {plural(facts.epochs, 'epoch')} on {facts.labelled} labelled digits: {_accuracies(facts, accs)}."
    )
    if "scratch" in facts.modes:
        base = accs[facts.modes.index("scratch")]
        gaps = [
            f"{NAMES[m]} {'+' if a >= base else '−'}{fixed(abs(a - base) * 100, 1)}"
            for m, a in zip(facts.modes, accs, strict=True)
            if m != "scratch"
        ]
        if gaps:
            text += f" Against scratch, in points: {', '.join(gaps)}."
    kept = []
    for mode, ok, done_blocks in zip(facts.modes, unchanged, trained, strict=True):
        never = [b for b in BODY if b not in done_blocks]
        if mode != "scratch" and never:
            verdict = "bit-identical to the backbone" if ok else "CHANGED"
            kept.append(f"{NAMES[mode]}'s frozen {', '.join(never)} {verdict}")
    if kept:
        text += f" {'; '.join(kept)}."
    return text + _furthest(facts, moved)
