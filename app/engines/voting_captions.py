"""The words of the voting and stacking frames: what boundary each kind of model draws and why, and why a
committee beats its best member or does not. Every number comes from the frame the caption is for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from app.core.text import num, percent, plural
from app.engines.boundary import Scores

if TYPE_CHECKING:
    from app.engines.voting import Committee


def pct(fraction: float) -> str:
    return percent(fraction, 1)


def feature_word(names: Sequence[str], j: int) -> str:
    """The name of feature ``j`` as the axes show it (x₁, x₂ for unnamed columns)."""
    name = names[j] if j < len(names) else f"x{j + 1}"
    return {"x1": "x₁", "x2": "x₂"}.get(name, name)


def boundary_kind(spec: Mapping[str, Any], model: Any, n_classes: int, feature_names: Sequence[str]) -> str:
    """What kind of boundary this fitted model draws, and why, in one sentence (true for this model)."""
    kind = spec["model"]
    if kind == "logistic_regression":
        if n_classes == 2:
            return (
                "it draws a straight line: it scores the two classes with one weighted sum of the features, and "
                "the line is where that sum is 0 (probability ½)"
            )
        return "it draws straight lines: one weighted sum per class, and a boundary wherever two of them tie"
    if kind == "knn":
        return (
            f"it follows the training points: every spot takes the majority class of its {spec['n_neighbors']} "
            "nearest training points, so the boundary bends around each local group (smaller k, more bends)"
        )
    if kind == "decision_tree":
        tree = model.tree_
        if tree.node_count == 1:
            return "it asks no question at all (the training points left nothing to split), so one class covers all"
        first = f"{feature_word(feature_names, int(tree.feature[0]))} ≤ {num(float(tree.threshold[0]), 3)}"
        return (
            f"it cuts the plane into {plural(int(model.get_n_leaves()), 'rectangle')}, asking each point at most "
            f"{plural(int(spec['max_depth']), 'yes/no question')} (the first: {first}), so every piece of its "
            "boundary is parallel to an axis"
        )
    if kind == "svm":
        return (
            "it draws a smooth curve: its decision function is a sum of bell-shaped bumps around its "
            f"{plural(int(model.n_support_.sum()), 'support vector')}, so the boundary bends where the data does"
        )
    return (
        "it fits one bell curve per class along each feature, as if the features were independent, and picks the "
        "class whose curves are higher: where they tie the boundary is a quadratic curve"
    )


def _weights_words(committee: Committee) -> str:
    if not committee.weights or len(set(committee.weights)) == 1:
        return "equal weights"
    return "weights " + ", ".join(num(w, 3) for w in committee.weights)


def member_story(
    i: int, committee: Committee, model: Any, scores: Scores, n_classes: int, feature_names: Sequence[str]
) -> str:
    """The caption of member ``i``'s frame."""
    m, name, spec = len(committee.specs), committee.names[i], committee.specs[i]
    head = f"Model {i + 1} of {m}, {name}: {boundary_kind(spec, model, n_classes, feature_names)}."
    if scores.test_accuracy is not None:
        alone = (
            f" Alone it gets {pct(scores.test_accuracy)} of the test points right "
            f"(training {pct(scores.train_accuracy)})."
        )
    else:
        alone = f" Alone it gets {pct(scores.train_accuracy)} of the training points right."
    weight = committee.weight_array[i]
    if committee.weights and len(set(committee.weights)) > 1:
        alone += f" Its vote counts {num(float(weight), 3)}×."
    if committee.voting == "soft":
        role = " In the soft vote its probabilities (the tint: paler is less sure) join the average."
    else:
        role = " In the hard vote it casts one vote per point, however sure it is."
    return head + alone + role


def vote_story(committee: Committee, scores: Scores, facts: Mapping[str, Any]) -> str:
    """The caption of the ensemble frame: the vote's accuracy against its best member's, and why."""
    m = len(committee.specs)
    held = str(facts["held"])
    points = f"{held} points"
    accuracy = scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy
    how = (
        "each model casts one vote and the most votes win"
        if committee.voting == "hard"
        else "the models' class probabilities are averaged and the largest wins"
    )
    if m == 1:
        return (
            f"The vote of a single model is that model's own prediction ({how}): {pct(accuracy)} of the {points} "
            "right. Add models that make different mistakes to see a vote help."
        )
    best = int(facts["best_member"])
    best_name, best_accuracy = committee.names[best], float(facts["best_member_accuracy"])
    fixed, broken = int(facts["fixed"]), int(facts["broken"])
    head = (
        f"The {committee.voting} vote of {m} models ({how}; {_weights_words(committee)}): {pct(accuracy)} of the "
        f"{points} right, against {pct(best_accuracy)} for the best member, {best_name}."
    )
    if accuracy > best_accuracy:
        why = (
            f" The vote beats it: on {plural(fixed, held + ' point')} {best_name} is wrong but the others outvote "
            f"it, and the vote loses only {broken} that it had right. The members err on different points, so "
            "their errors cancel."
        )
    elif accuracy == best_accuracy:
        why = (
            f" The vote only matches it: it fixes {plural(fixed, 'mistake')} of {best_name} and makes "
            f"{plural(broken, 'new one', 'new ones')}."
        )
    else:
        why = (
            f" The vote does worse: it fixes {plural(fixed, 'mistake')} of {best_name} but outvotes it on "
            f"{plural(broken, held + ' point')} it had right: weaker members that err together outvote the best one."
        )
    shared = int(facts["shared_errors"])
    tail = (
        f" {plural(shared, held + ' point')} {'is' if shared == 1 else 'are'} missed by most members: errors "
        "they share, which no vote can fix."
        if shared
        else ""
    )
    agreement = f" All {m} agree on {pct(float(facts['agreement']))} of the {points}."
    return head + why + tail + agreement
