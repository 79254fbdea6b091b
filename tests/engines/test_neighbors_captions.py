"""k-NN captions tell the truth (issue 9): "fitted perfectly" only when it is, duplicates explained, the tie rule
said (and matching scikit-learn), and k beyond the training points clamped with a note."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from app.catalog import get_algorithm
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import boundary, neighbors

DUPES = np.array([[0, 0], [0, 0], [1, 1], [1, 1], [2, 2], [3, 3], [0, 0], [5, 5], [5, 5], [6, 6]], dtype=float)
DUPE_LABELS = np.array([0, 1, 0, 1, 0, 1, 0, 1, 1, 0])


def _run(X: np.ndarray, y: np.ndarray, k: int, weights: str = "uniform", **kw: object) -> tuple[list, dict]:
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    return drain(
        neighbors.run(
            X, y, parts, n_classes=int(y.max()) + 1, k=k, metric="euclidean", p=2, weights=weights, grid_size=20, **kw
        )
    )


def test_k1_with_conflicting_duplicates_does_not_claim_a_perfect_fit() -> None:
    frames, _ = _run(DUPES, DUPE_LABELS, k=2)
    first = frames[0]
    assert first.state["train_accuracy"] < 1.0
    assert "fitted perfectly" not in first.caption
    assert "5 points share their exact position with a point of another class" in first.caption
    assert neighbors.conflicting_duplicates(DUPES, DUPE_LABELS) == 5  # (0,0)×3 and (1,1)×2


def test_k1_on_distinct_points_is_a_perfect_fit_and_says_so() -> None:
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 1.0], [3.0, 3.0]])
    y = np.array([0, 1, 0, 1])
    frames, _ = _run(X, y, k=2)
    assert frames[0].state["train_accuracy"] == 1.0 and "fitted perfectly" in frames[0].caption


def test_even_k_ties_are_named_and_follow_sklearn() -> None:
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [4.0, 0.0]])
    y = np.array([1, 0, 1, 0])
    frames, _ = _run(X, y, k=2)
    k2 = frames[1]
    assert k2.state["tied_votes"] > 0
    assert "tied vote, which goes to the lowest class index" in k2.caption
    ref = KNeighborsClassifier(2).fit(X, y)
    mistakes = set(k2.visual["misclassified"].tolist())
    ours = np.where(np.isin(np.arange(4), list(mistakes)), 1 - y, y)
    assert ours.tolist() == ref.predict(X).tolist()  # sklearn breaks ties the same way
    assert "tied" not in frames[0].caption  # k = 1 never ties


def test_k_larger_than_the_training_set_is_clamped_with_a_note() -> None:
    algorithm = get_algorithm("knn")
    assert algorithm is not None
    params = algorithm.params_model.model_validate(
        {"dataset": {"X": DUPES.tolist(), "y": DUPE_LABELS.tolist()}, "k": 20, "test_fraction": 0.0}
    )
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(algorithm.engine(inputs, params, np.random.default_rng(0)))
    assert len(frames) == 10 and result["k"] == 10 and result["requested_k"] == 20
    assert "k = 20 was asked, but there are only 10 training points" in frames[-1].caption
    assert "wins everywhere" in frames[-1].caption


def test_distance_weights_explain_the_flat_training_accuracy() -> None:
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 1.0], [3.0, 3.0], [0.5, 2.0]])
    y = np.array([0, 1, 0, 1, 1])
    frames, _ = _run(X, y, k=3, weights="distance")
    assert all(f.state["train_accuracy"] == 1.0 for f in frames)
    assert "own vote (distance 0) outweighs all others" in frames[1].caption
