"""Voting engine: scikit-learn's VotingClassifier as the oracle on every grid cell and every point (hard and soft,
with and without weights), a hand-counted vote, captions true to their frames, and the lab's default story."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import VotingClassifier

from app.core.frame import Frame, drain
from app.core.text import percent
from app.encoding import to_jsonable
from app.engines.base_models import make_estimator
from app.engines.boundary import make_grid
from app.engines.voting import hard_vote, member_keys, quietly, soft_vote
from app.labs.voting import VOTING
from app.runs import RunPlan, plan_run
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 80, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 60, "centers": 3, "cluster_std": 2.0, "seed": 1}
FOUR = [
    {"model": "logistic_regression", "C": 1.0},
    {"model": "knn", "n_neighbors": 5},
    {"model": "decision_tree", "max_depth": 3},
    {"model": "svm", "C": 1.0, "probability": True},
]


def _run(params: dict[str, Any], seed: int = 3) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(VOTING, params, seed, False, Settings())
    frames, result = drain(VOTING.engine(plan.inputs, plan.params, np.random.default_rng(seed)))
    return plan, frames, result


def _library(plan: RunPlan, seed: int) -> VotingClassifier:
    inputs, params = plan.inputs, plan.params
    members = [(key, make_estimator(s, seed)) for key, s in zip(member_keys(inputs.specs), inputs.specs, strict=True)]
    library = VotingClassifier(members, voting=params.voting, weights=list(params.weights) or None)
    with quietly():  # SVC(probability=True) is deprecated in scikit-learn 1.9; the suite turns warnings into errors
        return library.fit(inputs.X[inputs.split.train], inputs.y[inputs.split.train])


CASES = [
    pytest.param({"dataset": MOONS, "grid_size": 24}, id="hard"),
    pytest.param({"dataset": MOONS, "grid_size": 24, "weights": [1, 3, 1, 1]}, id="hard-weighted"),
    pytest.param({"dataset": MOONS, "grid_size": 24, "voting": "soft"}, id="soft"),
    pytest.param({"dataset": MOONS, "grid_size": 24, "voting": "soft", "weights": [2, 1, 0.5, 3]}, id="soft-weighted"),
    pytest.param(
        {
            "dataset": BLOBS3,
            "grid_size": 20,
            "voting": "soft",
            "estimators": [{"model": "naive_bayes"}, {"model": "knn", "n_neighbors": 7}, {"model": "decision_tree"}],
            "weights": [1, 2, 1],
        },
        id="soft-3-classes",
    ),
    pytest.param(
        {"dataset": BLOBS3, "grid_size": 20, "estimators": [{"model": "logistic_regression"}, {"model": "knn"}]},
        id="hard-ties",  # two equal votes: every disagreement is a tie, won by the lowest class index
    ),
]


@pytest.mark.parametrize("params", CASES)
def test_every_grid_cell_and_point_equals_voting_classifier(params: dict[str, Any]) -> None:
    seed = 3
    plan, frames, result = _run(params, seed)
    library = _library(plan, seed)
    inputs = plan.inputs
    grid = make_grid(inputs.X, plan.params.grid_size)
    ours = np.asarray(result["grid"]["predicted"]).ravel()
    np.testing.assert_array_equal(ours, library.predict(grid.points))  # 100 % of the grid
    np.testing.assert_array_equal(result["predicted"], library.predict(inputs.X))  # every test and training point
    test = inputs.split.test
    assert result["test_accuracy"] == pytest.approx(float(np.mean(library.predict(inputs.X[test]) == inputs.y[test])))
    share = np.asarray(result["grid"]["probability"]).ravel()
    if plan.params.voting == "soft":
        np.testing.assert_allclose(share, library.predict_proba(grid.points).max(axis=1), atol=1e-6)
    else:
        votes = library.transform(grid.points)  # (g², m) each member's class
        weights = np.asarray(plan.params.weights or [1.0] * votes.shape[1])
        winner_weight = (weights * (votes == ours[:, None])).sum(axis=1)
        np.testing.assert_allclose(share, winner_weight / weights.sum(), atol=1e-6)
    # Each member's frame is the library's fitted member, alone.
    for frame, member in zip(frames[:-1], library.estimators_, strict=True):
        assert frame.kind == "model"
        expected = float(np.mean(member.predict(inputs.X[test]) == inputs.y[test]))
        assert frame.state["test_accuracy"] == pytest.approx(expected)
    assert frames[-1].kind == "ensemble" and len(frames) == len(inputs.specs) + 1
    members = np.stack([member.predict(inputs.X) for member in library.estimators_], axis=1)  # (n, m)
    np.testing.assert_array_equal(result["votes"], members)


def test_hand_counted_votes() -> None:
    # Three members, two points. Point 0: class 0 gets weight 2, class 1 gets 1 + 1 = 2, a tie → class 0.
    # Point 1: class 1 gets 2 + 1 = 3 of 4.
    votes = np.array([[0, 1], [1, 1], [1, 0]])
    winner, share = hard_vote(votes, np.array([2.0, 1.0, 1.0]), 2)
    assert winner.tolist() == [0, 1] and share.tolist() == [0.5, 0.75]
    # Soft: (1·0.9 + 3·0.2) / 4 = 0.375 for class 0, 0.625 for class 1.
    probabilities = np.array([[[0.9, 0.1]], [[0.2, 0.8]]])
    winner, share = soft_vote(probabilities, np.array([1.0, 3.0]))
    assert winner.tolist() == [1] and share == pytest.approx([0.625])


def test_duplicate_models_get_distinct_names() -> None:
    specs = [{"model": "knn", "n_neighbors": 5}, {"model": "knn", "n_neighbors": 5}, {"model": "svm"}]
    assert member_keys(specs) == ["knn", "knn_2", "svm"]
    plan, _, result = _run({"dataset": MOONS, "grid_size": 20, "estimators": specs[:2]})
    assert result["models"] == ["k-NN (k = 5)", "k-NN (k = 5) #2"]
    assert plan.inputs.short_names == ("k-NN (k = 5)", "k-NN (k = 5) #2")


@pytest.mark.parametrize("params", CASES)
def test_captions_say_what_their_frame_shows(params: dict[str, Any]) -> None:
    plan, frames, _ = _run(params)
    library = _library(plan, 3)
    for frame, member in zip(frames[:-1], library.estimators_, strict=True):
        state = frame.state
        assert state["name"] in frame.caption
        assert percent(state["test_accuracy"], 1) in frame.caption
        if plan.inputs.specs[state["model"]]["model"] == "decision_tree":
            assert f"{member.get_n_leaves()} rectangles" in frame.caption
    vote = frames[-1]
    state = vote.state
    assert percent(state["test_accuracy"], 1) in vote.caption
    assert percent(state["best_member_accuracy"], 1) in vote.caption
    assert plan.inputs.names[state["best_member"]] in vote.caption
    better, same = (
        state["test_accuracy"] > state["best_member_accuracy"],
        state["test_accuracy"] == state["best_member_accuracy"],
    )
    assert ("beats it" in vote.caption) == better and ("only matches it" in vote.caption) == same
    assert ("does worse" in vote.caption) == (not better and not same)
    # The counts behind the story: the vote's accuracy is the best member's, plus what it fixed, minus what it broke.
    held = plan.inputs.split.test.size
    assert state["test_accuracy"] * held == pytest.approx(
        state["best_member_accuracy"] * held + state["fixed"] - state["broken"]
    )


def test_a_k_beyond_the_training_points_is_clamped_and_said() -> None:
    tiny = {"X": [[0, 0], [0.2, 0.1], [1, 1], [1.1, 0.9], [0.1, 0.3], [0.9, 1.2]], "y": [0, 0, 1, 1, 0, 1]}
    plan, frames, result = _run({"dataset": tiny, "estimators": [{"model": "knn", "n_neighbors": 50}], "grid_size": 20})
    n_train = plan.inputs.split.train.size
    assert frames[0].caption.startswith(
        f"Note: k-NN's k = 50 is more than the {n_train} training points, so k = {n_train}"
    )
    assert result["models"] == [f"k-NN (k = {n_train})"]
    assert "single model is that model's own prediction" in frames[-1].caption
    assert result["predicted"].tolist() == result["votes"][:, 0].tolist()


def test_no_test_set_compares_on_the_training_points() -> None:
    _, frames, result = _run({"dataset": MOONS, "grid_size": 20, "test_fraction": 0})
    assert result["test_accuracy"] is None and frames[-1].state["held"] == "training"
    assert "training points right" in frames[-1].caption and "test" not in frames[-1].caption
    assert "test_accuracy" not in frames[0].metrics


def test_defaults_the_vote_beats_its_best_member_within_the_frame_budget() -> None:
    """The lab's default story (moons, noise 0.3; logistic regression, k-NN, tree, SVM; hard vote), in one place."""
    plan, frames, result = _run({}, seed=0)
    assert [f.kind for f in frames] == ["model"] * 4 + ["ensemble"]
    members = result["member_test_accuracy"]
    assert result["test_accuracy"] > max(members), (result["test_accuracy"], members)
    state = frames[-1].state
    assert state["fixed"] > state["broken"] and "beats it" in frames[-1].caption
    assert "straight line" in frames[0].caption and "support vectors" in frames[3].caption
    for frame in frames:
        figure = to_jsonable(VOTING.view.render(frame, plan.inputs, plan.params))
        assert len(json.dumps(figure, separators=(",", ":"))) <= 16 * 1024, frame.kind
