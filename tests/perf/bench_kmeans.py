"""k-means engine vs scikit-learn's KMeans.fit on the same data, init and iteration count.

Run: ``python -m tests.perf.bench_kmeans``. Prints per-iteration times and their ratio (goal ≤ 1.5×).
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from app.engines import clustering
from tests.perf.timing import best_of


def main() -> None:
    X, _ = make_blobs(n_samples=20_000, centers=8, cluster_std=2.5, random_state=0)
    init = X[np.random.default_rng(0).choice(len(X), size=8, replace=False)]
    ref = KMeans(n_clusters=8, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(X)
    n_iter = int(ref.n_iter_)

    def sklearn_fit() -> object:
        return KMeans(n_clusters=8, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=n_iter).fit(X)

    def engine_frames() -> object:
        gen = clustering.run(
            X, k=8, init=init.tolist(), max_iter=n_iter, tol=0.0, elbow_max_k=0, rng=np.random.default_rng(0)
        )
        return list(gen)

    def engine_fit() -> object:
        return clustering.fit(X, 8, init.tolist(), n_iter, 0.0, np.random.default_rng(0))

    t_ref, t_frames, t_fit = best_of(sklearn_fit), best_of(engine_frames), best_of(engine_fit)
    print(f"k-means 20,000 x 2, k = 8, {n_iter} iterations, same explicit init")
    print(f"  sklearn KMeans.fit        {t_ref * 1e3 / n_iter:7.3f} ms/iter")
    print(f"  engine (all frames)       {t_frames * 1e3 / n_iter:7.3f} ms/iter   ratio {t_frames / t_ref:5.2f}x")
    print(f"  engine fit (no frames)    {t_fit * 1e3 / n_iter:7.3f} ms/iter   ratio {t_fit / t_ref:5.2f}x")


if __name__ == "__main__":
    main()
