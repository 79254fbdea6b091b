"""AdaBoost engine: scikit-learn's AdaBoostClassifier is the oracle (its says, errors, trees and staged
predictions), and a first round computed by hand in the journal's steps.

Every case trains a fresh ``AdaBoostClassifier(estimator=DecisionTreeClassifier(max_depth=d), random_state=seed)``
on the training rows and compares the engine's frames with it; small data, few rounds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_blobs, make_moons
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from app.core.frame import Frame, drain
from app.engines import adaboost, boundary

TOL = 1e-9


def _data(kind: str) -> tuple[np.ndarray, np.ndarray]:
    if kind == "moons":
        return make_moons(90, noise=0.3, random_state=1)
    X, y = make_blobs(90, centers=3, cluster_std=2.0, random_state=2)  # three classes that overlap
    return X, y


def _run(
    X: np.ndarray, y: np.ndarray, *, rounds: int, lr: float, depth: int, seed: int, test_fraction: float = 0.3
) -> tuple[list[Frame], dict[str, Any], boundary.Split]:
    parts = boundary.split(y, test_fraction, np.random.default_rng(0))
    n_classes = int(y.max()) + 1
    frames, result = drain(
        adaboost.run(
            X,
            y,
            parts,
            n_classes=n_classes,
            n_estimators=rounds,
            learning_rate=lr,
            max_depth=depth,
            grid_size=20,
            seed=seed,
            feature_names=("x1", "x2"),
            class_names=tuple(str(c) for c in range(n_classes)),
        )
    )
    return frames, result, parts


def _oracle(
    X: np.ndarray, y: np.ndarray, parts: boundary.Split, *, rounds: int, lr: float, depth: int, seed: int
) -> Any:
    model = AdaBoostClassifier(
        estimator=DecisionTreeClassifier(max_depth=depth), n_estimators=rounds, learning_rate=lr, random_state=seed
    )
    return model.fit(X[parts.train], y[parts.train])


CASES = [  # (data, rounds, learning rate, depth, seed)
    ("moons", 12, 1.0, 1, 0),
    ("moons", 10, 0.4, 2, 7),
    ("blobs", 12, 1.0, 1, 3),  # K = 3: α gains ln(K − 1)
    ("blobs", 8, 2.5, 2, 11),
]


@pytest.mark.parametrize(("kind", "rounds", "lr", "depth", "seed"), CASES)
def test_says_errors_and_staged_predictions_equal_sklearn(
    kind: str, rounds: int, lr: float, depth: int, seed: int
) -> None:
    X, y = _data(kind)
    frames, result, parts = _run(X, y, rounds=rounds, lr=lr, depth=depth, seed=seed)
    oracle = _oracle(X, y, parts, rounds=rounds, lr=lr, depth=depth, seed=seed)
    kept = [f for f in frames if f.kind == "round"]
    assert len(kept) == len(oracle.estimators_) == result["n_trees"]
    # The result carries scikit-learn's own arrays, and every frame's ε and α (the replay's, computed from the
    # replayed weights) equal them.
    assert_allclose(result["estimator_weights"], oracle.estimator_weights_, rtol=0, atol=TOL)
    assert_allclose(result["estimator_errors"], oracle.estimator_errors_, rtol=0, atol=TOL)
    assert_allclose([f.state["error"] for f in kept], oracle.estimator_errors_[: len(kept)], rtol=0, atol=TOL)
    assert_allclose([f.state["alpha"] for f in kept], oracle.estimator_weights_[: len(kept)], rtol=0, atol=TOL)
    grid = boundary.make_grid(X, 20)
    staged_grid = list(oracle.staged_predict(grid.points))
    staged_rows = list(oracle.staged_predict(X))
    for frame, on_grid, on_rows in zip(kept, staged_grid, staged_rows, strict=True):
        assert_array_equal(frame.visual["predicted"], on_grid)  # the ensemble's boundary after this round
        assert_array_equal(frame.visual["misclassified"], np.flatnonzero(on_rows != y))
        assert frame.state["test_accuracy"] == pytest.approx(np.mean(on_rows[parts.test] == y[parts.test]), abs=TOL)
    assert result["grid"]["predicted"] == grid.reshape(staged_grid[-1]).tolist()


@pytest.mark.parametrize(("kind", "rounds", "lr", "depth", "seed"), CASES)
def test_replayed_weights_refit_the_very_trees_sklearn_fitted(
    kind: str, rounds: int, lr: float, depth: int, seed: int
) -> None:
    """A tree refitted to a frame's weights with the seed scikit-learn gave that round's tree is that tree:
    the weights are the ones it used (which it does not store)."""
    X, y = _data(kind)
    frames, result, parts = _run(X, y, rounds=rounds, lr=lr, depth=depth, seed=seed)
    oracle = _oracle(X, y, parts, rounds=rounds, lr=lr, depth=depth, seed=seed)
    seeds = [int(t.random_state) for t in oracle.estimators_]
    assert result["tree_seeds"] == seeds == adaboost.tree_seeds(seed, len(seeds))  # RandomState(seed) draws
    X_train, y_train = X[parts.train], y[parts.train]
    for frame, theirs in zip(frames, oracle.estimators_, strict=False):
        weights = np.asarray(frame.state["sample_weight"])
        assert weights.shape == (parts.train.size,) and weights.sum() == pytest.approx(1.0, abs=1e-12)
        mine = DecisionTreeClassifier(max_depth=depth, random_state=theirs.random_state)
        mine.fit(X_train, y_train, sample_weight=weights)
        for name in ("feature", "threshold", "children_left", "children_right"):
            assert_array_equal(getattr(mine.tree_, name), getattr(theirs.tree_, name), err_msg=name)
        assert_allclose(mine.tree_.value, theirs.tree_.value, rtol=0, atol=TOL)
        assert_array_equal(frame.state["tree"]["feature"], theirs.tree_.feature)
        assert_array_equal(frame.state["tree"]["threshold"], theirs.tree_.threshold)
        assert_array_equal(frame.state["misclassified_by_tree"], parts.train[theirs.predict(X_train) != y_train])
    assert frames[0].state["sample_weight"].tolist() == [1 / parts.train.size] * parts.train.size


def test_vote_share_is_the_share_of_the_say_behind_the_winner() -> None:
    """The tint: Σα over the trees voting for the predicted class / Σα, counted here tree by tree."""
    for kind, rounds in (("moons", 6), ("blobs", 6)):
        X, y = _data(kind)
        frames, _, parts = _run(X, y, rounds=rounds, lr=1.0, depth=1, seed=5)
        oracle = _oracle(X, y, parts, rounds=rounds, lr=1.0, depth=1, seed=5)
        points = boundary.make_grid(X, 20).points
        votes = np.array([t.predict(points) for t in oracle.estimators_])  # (T, g²) each tree's class
        says = oracle.estimator_weights_[: len(oracle.estimators_)]
        for m, frame in enumerate(frames):
            share = np.array([(says[: m + 1] * (votes[: m + 1] == c).T).sum(axis=1) for c in range(y.max() + 1)])
            share /= says[: m + 1].sum()  # (K, g²)
            assert_allclose(frame.visual["probability"], share.max(axis=0), rtol=0, atol=1e-12)
            winners = share.argmax(axis=0)
            clear = np.sort(share, axis=0)[-1] - np.sort(share, axis=0)[-2] > 1e-12  # no tie in the vote
            assert_array_equal(frame.visual["predicted"][clear], winners[clear])


def test_a_first_round_by_hand_in_the_journals_steps() -> None:
    """Five points on a line, x₁ = 0..4 with classes 0 0 1 1 0; one stump per round.

    1. W = 1/N = 1/5 = 0.2 for every point.
    2. The best stump (gini) is x₁ ≤ 1.5 → class 0, else class 1: it misclassifies only the point at x₁ = 4.
       Total error ε = the sum of the weights of the misclassified = 0.2.
    3. Performance of the stump, the journal's (two-class textbook) form: ½·ln((1 − ε)/ε) = ½·ln 4 = ln 2.
       SAMME's say: α = ln((1 − ε)/ε) + ln(K − 1) = ln 4 + ln 1 = ln 4, twice the textbook's for K = 2. Scaling
       every tree's say by the same 2 scales the weighted vote Σ α·h by 2: its sign, the prediction, is the same.
    4. Weight update. Textbook: wrong × e^(+ln 2) = 0.4, right × e^(−ln 2) = 0.1; total 0.4 + 4·0.1 = 0.8, so
       after normalising wrong = 0.5, right = 0.125. SAMME: only the wrong are multiplied, by e^α = 4: 0.8,
       right stay 0.2; total 1.6, so wrong = 0.5, right = 0.125. The same: both change the wrong/right ratio by
       e^(2·performance) = e^α = 4, and normalising removes the rest.
    """
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0]])
    y = np.array([0, 0, 1, 1, 0])
    frames, result, parts = _run(X, y, rounds=3, lr=1.0, depth=1, seed=0, test_fraction=0.0)
    first, second = frames[0].state, frames[1].state
    assert first["sample_weight"].tolist() == [0.2] * 5  # step 1
    assert first["tree"]["feature"][0] == 0 and first["tree"]["threshold"][0] == 1.5
    assert first["misclassified_by_tree"].tolist() == [4]
    assert first["error"] == pytest.approx(0.2, abs=1e-15)  # step 2
    performance = 0.5 * math.log((1 - 0.2) / 0.2)  # step 3, the textbook form
    assert performance == pytest.approx(math.log(2))
    assert first["alpha"] == pytest.approx(2 * performance, abs=1e-15) == pytest.approx(math.log(4))
    assert first["boost_factor"] == pytest.approx(4.0)
    textbook = np.where(y != np.array([0, 0, 1, 1, 1]), 0.2 * math.exp(performance), 0.2 * math.exp(-performance))
    textbook /= textbook.sum()  # step 4
    assert_allclose(second["sample_weight"], [0.125, 0.125, 0.125, 0.125, 0.5], rtol=0, atol=1e-15)
    assert_allclose(second["sample_weight"], textbook, rtol=0, atol=1e-15)
    # The same predictions from the textbook's says (half of SAMME's) as from scikit-learn's.
    oracle = _oracle(X, y, parts, rounds=3, lr=1.0, depth=1, seed=0)
    h = np.array([np.where(t.predict(X) == 1, 1.0, -1.0) for t in oracle.estimators_])  # (T, N) votes as ±1
    says = oracle.estimator_weights_[: h.shape[0]]
    assert_array_equal(((says / 2) @ h > 0).astype(int), oracle.predict(X))
    assert result["estimator_errors"][0] == pytest.approx(0.2)


def test_a_perfect_tree_stops_the_fit_with_a_say_of_one() -> None:
    X = np.array([[0.0, 0.0], [0.1, 0.2], [1.0, 1.1], [1.2, 0.9], [0.2, 0.1], [1.1, 1.0]])
    y = np.array([0, 0, 1, 1, 0, 1])
    frames, result, parts = _run(X, y, rounds=10, lr=0.3, depth=1, seed=4, test_fraction=0.0)
    oracle = _oracle(X, y, parts, rounds=10, lr=0.3, depth=1, seed=4)
    assert len(frames) == len(oracle.estimators_) == 1 and result["stop"] == "perfect"
    assert frames[0].state["error"] == 0 and frames[0].state["alpha"] == 1.0  # whatever the learning rate
    assert frames[0].state["boost_factor"] is None
    assert_allclose(result["estimator_weights"], oracle.estimator_weights_, rtol=0, atol=TOL)
    assert "ε = 0" in frames[0].caption and "stops" in frames[0].caption


def test_a_tree_no_better_than_guessing_is_discarded_and_the_fit_stops() -> None:
    X = np.array([[-1.0, -2.0], [-1.0, -2.0], [-1.0, -2.0]])  # one position: no tree can split them
    y = np.array([0, 0, 1])
    frames, result, parts = _run(X, y, rounds=10, lr=1.0, depth=1, seed=0, test_fraction=0.0)
    oracle = _oracle(X, y, parts, rounds=10, lr=1.0, depth=1, seed=0)
    assert result["stop"] == "guessing" and result["n_trees"] == len(oracle.estimators_) < 10
    last = frames[-1]
    assert [f.kind for f in frames] == ["round"] * result["n_trees"] + ["stopped"]
    assert last.state["error"] >= 0.5 and last.state["alpha"] == 0.0 and last.state["n_trees"] == result["n_trees"]
    assert oracle.estimator_weights_[result["n_trees"]] == 0  # the round scikit-learn never kept
    assert_array_equal(last.visual["predicted"], frames[-2].visual["predicted"])  # the ensemble did not change
    assert "discards it and stops" in last.caption


def test_first_round_error_sees_data_no_tree_can_start_on() -> None:
    X = np.zeros((4, 2))
    assert adaboost.first_round_error(X, np.array([0, 1, 0, 1]), 1) == pytest.approx(0.5)
    assert adaboost.first_round_error(X, np.array([0, 1, 1, 1]), 3) == pytest.approx(0.25)


def test_cuts_are_each_splits_segment_inside_its_own_cell() -> None:
    X, y = _data("moons")
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    box = (-2.0, 3.0, -1.5, 2.0)
    cuts = adaboost.tree_cuts(tree, box)
    t = tree.tree_
    internal = np.flatnonzero(t.feature >= 0)
    assert cuts.shape == (internal.size, 2, 2)
    root = cuts[0]  # the root's cut spans the whole box along the other axis
    f, cut = int(t.feature[0]), float(t.threshold[0])
    assert_allclose(root[:, f], [cut, cut])
    assert_allclose(sorted(root[:, 1 - f]), box[2:] if f == 0 else box[:2])
    for child in cuts[1:]:  # a child's cut stays on its side of the root's
        assert np.all(child[:, f] <= cut + 1e-12) or np.all(child[:, f] >= cut - 1e-12)
