"""Learning-curves lab, the two curves: every score against scikit-learn's ``learning_curve`` /
``validation_curve`` with the same splitter, model, scorer and seed (to 1e-12), a hand-computed case, the
clamps and refusals, and the lab's default story (one named test)."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pytest
from sklearn.model_selection import KFold, StratifiedKFold, learning_curve, validation_curve

from app.core.frame import Frame, drain
from app.engines.base_models import make_estimator
from app.engines.learning_curves import absolute_sizes, diagnose, param_values, train_fractions
from app.labs.learning_curves import LEARNING_CURVES
from app.runs import RunInputError, RunPlan, plan_run
from app.schemas.learning_curves import LearningCurvesParams
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 60, "centers": 3, "cluster_std": 2.0, "seed": 1}


def _params(plan: RunPlan) -> LearningCurvesParams:
    return cast(LearningCurvesParams, plan.params)


def _run(params: dict[str, Any], seed: int = 3) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(LEARNING_CURVES, params, seed, False, Settings())
    frames, result = drain(LEARNING_CURVES.engine(plan.inputs, _params(plan), np.random.default_rng(seed)))
    return plan, frames, result


def _splitter(name: str, k: int, seed: int) -> Any:
    """scikit-learn's splitter, built here from the params (not by the engine's helper)."""
    return (StratifiedKFold if name == "stratified" else KFold)(k, shuffle=True, random_state=seed)


def _nan(rows: list[list[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=np.float64)


LEARNING = [
    pytest.param(MOONS, {"model": "decision_tree", "max_depth": 3}, "stratified", 5, 5, id="tree-stratified"),
    pytest.param(MOONS, {"model": "knn", "n_neighbors": 3}, "kfold", 4, 4, id="knn-kfold"),
    pytest.param(MOONS, {"model": "logistic_regression", "C": 0.5}, "stratified", 3, 6, id="logistic"),
    pytest.param(BLOBS3, {"model": "naive_bayes"}, "kfold", 5, 3, id="3-classes-nb"),
    pytest.param(BLOBS3, {"model": "svm", "C": 2.0}, "stratified", 3, 4, id="3-classes-svm"),
]


@pytest.mark.parametrize(("dataset", "model", "splitter", "k", "n_sizes"), LEARNING)
def test_learning_curve_equals_sklearn(
    dataset: dict[str, Any], model: dict[str, Any], splitter: str, k: int, n_sizes: int
) -> None:
    seed = 11
    params = {"dataset": dataset, "model": model, "splitter": splitter, "k": k, "n_sizes": n_sizes, "grid_size": 20}
    plan, frames, result = _run(params, seed)
    X, y = plan.inputs.X, plan.inputs.y
    sizes, train, test = learning_curve(
        make_estimator(_params(plan).model.model_dump(), seed),
        X,
        y,
        train_sizes=np.linspace(0.1, 1.0, n_sizes),
        cv=_splitter(splitter, k, seed),
        scoring="accuracy",
        shuffle=True,
        random_state=seed,
    )
    assert result["train_sizes"] == sizes.tolist()
    np.testing.assert_allclose(_nan(result["train_scores"]), train, atol=1e-12, rtol=0)
    np.testing.assert_allclose(_nan(result["test_scores"]), test, atol=1e-12, rtol=0)
    np.testing.assert_allclose(np.array(result["test_mean"], dtype=float), np.nanmean(test, axis=1), atol=1e-12)
    # Streamed size by size: frame i carries the first i rows of the library's arrays.
    sized = [f for f in frames if f.kind == "size"]
    assert [f.state["train_size"] for f in sized] == sizes.tolist()
    for i, frame in enumerate(sized, start=1):
        np.testing.assert_allclose(_nan(frame.state["test_scores"]), test[:i], atol=1e-12, rtol=0)
        assert frame.visual["subset"].size == sizes[i - 1]
    assert frames[-1].kind == "diagnosis"


VALIDATION = [
    pytest.param(MOONS, {"model": "decision_tree", "max_depth": 3}, "stratified", 4, 6, id="tree-depth"),
    pytest.param(MOONS, {"model": "knn", "n_neighbors": 5}, "kfold", 5, 7, id="knn-k"),
    pytest.param(MOONS, {"model": "logistic_regression"}, "stratified", 3, 5, id="logistic-C"),
    pytest.param(BLOBS3, {"model": "svm"}, "kfold", 3, 4, id="3-classes-svm-C"),
    pytest.param(BLOBS3, {"model": "naive_bayes"}, "stratified", 5, 5, id="3-classes-nb-smoothing"),
]


@pytest.mark.parametrize(("dataset", "model", "splitter", "k", "n_values"), VALIDATION)
def test_validation_curve_equals_sklearn(
    dataset: dict[str, Any], model: dict[str, Any], splitter: str, k: int, n_values: int
) -> None:
    seed = 5
    params = {
        "dataset": dataset,
        "mode": "validation_curve",
        "model": model,
        "splitter": splitter,
        "k": k,
        "n_values": n_values,
        "grid_size": 20,
    }
    plan, frames, result = _run(params, seed)
    X, y = plan.inputs.X, plan.inputs.y
    name = {"decision_tree": "max_depth", "knn": "n_neighbors", "naive_bayes": "var_smoothing"}.get(model["model"], "C")
    assert result["param_name"] == name
    values = np.array(result["param_range"])
    train, test = validation_curve(
        make_estimator(_params(plan).model.model_dump(), seed),
        X,
        y,
        param_name=name,
        param_range=values,
        cv=_splitter(splitter, k, seed),
        scoring="accuracy",
    )
    np.testing.assert_allclose(_nan(result["train_scores"]), train, atol=1e-12, rtol=0)
    np.testing.assert_allclose(_nan(result["test_scores"]), test, atol=1e-12, rtol=0)
    means = np.nanmean(test, axis=1)
    assert result["best_index"] == int(np.argmax(means))
    assert result["best_value"] == values[int(np.argmax(means))]
    assert [f.kind for f in frames] == ["value"] * len(values) + ["best"]


def test_swept_ranges() -> None:
    np.testing.assert_allclose(param_values({"model": "svm"}, 7, 1), [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000])
    assert param_values({"model": "decision_tree"}, 12, 1).tolist() == list(range(1, 13))
    k = param_values({"model": "knn"}, 15, 30).tolist()
    assert k[0] == 1 and k[-1] == 30 and k == sorted(set(k))
    np.testing.assert_allclose(param_values({"model": "naive_bayes"}, 10, 1), 10.0 ** np.arange(-9, 1))


def test_hand_computed_sizes() -> None:
    # 40 training rows a fold: 10 %, 55 %, 100 % → 4, 22, 40 rows (truncated); 0.29 · 100 = 28.999… → 28, as
    # scikit-learn truncates it too.
    assert absolute_sizes(train_fractions(3), 40).tolist() == [4, 22, 40]
    assert absolute_sizes(np.array([0.29]), 100).tolist() == [28]
    assert absolute_sizes(train_fractions(10), 5).tolist() == [1, 2, 3, 4, 5]  # duplicates dropped


def test_hand_computed_scores() -> None:
    # Two separated pairs of columns, 1-NN: every held-out row's nearest neighbour is its own class, so both
    # scores are 1 at every size with both classes present.
    X = [[0, 0], [0, 1], [0, 2], [0, 3], [10, 0], [10, 1], [10, 2], [10, 3]]
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    params = {
        "dataset": {"X": X, "y": y},
        "mode": "validation_curve",
        "model": {"model": "knn", "n_neighbors": 1},
        "k": 2,
        "n_values": 3,
    }
    _, _, result = _run(params)
    assert result["param_range"] == [1, 2, 3]  # geometric 1..3 (a fold trains on 4 rows minus the stratified one)
    assert result["test_scores"][0] == [1.0, 1.0]
    assert result["train_scores"][0] == [1.0, 1.0]


def test_diagnosis_words() -> None:
    assert diagnose(1.0, 0.85) == "high variance"
    assert diagnose(0.86, 0.85) == "high bias"
    assert diagnose(0.97, 0.95) == "good fit"
    assert diagnose(None, 0.5) == "undefined"


def test_k_and_knn_are_clamped_with_a_note() -> None:
    # 12 rows of 3 classes, 4 each: stratified folds at most 4; the smallest training size is 10 % of 8 rows.
    blobs = {"name": "blobs", "n_samples": 12, "centers": 3, "seed": 0}
    params = {"dataset": blobs, "k": 10, "model": {"model": "knn", "n_neighbors": 9}, "grid_size": 20}
    plan, frames, result = _run(params)
    assert plan.inputs.n_folds == 4 and result["n_folds"] == 4
    assert frames[0].caption.startswith("Note: 10 folds are more than")
    assert "k-NN's k = 9" in frames[0].caption
    assert result["train_sizes"][0] >= 1


def test_refusals_name_the_field() -> None:
    one_row_class = {"X": [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]], "y": [0, 0, 0, 0, 1]}
    with pytest.raises(RunInputError) as caught:
        plan_run(LEARNING_CURVES, {"dataset": one_row_class}, 0, False, Settings())
    assert caught.value.errors[0]["loc"][-1] == "splitter"
    with pytest.raises(RunInputError) as caught:
        plan_run(LEARNING_CURVES, {"n_sizes": 11}, 0, False, Settings())
    assert caught.value.errors[0]["loc"][-1] == "n_sizes"


def test_default_story() -> None:
    """The default-config claims (the one test of them). Learning curve: a depth-8 tree on noisy moons reads as
    high variance, its training accuracy near 1 while validation climbs with more rows. Early stopping (only the
    mode switched): the wide network on 140 noisy moons visibly overfits within its 300 epochs: the validation
    loss turns up well before the end while the training loss keeps falling, patience runs out, and the
    restored weights beat the last ones on validation loss by a wide margin."""
    _, frames, result = _run({}, seed=0)
    assert result["mode"] == "learning_curve" and len(result["train_sizes"]) == 5
    train, test = result["train_mean"], result["test_mean"]
    assert min(train) > 0.95
    assert test[-1] > test[0] + 0.05
    assert result["diagnosis"] == "high variance"
    assert "high variance" in frames[-1].caption

    _, frames, result = _run({"mode": "early_stopping"}, seed=0)
    losses, val = np.array(result["train_loss"]), np.array(result["val_loss"])
    turn = result["lowest_val_epoch"]
    assert turn < 150
    assert val[-1] > 1.5 * val[turn - 1]
    assert losses[-1] < 0.5 * losses[turn - 1]
    assert result["stopped_epoch"] is not None and result["stopped_epoch"] < 300
    assert result["restored_val_loss"] < 0.7 * result["last_val_loss"]
    assert frames[-1].kind == "restore" and "restored epoch" in frames[-1].caption
