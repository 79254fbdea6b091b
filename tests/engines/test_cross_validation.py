"""Cross-validation lab: folds and scores against scikit-learn's ``cross_validate`` with the same splitter, the
single splits against ``train_test_split``, a hand-computed case (sorted rows, no shuffle), the clamps and the
refusals, and the lab's default story."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from sklearn.model_selection import (
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    cross_validate,
    train_test_split,
)

from app.core.frame import Frame, drain
from app.engines.base_models import make_estimator
from app.engines.cross_validation import SINGLE_SPLITS, assignment, mean_std
from app.labs.cross_validation import CROSS_VALIDATION
from app.runs import RunInputError, RunPlan, plan_run
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 60, "centers": 3, "cluster_std": 2.0, "seed": 1}


def _run(params: dict[str, Any], seed: int = 3) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(CROSS_VALIDATION, params, seed, False, Settings())
    frames, result = drain(CROSS_VALIDATION.engine(plan.inputs, plan.params, np.random.default_rng(seed)))
    return plan, frames, result


def _oracle_splitter(splitter: str, k: int, shuffle: bool, seed: int) -> Any:
    """scikit-learn's splitter, built here from the params (not by the engine's helper)."""
    state = seed if shuffle else None
    return {
        "kfold": lambda: KFold(k, shuffle=shuffle, random_state=state),
        "stratified": lambda: StratifiedKFold(k, shuffle=shuffle, random_state=state),
        "shuffle-split": lambda: ShuffleSplit(n_splits=k, test_size=1 / k, random_state=seed),
        "leave-one-out": LeaveOneOut,
    }[splitter]()


CASES = [
    pytest.param(MOONS, {"model": "decision_tree", "max_depth": 3}, "kfold", True, "accuracy", id="kfold-tree"),
    pytest.param(MOONS, {"model": "knn", "n_neighbors": 5}, "stratified", True, "f1", id="stratified-knn-f1"),
    pytest.param(MOONS, {"model": "svm", "C": 1.0}, "kfold", False, "roc_auc", id="kfold-svm-auc"),
    pytest.param(MOONS, {"model": "logistic_regression"}, "shuffle-split", True, "accuracy", id="shuffle-split"),
    pytest.param(MOONS, {"model": "naive_bayes"}, "leave-one-out", True, "accuracy", id="loo-nb"),
    pytest.param(BLOBS3, {"model": "logistic_regression"}, "stratified", False, "roc_auc", id="3-classes-auc-ovr"),
    pytest.param(BLOBS3, {"model": "decision_tree", "max_depth": 2}, "kfold", True, "f1", id="3-classes-macro-f1"),
]


@pytest.mark.parametrize(("dataset", "model", "splitter", "shuffle", "scoring"), CASES)
def test_folds_and_scores_equal_cross_validate(
    dataset: dict[str, Any], model: dict[str, Any], splitter: str, shuffle: bool, scoring: str
) -> None:
    seed = 7
    params = {"dataset": dataset, "model": model, "splitter": splitter, "k": 4, "shuffle": shuffle}
    plan, frames, result = _run({**params, "scoring": scoring, "grid_size": 20}, seed)
    X, y = plan.inputs.X, plan.inputs.y
    name = scoring if len(plan.inputs.classes) == 2 else {"f1": "f1_macro", "roc_auc": "roc_auc_ovr"}[scoring]
    library = cross_validate(
        make_estimator(plan.params.model.model_dump(), seed),
        X,
        y,
        cv=_oracle_splitter(splitter, 4, shuffle, seed),
        scoring=name,
        return_indices=True,
    )
    assert result["scorer"] == name
    assert len(result["folds"]) == len(library["indices"]["test"])
    for ours, theirs in zip(result["folds"], library["indices"]["test"], strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(np.array(result["scores"], dtype=float), library["test_score"], rtol=0, atol=1e-12)
    assert result["mean"] == pytest.approx(float(np.mean(library["test_score"])), abs=1e-12)
    assert result["std"] == pytest.approx(float(np.std(library["test_score"])), abs=1e-12)
    fold_frames = [f for f in frames if f.kind == "fold"]
    assert [f.state["score"] for f in fold_frames] == result["scores"]
    assert [f.kind for f in frames[:2]] == ["shuffle", "split"] and frames[-1].kind == "summary"


def test_single_splits_equal_train_test_split() -> None:
    seed = 5
    plan, _, result = _run({"dataset": MOONS, "k": 4, "grid_size": 20}, seed)
    X, y = plan.inputs.X, plan.inputs.y
    expected = []
    for i in range(SINGLE_SPLITS):
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=seed + i)
        tree = make_estimator({"model": "decision_tree", "max_depth": 4}, seed).fit(X_tr, y_tr)
        expected.append(float(np.mean(tree.predict(X_te) == y_te)))
    assert result["single_split_scores"] == pytest.approx(expected, abs=1e-12)


SORTED = {"X": [[float(i), float(i % 3)] for i in range(8)], "y": [0, 0, 0, 0, 1, 1, 1, 1]}


def test_unshuffled_folds_of_sorted_rows_by_hand() -> None:
    """8 rows, class 0 then class 1, 2 folds without shuffle: fold 1 holds rows 0–3 (all class 0) and its tree is
    trained on class 1 alone, so it predicts class 1 everywhere and scores 0; fold 2 likewise. A logistic
    regression cannot be fitted on one class at all: no score (scikit-learn records NaN)."""
    base = {"dataset": SORTED, "splitter": "kfold", "k": 2, "shuffle": False, "grid_size": 20}
    _, frames, result = _run({**base, "model": {"model": "decision_tree", "max_depth": 2}})
    assert [fold.tolist() for fold in result["folds"]] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert result["scores"] == [0.0, 0.0] and result["mean"] == 0.0
    assert "class by class" in frames[0].caption
    assert "Its training rows hold no row of class 0, so it cannot predict it" in frames[2].caption
    assert "were not random samples of the rows (shuffle is off" in frames[-1].caption
    _, frames, result = _run({**base, "model": {"model": "logistic_regression"}})
    assert result["scores"] == [None, None] and result["mean"] is None and result["std"] is None
    assert "cannot be fitted on one class" in frames[2].caption
    assert not any(np.isnan(v) for f in frames for v in f.metrics.values())


def test_assignment_and_mean_std_by_hand() -> None:
    parts = [(np.array([1, 2]), np.array([0])), (np.array([0]), np.array([2]))]
    np.testing.assert_array_equal(assignment(parts, 4), [[2, 1, 1, 0], [1, 0, 2, 0]])
    assert mean_std([0.5, None, 1.0]) == (0.75, 0.25)
    assert mean_std([None]) == (None, None)


def test_k_beyond_the_smallest_class_is_clamped_for_stratified() -> None:
    tiny = {"X": [[float(i), float(i * i % 5)] for i in range(12)], "y": [0] * 9 + [1] * 3}
    _, frames, result = _run({"dataset": tiny, "splitter": "stratified", "k": 10, "grid_size": 20})
    assert result["n_folds"] == 3 == len(result["folds"])
    assert frames[0].caption.startswith("Note: 10 folds are more than the 3 rows of class 1, so 3 folds are used")
    _, frames, result = _run({"dataset": tiny, "splitter": "kfold", "k": 20, "grid_size": 20})
    assert result["n_folds"] == 12 and "20 folds are more than the 12 rows" in frames[0].caption


def test_knn_k_is_clamped_to_a_fold_training_rows() -> None:
    tiny = {"X": [[float(i), float(i * 7 % 5)] for i in range(10)], "y": [0, 1] * 5}
    _, frames, result = _run({"dataset": tiny, "model": {"model": "knn", "n_neighbors": 30}, "grid_size": 20})
    assert "k-NN's k = 30 is more than the" in frames[0].caption
    assert all(s is not None for s in result["scores"])


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"dataset": {"name": "moons", "n_samples": 500}, "splitter": "leave-one-out"}, ("splitter",)),
        ({"dataset": MOONS, "splitter": "leave-one-out", "scoring": "roc_auc"}, ("scoring",)),
        ({"dataset": BLOBS3, "model": {"model": "svm"}, "scoring": "roc_auc"}, ("model", "probability")),
    ],
)
def test_refusals_name_the_field(params: dict[str, Any], loc: tuple[str, ...]) -> None:
    with pytest.raises(RunInputError) as caught:
        plan_run(CROSS_VALIDATION, params, 0, False, Settings())
    assert caught.value.errors[0]["loc"] == ["body", "params", *loc]


def test_default_run_story_and_frame_budget() -> None:
    """The one test of the defaults' claims: 5 folds of 40 rows, k + 3 frames, every figure ≤ 16 KB."""
    plan, frames, result = _run({}, 0)
    assert [f.kind for f in frames] == ["shuffle", "split"] + ["fold"] * 5 + ["summary"]
    assert result["n_folds"] == 5 and sorted(np.concatenate(result["folds"]).tolist()) == list(range(200))
    view = CROSS_VALIDATION.view
    for frame in frames:
        figure = view.render(frame, plan.inputs, plan.params)
        assert len(json.dumps(figure, separators=(",", ":"))) <= 16_000
    assert f"{result['mean']:.3f} ± {result['std']:.3f}" in frames[-1].caption
    assert len(result["single_split_scores"]) == SINGLE_SPLITS
