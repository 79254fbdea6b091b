"""Stacking with k-fold (day 11): out-of-fold predictions fold by fold, the meta-model on them, the stacked model.

scikit-learn's ``StackingClassifier`` hides its folds (it calls ``cross_val_predict`` once per base model), so the
folds are replayed here with the same parts: ``KFold(k, shuffle=True, random_state=seed)`` over the training rows,
a fresh clone of every base model fitted on the other k − 1 folds and asked for its ``predict_proba`` on the fold
(a class a fold's training part lacks gets probability 0, as ``cross_val_predict`` fills it). The level-1 table
is those probabilities, laid out as ``StackingClassifier(stack_method="predict_proba")`` does: one column per
model (its probability of class 1) for two classes, K columns per model (model-major) for more, then the two
features when ``passthrough``. The meta-model is fitted on it; the base models are refit on all training rows.
The tests check the table against ``cross_val_predict`` and the final predictions against the library's.

One case the library refuses is run here: a fold whose training part holds a single class (tiny data). Every
model then predicts that class with certainty in that fold (what k-NN, a tree or naive Bayes do anyway; the
logistic regression and the SVM cannot be fitted on one class), and the caption says so.

Shapes: training rows n_t; m base models; K classes; p level-1 columns; the large grid g², small pictures t².
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import KFold

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.base_models import make_estimator
from app.engines.boundary import Grid, Split, accuracy, grid_result, make_grid, score
from app.engines.stacking_captions import final_story, fold_story, meta_story
from app.engines.voting import THUMBNAIL_GRID, Outputs, class_probabilities, held_score, outputs, quietly


@dataclass(frozen=True)
class Stack:
    """The base models, the meta-model and how the table is built."""

    specs: tuple[Mapping[str, Any], ...]  # m base-model specs
    names: tuple[str, ...]  # m distinct names in words: "k-NN (k = 5)"
    meta: Mapping[str, Any]  # the meta-model's spec: logistic regression (C) or decision tree (max_depth)
    meta_name: str  # "logistic regression (C = 1)"
    cv: int  # folds k
    passthrough: bool  # the features join the table


def level1(probabilities: np.ndarray, X: np.ndarray, passthrough: bool) -> np.ndarray:
    """The level-1 features (N, p) from the models' probabilities (m, N, K) and the points (N, 2): class 1's
    column per model for two classes (the other is 1 minus it), all K per model for more, then X if asked."""
    m, n, k = probabilities.shape
    table = probabilities[:, :, 1].T if k == 2 else probabilities.transpose(1, 0, 2).reshape(n, m * k)
    return np.hstack([table, X]) if passthrough else np.ascontiguousarray(table)


def column_names(names: Sequence[str], classes: Sequence[str], features: Sequence[str], passthrough: bool) -> list[str]:
    """The p level-1 column names: "k-NN (k = 5): P(class 1)", ..., then the features."""
    shown = classes[1:] if len(classes) == 2 else classes
    columns = [f"{name}: P(class {c})" for name in names for c in shown]
    return columns + list(features) if passthrough else columns


def _certain(label: int, rows: int, n_classes: int) -> np.ndarray:
    """(rows, K) probability 1 for ``label``: what a model trained on one class predicts."""
    out = np.zeros((rows, n_classes))
    out[:, label] = 1.0
    return out


_PREDICTS_TOP_PROBABILITY = frozenset({"knn"})
"""Base models whose ``predict`` is exactly the argmax of their ``predict_proba``: k-NN's vote shares are counts
over k, so equal shares are equal counts, and both break a tie towards the lower class. (An SVM's predict is
the sign of f, not its Platt probabilities; the others' probabilities are rounded through exp or a division.)"""


@dataclass(frozen=True)
class FoldPictures:
    """A fold model's small picture: class (t²,) and tint (t²,)."""

    classes: np.ndarray
    top: np.ndarray


def _fold(
    spec: Mapping[str, Any],
    Xt: np.ndarray,
    yt: np.ndarray,
    tr: np.ndarray,
    te: np.ndarray,
    small: Grid,
    k: int,
    seed: int,
) -> tuple[np.ndarray, FoldPictures]:
    """One base model trained on the fold's training part: its probabilities on the held-out rows (n_te, K)
    and its small picture."""
    present = np.unique(yt[tr])
    if present.size == 1:
        label = int(present[0])
        flat = np.full(small.points.shape[0], label, dtype=np.int64)
        return _certain(label, te.size, k), FoldPictures(flat, np.ones(flat.size))
    model = make_estimator(spec, seed)
    with quietly():
        model.fit(Xt[tr], yt[tr])
    # One probability pass over the held-out rows and the small grid together (every model scores rows one by
    # one, so stacking them changes no number): scikit-learn's checks per call cost more than these few points.
    both = class_probabilities(model, np.vstack([Xt[te], small.points]), k)  # (n_te + t², K)
    held, tint = both[: te.size], both[te.size :]
    if spec["model"] in _PREDICTS_TOP_PROBABILITY:
        classes = tint.argmax(axis=1)  # what its predict returns, without a second neighbour search
    else:
        with quietly():
            classes = np.asarray(model.predict(small.points), dtype=np.int64)
    return held, FoldPictures(classes, tint.max(axis=1))


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    classes: Sequence[str],
    stack: Stack,
    grid_size: int,
    feature_names: Sequence[str],
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """``fold`` frames (the table filling), ``meta`` (the meta-model fitted on it), ``final`` (the stacked model)."""
    k, m = len(classes), len(stack.specs)
    train = parts.train
    Xt, yt = X[train], y[train]
    n_t = int(train.size)
    small = make_grid(X, THUMBNAIL_GRID)  # the fold models' pictures; the large grid waits for the refit models
    columns = column_names(stack.names, classes, feature_names, stack.passthrough)
    folds = list(KFold(stack.cv, shuffle=True, random_state=seed).split(Xt))
    fold_of = np.zeros(n_t, dtype=np.int64)  # fold number (from 1) of each training row
    oof = np.zeros((m, n_t, k))  # every model's out-of-fold probabilities, rows in training order
    filled = np.zeros(n_t, dtype=bool)
    first_row = 0
    for f, (tr, te) in enumerate(folds, start=1):
        checkpoint()  # per fold: m fits
        pictures: list[FoldPictures] = []
        for i, spec in enumerate(stack.specs):
            oof[i, te], picture = _fold(spec, Xt, yt, tr, te, small, k, seed)
            pictures.append(picture)
        fold_of[te] = f
        filled[te] = True
        shown = te[np.lexsort((te, yt[te]))]  # the fold's rows by class, then by row: the table shows them so
        rows = level1(oof[:, shown], Xt[shown], stack.passthrough)  # (n_te, p): this fold's rows of the table
        so_far = [accuracy(yt[filled], oof[i, filled].argmax(axis=1)) for i in range(m)]
        one_class = bool(np.unique(yt[tr]).size == 1)
        caption = fold_story(f, stack, n_t, tr.size, te.size, first_row, so_far, classes, one_class, yt[tr][0])
        state = {
            "fold": f,
            "n_folds": stack.cv,
            "held_out": train[shown],
            "rows": np.round(rows, 4),
            "filled": int(filled.sum()),
            "oof_accuracy": so_far,
            "one_class": one_class,
        }
        visual = {
            "held_out": train[shown],
            "table_rows": rows,
            "thumbnails": [(p.classes, p.top) for p in pictures],
            "thumbnail_scores": so_far,
            "thumbnail_label": "out-of-fold",
        }
        yield Frame("fold", caption, state, {"oof_accuracy": float(np.mean(so_far))}, visual=visual)
        first_row += int(te.size)

    checkpoint()
    grid = make_grid(X, grid_size)
    table = level1(oof, Xt, stack.passthrough)  # (n_t, p) in training order, as StackingClassifier builds it
    meta = make_estimator(stack.meta, seed)
    with quietly():
        meta.fit(table, yt)
        bases = [make_estimator(spec, seed).fit(Xt, yt) for spec in stack.specs]  # as the library's estimators_
    meta_right = np.asarray(meta.predict(table)) == yt
    weights = _meta_weights(meta, m, k)
    members: list[Outputs] = [outputs(b, X, grid, small, k, True) for b in bases]
    member_scores = [score(y, o.points, parts, k) for o in members]
    pictures_full = [(o.thumbnail, o.thumbnail_top) for o in members]
    meta_state: dict[str, Any] = {
        "columns": columns,
        **weights,
        "meta_train_accuracy": float(meta_right.mean()),
    }
    caption = meta_story(stack, n_t, columns, weights, float(meta_right.mean()), classes)
    meta_visual = {
        "misclassified": train[~meta_right],
        "thumbnails": pictures_full,
        "thumbnail_scores": [held_score(s) for s in member_scores],
        "thumbnail_label": "test" if parts.test.size else "training",
        "weights": _weights_matrix(weights),
    }
    yield Frame("meta", caption, meta_state, {"meta_train_accuracy": float(meta_right.mean())}, visual=meta_visual)

    checkpoint()
    grid_table = level1(
        np.stack([o.grid_proba for o in members if o.grid_proba is not None]), grid.points, stack.passthrough
    )
    point_table = level1(
        np.stack([o.points_proba for o in members if o.points_proba is not None]), X, stack.passthrough
    )
    grid_class = np.asarray(meta.predict(grid_table), dtype=np.int64)
    grid_top = np.asarray(meta.predict_proba(grid_table)).max(axis=1)
    predicted = np.asarray(meta.predict(point_table), dtype=np.int64)
    scores = score(y, predicted, parts, k)
    held = parts.test if parts.test.size else parts.train
    member_held = [float(np.mean(o.points[held] == y[held])) for o in members]
    best = int(np.argmax(member_held))
    votes = np.stack([o.points[held] for o in members])  # (m, h)
    facts = {
        "held": "test" if parts.test.size else "training",
        "best_member": best,
        "best_member_accuracy": member_held[best],
        "agreement": float(np.mean((votes == votes[:1]).all(axis=0))),
    }
    caption = final_story(stack, scores, facts, n_t)
    state = {
        **scores.state(),
        "member_train_accuracy": [s.train_accuracy for s in member_scores],
        "member_test_accuracy": [s.test_accuracy for s in member_scores],
        **facts,
    }
    visual = {
        "predicted": grid_class,
        "probability": grid_top,
        "misclassified": scores.misclassified,
        "thumbnails": pictures_full,
        "thumbnail_scores": [held_score(s) for s in member_scores],
        "thumbnail_label": meta_visual["thumbnail_label"],
        "weights": meta_visual["weights"],
    }
    yield Frame("final", caption, state, scores.metrics(), visual=visual)

    return {
        "cv": stack.cv,
        "passthrough": stack.passthrough,
        "columns": columns,
        "oof_predictions": table,  # (n_t, p): row r is training point train_indices[r]
        "folds": fold_of,
        **weights,
        "train_score": scores.train_accuracy,
        "test_score": scores.test_accuracy,
        "member_train_accuracy": [s.train_accuracy for s in member_scores],
        "member_test_accuracy": [s.test_accuracy for s in member_scores],
        "confusion": scores.confusion,
        "train_indices": parts.train,
        "test_indices": parts.test,
        "grid": grid_result(grid, grid_class, probability=grid_top),
        "classes": list(classes),
    }


def _meta_weights(meta: Any, m: int, k: int) -> dict[str, Any]:
    """What the meta-model says about each column and each base model.

    Logistic regression: ``meta_coef`` (1, p) for two classes or (K, p), ``meta_intercept``, and ``trust`` (m,):
    a model's coefficient on its probability of class 1 (two classes), or the mean over the classes of its
    coefficient on its own probability of the class being scored. A tree: ``meta_importances`` (p,) and
    ``trust`` (m,), the share of the tree's impurity decrease won by splits on the model's columns."""
    per_model = 1 if k == 2 else k
    if hasattr(meta, "coef_"):
        coef = np.asarray(meta.coef_, dtype=np.float64)  # (1 | K, p)
        # two classes: the coefficient on each model's column; more: the mean over the classes c of the
        # coefficient in class c's score on the model's own column for c
        trust = coef[0, :m] if k == 2 else np.array([np.mean([coef[c, i * k + c] for c in range(k)]) for i in range(m)])
        return {"meta_coef": coef, "meta_intercept": np.asarray(meta.intercept_, dtype=np.float64), "trust": trust}
    importances = np.asarray(meta.feature_importances_, dtype=np.float64)  # (p,)
    trust = importances[: m * per_model].reshape(m, per_model).sum(axis=1)
    return {"meta_importances": importances, "trust": trust}


def _weights_matrix(weights: Mapping[str, Any]) -> np.ndarray:
    """The numbers drawn above the table's columns: (1 | K, p) coefficients, or (1, p) importances."""
    if "meta_coef" in weights:
        return np.asarray(weights["meta_coef"])
    return np.asarray(weights["meta_importances"])[None, :]
