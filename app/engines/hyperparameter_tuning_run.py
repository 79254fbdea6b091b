"""The hyperparameter-tuning run: ``setup``, then one ``evaluate`` frame per candidate (grid, random) or one
``round`` frame per halving round, then ``winner`` (the best candidate refit on all search rows, scored on the
held-out test rows). Shapes: n rows, m candidates, k folds, K classes, grid g².

Every search scores its candidates here one by one (``app.engines.hyperparameter_tuning``), so the first frame
comes before any fit and a cancelled run stops within one candidate; successive halving follows
``HalvingGridSearchCV``'s rules round by round (the rows of each round, who is kept).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import get_scorer

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import hyperparameter_tuning as ht
from app.engines.base_models import grid_prediction
from app.engines.boundary import Grid, confusion, make_grid
from app.engines.hyperparameter_tuning_captions import evaluate_story, round_story, setup_story, winner_story
from app.engines.voting import quietly


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _boundary(model: Any, params: dict[str, Any], X: np.ndarray, y: np.ndarray, grid: Grid) -> dict[str, Any]:
    """The frame visual of ``params`` refit on all search rows: its predicted class per grid cell (g²,) and,
    where the model has probabilities, the winning class's (g²,); empty where the fit fails."""
    try:
        with quietly(), ht.fast():
            fitted = clone(model).set_params(**params).fit(X, y)
            predicted, top = grid_prediction(fitted, grid.points)
    except ValueError:
        return {}
    out: dict[str, Any] = {"predicted": predicted}
    if top is not None:
        out["probability"] = top
    return out


def _best(means: Sequence[float]) -> int | None:
    """The first candidate with the highest defined mean (``rank_test_score.argmin()``), or None."""
    array = np.asarray(means, dtype=np.float64)
    if array.size == 0 or np.isnan(array).all():
        return None
    return int(np.argmin(ht.ranks(means)))


def _one_by_one(
    search: ht.Search, cands: list[dict[str, Any]], X: np.ndarray, y: np.ndarray, grid: Grid, seed: int
) -> Generator[Frame, None, tuple[dict[str, Any], dict[str, Any]]]:
    """Grid or random search, candidate by candidate; returns the cv_results columns (sklearn's names) and the
    search panel's last picture."""
    model = ht.make_model(search.model, seed)
    parts = [(np.asarray(tr), np.asarray(te)) for tr, te in ht.splitter(search.k, seed).split(X, y)]
    means: list[float] = []
    stds: list[float] = []
    splits: list[list[float | None]] = []
    positions = np.zeros((len(cands), 2))  # (m, 2): each candidate's place in the search panel
    n = len(cands)
    for i, params in enumerate(cands):
        checkpoint()  # per candidate: k fits, one refit, one grid prediction
        scores = ht.split_scores(model, params, X, y, parts)  # (k,)
        mean, std = ht.mean_std(scores)
        before = _best(means)
        means.append(mean)
        stds.append(std)
        splits.append([_finite(float(s)) for s in scores])
        positions[i] = ht.position(search, params)
        best = _best(means)
        new_best = best == i and before != i
        best_mean = None if best is None else means[best]
        best_words = "" if best is None else ht.describe_params(search, cands[best])
        state: dict[str, Any] = {
            "evaluation": i + 1,
            "n_candidates": n,
            "params": ht.wire_params(search, params),
            "split_scores": splits[-1],
            "mean_test_score": _finite(mean),
            "std_test_score": _finite(std),
            "best_score_so_far": best_mean,
            "best_params_so_far": None if best is None else ht.wire_params(search, cands[best]),
            "means_so_far": [_finite(m) for m in means],
        }
        metrics = {} if best_mean is None else {"best_so_far": best_mean}
        if np.isfinite(mean):
            metrics["cv_score"] = mean
        caption = evaluate_story(
            search,
            i + 1,
            n,
            ht.describe_params(search, params),
            _finite(mean),
            _finite(std),
            best_mean,
            best_words,
            new_best,
            int(y.size),
        )
        running = np.fmax.accumulate(np.array(means))  # (i + 1,) the best mean after each evaluation
        visual = {
            "positions": positions[: i + 1].copy(),
            "means": np.array(means),
            "current": positions[i].copy(),
            "best_position": None if best is None else positions[best].copy(),
            "best_curve": running,
        }
        visual |= _boundary(model, params, X, y, grid)
        yield Frame("evaluate", caption, state, metrics, visual=visual)
    columns = {
        "params": [ht.wire_params(search, c) for c in cands],
        "mean_test_score": [_finite(m) for m in means],
        "std_test_score": [_finite(s) for s in stds],
        "rank_test_score": ht.ranks(means),
        "split_test_scores": splits,
    }
    panel = {"positions": positions, "means": np.array(means), "best_curve": np.fmax.accumulate(np.array(means))}
    return columns, panel


