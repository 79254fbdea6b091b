"""k-means (Lloyd's algorithm) written out step by step, with k-means++ seeding and the elbow sweep.

scikit-learn's ``KMeans`` hides its iterations, so the loop is written here in NumPy and tested against
it: with the same explicit init and ``tol=0`` the final centroids, labels and WCSS agree to 1e-9.
Shapes: ``X`` (n, d); centroids ``C`` (k, d); labels (n,) int.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from app.core.frame import Frame, drain
from app.core.text import num, percent, plural

InitSpec = str | Sequence[Sequence[float]]


@dataclass(frozen=True)
class _Step:
    """One half-iteration of Lloyd's loop, as the loop saw it."""

    kind: str  # "assign" | "update"
    iteration: int
    centroids: np.ndarray  # (k, d), the centroids after this half-step
    labels: np.ndarray  # (n,)
    wcss: float
    changed: int  # points assigned a (new) cluster in this assign: n in the first, 0 for update
    moved: np.ndarray  # (m,) indices of points that left one cluster for another
    previous: np.ndarray  # (k, d), centroids before this half-step
    empty: tuple[tuple[int, int], ...] = ()  # (cluster, point it was moved to) for emptied clusters


@dataclass(frozen=True)
class _Stop:
    n_iter: int
    converged: bool
    reason: str  # "labels" | "tol" | "max_iter"
    centroids: np.ndarray
    labels: np.ndarray
    wcss: float
    shift: float = 0.0  # Σ squared centroid moves in the last update
    threshold: float = 0.0  # what the shift is compared with: tol × mean feature variance


class _Nearest:
    """Labels of each point's nearest centroid: one BLAS product and an argmin per call.

    X gets a column of ones, so x̃·[−2c; ‖c‖²] = ‖x − c‖² − ‖x‖² comes out of the product whole; ‖x‖² is
    the same for every centroid, so the argmin skips it. The (n, k) score buffer is reused: a fresh
    megabyte per iteration costs more than the arithmetic.
    """

    def __init__(self, X: np.ndarray, k: int) -> None:
        n, d = X.shape
        self._X1 = np.empty((n, d + 1))  # (n, d+1)
        self._X1[:, :d] = X
        self._X1[:, d] = 1.0
        self._scores = np.empty((n, k))  # (n, k)

    def __call__(self, C: np.ndarray) -> np.ndarray:
        weights = np.vstack([-2.0 * C.T, (C * C).sum(axis=1)])  # (d+1, k)
        np.matmul(self._X1, weights, out=self._scores)
        return np.asarray(self._scores.argmin(axis=1))  # (n,), a new array


