"""The hyperparameter-tuning lab's captions: each names its frame's numbers and says why they come out so."""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.core.text import plural
from app.engines.hyperparameter_tuning import MLP_MAX_ITER, Axis, Search

STRATEGY_WORDS = {"grid": "Grid search", "random": "Random search", "halving": "Successive halving"}


def _range(axis: Axis) -> str:
    if axis.kind == "choice":
        return " or ".join(str(v) for v in axis.values)
    return f"{axis.low:g} to {axis.high:g}"


def setup_story(
    search: Search,
    model: str,
    n_candidates: int,
    n_search: int,
    n_test: int,
    fits: int,
    rounds: Sequence[tuple[int, int]],
) -> str:
    first, second = search.axes
    head = f"{STRATEGY_WORDS[search.strategy]} over {model} {first.label} × {second.label}: "
    judged = f"each judged by {search.k}-fold stratified cross-validation on the {plural(n_search, 'search row')}"
    locked = f"the {plural(n_test, 'test row')} are locked away until the winner is chosen."
    logs = [a for a in search.axes if a.log and a.kind == "float"]
    why_log = ""
    if logs:
        a = logs[0]
        name = "The learning rate" if a.name == "learning_rate_init" else a.name
        steps = (
            f", so each value is {(a.high / a.low) ** (1 / (len(a.values) - 1)):.3g} times the one before"
            if search.strategy != "random" and len(a.values) > 1
            else ""
        )
        why_log = (
            f" {name} runs from {a.low:g} to {a.high:g} "
            f"on a log scale{steps}: what matters is its order of magnitude (the model changes as much from 0.1 to 1 "
            "as from 100 to 1000), and an even grid would spend most of its values near the top."
        )
    if search.model == "mlp":
        why_log += (
            f" Each network trains for only {MLP_MAX_ITER} epochs of Adam so that the search stays short, which makes "
            "it the slowest model here: fewer values or folds make the run quicker."
        )
    if search.strategy == "random":
        return (
            f"{head}{plural(n_candidates, 'random draw')} ({first.name} from {_range(first)}, {second.name} from "
            f"{_range(second)}), {judged}: {fits} fits in all; {locked}{why_log}"
        )
    sizes = f"{len(first.values)} × {len(second.values)} = {plural(n_candidates, 'candidate')}"
    if search.strategy == "halving":
        plan = "; ".join(f"round {i}: {c} on {r} rows each" for i, (c, r) in enumerate(rounds, start=1))
        full = n_candidates * search.k + 1
        spent = sum(c * r for c, r in rounds)
        cost = " + ".join(f"{c} × {r}" for c, r in rounds)
        compare = "more" if fits > full else "fewer"
        return (
            f"{head}{sizes} raced in rounds ({plan}), {judged.replace('on the', 'on samples of the')}: "
            f"{fits} fits ({compare} than the full grid's {full}), but on few rows: {cost} = {spent:,} "
            f"candidate-rows against {n_candidates} × {n_search} = {n_candidates * n_search:,} for the grid; "
            f"{locked}{why_log}"
        )
    return f"{head}{sizes}, {judged}: {n_candidates} × {search.k} + 1 = {fits} fits; {locked}{why_log}"


def evaluate_story(
    search: Search,
    i: int,
    n: int,
    words: str,
    mean: float | None,
    std: float | None,
    best: float | None,
    best_words: str,
    new_best: bool,
    n_search: int,
) -> str:
    who = f"Candidate {i} of {n}: {words}"
    if mean is None or std is None:
        return f"{who} could not be fitted on every fold (scikit-learn records NaN), so it cannot win."
    k = search.k
    head = (
        f"{who} scores {mean:.3f} ± {std:.3f}: the mean accuracy of {k} models, each trained on {k - 1}/{k} of the "
        f"{n_search} search rows and scored on the other 1/{k}."
    )
    if new_best:
        tail = " A new best so far." if i > 1 else " The first, so the best so far."
    else:
        tail = f" Best so far: {best:.3f} ({best_words})." if best is not None else ""
    if search.strategy == "random" and i == n and n > 1:  # one draw compares with nothing
        first, second = search.axes
        side = max(1, math.isqrt(n))
        tail += (
            f" These {plural(n, 'draw')} tried {plural(n, 'value')} of {first.name} and of {second.name}; a grid of "
            "about the same "
            f"fits would try only {side} of each. When one of the two hardly matters, every draw still tries a new "
            "value of the one that does: that is why random search finds good regions with fewer fits."
        )
    return head + tail


def round_story(
    r: int,
    n_rounds: int,
    n_candidates: int,
    n_resources: int,
    n_search: int,
    k: int,
    kept: int,
    dropped_scores: Sequence[float],
    factor: int,
    best: float | None,
    best_words: str,
) -> str:
    head = (
        f"Round {r} of {n_rounds}: {plural(n_candidates, 'candidate')}, each cross-validated on {n_resources} of "
        f"the {n_search} search rows ({n_candidates * k} fits"
    )
    head += ", cheap on so few rows)." if n_resources < n_search else ")."
    tested = n_resources // k
    if n_resources < n_search and tested <= 20:
        head += (
            f" Each fold tests only about {tested} rows, so a score moves in steps of about 1/{tested}: rough, but "
            "enough to tell the hopeless from the promising."
        )
    if best is not None:
        head += f" Best this round: {best:.3f} ({best_words})."
    if r == n_rounds or not dropped_scores:
        return head + " This is the last round: its best candidate wins."
    defined = [s for s in dropped_scores if not math.isnan(s)]
    spread = f", scoring {min(defined):.3f}–{max(defined):.3f}" if defined else ""
    failed = len(dropped_scores) - len(defined)
    if failed:
        spread += f" ({failed} could not be fitted on so few rows)"
    return (
        f"{head} Kept the best {kept} (1/{factor}); dropped {len(dropped_scores)}{spread}: the bottom "
        f"{factor - 1}/{factor}. A candidate that is bad on a small sample is rarely good on all of it, so halving "
        "spends its rows on the promising few."
    )


def winner_story(
    words: str, best_score: float | None, n_candidates: int, test_score: float, n_test: int, fits: int
) -> str:
    if best_score is None:
        return f"No candidate could be fitted on every fold; {words} is refit anyway and scores {test_score:.3f}."
    gap = best_score - test_score
    noise = math.sqrt(max(test_score * (1 - test_score), 1e-12) / n_test)
    head = (
        f"The winner, {words}, cross-validated {best_score:.3f}; refit on all search rows, it scores "
        f"{test_score:.3f} on the {plural(n_test, 'held-out test row')} ({fits} fits in all)."
    )
    if abs(gap) < 5e-4:
        return (
            f"{head} This time the test score equals the CV score; on average the best of "
            f"{plural(n_candidates, 'noisy estimate')} is biased up, as the maximum of many noisy scores is. The "
            "test score is the honest one: those rows took no part in choosing."
        )
    if gap > 0:
        return (
            f"{head} Its CV score is optimistic by {gap:.3f} (best CV − test): it is the best of "
            f"{plural(n_candidates, 'noisy estimate')}, and the maximum of many noisy scores is biased up. The test "
            "score is the honest one: those rows took no part in choosing."
        )
    return (
        f"{head} This time the test score is {-gap:.3f} higher than the CV score: a test set of {n_test} rows is "
        f"noisy too (± {noise:.3f}). On average the best of {plural(n_candidates, 'CV estimate')} is biased up; "
        "the test score is still the honest one, as those rows took no part in choosing."
    )
