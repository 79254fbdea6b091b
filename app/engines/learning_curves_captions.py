"""The learning-curves lab's captions: each names its frame's numbers and says why they come out so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.text import plural

if TYPE_CHECKING:
    from app.engines.learning_curves import CurvePlan

Score = float | None
SETTING_WORDS = {"C": "C", "n_neighbors": "k", "max_depth": "depth", "var_smoothing": "smoothing"}


def _pct(value: Score) -> str:
    return "undefined" if value is None else f"{value:.1%}"


def _value(name: str, value: float) -> str:
    return f"{SETTING_WORDS.get(name, name)} = {value:g}"


def size_story(
    plan: CurvePlan, i: int, sizes: Sequence[int], train_mean: Sequence[Score], test_mean: Sequence[Score], held: int
) -> str:
    size, k = sizes[i - 1], plan.k
    head = (
        f"Size {i} of {len(sizes)}: each of the {k} folds trains a {plan.name} on {plural(size, 'row')} of its "
        f"own and scores it on its ~{plural(held, 'held-out row')}: training accuracy {_pct(train_mean[-1])}, "
        f"validation {_pct(test_mean[-1])}"
    )
    train, test = train_mean[-1], test_mean[-1]
    if i == 1 or train is None or test is None:
        gap = "" if train is None or test is None else f" (a gap of {train - test:.1%})"
        return (
            f"{head}{gap}. With few rows a model can fit nearly all of them, but it has seen too little to "
            "predict rows it never saw. The ring marks the rows fold 1's model trains on."
        )
    before_train, before_test = train_mean[-2], test_mean[-2]
    moves = []
    if before_train is not None:
        moves.append(f"training {'fell' if train < before_train else 'rose' if train > before_train else 'held'}")
    if before_test is not None:
        moves.append(f"validation {'rose' if test > before_test else 'fell' if test < before_test else 'held'}")
    why = (
        "more rows are harder to fit all at once, and more examples pin the boundary down for new ones"
        if train <= (before_train or train) and test >= (before_test or test)
        else "the folds' scores are noisy at this size: read the band (± std over the folds), not one step"
    )
    return (
        f"{head}; {' and '.join(moves)} since {plural(sizes[i - 2], 'row')}: {why}. The gap is now {train - test:.1%}."
    )


def diagnosis_story(
    plan: CurvePlan,
    sizes: Sequence[int],
    train_mean: Sequence[Score],
    test_mean: Sequence[Score],
    verdict: str,
    rising: bool,
) -> str:
    train, test = train_mean[-1], test_mean[-1]
    if train is None or test is None:
        return f"The {plan.name} could not be scored at {plural(sizes[-1], 'row')}, so the curve has no reading."
    at = (
        f"At {plural(sizes[-1], 'row')} the {plan.name} scores {train:.1%} on its training rows and {test:.1%} on "
        f"held-out rows, a gap of {train - test:.1%}"
    )
    if verdict == "high variance":
        more = (
            "the validation score was still rising at the last step, so more data would likely help"
            if rising
            else "the validation score has levelled off, so a simpler model (or regularisation) would help more "
            "than more rows"
        )
        return f"{at}: high variance. The model learns its training rows' noise, which new rows do not share; {more}."
    if verdict == "high bias":
        return (
            f"{at}: high bias. Both curves have met low, so more rows will not help: the model is too simple for "
            "this boundary (a more flexible model would)."
        )
    return f"{at}: a good fit. The curves have met high, so this model has the data it needs and is flexible enough."


def value_story(
    plan: CurvePlan,
    name: str,
    values: Sequence[float],
    i: int,
    train_mean: Sequence[Score],
    test_mean: Sequence[Score],
) -> str:
    value = values[i - 1]
    head = (
        f"Value {i} of {len(values)}, {_value(name, value)}: training accuracy {_pct(train_mean[-1])}, validation "
        f"{_pct(test_mean[-1])} (means over {plan.k} folds; the picture is fold 1's model)"
    )
    train, test = train_mean[-1], test_mean[-1]
    if train is None or test is None:
        return f"{head}."
    gap = train - test
    if gap >= 0.05:
        return f"{head}. The {gap:.1%} gap says this setting lets the model fit noise its validation rows do not share."
    if train < 0.9:
        return f"{head}. Both are low and close: at this setting the model is too stiff to follow the classes."
    return f"{head}. Training and validation agree ({gap:.1%} apart): the model generalises at this setting."


def best_story(
    plan: CurvePlan,
    name: str,
    values: Sequence[float],
    best: int,
    train_mean: Sequence[Score],
    test_mean: Sequence[Score],
    simpler_when_larger: bool,
) -> str:
    value, score = values[best], test_mean[best]
    low, high = "smaller", "larger"
    simple, complex_ = (high, low) if simpler_when_larger else (low, high)
    train = train_mean[best]
    gap = "" if train is None or score is None else f" (training {train:.1%})"
    return (
        f"The best validation accuracy, {_pct(score)}{gap}, is at {_value(name, value)}. On the {simple} side the "
        f"model is too simple and underfits (both scores low); on the {complex_} side it overfits (training keeps "
        "rising while validation falls). Pick the top of the validation curve, never of the training one."
    )
