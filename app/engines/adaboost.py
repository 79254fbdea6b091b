"""AdaBoost (discrete SAMME) replayed round by round from one fit of scikit-learn's ``AdaBoostClassifier``.

The library fits the whole ensemble once (``random_state`` = the run's seed) and keeps each round's tree
(``estimators_``), its say (``estimator_weights_``) and its weighted error (``estimator_errors_``), and
``staged_decision_function`` gives the ensemble after each round. It does not keep the sample weights of each
round, so ``replay`` recomputes them by hand with SAMME's rule, exactly as ``AdaBoostClassifier.fit`` and
``_boost`` do in scikit-learn 1.9 (which has no ``algorithm=`` parameter any more: SAMME is its only one):

* start: w = 1/N for each of the N training points;
* each round: w ← max(w, float eps) (scikit-learn's guard against vanishing weights); fit the tree with w;
  ε = Σ w[misclassified] / Σ w;
  - ε = 0: the tree is perfect: its say is 1 and the fit stops;
  - ε ≥ 1 − 1/K: no better than guessing among K classes: the tree is discarded and the fit stops;
  - otherwise α = learning_rate · (ln((1 − ε)/ε) + ln(K − 1)), and unless it was the last round,
    w ← w · exp(α · [misclassified]) and w ← w / Σ w.

The trees' ``random_state``s are the successive ``randint(2³¹ − 1)`` draws of ``RandomState(seed)``, one per
round (scikit-learn's ``_set_random_states``), so a tree refitted with the replayed weights and its seed is the
library's tree (the tests check it), which proves the weights are the ones it used.

Shapes: ``X`` (n, 2) float, ``y`` (n,) class indices 0..K−1; training rows ``parts.train`` (N,); the grid g × g
points (``make_grid``); the decision function of K = 2 is (m,), of K > 2 (m, K).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.adaboost_story import Story
from app.engines.boundary import Split, grid_result, make_grid, score, tree_cuts

EPS = float(np.finfo(np.float64).eps)
"""scikit-learn clips every sample weight to at least this before each round."""


@dataclass(frozen=True)
class Round:
    """One boosting round as scikit-learn ran it (``kept`` False: the tree it fitted and then discarded)."""

    weights: np.ndarray  # (N,) the sample weights the round's tree was fitted with
    incorrect: np.ndarray  # (N,) bool: the training rows that tree misclassifies
    error: float  # ε, the weighted share of the misclassified
    alpha: float  # α, the tree's say (0 for a discarded tree)
    next_weights: np.ndarray | None  # (N,) after the update and normalising; None when no round follows
    tree: DecisionTreeClassifier
    kept: bool = True


def tree_seeds(seed: int, count: int) -> list[int]:
    """The ``random_state`` scikit-learn gives the trees of rounds 1..count of ``AdaBoostClassifier(random_state=
    seed)``: one ``randint(2³¹ − 1)`` draw of ``RandomState(seed)`` per round."""
    random_state = check_random_state(seed)
    return [int(random_state.randint(np.iinfo(np.int32).max)) for _ in range(count)]


def weighted_error(incorrect: np.ndarray, weights: np.ndarray) -> float:
    """ε: the share of the weight on the misclassified rows, as ``_boost`` computes it."""
    return float(np.mean(np.average(incorrect, weights=weights, axis=0)))


def first_round_error(X: np.ndarray, y: np.ndarray, max_depth: int) -> float:
    """ε of the first round's tree (uniform weights). Whether it reaches 1 − 1/K does not depend on the seed:
    only a tree that cannot split the points on balanced classes does (then scikit-learn refuses to fit)."""
    tree = DecisionTreeClassifier(max_depth=max_depth, random_state=0)
    weights = np.full(y.size, 1.0 / y.size)
    tree.fit(X, y, sample_weight=weights)
    return weighted_error(tree.predict(X) != y, weights)


def fit(X: np.ndarray, y: np.ndarray, *, n_estimators: int, learning_rate: float, max_depth: int, seed: int) -> Any:
    """The ``AdaBoostClassifier`` every run replays (training rows only)."""
    model = AdaBoostClassifier(
        estimator=DecisionTreeClassifier(max_depth=max_depth),
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        random_state=seed,
    )
    return model.fit(X, y)


def replay(
    model: Any, X: np.ndarray, y: np.ndarray, seed: int, n_estimators: int | None = None
) -> tuple[list[Round], str]:
    """Every round of ``model`` (fitted on ``X`` (N, d), ``y`` (N,) with ``random_state=seed``) with the sample
    weights it used, and why the fit ended: ``completed`` (all rounds), ``perfect`` (a tree with ε = 0),
    ``guessing`` (a tree no better than guessing, discarded: the last ``Round``, ``kept`` False) or
    ``overflow`` (the weights stopped being finite: scikit-learn's other stop).

    ``n_estimators``: the rounds of the whole run when ``model`` is the fit of its first rounds only (their trees
    are the whole fit's, and so are their weight updates, which only the run's last round skips)."""
    n_rounds = len(model.estimators_)
    n_classes = int(model.n_classes_)
    learning_rate = float(model.learning_rate)
    last = (n_estimators or int(model.n_estimators)) - 1
    rounds: list[Round] = []
    w = np.full(y.size, 1.0 / y.size)  # (N,)
    for m, tree in enumerate(model.estimators_):
        w = np.clip(w, EPS, None)
        incorrect = tree.predict(X) != y
        error = weighted_error(incorrect, w)
        if error <= 0:
            rounds.append(Round(w, incorrect, 0.0, 1.0, None, tree))
            return rounds, "perfect"
        alpha = learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))
        after = None
        if m < last:
            after = np.exp(np.log(w) + alpha * incorrect * (w > 0))
            after /= after.sum()
        rounds.append(Round(w, incorrect, error, float(alpha), after, tree))
        if after is not None:
            w = after
    if n_rounds == model.n_estimators:
        return rounds, "completed"
    previous = rounds[-1].next_weights
    if previous is None or not np.isfinite(previous).all():
        return rounds, "overflow"
    w = np.clip(previous, EPS, None)
    tree = DecisionTreeClassifier(max_depth=model.estimator.max_depth, random_state=tree_seeds(seed, n_rounds + 1)[-1])
    tree.fit(X, y, sample_weight=w)
    incorrect = tree.predict(X) != y
    error = weighted_error(incorrect, w)
    if error < 1.0 - 1.0 / n_classes:
        return rounds, "overflow"
    rounds.append(Round(w, incorrect, error, 0.0, None, tree, kept=False))
    return rounds, "guessing"


def vote(decision: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The class the weighted vote picks (m,) and the share of the total say that voted for it (m,), from
    ``staged_decision_function``'s output. With S_c the share of the say voting class c, scikit-learn's
    two-class decision is 2·(S₁ − S₀) (class 1 when > 0) and its K-class one f_c = S_c − (1 − S_c)/(K − 1)."""
    if n_classes == 2:
        predicted = (decision > 0).astype(np.int64)
        share = (1.0 + np.abs(decision) / 2.0) / 2.0
    else:
        predicted = decision.argmax(axis=1).astype(np.int64)
        share = ((n_classes - 1) * decision.max(axis=1) + 1.0) / n_classes
    return predicted, np.clip(share, 0.0, 1.0)


def tree_nodes(tree: DecisionTreeClassifier) -> dict[str, Any]:
    """A fitted tree as per-node arrays (scikit-learn's ``tree_``): ``feature`` (−2 at a leaf), ``threshold``
    (x[feature] ≤ threshold goes left; −2 at a leaf), ``left`` / ``right`` children (−1 at a leaf),
    ``predicted`` class of each node and ``weight``, the sample weight reaching it."""
    t = tree.tree_
    return {
        "feature": t.feature.astype(np.int64).copy(),
        "threshold": t.threshold.copy(),
        "left": t.children_left.astype(np.int64).copy(),
        "right": t.children_right.astype(np.int64).copy(),
        "predicted": tree.classes_[t.value[:, 0, :].argmax(axis=1)].astype(np.int64),
        "weight": t.weighted_n_node_samples.copy(),
    }


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    n_estimators: int,
    learning_rate: float,
    max_depth: int,
    grid_size: int,
    seed: int,
    feature_names: Sequence[str],
    class_names: Sequence[str],
) -> Generator[Frame, None, dict[str, Any]]:
    """One ``round`` frame per tree kept, then a ``stopped`` frame when scikit-learn discarded a tree no better
    than guessing; the result.

    The first frame comes from a fit of round 1 alone (its tree, say and weight update are the whole fit's:
    rounds are fitted in order from the same seed), so it does not wait for all the rounds; the whole fit follows
    and the later frames replay it."""
    grid = make_grid(X, grid_size)
    train = parts.train
    X_train, y_train = X[train], y[train]
    story = Story(
        n_train=int(train.size),
        n_classes=n_classes,
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        max_depth=max_depth,
        feature_names=tuple(feature_names),
        class_names=tuple(class_names),
    )
    history: list[dict[str, Any]] = []
    shown: dict[str, Any] = {"test": None, "predicted": np.zeros(0), "grid": np.zeros(0), "share": np.zeros(0)}

    def frame_of(m: int, r: Round, rows: np.ndarray | None, points: np.ndarray | None) -> Frame:
        """Round m + 1's frame; ``rows`` (n,)|(n, K) and ``points`` (g²,)|(g², K): the ensemble's decision
        function after it (None for a discarded tree: the ensemble did not change)."""
        if rows is not None and points is not None:
            shown["predicted"], _ = vote(rows, n_classes)  # (n,) every row, train and test
            shown["grid"], shown["share"] = vote(points, n_classes)  # (g²,) each
        scores = score(y, shown["predicted"], parts, n_classes)
        misses = train[r.incorrect]  # dataset rows of the training points this round's tree gets wrong
        after = None if r.next_weights is None else float(r.next_weights[r.incorrect].sum())
        alone = float(np.mean(~r.incorrect))
        n_trees = m + 1 if r.kept else m
        text = story.round_caption(m + 1, r, int(misses.size), after)
        text += story.ensemble(scores.train_accuracy, scores.test_accuracy, shown["test"], alone, n_trees, r.kept)
        shown["test"] = scores.test_accuracy
        if r.kept:
            history.append(
                {"round": m + 1, "train_accuracy": scores.train_accuracy, "test_accuracy": scores.test_accuracy}
            )
        state = {
            "round": m + 1,
            "sample_weight": r.weights.copy(),
            "error": r.error,
            "alpha": r.alpha,
            "boost_factor": float(np.exp(r.alpha)) if r.next_weights is not None else None,
            "misclassified_by_tree": misses,
            "tree": tree_nodes(r.tree),
            "tree_train_accuracy": alone,
            "n_trees": n_trees,
            **scores.state(),
        }
        visual = {
            "predicted": shown["grid"],
            "probability": shown["share"],
            "misclassified": scores.misclassified,
            "cuts": tree_cuts(r.tree, grid.box),
        }
        metrics = scores.metrics(error=r.error, alpha=r.alpha)
        return Frame("round" if r.kept else "stopped", text, state, metrics, visual)

    head = fit(X_train, y_train, n_estimators=1, learning_rate=learning_rate, max_depth=max_depth, seed=seed)
    (first,), _ = replay(head, X_train, y_train, seed, n_estimators)
    decision = head.decision_function
    yield frame_of(0, first, decision(X), decision(grid.points))
    model = head
    if n_estimators > 1:
        model = fit(
            X_train, y_train, n_estimators=n_estimators, learning_rate=learning_rate, max_depth=max_depth, seed=seed
        )
    rounds, stop = replay(model, X_train, y_train, seed)
    row_stages = model.staged_decision_function(X)  # lazily, one stage per frame
    grid_stages = model.staged_decision_function(grid.points)
    next(row_stages), next(grid_stages)  # round 1's, shown already
    for m, r in enumerate(rounds[1:], start=1):
        checkpoint()
        yield frame_of(m, r, next(row_stages), next(grid_stages)) if r.kept else frame_of(m, r, None, None)
    kept = [r.tree for r in rounds if r.kept]
    return {
        "estimator_weights": model.estimator_weights_.copy(),
        "estimator_errors": model.estimator_errors_.copy(),
        "n_trees": len(kept),
        "stop": stop,
        "tree_seeds": [int(t.random_state) for t in kept],
        "trees": [tree_nodes(t) for t in kept],
        "accuracy_by_round": history,
        "train_accuracy": history[-1]["train_accuracy"],
        "test_accuracy": history[-1]["test_accuracy"],
        "train_indices": train,
        "test_indices": parts.test,
        "grid": grid_result(grid, shown["grid"], vote_share=shown["share"]),
        "classes": list(class_names),
    }
