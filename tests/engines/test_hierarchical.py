"""Hierarchical engine: a hand-computed merge history, SciPy as the oracle, the proximity matrices, divisive mode."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.cluster.hierarchy import cophenet, dendrogram, fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from app.core.frame import Frame, drain
from app.engines import divisive, hierarchical

METHODS = ["single", "complete", "average", "ward", "centroid", "median"]


def _run(X: np.ndarray, method: str = "ward", metric: str = "euclidean", **kw: Any) -> tuple[list[Frame], dict]:
    tree = hierarchical.build_tree(X, method, metric)
    args: dict[str, Any] = {"n_clusters": 2, "distance_threshold": None, "rng": np.random.default_rng(0)}
    args.update(kw)
    return drain(hierarchical.run(X, tree, **args))


def test_hand_case_single_linkage_on_a_line() -> None:
    X = np.array([[0.0], [1.0], [5.0], [7.0]])
    frames, result = _run(X, "single")
    # 0–1 at distance 1 → cluster 4; 2–3 at 2 → cluster 5; then 4–5 at 4 (from 1 to 5).
    np.testing.assert_array_equal(result["linkage_matrix"], [[0, 1, 1, 2], [2, 3, 2, 2], [4, 5, 4, 4]])
    assert [f.kind for f in frames] == ["merge", "merge", "merge", "cut"]
    assert [f.state["merged"] for f in frames[:3]] == [[0, 1], [2, 3], [4, 5]]
    assert [f.state["distance"] for f in frames[:3]] == [1.0, 2.0, 4.0]
    assert [f.state["n_clusters"] for f in frames[:3]] == [3, 2, 1]
    assert [f.state["size"] for f in frames[:3]] == [2, 2, 4]
    assert result["labels"].tolist() == [0, 0, 1, 1]
    # Cophenetic distances (1, 4, 4, 4, 4, 2) against the true ones (1, 5, 7, 4, 6, 2).
    expected = np.corrcoef([1, 4, 4, 4, 4, 2], [1, 5, 7, 4, 6, 2])[0, 1]
    assert result["cophenetic_correlation"] == pytest.approx(expected, abs=1e-12)
    assert frames[-1].state["cut_height"] == pytest.approx(3.0)  # between the merges at 2 and 4


@pytest.mark.parametrize("method", METHODS)
def test_linkage_leaves_labels_and_cophenet_match_scipy(method: str) -> None:
    X, _ = make_blobs(n_samples=120, centers=4, cluster_std=1.5, random_state=1)
    frames, result = _run(X, method, n_clusters=4)
    Z = linkage(X, method=method)
    np.testing.assert_array_equal(result["linkage_matrix"], Z)
    tree = hierarchical.build_tree(X, method, "euclidean")
    assert tree.leaves.tolist() == dendrogram(Z, no_plot=True)["leaves"]
    np.testing.assert_array_equal(result["labels"], fcluster(Z, 4, criterion="maxclust") - 1)
    assert result["cophenetic_correlation"] == pytest.approx(cophenet(Z, pdist(X))[0], abs=1e-10)
    assert len(frames) == 120  # 119 merges + the cut


@pytest.mark.parametrize("metric", ["cityblock", "cosine", "chebyshev"])
def test_other_metrics_match_scipy(metric: str) -> None:
    X, _ = make_blobs(n_samples=60, centers=3, random_state=2)
    _, result = _run(X, "average", metric)
    np.testing.assert_array_equal(result["linkage_matrix"], linkage(X, method="average", metric=metric))


def test_distance_threshold_cut_matches_fcluster() -> None:
    X, _ = make_blobs(n_samples=80, centers=3, random_state=3)
    _, result = _run(X, "complete", n_clusters=None, distance_threshold=4.0)
    Z = linkage(X, "complete")
    np.testing.assert_array_equal(result["labels"], fcluster(Z, 4.0, criterion="distance") - 1)


@pytest.mark.parametrize("method", METHODS)
def test_proximity_matrix_minimum_is_the_merge_scipy_made(method: str) -> None:
    X, _ = make_blobs(n_samples=25, centers=3, random_state=4)
    frames, _ = _run(X, method)
    for frame in frames[:-1]:
        ids, D = frame.visual["proximity_ids"], frame.visual["proximity"]
        assert D.shape == (ids.size, ids.size) == (25 - frame.state["merge"] + 1,) * 2
        off = D + np.diag(np.full(ids.size, np.inf))
        assert off.min() == pytest.approx(frame.state["distance"], rel=1e-9, abs=1e-12)
        r, c = np.unravel_index(off.argmin(), off.shape)
        assert {int(ids[r]), int(ids[c])} == set(frame.state["merged"])


def test_members_and_grouping_follow_the_merges() -> None:
    X, _ = make_blobs(n_samples=30, centers=2, random_state=5)
    frames, result = _run(X, "average")
    Z = result["linkage_matrix"]
    last = frames[-2]
    assert sorted(np.concatenate([last.visual["members_a"], last.visual["members_b"]]).tolist()) == list(range(30))
    a, b = last.state["merged"]
    sizes = [1 if c < 30 else int(Z[c - 30, 3]) for c in (a, b)]
    assert [last.visual["members_a"].size, last.visual["members_b"].size] == sizes
    assert not frames[0].visual["grouped"].any()


def test_many_points_are_thinned_keeping_the_last_merges() -> None:
    X, _ = make_blobs(n_samples=600, centers=4, random_state=6)
    frames, _ = _run(X, "ward")
    merges = [f.state["merge"] for f in frames if f.kind == "merge"]
    assert len(merges) == hierarchical.FRAME_LIMIT
    assert merges[-hierarchical.TAIL :] == list(range(600 - hierarchical.TAIL, 600))
    assert merges == sorted(set(merges)) and frames[-1].kind == "cut"
    assert "showing" in frames[1].caption


def test_inversions_are_said() -> None:
    X = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.8]])  # centroid linkage: the second merge is lower
    frames, result = _run(X, "centroid", n_clusters=1)
    Z = result["linkage_matrix"]
    assert Z[1, 2] < Z[0, 2]
    assert "inversion" in frames[1].caption


def test_divisive_finds_separated_blobs_and_heights_fall() -> None:
    X, y = make_blobs(n_samples=150, centers=[[-10, 0], [0, 10], [10, 0]], cluster_std=0.8, random_state=7)
    frames, result = drain(divisive.run_divisive(X, n_clusters=3, rng=np.random.default_rng(0)))
    assert [f.kind for f in frames] == ["start", "split", "split", "cut"]
    assert adjusted_rand_score(y, result["labels"]) == pytest.approx(1.0)
    sse = [f.metrics["sse"] for f in frames]
    assert sse == sorted(sse, reverse=True)
    heights = [f.state["distance"] for f in frames if f.kind == "split"]
    assert heights == sorted(heights, reverse=True)
    assert result["linkage_matrix"] is None and len(result["splits"]) == 2
    links = frames[-1].visual["links"]
    assert links.shape == (2, 2, 4) and links[0, 1, 1] == pytest.approx(heights[0])


def test_divisive_is_deterministic_for_a_seed() -> None:
    X, _ = make_blobs(n_samples=100, centers=5, random_state=8)
    a, _ = drain(divisive.run_divisive(X, n_clusters=5, rng=np.random.default_rng(3)))
    b, _ = drain(divisive.run_divisive(X, n_clusters=5, rng=np.random.default_rng(3)))
    assert [f.caption for f in a] == [f.caption for f in b]
