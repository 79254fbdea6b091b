"""Hierarchical lab, issue 9: the cut by merge count (centroid / median inversions, ties), divisive mode on
duplicate points, and the cophenetic correlation where it is undefined. Each repro of the issue is a test."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage

from app.catalog import get_algorithm
from app.core.frame import Frame, drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import divisive, hierarchical

METHODS = ["single", "complete", "average", "ward", "centroid", "median"]


def _lab(params: dict[str, Any], seed: int = 0) -> tuple[list[Frame], dict[str, Any]]:
    """Run the lab as the service does: params model → prepare → engine."""
    algorithm = get_algorithm("hierarchical")
    assert algorithm is not None
    p = algorithm.params_model.model_validate(params)
    inputs = algorithm.prepare(p, DEFAULT_LIMITS)
    return drain(algorithm.engine(inputs, p, np.random.default_rng(seed)))


def _replay(Z: np.ndarray, k: int) -> np.ndarray:
    """Union-find over the first n − k merges of Z: the partition a cut into k clusters must give."""
    n = Z.shape[0] + 1
    parent = list(range(2 * n - 1))

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    for i in range(n - k):
        for child in Z[i, :2].astype(int):
            parent[find(int(child))] = n + i
    roots = [find(p) for p in range(n)]
    return np.unique(roots, return_inverse=True)[1]


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(set(a.tolist())) == len(set(b.tolist()))


def _no_nan(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_no_nan(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_no_nan(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind != "f" or bool(np.isfinite(value).all())
    if isinstance(value, float):
        return math.isfinite(value)
    return True


@pytest.mark.parametrize("method", METHODS)
def test_cut_gives_exactly_k_clusters_equal_to_the_replay_of_n_minus_k_merges(method: str) -> None:
    rng = np.random.default_rng(11)
    checked_plain = 0
    for _ in range(40):
        n = int(rng.integers(2, 25))
        X = rng.normal(size=(n, 2))
        if rng.random() < 0.3:  # duplicates and a lattice: ties
            X = np.round(X * 2) / 2
        Z = linkage(X, method)
        plain = bool(np.all(np.diff(Z[:, 2]) > 0))  # no inversion, no tie
        for k in range(1, n + 1):
            labels = hierarchical.cut_labels(Z, k, None)
            assert sorted(set(labels.tolist())) == list(range(k))
            assert _same_partition(labels, _replay(Z, k))
            if plain:
                np.testing.assert_array_equal(labels, fcluster(Z, k, criterion="maxclust") - 1)
                checked_plain += 1
    assert checked_plain > 0


def test_repro_centroid_linkage_cuts_into_two_clusters_not_one() -> None:
    frames, result = _lab(
        {"dataset": {"name": "uniform", "n_samples": 40, "seed": 2}, "linkage": "centroid", "n_clusters": 2}
    )
    cut = frames[-1]
    assert cut.state["n_clusters"] == 2 and sorted(set(result["labels"].tolist())) == [0, 1]
    Z = result["linkage_matrix"]
    assert _same_partition(result["labels"], _replay(Z, 2))
    assert fcluster(Z, 2, criterion="maxclust").max() == 1  # what the old cut returned: one cluster
    assert "Cut into 2 clusters" in cut.caption and "1 cluster." not in cut.caption
    assert "inversion" in cut.caption  # the next merge is lower than one kept: no horizontal line gives 2


def test_repro_tied_heights_cut_and_undefined_cophenetic_correlation() -> None:
    line = {"X": [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0]]}
    frames, result = _lab({"dataset": line, "linkage": "single", "n_clusters": 3})
    cut = frames[-1]
    assert cut.state["n_clusters"] == 3 and len(set(result["labels"].tolist())) == 3
    assert cut.state["cophenetic_correlation"] is None and result["cophenetic_correlation"] is None
    assert "nan" not in cut.caption.lower() and "undefined" in cut.caption and "tied" in cut.caption
    assert all(_no_nan(f.state) and _no_nan(f.metrics) for f in frames)
    assert "tied with 4 other pairs" in frames[0].caption  # five neighbours at distance 1
    frames2, _ = _lab({"dataset": line, "linkage": "single", "n_clusters": 2})
    assert frames2[-1].state["n_clusters"] == 2 and "1 clusters" not in frames2[-1].caption
    assert "undo the last merge" in frames2[-1].caption


def test_cut_into_one_and_into_n_clusters_say_what_happens() -> None:
    X = {"X": [[0, 0], [1, 0], [3, 0]]}
    one = _lab({"dataset": X, "n_clusters": 1})[0][-1]
    assert one.state["n_clusters"] == 1 and "form 1 cluster" in one.caption
    every = _lab({"dataset": X, "n_clusters": 3})[0][-1]
    assert every.state["n_clusters"] == 3 and "its own cluster" in every.caption


def test_cut_line_sits_in_the_gap_only_when_there_is_one() -> None:
    Z = linkage(np.array([[0.0], [1.0], [5.0], [7.0]]), "single")  # heights 1, 2, 4
    assert hierarchical.cut_height(Z, 2, None) == pytest.approx(3.0)
    assert hierarchical.cut_gap(Z, 2) == (2.0, 4.0)
    tied = linkage(np.arange(6.0)[:, None], "single")  # all heights 1
    assert hierarchical.cut_height(tied, 3, None) == pytest.approx(1.0)


def test_cophenetic_correlation_undefined_cases_are_none_with_a_reason() -> None:
    two = hierarchical.build_tree(np.array([[0.0, 0.0], [1.0, 1.0]]), "average", "euclidean")
    assert hierarchical.cophenetic_correlation(two) is None
    assert "only one pair" in hierarchical.cophenetic_note(two, None)
    square = hierarchical.build_tree(
        np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]]), "single", "euclidean"
    )  # equilateral: every distance equal
    assert hierarchical.cophenetic_correlation(square) is None
    assert "same distance apart" in hierarchical.cophenetic_note(square, None)


def test_repro_divisive_with_duplicates_never_splits_an_unsplittable_cluster() -> None:
    frames, result = _lab(
        {"mode": "divisive", "n_clusters": 3, "dataset": {"X": [[0, 0], [0, 0], [0, 0], [0, 0], [5, 5]]}}
    )
    assert [f.kind for f in frames] == ["start", "split", "cut"]
    labels = result["labels"]
    assert np.bincount(labels).min() >= 1 and labels.max() == 1  # two clusters, none empty
    assert [s["sizes"] for s in result["splits"]] == [[1, 4]] or [s["sizes"] for s in result["splits"]] == [[4, 1]]
    cut = frames[-1]
    assert cut.state["n_clusters"] == 2 and cut.metrics["n_clusters"] == 2.0
    assert "Stopped at 2 clusters, not the 3 asked for" in cut.caption and "2 distinct points" in cut.caption


def test_divisive_property_every_split_divides_distinct_points_into_two_nonempty_halves() -> None:
    rng = np.random.default_rng(5)
    for _ in range(25):
        n = int(rng.integers(2, 9))
        X = rng.integers(0, 3, size=(n, 2)).astype(float)  # many duplicates
        k = int(rng.integers(1, n + 1))
        frames, result = drain(divisive.run_divisive(X, n_clusters=k, rng=np.random.default_rng(0)))
        distinct = np.unique(X, axis=0).shape[0]
        assert frames[-1].state["n_clusters"] == min(k, distinct) == len(result["splits"]) + 1
        assert all(min(s["sizes"]) >= 1 for s in result["splits"])
        labels = result["labels"]
        assert set(labels.tolist()) == set(range(min(k, distinct)))
        for c in set(labels.tolist()):  # a cluster never holds copies of one point split apart
            for other in set(labels.tolist()) - {c}:
                assert not (set(map(tuple, X[labels == c])) & set(map(tuple, X[labels == other])))
        assert all("1 points" not in f.caption and "nan" not in f.caption for f in frames)


def test_divisive_scene_has_as_many_slots_as_clusters_made() -> None:
    algorithm = get_algorithm("hierarchical")
    assert algorithm is not None
    p = algorithm.params_model.model_validate(
        {"mode": "divisive", "n_clusters": 4, "dataset": {"X": [[0, 0], [0, 0], [0, 0], [5, 5]]}}
    )
    inputs = algorithm.prepare(p, DEFAULT_LIMITS)
    scene = algorithm.view.scene(inputs, p)
    assert scene["layout"]["xaxis2"]["range"] == [-0.6, 1.6]  # 2 clusters, not 4
    frames, _ = drain(algorithm.engine(inputs, p, np.random.default_rng(0)))
    for frame in frames:
        algorithm.view.render(frame, inputs, p)


def test_ward_height_is_what_the_first_caption_says() -> None:
    """√(2 × rise in within-cluster SSE): the definition the first merge caption gives, checked on SciPy's Z."""
    X = np.random.default_rng(2).normal(size=(12, 2))
    tree = hierarchical.build_tree(X, "ward", "euclidean")
    for i in range(11):
        a, b = (tree.members(int(c)) for c in tree.Z[i, :2])
        both = np.concatenate([a, b])

        def sse(ids: np.ndarray) -> float:
            return float(((X[ids] - X[ids].mean(axis=0)) ** 2).sum())

        assert tree.Z[i, 2] == pytest.approx(np.sqrt(2 * (sse(both) - sse(a) - sse(b))), rel=1e-9)
    frames, _ = drain(hierarchical.run(X, tree, n_clusters=2, distance_threshold=None, rng=np.random.default_rng(0)))
    assert "√(2 × how much merging them would raise the within-cluster sum of squares)" in frames[0].caption
    assert "Under ward linkage" not in frames[1].caption  # said once, not every frame
