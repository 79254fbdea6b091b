"""Gradient boosting replayed stage by stage from one fit of scikit-learn's ``GradientBoostingRegressor`` /
``GradientBoostingClassifier`` (``random_state`` = the run's seed).

The library fits the whole ensemble once and keeps each stage's trees (``estimators_[m, k]``); its
``staged_predict`` (regression) / ``staged_decision_function`` (classification) give the model's raw prediction F
after each stage, and its documented ``monitor`` callback hands over each stage's in-bag row mask (``subsample``).
What it does not keep is what each tree was fitted to, so ``negative_gradient`` recomputes it from the previous
stage's F with the loss's gradient, as scikit-learn 1.9's ``_fit_stage`` does:

* squared error: y − F (the residuals); absolute error: sign(y − F) (+1 where y = F, as the library's);
* Huber: y − F clipped at ±δ, δ the 90th percentile (inverted CDF) of |y − F| over all training rows;
* log-loss: y − p, p = σ(F) for two classes; 1[y = k] − softmax(F)ₖ for K > 2 (one tree per class and stage);
* exponential (two classes): y·e^(−F) − (1 − y)·e^(F).

A tree (``criterion="squared_error"``, in-bag rows weighted 1, the rest 0) fits that target; for squared error
its leaves keep the target's mean, for the other losses the library then overwrites each leaf by a line-search
step (median residual, one Newton step, ...). The leaves' means before that overwrite are what the tree
fitted: ``leaf_means`` recomputes them (the tests check a ``DecisionTreeRegressor`` refitted on the recomputed
target reproduces the tree, leaf values included). The start F₀ is the constant before any tree (mean / median
of y, the prior's log-odds): F₁ − learning_rate·tree₁(x), the library's own number.

Shapes: ``X`` (n, d) float, d = 2 for classification, 1 or 2 for regression; ``y`` (n,) float targets or class
indices 0..K−1; N training rows ``parts.train``; K' trees per stage (1, or K for K > 2 classes); the display
points ``D`` are the boundary grid (g², 2) or the regression ``fit_points`` ((g, 1) or (g², 2)).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from scipy import special
from scipy.special import expit, logsumexp, softmax
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.tree import DecisionTreeRegressor

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.boundary import Split, fit_points, make_grid, score, tree_cuts
from app.engines.gradient_boosting_captions import Track, init_caption, stage_caption

HUBER_ALPHA = 0.9
"""scikit-learn's default quantile for Huber's δ."""
GradientBoosting: TypeAlias = GradientBoostingClassifier | GradientBoostingRegressor


@dataclass(frozen=True)
class Problem:
    """The data and settings of one run."""

    X: np.ndarray  # (n, d)
    y: np.ndarray  # (n,) float targets or int class indices
    parts: Split
    task: str  # "classification" | "regression"
    n_classes: int  # K (0 for regression)
    loss: str  # scikit-learn's loss name
    classes: tuple[str, ...]  # K class names (empty for regression)
    learning_rate: float
    max_depth: int
    subsample: float

    @property
    def n_trees(self) -> int:
        """K': trees per stage."""
        return self.n_classes if self.n_classes > 2 else 1


def fit(problem: Problem, n_estimators: int, seed: int) -> tuple[GradientBoosting, list[np.ndarray]]:
    """The fitted model (training rows only) and each stage's in-bag mask (N,) bool, from ``monitor``."""
    masks: list[np.ndarray] = []

    def monitor(stage: int, model: Any, local: dict[str, Any]) -> bool:
        masks.append(np.asarray(local["sample_mask"], dtype=bool).copy())
        checkpoint()
        return False  # never stop early

    make = GradientBoostingClassifier if problem.task == "classification" else GradientBoostingRegressor
    model = make(
        loss=problem.loss,
        n_estimators=n_estimators,
        learning_rate=problem.learning_rate,
        max_depth=problem.max_depth,
        subsample=problem.subsample,
        random_state=seed,
    )
    train = problem.parts.train
    model.fit(problem.X[train], problem.y[train], monitor=monitor)
    return model, masks


def staged_raw(model: GradientBoosting, points: np.ndarray) -> Iterator[np.ndarray]:
    """F after each stage at ``points`` (m, d): (m, K') each, the library's staged values."""
    stages = (
        model.staged_decision_function(points)
        if isinstance(model, GradientBoostingClassifier)
        else model.staged_predict(points)
    )
    for raw in stages:
        yield np.asarray(raw, dtype=np.float64).reshape(points.shape[0], -1)


