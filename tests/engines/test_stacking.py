"""Stacking engine: the level-1 table against cross_val_predict with the same KFold, the final predictions against
StackingClassifier on every grid cell and every point, a hand-laid table, the clamps, and the lab's default story."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import StackingClassifier
from sklearn.model_selection import KFold, cross_val_predict

from app.core.algorithm import used_params
from app.core.frame import Frame, drain
from app.core.text import percent
from app.encoding import to_jsonable
from app.engines.base_models import make_estimator
from app.engines.boundary import make_grid
from app.engines.stacking import column_names, level1
from app.engines.voting import member_keys, quietly
from app.labs.stacking import STACKING, fold_sizes
from app.runs import RunPlan, plan_run
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 80, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 60, "centers": 3, "cluster_std": 2.0, "seed": 1}
THREE = [{"model": "logistic_regression"}, {"model": "knn", "n_neighbors": 5}, {"model": "decision_tree"}]


def _run(params: dict[str, Any], seed: int = 4) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(STACKING, params, seed, False, Settings())
    frames, result = drain(STACKING.engine(plan.inputs, plan.params, np.random.default_rng(seed)))
    return plan, frames, result


def _train(plan: RunPlan) -> tuple[np.ndarray, np.ndarray]:
    inputs = plan.inputs
    return inputs.X[inputs.split.train], inputs.y[inputs.split.train]


CASES = [
    pytest.param({"dataset": MOONS, "grid_size": 20}, id="binary"),
    pytest.param({"dataset": MOONS, "grid_size": 20, "cv": 3, "passthrough": True}, id="binary-passthrough"),
    pytest.param({"dataset": BLOBS3, "grid_size": 20, "estimators": THREE, "cv": 4, "final_C": 0.3}, id="3-classes"),
    pytest.param(
        {
            "dataset": BLOBS3,
            "grid_size": 20,
            "estimators": [{"model": "naive_bayes"}, {"model": "svm", "probability": True}],
            "final_estimator": "decision_tree",
            "final_max_depth": 3,
            "passthrough": True,
        },
        id="tree-meta-3-classes-passthrough",
    ),
]


@pytest.mark.parametrize("params", CASES)
def test_the_table_is_cross_val_predict_with_the_same_folds(params: dict[str, Any]) -> None:
    seed = 4
    plan, frames, result = _run(params, seed)
    X, y = _train(plan)
    k, n_classes = plan.params.cv, len(plan.inputs.classes)
    table = np.asarray(result["oof_predictions"])
    per_model = 1 if n_classes == 2 else n_classes
    for i, spec in enumerate(plan.inputs.specs):
        with quietly():
            expected = cross_val_predict(
                make_estimator(spec, seed), X, y, cv=KFold(k, shuffle=True, random_state=seed), method="predict_proba"
            )
        columns = table[:, i * per_model : (i + 1) * per_model]
        np.testing.assert_allclose(columns, expected[:, 1:] if n_classes == 2 else expected, rtol=0, atol=1e-12)
    if plan.params.passthrough:
        np.testing.assert_array_equal(table[:, -2:], X)
    assert table.shape[1] == len(result["columns"]) == len(plan.inputs.specs) * per_model + 2 * plan.params.passthrough
    # Fold by fold: each fold frame holds exactly KFold's held-out rows, and its rows of the table.
    folds = list(KFold(k, shuffle=True, random_state=seed).split(X))
    fold_frames = [f for f in frames if f.kind == "fold"]
    assert len(fold_frames) == k
    for frame, (_, held) in zip(fold_frames, folds, strict=True):
        rows = plan.inputs.split.train[held]
        assert sorted(frame.state["held_out"].tolist()) == sorted(rows.tolist())
        position = {r: j for j, r in enumerate(plan.inputs.split.train.tolist())}
        order = [position[r] for r in frame.state["held_out"].tolist()]
        np.testing.assert_allclose(frame.state["rows"], np.round(table[order], 4))
        assert frame.state["filled"] == sum(f.size for _, f in folds[: frame.state["fold"]])
    assert np.asarray(result["folds"]).tolist() == [
        next(f for f, (_, held) in enumerate(folds, start=1) if r in held) for r in range(len(y))
    ]


@pytest.mark.parametrize("params", CASES)
def test_every_grid_cell_and_point_equals_stacking_classifier(params: dict[str, Any]) -> None:
    seed = 4
    plan, frames, result = _run(params, seed)
    X, y = _train(plan)
    inputs = plan.inputs
    library = StackingClassifier(
        [(key, make_estimator(s, seed)) for key, s in zip(member_keys(inputs.specs), inputs.specs, strict=True)],
        final_estimator=make_estimator(inputs.meta, seed),
        cv=KFold(plan.params.cv, shuffle=True, random_state=seed),
        stack_method="predict_proba",
        passthrough=plan.params.passthrough,
    )
    with quietly():
        library.fit(X, y)
    grid = make_grid(inputs.X, plan.params.grid_size)
    np.testing.assert_array_equal(np.asarray(result["grid"]["predicted"]).ravel(), library.predict(grid.points))
    test = inputs.split.test
    assert result["test_score"] == pytest.approx(float(np.mean(library.predict(inputs.X[test]) == inputs.y[test])))
    assert result["train_score"] == pytest.approx(float(np.mean(library.predict(X) == y)))
    np.testing.assert_allclose(
        np.asarray(result["grid"]["probability"]).ravel(), library.predict_proba(grid.points).max(axis=1), atol=1e-6
    )
    meta = library.final_estimator_
    if "meta_coef" in result:
        np.testing.assert_allclose(result["meta_coef"], meta.coef_, atol=1e-10)
        if len(inputs.classes) == 2:
            np.testing.assert_allclose(result["trust"], meta.coef_[0, : len(inputs.specs)], atol=1e-10)
    else:
        np.testing.assert_allclose(result["meta_importances"], meta.feature_importances_, atol=1e-12)
        assert sum(result["trust"]) == pytest.approx(
            1.0 - sum(meta.feature_importances_[-2:]) * plan.params.passthrough
        )
    assert [f.kind for f in frames[-2:]] == ["meta", "final"]


def test_hand_laid_level1_table() -> None:
    # Two models, one point, three classes: model-major columns. Two classes: class 1's column only.
    probabilities = np.array([[[0.2, 0.3, 0.5]], [[0.6, 0.1, 0.3]]])
    assert level1(probabilities, np.array([[7.0, 8.0]]), False).tolist() == [[0.2, 0.3, 0.5, 0.6, 0.1, 0.3]]
    binary = np.array([[[0.25, 0.75]], [[0.9, 0.1]]])
    assert level1(binary, np.array([[7.0, 8.0]]), True).tolist() == [[0.75, 0.1, 7.0, 8.0]]
    assert column_names(["A", "B"], ["no", "yes"], ["x1", "x2"], True) == [
        "A: P(class yes)",
        "B: P(class yes)",
        "x1",
        "x2",
    ]
    assert fold_sizes(11, 3) == (4, 4, 3)  # KFold: the first n mod k folds take one more


def test_a_fold_without_a_class_predicts_the_class_it_saw() -> None:
    # Four training points, one of class 1: the fold holding it out trains on class 0 only.
    X = [[0, 0], [0.1, 0.2], [0.3, 0.1], [1, 1], [0.2, 0.3]]
    data = {"X": X, "y": [0, 0, 0, 1, 0]}
    params = {"dataset": data, "test_fraction": 0, "cv": 2, "grid_size": 20, "estimators": THREE}
    plan, frames, result = _run(params, seed=0)
    lonely = [f for f in frames if f.kind == "fold" and f.state["one_class"]]
    assert lonely and "can only predict that class here" in lonely[0].caption
    X_train, y_train = _train(plan)
    table = np.asarray(result["oof_predictions"])
    for i, spec in enumerate(plan.inputs.specs):
        if spec["model"] == "logistic_regression":
            continue  # scikit-learn refuses to fit it on one class; the other two agree with cross_val_predict
        with pytest.warns(RuntimeWarning, match="Number of classes in training fold"):  # scikit-learn flags it too
            expected = cross_val_predict(
                make_estimator(spec, 0),
                X_train,
                y_train,
                cv=KFold(2, shuffle=True, random_state=0),
                method="predict_proba",
            )
        np.testing.assert_allclose(table[:, i], expected[:, 1])


def test_cv_and_k_are_clamped_with_a_note() -> None:
    data = {
        "X": [[0, 0], [0.2, 0.1], [1, 1], [1.1, 0.9], [0.1, 0.3], [0.9, 1.2], [1.2, 1.1]],
        "y": [0, 0, 1, 1, 0, 1, 1],
    }
    estimators = [{"model": "knn", "n_neighbors": 30}, {"model": "decision_tree"}]
    plan, frames, result = _run({"dataset": data, "cv": 10, "test_fraction": 0, "estimators": estimators})
    assert used_params(plan.params, plan.inputs.clamps).cv == 3 and result["cv"] == 3  # class 0: 3 training points
    assert frames[0].caption.startswith("Note: 10 folds are more than the 3 training points of class 0, so 3 folds")
    fitted_on = 7 - 3  # the training points minus the largest fold (7 = 3 + 2 + 2)
    assert f"k-NN's k = 30 is more than the {fitted_on} points each fold's models are trained on" in frames[0].caption
    assert plan.inputs.specs[0]["n_neighbors"] == fitted_on
    assert sum(f.kind == "fold" for f in frames) == 3


def test_captions_say_what_their_frame_shows() -> None:
    plan, frames, result = _run({"dataset": MOONS, "grid_size": 20})
    first = frames[0]
    n = first.state["held_out"].size
    assert f"rows 1–{n} of the" in first.caption and "Why out of fold" in first.caption
    for i, name in enumerate(("logistic regression", "k-NN", "decision tree", "SVM", "naive Bayes")):
        assert f"{name} {percent(first.state['oof_accuracy'][i], 1)}" in first.caption
    meta = next(f for f in frames if f.kind == "meta")
    top = int(np.argmax(meta.state["trust"]))
    assert f"{percent(meta.state['meta_train_accuracy'], 1)} of the training points" in meta.caption
    assert meta.caption.index(("logistic regression", "k-NN", "decision tree", "SVM", "naive Bayes")[top]) < len(
        meta.caption
    )
    final = frames[-1]
    assert percent(final.state["test_accuracy"], 1) in final.caption
    assert plan.inputs.names[final.state["best_member"]] in final.caption
    better = final.state["test_accuracy"] > final.state["best_member_accuracy"]
    assert ("Stacking beats it" in final.caption) == better
    assert result["test_score"] == final.state["test_accuracy"]


def test_defaults_the_stack_beats_its_best_base_model_within_the_frame_budget() -> None:
    """The lab's default story (moons, noise 0.3; five base models, 5 folds, logistic meta-model), in one place."""
    plan, frames, result = _run({}, seed=0)
    assert [f.kind for f in frames] == ["fold"] * 5 + ["meta", "final"]
    assert result["test_score"] > max(result["member_test_accuracy"])
    trust = dict(zip(plan.inputs.names, result["trust"], strict=True))
    most = sorted(trust, key=trust.__getitem__, reverse=True)[:2]
    assert set(most) == {"k-NN (k = 5)", "SVM (C = 1)"}, trust  # the two best at the moons' bend
    assert trust["logistic regression (C = 1)"] < 1 and trust["naive Bayes (smoothing 1e-09)"] < 1
    assert "Stacking beats it" in frames[-1].caption
    for frame in frames:
        figure = to_jsonable(STACKING.view.render(frame, plan.inputs, plan.params))
        assert len(json.dumps(figure, separators=(",", ":"))) <= 16 * 1024, frame.kind
