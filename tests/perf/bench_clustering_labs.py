"""Hierarchical and DBSCAN engines against the library call alone; time to first frame of the three labs.

Run: ``python -m tests.perf.bench_clustering_labs``. Goals: hierarchical on 2,000 points ≤ 1.2× SciPy's
``linkage`` alone; DBSCAN on 5,000 points ≤ 2× scikit-learn's ``DBSCAN.fit``; time to the first SSE frame at
defaults (figure=true, cache off) p95 ≤ 100 ms. The library and the lab are timed interleaved in the same rounds
(``tests.perf.timing``), the load average beside each ratio.
"""

from __future__ import annotations

import statistics
import time

import httpx
import numpy as np
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs

from app.core.frame import drain
from app.engines import dbscan, hierarchical
from tests.perf.bench_http import _serve
from tests.perf.timing import interleaved, ratio_line


def bench_hierarchical() -> None:
    X, _ = make_blobs(n_samples=2_000, centers=5, cluster_std=1.5, random_state=0)
    print("hierarchical, 2,000 x 2: build_tree + every frame + cut vs scipy linkage(X) alone")
    for method in ("single", "complete", "average", "ward", "centroid", "median"):

        def lab(method: str = method) -> object:
            tree = hierarchical.build_tree(X, method, "euclidean")
            return drain(hierarchical.run(X, tree, n_clusters=5, distance_threshold=None, rng=np.random.default_rng(0)))

        def tree_only(method: str = method) -> object:
            return hierarchical.build_tree(X, method, "euclidean")

        def ref(method: str = method) -> object:
            return linkage(X, method)

        t = interleaved({"ref": ref, "lab": lab, "tree": tree_only})
        print("  " + ratio_line(f"{method:9s} lab (every frame) vs scipy linkage", t["lab"], t["ref"], goal=1.2))
        print("  " + ratio_line(f"{method:9s} linkage + leaf order alone vs scipy", t["tree"], t["ref"]))


def bench_dbscan() -> None:
    X, _ = make_blobs(n_samples=5_000, centers=6, cluster_std=1.0, random_state=0)
    for eps, min_samples in ((0.3, 10), (0.5, 5)):
        ref = DBSCAN(eps=eps, min_samples=min_samples).fit(X)

        def sk(eps: float = eps, ms: int = min_samples) -> object:
            return DBSCAN(eps=eps, min_samples=ms).fit(X)

        def lab(eps: float = eps, ms: int = min_samples) -> object:
            return drain(dbscan.run(X, eps=eps, min_samples=ms, rng=np.random.default_rng(0)))

        t = interleaved({"sk": sk, "lab": lab})
        frames, result = drain(dbscan.run(X, eps=eps, min_samples=min_samples, rng=np.random.default_rng(0)))
        same = bool((result["labels"] == ref.labels_).all())
        label = f"dbscan 5,000 x 2, eps {eps}, min_samples {min_samples}, lab (all {len(frames)} frames) vs sklearn"
        print(ratio_line(label, t["lab"], t["sk"], goal=2.0) + f", labels identical: {same}")


def bench_first_frame(runs: int = 40) -> None:
    base, server = _serve()
    with httpx.Client(base_url=base, timeout=30) as client:
        for algorithm in ("hierarchical", "dbscan", "pca"):
            times = []
            for seed in range(runs + 5):
                start = time.perf_counter()
                with client.stream(
                    "POST",
                    f"/api/v1/algorithms/{algorithm}/runs?figure=true",
                    json={"seed": seed},
                    headers={"Accept": "text/event-stream"},
                ) as response:
                    for line in response.iter_lines():
                        if line.startswith("event: frame"):
                            times.append(time.perf_counter() - start)
                            break
            times = sorted(times[5:])  # the first few warm up imports and caches
            p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
            print(
                f"time to first SSE frame, {algorithm:12s} defaults: p50 {p50 * 1e3:5.1f} ms, "
                f"p95 {p95 * 1e3:5.1f} ms (goal p95 <= 100 ms)"
            )
    server.should_exit = True


def main() -> None:
    bench_hierarchical()
    bench_dbscan()
    bench_first_frame()


if __name__ == "__main__":
    main()
