"""The arithmetic of k-means: Lloyd's loop, k-means++ seeding and the helpers they share (no captions here).

``clustering.py`` turns what these yield into frames. Per iteration the passes over the points (nearest
centroid, cluster sums, who moved) are numba loops (``kmeans_kernels``), so the engine keeps pace with
scikit-learn's Cython ``KMeans`` on one thread (``python -m tests.perf.bench_kmeans``); the rest is O(k·d) NumPy.
Shapes: ``X`` (n, d); centroids ``C`` (k, d); labels (n,) intp.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from app.core.budget import checkpoint
from app.engines import kmeans_kernels as kernels

InitSpec = str | Sequence[Sequence[float]]


@dataclass(frozen=True)
class Step:
    """One half-iteration of Lloyd's loop, as the loop saw it."""

    kind: str  # "assign" | "update"
    iteration: int
    centroids: np.ndarray  # (k, d), the centroids after this half-step
    labels: np.ndarray  # (n,), a fresh array per iteration that the loop never writes again (unless reuse)
    wcss: float
    changed: int  # points assigned a (new) cluster in this assign: n in the first, 0 for update
    moved: np.ndarray  # (m,) indices of points that left one cluster for another
    previous: np.ndarray  # (k, d), centroids before this half-step
    empty: tuple[tuple[int, int], ...] = ()  # (cluster, point it was moved to) for emptied clusters


@dataclass(frozen=True)
class Stop:
    n_iter: int
    converged: bool
    reason: str  # "labels" | "tol" | "max_iter"
    centroids: np.ndarray
    labels: np.ndarray
    wcss: float
    shift: float = 0.0  # Σ squared centroid moves in the last update
    threshold: float = 0.0  # what the shift is compared with: tol × mean feature variance


@dataclass(frozen=True)
class Spread:
    """Two sums over X that the loop and the captions both need, computed once per run (each is a pass)."""

    x_sq_total: float  # Σ‖x‖²
    mean_variance: float  # the mean over features of the variance: ``tol`` is relative to it

    @classmethod
    def of(cls, X: np.ndarray) -> Spread:
        return cls(float(np.einsum("ij,ij->", X, X)), float(np.mean(np.var(X, axis=0))))


