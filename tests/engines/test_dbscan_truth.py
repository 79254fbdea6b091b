"""DBSCAN lab, issue 9: which cluster a border point joins (scikit-learn's first-cluster rule at defaults, the
nearest-core rule as an option), and captions that count right ("1 core point", the point itself)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.cluster import DBSCAN

from app.core.frame import Frame, drain
from app.engines import dbscan
from app.schemas.dbscan import DBSCANParams


def _run(X: np.ndarray, eps: float, min_samples: int, rule: Any = "first-cluster") -> tuple[list[Frame], dict]:
    return drain(dbscan.run(X, eps=eps, min_samples=min_samples, rng=np.random.default_rng(0), border_rule=rule))


# Cluster B (points 0–3) comes first in index order, cluster A (4–7) second; point 8 is a border point
# within eps = 0.9 of one core point of each: 2.0 (B, at 0.86) and 0.3 (A, at 0.84). It has 3 points within
# eps (itself, 0.3, 2.0) < min_samples = 4, so it is not core.
HAND = np.array([[2.0], [2.1], [2.2], [2.3], [0.0], [0.1], [0.2], [0.3], [1.14]])


def test_hand_case_first_cluster_rule_is_sklearns() -> None:
    frames, result = _run(HAND, 0.9, 4)
    assert frames[0].state["kinds"].tolist() == ["core"] * 8 + ["border"]
    assert result["labels"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 0]  # B reaches point 8 first
    np.testing.assert_array_equal(result["labels"], DBSCAN(eps=0.9, min_samples=4).fit(HAND).labels_)
    assert "first cluster that reaches it (scikit-learn's rule" in frames[1].caption
    assert "1 border point had core points of two or more clusters" in frames[-1].caption


def test_hand_case_nearest_core_rule_moves_the_border_point() -> None:
    frames, result = _run(HAND, 0.9, 4, "nearest-core")
    assert result["labels"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1]  # its nearest core point, 0.3, is in A
    reassign = [f for f in frames if f.kind == "reassign"]
    assert len(reassign) == 1 and reassign[0].state["moved"].tolist() == [8]
    assert "1 point changed cluster" in reassign[0].caption and "nearest core point" in frames[1].caption
    assert [f.kind for f in frames][-2:] == ["reassign", "done"]


@pytest.mark.parametrize("seed", range(6))
def test_property_every_border_point_joins_its_nearest_core_points_cluster(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(int(rng.integers(20, 80)), 2)) * rng.uniform(0.5, 2)
    eps, min_samples = float(rng.uniform(0.3, 0.8)), int(rng.integers(2, 7))
    _, first = _run(X, eps, min_samples)
    _, nearest = _run(X, eps, min_samples, "nearest-core")
    ref = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    np.testing.assert_array_equal(first["labels"], ref.labels_)  # defaults stay scikit-learn's
    core = ref.core_sample_indices_
    is_core = np.zeros(X.shape[0], dtype=bool)
    is_core[core] = True
    np.testing.assert_array_equal(nearest["labels"][is_core], first["labels"][is_core])  # cores do not move
    np.testing.assert_array_equal(nearest["labels"] == -1, ref.labels_ == -1)  # nor does noise
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    border = np.flatnonzero(~is_core & (ref.labels_ >= 0))
    for b in border:
        c = core[np.argmin(D[b, core])]
        assert D[b, c] <= eps and nearest["labels"][b] == nearest["labels"][c]


def test_param_defaults_to_sklearns_rule_and_accepts_nearest_core() -> None:
    assert DBSCANParams().border_rule == "first-cluster"
    assert DBSCANParams(border_rule="nearest-core").border_rule == "nearest-core"
    with pytest.raises(ValueError):
        DBSCANParams(border_rule="closest")  # type: ignore[arg-type]


def test_counts_are_singular_and_include_the_point_itself() -> None:
    X = np.array([[0.0, 0], [1, 0], [2, 0], [3, 0], [10, 0]])
    frames, _ = _run(X, 1.0, 3)
    text = " ".join(f.caption for f in frames)
    assert "1 noise point:" in text and "point 4 has only itself within eps" in text
    assert "1 core points" not in text and "1 neighbours" not in text and "1 new points" not in text
    assert "itself included" in frames[0].caption and "(itself and 2 others)" in frames[0].caption
    lone = np.array([[0.0, 0.0], [5.0, 5.0]])
    frames, _ = _run(lone, 1.0, 1)
    text = " ".join(f.caption for f in frames)
    assert "min_samples = 1 point within" in text and "No border points: with min_samples = 1" in text
    assert "this point alone" in text and "2 core points" in text


def test_nothing_dense_says_why_and_what_to_try() -> None:
    frames, _ = _run(np.array([[0.0, 0.0], [1.0, 0.0]]), 0.5, 2)
    assert frames[0].caption.startswith("No core points") and "larger eps" in frames[0].caption
    assert "0 clusters; all 2 points are noise" in frames[-1].caption
