"""k-means engine: a hand-computed case, scikit-learn as the oracle, and the edge cases."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from app.core.frame import Frame, drain
from app.engines import clustering


def _run(X: np.ndarray, **kw: Any) -> tuple[list[Frame], dict[str, Any]]:
    args: dict[str, Any] = {
        "k": 2,
        "init": "k-means++",
        "max_iter": 100,
        "tol": 0.0,
        "elbow_max_k": 0,
        "rng": np.random.default_rng(0),
    }
    args.update(kw)
    return drain(clustering.run(X, **args))


def test_four_point_hand_case() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [4.0, 1.0]])
    frames, result = _run(X, init=[[0.0, 0.0], [4.0, 0.0]])
    # Assign: (0,0),(0,1) → centroid 0; (4,0),(4,1) → centroid 1. Update: means (0, .5) and (4, .5).
    # WCSS = 4 × 0.5² = 1. Next assign changes nothing → converged after 2 iterations.
    np.testing.assert_allclose(result["centroids"], [[0.0, 0.5], [4.0, 0.5]])
    assert result["labels"].tolist() == [0, 0, 1, 1]
    assert result["wcss"] == pytest.approx(1.0)
    assert result["converged"] is True and result["n_iter"] == 2
    assert [f.kind for f in frames] == ["init", "assign", "update", "assign", "converged"]
    assert frames[1].state["wcss"] == pytest.approx(2.0)  # (0,1) and (4,1) are 1 from their centroids
    assert frames[2].metrics["wcss"] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("k", [2, 5, 8])
def test_matches_sklearn_lloyd_with_explicit_init(seed: int, k: int) -> None:
    X, _ = make_blobs(n_samples=500, centers=6, cluster_std=1.5, random_state=seed)
    init = X[np.random.default_rng(seed).choice(len(X), size=k, replace=False)]
    _, result = _run(X, k=k, init=init.tolist(), max_iter=300)
    ref = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(X)
    np.testing.assert_allclose(result["centroids"], ref.cluster_centers_, rtol=0, atol=1e-9)
    assert (result["labels"] == ref.labels_).all()
    assert result["wcss"] == pytest.approx(ref.inertia_, rel=1e-9, abs=1e-9)
    assert result["n_iter"] == ref.n_iter_


def test_matches_sklearn_with_tolerance() -> None:
    X, _ = make_blobs(n_samples=400, centers=5, random_state=7)
    init = X[:5]
    _, result = _run(X, k=5, init=init.tolist(), tol=1e-2)
    ref = KMeans(n_clusters=5, init=init, n_init=1, algorithm="lloyd", tol=1e-2).fit(X)
    np.testing.assert_allclose(result["centroids"], ref.cluster_centers_, atol=1e-9)
    assert result["n_iter"] == ref.n_iter_


def test_empty_cluster_is_reseeded_and_said() -> None:
    # Centroid 2 starts far from every point, so no point picks it: it must be re-seeded, not NaN.
    X = np.array([[0.0, 0.0], [0.2, 0.0], [5.0, 5.0], [5.2, 5.0], [10.0, 0.0]])
    frames, result = _run(X, k=3, init=[[0.0, 0.0], [5.0, 5.0], [100.0, 100.0]])
    assert np.isfinite(result["centroids"]).all()
    assert any("left empty" in f.caption for f in frames)
    ref = KMeans(
        n_clusters=3, init=np.array([[0.0, 0.0], [5.0, 5.0], [100.0, 100.0]]), n_init=1, algorithm="lloyd", tol=0
    ).fit(X)
    assert result["wcss"] == pytest.approx(ref.inertia_)


def test_kmeans_plus_plus_one_frame_per_pick_with_d2_weights() -> None:
    X, _ = make_blobs(n_samples=200, centers=4, random_state=0)
    frames, _ = _run(X, k=4)
    picks = [f for f in frames if f.kind == "init"]
    assert len(picks) == 4
    for j, frame in enumerate(picks, start=1):
        assert frame.state["centroids"].shape == (j, 2)
        assert frame.visual["weights"].sum() == pytest.approx(1.0)
    # A point already chosen has zero weight for the next pick.
    first = picks[0].state["picked"]
    assert picks[1].visual["weights"][first] == 0.0


def test_elbow_is_decreasing_and_matches_the_run_at_k() -> None:
    X, _ = make_blobs(n_samples=300, centers=4, random_state=0)
    _, result = _run(X, k=4, elbow_max_k=8)
    ks = [row["k"] for row in result["elbow"]]
    assert ks == list(range(1, 9))
    assert result["elbow"][3]["wcss"] == result["wcss"]
    wcss = [row["wcss"] for row in result["elbow"]]
    assert wcss[0] == pytest.approx(((X - X.mean(axis=0)) ** 2).sum())  # k = 1: the total sum of squares
    assert wcss[0] > wcss[1] > wcss[3]


def test_frames_never_alias_engine_buffers() -> None:
    X, _ = make_blobs(n_samples=100, centers=3, random_state=0)
    frames, _ = _run(X, k=3)
    arrays = [v for f in frames for v in f.state.values() if isinstance(v, np.ndarray)]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert not np.shares_memory(a, b)


def test_max_iter_stops_unconverged() -> None:
    X, _ = make_blobs(n_samples=300, centers=8, cluster_std=3.0, random_state=3)
    frames, result = _run(X, k=8, init="random", max_iter=1)
    assert result["n_iter"] == 1 and result["converged"] is False
    assert "max_iter" in frames[-1].caption
    assert frames[-1].kind == "stopped", "a run cut off at max_iter must not be labelled converged"


def test_same_seed_same_frames() -> None:
    X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
    a, _ = _run(X, k=3, rng=np.random.default_rng(5))
    b, _ = _run(X, k=3, rng=np.random.default_rng(5))
    assert [f.caption for f in a] == [f.caption for f in b]