def _cluster_sums(X: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster sizes (k,) and per-cluster coordinate sums (k, d), bincount-style."""
    counts = np.bincount(labels, minlength=k).astype(float)
    sums = np.stack([np.bincount(labels, weights=X[:, j], minlength=k) for j in range(X.shape[1])], axis=1)
    return counts, sums


def _wcss_from_sums(x_sq_total: float, C: np.ndarray, counts: np.ndarray, sums: np.ndarray) -> float:
    """Σᵢ‖xᵢ − c_{lᵢ}‖² = Σ‖x‖² − 2 Σⱼ cⱼ·Sⱼ + Σⱼ nⱼ‖cⱼ‖²: no pass over X (for the frames' WCSS)."""
    value = x_sq_total - 2.0 * float(np.einsum("kd,kd->", C, sums)) + float(counts @ (C * C).sum(axis=1))
    return max(value, 0.0)


def _wcss(X: np.ndarray, C: np.ndarray, labels: np.ndarray) -> float:
    """The exact sum, point by point (the final WCSS, compared with scikit-learn's inertia)."""
    diff = X - C[labels]  # (n, d)
    return float(np.einsum("ij,ij->", diff, diff))


def _update(
    X: np.ndarray, C: np.ndarray, labels: np.ndarray, counts: np.ndarray, sums: np.ndarray
) -> tuple[np.ndarray, tuple[tuple[int, int], ...]]:
    """Move each centroid to the mean of its points. Returns centroids (k, d) and the re-seeds.

    An empty cluster is re-seeded at the point farthest from its own centroid (that point is taken out
    of its old cluster's mean), which is scikit-learn's rule, so an empty cluster never yields NaN. One
    departure: a point alone in its cluster is skipped, since taking it would empty that cluster (scikit-learn
    then leaves that centroid at the zero vector, the sum of no points). As n ≥ k, a cluster with two or more
    points always remains to give one.
    """
    empty_ids = np.flatnonzero(counts == 0)
    moves: list[tuple[int, int]] = []
    if empty_ids.size:
        counts, sums = counts.copy(), sums.copy()
        far = ((X - C[labels]) ** 2).sum(axis=1)  # (n,) distance of each point to its own centroid
        candidates = iter(np.argsort(-far, kind="stable").tolist())  # farthest first
        for cluster in empty_ids.tolist():
            point = next(p for p in candidates if counts[labels[p]] > 1)
            old = labels[point]
            sums[old] -= X[point]
            counts[old] -= 1
            sums[cluster] = X[point]
            counts[cluster] = 1
            moves.append((cluster, point))
    return sums / counts[:, None], tuple(moves)


def _lloyd(X: np.ndarray, C0: np.ndarray, max_iter: int, tol: float) -> Generator[_Step, None, _Stop]:
    """Lloyd's loop as scikit-learn runs it, yielding each assign and update half-step.

    ``tol`` is relative, as in scikit-learn: the loop stops when the summed squared centroid shift is
    at most ``tol × mean feature variance``; ``tol=0`` stops exactly when no label changes.
    """
    k = C0.shape[0]
    nearest = _Nearest(X, k)
    x_sq_total = float(np.einsum("ij,ij->", X, X))
    abs_tol = float(np.mean(np.var(X, axis=0))) * tol
    C = C0.copy()
    labels_old: np.ndarray | None = None
    reason, converged = "max_iter", False
    iteration = 0
    shift = 0.0
    for iteration in range(1, max_iter + 1):
        labels = nearest(C)
        counts, sums = _cluster_sums(X, labels, k)
        moved = np.zeros(0, dtype=int) if labels_old is None else np.flatnonzero(labels != labels_old)
        changed = X.shape[0] if labels_old is None else moved.size
        wcss = _wcss_from_sums(x_sq_total, C, counts, sums)
        yield _Step("assign", iteration, C, labels, wcss, changed, moved, C)
        C_new, empty = _update(X, C, labels, counts, sums)
        shift = float(((C_new - C) ** 2).sum())
        if changed or empty or shift > 0.0:
            # A re-seeded point keeps its label (scikit-learn's rule), so then WCSS is summed point by point.
            wcss = _wcss(X, C_new, labels) if empty else _wcss_from_sums(x_sq_total, C_new, counts, sums)
            yield _Step("update", iteration, C_new, labels, wcss, 0, moved[:0], C, empty)
        C = C_new
        if changed == 0 and labels_old is not None:
            reason, converged = "labels", True
            break
        if shift <= abs_tol:
            reason, converged = "tol", True
            break
        labels_old = labels
    if reason != "labels":
        # The centroids moved after the last assignment: label once more so labels match centroids.
        labels = nearest(C)
    return _Stop(iteration, converged, reason, C, labels, _wcss(X, C, labels), shift, abs_tol)


def _kmeans_plus_plus(
    X: np.ndarray, k: int, rng: np.random.Generator
) -> Iterator[tuple[int, np.ndarray, np.ndarray, bool]]:
    """k-means++ seeding, one pick at a time: yields (picked index, its sampling weights (n,), centroids so far,
    whether the pick was uniform because every D² was 0).

    When every point already sits on a chosen centroid (fewer distinct points than k), D² weighting has nothing
    to prefer: the pick is uniform over all points. (scikit-learn's searchsorted then takes point 0; either way
    the new centroid coincides with an old one.)
    """
    n = X.shape[0]
    first = int(rng.integers(n))
    weights = np.full(n, 1.0 / n)
    chosen = [first]
    d2 = ((X - X[first]) ** 2).sum(axis=1)  # (n,) squared distance to the nearest chosen centroid
    yield first, weights, X[chosen].copy(), True
    for _ in range(1, k):
        total = d2.sum()
        weights = d2 / total if total > 0 else np.full(n, 1.0 / n)
        pick = int(rng.choice(n, p=weights))
        chosen.append(pick)
        d2 = np.minimum(d2, ((X - X[pick]) ** 2).sum(axis=1))
        yield pick, weights, X[chosen].copy(), not total > 0


def _initial_centroids(X: np.ndarray, k: int, init: InitSpec, rng: np.random.Generator) -> np.ndarray:
    if isinstance(init, str):
        if init == "random":
            return X[rng.choice(X.shape[0], size=k, replace=False)].copy()
        *_, (_, _, C, _) = _kmeans_plus_plus(X, k, rng)
        return C
    return np.asarray(init, dtype=float).reshape(k, X.shape[1])


def fit(X: np.ndarray, k: int, init: InitSpec, max_iter: int, tol: float, rng: np.random.Generator) -> _Stop:
    """k-means without frames (the elbow sweep and benchmarks use it)."""
    _, stop = drain(_lloyd(X, _initial_centroids(X, k, init, rng), max_iter, tol))
    return stop


def _nearest(X: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, float]:
    labels = _Nearest(X, C.shape[0])(C)
    return labels, _wcss(X, C, labels)


def distinct_points(X: np.ndarray) -> int:
    """How many different rows X has: k-means can make at most this many different clusters."""
    return int(np.unique(X, axis=0).shape[0])


def _few_distinct(n_distinct: int, k: int) -> str:
    return (
        f" The data has only {plural(n_distinct, 'distinct point')}, fewer than k = {k}, so at least "
        f"{plural(k - n_distinct, 'centroid')} must coincide with another: k-means cannot find {k} different "
        "clusters here."
    )


def _init_frames(X: np.ndarray, k: int, init: InitSpec, rng: np.random.Generator) -> Iterator[Frame]:
    n = X.shape[0]
    n_distinct = distinct_points(X)
    if init == "k-means++":
        for j, (pick, weights, C, uniform) in enumerate(_kmeans_plus_plus(X, k, rng), start=1):
            labels, wcss = _nearest(X, C)
            if j == 1:
                how = f"chosen uniformly at random (probability 1/{n})"
            elif uniform:
                how = (
                    f"drawn uniformly (probability 1/{n}): every point already sits on a chosen centroid (all "
                    "D² = 0), so D² weighting has nothing to prefer and this centroid repeats an earlier one"
                )
            elif weights[pick] >= 1 - 1e-12:
                how = (
                    "the only point off the chosen centroids (every other D² is 0), so it is drawn for sure: "
                    "D² weighting never picks a point that already has a centroid"
                )
            else:
                how = (
                    f"drawn with probability {percent(float(weights[pick]), 2)}, its share of the total D² "
                    "(squared distance to the nearest chosen centroid): far points are likelier"
                )
            caption = (
                f"k-means++ pick {j} of {k}: point {pick} is {how}; the WCSS to the "
                f"{plural(j, 'chosen centroid')} is {num(wcss)}."
            )
            if j == 1 and n_distinct < k:
                caption += _few_distinct(n_distinct, k)
            state = {
                "centroids": C,
                "labels": labels,
                "wcss": wcss,
                "picked": pick,
                "pick_probability": float(weights[pick]),
            }
            yield Frame("init", caption, state, {"wcss": wcss, "changed": 0.0}, visual={"weights": weights.copy()})
        return
    C = _initial_centroids(X, k, init, rng)
    labels, wcss = _nearest(X, C)
    if init == "random":
        caption = f"Random init: {plural(k, 'data point')} picked at random (no row twice) as the starting centroids."
    else:
        caption = f"Manual init: starting from the {plural(k, 'centroid')} you placed."
    repeated = k - distinct_points(C)
    if repeated:
        caption += f" {plural(repeated, 'centroid')} repeat{'s' if repeated == 1 else ''} another's position."
    if n_distinct < k:
        caption += _few_distinct(n_distinct, k)
    yield Frame("init", caption, {"centroids": C, "labels": labels, "wcss": wcss}, {"wcss": wcss, "changed": 0.0})


def _step_caption(step: _Step, before: float, X: np.ndarray, threshold: float) -> str:
    n = X.shape[0]
    tiny = 1e-12 * float(np.einsum("ij,ij->", X, X))  # round-off of the WCSS sums: shown as 0
    before, after = (0.0 if v <= tiny else v for v in (before, step.wcss))
    wcss = f"WCSS {num(before)} → {num(after)}" if num(before) != num(after) else f"WCSS {num(after)}"
    if step.kind == "assign":
        if step.iteration == 1:
            moved = f"all {plural(n, 'point')} joined their nearest centroid"
        elif step.changed == 0:
            moved = "no point changed cluster, so the centroids will not move again"
        else:
            moved = f"{plural(step.changed, 'point')} changed cluster"
        return f"Iteration {step.iteration}, assign: {moved}; {wcss}."
    shift = np.sqrt(((step.centroids - step.previous) ** 2).sum(axis=1))  # (k,)
    shift[shift <= 1e-12 * max(float(np.abs(X).max()), 1e-300)] = 0.0  # a mean recomputed to round-off
    total = float((shift**2).sum())
    if shift.max() == 0:
        moves = "no centroid moved (each already sat on the mean of its points)"
    else:
        moves = (
            f"each centroid moved to the mean of its points (largest move {num(float(shift.max()), 3)}, "
            f"centroid {int(shift.argmax())}; the squared moves sum to {num(total, 3)}, and the loop stops "
            f"once that is at most {num(threshold, 3)})"
        )
    caption = f"Iteration {step.iteration}, update: {moves}; {wcss}."
    for cluster, point in step.empty:
        far = float(((X[point] - step.previous[step.labels[point]]) ** 2).sum())
        why = (
            "the point farthest from its own centroid (among points not alone in their cluster)"
            if far > 0
            else "the points that could be spared all sit exactly on their centroid, so the first is taken"
        )
        where = " (where it already was)" if shift[cluster] == 0 else ""
        caption += f" Cluster {cluster} was left empty, so its centroid was re-seeded at point {point}{where}: {why}."
    return caption


def _stop_caption(stop: _Stop, tol: float, n_distinct: int, k: int) -> str:
    after = f"after {plural(stop.n_iter, 'iteration')}"
    if stop.reason == "labels":
        why = f"Converged {after}: no point changed cluster"
    elif stop.reason == "tol" and stop.shift == 0:
        why = f"Converged {after}: the centroids did not move at all"
    elif stop.reason == "tol":
        why = (
            f"Converged {after}: the centroids' squared moves summed to {num(stop.shift, 3)}, at most "
            f"tol × the data's mean feature variance = {num(tol)} × {num(stop.threshold / tol, 4)} = "
            f"{num(stop.threshold, 3)} (tol is relative to the data's spread, as in scikit-learn)"
        )
    else:
        why = (
            f"Stopped at max_iter = {stop.n_iter} before converging: the last update's squared moves summed to "
            f"{num(stop.shift, 3)}, above the stopping threshold {num(stop.threshold, 3)}, and labels still changed"
        )
    caption = f"{why}. Final WCSS {num(stop.wcss)}."
    if n_distinct < k:
        caption += (
            f" Only {plural(n_distinct, 'distinct point')} for k = {k}: some clusters share a centroid "
            f"(scikit-learn warns that it found {plural(n_distinct, 'distinct cluster')}, fewer than "
            "n_clusters)."
        )
    return caption


def run(
    X: np.ndarray,
    *,
    k: int,
    init: InitSpec,
    max_iter: int,
    tol: float,
    elbow_max_k: int,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, object]]:
    """k-means frames: ``init`` (one per k-means++ pick), then ``assign`` / ``update`` pairs, then ``converged``.

    Assumes valid input (1 ≤ k ≤ n, an explicit init has k rows of d values). Returns the result dict.
    """
    run_rng, *elbow_rngs = rng.spawn(1 + elbow_max_k)
    wcss = np.inf
    for frame in _init_frames(X, k, init, run_rng):
        wcss = frame.metrics["wcss"]
        yield frame
    C0 = np.asarray(frame.state["centroids"])
    loop = _lloyd(X, C0, max_iter, tol)
    threshold = float(np.mean(np.var(X, axis=0))) * tol  # the stopping rule's bound on the squared shift
    while True:
        try:
            step = next(loop)
        except StopIteration as done:
            stop: _Stop = done.value
            break
        caption = _step_caption(step, wcss, X, threshold)
        wcss = step.wcss
        state: dict[str, object] = {
            "centroids": step.centroids.copy(),
            "labels": step.labels.copy(),
            "wcss": step.wcss,
            "iteration": step.iteration,
        }
        if step.kind == "assign":
            state["changed"] = step.moved.copy()  # indices of points that switched cluster
        else:
            state["previous_centroids"] = step.previous.copy()
        yield Frame(step.kind, caption, state, {"wcss": step.wcss, "changed": float(step.changed)})
    state = {
        "centroids": stop.centroids.copy(),
        "labels": stop.labels.copy(),
        "wcss": stop.wcss,
        "iteration": stop.n_iter,
        "converged": stop.converged,
    }
    caption = _stop_caption(stop, tol, distinct_points(X), k)
    # The kind says how the loop ended: "stopped" at max_iter is not convergence (as SVM's and the perceptron's).
    yield Frame("converged" if stop.converged else "stopped", caption, state, {"wcss": stop.wcss, "changed": 0.0})

    # Elbow: the same init method and seed for every k; manual init only fixes the chosen k, so the
    # others fall back to k-means++.
    elbow = []
    for j, k_rng in enumerate(elbow_rngs, start=1):
        if j > X.shape[0]:
            break
        if j == k:
            elbow.append({"k": j, "wcss": stop.wcss})
            continue
        method = init if isinstance(init, str) else "k-means++"
        elbow.append({"k": j, "wcss": fit(X, j, method, max_iter, tol, k_rng).wcss})
    return {
        "centroids": stop.centroids,
        "labels": stop.labels,
        "wcss": stop.wcss,
        "n_iter": stop.n_iter,
        "converged": stop.converged,
        "elbow": elbow,
    }