def fit_start(problem: Problem) -> DummyClassifier | DummyRegressor:
    """The library's start estimator (its ``init_``) fitted on the training rows, without fitting any tree: the
    first frame need not wait for the ensemble. The class prior (classification), the median (absolute error,
    Huber) or the mean (squared error), as ``BaseGradientBoosting._init_state`` chooses it."""
    train = problem.parts.train
    start: DummyClassifier | DummyRegressor
    if problem.task == "classification":
        start = DummyClassifier(strategy="prior")
    elif problem.loss in ("absolute_error", "huber"):
        start = DummyRegressor(strategy="quantile", quantile=0.5)
    else:
        start = DummyRegressor(strategy="mean")
    return start.fit(problem.X[train], problem.y[train])


def initial_raw(start: DummyClassifier | DummyRegressor, loss: str, points: np.ndarray) -> np.ndarray:
    """(m, K') F₀ at ``points``, the constant before any tree, as the library's ``_init_raw_predictions`` makes it
    from its start estimator: the mean / median (regression), or the link of the prior clipped to [ε, 1 − ε]:
    the logit of p₁ (log-loss), half of it (exponential), centred log-probabilities (K > 2)."""
    if isinstance(start, DummyRegressor):
        return np.asarray(start.predict(points), dtype=np.float64).reshape(-1, 1)
    eps = float(np.finfo(np.float64).eps)
    proba = np.clip(start.predict_proba(points), eps, 1 - eps)
    if proba.shape[1] > 2:
        log = np.log(proba)
        return np.asarray(log - log.mean(axis=1, keepdims=True))
    logit = np.asarray(special.logit(proba[:, 1]))
    return (0.5 * logit if loss == "exponential" else logit)[:, None]


def huber_delta(y: np.ndarray, raw: np.ndarray) -> float:
    """δ of the stage that starts from F = ``raw`` (N,): the 90th percentile (inverted CDF) of |y − F|."""
    return float(np.percentile(np.abs(y - raw), 100 * HUBER_ALPHA, method="inverted_cdf"))


def negative_gradient(loss: str, y: np.ndarray, raw: np.ndarray, n_classes: int, delta: float) -> np.ndarray:
    """(N, K') −∂loss/∂F at each training row: the target of the next stage's trees."""
    F = raw[:, 0]
    if loss == "squared_error":
        out = y - F
    elif loss == "absolute_error":
        out = np.where(y >= F, 1.0, -1.0)
    elif loss == "huber":
        r = y - F
        out = np.where(np.abs(r) <= delta, r, delta * np.sign(r))
    elif loss == "exponential":
        out = y * np.exp(-F) - (1 - y) * np.exp(F)
    elif n_classes > 2:
        return np.asarray(np.eye(n_classes)[y.astype(np.int64)] - softmax(raw, axis=1))
    else:
        out = y - expit(F)
    return np.asarray(out, dtype=np.float64)[:, None]


def mean_loss(loss: str, y: np.ndarray, raw: np.ndarray, delta: float) -> float:
    """The mean loss of F = ``raw`` (m, K') on targets ``y`` (m,), in the loss's own units (log-loss in nats)."""
    F = raw[:, 0]
    if loss == "squared_error":
        value = np.mean((y - F) ** 2)
    elif loss == "absolute_error":
        value = np.mean(np.abs(y - F))
    elif loss == "huber":
        r = np.abs(y - F)
        value = np.mean(np.where(r <= delta, 0.5 * r**2, delta * (r - delta / 2)))
    elif loss == "exponential":
        value = np.mean(np.exp(-(2 * y - 1) * F))
    elif raw.shape[1] > 1:
        value = np.mean(logsumexp(raw, axis=1) - raw[np.arange(y.size), y.astype(np.int64)])
    else:
        value = np.mean(np.logaddexp(0.0, F) - y * F)
    return float(value)


def probabilities(loss: str, raw: np.ndarray) -> np.ndarray:
    """(m, K) class probabilities of F (m, K'), as ``predict_proba``: σ(F) (log-loss), σ(2F) (exponential),
    softmax for K > 2."""
    if raw.shape[1] > 1:
        return np.asarray(softmax(raw, axis=1))
    p1 = expit(2 * raw[:, 0] if loss == "exponential" else raw[:, 0])
    return np.column_stack([1 - p1, p1])


def predicted_classes(raw: np.ndarray) -> np.ndarray:
    """(m,) the library's ``predict``: F ≥ 0 → class 1 for two classes, the largest F for more."""
    return (raw[:, 0] >= 0).astype(np.int64) if raw.shape[1] == 1 else np.argmax(raw, axis=1)


