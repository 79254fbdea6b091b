"""A random forest replayed tree by tree: scikit-learn's ``RandomForestClassifier``, fitted once.

Frames: one ``tree`` frame per tree (its bootstrap sample, its own boundary, the forest of the trees so far),
then ``variance`` (where the trees disagree: the variance across trees of the probability each gives the forest's
class) and ``importance`` (impurity-based and permutation importances).

* A tree's bootstrap sample is not stored by scikit-learn; it is redrawn with scikit-learn's own private
  ``sklearn.ensemble._forest._generate_sample_indices(tree.random_state, n, n_bootstrap, None)``, exactly as
  ``_parallel_build_trees`` drew it (the tests check it against a refit on those rows).
* The forest of the first i trees is ``RandomForestClassifier.predict_proba``'s rule on them: the trees'
  ``predict_proba`` summed in order, divided by i; the class is the arg-max. A running sum (and a running sum of
  squares, for the variance map) makes frame i cost one tree's predictions.
* The out-of-bag vote is ``_compute_oob_predictions``: each training row averaged over the trees that did not
  draw it; ``oob_score`` is its accuracy over every training row, as ``oob_score_`` (a row no tree left out
  counts as class 0 there). The frames' running OOB accuracy counts only the rows some tree so far left out.

Shapes: ``X`` (n, 2); training rows (t,); grid points (g², 2); a tree's probabilities (m, K).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble._forest import _generate_sample_indices
from sklearn.inspection import permutation_importance

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.seed import run_seed
from app.core.text import fixed, percent, plural
from app.engines.bagging import Tally, comparison, pretty
from app.engines.boundary import Split, grid_result, make_grid, score

PERMUTATION_REPEATS = 5  # scikit-learn's default n_repeats
HIGH_VARIANCE = 0.1
"""A vote variance above this (of at most 0.25) counts as "the trees disagree" in the captions."""


def forest(
    n_estimators: int,
    *,
    criterion: str,
    max_depth: int | None,
    max_features: str | int | float | None,
    bootstrap: bool,
    seed: int,
) -> RandomForestClassifier:
    """The unfitted forest of a run (the OOB score is computed here, from the same draws: see the module)."""
    return RandomForestClassifier(
        n_estimators=n_estimators,
        criterion=criterion,
        max_depth=max_depth,
        max_features=max_features,
        bootstrap=bootstrap,
        random_state=seed,
    )


def grow(model: RandomForestClassifier, X: np.ndarray, y: np.ndarray, n: int) -> Iterator[Any]:
    """The trees of ``model`` fitted on ``X`` (t, 2), ``y`` (t,), one at a time.

    The forest grows by ``warm_start`` in batches of 1, 2, 4, ... trees, so the first frame needs one tree
    grown, not all of them; the trees are the ones a single ``fit`` of all ``n`` grows (scikit-learn skips
    the seeds of the trees already grown so that this holds; the tests compare with a single fit)."""
    model.set_params(warm_start=True)
    done, batch = 0, 1
    while done < n:
        target = min(n, done + batch)
        model.set_params(n_estimators=target)
        checkpoint()
        model.fit(X, y)
        for tree in model.estimators_[done:target]:
            checkpoint()  # the frames of one batch are cheap, but a cancelled run makes no more of them
            yield tree
        done, batch = target, 2 * batch


def bootstrap_rows(model: RandomForestClassifier, tree: Any, n_train: int) -> np.ndarray:
    """(drawn,) the training rows ``tree`` was fitted on, with repeats (scikit-learn's own draw)."""
    rows: np.ndarray = _generate_sample_indices(tree.random_state, n_train, model._n_samples_bootstrap, None)
    return rows.astype(np.int64)


def max_features_words(max_features: str | int | float | None, used: int) -> str:
    """The max_features setting and what it means for 2 features (with ``used`` of them tried per split)."""
    if max_features is None or isinstance(max_features, str):
        setting = {"sqrt": "√2 rounded down", "log2": "log₂ 2"}.get(str(max_features), "all")
    else:
        setting = f"{max_features:g}"
    if used == 1:
        return (
            f"at each split it tried 1 random feature of 2 (max features: {setting}), so trees grown on similar "
            "rows still split differently: less alike, their average varies less"
        )
    return (
        f"at each split it tried both features (max features: {setting}), so trees differ only by their bootstrap "
        "rows: they stay alike, and averaging alike trees gains less"
    )


def error_correlation(errors: np.ndarray) -> float | None:
    """Mean correlation between trees' errors ``errors`` (B, m) (1 − the probability given to the true class,
    per point), over pairs of trees whose error varies; None with fewer than two such trees."""
    varying = errors[errors.std(axis=1) > 1e-12]
    if varying.shape[0] < 2:
        return None
    corr = np.corrcoef(varying)  # (B', B')
    upper = corr[np.triu_indices(corr.shape[0], k=1)]
    return float(np.mean(upper))


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    feature_names: tuple[str, ...],
    n_estimators: int,
    criterion: str,
    max_depth: int | None,
    max_features: str | int | float | None,
    bootstrap: bool,
    oob: bool,
    grid_size: int,
    panel_step: int,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """``tree`` frames, then ``variance`` and ``importance``; returns the result."""
    seed = run_seed(rng)
    train, test = parts.train, parts.test
    n_train = int(train.size)
    y_train = y[train]
    model = forest(
        1,
        criterion=criterion,
        max_depth=max_depth,
        max_features=max_features,
        bootstrap=bootstrap,
        seed=seed,
    )
    grid = make_grid(X, grid_size)
    # The trees predict on float32 rows (the forest converts X so before its trees see it): converted once here.
    grid32 = np.ascontiguousarray(grid.points, dtype=np.float32)  # (g², 2)
    X32 = np.ascontiguousarray(X, dtype=np.float32)  # (n, 2)
    keep = np.arange(0, grid_size, panel_step)
    grid_tally, point_tally = Tally(grid.points.shape[0], n_classes), Tally(X.shape[0], n_classes)
    grid_squares = np.zeros((grid.points.shape[0], n_classes))  # (g², K) running sum of squared probabilities
    oob_sum = np.zeros((n_train, n_classes))  # (t, K) summed probabilities of the trees that left each row out
    oob_count = np.zeros(n_train, dtype=np.int64)  # (t,)
    held_rows = test if test.size else train
    held = "test" if test.size else "training"
    errors: list[np.ndarray] = []  # per tree (h,): 1 − probability of the true class on the held-out rows
    tree_scores: list[float] = []
    samples: list[np.ndarray] = []
    scores, used_features = None, 1
    for i, tree in enumerate(grow(model, X[train], y_train, n_estimators), start=1):
        used_features = int(tree.max_features_)
        if bootstrap:
            rows = bootstrap_rows(model, tree, n_train)
            samples.append(train[rows])
            counts = np.bincount(rows, minlength=n_train)  # (t,) times each training row was drawn
        else:
            counts = np.ones(n_train, dtype=np.int64)
        p_grid = tree.predict_proba(grid32, check_input=False)  # (g², K)
        grid_tally.add(p_grid)
        grid_squares += p_grid**2
        p_points = tree.predict_proba(X32, check_input=False)  # (n, K)
        point_tally.add(p_points)
        out = counts == 0
        oob_sum[out] += p_points[train[out]]
        oob_count[out] += 1
        errors.append(1.0 - p_points[held_rows, y[held_rows]])
        scores = score(y, point_tally.winner(), parts, n_classes)
        own = score(y, np.asarray(p_points.argmax(axis=1), dtype=np.int64), parts, n_classes)
        alone = own.test_accuracy if own.test_accuracy is not None else own.train_accuracy
        tree_scores.append(alone)
        covered = oob_count > 0
        oob_accuracy = _oob_accuracy(oob_sum, oob_count, y_train, covered) if oob and covered.any() else None
        state: dict[str, Any] = {
            "trees": i,
            "n_estimators": n_estimators,
            "sample_counts": counts,
            "depth": int(tree.get_depth()),
            "leaves": int(tree.get_n_leaves()),
            **scores.state(),
            "tree_train_accuracy": own.train_accuracy,
            "tree_test_accuracy": own.test_accuracy,
            "oob_accuracy": oob_accuracy,
            "oob_rows": int(covered.sum()) if oob else None,
        }
        metrics = scores.metrics()
        if own.test_accuracy is not None:
            metrics["tree_test_accuracy"] = own.test_accuracy
        if oob_accuracy is not None:
            metrics["oob_accuracy"] = oob_accuracy
        ensemble = scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy
        if i == 1:
            caption = (
                f"Tree 1 of {n_estimators} alone scores {percent(alone, 1)} on the {held} set; with one tree, the "
                "forest is that tree."
            )
        else:
            mean = float(np.mean(tree_scores))
            caption = (
                f"Tree {i} of {n_estimators} alone scores {percent(alone, 1)} on the {held} set; the forest of {i} "
                f"(their probabilities averaged) scores {percent(ensemble, 1)} (trees average {percent(mean, 1)}): "
                f"{comparison(ensemble, mean, 'trees')}"
            )
        caption += " " + _tree_caption(tree, counts, bootstrap, max_features, used_features)
        if oob_accuracy is not None:
            caption += (
                f" Out-of-bag accuracy so far {percent(oob_accuracy, 1)} on the {plural(int(covered.sum()), 'row')} "
                "some tree left out: a free validation set."
            )
        visual = {
            "predicted": grid_tally.winner(),
            "probability": grid_tally.top_share(),
            "misclassified": scores.misclassified,
            # The tree's own class on the panel's cells: the arg-max of its probabilities, as tree.predict does.
            "member_predicted": p_grid.argmax(axis=1).reshape(grid_size, grid_size)[np.ix_(keep, keep)].ravel(),
            "sample_counts": counts,
        }
        yield Frame("tree", caption, state, metrics, visual=visual)
    assert scores is not None  # n_estimators ≥ 1
    checkpoint()
    predicted = grid_tally.winner()
    mean_p = grid_tally.mean()  # (g², K)
    cells = np.arange(predicted.size)
    variance = np.clip(grid_squares[cells, predicted] / n_estimators - mean_p[cells, predicted] ** 2, 0.0, None)
    correlation = error_correlation(np.vstack(errors))
    yield _variance_frame(variance, n_estimators, correlation, held, max_features, used_features, scores, predicted)
    checkpoint()
    importances = np.asarray(model.feature_importances_, dtype=np.float64)
    permuted = permutation_importance(
        model, X[held_rows], y[held_rows], n_repeats=PERMUTATION_REPEATS, random_state=seed
    )
    perm_mean = np.asarray(permuted.importances_mean, dtype=np.float64)
    perm_std = np.asarray(permuted.importances_std, dtype=np.float64)
    state = {
        "trees": n_estimators,
        "impurity_importances": importances,
        "permutation_importances": perm_mean,
        "permutation_std": perm_std,
        **scores.state(),
    }
    caption = _importance_caption(importances, perm_mean, feature_names, held)
    visual = {"predicted": predicted, "probability": grid_tally.top_share(), "misclassified": scores.misclassified}
    yield Frame("importance", caption, state, scores.metrics(), visual=visual)
    oob_score = _oob_score(oob_sum, oob_count, y_train) if oob else None
    return {
        "oob_score": oob_score,
        "oob_rows": int((oob_count > 0).sum()) if oob else None,
        "train_score": scores.train_accuracy,
        "test_score": scores.test_accuracy,
        "tree_scores": tree_scores,
        "samples": samples if bootstrap else None,
        "impurity_importances": importances,
        "permutation_importances": perm_mean,
        "permutation_std": perm_std,
        "error_correlation": correlation,
        "train_indices": train,
        "test_indices": test,
        "grid": grid_result(grid, predicted, probability=grid_tally.top_share(), variance=variance),
    }


def _oob_accuracy(oob_sum: np.ndarray, oob_count: np.ndarray, y_train: np.ndarray, covered: np.ndarray) -> float:
    """Accuracy of the out-of-bag vote over the rows some tree left out."""
    vote = oob_sum[covered] / oob_count[covered, None]
    return float(np.mean(vote.argmax(axis=1) == y_train[covered]))


def _oob_score(oob_sum: np.ndarray, oob_count: np.ndarray, y_train: np.ndarray) -> float:
    """scikit-learn's ``oob_score_``: every training row, a row without out-of-bag trees divided by 1 (class 0)."""
    vote = oob_sum / np.maximum(oob_count, 1)[:, None]
    return float(np.mean(vote.argmax(axis=1) == y_train))


def _tree_caption(
    tree: Any,
    counts: np.ndarray,
    bootstrap: bool,
    max_features: str | int | float | None,
    used: int,
) -> str:
    shape = f"depth {tree.get_depth()}, {plural(int(tree.get_n_leaves()), 'leaf', 'leaves')}"
    if bootstrap:
        distinct = int((counts > 0).sum())
        rows = (
            f"its bootstrap sample of {plural(int(counts.sum()), 'draw')}: {plural(distinct, 'distinct row')} "
            f"(marker size: times drawn), {int(counts.size) - distinct} out of bag (faded)"
        )
    else:
        rows = "every training row (bootstrap off: only the random features make the trees differ)"
    return f"It grew to {shape} on {rows}; {max_features_words(max_features, used)}."


def _variance_frame(
    variance: np.ndarray,
    n: int,
    correlation: float | None,
    held: str,
    max_features: str | int | float | None,
    used: int,
    scores: Any,
    predicted: np.ndarray,
) -> Frame:
    """Where the trees disagree: the variance map and what it means."""
    high = float(np.mean(variance > HIGH_VARIANCE))
    caption = (
        f"Where the {n} trees disagree: the variance, across trees, of the probability each gives the forest's "
        f"class (0: all agree; 0.25: half say surely yes, half surely no). It is above {HIGH_VARIANCE:g} on "
        f"{percent(high, 0)} of the plane, along the boundary and where the classes overlap: there a single "
        "tree's answer is a coin toss, and only the average is steady."
    )
    if correlation is not None:
        gain = (
            "only 1 feature per split keeps that low, so averaging removes much of the trees' variance"
            if used == 1
            else "trying every feature at every split keeps the trees alike, so averaging removes less"
        )
        caption += (
            f" The trees' errors on the {held} points correlate at {fixed(correlation, 2)} on average: the "
            f"variance of an average of {n} trees is about ρσ² + (1 − ρ)σ²/{n}, so the lower the correlation ρ the "
            f"more averaging helps; {gain}."
        )
    state = {
        "trees": n,
        "mean_variance": float(variance.mean()),
        "max_variance": float(variance.max()),
        "high_variance_share": high,
        "error_correlation": correlation,
        **scores.state(),
    }
    metrics = scores.metrics()
    visual = {"variance": variance, "predicted": predicted, "misclassified": scores.misclassified}
    return Frame("variance", caption, state, metrics, visual=visual)


def _importance_caption(impurity: np.ndarray, permuted: np.ndarray, feature_names: tuple[str, ...], held: str) -> str:
    names = [pretty(n) for n in feature_names]
    by_impurity = ", ".join(f"{n} {fixed(v, 2)}" for n, v in zip(names, impurity, strict=True))
    by_permutation = ", ".join(f"{n} costs {percent(v, 1)}" for n, v in zip(names, permuted, strict=True))
    top_permuted, top_impurity = int(np.argmax(permuted)), int(np.argmax(impurity))
    verdict = (
        f"Both put {names[top_permuted]} first."
        if top_permuted == top_impurity
        else f"They disagree: the trees split on {names[top_impurity]} more, but {names[top_permuted]} matters more "
        f"on the {held} rows."
    )
    return (
        f"Feature importances. Impurity-based (how much each feature's splits cut the impurity, over all trees, "
        f"on the training rows): {by_impurity}. Permutation (accuracy lost on the {held} set when a feature's "
        f"column is shuffled, mean of {PERMUTATION_REPEATS} shuffles): {by_permutation}. {verdict} Impurity "
        "importance comes free with training but is measured on rows the trees fitted; permutation importance "
        "on rows they were scored on."
    )
