"""k-fold cross-validation (day 17), replayed fold by fold with scikit-learn's own splitter and scorer.

``cross_validate(model, X, y, cv=splitter, scoring=name)`` hides its folds; here the same splitter object
(``KFold(k, shuffle, random_state=seed)``, ``StratifiedKFold``, ``ShuffleSplit(k, test_size=1/k)``,
``LeaveOneOut``) gives the same parts, a fresh estimator is fitted on each training part and the same scorer
(``get_scorer(name)``) scores it on the held-out part, so every fold's score equals the library's. Where the
library records NaN (a model that cannot be fitted on one class, a score undefined on a one-class fold:
``error_score=nan``), the fold's score is ``None`` and the mean and spread are over the folds that have one.

Frames: ``shuffle`` (the rows as the splitter receives them), ``split`` (every fold's rows), one ``fold`` per
fold (its model's boundary, its score), ``summary`` (the k scores, their mean ± std, beside 20 single
train/test splits with 20 seeds, and the model refit on all rows). Shapes: n rows, k folds, K classes, grid g².
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, LeaveOneOut, ShuffleSplit, StratifiedKFold, train_test_split

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.base_models import grid_prediction, make_estimator
from app.engines.boundary import make_grid
from app.engines.cross_validation_captions import fold_story, shuffle_story, split_story, summary_story
from app.engines.voting import quietly

SINGLE_SPLITS = 20
"""How many single train/test splits (seeds seed, seed + 1, ...) the summary sets beside the k-fold estimate."""
LOO_SINGLE_SHARE = 0.2
"""The test share of the single splits under leave-one-out (one held-out row would say nothing)."""


@dataclass(frozen=True)
class Plan:
    """What is cross-validated, and how."""

    spec: Mapping[str, Any]  # the model's spec (app.engines.base_models)
    name: str  # the model in words: "decision tree (depth ≤ 4)"
    splitter: str  # kfold | stratified | shuffle-split | leave-one-out
    k: int  # folds (n for leave-one-out)
    shuffle: bool  # kfold / stratified only
    scoring: str  # accuracy | f1 | roc_auc (the param)


def scorer_name(scoring: str, n_classes: int) -> str:
    """scikit-learn's scorer name: F1 and ROC AUC are macro F1 / one-vs-rest AUC for more than 2 classes."""
    if n_classes > 2:
        return {"accuracy": "accuracy", "f1": "f1_macro", "roc_auc": "roc_auc_ovr"}[scoring]
    return scoring


def make_splitter(splitter: str, k: int, shuffle: bool, seed: int) -> Any:
    """The scikit-learn splitter object the lab replays (and the tests hand to ``cross_validate``)."""
    if splitter == "kfold":
        return KFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    if splitter == "stratified":
        return StratifiedKFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    if splitter == "shuffle-split":
        return ShuffleSplit(n_splits=k, test_size=1 / k, random_state=seed)
    if splitter == "leave-one-out":
        return LeaveOneOut()
    raise ValueError(f"unknown splitter {splitter!r}")


def single_split_share(splitter: str, k: int) -> float:
    """The test share of the single splits: one fold's share (1/k), 20 % under leave-one-out."""
    return LOO_SINGLE_SHARE if splitter == "leave-one-out" else 1 / k


def fit_or_none(spec: Mapping[str, Any], X: np.ndarray, y: np.ndarray, seed: int) -> Any | None:
    """A fitted estimator, or ``None`` where scikit-learn refuses the fit (one class in the training part)."""
    model = make_estimator(spec, seed)
    try:
        with quietly():
            return model.fit(X, y)
    except ValueError:
        return None


def score_or_none(model: Any | None, scorer: Any, X: np.ndarray, y: np.ndarray) -> float | None:
    """The scorer's value, or ``None`` where ``cross_validate`` would record NaN (undefined on these rows)."""
    if model is None:
        return None
    try:
        with quietly():
            value = float(scorer(model, X, y))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def mean_std(scores: Sequence[float | None]) -> tuple[float | None, float | None]:
    """Mean and (population, ``np.std``) standard deviation of the defined scores; ``None`` when there are none."""
    defined = np.array([s for s in scores if s is not None], dtype=np.float64)
    if defined.size == 0:
        return None, None
    return float(defined.mean()), float(defined.std())


def assignment(parts: Sequence[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """(k, n) u1: 1 where a row trains fold f's model, 2 where it is held out, 0 where unused (shuffle-split)."""
    out = np.zeros((len(parts), n), dtype=np.uint8)
    for f, (tr, te) in enumerate(parts):
        out[f, tr] = 1
        out[f, te] = 2
    return out


def single_splits(
    spec: Mapping[str, Any], X: np.ndarray, y: np.ndarray, scorer: Any, share: float, stratify: bool, seed: int
) -> list[float | None]:
    """The score one train/test split gives, for each of ``SINGLE_SPLITS`` seeds (seed, seed + 1, ...)."""
    scores: list[float | None] = []
    for i in range(SINGLE_SPLITS):
        checkpoint()
        state = (seed + i) % 2**32
        try:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=share, random_state=state, stratify=y if stratify else None
            )
        except ValueError:  # a class too small to stratify: split without
            X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=share, random_state=state)
        scores.append(score_or_none(fit_or_none(spec, X_tr, y_tr, seed), scorer, X_te, y_te))
    return scores