def leaves_of(tree: DecisionTreeRegressor, points32: np.ndarray) -> np.ndarray:
    """(m,) the leaf each row of ``points32`` (m, d) float32 C-ordered falls in: the tree's own ``tree_.apply``
    on the float32 rows it was fitted on (``tree.apply`` would re-validate the array on every call)."""
    leaves: np.ndarray = tree.tree_.apply(points32)
    return leaves


def leaf_means(
    tree: DecisionTreeRegressor, X_train32: np.ndarray, target: np.ndarray, in_bag: np.ndarray
) -> np.ndarray:
    """(node_count,) what the tree fitted at each node before any line search: the in-bag mean of ``target``
    (N,) in each leaf (``X_train32`` (N, d) float32); split nodes keep their own (untouched) mean."""
    t = tree.tree_
    leaves = leaves_of(tree, X_train32)
    weight = in_bag.astype(np.float64)
    count = np.bincount(leaves, weights=weight, minlength=t.node_count)
    total = np.bincount(leaves, weights=weight * target, minlength=t.node_count)
    values = np.array(t.value[:, 0, 0], dtype=np.float64)
    is_leaf = (t.children_left == -1) & (count > 0)
    values[is_leaf] = total[is_leaf] / count[is_leaf]
    return values


def tree_arrays(tree: DecisionTreeRegressor, fitted: np.ndarray) -> dict[str, np.ndarray]:
    """The tree as the contract's per-node arrays (M,) each, node 0 the root: ``feature`` / ``threshold`` (−2
    at a leaf), children (−1 at a leaf), in-bag rows reaching each node, what it fitted (``value``: the mean
    negative gradient) and what it predicts (``step``: the leaf after the line search)."""
    t = tree.tree_
    return {
        "feature": t.feature.astype(np.int64),
        "threshold": t.threshold.astype(np.float64),
        "left": t.children_left.astype(np.int64),
        "right": t.children_right.astype(np.int64),
        "n_samples": np.round(t.weighted_n_node_samples).astype(np.int64),  # in-bag rows weigh 1, the rest 0
        "value": np.round(fitted, 9),
        "step": np.round(t.value[:, 0, 0], 9),
    }


def _measures(problem: Problem, raw_rows: np.ndarray, delta: float) -> tuple[dict[str, Any], dict[str, float]]:
    """(state, metrics) of the model F = ``raw_rows`` (n, K') on the training and test rows."""
    y, parts = problem.y, problem.parts
    has_test = parts.test.size > 0
    train_loss = mean_loss(problem.loss, y[parts.train], raw_rows[parts.train], delta)
    test_loss = mean_loss(problem.loss, y[parts.test], raw_rows[parts.test], delta) if has_test else None
    state: dict[str, Any] = {"train_loss": train_loss, "test_loss": test_loss}
    metrics = {"train_loss": train_loss} | ({"test_loss": test_loss} if test_loss is not None else {})
    if problem.task == "classification":
        scores = score(y, predicted_classes(raw_rows), parts, problem.n_classes)
        state |= scores.state()
        metrics |= scores.metrics()
    else:
        error = (y - raw_rows[:, 0]) ** 2
        train_mse = float(error[parts.train].mean())
        test_mse = float(error[parts.test].mean()) if has_test else None
        state |= {"train_mse": train_mse, "test_mse": test_mse}
        metrics |= {"train_mse": train_mse} | ({"test_mse": test_mse} if test_mse is not None else {})
    return state, metrics


def _visual(problem: Problem, raw_rows: np.ndarray, raw_display: np.ndarray) -> dict[str, Any]:
    """What the picture draws of F: the fit and residuals (regression) or the boundary (classification)."""
    if problem.task == "regression":
        return {"fit": raw_display[:, 0].copy(), "residual": problem.y - raw_rows[:, 0]}
    predicted = predicted_classes(raw_display)
    if raw_display.shape[1] == 1:  # two classes: the top probability is p₁ or 1 − p₁, no (m, 2) table needed
        p1 = expit(2 * raw_display[:, 0] if problem.loss == "exponential" else raw_display[:, 0])
        top = np.where(predicted == 1, p1, 1 - p1)
    else:
        top = probabilities(problem.loss, raw_display).max(axis=1)
    return {
        "predicted": predicted,
        "probability": top,
        "misclassified": np.flatnonzero(predicted_classes(raw_rows) != problem.y),
    }


