"""Hyperparameter-tuning lab: every strategy against scikit-learn's own search class with the same splitter
(``GridSearchCV``, ``RandomizedSearchCV(random_state=seed)``, ``HalvingGridSearchCV(random_state=seed)``):
the candidates in their order, each fold's score, means and stds to 1e-12, ranks, best params and best score;
the winner's held-out test score against the refit search's; a hand-computed case; the refusals and clamps;
and the default story in one named test."""

from __future__ import annotations

import itertools
from typing import Any, cast

import numpy as np
import pytest
from scipy.stats import loguniform, randint
from sklearn.base import BaseEstimator
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (makes HalvingGridSearchCV importable)
from sklearn.metrics import get_scorer
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from app.core.frame import Frame, drain
from app.engines import hyperparameter_tuning as ht
from app.labs.hyperparameter_tuning import HYPERPARAMETER_TUNING
from app.runs import RunInputError, RunPlan, plan_run
from app.schemas.hyperparameter_tuning import HyperparameterTuningParams
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 80, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 90, "centers": 3, "cluster_std": 2.0, "seed": 1}
SMALL = {"grid_size": 20, "n_first": 3, "n_second": 3, "k": 3}


def _run(params: dict[str, Any], seed: int = 3) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(HYPERPARAMETER_TUNING, params, seed, False, Settings())
    params_used = cast(HyperparameterTuningParams, plan.params)
    frames, result = drain(HYPERPARAMETER_TUNING.engine(plan.inputs, params_used, np.random.default_rng(seed)))
    return plan, frames, result


def _estimator(model: str, seed: int) -> BaseEstimator:
    """The library's estimator, built here (not by the engine's helper)."""
    return {
        "svm": lambda: SVC(random_state=seed),
        "knn": KNeighborsClassifier,
        "decision_tree": lambda: DecisionTreeClassifier(random_state=seed),
        "mlp": lambda: MLPClassifier(max_iter=ht.MLP_MAX_ITER, random_state=seed),
    }[model]()


