"""Hyperparameter search (days 24, 50): the search space, the candidates in scikit-learn's own order, and each
candidate's cross-validated score computed as ``GridSearchCV`` / ``RandomizedSearchCV`` compute it.

* The grid is ``ParameterGrid(param_grid)`` (keys sorted, the last key varying fastest); random search draws
  ``ParameterSampler(param_distributions, n_iter, random_state=seed)``; both are what the search classes iterate.
* Every candidate is scored on the same folds: ``StratifiedKFold(k, shuffle=True, random_state=seed)`` split
  once, a fresh estimator (``clone`` + ``set_params``) fitted per fold, scored by ``get_scorer("accuracy")``.
  A fit or score that fails is NaN (the search classes' ``error_score=nan``). Mean and std are
  ``np.average`` over the folds; ranks are ``rankdata(-means, "min")`` with NaN ranked last, as ``_store`` does.
* Successive halving follows ``HalvingGridSearchCV(random_state=seed)``'s rules: its rounds (``halving_rounds``:
  min_resources 'exhaust', ⌈candidates / factor⌉ kept), each round's rows (``halving_parts``: every fold's
  parts subsampled with ``resample(random_state=seed)``) and who goes on (``top_k``), so its ``cv_results_``
  (with ``iter`` and ``n_resources``) come out the same, candidate by candidate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import loguniform, randint, rankdata
from sklearn import config_context
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid, ParameterSampler, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import resample

from app.engines.voting import quietly

MLP_MAX_ITER = 60
"""Adam epochs of each MLP fit: few, so a search of dozens of fits stays within seconds (it may stop unconverged,
which is the same for every candidate and for scikit-learn's own search)."""
SCORING = "accuracy"
WEIGHTS = ("uniform", "distance")
SHORT_NAMES = {
    "n_neighbors": "k",
    "max_depth": "depth",
    "min_samples_leaf": "min leaf",
    "learning_rate_init": "learning rate",
    "hidden_layer_sizes": "width",
}
MODEL_WORDS = {"svm": "SVM (RBF kernel)", "knn": "k-NN", "decision_tree": "decision tree", "mlp": "MLP"}


@dataclass(frozen=True)
class Axis:
    """One searched hyperparameter: its scikit-learn name, its grid values and its range."""

    name: str  # the estimator's param: C, gamma, n_neighbors, weights, max_depth, ...
    label: str  # in words, for axes and captions
    values: tuple[Any, ...]  # the grid's values as drawn (a width, not the (width,) tuple scikit-learn takes)
    low: float  # range ends (random search draws between them); 0, 1 for weights
    high: float
    log: bool  # values spaced (and drawn) evenly on a log scale
    kind: str  # "float" | "int" | "choice"


@dataclass(frozen=True)
class Search:
    """What is searched, and how."""

    model: str  # svm | knn | decision_tree | mlp
    axes: tuple[Axis, Axis]
    strategy: str  # grid | random | halving
    k: int  # folds
    n_iter: int  # random draws
    factor: int  # halving's factor


def axis_values(low: float, high: float, count: int, *, log: bool, integer: bool) -> tuple[Any, ...]:
    """``count`` values from ``low`` to ``high`` (log- or evenly spaced); floats to 3 significant digits (grid
    labels read "0.01", not "0.009999"), integers rounded and deduplicated (so possibly fewer than ``count``)."""
    spaced = np.geomspace(low, high, count) if log else np.linspace(low, high, count)  # (count,)
    if integer:
        return tuple(int(v) for v in np.unique(np.round(spaced).astype(np.int64)))
    return tuple(float(f"{v:.3g}") for v in spaced)


def make_axes(model: str, ranges: Mapping[str, float], n_first: int, n_second: int) -> tuple[Axis, Axis]:
    """The model's two axes from the params' ranges (``ranges``: the ``*_low`` / ``*_high`` fields)."""

    def span(name: str, label: str, key: str, count: int, *, log: bool, integer: bool) -> Axis:
        low, high = ranges[f"{key}_low"], ranges[f"{key}_high"]
        values = axis_values(low, high, count, log=log, integer=integer)
        return Axis(name, label, values, float(low), float(high), log, "int" if integer else "float")

    if model == "svm":
        return (
            span("C", "C (margin penalty)", "c", n_first, log=True, integer=False),
            span("gamma", "gamma", "gamma", n_second, log=True, integer=False),
        )
    if model == "knn":
        weights = Axis("weights", "vote weights", WEIGHTS, 0.0, 1.0, False, "choice")
        return span("n_neighbors", "k (neighbours)", "k", n_first, log=True, integer=True), weights
    if model == "decision_tree":
        return (
            span("max_depth", "max depth", "depth", n_first, log=False, integer=True),
            span("min_samples_leaf", "min leaf size", "leaf", n_second, log=True, integer=True),
        )
    if model == "mlp":
        return (
            span("learning_rate_init", "learning rate", "lr", n_first, log=True, integer=False),
            span("hidden_layer_sizes", "hidden units", "width", n_second, log=True, integer=True),
        )
    raise ValueError(f"unknown model {model!r}")


def make_model(model: str, seed: int) -> Any:
    """The unfitted estimator whose two hyperparameters are searched (``random_state=seed`` where it has one)."""
    if model == "svm":
        return SVC(random_state=seed)
    if model == "knn":
        return KNeighborsClassifier()
    if model == "decision_tree":
        return DecisionTreeClassifier(random_state=seed)
    if model == "mlp":
        return MLPClassifier(max_iter=MLP_MAX_ITER, random_state=seed)
    raise ValueError(f"unknown model {model!r}")


def to_param(axis: Axis, value: Any) -> Any:
    """A drawn value as the estimator takes it (a width becomes the one-layer tuple ``(width,)``)."""
    return (int(value),) if axis.name == "hidden_layer_sizes" else value


def from_param(axis: Axis, value: Any) -> Any:
    """The estimator's value as drawn: plain Python numbers (a ``(width,)`` tuple becomes the width)."""
    if axis.name == "hidden_layer_sizes":
        return int(value[0])
    if axis.kind == "choice":
        return str(value)
    return int(value) if axis.kind == "int" else float(value)


def param_grid(search: Search) -> dict[str, list[Any]]:
    """``GridSearchCV``'s (and ``HalvingGridSearchCV``'s) ``param_grid``."""
    return {a.name: [to_param(a, v) for v in a.values] for a in search.axes}


def param_distributions(search: Search) -> dict[str, Any]:
    """``RandomizedSearchCV``'s ``param_distributions``: log-uniform floats, uniform integers (both ends in),
    either vote weight; an MLP width is drawn from the grid's widths (scikit-learn takes a tuple)."""
    out: dict[str, Any] = {}
    for a in search.axes:
        if a.kind == "choice" or a.name == "hidden_layer_sizes":
            out[a.name] = [to_param(a, v) for v in a.values]
        elif a.kind == "int":
            out[a.name] = randint(int(a.low), int(a.high) + 1)
        else:
            out[a.name] = loguniform(a.low, a.high)
    return out


def candidates(search: Search, seed: int) -> list[dict[str, Any]]:
    """The candidates in the order the search class evaluates them (grid or random; halving's first round)."""
    if search.strategy == "random":
        return list(ParameterSampler(param_distributions(search), search.n_iter, random_state=seed))
    return list(ParameterGrid(param_grid(search)))


def splitter(k: int, seed: int) -> StratifiedKFold:
    """The one splitter every candidate is judged with (and the tests hand to scikit-learn's search)."""
    return StratifiedKFold(k, shuffle=True, random_state=seed)


def split_scores(
    model: Any, params: Mapping[str, Any], X: np.ndarray, y: np.ndarray, parts: Sequence[tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """(k,) the candidate's score on each fold (NaN where a fit or a score fails, as ``error_score=nan``)."""
    out = np.full(len(parts), np.nan)
    for f, (train, test) in enumerate(parts):
        estimator = clone(model).set_params(**params)
        try:
            with quietly(), fast():
                estimator.fit(X[train], y[train])
                out[f] = accuracy(estimator, X[test], y[test])
        except ValueError:
            continue
    return out


def accuracy(estimator: Any, X: np.ndarray, y: np.ndarray) -> float:
    """The share of rows predicted right: ``get_scorer("accuracy")``'s value (the mean of ``y == predicted``),
    without its per-call input checks (a test checks the two agree to the last bit)."""
    return float(np.average(np.asarray(estimator.predict(X)) == y))


def fast() -> Any:
    """scikit-learn with its per-call checks off (the data were checked once, in ``prepare``): on 100-row folds
    the checks cost more than the fits. Thread-local, so other runs keep theirs."""
    return config_context(assume_finite=True, skip_parameter_validation=True)


def mean_std(scores: np.ndarray) -> tuple[float, float]:
    """``_store``'s mean and std over the folds of one candidate's (k,) scores (NaN if any is NaN)."""
    rows = scores[np.newaxis, :]  # (1, k): the same axis-1 average scikit-learn takes over (candidates, k)
    means = np.average(rows, axis=1)
    stds = np.sqrt(np.average((rows - means[:, np.newaxis]) ** 2, axis=1))
    return float(means[0]), float(stds[0])


def ranks(means: Sequence[float]) -> list[int]:
    """``rank_test_score``: 1 for the best mean (ties share the lowest rank), NaN means ranked last."""
    array = np.asarray(means, dtype=np.float64)  # (m,)
    if np.isnan(array).all():
        return [1] * array.size
    filled = np.nan_to_num(array, nan=np.nanmin(array) - 1)
    return [int(r) for r in rankdata(-filled, method="min")]


def halving_rounds(n_candidates: int, n_samples: int, factor: int, k: int, n_classes: int) -> list[tuple[int, int]]:
    """``HalvingGridSearchCV``'s rounds as (candidates, rows per candidate), from its rules: min_resources
    'exhaust' (at least 2·k·classes rows), ⌈candidates / factor⌉ kept per round, no aggressive elimination."""
    n_required = 1 + math.floor(math.log(n_candidates, factor))
    smallest = max(2 * k * n_classes, n_samples // factor ** (n_required - 1))
    n_possible = 1 + math.floor(math.log(max(n_samples // smallest, 1), factor))
    out: list[tuple[int, int]] = []
    left = n_candidates
    for i in range(min(n_possible, n_required)):
        out.append((left, min(int(factor**i * smallest), n_samples)))
        left = math.ceil(left / factor)
    return out


def halving_parts(
    base: StratifiedKFold, X: np.ndarray, y: np.ndarray, fraction: float, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One halving round's folds: the base folds, each part subsampled to ``fraction`` of its rows without
    replacement (``resample(random_state=seed)``), as ``HalvingGridSearchCV`` subsamples train and test parts."""
    out = []
    for train, test in base.split(X, y):
        part_train = resample(train, replace=False, random_state=seed, n_samples=int(fraction * len(train)))
        part_test = resample(test, replace=False, random_state=seed, n_samples=int(fraction * len(test)))
        out.append((np.asarray(part_train), np.asarray(part_test)))
    return out


def top_k(means: np.ndarray, keep: int) -> list[int]:
    """The ``keep`` best of one round's (c,) means, as ``HalvingGridSearchCV`` orders them for the next round:
    ascending by score (NaN first, so never kept while there are defined ones), the best last."""
    order = np.roll(np.argsort(means), np.count_nonzero(np.isnan(means)))  # the library's own ordering
    return [int(j) for j in order[-keep:]]


def planned_fits(search: Search, n_candidates: int, n_samples: int, n_classes: int) -> int:
    """Every fit the run makes: candidates × folds over all rounds, plus the winner's refit on all search rows."""
    if search.strategy == "halving":
        rounds = halving_rounds(n_candidates, n_samples, search.factor, search.k, n_classes)
        return sum(c for c, _ in rounds) * search.k + 1
    return n_candidates * search.k + 1


def wire_params(search: Search, params: Mapping[str, Any]) -> dict[str, Any]:
    """A candidate as JSON: each searched param with its plain value (a width as the list ``[width]``)."""
    out: dict[str, Any] = {}
    for a in search.axes:
        value = params[a.name]
        out[a.name] = [int(value[0])] if a.name == "hidden_layer_sizes" else from_param(a, value)
    return out


def position(search: Search, params: Mapping[str, Any]) -> tuple[float, float]:
    """Where a candidate sits in the search panel: a grid cell's (column, row) indices, or a random draw's
    values (a vote weight as 0 / 1, a width as its index among the grid's widths)."""
    out: list[float] = []
    for a in search.axes:
        value = from_param(a, params[a.name])
        if search.strategy != "random" or a.kind == "choice" or a.name == "hidden_layer_sizes":
            out.append(float(a.values.index(value)))
        else:
            out.append(float(value))
    return out[0], out[1]


def describe_params(search: Search, params: Mapping[str, Any]) -> str:
    """A candidate in words: "C = 10, gamma = 0.1"."""
    words = []
    for a in search.axes:
        value = from_param(a, params[a.name])
        shown = f"{value:.3g}" if a.kind == "float" else str(value)
        words.append(f"{SHORT_NAMES.get(a.name, a.name)} = {shown}")
    return ", ".join(words)