def _halving(
    search: ht.Search, cands: list[dict[str, Any]], X: np.ndarray, y: np.ndarray, grid: Grid, seed: int
) -> Generator[Frame, None, tuple[dict[str, Any], int, dict[str, Any], dict[str, Any]]]:
    """Successive halving round by round, by ``HalvingGridSearchCV``'s rules (``ht.halving_rounds``,
    ``ht.halving_parts``, ``ht.top_k``); returns the cv_results columns, the winner's row and params, and the
    search panel's last picture."""
    model = ht.make_model(search.model, seed)
    n_search = int(y.size)
    plan = ht.halving_rounds(len(cands), n_search, search.factor, search.k, int(np.unique(y).size))
    slot = {repr(ht.wire_params(search, c)): j for j, c in enumerate(cands)}  # a candidate's grid index
    positions = np.array([ht.position(search, c) for c in cands])  # (m, 2)
    latest = np.full(len(cands), np.nan)  # (m,) each candidate's score in the last round it ran
    history = np.zeros((0, 3))  # (rows so far, 3): round (from 1), mean score, kept (1) or dropped (0)
    rows: list[dict[str, Any]] = []  # cv_results rows: params, mean, std, splits, iter, n_resources
    alive = list(cands)
    for r, (_, resources) in enumerate(plan):
        parts = ht.halving_parts(ht.splitter(search.k, seed), X, y, resources / n_search, seed)
        start = len(rows)
        for params in alive:
            checkpoint()  # per candidate: k fits on this round's rows
            scores = ht.split_scores(model, params, X, y, parts)  # (k,)
            mean, std = ht.mean_std(scores)
            rows.append(
                {"params": params, "mean": mean, "std": std, "splits": scores, "iter": r, "resources": resources}
            )
        here = rows[start:]
        means = np.array([row["mean"] for row in here])  # (c,)
        last = r == len(plan) - 1
        pick = _best(list(means))
        keep = ht.top_k(means, math.ceil(len(here) / search.factor)) if not last else ([] if pick is None else [pick])
        kept = np.zeros(len(here), dtype=bool)
        kept[keep] = True
        for row, mean in zip(here, means, strict=True):
            latest[slot[repr(ht.wire_params(search, row["params"]))]] = mean
        history = np.vstack([history, np.column_stack([np.full(len(here), r + 1.0), means, kept])])
        best_mean = None if pick is None else float(means[pick])
        best_words = "" if pick is None else ht.describe_params(search, here[pick]["params"])
        state = {
            "round": r + 1,
            "n_rounds": len(plan),
            "n_candidates": len(here),
            "n_resources": resources,
            "params": [ht.wire_params(search, row["params"]) for row in here],
            "mean_test_score": [_finite(float(m)) for m in means],
            "kept": [bool(v) for v in kept],
            "best_score_so_far": best_mean,
        }
        metrics = {} if best_mean is None else {"best_so_far": best_mean}
        dropped = [float(m) for m, k in zip(means, kept, strict=True) if not k]
        caption = round_story(
            r + 1,
            len(plan),
            len(here),
            resources,
            n_search,
            search.k,
            int(kept.sum()),
            dropped,
            search.factor,
            best_mean,
            best_words,
        )
        grid_index = np.array([slot[repr(ht.wire_params(search, row["params"]))] for row in here], dtype=np.int64)
        visual: dict[str, Any] = {
            "positions": positions.copy(),
            "means": latest.copy(),
            "alive": grid_index[kept],
            "dropped": grid_index[~kept],
            "history": history.copy(),
        }
        if pick is not None:
            visual["best_position"] = positions[grid_index[pick]].copy()
            visual |= _boundary(model, here[pick]["params"], X, y, grid)
        yield Frame("round", caption, state, metrics, visual=visual)
        alive = [here[j]["params"] for j in keep]
    all_means = [row["mean"] for row in rows]
    last_rows = [j for j, row in enumerate(rows) if row["iter"] == len(plan) - 1]
    pick = _best([all_means[j] for j in last_rows])
    columns = {
        "params": [ht.wire_params(search, row["params"]) for row in rows],
        "mean_test_score": [_finite(m) for m in all_means],
        "std_test_score": [_finite(row["std"]) for row in rows],
        "rank_test_score": ht.ranks(all_means),
        "split_test_scores": [[_finite(float(v)) for v in row["splits"]] for row in rows],
        "iter": [row["iter"] for row in rows],
        "n_resources": [row["resources"] for row in rows],
    }
    best = last_rows[0 if pick is None else pick]
    return columns, best, rows[best]["params"], {"positions": positions, "means": latest, "history": history}


