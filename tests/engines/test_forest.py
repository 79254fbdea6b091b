"""The random-forest engine against scikit-learn's RandomForestClassifier (the oracle), plus hand-computed parts.

Correct means (issue 13): the final frame's predictions and probabilities equal the forest's; frame i is the
average of the first i trees' ``predict_proba``; each tree's bootstrap sample (redrawn with scikit-learn's own
helper) is the one it was fitted on (a refit on those rows gives the same tree); ``oob_score_`` and
``permutation_importance(random_state=seed)`` are scikit-learn's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.tree import DecisionTreeClassifier

from app.catalog import get_algorithm
from app.core.frame import Frame, drain
from app.engines import forest
from app.engines.bagging import panel_points
from app.engines.boundary import make_grid
from app.runs import plan_run
from app.schemas.bagging import forest_features
from app.settings import Settings

SEED = 11
SMALL = {"dataset": {"name": "moons", "n_samples": 80, "noise": 0.3}, "n_estimators": 8, "grid_size": 20}


def _lab_run(params: dict[str, Any], seed: int = SEED) -> tuple[Any, Any, list[Frame], dict[str, Any]]:
    algorithm = get_algorithm("random-forest")
    plan = plan_run(algorithm, params, seed, False, Settings())
    inputs = plan.prepare()
    frames, result = drain(algorithm.engine(inputs, plan.params, np.random.default_rng(seed)))
    return inputs, plan.params, frames, result


def _oracle(inputs: Any, params: Any, seed: int = SEED, oob: bool = False) -> RandomForestClassifier:
    train = inputs.split.train
    model = RandomForestClassifier(
        n_estimators=params.n_estimators,
        criterion=params.criterion,
        max_depth=params.max_depth,
        max_features=forest_features(params.max_features),
        bootstrap=params.bootstrap,
        oob_score=oob,
        random_state=seed,
    )
    with warnings.catch_warnings():  # a row no tree left out: scikit-learn warns, and counts it as class 0
        warnings.simplefilter("ignore")
        return model.fit(inputs.X[train], inputs.y[train])


CASES = {
    "defaults (sqrt)": {},
    "all features, entropy, depth 3": {"max_features": "all", "criterion": "entropy", "max_depth": 3},
    "no bootstrap": {"bootstrap": False, "oob_score": False, "max_features": 1},
    "a share, three classes": {"max_features": 0.5, "dataset": {"name": "blobs", "n_samples": 60, "centers": 3}},
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_final_predictions_probabilities_and_oob_equal_sklearn(case: dict[str, Any]) -> None:
    inputs, params, frames, result = _lab_run({**SMALL, **case})
    oracle = _oracle(inputs, params, oob=params.bootstrap)
    grid = make_grid(inputs.X, params.grid_size)
    last = [f for f in frames if f.kind == "tree"][-1]
    proba = oracle.predict_proba(grid.points)
    assert np.array_equal(last.visual["predicted"], oracle.predict(grid.points))
    assert np.array_equal(last.visual["probability"], proba.max(axis=1))  # bit for bit: same sums, same order
    test, train = inputs.split.test, inputs.split.train
    assert result["test_score"] == oracle.score(inputs.X[test], inputs.y[test])
    assert result["train_score"] == oracle.score(inputs.X[train], inputs.y[train])
    if params.bootstrap:
        assert result["oob_score"] == pytest.approx(oracle.oob_score_, abs=1e-12)
    else:
        assert result["oob_score"] is None and result["samples"] is None
    assert np.allclose(result["impurity_importances"], oracle.feature_importances_, rtol=0, atol=1e-15)
    assert [f.kind for f in frames][-2:] == ["variance", "importance"]


@pytest.mark.parametrize("i", [1, 4, 7])
def test_frame_i_is_the_average_of_the_first_i_trees(i: int) -> None:
    inputs, params, frames, _ = _lab_run(SMALL)
    oracle = _oracle(inputs, params)
    grid = make_grid(inputs.X, params.grid_size)
    mean = sum(tree.predict_proba(grid.points) for tree in oracle.estimators_[:i]) / i  # (g², K)
    frame = frames[i - 1]
    assert frame.kind == "tree" and frame.state["trees"] == i
    assert np.array_equal(frame.visual["predicted"], mean.argmax(axis=1))
    assert np.allclose(frame.visual["probability"], mean.max(axis=1), rtol=0, atol=1e-15)
    panel = panel_points(grid, inputs.panel_step)
    assert np.array_equal(frame.visual["member_predicted"], oracle.estimators_[i - 1].predict(panel))


def test_each_bootstrap_sample_is_the_one_its_tree_was_fitted_on() -> None:
    inputs, params, frames, result = _lab_run({**SMALL, "max_features": "all"})
    oracle = _oracle(inputs, params)
    train = inputs.split.train
    X, y = inputs.X[train], inputs.y[train]
    grid = make_grid(inputs.X, params.grid_size).points
    for frame, tree, rows in zip(frames, oracle.estimators_, result["samples"], strict=False):
        counts = np.bincount(np.searchsorted(train, rows), minlength=train.size)
        assert np.array_equal(frame.state["sample_counts"], counts)
        refit = DecisionTreeClassifier(max_features=None, random_state=tree.random_state)
        refit.fit(X, y, sample_weight=counts.astype(float))
        assert np.array_equal(refit.tree_.threshold, tree.tree_.threshold)
        assert np.array_equal(refit.predict_proba(grid), tree.predict_proba(grid))
    assert len(result["samples"]) == params.n_estimators and all(len(r) == train.size for r in result["samples"])


def test_variance_map_and_importances() -> None:
    inputs, params, frames, result = _lab_run(SMALL)
    oracle = _oracle(inputs, params)
    grid = make_grid(inputs.X, params.grid_size).points
    per_tree = np.stack([tree.predict_proba(grid) for tree in oracle.estimators_])  # (B, g², K)
    winner = per_tree.mean(axis=0).argmax(axis=1)
    expected = per_tree[:, np.arange(winner.size), winner].var(axis=0)  # population variance across trees
    variance = next(f for f in frames if f.kind == "variance")
    assert np.allclose(variance.visual["variance"], expected, rtol=0, atol=1e-12)
    assert variance.state["mean_variance"] == pytest.approx(expected.mean(), abs=1e-12)
    test = inputs.split.test
    permuted = permutation_importance(oracle, inputs.X[test], inputs.y[test], n_repeats=5, random_state=SEED)
    importance = frames[-1]
    assert np.allclose(importance.state["permutation_importances"], permuted.importances_mean, rtol=0, atol=1e-12)
    assert np.allclose(result["permutation_std"], permuted.importances_std, rtol=0, atol=1e-12)
    assert "Feature importances" in importance.caption and "shuffled" in importance.caption


def test_hand_computed_error_correlation() -> None:
    # Two trees with the same error pattern correlate at 1, a mirrored one at −1: mean of (1, −1, −1) = −1/3.
    errors = np.array([[0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0]])
    assert forest.error_correlation(errors) == pytest.approx(-1 / 3)
    assert forest.error_correlation(np.array([[0.5, 0.5], [0.0, 1.0]])) is None  # one tree's error is constant


def test_captions_teach_correlation_and_oob() -> None:
    _, _, frames, _ = _lab_run(SMALL)
    assert "1 random feature of 2" in frames[0].caption and "Out-of-bag accuracy so far" in frames[0].caption
    assert "with one tree, the forest is that tree" in frames[0].caption
    variance = next(f for f in frames if f.kind == "variance")
    assert "correlate" in variance.caption and "ρσ²" in variance.caption
    _, _, frames, _ = _lab_run({**SMALL, "max_features": "all"})
    assert "tried both features" in frames[0].caption
