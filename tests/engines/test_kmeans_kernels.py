"""k-means' compiled loops against the NumPy they replace, and the shortcuts around them (issue 11).

The kernels (``app/engines/kmeans_kernels.py``) must give what NumPy gives: labels = ``argmin`` of the
scores (the first centroid on a tie, also between repeated centroids, in every feature count), sums =
``bincount``'s; ``fit`` (which recycles its label buffers) ends where the framed run ends; ``distinct_points``
with a bound is ``np.unique``'s count, capped; and a run stops at ``checkpoint()`` in the elbow sweep too.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from app.core.budget import RunStopped, StopToken, stopping_at
from app.core.frame import drain
from app.engines import clustering, kmeans_kernels
from app.engines.kmeans_lloyd import Nearest, distinct_points, fit


def _numpy_labels(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """The pick as NumPy makes it: scores ‖c‖² − 2x·c for every point and centroid, then argmin."""
    X1 = np.hstack([X, np.ones((len(X), 1))])
    return np.asarray((X1 @ np.vstack([-2.0 * C.T, (C * C).sum(axis=1)])).argmin(axis=1))


@pytest.mark.parametrize("d", [1, 2, 3, 9])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nearest_labels_are_argmin_of_the_scores(d: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(500, d)) * 10.0
    C = X[rng.choice(500, size=7, replace=False)]
    assert np.array_equal(Nearest(X)(C), _numpy_labels(X, C))


@pytest.mark.parametrize("d", [2, 3])
def test_a_tie_goes_to_the_first_centroid_also_between_repeated_ones(d: int) -> None:
    rng = np.random.default_rng(3)
    X = np.round(rng.normal(size=(300, d)) * 3)  # integers: many exact ties between centroids
    C = np.vstack([X[:4], X[:4], np.full((12, d), 100.0)])  # 4 centroids repeated, then 12 identical far ones
    labels = Nearest(X)(C)
    assert labels.max() < 4, "a repeated centroid must never win over its first copy"
    assert np.array_equal(labels, _numpy_labels(X, C))
    far = np.full((19, d), 100.0)  # every centroid the same: every point to centroid 0
    assert (Nearest(X)(far) == 0).all()


def test_a_nan_score_falls_back_to_argmin() -> None:
    X = np.array([[1e200, 0.0], [0.0, 1.0], [2.0, 2.0], [-1e200, 3.0]])  # ‖c‖² overflows: scores turn NaN
    C = np.array([[0.0, 1.0], [1e200, 0.0], [2.0, 2.0]])
    with np.errstate(all="ignore"):
        assert np.array_equal(Nearest(X)(C), _numpy_labels(X, C))


@pytest.mark.parametrize("d", [1, 2, 5])
def test_cluster_sums_are_bincount_sums(d: int) -> None:
    rng = np.random.default_rng(d)
    X = rng.normal(size=(1000, d))
    labels = rng.integers(0, 6, size=1000).astype(np.intp)
    counts, sums = Nearest(X).sums(labels, 8)  # clusters 6 and 7 are empty
    assert np.array_equal(counts, np.bincount(labels, minlength=8).astype(float))
    expected = np.stack([np.bincount(labels, weights=X[:, j], minlength=8) for j in range(d)], axis=1)
    assert np.array_equal(sums, expected)  # the same order of additions: the same bits


def test_changed_points_are_the_indices_that_differ() -> None:
    rng = np.random.default_rng(0)
    before = rng.integers(0, 4, size=200).astype(np.intp)
    after = before.copy()
    after[[3, 50, 199]] = (after[[3, 50, 199]] + 1) % 4
    assert Nearest(np.zeros((200, 2))).moved(after, before).tolist() == [3, 50, 199]
    out = np.empty(200, dtype=np.intp)
    assert kmeans_kernels.changed_points(before, before, out) == 0


@pytest.mark.parametrize("init", ["k-means++", "random"])
@pytest.mark.parametrize("k", [1, 3, 8])
def test_fit_recycling_its_buffers_ends_where_the_framed_run_ends(init: str, k: int) -> None:
    X, _ = make_blobs(n_samples=400, centers=5, random_state=k)
    _, result = drain(
        clustering.run(X, k=k, init=init, max_iter=100, tol=0.0, elbow_max_k=0, rng=np.random.default_rng(7))
    )
    run_rng = np.random.default_rng(7).spawn(1)[0]  # run() draws its init from the first spawned generator
    stop = fit(X, k, init, 100, 0.0, run_rng)
    assert np.array_equal(stop.labels, result["labels"])
    assert np.array_equal(stop.centroids, result["centroids"])
    assert stop.wcss == result["wcss"] and stop.n_iter == result["n_iter"]


@pytest.mark.parametrize("at_most", [1, 3, 5, 50])
def test_distinct_points_with_a_bound_is_uniques_count_capped(at_most: int) -> None:
    X = np.array([[0.0, 1.0], [0.0, 1.0], [-0.0, 2.0], [0.0, 2.0], [3.0, 3.0], [0.0, 1.0], [4.0, 0.0]])
    exact = int(np.unique(X, axis=0).shape[0])  # 4: −0.0 equals 0.0
    assert distinct_points(X) == exact
    assert distinct_points(X, at_most=at_most) == min(exact, at_most)


def test_a_run_cancelled_after_its_last_frame_stops_in_the_elbow_sweep() -> None:
    X, _ = make_blobs(n_samples=300, centers=4, random_state=0)
    engine = clustering.run(
        X, k=3, init="k-means++", max_iter=100, tol=0.0, elbow_max_k=10, rng=np.random.default_rng(0)
    )
    token = StopToken()
    with stopping_at(token):
        frames = []
        for frame in engine:
            frames.append(frame)
            if frame.kind in ("converged", "stopped"):
                token.cancel()  # every frame is out: only the elbow fits are left
                break
        with pytest.raises(RunStopped):
            next(engine)
