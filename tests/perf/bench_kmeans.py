"""k-means engine vs scikit-learn's KMeans.fit on the same data, init and iteration count.

Run: ``python -m tests.perf.bench_kmeans``. Goal (issue 11): the engine with all its frames ≤ 1.5× scikit-learn's
``KMeans`` (lloyd, same explicit init, same iteration count, tol 0) at the same thread count on 20,000 × 2,
k = 8. The run service computes each engine on one thread, so the goal is judged with every thread pool
(BLAS, OpenMP) limited to 1; the 2-thread figures are printed too. Each block times all its cases in shuffled
order in the same rounds (``tests.perf.timing.interleaved``), with the load average beside each ratio.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from app.core.frame import drain
from app.engines import clustering
from tests.perf.timing import interleaved, ratio_line

N, K = 20_000, 8


def _cases(X: np.ndarray, init: np.ndarray, n_iter: int) -> dict[str, Callable[[], object]]:
    def sklearn_fit() -> object:
        return KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=n_iter).fit(X)

    def engine_frames() -> object:
        gen = clustering.run(
            X, k=K, init=init.tolist(), max_iter=n_iter, tol=0.0, elbow_max_k=0, rng=np.random.default_rng(0)
        )
        return drain(gen)

    def engine_fit() -> object:
        return clustering.fit(X, K, init.tolist(), n_iter, 0.0, np.random.default_rng(0))

    return {"sklearn": sklearn_fit, "frames": engine_frames, "fit": engine_fit}


def main() -> None:
    X, _ = make_blobs(n_samples=N, centers=K, cluster_std=2.5, random_state=0)
    init = X[np.random.default_rng(0).choice(len(X), size=K, replace=False)]
    ref = KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(X)
    n_iter = int(ref.n_iter_)
    frames, result = drain(
        clustering.run(
            X, k=K, init=init.tolist(), max_iter=n_iter, tol=0.0, elbow_max_k=0, rng=np.random.default_rng(0)
        )
    )
    same = bool((result["labels"] == ref.labels_).all()) and result["n_iter"] == n_iter
    print(
        f"k-means {N:,} x 2, k = {K}, {n_iter} iterations, same explicit init, tol 0 ({len(frames)} frames; "
        f"labels and n_iter identical to scikit-learn: {same})"
    )
    cases = _cases(X, init, n_iter)
    for threads in (1, 2):
        with threadpool_limits(threads):
            t = interleaved(cases, repeat=15)
        goal = 1.5 if threads == 1 else None
        tag = "1 thread (the service's)" if threads == 1 else "2 threads (sklearn's OpenMP, BLAS)"
        print(f"  {tag}: sklearn {t['sklearn'] * 1e3 / n_iter:.3f} ms/iter")
        print("    " + ratio_line("engine, all frames", t["frames"], t["sklearn"], goal))
        print("    " + ratio_line("engine fit, no frames", t["fit"], t["sklearn"], goal))


if __name__ == "__main__":
    main()
