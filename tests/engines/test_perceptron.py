"""The perceptron engine: the update rule by hand, scikit-learn's ``Perceptron`` as the oracle, and XOR."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import Perceptron

from app.core.frame import drain
from app.datasets import generators
from app.engines import boundary, perceptron


def _by_hand(X: np.ndarray, t: np.ndarray, lr: float, order: list[np.ndarray]) -> list[tuple[int, list[float], float]]:
    """Rosenblatt's rule, written out independently of the engine."""
    w1 = w2 = b = 0.0
    seq = []
    for epoch_order in order:
        mistakes = 0
        for i in epoch_order:
            if t[i] * (w1 * X[i, 0] + w2 * X[i, 1] + b) <= 0:
                w1 += lr * t[i] * X[i, 0]
                w2 += lr * t[i] * X[i, 1]
                b += lr * t[i]
                seq.append((int(i), [w1, w2], b))
                mistakes += 1
        if mistakes == 0:
            break
    return seq


@pytest.mark.parametrize("shuffle", [False, True])
def test_perceptron_updates_follow_the_rule(shuffle: bool) -> None:
    X, y = generators.blobs(60, centers=2, seed=2)
    parts = boundary.split(y, 0.25, np.random.default_rng(0))
    frames, result = drain(
        perceptron.perceptron(
            X, y, parts, lr=0.5, epochs=30, shuffle=shuffle, grid_size=20, rng=np.random.default_rng(3)
        )
    )
    rng = np.random.default_rng(3)
    order = [rng.permutation(parts.train) if shuffle else parts.train for _ in range(30)]
    expected = _by_hand(X, np.where(y == 1, 1.0, -1.0), 0.5, order)
    updates = [f for f in frames if f.kind == "update"]
    assert [f.state["misclassified"] for f in updates] == [row for row, _, _ in expected]
    for frame, (_, w, b) in zip(updates, expected, strict=True):
        assert frame.state["weights"].tolist() == pytest.approx(w) and frame.state["bias"] == pytest.approx(b)
    assert result["converged"] and result["errors_per_epoch"][-1] == 0 and frames[-1].kind == "converged"
    assert sum(result["errors_per_epoch"]) == len(expected)


def test_perceptron_on_xor_never_converges_and_says_why() -> None:
    X, y = generators.xor(80)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    frames, result = drain(
        perceptron.perceptron(X, y, parts, lr=1.0, epochs=10, shuffle=True, grid_size=20, rng=np.random.default_rng(0))
    )
    assert not result["converged"] and len(result["errors_per_epoch"]) == 10 and min(result["errors_per_epoch"]) > 0
    assert frames[-1].kind == "stopped"
    assert "not linearly separable" in frames[-1].caption and "neural network" in frames[-1].caption
    assert len([f for f in frames if f.kind == "update"]) <= perceptron.MAX_UPDATE_FRAMES


@pytest.mark.parametrize(("seed", "lr"), [(5, 1.0), (11, 0.1)])
def test_perceptron_weights_equal_sklearn_perceptron_in_row_order(seed: int, lr: float) -> None:
    """scikit-learn's ``Perceptron`` is the same rule (an update when t(w·x + b) ≤ 0, from w = 0) when it visits
    the rows in order (shuffle=False), has no penalty and no early stop (tol=None): after any number of epochs
    its w and b equal ours. Overlapping blobs keep both updating all 7 epochs."""
    X, y = generators.blobs(80, centers=2, seed=seed, cluster_std=3.0)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    epochs = 7
    _, result = drain(
        perceptron.perceptron(
            X, y, parts, lr=lr, epochs=epochs, shuffle=False, grid_size=10, rng=np.random.default_rng(0)
        )
    )
    train = np.asarray(parts.train)
    oracle = Perceptron(eta0=lr, shuffle=False, tol=None, max_iter=len(result["errors_per_epoch"]), penalty=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning: the data is not separable, as intended
        oracle.fit(X[train], y[train])
    assert np.allclose(result["weights"], oracle.coef_[0], atol=1e-9)
    assert result["bias"] == pytest.approx(float(oracle.intercept_[0]), abs=1e-9)