def run(
    X: np.ndarray,
    y: np.ndarray,
    *,
    train: np.ndarray,
    test: np.ndarray,
    classes: Sequence[str],
    search: ht.Search,
    grid_size: int,
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """``setup``, ``evaluate`` × m or ``round`` × rounds, ``winner``; returns the result (cv_results, ...)."""
    X_search, y_search = X[train], y[train]  # the rows the search sees; X[test] is held out until the winner
    cands = ht.candidates(search, seed)
    n_search, n_classes = int(y_search.size), len(classes)
    fits = ht.planned_fits(search, len(cands), n_search, n_classes)
    rounds = ht.halving_rounds(len(cands), n_search, search.factor, search.k, n_classes)
    model_words = ht.MODEL_WORDS[search.model]
    setup = {
        "strategy": search.strategy,
        "model": search.model,
        "axes": [
            {"name": a.name, "label": a.label, "values": list(a.values), "low": a.low, "high": a.high, "log": a.log}
            for a in search.axes
        ],
        "n_candidates": len(cands),
        "n_folds": search.k,
        "n_fits": fits,
        "n_search_rows": n_search,
        "n_test_rows": int(test.size),
    }
    caption = setup_story(search, model_words, len(cands), n_search, int(test.size), fits, rounds)
    yield Frame("setup", caption, setup, {}, visual={})

    checkpoint()  # a run cancelled after its first frame fits nothing
    grid = make_grid(X, grid_size)
    if search.strategy == "halving":
        columns, best_index, best_params, panel = yield from _halving(search, cands, X_search, y_search, grid, seed)
    else:
        columns, panel = yield from _one_by_one(search, cands, X_search, y_search, grid, seed)
        found = _best([np.nan if m is None else m for m in columns["mean_test_score"]])
        best_index = 0 if found is None else found
        best_params = cands[best_index]
    best_score = columns["mean_test_score"][best_index]

    checkpoint()
    model = clone(ht.make_model(search.model, seed)).set_params(**best_params)
    with quietly():
        model.fit(X_search, y_search)
        test_score = float(get_scorer(ht.SCORING)(model, X[test], y[test]))
        predicted_test = np.asarray(model.predict(X[test]), dtype=np.int64)  # (n_test,)
        predicted, top = grid_prediction(model, grid.points)
    wire_best = ht.wire_params(search, best_params)
    optimism = None if best_score is None else best_score - test_score
    matrix = confusion(y[test], predicted_test, n_classes)  # (K, K) true × predicted on the test rows
    state = {
        "best_params": wire_best,
        "best_score": best_score,
        "best_index": best_index,
        "test_score": test_score,
        "optimism": optimism,
        "n_fits": fits,
        "confusion": matrix.tolist(),
    }
    metrics = {"test_score": test_score} | ({} if best_score is None else {"best_so_far": best_score})
    visual: dict[str, Any] = {
        "predicted": predicted,
        "misclassified": test[predicted_test != y[test]],
        **panel,
        "best_position": np.array(ht.position(search, best_params)),
    }
    if top is not None:
        visual["probability"] = top
    caption = winner_story(
        ht.describe_params(search, best_params), best_score, len(cands), test_score, int(test.size), fits
    )
    yield Frame("winner", caption, state, metrics, visual=visual)
    return {
        "cv_results": columns,
        "best_params": wire_best,
        "best_score": best_score,
        "best_index": best_index,
        "test_score": test_score,
        "optimism": optimism,
        "strategy": search.strategy,
        "n_fits": fits,
        "classes": list(classes),
    }
