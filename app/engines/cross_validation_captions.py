"""The cross-validation lab's captions: each names its frame's numbers and says why they come out so."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from app.core.text import plural

if TYPE_CHECKING:
    from app.engines.cross_validation import Plan

SCORE_WORDS = {
    "accuracy": "accuracy",
    "f1": "F1",
    "f1_macro": "macro F1",
    "roc_auc": "ROC AUC",
    "roc_auc_ovr": "one-vs-rest ROC AUC",
}


def _sorted_by_class(y: np.ndarray) -> bool:
    """The rows come class by class (each class in one run): unshuffled folds would then be whole classes."""
    changes = int(np.count_nonzero(np.diff(y)))
    return changes == np.unique(y).size - 1


def shuffle_story(plan: Plan, y: np.ndarray, classes: Sequence[str], seed: int) -> str:
    n = int(y.size)
    if plan.splitter == "leave-one-out":
        return (
            f"Leave-one-out: each of the {n} rows will be held out once, on its own, and a model trained on "
            f"the other {n - 1}, so nothing is shuffled and nothing is left to chance ({n} fits)."
        )
    if plan.splitter == "shuffle-split":
        return (
            f"Shuffle-split draws {plural(plan.k, 'random split')} of the {n} rows with seed {seed}, each holding "
            f"out 1/{plan.k} of them; unlike k-fold, a row may be held out several times or never."
        )
    if plan.shuffle:
        return (
            f"The {n} rows are shuffled with seed {seed} before they are cut into {plan.k} folds, so a fold is a "
            "fair sample of the data, whatever order the rows came in."
        )
    if _sorted_by_class(y):
        return (
            f"Shuffle is off and the {n} rows come class by class, so {plan.k} folds cut in row order will hold "
            "whole blocks of one class: watch the scores, and then turn shuffle on."
        )
    return f"Shuffle is off: the {n} rows are cut into {plan.k} folds in the order they came."


def split_story(plan: Plan, n: int, sizes: Sequence[int], counts: Sequence[np.ndarray], classes: Sequence[str]) -> str:
    k = len(sizes)
    if plan.splitter == "leave-one-out":
        return f"{k} folds of one row each: every row is the test set once, and its model trains on the other {n - 1}."
    low, high = min(sizes), max(sizes)
    size = f"{low}" if low == high else f"{low}–{high}"
    rows = "row" if high == 1 else "rows"
    head = f"{k} folds of {size} {rows} (one line per fold in the picture on the right: held out in orange)."
    if len(classes) < 2:
        return head
    shares = [c[1] / max(int(c.sum()), 1) for c in counts]
    spread = f"class {classes[1]} makes up {min(shares):.0%}–{max(shares):.0%} of a fold"
    if plan.splitter == "stratified":
        return f"{head} Stratified: {spread}, as close to its share in all the data as the counts allow."
    return f"{head} Not stratified, so {spread}: a fold's mix of classes is left to chance."


def _span(low: float, high: float) -> str:
    return f"all {low:.3f}" if low == high else f"{low:.3f}–{high:.3f}"


def fold_story(
    plan: Plan,
    f: int,
    k: int,
    n_train: int,
    y_test: np.ndarray,
    classes: Sequence[str],
    value: float | None,
    scores: Sequence[float | None],
    fitted: bool,
    wrong: int,
    unseen: Sequence[int] = (),
) -> str:
    """``unseen``: the classes among the held-out rows that no training row of the fold has."""
    held = y_test.size
    if not fitted:
        return (
            f"Fold {f} of {k}: its {plural(n_train, 'training row')} hold a single class, and {plan.name} cannot be "
            "fitted on one class, so this fold has no score (scikit-learn's cross_validate records NaN)."
        )
    if value is None:
        return (
            f"Fold {f} of {k}: the model trained on {plural(n_train, 'row')}, but its {plural(held, 'held-out row')} "
            "hold one class only, so this score is undefined there and the fold is left out of the mean."
        )
    head = f"Fold {f} of {k}: a fresh {plan.name} trained on the other {plural(n_train, 'row')} scores {value:.3f} "
    missed = ("wrong" if wrong else "right") if held == 1 else f"{wrong} of them wrong"
    head += f"on the {plural(held, 'row')} it never saw ({missed})."
    if unseen:
        names = ", ".join(classes[c] for c in unseen)
        return (
            f"{head} Its training rows hold no row of class {names}, so it cannot predict "
            f"{'it' if len(unseen) == 1 else 'them'}: these folds are not fair samples of the data"
            f"{' (turn shuffle on, or stratify)' if not plan.shuffle else ' (stratify)'}."
        )
    earlier = [s for s in scores[:-1] if s is not None]
    if not earlier:
        return head + " One fold is one estimate: the next folds show how much it depends on which rows were held out."
    low, high = min(earlier), max(earlier)
    if value > high:
        why = f"above every earlier fold ({_span(low, high)})"
    elif value < low:
        why = f"below every earlier fold ({_span(low, high)})"
    elif low == high:
        return f"{head} The same as the earlier folds: these rows happened to be just as hard."
    else:
        why = f"within the earlier folds' {low:.3f}–{high:.3f}"
    return (
        f"{head} That is {why}: the same recipe scores differently on different held-out rows, which is why one "
        "split's score is partly luck."
    )


def summary_story(
    plan: Plan,
    name: str,
    scores: Sequence[float | None],
    mean: float | None,
    std: float | None,
    single: Sequence[float | None],
    share: float,
) -> str:
    words = SCORE_WORDS.get(name, name)
    defined = [s for s in single if s is not None]
    if mean is None or std is None:
        return f"No fold had a defined {words}: try stratified folds, or accuracy."
    folds = sum(s is not None for s in scores)
    head = f"Cross-validated {words}: {mean:.3f} ± {std:.3f} over {plural(folds, 'fold')}."
    if not defined:
        return head
    low, high = min(defined), max(defined)
    spread = float(np.std(defined))
    average = float(np.mean(defined))
    if mean < average - max(spread, 0.01):
        unfair = " (shuffle is off, so they follow the row order)" if not plan.shuffle else ""
        return (
            f"{head} Random train/test splits ({share:.0%} held out) scored {average:.3f} on average over "
            f"{len(defined)} seeds ({low:.3f}–{high:.3f}): these folds were not random samples of the rows{unfair}, "
            "so each model was tested on rows unlike the ones it learned from. A fold must look like the data it "
            "stands for."
        )
    return (
        f"{head} One train/test split ({share:.0%} held out) would have said anything from {low:.3f} to "
        f"{high:.3f} (± {spread:.3f}), depending only on its seed ({len(defined)} seeds): k-fold tests every row "
        f"once and averages the folds' luck: its ± is how much folds differ, and the mean itself is good to "
        f"about ± {std / math.sqrt(folds):.3f} (± std / √{folds}). The picture is the "
        "model refit on all rows: cross-validation judged the recipe, this is the model you would use."
    )