def run(problem: Problem, *, n_estimators: int, grid_size: int, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frame 0: the start F₀ (no tree yet, nothing fitted but the start estimator); then the ensemble is fitted
    and replayed, one ``stage`` frame per stage."""
    X, y, parts = problem.X, problem.y, problem.parts
    train = parts.train
    grid = problem.task == "classification"
    D = make_grid(X, grid_size).points if grid else fit_points(X, grid_size)  # (g², 2) or (g, 1) | (g², 2)
    n = X.shape[0]
    points = np.vstack([X, D])  # (n + m, d): every row, then the display points
    X_train32 = np.ascontiguousarray(X[train], dtype=np.float32)  # (N, d): as the trees see the rows
    D32 = np.ascontiguousarray(D, dtype=np.float32)  # (m, d)
    lo, hi = D.min(axis=0), D.max(axis=0)  # (d,) each
    box = (float(lo[0]), float(hi[0]), float(lo[-1]), float(hi[-1]))  # (x0, x1, y0, y1): where 2-D cuts are drawn
    previous = initial_raw(fit_start(problem), problem.loss, points)  # F₀ (n + m, K'), before any tree is fitted
    y_train = y[train]
    delta = huber_delta(y_train, previous[train, 0]) if problem.loss == "huber" else 0.0
    state, metrics = _measures(problem, previous[:n], delta)
    initial = previous[0]
    track = Track([state["train_loss"]], [state["test_loss"]] if state["test_loss"] is not None else [])
    initial_value: float | list[float] = float(initial[0]) if initial.size == 1 else [float(v) for v in initial]
    state |= {"stage": 0, "initial_prediction": initial_value}
    visual = _visual(problem, previous[:n], previous[n:])
    if problem.task == "regression":  # what the first tree will fit (no tree yet)
        first = negative_gradient(problem.loss, y_train, previous[train], 0, delta)[:, 0]
        visual |= {"gradient": first, "in_bag": np.ones(train.size, dtype=bool)}
    yield Frame("init", init_caption(problem, initial, state), state, metrics, visual)
    model, masks = fit(problem, n_estimators, seed)
    stages = staged_raw(model, points)
    for m in range(n_estimators):
        checkpoint()
        raw = next(stages)  # F after stage m + 1
        trees: list[DecisionTreeRegressor] = list(model.estimators_[m])
        in_bag = masks[m]
        delta = huber_delta(y_train, previous[train, 0]) if problem.loss == "huber" else 0.0
        target = negative_gradient(problem.loss, y_train, previous[train], problem.n_classes, delta)  # (N, K')
        fitted = [leaf_means(tree, X_train32, target[:, k], in_bag) for k, tree in enumerate(trees)]
        state, metrics = _measures(problem, raw[:n], delta)
        in_bag_loss = float(model.train_score_[m])
        state |= {
            "stage": m + 1,
            "negative_gradient": target[:, 0].copy() if target.shape[1] == 1 else target.copy(),
            "in_bag": train[in_bag].copy(),
            "trees": [tree_arrays(tree, f) for tree, f in zip(trees, fitted, strict=True)],
            "in_bag_loss": in_bag_loss,
        }
        if problem.loss == "huber":
            state["huber_delta"] = delta
        visual = _visual(problem, raw[:n], raw[n:])
        if X.shape[1] == 2:
            visual["cuts"] = np.concatenate([tree_cuts(tree, box) for tree in trees])
        if problem.task == "regression":
            tree = trees[0]
            display_leaves = leaves_of(tree, D32)
            visual |= {
                "gradient": target[:, 0].copy(),
                "in_bag": in_bag.copy(),
                "tree_fit_rows": fitted[0][leaves_of(tree, X_train32)],
                "tree_fit": fitted[0][display_leaves],
                "tree_step": tree.tree_.value[display_leaves, 0, 0].astype(np.float64),
            }
        caption = stage_caption(problem, m + 1, trees, in_bag, state, track, last=m + 1 == n_estimators)
        track.train.append(state["train_loss"])
        if state["test_loss"] is not None:
            track.test.append(state["test_loss"])
        yield Frame("stage", caption, state, metrics, visual)
        previous = raw
    best = int(np.argmin(track.test)) if track.test else None
    result: dict[str, Any] = {
        "n_stages": n_estimators,
        "initial_prediction": initial_value,
        "train_loss": list(track.train),
        "test_loss": list(track.test) if track.test else None,
        "train_score": [float(v) for v in model.train_score_],
        "best_stage": best,
        "feature_importances": [float(v) for v in model.feature_importances_],
        "train_indices": train.tolist(),
        "test_indices": parts.test.tolist(),
    }
    if problem.classes:
        result["classes"] = list(problem.classes)
    final = {k: state[k] for k in ("train_mse", "test_mse", "train_accuracy", "test_accuracy") if k in state}
    return result | final
