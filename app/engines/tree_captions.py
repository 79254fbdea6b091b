"""The decision-tree lab's captions: what each frame did and why, with the frame's own numbers.

A split says which cut won among how many, how much impurity it removed and what went each way; a child that
stays a leaf says which rule stopped it. A pruning step says which branch went and why it was the cheapest; a
depth step says whether the tree under- or over-fits there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from app.core.text import fixed, num, percent, plural
from app.engines.tree_scan import NodeScan

if TYPE_CHECKING:
    from app.engines.tree import TreeProblem, TreeSettings
    from app.engines.tree_prune import NodeTable, PruneStep

PRETTY = {"x1": "x₁", "x2": "x₂"}
CRITERION = {
    "gini": "gini",
    "entropy": "entropy",
    "log_loss": "entropy",
    "squared_error": "squared error",
    "absolute_error": "absolute error",
}
TIE = 1e-12


def feature_name(problem: TreeProblem, j: int) -> str:
    name = problem.feature_names[j] if j < len(problem.feature_names) else f"x{j + 1}"
    return PRETTY.get(name, name)


def scores_text(problem: TreeProblem, scores: tuple[float, float | None]) -> str:
    """ "accuracy train 85.0 %, test 81.7 %" or "MSE train 0.12, test 0.15"."""
    train, test = scores
    if problem.task == "classification":
        held = f", test {percent(test, 1)}" if test is not None else ""
        return f"accuracy train {percent(train, 1)}{held}"
    held = f", test {num(test, 3)}" if test is not None else ""
    return f"mean squared error train {num(train, 3)}{held}"


def contents(problem: TreeProblem, settings: TreeSettings, table: NodeTable, node: int) -> str:
    """What a node holds: "all class 0", "mostly class 1 (81 %)", "mean y 1.23"."""
    value = table.value[node]
    if problem.task == "classification":
        top = int(np.argmax(value))
        name = problem.class_names[top] if top < len(problem.class_names) else str(top)
        if value[top] >= 1.0 - 1e-12:
            return f"all class {name}"
        return f"mostly class {name} ({percent(float(value[top]))})"
    middle = "median" if settings.criterion == "absolute_error" else "mean"
    return f"{middle} y {num(float(value[0]), 3)}"


def reason_text(reason: str, settings: TreeSettings, problem: TreeProblem) -> str:
    """Why a leaf stops, completing "it …"."""
    return {
        "pure": "is pure (one class)" if problem.task == "classification" else "holds a single value of y",
        "max_depth": f"is at the maximum depth {settings.max_depth}",
        "min_samples_split": f"has fewer than min_samples_split = {settings.min_samples_split} samples",
        "min_samples_leaf": (
            f"cannot be cut leaving min_samples_leaf = {settings.min_samples_leaf} samples on each side"
        ),
        "pruned": f"was pruned back: its branch did not pay its way at ccp_alpha = {num(settings.ccp_alpha, 3)}",
        "no_cut": "holds points at the same position, which no cut can separate",
        "max_leaf_nodes": f"lost out: the max_leaf_nodes = {settings.max_leaf_nodes} leaves went to better splits",
    }.get(reason, "stops here")


def root_leaf(problem: TreeProblem, settings: TreeSettings, table: NodeTable, reason: str, scores: Any) -> str:
    crit = CRITERION[settings.criterion]
    return (
        f"The root ({plural(int(table.n_samples[0]), 'sample')}, {crit} {fixed(table.impurity[0], 3)}) stays a "
        "leaf: it "
        f"{reason_text(reason, settings, problem)}. Every point gets its {contents(problem, settings, table, 0)}; "
        f"{scores_text(problem, scores)}."
    )


def _tie_note(problem: TreeProblem, scan: NodeScan, feature: int, gain: float) -> str:
    """A sentence when another feature's best cut is as good as the chosen one (scikit-learn tries the features
    in an order drawn from its random_state, and keeps the first of equal gains)."""
    for f in scan.features:
        gains = f.gains(scan.impurity)
        if f.feature != feature and gains.size and abs(float(gains.max()) - gain) <= TIE:
            other = f.thresholds[int(np.argmax(gains))]
            return (
                f" A cut on {feature_name(problem, f.feature)} ≤ {num(other, 3)} ties it; scikit-learn keeps the first "
                "of equal cuts in the feature order its random_state draws, so the seed decides."
            )
    return ""


def split(
    problem: TreeProblem,
    settings: TreeSettings,
    table: NodeTable,
    node: int,
    scan: NodeScan,
    stops: dict[int, str],
    scores: Any,
    k: int,
) -> str:
    """ "Split node 3 (57 samples, gini 0.42) on x₁ ≤ 0.61: the best of 214 candidate cuts …"."""
    crit = CRITERION[settings.criterion]
    n = table.n_samples
    left, right = int(table.left[node]), int(table.right[node])
    feature, threshold = int(table.feature[node]), float(table.threshold[node])
    child = (n[left] * table.impurity[left] + n[right] * table.impurity[right]) / n[node]
    gain = float(table.impurity[node] - child)
    head = "the root" if node == 0 else f"node {node}"
    text = (
        f"Split {head} ({plural(int(n[node]), 'sample')}, {crit} {fixed(table.impurity[node], 3)}) on "
        f"{feature_name(problem, feature)} ≤ {num(threshold, 3)}: the best of "
        f"{plural(scan.n_candidates, 'candidate cut')}, it lowers the weighted {crit} to {fixed(child, 3)} "
        f"(gain {fixed(gain, 3)}). Left {plural(int(n[left]), 'sample')}, {contents(problem, settings, table, left)}; "
        f"right {int(n[right])}, {contents(problem, settings, table, right)}."
    )
    fates = []
    for side, c in (("left", left), ("right", right)):
        if c in stops:
            fates.append(f"the {side} child stays a leaf: it {reason_text(stops[c], settings, problem)}")
    if fates:
        text += " " + "; ".join(fates).capitalize() + "."
    text += _tie_note(problem, scan, feature, gain)
    if k == 0 and problem.task == "classification":
        text += " Gain = parent impurity − the children's, weighted by their share of the samples."
    return f"{text} So far {scores_text(problem, scores)}."


def level(problem: TreeProblem, depth: int, count: int, scores: Any) -> str:
    return (
        f"Depth {depth}: the remaining {plural(count, 'split')} of this level at once (past 63 splits the frames "
        f"go a level at a time); {scores_text(problem, scores)}."
    )


def prune(
    problem: TreeProblem,
    settings: TreeSettings,
    steps: list[PruneStep],
    collapsed: list[int],
    leaves_before: int,
    state: dict[str, Any],
    scores: Any,
    chosen: bool,
) -> str:
    """ "Pruning at α = 0.0135: the branch under node 9 collapses into a leaf. It was the weakest link …"."""
    crit = CRITERION[settings.criterion]
    alpha = steps[0].alpha
    names = " and ".join(f"node {c}" for c in collapsed)
    gone = leaves_before - int(state["n_leaves"])
    one = len(collapsed) == 1
    text = (
        f"Pruning at α = {num(alpha, 3)}: the {'branch' if one else 'branches'} under {names} "
        f"{'collapses into a leaf' if one else 'collapse into leaves'}. "
        f"{'It was the weakest link' if one else 'They tie as the weakest links'}: merging "
        f"{plural(gone, 'leaf', 'leaves')} away adds {num(alpha * gone, 3)} to the weighted {crit} of the leaves, "
        f"{num(alpha, 3)} per leaf removed, less than any other branch would. "
        f"{plural(int(state['n_leaves']), 'leaf', 'leaves')} left; {scores_text(problem, scores)}."
    )
    if state["n_leaves"] == 1:
        text += " Only the root is left: one prediction for every point."
    if chosen:
        text += f" This is the tree your ccp_alpha = {num(settings.ccp_alpha, 3)} keeps."
    return text


def depth(problem: TreeProblem, d: int, curve: list[dict[str, Any]], max_depth: int, full_depth: int) -> str:
    """Whether a tree of depth ``d`` under- or over-fits, read off the depth sweep."""
    entry = curve[d - 1]
    classify = problem.task == "classification"
    scores = (entry["train_score"], entry["test_score"])
    text = (
        f"Depth {d}: a tree allowed {plural(d, 'level')} of questions has "
        f"{plural(entry['n_leaves'], 'leaf', 'leaves')}; {scores_text(problem, scores)}."
    )
    held = [c["test_score"] for c in curve]
    if held[0] is not None:
        better = max if classify else min
        best_score = better(held)
        best = held.index(best_score) + 1  # the shallowest depth with the best test score
        if d < best:
            text += (
                f" Too few questions to follow the data: the test score still improves up to depth {best} "
                "(underfitting)."
            )
        elif d == best:
            text += " The best test score of the sweep, at the shallowest depth that reaches it."
        else:
            train_gain = d > 1 and curve[d - 1]["train_score"] != curve[d - 2]["train_score"]
            fitting = "The training score still improves, but" if train_gain else "Deeper,"
            if held[d - 1] == best_score:
                text += f" {fitting} the test score is no better than at depth {best}: the extra splits add nothing."
            else:
                text += (
                    f" {fitting} the test score is below its best (depth {best}): the extra splits fit noise in "
                    "the training points (overfitting)."
                )
    if d == max_depth:
        text += f" This is your tree's depth limit (max_depth {max_depth})."
    if d == full_depth:
        text += " Left without a depth limit, the tree grows no deeper than this."
        if max_depth > full_depth:
            text += f" Your max_depth {max_depth} never binds."
    return text
