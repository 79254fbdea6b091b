"""k-NN engine: a hand case, and scikit-learn's KNeighborsClassifier as the oracle on the grid."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.neighbors import KNeighborsClassifier

from app.core.frame import drain
from app.engines import boundary, neighbors


def test_hand_case_vote_and_sweep() -> None:
    # Training points on a line: 0,1 (class 0) and 3,4,5 (class 1). Query at x = 2: neighbours 1, 3, (0|4), ...
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [4.0, 0.0], [5.0, 0.0]])
    y = np.array([0, 0, 1, 1, 1])
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    frames, result = drain(
        neighbors.run(X, y, parts, n_classes=2, k=5, metric="euclidean", p=2, weights="uniform", grid_size=20)
    )
    assert [f.state["k"] for f in frames] == [1, 2, 3, 4, 5]
    assert frames[0].state["train_accuracy"] == 1.0  # k = 1: every point is its own neighbour
    assert frames[-1].metrics["train_accuracy"] == pytest.approx(3 / 5)  # k = 5: the majority (class 1) everywhere
    labels = np.array([[0, 1, 1]])  # one query: its 3 nearest neighbours' classes, nearest first
    dist = np.array([[1.0, 1.0, 2.0]])
    votes = [w.tolist() for w, _, _ in neighbors.sweep(labels, dist, 2, "uniform")]
    assert votes == [[0], [0], [1]]  # k = 2 is a 1–1 tie: the lowest class wins, as in scikit-learn
    shares = [s.tolist() for _, s, _ in neighbors.sweep(labels, dist, 2, "distance")]
    assert shares[2] == pytest.approx([(1 + 0.5) / 2.5])
    assert result["best_k"] in range(1, 6) and len(result["neighbors"]) == 5


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "chebyshev", "minkowski"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_grid_agrees_with_sklearn(metric: str, weights: str) -> None:
    X, y = make_moons(300, noise=0.3, random_state=0)
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    frames, result = drain(
        neighbors.run(X, y, parts, n_classes=2, k=9, metric=metric, p=3, weights=weights, grid_size=60)
    )
    grid = boundary.make_grid(X, 60)
    ours = np.array(result["grid"]["predicted"]).ravel()
    for k in (1, 4, 9):
        ref = KNeighborsClassifier(k, metric=metric, p=3, weights=weights).fit(X[parts.train], y[parts.train])
        if k == 9:
            assert np.mean(ref.predict(grid.points) == ours) >= 0.99
        assert np.mean(ref.predict(X) == _predict(frames[k - 1], y)) >= 0.99  # every frame of the sweep


def _predict(frame: object, y: np.ndarray) -> np.ndarray:
    """Predictions recovered from a frame: the true labels, flipped where the frame marks a mistake."""
    out = y.copy()
    wrong = frame.visual["misclassified"]  # type: ignore[attr-defined]
    out[wrong] = 1 - out[wrong]
    return out
