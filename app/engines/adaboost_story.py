"""AdaBoost's captions: what each round did, in words, with that round's own numbers (``app.engines.adaboost``
builds them). Every claim is checked against the frame in ``tests/engines/test_adaboost_captions.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from app.core.text import fixed, num, percent, plural


class RoundFacts(Protocol):
    """What a caption reads of one round (``adaboost.Round``)."""

    @property
    def tree(self) -> DecisionTreeClassifier: ...

    @property
    def error(self) -> float: ...

    @property
    def alpha(self) -> float: ...

    @property
    def kept(self) -> bool: ...


PRETTY = {"x1": "x₁", "x2": "x₂"}


@dataclass(frozen=True)
class Story:
    """What every caption of a run says besides the round's own numbers, and how it says them."""

    n_train: int
    n_classes: int
    n_estimators: int
    learning_rate: float
    max_depth: int
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]

    @property
    def learner(self) -> str:
        return "stump" if self.max_depth == 1 else "tree"

    def _feature(self, f: int) -> str:
        name = self.feature_names[f] if f < len(self.feature_names) else f"x{f + 1}"
        return PRETTY.get(name, name)

    def _class(self, c: int) -> str:
        return f"class {self.class_names[c]}"

    def rule(self, tree: DecisionTreeClassifier) -> str:
        """The tree in words: a stump's rule in full, a deeper tree by its leaves and first split."""
        t = tree.tree_
        predicted = tree.classes_[t.value[:, 0, :].argmax(axis=1)]
        if t.node_count == 1:
            return f"with no split ({self._class(int(predicted[0]))} everywhere)"
        feature, cut = self._feature(int(t.feature[0])), num(float(t.threshold[0]), 3)
        if t.node_count == 3:
            left, right = int(predicted[t.children_left[0]]), int(predicted[t.children_right[0]])
            if left == right:
                return f"“{feature} ≤ {cut}” ({self._class(left)} on both sides)"
            return f"“{feature} ≤ {cut} → {self._class(left)}, else {self._class(right)}”"
        return f"with {plural(int(t.n_leaves), 'leaf', 'leaves')} (first split {feature} ≤ {cut})"

    def _say(self, alpha: float, first: bool) -> str:
        core = "ln((1 − ε)/ε)" + (f" + ln({self.n_classes} − 1)" if self.n_classes > 2 else "")
        if self.learning_rate != 1:
            core = f"{num(self.learning_rate, 3)} × " + (f"({core})" if self.n_classes > 2 else core)
        say = f"α = {core} = {fixed(alpha, 2)}"
        if first and self.n_classes == 2:
            say += " (twice the textbook's ½·ln((1 − ε)/ε): doubling every say changes no vote)"
        return say

    def round_caption(self, number: int, r: RoundFacts, misses: int, share_after: float | None) -> str:
        """What round ``number`` did: the tree, its ε and α, and how the weights move for the next round."""
        first = number == 1
        head = f"Round {number}: "
        head += f"every training point starts with weight 1/N = 1/{self.n_train}. The " if first else "the "
        learner, rule, guess = self.learner, self.rule(r.tree), 1.0 - 1.0 / self.n_classes
        if not r.kept:
            return (
                f"{head}best {learner} for the current weights, {rule}, misclassifies points carrying "
                f"{percent(r.error, 1)} of the weight (ε = {fixed(r.error, 3)}), no better than guessing among "
                f"{self.n_classes} classes (1 − 1/K = {fixed(guess, 3)}), so its say would be α ≤ 0: scikit-learn "
                f"discards it and stops with {plural(number - 1, learner)}."
            )
        if r.error == 0:
            return (
                f"{head}{learner} {rule} classifies every training point right (ε = 0), so scikit-learn gives "
                "it a say of 1 whatever the learning rate and stops: with no point misclassified there is "
                "nothing left to re-weight."
            )
        text = (
            f"{head}{learner} {rule} misclassifies {plural(misses, 'point')} carrying {percent(r.error, 1)} of "
            f"the weight (ε = {fixed(r.error, 3)}), so its say is {self._say(r.alpha, first)}."
        )
        if share_after is not None:
            one = misses == 1
            text += (
                f" {'Its weight grows' if one else 'Their weights grow'} ×{num(float(np.exp(r.alpha)), 3)}"
                + (" and all are divided by their new sum: now " if first else "; after normalising ")
                + f"{'it carries' if one else 'they carry'} {percent(share_after, 0)} of the weight"
            )
            if abs(share_after - guess) < 1e-9:
                text += (
                    f", exactly 1 − 1/K, so this {learner} would now do no better than guessing and round 2 must "
                    "find another."
                    if first
                    else f" (1 − 1/K again), so round {number + 1} needs another {learner}."
                )
            else:
                text += f", and round {number + 1} must focus on {'it' if one else 'them'}."
        elif number == self.n_estimators:
            text += (
                " It is the only round," if first else f" It is the last of the {self.n_estimators} rounds,"
            ) + " so the weights are not updated again."
        return text

    def ensemble(
        self, train: float, test: float | None, previous_test: float | None, alone: float, n_trees: int, kept: bool
    ) -> str:
        """How the weighted vote does now, against the round before and against this tree alone."""
        score = f"test accuracy {percent(test)}" if test is not None else f"training accuracy {percent(train)}"
        if test is not None and previous_test is not None and kept:
            delta = test - previous_test
            score += f" ({'unchanged' if abs(delta) < 5e-4 else f'{100 * delta:+.1f} points'})"
        if test is not None:
            score += f", training {percent(train)}"
        if not kept:
            return f" The ensemble is final: {score}."
        if n_trees == 1:
            return f" For now it is the whole ensemble: {score}."
        return (
            f" The weighted vote of {plural(n_trees, self.learner)}: {score}; this {self.learner} alone gets "
            f"{percent(alone)} of the training points right."
        )
