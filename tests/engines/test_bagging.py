"""The bagging engine against scikit-learn's BaggingClassifier (the oracle), plus hand-computed votes.

Correct means (issue 13): the same draws (``estimators_samples_``, ``estimators_features_``), the same final
predictions on the grid and the test set, ``oob_score_`` to 1e-12; and frame i is the vote of the first i members,
as scikit-learn itself predicts with an ensemble cut to its first i members.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier

from app.catalog import get_algorithm
from app.core.algorithm import clamps_of, used_params
from app.core.frame import Frame, drain
from app.engines import bagging
from app.engines.bagging import _drawn_words
from app.engines.base_models import make_estimator
from app.engines.boundary import make_grid
from app.runs import plan_run
from app.schemas.bagging import features_to_draw, rows_to_draw
from app.settings import Settings

SEED = 7
TREE = {"model": "decision_tree", "max_depth": 4}
SMALL = {"dataset": {"name": "moons", "n_samples": 80, "noise": 0.3}, "n_estimators": 6, "grid_size": 20}
TINY = {"X": [[0.0, 0.0], [0.1, 0.2], [1.0, 1.1], [1.2, 0.9], [0.2, 0.1], [1.1, 1.0]], "y": [0, 0, 1, 1, 0, 1]}


def _lab_run(params: dict[str, Any], seed: int = SEED) -> tuple[Any, Any, list[Frame], dict[str, Any]]:
    """(inputs, used params, frames, result) of the bagging lab, in process."""
    algorithm = get_algorithm("bagging")
    plan = plan_run(algorithm, params, seed, False, Settings())
    inputs = plan.prepare()
    frames, result = drain(algorithm.engine(inputs, plan.params, np.random.default_rng(seed)))
    return inputs, used_params(plan.params, clamps_of(inputs)), frames, result


def _oracle(inputs: Any, params: Any, seed: int = SEED, oob: bool = False) -> BaggingClassifier:
    """scikit-learn's own BaggingClassifier with the run's params and random_state = the seed."""
    train = inputs.split.train
    model = BaggingClassifier(
        estimator=make_estimator(params.estimator.model_dump(), seed),
        n_estimators=params.n_estimators,
        max_samples=rows_to_draw(params.max_samples),
        bootstrap=params.bootstrap,
        max_features=features_to_draw(params.max_features),
        bootstrap_features=params.bootstrap_features,
        oob_score=oob,
        random_state=seed,
    )
    with warnings.catch_warnings():  # "some inputs do not have OOB scores": they count as class 0, as here
        warnings.simplefilter("ignore")
        return model.fit(inputs.X[train], inputs.y[train])


CASES = {
    "bagging trees": {"mode": "bagging", "estimator": TREE},
    "pasting": {"mode": "pasting", "estimator": TREE},
    "random subspaces": {"mode": "random_subspaces", "estimator": TREE},
    "random patches": {"mode": "random_patches", "estimator": TREE},
    "features with replacement": {"mode": "custom", "bootstrap_features": True, "max_samples": 50, "estimator": TREE},
    "k-NN (rows by indexing)": {"estimator": {"model": "knn", "n_neighbors": 3}},
    "SVM without probabilities (hard votes)": {"estimator": {"model": "svm", "C": 1.0, "probability": False}},
    "logistic regression": {"mode": "random_subspaces", "estimator": {"model": "logistic_regression", "C": 1.0}},
    "three classes": {"dataset": {"name": "blobs", "n_samples": 60, "centers": 3}, "max_samples": 0.3},
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_draws_and_predictions_equal_sklearn(case: dict[str, Any]) -> None:
    inputs, params, frames, result = _lab_run({**SMALL, **case})
    oracle = _oracle(inputs, params, oob=params.bootstrap)
    train, test = inputs.split.train, inputs.split.test
    assert [s.tolist() for s in result["samples"]] == [train[s].tolist() for s in oracle.estimators_samples_]
    assert [f.tolist() for f in result["features"]] == [f.tolist() for f in oracle.estimators_features_]
    grid = make_grid(inputs.X, params.grid_size)
    assert np.array_equal(frames[-1].visual["predicted"], oracle.predict(grid.points))
    assert np.array_equal(np.asarray(result["grid"]["predicted"]).ravel(), oracle.predict(grid.points))
    assert result["test_score"] == pytest.approx(oracle.score(inputs.X[test], inputs.y[test]), abs=0)
    assert result["train_score"] == oracle.score(inputs.X[train], inputs.y[train])
    if params.bootstrap:
        assert result["oob_score"] == pytest.approx(oracle.oob_score_, abs=1e-12)
    else:
        assert result["oob_score"] is None


@pytest.mark.parametrize("i", [1, 3, 5])
def test_frame_i_is_the_vote_of_the_first_i_members(i: int) -> None:
    inputs, params, frames, _ = _lab_run({**SMALL, "estimator": {"model": "knn", "n_neighbors": 5}})
    oracle = _oracle(inputs, params)
    first = copy.copy(oracle)  # scikit-learn's own rule on the first i members
    first.estimators_, first.estimators_features_ = oracle.estimators_[:i], oracle.estimators_features_[:i]
    first.n_estimators = i
    grid = make_grid(inputs.X, params.grid_size)
    frame = frames[i - 1]
    assert frame.state["estimator"] == i
    assert np.array_equal(frame.visual["predicted"], first.predict(grid.points))
    assert np.allclose(frame.visual["probability"], first.predict_proba(grid.points).max(axis=1), rtol=0, atol=1e-15)
    test = inputs.split.test
    assert frame.state["test_accuracy"] == first.score(inputs.X[test], inputs.y[test])
    member = oracle.estimators_[i - 1]  # the panel: member i's own map at the coarser grid
    panel = bagging.panel_points(grid, inputs.panel_step)
    assert np.array_equal(
        frame.visual["member_predicted"], member.predict(panel[:, oracle.estimators_features_[i - 1]])
    )


def test_bootstrap_draws_repeat_rows_and_pasting_does_not() -> None:
    _, _, frames, result = _lab_run({**SMALL, "mode": "bagging"})
    counts = frames[0].state["sample_counts"]
    assert counts.sum() == counts.size and counts.max() > 1 and (counts == 0).any()  # with replacement: repeats
    assert frames[0].state["distinct_rows"] == int((counts > 0).sum())
    assert len(result["samples"][0]) > len(set(result["samples"][0].tolist()))
    _, _, frames, result = _lab_run({**SMALL, "mode": "pasting"})
    counts = frames[0].state["sample_counts"]
    assert counts.max() == 1 and counts.sum() == counts.size // 2  # half the rows, each once
    _, _, frames, _ = _lab_run({**SMALL, "mode": "random_subspaces"})
    assert all((f.state["sample_counts"] == 1).all() and len(f.state["features"]) == 1 for f in frames)


class _Fixed:
    """A fitted member stand-in with fixed outputs (a hand-computed vote)."""

    def __init__(self, classes: list[int], proba: list[list[float]] | None, predicted: list[int]) -> None:
        self.classes_ = np.array(classes)
        self._proba, self._predicted = proba, predicted
        if proba is not None:
            self.predict_proba = lambda points: np.array(self._proba)

    def predict(self, points: np.ndarray) -> np.ndarray:
        return np.array(self._predicted)


def test_hand_computed_votes() -> None:
    points = np.zeros((2, 2))
    # Three classes. Member A's probabilities; member B drew only classes 0 and 2; member C has no probabilities.
    a = _Fixed([0, 1, 2], [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], [0, 2])
    b = _Fixed([0, 2], [[0.2, 0.8], [0.6, 0.4]], [2, 0])
    c = _Fixed([0, 1, 2], None, [1, 1])
    assert bagging.member_votes(b, points, 3).tolist() == [[0.2, 0.0, 0.8], [0.6, 0.0, 0.4]]
    assert bagging.member_votes(c, points, 3).tolist() == [[0, 1, 0], [0, 1, 0]]
    tally = bagging.Tally(2, 3)
    for member in (a, b, c):
        tally.add(bagging.member_votes(member, points, 3))
    # Point 0: (0.5 + 0.2 + 0, 0.3 + 0 + 1, 0.2 + 0.8 + 0) / 3 = (0.2333, 0.4333, 0.3333) → class 1.
    # Point 1: (0.1 + 0.6, 0.1 + 1, 0.8 + 0.4) / 3 = (0.2333, 0.3667, 0.4) → class 2.
    assert tally.winner().tolist() == [1, 2]
    assert tally.top_share() == pytest.approx([1.3 / 3, 1.2 / 3])


def test_oob_so_far_counts_only_rows_left_out() -> None:
    inputs, _, frames, result = _lab_run({**SMALL, "n_estimators": 4})
    left_out = np.zeros(inputs.split.train.size, dtype=bool)
    for frame in frames:
        left_out |= frame.state["sample_counts"] == 0
        assert frame.state["oob_rows"] == int(left_out.sum())
        assert 0 <= frame.state["oob_accuracy"] <= 1 and frame.metrics["oob_accuracy"] == frame.state["oob_accuracy"]
    assert result["oob_rows"] == int(left_out.sum())
    _, _, frames, result = _lab_run({**SMALL, "oob_score": False})
    assert frames[0].state["oob_accuracy"] is None and "oob_accuracy" not in frames[0].metrics
    assert result["oob_score"] is None and "Out-of-bag" not in frames[0].caption


def test_captions_say_what_each_member_draws_and_sees() -> None:
    _, _, frames, _ = _lab_run({**SMALL, "mode": "random_subspaces"})
    assert "stripes" in frames[0].caption and "only x" in frames[0].caption
    assert "with one member, the ensemble is that member" in frames[0].caption
    assert "members average" in frames[1].caption
    _, _, frames, _ = _lab_run({**SMALL, "mode": "bagging"})
    assert "with replacement" in frames[0].caption and "Out-of-bag accuracy so far" in frames[0].caption
    assert "sees both features" in frames[0].caption


def test_a_row_count_beyond_the_training_rows_is_clamped_with_a_note() -> None:
    inputs, params, frames, _ = _lab_run({**SMALL, "mode": "custom", "max_samples": 5000})
    n_train = int(inputs.split.train.size)
    assert params.max_samples == n_train
    assert frames[0].caption.startswith(f"Note: 5,000 rows per estimator is more than the {n_train} training rows")
    assert frames[0].state["sample_counts"].sum() == n_train
    inputs, params, frames, _ = _lab_run(
        {
            **SMALL,
            "mode": "custom",
            "bootstrap": False,
            "oob_score": False,
            "max_samples": 4,
            "estimator": {"model": "knn", "n_neighbors": 9},
        }
    )
    assert (
        params.estimator.n_neighbors == 4 and "k = 9 is more than the 4 rows each estimator draws" in frames[0].caption
    )


def test_an_svm_on_a_draw_of_one_class_ends_in_an_unfit_frame() -> None:
    svm = {"model": "svm", "C": 1.0, "probability": False}
    _, _, frames, result = _lab_run({"dataset": TINY, "test_fraction": 0, "estimator": svm, "mode": "pasting"}, 3)
    # The members fitted before it were shown (the ensemble grows in batches); the one that cannot be fitted ends
    # the run, and it is the one scikit-learn's own single fit stops at.
    assert [f.kind for f in frames] == ["estimator"] * (len(frames) - 1) + ["unfit"]
    unfit = frames[-1]
    member = unfit.state["estimator"]
    assert member >= len(frames)
    assert unfit.caption.startswith(f"Estimator {member} drew rows of class {unfit.state['only_class']} only")
    assert result["unfit"] is True and result["detail"] == unfit.caption
    inputs, params, _, _ = _lab_run({"dataset": TINY, "test_fraction": 0, "estimator": svm, "mode": "pasting"}, 3)
    _oracle(inputs, params.model_copy(update={"n_estimators": member - 1}), seed=3)  # fits
    with pytest.raises(ValueError, match="same class"):
        _oracle(inputs, params.model_copy(update={"n_estimators": member}), seed=3)


def test_a_draw_without_repeats_says_so_not_up_to_1_times() -> None:
    """Found by the catalog's property test: 2 rows drawn from 2 with no repeat read "one up to 1 times"."""
    once = _drawn_words(np.array([1, 1, 0]), True, 3)
    assert "1 times" not in once and "none drawn twice" in once and "1 row never drawn" in once
    assert "one up to 3 times" in _drawn_words(np.array([3, 0, 1]), True, 3)
