"""The logistic regression engine: hand cases, scikit-learn as the oracle (the perceptron: test_perceptron.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.linear_model import LogisticRegression

from app.core.frame import drain
from app.engines import boundary, linear


def _logistic(X: np.ndarray, y: np.ndarray, parts: boundary.Split, **kw: object) -> tuple[list, dict]:
    args: dict = {
        "n_classes": int(y.max()) + 1,
        "lr": 0.5,
        "epochs": 100,
        "batch_size": 32,
        "l2": 0.001,
        "polynomial_degree": 1,
        "grid_size": 30,
        "feature_names": ("x1", "x2"),
        "rng": np.random.default_rng(0),
    }
    args.update(kw)
    return drain(linear.logistic_regression(X, y, parts, **args))


def test_split_is_stratified_seeded_and_keeps_every_class_in_training() -> None:
    y = np.array([0] * 10 + [1] * 10 + [2])
    a = boundary.split(y, 0.3, np.random.default_rng(1))
    b = boundary.split(y, 0.3, np.random.default_rng(1))
    assert a.train.tolist() == b.train.tolist() and a.test.size == 6  # 3 + 3 + 0 (the lone class 2 stays)
    assert set(y[a.train]) == {0, 1, 2} and not set(a.train) & set(a.test)
    assert boundary.train_size(y, 0.3) == a.train.size
    assert boundary.split(y, 0.0, np.random.default_rng(0)).test.size == 0


def test_grid_layout_and_confusion() -> None:
    X = np.array([[0.0, 0.0], [10.0, 20.0]])
    grid = boundary.make_grid(X, 5)
    assert grid.xs[0] == pytest.approx(-1.0) and grid.ys[-1] == pytest.approx(22.0)  # 10 % margin
    assert grid.points[1].tolist() == pytest.approx([grid.xs[1], grid.ys[0]])  # row-major, y slowest
    c = boundary.confusion(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), 2)
    assert c.tolist() == [[1, 1], [0, 2]]


def test_first_step_by_hand() -> None:
    # Full batch, degree 1: standardised features are x₁ = (−1, 1, −1, 1), x₂ = (−1, −1, 1, 1); w = 0 so p = ½.
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-1.0, 1.0], [1.0, 1.0]])
    y = np.array([0, 1, 0, 1])
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    frames, result = _logistic(X, y, parts, epochs=1, batch_size=4, lr=1.0, l2=0.0)
    assert frames[0].state["loss"] == pytest.approx(np.log(2))
    # ∂/∂w₁ = mean((p − y)·x₁): every term is −½, so w₁ = 0 − 1·(−½) = ½; for x₂ the terms cancel: w₂ = 0.
    assert result["weights"].tolist() == pytest.approx([0.5, 0.0])
    assert result["bias"] == pytest.approx(0.0)


@pytest.mark.parametrize("degree", [1, 3])
@pytest.mark.parametrize("multiclass", [False, True])
def test_cross_entropy_matches_sklearn_at_the_same_regularisation(degree: int, multiclass: bool) -> None:
    if multiclass:
        X, y = make_blobs(240, centers=3, cluster_std=2.0, random_state=1)
    else:
        X, y = make_moons(200, noise=0.25, random_state=0)
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    l2 = 0.01
    _, result = _logistic(X, y, parts, epochs=1500, batch_size=10_000, lr=1.0, l2=l2, polynomial_degree=degree)
    phi = linear.FeatureMap(X[parts.train], degree)
    F, yt = phi(X[parts.train]), y[parts.train]
    ref = LogisticRegression(C=1 / (l2 * F.shape[0]), max_iter=10_000, tol=1e-10).fit(F, yt)
    W, b = (ref.coef_.T, ref.intercept_) if multiclass else (ref.coef_[0], ref.intercept_[0])
    assert result["loss"] == pytest.approx(linear.cross_entropy(F, yt, W, b), abs=0.01)


def test_logistic_frames_and_grid_contract() -> None:
    X, y = make_moons(100, noise=0.2, random_state=0)
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    frames, result = _logistic(X, y, parts, epochs=300)
    assert frames[0].kind == "init" and frames[-1].kind == "done"
    assert len(frames) <= linear.MAX_EPOCH_FRAMES + 3
    assert {"weights", "bias", "loss", "train_accuracy", "test_accuracy"} <= set(frames[1].state)
    assert "cross-entropy" in frames[1].caption
    grid = result["grid"]
    assert set(grid) == {"x", "y", "predicted", "probability"} and len(grid["predicted"]) == 30
    assert result["train_indices"].tolist() == parts.train.tolist()


def test_huge_learning_rate_ends_with_a_diverged_frame() -> None:
    X, y = make_blobs(60, centers=2, random_state=0)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    # With l2 = 10 and lr = 10 each step multiplies W by about (1 − 100): it overflows within a few epochs.
    with np.errstate(over="ignore", invalid="ignore"):
        frames, result = _logistic(X, y, parts, lr=10.0, l2=10.0, polynomial_degree=5)
    assert frames[-1].kind == "diverged" and result["diverged"] and "learning rate" in frames[-1].caption


def test_line_segment_clips_to_the_box() -> None:
    seg = boundary.line_segment(np.array([1.0, -1.0]), 0.0, (0.0, 2.0, 0.0, 1.0))  # y = x
    assert sorted(map(tuple, seg.tolist())) == [(0.0, 0.0), (1.0, 1.0)]
    assert boundary.line_segment(np.array([0.0, 1.0]), -5.0, (0.0, 1.0, 0.0, 1.0)) is None  # y = 5: outside
