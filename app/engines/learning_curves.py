"""Learning and validation curves (days 50–52), replayed step by step with scikit-learn's own splitter.

``learning_curve(model, X, y, train_sizes, cv=splitter, shuffle=True, random_state=seed)`` hides its fits; here
the same splitter object (``StratifiedKFold`` / ``KFold``, shuffled with the seed) gives the same folds, each
fold's training rows are permuted by ``RandomState(seed)`` in fold order exactly as the library does, and the
first ``m`` rows of that permutation train a fresh model for each size ``m``, so every score equals the
library's. ``validation_curve(model, X, y, param_name, param_range, cv=splitter)`` is replayed the same way, one
setting value at a time. Scores are accuracy (the share predicted right, as ``get_scorer("accuracy")`` gives
it); where the library records NaN (a training subset of one class a model cannot fit), the score is ``None``.

Shapes: n rows, k folds, s sizes, v setting values, grid g². Frames stream size by size (value by value): each
frame fits k models, so the first one arrives after k fits, not after the whole curve.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import learning_curves_captions as words
from app.engines.base_models import grid_prediction
from app.engines.boundary import make_grid
from app.engines.cross_validation import fit_or_none, make_splitter, mean_std
from app.engines.voting import quietly

SCORER = "accuracy"
MAIN_PARAM = {"logistic_regression": "C", "svm": "C", "knn": "n_neighbors", "decision_tree": "max_depth"}
MAIN_PARAM_DEFAULT = "var_smoothing"
"""The setting a validation curve sweeps: each model's main param (naive Bayes: its variance smoothing)."""
SIMPLER_WHEN_LARGER = {"n_neighbors", "var_smoothing"}
"""Settings where a larger value makes a simpler model (more neighbours vote, more variance is added)."""
HIGH_VARIANCE_GAP = 0.05
"""A training-minus-validation gap at the largest size from which the learning curve reads as high variance."""
HIGH_BIAS_TRAIN = 0.9
"""A training score below this at the largest size, with a small gap, reads as high bias (it cannot fit them)."""
MAX_DEPTH_SWEPT = 12


@dataclass(frozen=True)
class CurvePlan:
    """What is measured, and how."""

    spec: Mapping[str, Any]  # the model's spec (app.engines.base_models)
    name: str  # the model in words
    splitter: str  # stratified | kfold (always shuffled with the seed)
    k: int  # folds


def train_fractions(n_sizes: int) -> np.ndarray:
    """(s,) the fractions of a fold's training rows: evenly from 0.1 to 1.0 (``learning_curve``'s ``train_sizes``)."""
    return np.linspace(0.1, 1.0, n_sizes)


def absolute_sizes(fractions: np.ndarray, n_max: int) -> np.ndarray:
    """(s',) int: the library's translation of fractions to rows (truncated, at least 1, duplicates dropped)."""
    sizes = np.clip((fractions * n_max).astype(int), 1, n_max)
    out: np.ndarray = np.unique(sizes)
    return out


def main_param(spec: Mapping[str, Any]) -> str:
    """The name of the setting a validation curve sweeps for this model."""
    return MAIN_PARAM.get(str(spec["model"]), MAIN_PARAM_DEFAULT)


def param_values(spec: Mapping[str, Any], n_values: int, most_neighbours: int) -> np.ndarray:
    """(v,) the values swept: C log-spaced 10⁻³..10³, k geometric 1..``most_neighbours``, depth 1..12,
    smoothing log-spaced 10⁻⁹..1. Integer settings drop duplicates, so v ≤ ``n_values``."""
    name = main_param(spec)
    if name == "C":
        return np.logspace(-3, 3, n_values)
    if name == "n_neighbors":
        return np.unique(np.round(np.geomspace(1, max(1, most_neighbours), n_values)).astype(np.int64))
    if name == "max_depth":
        return np.unique(np.round(np.linspace(1, MAX_DEPTH_SWEPT, n_values)).astype(np.int64))
    return np.logspace(-9, 0, n_values)