class Nearest:
    """Labels of each point's nearest centroid (the lowest index on a tie, as ``argmin``), for any number of
    centroids, the per-cluster sums of the points and who changed cluster: numba loops (``kmeans_kernels``).

    x̃·[−2c; ‖c‖²] = ‖x − c‖² − ‖x‖² with x̃ = [x, 1]: ‖x‖² is the same for every centroid, so the pick skips
    it. Labels go into a new array per call unless ``out`` is given (a frame keeps its labels; ``fit`` does not).
    """

    def __init__(self, X: np.ndarray) -> None:
        self._X = np.ascontiguousarray(X, dtype=np.float64)  # (n, d)
        self._moved = np.empty(X.shape[0], dtype=np.intp)  # (n,) indices of the points that changed cluster

    def __call__(self, C: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Labels (n,) of the nearest of the m centroids ``C`` (m, d)."""
        weights = np.vstack([-2.0 * C.T, (C * C).sum(axis=1)])  # (d+1, m)
        labels = np.empty(self._X.shape[0], dtype=np.intp) if out is None else out
        # In C order, the layout the kernel is compiled (and cached) for: vstack of transposes comes out F-ordered.
        # False: a score was NaN (overflowing data), so argmin's rule (the first NaN wins) decides instead.
        if not kernels.nearest_labels(self._X, np.ascontiguousarray(weights), labels):
            X1 = np.hstack([self._X, np.ones((self._X.shape[0], 1))])  # (n, d+1)
            labels[:] = (X1 @ weights).argmin(axis=1)
        return labels

    def sums(self, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Cluster sizes (k,) and per-cluster coordinate sums (k, d)."""
        counts, sums = np.empty(k), np.empty((k, self._X.shape[1]))
        kernels.cluster_sums(self._X, labels, counts, sums)
        return counts, sums

    def moved(self, labels: np.ndarray, before: np.ndarray) -> np.ndarray:
        """Indices (m,) of the points whose label differs from ``before``: a new array."""
        count = int(kernels.changed_points(labels, before, self._moved))
        return self._moved[:count].copy()


def wcss_from_sums(x_sq_total: float, C: np.ndarray, counts: np.ndarray, sums: np.ndarray) -> float:
    """Σᵢ‖xᵢ − c_{lᵢ}‖² = Σ‖x‖² − 2 Σⱼ cⱼ·Sⱼ + Σⱼ nⱼ‖cⱼ‖²: no pass over X (for the frames' WCSS)."""
    value = x_sq_total - 2.0 * float(np.einsum("kd,kd->", C, sums)) + float(counts @ (C * C).sum(axis=1))
    return max(value, 0.0)


def wcss(X: np.ndarray, C: np.ndarray, labels: np.ndarray) -> float:
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


def lloyd(
    X: np.ndarray,
    C0: np.ndarray,
    max_iter: int,
    tol: float,
    nearest: Nearest | None = None,
    reuse: bool = False,
    spread: Spread | None = None,
) -> Generator[Step, None, Stop]:
    """Lloyd's loop as scikit-learn runs it, yielding each assign and update half-step.

    ``tol`` is relative, as in scikit-learn: the loop stops when the summed squared centroid shift is
    at most ``tol × mean feature variance``; ``tol=0`` stops exactly when no label changes. ``nearest``
    (built on the same X) may be shared with the caller to reuse its buffers. ``reuse``: two label
    buffers take turns instead of a new array per iteration, so a step's labels are overwritten two iterations
    later (for ``fit``, which keeps only the ``Stop``: fresh memory per iteration costs as much as the pass).
    ``spread``: ``Spread.of(X)`` when the caller has it already.
    """
    k = C0.shape[0]
    nearest = Nearest(X) if nearest is None else nearest
    spread = Spread.of(X) if spread is None else spread
    x_sq_total = spread.x_sq_total
    abs_tol = spread.mean_variance * tol
    C = C0.copy()
    labels_old: np.ndarray | None = None
    reason, converged = "max_iter", False
    iteration = 0
    shift = 0.0
    buffers = [np.empty(X.shape[0], dtype=np.intp) for _ in range(2)] if reuse else []
    for iteration in range(1, max_iter + 1):
        checkpoint()  # a long loop stops here when its client has gone or its budget is spent
        labels = nearest(C, buffers[iteration % 2] if reuse else None)
        counts, sums = nearest.sums(labels, k)
        moved = np.zeros(0, dtype=np.intp) if labels_old is None else nearest.moved(labels, labels_old)
        changed = X.shape[0] if labels_old is None else moved.size
        value = wcss_from_sums(x_sq_total, C, counts, sums)
        yield Step("assign", iteration, C, labels, value, changed, moved, C)
        C_new, empty = _update(X, C, labels, counts, sums)
        shift = float(((C_new - C) ** 2).sum())
        if changed or empty or shift > 0.0:
            # A re-seeded point keeps its label (scikit-learn's rule), so then WCSS is summed point by point.
            value = wcss(X, C_new, labels) if empty else wcss_from_sums(x_sq_total, C_new, counts, sums)
            yield Step("update", iteration, C_new, labels, value, 0, moved[:0], C, empty)
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
    return Stop(iteration, converged, reason, C, labels, wcss(X, C, labels), shift, abs_tol)


def kmeans_plus_plus(
    X: np.ndarray, k: int, rng: np.random.Generator
) -> Iterator[tuple[int, np.ndarray, np.ndarray, bool]]:
    """k-means++ seeding, one pick at a time: yields (picked index, its sampling weights (n,), centroids so far,
    whether the pick was uniform because every D² was 0).

    When every point already sits on a chosen centroid (fewer distinct points than k), D² weighting has nothing
    to prefer: the pick is uniform over all points. (scikit-learn's searchsorted then takes point 0; either way
    the new centroid coincides with an old one.)
    """
    n = X.shape[0]
    checkpoint()
    first = int(rng.integers(n))
    weights = np.full(n, 1.0 / n)
    chosen = [first]
    d2 = ((X - X[first]) ** 2).sum(axis=1)  # (n,) squared distance to the nearest chosen centroid
    yield first, weights, X[chosen].copy(), True
    for _ in range(1, k):
        checkpoint()
        total = d2.sum()
        weights = d2 / total if total > 0 else np.full(n, 1.0 / n)
        pick = int(rng.choice(n, p=weights))
        chosen.append(pick)
        d2 = np.minimum(d2, ((X - X[pick]) ** 2).sum(axis=1))
        yield pick, weights, X[chosen].copy(), not total > 0


def initial_centroids(X: np.ndarray, k: int, init: InitSpec, rng: np.random.Generator) -> np.ndarray:
    if isinstance(init, str):
        if init == "random":
            return X[rng.choice(X.shape[0], size=k, replace=False)].copy()
        *_, (_, _, C, _) = kmeans_plus_plus(X, k, rng)
        return C
    return np.asarray(init, dtype=float).reshape(k, X.shape[1])


def fit(X: np.ndarray, k: int, init: InitSpec, max_iter: int, tol: float, rng: np.random.Generator) -> Stop:
    """k-means without frames (the elbow sweep and benchmarks use it)."""
    loop = lloyd(X, initial_centroids(X, k, init, rng), max_iter, tol, reuse=True)
    while True:  # the steps are dropped as they come: only the end matters here
        try:
            next(loop)
        except StopIteration as done:
            stop: Stop = done.value
            return stop


def distinct_points(X: np.ndarray, at_most: int | None = None) -> int:
    """How many different rows X has (k-means can make at most this many different clusters), counting no
    further than ``at_most``: min(distinct rows, at_most).

    With a bound (the captions only ask whether there are fewer than k), each distinct row found strikes out
    its copies in one vectorised pass, so the cost is at most ``at_most`` passes over X instead of sorting it
    (``np.unique`` on 20,000 rows costs as much as 25 Lloyd iterations). Rows compare with ``==``, as
    ``np.unique`` does (−0.0 equals 0.0).
    """
    n = X.shape[0]
    if at_most is None or at_most >= n:
        return int(np.unique(X, axis=0).shape[0])
    columns = np.ascontiguousarray(X.T)  # (d, n): each comparison runs along a contiguous column
    left = np.ones(n, dtype=bool)  # rows not yet matched to a distinct row found so far
    differs = np.empty(n, dtype=bool)
    found = 0
    while found < at_most:
        first = int(left.argmax())  # the first row still unmatched: a new distinct row
        if not left[first]:
            break
        found += 1
        np.not_equal(columns[0], columns[0, first], out=differs)
        for j in range(1, columns.shape[0]):
            differs |= columns[j] != columns[j, first]
        left &= differs
    return found
