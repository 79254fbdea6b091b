"""Captions of the CNN lab's frames: what the network is, what this stretch of training changed, how the shown
test image is read and how sure the network is. Every number is the frame's own (``app.core.text`` words)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.text import fixed, percent, plural
from app.engines.cnn_model import LayerInfo


@dataclass(frozen=True)
class Facts:
    """What every caption may name: the classes, the shown test image and the test set's size."""

    class_names: tuple[str, ...]
    sample_label: int
    sample: int
    n_test: int


def _reading(facts: Facts, probabilities: np.ndarray) -> str:
    """How the shown test image is read: "Test image #0 (a 3) is read as 3, 97 % sure"."""
    names = facts.class_names
    guess = int(np.argmax(probabilities))
    truth = names[facts.sample_label]
    verdict = "right" if guess == facts.sample_label else "wrong"
    return (
        f"Test image #{facts.sample} (true class {truth}) is read as {names[guess]}, "
        f"{percent(float(probabilities[guess]))} sure ({verdict})."
    )


def init(facts: Facts, table: Sequence[LayerInfo], probabilities: np.ndarray, *, started: bool) -> str:
    total = sum(row.params for row in table)
    weights = "the weights of the file it was given" if started else "random weights"
    chance = 1 / len(facts.class_names)
    return (
        f"Before training: {plural(len(table), 'layer')} with {plural(total, 'parameter')}, {weights}. "
        f"{_reading(facts, probabilities)} Chance is {percent(chance)} per class."
    )


def epoch(facts: Facts, step: int, per_epoch: int, epochs: int, before: Any, now: Any, losses: Sequence[float]) -> str:
    """``before`` / ``now``: the network read at the previous frame and at this one (``cnn_train._Eval``)."""
    whole = step % per_epoch == 0
    where = (
        f"Epoch {step // per_epoch} of {epochs}"
        if whole
        else f"Step {step} of {epochs * per_epoch} ({fixed(step / per_epoch, 2)} epochs)"
    )
    change = (now.test_accuracy - before.test_accuracy) * 100
    moved = "unchanged" if abs(change) < 0.05 else f"{'up' if change > 0 else 'down'} {fixed(abs(change), 1)} points"
    wrong = round((1 - now.test_accuracy) * facts.n_test)
    return (
        f"{where}: training loss {fixed(before.train_loss, 3)} → {fixed(now.train_loss, 3)}, test accuracy "
        f"{percent(now.test_accuracy, 1)} ({moved}; {wrong} of {facts.n_test} test images wrong). "
        f"{_reading(facts, now.probabilities)}"
    )


def done(facts: Facts, epochs: int, steps: int, now: Any, matrix: np.ndarray) -> str:
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    names = facts.class_names
    if off.max() > 0:
        true, pred = np.unravel_index(int(off.argmax()), off.shape)
        worst = (
            f" The most common mistake: class {names[true]} read as {names[pred]} ({plural(int(off.max()), 'time')})."
        )
    else:
        worst = " No test image is misread."
    return (
        f"Done: {plural(epochs, 'epoch')} ({plural(steps, 'step')}), test accuracy {percent(now.test_accuracy, 1)}, "
        f"training accuracy {percent(now.train_accuracy, 1)}.{worst} {_reading(facts, now.probabilities)}"
    )
