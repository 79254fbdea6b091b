"""DBSCAN engine: a hand case, scikit-learn's DBSCAN as the oracle, the waves and the k-distance curve."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs, make_moons

from app.core.frame import Frame, drain
from app.engines import dbscan


def _run(X: np.ndarray, eps: float, min_samples: int, seed: int = 0) -> tuple[list[Frame], dict[str, Any]]:
    return drain(dbscan.run(X, eps=eps, min_samples=min_samples, rng=np.random.default_rng(seed)))


def test_hand_case_core_border_noise() -> None:
    # Points 0–3 on a line one apart; 4 is 1.5 from 3; 5 is far away. eps = 1.1, min_samples = 3:
    # 1 and 2 have 3 neighbours (core); 0 and 3 have 2 but touch a core (border); 4 and 5 are noise.
    X = np.array([[0.0, 0], [1, 0], [2, 0], [3, 0], [4.5, 0], [10, 0]])
    frames, result = _run(X, 1.1, 3)
    assert frames[0].state["kinds"].tolist() == ["border", "core", "core", "border", "noise", "noise"]
    assert result["labels"].tolist() == [0, 0, 0, 0, -1, -1]
    assert result["core_sample_indices"].tolist() == [1, 2]
    assert result["n_clusters"] == 1 and result["n_noise"] == 2
    assert [f.kind for f in frames[:3]] == ["core", "border", "noise"] and frames[-1].kind == "done"
    expand = [f for f in frames if f.kind == "expand"]
    assert expand[0].state["frontier"].tolist() == [1]  # the lowest-numbered core point seeds the cluster
    assert sorted(expand[0].visual["reached"].tolist()) == [0, 1, 2]
    assert expand[1].state["frontier"].tolist() == [2]  # only the core point reached goes on expanding
    # k-distance: distance to the 3rd neighbour, itself first; sorted high → low.
    np.testing.assert_allclose(result["k_distances"], [7.0, 2.5, 2.0, 1.5, 1.0, 1.0])  # 5, 4, 0, 3, 1, 2


CASES = [
    ("moons", 0.2, 8),
    ("moons", 0.15, 5),
    ("moons", 0.3, 20),
    ("blobs", 0.5, 5),
    ("blobs", 1.0, 15),
    ("blobs", 0.3, 1),
    ("varied", 0.8, 10),
]


def _data(name: str) -> np.ndarray:
    if name == "moons":
        return make_moons(n_samples=300, noise=0.12, random_state=0)[0]
    if name == "varied":
        return make_blobs(n_samples=400, centers=3, cluster_std=[0.5, 1.5, 2.5], random_state=1)[0]
    return make_blobs(n_samples=400, centers=5, cluster_std=1.2, random_state=2)[0]


@pytest.mark.parametrize(("name", "eps", "min_samples"), CASES)
def test_matches_sklearn_dbscan(name: str, eps: float, min_samples: int) -> None:
    X = _data(name)
    _, result = _run(X, eps, min_samples)
    ref = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    labels = result["labels"]
    np.testing.assert_array_equal(result["core_sample_indices"], ref.core_sample_indices_)
    np.testing.assert_array_equal(labels == -1, ref.labels_ == -1)  # the same noise points
    core = ref.core_sample_indices_
    # The partition of core points is the same up to renaming: a one-to-one map between labels.
    pairs = set(zip(labels[core].tolist(), ref.labels_[core].tolist(), strict=True))
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})
    # Each border point sits in a cluster that has a core point within eps of it.
    is_core = np.zeros(len(X), dtype=bool)
    is_core[core] = True
    for i in np.flatnonzero(~is_core & (labels >= 0)):
        near = np.linalg.norm(X - X[i], axis=1) <= eps
        assert (near & is_core & (labels == labels[i])).any()
    assert result["n_clusters"] == len(set(ref.labels_.tolist()) - {-1})
    assert result["n_noise"] == int((ref.labels_ == -1).sum())


def test_k_distance_separates_core_points_at_eps() -> None:
    X = _data("moons")
    _, result = _run(X, 0.2, 8)
    kd = result["k_distances"]
    assert (np.diff(kd) <= 0).all()
    assert int((kd <= 0.2).sum()) == result["core_sample_indices"].size


def test_waves_expand_only_core_points_and_labels_only_grow() -> None:
    X = _data("moons")
    frames, result = _run(X, 0.2, 8)
    core = set(result["core_sample_indices"].tolist())
    previous = np.full(len(X), -1)
    for frame in frames:
        labels = frame.state["labels"]
        assert ((previous == -1) | (labels == previous)).all()  # a label, once given, never changes
        assert set(frame.state["frontier"].tolist()) <= core
        previous = labels
    np.testing.assert_array_equal(frames[-1].state["labels"], result["labels"])


def test_many_waves_are_thinned_and_bounded() -> None:
    X = make_blobs(n_samples=3000, centers=8, cluster_std=2.0, random_state=3)[0]
    frames, result = _run(X, 0.25, 6)
    assert len([f for f in frames if f.kind == "expand"]) <= dbscan.FRAME_LIMIT
    assert any(f.caption.startswith("(") for f in frames)  # a grouped frame says how many waves it folds
    ref = DBSCAN(eps=0.25, min_samples=6).fit(X)
    np.testing.assert_array_equal(result["labels"] == -1, ref.labels_ == -1)


def test_all_noise_when_nothing_is_dense() -> None:
    X = np.arange(10, dtype=float).reshape(5, 2) * 10
    frames, result = _run(X, 1.0, 2)
    assert result["n_clusters"] == 0 and result["n_noise"] == 5
    assert frames[-1].kind == "done" and "0 clusters" in frames[-1].caption
