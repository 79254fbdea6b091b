"""The words of the stacking frames: why the table is filled out of fold, whom the meta-model trusts, and whether
the stack beats its best base model. Every number comes from the frame the caption is for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core.text import fixed, percent, plural
from app.engines.base_models import LABELS
from app.engines.boundary import Scores

if TYPE_CHECKING:
    from app.engines.stacking import Stack


def pct(fraction: float) -> str:
    return percent(fraction, 1)


def _signed(value: float) -> str:
    text = fixed(value, 2)
    return text if text.startswith("-") else f"+{text}"


def _short(stack: Stack, i: int) -> str:
    """A base model's kind in words ("k-NN"), or its full name when two share a kind."""
    kind = str(stack.specs[i]["model"])
    alike = sum(1 for s in stack.specs if s["model"] == kind)
    return stack.names[i] if alike > 1 else LABELS[kind]


def fold_story(
    f: int,
    stack: Stack,
    n_train: int,
    n_fit: int,
    n_held: int,
    first_row: int,
    so_far: Sequence[float],
    classes: Sequence[str],
    one_class: bool,
    only_label: Any,
) -> str:
    """The caption of fold ``f``'s frame."""
    k, m = stack.cv, len(stack.specs)
    what = f"of class {classes[1]}" if len(classes) == 2 else f"of each of the {len(classes)} classes"
    head = (
        f"Fold {f} of {k}: each of the {plural(m, 'base model')} is trained on the other "
        f"{plural(k - 1, 'fold')} ({plural(n_fit, 'point')}) and predicts the {plural(n_held, 'point')} held out in "
        f"this one, which it has never seen. Their probabilities {what} fill rows {first_row + 1}–"
        f"{first_row + n_held} of the {n_train}-row level-1 table."
    )
    if one_class:
        head += (
            f" Every training point outside this fold is class {classes[int(only_label)]}, so each model can only "
            "predict that class here (scikit-learn's logistic regression and SVM refuse to fit one class)."
        )
    order = np.argsort(-np.asarray(so_far), kind="stable")
    ranked = ", ".join(f"{_short(stack, int(i))} {pct(so_far[int(i)])}" for i in order)
    head += f" Out-of-fold accuracy so far: {ranked}."
    if f == 1:
        head += (
            " Why out of fold: on its own training points a model looks better than it is (k-NN with k = 1 would "
            "be always right), and the meta-model must learn how far to trust each one on points it has not seen."
        )
    return head


def meta_story(
    stack: Stack,
    n_train: int,
    columns: Sequence[str],
    weights: Mapping[str, Any],
    meta_accuracy: float,
    classes: Sequence[str],
) -> str:
    """The caption of the meta frame."""
    m = len(stack.specs)
    trust = np.asarray(weights["trust"], dtype=np.float64)
    order = np.argsort(-trust, kind="stable")
    head = (
        f"The meta-model, {stack.meta_name}, is fitted on the finished level-1 table: {plural(n_train, 'row')} × "
        f"{plural(len(columns), 'column')}."
    )
    if "meta_coef" in weights:
        which = (
            f"its weight on each base model's probability of class {classes[1]}"
            if len(classes) == 2
            else "its weight on each base model's probability of the class being scored (averaged over the classes)"
        )
        listed = ", ".join(f"{_short(stack, int(i))} {_signed(float(trust[i]))}" for i in order)
        body = (
            f" How much it trusts each one is {which}: {listed}. It leans on the models whose out-of-fold "
            "probabilities separate the classes best, and gives little weight to one that only repeats what a "
            "trusted model already says."
        )
        if stack.passthrough:
            coef = np.asarray(weights["meta_coef"])[0]
            body += f" The features themselves get {_signed(float(coef[-2]))} and {_signed(float(coef[-1]))}."
    else:
        listed = ", ".join(f"{_short(stack, int(i))} {percent(float(trust[i]))}" for i in order)
        body = (
            f" It trusts the columns it splits on; each base model's share of its impurity decrease: {listed} "
            "(0 %: never asked)."
        )
    tail = (
        f" On the table it gets {pct(meta_accuracy)} of the training points right. Each base model is then refit on "
        f"all {plural(n_train, 'training point')} (the small pictures), as StackingClassifier does: "
        f"{plural(m, 'model')} whose probabilities the meta-model will combine for new points."
    )
    return head + body + tail


def final_story(stack: Stack, scores: Scores, facts: Mapping[str, Any], n_train: int) -> str:
    """The caption of the final frame: the stack against its best base model, and why."""
    held = str(facts["held"])
    accuracy = scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy
    best = int(facts["best_member"])
    best_accuracy = float(facts["best_member_accuracy"])
    head = (
        f"The stacked model: a new point goes through the {plural(len(stack.specs), 'refit base model')}, and "
        f"their probabilities through the meta-model. It gets {pct(accuracy)} of the {held} points right, against "
        f"{pct(best_accuracy)} for the best base model, {stack.names[best]}."
    )
    agree = pct(float(facts["agreement"]))
    if accuracy > best_accuracy:
        why = (
            " Stacking beats it: the meta-model learned from out-of-fold predictions where each model can be "
            f"trusted, and the models disagree on enough points (all agree on {agree}) for that to matter."
        )
    elif accuracy == best_accuracy:
        why = (
            f" Stacking only matches it: the base models agree on {agree} of the {held} points, which leaves "
            "little to combine."
        )
    else:
        why = (
            f" Stacking does worse here: its weights were learned from {plural(n_train, 'out-of-fold row')} and do "
            f"not carry over to these {held} points; the base models agree on {agree} of them, so there was little "
            "to gain."
        )
    return head + why