def _folds(X: np.ndarray, y: np.ndarray, plan: CurvePlan, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    splitter = make_splitter(plan.splitter, plan.k, True, seed)
    with quietly():  # a class smaller than k only warns: its rows then sit in fewer folds
        return [(np.asarray(tr), np.asarray(te)) for tr, te in splitter.split(X, y)]


def _accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float | None:
    """The share of rows predicted right: ``get_scorer("accuracy")``'s value without its input checks (a third of
    a frame's time on small folds); ``None`` where predicting fails (k-NN's k beyond the rows it was fitted on)."""
    try:
        with quietly():
            return float(np.mean(np.asarray(model.predict(X)) == y))
    except ValueError:
        return None


def _scores_of(
    spec: Mapping[str, Any], X: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray, seed: int
) -> tuple[Any | None, float | None, float | None]:
    """One fit and its (train, test) accuracy, as ``_fit_and_score`` gives them (None where it records NaN)."""
    model = fit_or_none(spec, X[train], y[train], seed)
    if model is None:
        return None, None, None
    return model, _accuracy(model, X[train], y[train]), _accuracy(model, X[test], y[test])


def _picture(
    model: Any | None, grid_points: np.ndarray, X: np.ndarray, y: np.ndarray, test: np.ndarray
) -> dict[str, Any]:
    """The view's picture of fold 1's model: predicted class (g²,), top probability (g²,), the held-out rows it
    gets wrong."""
    if model is None:
        return {"misclassified": np.zeros(0, dtype=np.int64)}
    with quietly():
        predicted, top = grid_prediction(model, grid_points)
        wrong = test[np.asarray(model.predict(X[test])) != y[test]]
    visual: dict[str, Any] = {"predicted": predicted, "misclassified": wrong}
    if top is not None:
        visual["probability"] = top
    return visual


def _bands(rows: Sequence[Sequence[float | None]]) -> tuple[list[float | None], list[float | None]]:
    """Per step, mean and std (np.std over the folds that have a score) of the fold scores."""
    pairs = [mean_std(r) for r in rows]
    return [m for m, _ in pairs], [s for _, s in pairs]


def diagnose(train_mean: float | None, test_mean: float | None) -> str:
    """high variance (a big gap), high bias (a small gap under a low training score) or good fit."""
    if train_mean is None or test_mean is None:
        return "undefined"
    if train_mean - test_mean >= HIGH_VARIANCE_GAP:
        return "high variance"
    if train_mean < HIGH_BIAS_TRAIN:
        return "high bias"
    return "good fit"


def run_learning_curve(
    X: np.ndarray, y: np.ndarray, *, plan: CurvePlan, n_sizes: int, grid_size: int, seed: int
) -> Generator[Frame, None, dict[str, Any]]:
    """``size`` × s (k fits each), then ``diagnosis``; returns the result (train_sizes, train/test scores)."""
    folds = _folds(X, y, plan, seed)
    sizes = absolute_sizes(train_fractions(n_sizes), int(folds[0][0].size))  # (s,)
    permuter = np.random.RandomState(seed)  # the library's shuffle: one permutation per fold, in fold order
    orders = [permuter.permutation(tr) for tr, _ in folds]  # k × (n_train_f,)
    grid = make_grid(X, grid_size)
    train_rows: list[list[float | None]] = []  # s × (k,)
    test_rows: list[list[float | None]] = []
    visual: dict[str, Any] = {}
    for i, size in enumerate(sizes.tolist(), start=1):
        checkpoint()  # per size: k fits, one grid prediction
        train_row: list[float | None] = []
        test_row: list[float | None] = []
        for f, (order, (_, te)) in enumerate(zip(orders, folds, strict=True)):
            model, on_train, on_test = _scores_of(plan.spec, X, y, order[:size], te, seed)
            train_row.append(on_train)
            test_row.append(on_test)
            if f == 0:
                visual = _picture(model, grid.points, X, y, te) | {"subset": order[:size].copy()}
        train_rows.append(train_row)
        test_rows.append(test_row)
        train_mean, train_std = _bands(train_rows)
        test_mean, test_std = _bands(test_rows)
        state: dict[str, Any] = {
            "size_index": i,
            "n_sizes": int(sizes.size),
            "train_size": size,
            "train_sizes": sizes[:i].tolist(),
            "train_scores": [list(r) for r in train_rows],
            "test_scores": [list(r) for r in test_rows],
            "train_mean": train_mean,
            "train_std": train_std,
            "test_mean": test_mean,
            "test_std": test_std,
        }
        metrics = {
            name: value
            for name, value in (("train_score", train_mean[-1]), ("validation_score", test_mean[-1]))
            if value is not None
        }
        caption = words.size_story(plan, i, sizes.tolist(), train_mean, test_mean, int(folds[0][1].size))
        yield Frame("size", caption, state, metrics, visual=visual)

    checkpoint()
    train_mean, train_std = _bands(train_rows)
    test_mean, test_std = _bands(test_rows)
    verdict = diagnose(train_mean[-1], test_mean[-1])
    rising = _still_rising(test_mean)
    result: dict[str, Any] = {
        "mode": "learning_curve",
        "train_sizes": sizes.tolist(),
        "train_scores": [list(r) for r in train_rows],
        "test_scores": [list(r) for r in test_rows],
        "train_mean": train_mean,
        "train_std": train_std,
        "test_mean": test_mean,
        "test_std": test_std,
        "diagnosis": verdict,
        "still_rising": rising,
        "scorer": SCORER,
        "splitter": plan.splitter,
        "n_folds": len(folds),
    }
    caption = words.diagnosis_story(plan, sizes.tolist(), train_mean, test_mean, verdict, rising)
    state = {k: v for k, v in result.items() if k not in ("mode", "scorer", "splitter")}
    yield Frame("diagnosis", caption, state, _last(train_mean, test_mean), visual=visual)
    return result


def _still_rising(test_mean: Sequence[float | None]) -> bool:
    """Whether the validation score still rose over the last step (more data would likely help)."""
    defined = [v for v in test_mean[-2:] if v is not None]
    return len(defined) == 2 and defined[1] - defined[0] > 0.005


def _last(train_mean: Sequence[float | None], test_mean: Sequence[float | None]) -> dict[str, float]:
    out: dict[str, float] = {}
    if train_mean and train_mean[-1] is not None:
        out["train_score"] = train_mean[-1]
    if test_mean and test_mean[-1] is not None:
        out["validation_score"] = test_mean[-1]
    return out


def _with(spec: Mapping[str, Any], name: str, value: float | int) -> dict[str, Any]:
    return {**spec, name: value}


def run_validation_curve(
    X: np.ndarray, y: np.ndarray, *, plan: CurvePlan, values: np.ndarray, grid_size: int, seed: int
) -> Generator[Frame, None, dict[str, Any]]:
    """``value`` × v (k fits each), then ``best``; returns the result (param_range, train/test scores)."""
    folds = _folds(X, y, plan, seed)
    name = main_param(plan.spec)
    grid = make_grid(X, grid_size)
    param_range = [v.item() for v in values]  # int for k and depth, float for C and smoothing
    train_rows: list[list[float | None]] = []  # v × (k,)
    test_rows: list[list[float | None]] = []
    pictures: list[dict[str, Any]] = []
    for i, value in enumerate(param_range, start=1):
        checkpoint()  # per value: k fits, one grid prediction
        spec = _with(plan.spec, name, value)
        train_row: list[float | None] = []
        test_row: list[float | None] = []
        for f, (tr, te) in enumerate(folds):
            model, on_train, on_test = _scores_of(spec, X, y, tr, te, seed)
            train_row.append(on_train)
            test_row.append(on_test)
            if f == 0:
                pictures.append(_picture(model, grid.points, X, y, te))
        train_rows.append(train_row)
        test_rows.append(test_row)
        train_mean, train_std = _bands(train_rows)
        test_mean, test_std = _bands(test_rows)
        state: dict[str, Any] = {
            "value_index": i,
            "param_name": name,
            "value": value,
            "param_range": list(param_range),
            "train_scores": [list(r) for r in train_rows],
            "test_scores": [list(r) for r in test_rows],
            "train_mean": train_mean,
            "train_std": train_std,
            "test_mean": test_mean,
            "test_std": test_std,
        }
        caption = words.value_story(plan, name, param_range, i, train_mean, test_mean)
        yield Frame("value", caption, state, _last(train_mean, test_mean), visual=pictures[-1])

    checkpoint()
    train_mean, train_std = _bands(train_rows)
    test_mean, test_std = _bands(test_rows)
    scored = [(-1.0 if m is None else m) for m in test_mean]
    best = int(np.argmax(scored))  # the first highest mean validation score
    result: dict[str, Any] = {
        "mode": "validation_curve",
        "param_name": name,
        "param_range": list(param_range),
        "train_scores": [list(r) for r in train_rows],
        "test_scores": [list(r) for r in test_rows],
        "train_mean": train_mean,
        "train_std": train_std,
        "test_mean": test_mean,
        "test_std": test_std,
        "best_index": best,
        "best_value": param_range[best],
        "best_score": test_mean[best],
        "simpler_when_larger": name in SIMPLER_WHEN_LARGER,
        "scorer": SCORER,
        "splitter": plan.splitter,
        "n_folds": len(folds),
    }
    caption = words.best_story(plan, name, param_range, best, train_mean, test_mean, name in SIMPLER_WHEN_LARGER)
    state = {k: v for k, v in result.items() if k not in ("mode", "scorer", "splitter")}
    top = test_mean[best]
    metrics = {} if top is None else {"validation_score": top}
    yield Frame("best", caption, state, metrics, visual=pictures[best])
    return result