def _grid(model: str, axes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The oracle's param_grid from the values the setup frame published."""
    first, second = axes
    grid = {first["name"]: list(first["values"]), second["name"]: list(second["values"])}
    if model == "mlp":
        grid["hidden_layer_sizes"] = [(w,) for w in grid["hidden_layer_sizes"]]
    return grid


def _distributions(model: str, axes: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in axes:
        if a["name"] == "weights":
            out[a["name"]] = ["uniform", "distance"]
        elif a["name"] == "hidden_layer_sizes":
            out[a["name"]] = [(w,) for w in a["values"]]
        elif isinstance(a["values"][0], int):
            out[a["name"]] = randint(int(a["low"]), int(a["high"]) + 1)
        else:
            out[a["name"]] = loguniform(a["low"], a["high"])
    return out


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """The library's params as the lab publishes them (numbers as Python numbers, a width tuple as a list)."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, tuple):
            out[name] = list(value)
        elif isinstance(value, str):
            out[name] = value
        elif isinstance(value, (int, np.integer)):
            out[name] = int(value)
        else:
            out[name] = float(value)
    return out


def _assert_same(result: dict[str, Any], library: Any, k: int, halving: bool = False) -> None:
    ours, theirs = result["cv_results"], library.cv_results_
    assert ours["params"] == [_plain(p) for p in theirs["params"]]
    np.testing.assert_allclose(ours["mean_test_score"], theirs["mean_test_score"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours["std_test_score"], theirs["std_test_score"], rtol=0, atol=1e-12)
    for f in range(k):
        column = [row[f] for row in ours["split_test_scores"]]
        np.testing.assert_allclose(column, theirs[f"split{f}_test_score"], rtol=0, atol=1e-12)
    assert ours["rank_test_score"] == theirs["rank_test_score"].tolist()
    assert result["best_params"] == _plain(library.best_params_)
    assert result["best_index"] == library.best_index_
    assert result["best_score"] == pytest.approx(library.best_score_, abs=1e-12)
    if halving:
        assert ours["iter"] == theirs["iter"].tolist()
        assert ours["n_resources"] == theirs["n_resources"].tolist()


def _split(plan: RunPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    inputs = plan.inputs
    train, test = inputs.split.train, inputs.split.test
    return inputs.X[train], inputs.y[train], inputs.X[test], inputs.y[test]


GRID_CASES = [
    pytest.param(MOONS, "svm", {}, id="svm-C-gamma"),
    pytest.param(MOONS, "knn", {"k_high": 20}, id="knn-k-weights"),
    pytest.param(BLOBS3, "decision_tree", {"depth_high": 6, "leaf_high": 20}, id="tree-3-classes"),
    pytest.param(MOONS, "mlp", {"width_high": 8, "n_first": 2, "n_second": 2}, id="mlp-lr-width"),
]


@pytest.mark.parametrize(("dataset", "model", "extra"), GRID_CASES)
def test_grid_search_equals_grid_search_cv(dataset: dict[str, Any], model: str, extra: dict[str, Any]) -> None:
    seed = 5
    plan, frames, result = _run({"dataset": dataset, "model": model, "strategy": "grid", **SMALL, **extra}, seed)
    X, y, X_test, y_test = _split(plan)
    axes = frames[0].state["axes"]
    library = GridSearchCV(
        _estimator(model, seed),
        _grid(model, axes),
        cv=StratifiedKFold(3, shuffle=True, random_state=seed),
        scoring="accuracy",
    ).fit(X, y)
    _assert_same(result, library, 3)
    assert result["test_score"] == pytest.approx(library.score(X_test, y_test), abs=1e-12)
    assert [f.kind for f in frames] == ["setup"] + ["evaluate"] * len(library.cv_results_["params"]) + ["winner"]


@pytest.mark.parametrize(
    ("dataset", "model", "extra"),
    [
        pytest.param(MOONS, "svm", {}, id="svm-log-uniform"),
        pytest.param(MOONS, "knn", {"k_high": 20}, id="knn-randint"),
        pytest.param(BLOBS3, "decision_tree", {}, id="tree-randint-3-classes"),
    ],
)
def test_random_search_equals_randomized_search_cv(dataset: dict[str, Any], model: str, extra: dict[str, Any]) -> None:
    seed = 11
    params = {"dataset": dataset, "model": model, "strategy": "random", "n_iter": 7, **SMALL, **extra}
    plan, frames, result = _run(params, seed)
    X, y, X_test, y_test = _split(plan)
    library = RandomizedSearchCV(
        _estimator(model, seed),
        _distributions(model, frames[0].state["axes"]),
        n_iter=7,
        cv=StratifiedKFold(3, shuffle=True, random_state=seed),
        scoring="accuracy",
        random_state=seed,
    ).fit(X, y)
    _assert_same(result, library, 3)
    assert result["test_score"] == pytest.approx(library.score(X_test, y_test), abs=1e-12)


@pytest.mark.parametrize(
    ("dataset", "model", "extra"),
    [
        pytest.param({**MOONS, "n_samples": 160}, "svm", {"n_first": 4, "n_second": 4}, id="svm-factor-3"),
        pytest.param({**MOONS, "n_samples": 160}, "decision_tree", {"factor": 2}, id="tree-factor-2"),
        pytest.param({**BLOBS3, "n_samples": 150}, "knn", {"k_high": 15, "n_first": 4}, id="knn-3-classes"),
    ],
)
def test_halving_equals_halving_grid_search_cv(dataset: dict[str, Any], model: str, extra: dict[str, Any]) -> None:
    seed = 4
    params = {"dataset": dataset, "model": model, "strategy": "halving", **SMALL, **extra}
    plan, frames, result = _run(params, seed)
    X, y, X_test, y_test = _split(plan)
    factor = cast(HyperparameterTuningParams, plan.params).factor
    library = HalvingGridSearchCV(
        _estimator(model, seed),
        _grid(model, frames[0].state["axes"]),
        factor=factor,
        cv=StratifiedKFold(3, shuffle=True, random_state=seed),
        scoring="accuracy",
        random_state=seed,
    ).fit(X, y)
    _assert_same(result, library, 3, halving=True)
    assert result["test_score"] == pytest.approx(library.score(X_test, y_test), abs=1e-12)
    rounds = [f for f in frames if f.kind == "round"]
    assert [r.state["n_candidates"] for r in rounds] == library.n_candidates_
    assert [r.state["n_resources"] for r in rounds] == library.n_resources_
    n_classes = len(plan.inputs.classes)
    planned = ht.halving_rounds(rounds[0].state["n_candidates"], y.size, factor, 3, n_classes)
    assert planned == list(zip(library.n_candidates_, library.n_resources_, strict=True))
    # Who goes on: each round's kept candidates are exactly the next round's.
    for now, nxt in itertools.pairwise(rounds):
        kept = [p for p, k in zip(now.state["params"], now.state["kept"], strict=True) if k]
        assert sorted(map(repr, kept)) == sorted(map(repr, nxt.state["params"]))


def test_accuracy_shortcut_equals_the_library_scorer() -> None:
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.2, 0.1], [0.9, 1.2], [0.5, 0.4], [0.6, 0.7], [0.1, 0.9]])
    y = np.array([0, 1, 0, 1, 0, 1, 1])
    model = KNeighborsClassifier(n_neighbors=3).fit(X[:5], y[:5])
    assert ht.accuracy(model, X, y) == get_scorer("accuracy")(model, X, y)


def test_hand_computed_grid_of_knn_on_a_line() -> None:
    """Four points a class at 0..3 and 10..13 (on the diagonal), two hand-made folds: k = 1 finds the held-out
    row's own class every time; k = 6 counts all 6 training rows, 3 votes a class, and scikit-learn breaks the
    tie to the lowest class, so the class-1 row of each fold is wrong."""
    xs = np.array([0, 1, 2, 3, 10, 11, 12, 13], dtype=np.float64)
    X = np.column_stack([xs, xs])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    parts = [(np.array([1, 2, 3, 5, 6, 7]), np.array([0, 4])), (np.array([0, 2, 3, 4, 6, 7]), np.array([1, 5]))]
    near = ht.split_scores(KNeighborsClassifier(), {"n_neighbors": 1, "weights": "uniform"}, X, y, parts)
    np.testing.assert_array_equal(near, [1.0, 1.0])
    tied = ht.split_scores(KNeighborsClassifier(), {"n_neighbors": 6, "weights": "uniform"}, X, y, parts)
    np.testing.assert_array_equal(tied, [0.5, 0.5])
    assert ht.mean_std(np.array([0.5, 1.0])) == (0.75, 0.25)
    assert ht.ranks([0.5, np.nan, 0.9, 0.9]) == [3, 4, 1, 1]
    # Halving's rule of thumb: 36 candidates, 140 rows, factor 3, k 5, 2 classes → 20 rows first, then 60.
    assert ht.halving_rounds(36, 140, 3, 5, 2) == [(36, 20), (12, 60)]
    assert ht.axis_values(0.01, 1000, 6, log=True, integer=False) == (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
    assert ht.axis_values(1, 12, 4, log=False, integer=True) == (1, 5, 8, 12)


def _error(params: dict[str, Any]) -> RunInputError:
    with pytest.raises(RunInputError) as caught:
        plan_run(HYPERPARAMETER_TUNING, params, 0, False, Settings())
    return caught.value


def test_a_million_fits_is_refused_at_the_field_that_makes_them() -> None:
    err = _error({"strategy": "random", "n_iter": 200_000})
    assert err.errors[0]["loc"][-1] == "n_iter"
    assert "1,000,001" in err.errors[0]["msg"] and "2,000" in err.errors[0]["msg"]
    grid = _error({"n_first": 12, "n_second": 12, "k": 20})
    assert grid.errors[0]["loc"][-1] == "k"
    assert "2,881" in grid.errors[0]["msg"]


def test_other_refusals_and_the_folds_clamp() -> None:
    assert _error({"c_low": 10.0, "c_high": 1.0}).errors[0]["loc"][-1] == "c_high"
    tiny = {"name": "moons", "n_samples": 12, "noise": 0.2, "seed": 1}
    assert _error({"dataset": tiny, "strategy": "halving", "k": 5}).errors[0]["loc"][-1] == "k"
    assert _error({"dataset": MOONS, "model": "knn", "k_high": 60}).errors[0]["loc"][-1] == "k_high"
    plan, frames, _ = _run({"dataset": tiny, "k": 8, **{k: v for k, v in SMALL.items() if k != "k"}})
    assert plan.inputs.search.k == 4 == frames[0].state["n_folds"]  # 4 search rows in each class
    assert frames[0].caption.startswith("Note: 8 folds are more than the 4 search rows of class 0")


def test_default_story() -> None:
    """The one test of the defaults: SVM C × gamma on noisy moons, a 6 × 6 log grid, 5 folds, 181 fits."""
    plan, frames, result = _run({}, seed=0)
    setup, winner = frames[0], frames[-1]
    assert setup.state["n_fits"] == result["n_fits"] == 36 * 5 + 1
    assert "181 fits" in setup.caption and "log scale" in setup.caption
    assert len(frames) == 38 and winner.kind == "winner"
    best = max(s for s in result["cv_results"]["mean_test_score"] if s is not None)
    assert result["best_score"] == best
    assert winner.state["optimism"] == pytest.approx(result["best_score"] - result["test_score"])
    assert f"{result['test_score']:.3f}" in winner.caption and "optimistic" in winner.caption
    curve = [f.metrics["best_so_far"] for f in frames[1:-1]]
    assert curve == sorted(curve)  # the best so far never falls
    assert plan.inputs.split.test.size == 60 and setup.state["n_search_rows"] == 140
