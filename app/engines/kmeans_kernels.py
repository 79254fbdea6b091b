"""The two passes over the points of one Lloyd iteration, compiled with numba (single-threaded, cached on disk).

NumPy needs ~12 array passes per iteration (a BLAS product into an (n, k) score table, a pick per point, one
``bincount`` per coordinate); scikit-learn's Cython loop does it in one. These loops are that one pass, so the
engine keeps pace with ``KMeans`` on one thread (``python -m tests.perf.bench_kmeans``). Arithmetic is spelled out
to give what the NumPy version gave, bit for bit: each score is x·(−2c) + ‖c‖² summed left to right (the
order of the BLAS product over [x, 1]), a tie goes to the lowest index (``argmin``'s rule), sums run in point
order (``bincount``'s). Compiled at the first call, then loaded from numba's cache (``NUMBA_CACHE_DIR``, or
``__pycache__`` beside this file); the service's start-up prime makes that first call.

Shapes: ``X`` (n, d) float64 C-contiguous; ``W`` (d+1, m) float64, rows −2·cⱼ then ‖cⱼ‖²; labels (n,) int64.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, boundscheck=False)
def nearest_labels(X: np.ndarray, W: np.ndarray, labels: np.ndarray) -> bool:
    """Write each point's nearest centroid into ``labels``; False when a score was NaN (then the caller falls
    back to ``argmin``, which picks the first NaN: overflowing data only)."""
    n, d = X.shape
    m = W.shape[1]
    nan = False
    if d == 2:  # the common case, unrolled; the same sums as the general loop below
        a, b, c = W[0].copy(), W[1].copy(), W[2].copy()
        for i in range(n):
            x0, x1 = X[i, 0], X[i, 1]
            best = x0 * a[0] + x1 * b[0] + c[0]
            nan |= best != best
            label = 0
            for j in range(1, m):
                score = x0 * a[j] + x1 * b[j] + c[j]
                nan |= score != score
                better = score < best  # strict: the first of equal scores keeps the point
                best = score if better else best
                label = j if better else label
            labels[i] = label
        return not nan
    for i in range(n):
        label = 0
        best = 0.0
        for j in range(m):
            score = X[i, 0] * W[0, j]
            for p in range(1, d):
                score += X[i, p] * W[p, j]
            score += W[d, j]
            nan |= score != score
            better = j == 0 or score < best
            best = score if better else best
            label = j if better else label
        labels[i] = label
    return not nan


@njit(cache=True, nogil=True, boundscheck=False)
def cluster_sums(X: np.ndarray, labels: np.ndarray, counts: np.ndarray, sums: np.ndarray) -> None:
    """Cluster sizes into ``counts`` (k,) float and coordinate sums into ``sums`` (k, d), in point order."""
    n, d = X.shape
    counts[:] = 0.0
    sums[:, :] = 0.0
    for i in range(n):
        label = labels[i]
        counts[label] += 1.0
        for p in range(d):
            sums[label, p] += X[i, p]


@njit(cache=True, nogil=True, boundscheck=False)
def changed_points(labels: np.ndarray, before: np.ndarray, moved: np.ndarray) -> int:
    """Indices of the points whose label differs from ``before``, into ``moved`` (n,); returns how many."""
    count = 0
    for i in range(labels.shape[0]):
        if labels[i] != before[i]:
            moved[count] = i
            count += 1
    return count


def warm() -> None:
    """Compile (or load from the cache) every kernel for the argument types the engine passes: the Docker
    build calls this so that no worker compiles (``python -m app.engines.kmeans_kernels``)."""
    labels = np.zeros(3, dtype=np.intp)
    for d in (2, 3):  # the unrolled 2-D path and the general one (one compiled function serves both)
        for writeable in (True, False):  # numba types a read-only array apart (datasets may freeze theirs)
            X = np.zeros((3, d))
            X.setflags(write=writeable)
            nearest_labels(X, np.zeros((d + 1, 2)), labels)
            cluster_sums(X, labels, np.zeros(2), np.zeros((2, d)))
    changed_points(labels, labels, np.zeros(3, dtype=np.intp))


if __name__ == "__main__":
    warm()
