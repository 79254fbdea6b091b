"""k-means lab, issue 9: the relative tol said with the number it is compared with, and what k-means++ and
Lloyd really do when there are fewer distinct points than k (scikit-learn as the oracle)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from app.core.frame import drain
from app.engines import clustering
from app.schemas.clustering import KMeansParams
from app.schemas.datasets import load_dataset


def _run(X: np.ndarray, **kw: object) -> tuple[list, dict]:
    args: dict[str, object] = {
        "k": 4,
        "init": "k-means++",
        "max_iter": 100,
        "tol": 1e-4,
        "elbow_max_k": 0,
        "rng": np.random.default_rng(0),
    }
    args.update(kw)
    return drain(clustering.run(X, **args))  # type: ignore[arg-type]


def test_repro_tol_caption_gives_the_relative_threshold_it_was_compared_with() -> None:
    X = load_dataset(KMeansParams().dataset).X
    frames, _ = _run(X, tol=0.01)
    stop = frames[-1]
    threshold = 0.01 * float(np.mean(np.var(X, axis=0)))
    assert stop.kind == "converged" and "relative" in stop.caption
    assert f"= {threshold:.3g}" in stop.caption  # tol × mean feature variance, the number compared
    last_update = [f for f in frames if f.kind == "update"][-1]
    shift = float(((last_update.state["centroids"] - last_update.state["previous_centroids"]) ** 2).sum())
    assert shift <= threshold
    assert f"summed to {shift:.3g}" in stop.caption
    assert "moved less than tol" not in stop.caption
    assert f"at most {threshold:.3g}" in last_update.caption  # every update says what the loop compares


def test_converged_after_one_iteration_is_singular() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    frames, _ = _run(X, k=2, init=[[0.0, 0.5], [10.0, 0.5]])
    assert "after 1 iteration:" in frames[-1].caption or "after 1 iteration " in frames[-1].caption
    assert not re.search(r"\b1 iterations\b", " ".join(f.caption for f in frames))


def test_repro_all_identical_points_say_uniform_pick_and_too_few_distinct_points() -> None:
    X = np.ones((4, 2))
    frames, result = _run(X, k=3)
    picks = [f for f in frames if f.kind == "init"]
    assert "only 1 distinct point, fewer than k = 3" in picks[0].caption
    for frame in picks[1:]:
        assert "all D² = 0" in frame.caption and "uniformly" in frame.caption
        assert "far points are likelier" not in frame.caption
        assert frame.state["pick_probability"] == pytest.approx(0.25)
    assert "Only 1 distinct point for k = 3" in frames[-1].caption
    assert result["wcss"] == 0.0
    assert all("nan" not in f.caption for f in frames)


def test_d2_weighting_is_said_only_when_some_d2_is_positive() -> None:
    X = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    frames, _ = _run(X, k=3)
    picks = [f for f in frames if f.kind == "init"]
    # pick 2 must be the lone far point or a copy (D² > 0 somewhere): weighted; pick 3 has every D² = 0.
    assert "far points are likelier" in picks[1].caption or "drawn for sure" in picks[1].caption
    assert "all D² = 0" not in picks[1].caption
    assert "all D² = 0" in picks[2].caption
    assert "only 2 distinct points" in picks[0].caption


def test_duplicates_match_sklearn_lloyd_with_the_same_init() -> None:
    X = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    C0 = [[1.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
    frames, result = _run(X, k=3, init=C0, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = KMeans(n_clusters=3, init=np.array(C0), n_init=1, tol=0.0, algorithm="lloyd").fit(X)
    assert result["wcss"] == pytest.approx(ref.inertia_, abs=1e-12)
    np.testing.assert_allclose(np.sort(result["centroids"], axis=0), np.sort(ref.cluster_centers_, axis=0))
    assert "Only 2 distinct points for k = 3" in frames[-1].caption
    assert "1 centroid repeats another's position" in frames[0].caption


def test_reseeding_an_empty_cluster_never_empties_another() -> None:
    # Found by fuzzing: the farthest point was alone in its cluster, so taking it made a NaN centroid.
    X = np.array([[1.0, -2.0], [0.0, 0.0], [-1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    frames, result = _run(X, k=5, rng=np.random.default_rng(16))
    for frame in frames:
        assert np.isfinite(np.asarray(frame.state["centroids"])).all() and np.isfinite(frame.metrics["wcss"])
        assert "not a number" not in frame.caption
    assert result["wcss"] == 0.0 and result["converged"]


def test_a_sure_pick_is_called_sure() -> None:
    frames, _ = _run(np.array([[0.0, 0.0], [1.0, 1.0]]), k=2)
    assert "drawn for sure" in frames[1].caption and frames[1].state["pick_probability"] == 1.0
