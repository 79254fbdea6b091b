"""Gradient boosting against scikit-learn: the replayed stages are the library's own (``staged_predict`` /
``staged_decision_function`` to 1e-9, several seeds, subsample < 1, both tasks, every loss, three classes), the
negative gradients the engine recomputes are what each tree was fitted to (a ``DecisionTreeRegressor`` refitted
on them reproduces the tree), the start is the mean / log-odds of the prior, and two tiny cases worked by hand."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.metrics import log_loss
from sklearn.tree import DecisionTreeRegressor

from app.core.frame import Frame, drain
from app.engines import gradient_boosting as gb
from app.engines.boundary import fit_points, make_grid, random_split, split

LR, DEPTH, STAGES, GRID = 0.3, 2, 8, 20


def _regression(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    y = 2 * np.sin(1.5 * x) + 0.3 * rng.standard_normal(n)
    y[3] += 6.0  # an outlier: absolute error and Huber treat it differently from squared error
    return x[:, None], y


def _problem(task: str, loss: str, subsample: float, classes: int = 2, two_features: bool = False) -> gb.Problem:
    if task == "regression":
        X, y = _regression()
        if two_features:
            X = np.column_stack([X[:, 0], np.random.default_rng(5).uniform(0, 10, X.shape[0])])
        parts = random_split(y.size, 0.25, np.random.default_rng(1))
        names: tuple[str, ...] = ()
    else:
        if classes == 2:
            X, labels = make_moons(70, noise=0.3, random_state=0)
        else:
            X, labels = make_blobs(75, centers=classes, cluster_std=2.0, random_state=0)
        y = labels.astype(np.int64)
        parts = split(y, 0.25, np.random.default_rng(1))
        names = tuple(str(c) for c in range(classes))
    return gb.Problem(X, y, parts, task, len(names), loss, names, LR, DEPTH, subsample)


def _library(problem: gb.Problem, seed: int) -> Any:
    make = GradientBoostingClassifier if problem.task == "classification" else GradientBoostingRegressor
    model = make(
        loss=problem.loss,
        n_estimators=STAGES,
        learning_rate=LR,
        max_depth=DEPTH,
        subsample=problem.subsample,
        random_state=seed,
    )
    train = problem.parts.train
    return model.fit(problem.X[train], problem.y[train])


def _run(problem: gb.Problem, seed: int) -> tuple[list[Frame], dict[str, Any]]:
    return drain(gb.run(problem, n_estimators=STAGES, grid_size=GRID, seed=seed))


REGRESSION = [
    (loss, sub, seed) for loss in ("squared_error", "absolute_error", "huber") for sub, seed in ((1.0, 0), (0.6, 7))
]
CLASSIFICATION = [
    ("log_loss", 2, 1.0, 0),
    ("log_loss", 2, 0.7, 3),
    ("exponential", 2, 0.5, 11),
    ("log_loss", 3, 0.8, 2),
]


@pytest.mark.parametrize(("loss", "subsample", "seed"), REGRESSION)
def test_regression_stages_equal_staged_predict(loss: str, subsample: float, seed: int) -> None:
    problem = _problem("regression", loss, subsample)
    frames, result = _run(problem, seed)
    model = _library(problem, seed)
    points = fit_points(problem.X, GRID)  # (g, 1): the curve
    curves = list(model.staged_predict(points))
    rows = list(model.staged_predict(problem.X))
    assert [f.kind for f in frames] == ["init"] + ["stage"] * STAGES
    for stage, frame in enumerate(frames[1:]):
        assert np.max(np.abs(frame.visual["fit"] - curves[stage])) <= 1e-9
        assert np.max(np.abs(frame.visual["residual"] - (problem.y - rows[stage]))) <= 1e-9
        assert frame.state["stage"] == stage + 1
        assert frame.state["in_bag_loss"] == pytest.approx(model.train_score_[stage], abs=1e-12)
    assert result["train_score"] == pytest.approx(model.train_score_.tolist(), abs=1e-12)
    train, test = problem.parts.train, problem.parts.test
    assert frames[-1].state["train_mse"] == pytest.approx(np.mean((problem.y[train] - rows[-1][train]) ** 2), abs=1e-9)
    assert frames[-1].state["test_mse"] == pytest.approx(np.mean((problem.y[test] - rows[-1][test]) ** 2), abs=1e-9)


@pytest.mark.parametrize(("loss", "classes", "subsample", "seed"), CLASSIFICATION)
def test_classification_stages_equal_staged_decision_function(
    loss: str, classes: int, subsample: float, seed: int
) -> None:
    problem = _problem("classification", loss, subsample, classes)
    frames, result = _run(problem, seed)
    model = _library(problem, seed)
    grid = make_grid(problem.X, GRID).points
    raws = list(model.staged_decision_function(grid))
    labels = list(model.staged_predict(grid))
    probas = list(model.staged_predict_proba(grid))
    train_probas = list(model.staged_predict_proba(problem.X[problem.parts.train]))
    for stage, frame in enumerate(frames[1:]):
        raw = np.asarray(raws[stage]).reshape(grid.shape[0], -1)
        ours = next(gb.staged_raw(model, grid)) if stage == 0 else None
        if ours is not None:
            assert np.max(np.abs(ours - raw)) <= 1e-9
        assert np.array_equal(frame.visual["predicted"], labels[stage]), "the boundary is the library's, cell by cell"
        top = probas[stage][np.arange(grid.shape[0]), labels[stage]]
        assert np.max(np.abs(frame.visual["probability"] - top)) <= 1e-9
        assert np.max(np.abs(gb.probabilities(loss, raw) - probas[stage])) <= 1e-9
        if loss == "log_loss":  # the training loss is scikit-learn's log_loss of its own probabilities
            y_train = problem.y[problem.parts.train]
            expected = log_loss(y_train, train_probas[stage], labels=list(range(classes)))
            assert frame.state["train_loss"] == pytest.approx(expected, abs=1e-9)
        assert frame.state["in_bag_loss"] == pytest.approx(model.train_score_[stage], abs=1e-12)
        assert len(frame.state["trees"]) == (classes if classes > 2 else 1)
    assert result["feature_importances"] == pytest.approx(model.feature_importances_.tolist())


@pytest.mark.parametrize(
    ("task", "loss", "classes", "subsample", "seed"),
    [("regression", loss, 0, sub, seed) for loss, sub, seed in REGRESSION]
    + [("classification", loss, k, sub, seed) for loss, k, sub, seed in CLASSIFICATION],
)
def test_each_tree_is_a_regression_tree_refitted_on_the_recomputed_negative_gradient(
    task: str, loss: str, classes: int, subsample: float, seed: int
) -> None:
    problem = _problem(task, loss, subsample, classes or 2)
    frames, _ = _run(problem, seed)
    model = _library(problem, seed)
    train = problem.parts.train
    X_train = problem.X[train]
    # The library's one RandomState(seed) draws, per stage, the in-bag mask (N uniforms, subsample < 1 only) and
    # then one seed per tree; handing the refits the same stream breaks ties between equally good cuts alike.
    stream = np.random.RandomState(seed)
    for stage, frame in enumerate(frames[1:]):
        target = np.asarray(frame.state["negative_gradient"], dtype=np.float64).reshape(train.size, -1)  # (N, K')
        in_bag = np.isin(train, frame.state["in_bag"])  # (N,)
        assert in_bag.sum() == max(1, int(subsample * train.size))
        if subsample < 1:
            stream.uniform(size=train.size)
        for k, drawn in enumerate(frame.state["trees"]):
            refit = DecisionTreeRegressor(max_depth=DEPTH, random_state=stream)
            refit.fit(X_train, target[:, k], sample_weight=in_bag.astype(np.float64))
            theirs = model.estimators_[stage, k].tree_
            assert np.array_equal(refit.tree_.feature, theirs.feature)
            assert np.array_equal(refit.tree_.threshold, theirs.threshold), f"stage {stage + 1}: the same cuts"
            leaves = refit.tree_.children_left == -1
            # What the tree fitted before the line search: the refit's leaf means, the frame's `value`.
            assert np.allclose(np.asarray(drawn["value"])[leaves], refit.tree_.value[leaves, 0, 0], atol=1e-8)
            assert np.allclose(np.asarray(drawn["step"]), theirs.value[:, 0, 0], atol=1e-8)
            if loss == "squared_error":  # no line search: the leaves keep the residuals' means
                assert np.allclose(theirs.value[leaves, 0, 0], refit.tree_.value[leaves, 0, 0], atol=1e-12)


def test_huber_delta_is_the_librarys_each_stage() -> None:
    problem = _problem("regression", "huber", 0.6)
    frames, _ = _run(problem, 7)
    deltas: list[float] = []
    model = GradientBoostingRegressor(
        loss="huber", n_estimators=STAGES, learning_rate=LR, max_depth=DEPTH, subsample=0.6, random_state=7
    )

    def monitor(stage: int, est: Any, local: Any) -> bool:
        deltas.append(float(est._loss.closs.delta))  # the library's δ of this stage (private, read in a test only)
        return False

    model.fit(problem.X[problem.parts.train], problem.y[problem.parts.train], monitor=monitor)
    assert [f.state["huber_delta"] for f in frames[1:]] == pytest.approx(deltas, abs=1e-12)


@pytest.mark.parametrize(
    ("task", "loss", "classes", "factor"),
    [
        ("regression", "squared_error", 0, 1.0),
        ("regression", "absolute_error", 0, 1.0),
        ("regression", "huber", 0, 1.0),
        ("classification", "log_loss", 2, 2.0),  # two classes: the library reports the deviance, 2 × log-loss
        ("classification", "log_loss", 3, 1.0),
        ("classification", "exponential", 2, 1.0),
    ],
)
def test_with_all_rows_in_bag_the_training_loss_is_train_score(
    task: str, loss: str, classes: int, factor: float
) -> None:
    problem = _problem(task, loss, 1.0, classes or 2)
    frames, _ = _run(problem, 4)
    model = _library(problem, 4)
    ours = [f.state["train_loss"] * factor for f in frames[1:]]
    assert ours == pytest.approx(model.train_score_.tolist(), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("loss", "classes"),
    [("squared_error", 0), ("absolute_error", 0), ("log_loss", 2), ("exponential", 2), ("log_loss", 3)],
)
def test_the_start_is_the_mean_median_or_prior_log_odds(loss: str, classes: int) -> None:
    task = "regression" if classes == 0 else "classification"
    problem = _problem(task, loss, 1.0, classes or 2)
    model = _library(problem, 0)
    X_train, y_train = problem.X[problem.parts.train], problem.y[problem.parts.train]
    start = gb.initial_raw(gb.fit_start(problem), loss, X_train)  # (N, K'), fitted without the ensemble
    assert np.array_equal(start, gb.initial_raw(model.init_, loss, X_train)), "the library's own start, bit for bit"
    first = np.column_stack([model.estimators_[0, k].predict(X_train) for k in range(start.shape[1])])
    staged = np.asarray(
        next(model.staged_decision_function(X_train)) if classes else next(model.staged_predict(X_train))
    )
    assert np.max(np.abs(start + LR * first - staged.reshape(start.shape))) <= 1e-12, "F₁ = F₀ + η·tree₁"
    if loss == "squared_error":
        assert start[0, 0] == pytest.approx(y_train.mean(), abs=1e-12)
    elif loss == "absolute_error":
        assert np.sum(y_train < start[0, 0]) <= y_train.size / 2 <= np.sum(y_train <= start[0, 0])  # a median
    else:
        counts = np.bincount(y_train, minlength=classes)
        if classes > 2:
            logs = np.log(counts / counts.sum())
            assert start[0] == pytest.approx(logs - logs.mean(), abs=1e-12)
        else:
            half = 0.5 if loss == "exponential" else 1.0
            assert start[0, 0] == pytest.approx(half * np.log(counts[1] / counts[0]), abs=1e-12)


def test_a_hand_computed_squared_error_stage() -> None:
    # x = 0, 1, 2, 3 with y = 1, 2, 3, 10; depth-1 trees, learning rate 0.5.
    # F₀ = mean y = 4; residuals y − F₀ = −3, −2, −1, 6; training MSE (9 + 4 + 1 + 36)/4 = 12.5.
    # The stump's best cut is x ≤ 2.5 (it isolates the 6): leaves mean(−3, −2, −1) = −2 and 6.
    # F₁ = 4 + 0.5·(−2, −2, −2, 6) = 3, 3, 3, 7; residuals −2, −1, 0, 3; MSE (4 + 1 + 0 + 9)/4 = 3.5.
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 2.0, 3.0, 10.0])
    parts = random_split(4, 0.0, np.random.default_rng(0))
    problem = gb.Problem(X, y, parts, "regression", 0, "squared_error", (), 0.5, 1, 1.0)
    frames, result = drain(gb.run(problem, n_estimators=1, grid_size=20, seed=0))
    start, stage = frames
    assert start.state["initial_prediction"] == 4.0 and start.state["train_mse"] == 12.5
    assert stage.state["negative_gradient"].tolist() == [-3.0, -2.0, -1.0, 6.0]
    tree = stage.state["trees"][0]
    assert tree["feature"].tolist()[0] == 0 and tree["threshold"][0] == 2.5
    assert sorted(np.asarray(tree["value"])[tree["left"] == -1].tolist()) == [-2.0, 6.0]
    assert stage.state["train_mse"] == pytest.approx(3.5) and stage.state["train_loss"] == pytest.approx(3.5)
    assert np.allclose(stage.visual["residual"], [-2.0, -1.0, 0.0, 3.0])
    assert "12.5 to 3.5" in stage.caption and result["train_loss"] == pytest.approx([12.5, 3.5])
    assert result["test_loss"] is None and result["best_stage"] is None


def test_a_hand_computed_log_loss_start() -> None:
    # Five points, labels 0, 0, 1, 1, 1: the prior p₁ = 3/5, F₀ = ln(3/2) = 0.405; every point is called 1.
    # The first tree's target y − p = −0.6, −0.6, 0.4, 0.4, 0.4; log-loss −(2 ln 0.4 + 3 ln 0.6)/5 = 0.673.
    X = np.array([[0.0, 0.0], [0.1, 0.0], [1.0, 1.0], [1.1, 0.9], [0.9, 1.1]])
    y = np.array([0, 0, 1, 1, 1])
    parts = split(y, 0.0, np.random.default_rng(0))
    problem = gb.Problem(X, y, parts, "classification", 2, "log_loss", ("a", "b"), 0.1, 1, 1.0)
    frames, _ = drain(gb.run(problem, n_estimators=1, grid_size=20, seed=0))
    start, stage = frames
    assert start.state["initial_prediction"] == pytest.approx(np.log(1.5), abs=1e-12)
    assert start.state["train_loss"] == pytest.approx(-(2 * np.log(0.4) + 3 * np.log(0.6)) / 5, abs=1e-6)
    assert start.state["train_accuracy"] == pytest.approx(0.6) and "ln(3/2)" in start.caption
    assert np.allclose(stage.state["negative_gradient"], [-0.6, -0.6, 0.4, 0.4, 0.4], atol=1e-6)


def test_the_caption_says_overfitting_exactly_when_the_test_loss_turns_up() -> None:
    X, y = _regression(40, seed=3)
    parts = random_split(y.size, 0.5, np.random.default_rng(2))
    problem = gb.Problem(X, y, parts, "regression", 0, "squared_error", (), 1.0, 4, 1.0)  # deep trees, full steps
    frames, result = drain(gb.run(problem, n_estimators=12, grid_size=20, seed=0))
    flagged = 0
    for before, frame in itertools.pairwise(frames):
        rose = frame.state["test_loss"] > before.state["test_loss"]
        fell = frame.state["train_loss"] < before.state["train_loss"]
        assert ("overfitting" in frame.caption) == (rose and fell), frame.caption
        flagged += rose and fell
    assert flagged >= 1, "this setting overfits at some stage"
    assert result["best_stage"] == int(np.argmin(result["test_loss"]))


def test_two_feature_stages_draw_the_trees_cuts_inside_the_box() -> None:
    problem = _problem("regression", "squared_error", 1.0, two_features=True)
    frames, _ = _run(problem, 0)
    points = fit_points(problem.X, GRID)
    lo, hi = points.min(axis=0), points.max(axis=0)
    for frame in frames[1:]:
        cuts = frame.visual["cuts"]  # (m, 2, 2)
        splits = int(np.sum(np.asarray(frame.state["trees"][0]["left"]) != -1))
        assert 1 <= cuts.shape[0] <= splits
        assert (cuts >= lo - 1e-9).all() and (cuts <= hi + 1e-9).all()
        assert np.all((cuts[:, 0, 0] == cuts[:, 1, 0]) | (cuts[:, 0, 1] == cuts[:, 1, 1])), "axis-parallel"
        assert frame.visual["fit"].shape == (GRID * GRID,)