def run(
    X: np.ndarray,
    y: np.ndarray,
    *,
    classes: Sequence[str],
    plan: Plan,
    grid_size: int,
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """``shuffle``, ``split``, ``fold`` × k, ``summary``; returns the result (folds, scores, mean, std, ...)."""
    n, n_classes = int(y.size), len(classes)
    name = scorer_name(plan.scoring, n_classes)
    scorer = get_scorer(name)
    splitter = make_splitter(plan.splitter, plan.k, plan.shuffle, seed)
    parts = [(np.asarray(tr), np.asarray(te)) for tr, te in splitter.split(X, y)]
    matrix = assignment(parts, n)  # (k, n)
    k = len(parts)
    facts = {"n_rows": n, "n_folds": k, "splitter": plan.splitter, "shuffle": plan.shuffle, "scorer": name}
    yield Frame(
        "shuffle",
        shuffle_story(plan, y, classes, seed),
        dict(facts),
        {},
        visual={"assignment": np.zeros((0, n), dtype=np.uint8)},
    )

    checkpoint()  # a run cancelled after its first frame makes no more
    folds = [te for _, te in parts]
    sizes = [int(te.size) for te in folds]
    yield Frame(
        "split",
        split_story(plan, n, sizes, [np.bincount(y[te], minlength=n_classes) for te in folds], classes),
        {**facts, "folds": [te.copy() for te in folds], "fold_sizes": sizes},
        {},
        visual={"assignment": matrix},
    )

    grid = make_grid(X, grid_size)
    scores: list[float | None] = []
    for f, (tr, te) in enumerate(parts, start=1):
        checkpoint()  # per fold: one fit, one grid prediction
        model = fit_or_none(plan.spec, X[tr], y[tr], seed)
        value = score_or_none(model, scorer, X[te], y[te])
        scores.append(value)
        if model is None:
            only = int(y[tr][0])
            predicted = np.full(grid.points.shape[0], only, dtype=np.int64)
            top, wrong = None, te[y[te] != only]
        else:
            with quietly():
                predicted, top = grid_prediction(model, grid.points)
                wrong = te[np.asarray(model.predict(X[te])) != y[te]]
        mean, _ = mean_std(scores)
        state: dict[str, Any] = {
            "fold": f,
            "n_folds": k,
            "held_out": te.copy(),
            "n_train": int(tr.size),
            "score": value,
            "scores": list(scores),
            "fitted": model is not None,
        }
        metrics = {} if value is None else {"score": value}
        if mean is not None:
            metrics["mean_so_far"] = mean
        visual: dict[str, Any] = {"predicted": predicted, "held_out": te, "misclassified": wrong, "assignment": matrix}
        if top is not None:
            visual["probability"] = top
        unseen = np.setdiff1d(y[te], y[tr]).tolist()  # held-out classes no training row of the fold has
        fitted, n_wrong = model is not None, int(wrong.size)
        caption = fold_story(plan, f, k, int(tr.size), y[te], classes, value, scores, fitted, n_wrong, unseen)
        yield Frame("fold", caption, state, metrics, visual=visual)

    checkpoint()
    share = single_split_share(plan.splitter, plan.k)
    single = single_splits(plan.spec, X, y, scorer, share, plan.splitter == "stratified", seed)
    final = fit_or_none(plan.spec, X, y, seed)
    mean, std = mean_std(scores)
    single_mean, single_std = mean_std(single)
    summary = {
        "scores": list(scores),
        "mean": mean,
        "std": std,
        "single_split_scores": single,
        "single_split_mean": single_mean,
        "single_split_std": single_std,
        "single_split_share": share,
    }
    visual = {"assignment": matrix, "misclassified": np.zeros(0, dtype=np.int64)}
    if final is not None:
        with quietly():
            predicted, top = grid_prediction(final, grid.points)
            visual["misclassified"] = np.flatnonzero(np.asarray(final.predict(X)) != y)
        visual["predicted"] = predicted
        if top is not None:
            visual["probability"] = top
    caption = summary_story(plan, name, scores, mean, std, single, share)
    metrics = {} if mean is None else {"mean_so_far": mean}  # the running mean's last point: the estimate
    yield Frame("summary", caption, summary, metrics, visual=visual)

    return {
        "folds": [te.copy() for te in folds],
        "scores": list(scores),
        "mean": mean,
        "std": std,
        "scorer": name,
        "splitter": plan.splitter,
        "n_folds": k,
        "single_split_scores": single,
        "single_split_mean": single_mean,
        "single_split_std": single_std,
        "classes": list(classes),
    }
