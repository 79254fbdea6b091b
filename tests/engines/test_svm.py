"""SMO engine: a hand case, and scikit-learn's SVC (LIBSVM) as the oracle."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.svm import SVC

from app.core.frame import Frame, drain
from app.engines import boundary, svm


def _run(X: np.ndarray, y: np.ndarray, parts: boundary.Split, **kw: object) -> tuple[list[Frame], dict[str, Any]]:
    args: dict[str, Any] = {"kernel": "rbf", "C": 1.0, "gamma": "scale", "degree": 3, "coef0": 0.0, "grid_size": 50}
    args.update(kw)
    return drain(svm.run(X, y, parts, **args))


def test_two_points_hand_case() -> None:
    # x = (−1, 0) class 0 and (1, 0) class 1, linear kernel, hard-ish margin: w = (1, 0), b = 0, α = ½ each
    # (the margin ±1 passes through both points: ‖w‖ = 1, and Σα = ‖w‖²).
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    y = np.array([0, 1])
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    frames, result = _run(X, y, parts, kernel="linear", C=10.0)
    assert sorted(result["support_indices"].tolist()) == [0, 1]
    assert sorted(result["dual_coef"].tolist()) == pytest.approx([-0.5, 0.5])
    assert result["intercept"] == pytest.approx(0.0, abs=1e-9)
    assert result["objective"] == pytest.approx(0.5)  # Σα − ½‖w‖² = 1 − ½
    assert frames[0].kind == "start" and frames[-1].kind == "converged"
    assert {"support_indices", "dual_coef", "intercept", "objective"} <= set(frames[-1].state)


@pytest.mark.parametrize(
    ("kernel", "data", "extra"),
    [
        ("linear", "blobs", {}),
        ("rbf", "moons", {}),
        ("rbf", "circles", {"gamma": 2.0, "C": 10.0}),
        ("poly", "moons", {"degree": 3, "coef0": 1.0, "gamma": 0.5}),
        ("sigmoid", "blobs", {"gamma": 0.05, "coef0": 0.0, "C": 0.5}),
    ],
)
def test_agrees_with_sklearn_svc(kernel: str, data: str, extra: dict[str, Any]) -> None:
    if data == "blobs":
        X, y = make_blobs(200, centers=2, cluster_std=2.5, random_state=3)
    elif data == "moons":
        X, y = make_moons(200, noise=0.2, random_state=0)
    else:
        X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    settings = {"C": 1.0, "gamma": "scale", "degree": 3, "coef0": 0.0, **extra}
    _, result = _run(X, y, parts, kernel=kernel, **settings)
    ref = SVC(kernel=kernel, **settings).fit(X[parts.train], y[parts.train])
    grid = boundary.make_grid(X, 50)
    ours = np.array(result["grid"]["decision"]).ravel()
    assert np.mean((ref.decision_function(grid.points) > 0) == (ours > 0)) >= 0.98
    theirs = set(parts.train[ref.support_].tolist())
    mine = set(result["support_indices"].tolist())
    assert len(theirs & mine) / len(theirs | mine) >= 0.9
    assert result["intercept"] == pytest.approx(float(ref.intercept_[0]), abs=0.05)


def test_frames_thin_geometrically_and_objective_rises() -> None:
    X, y = make_moons(300, noise=0.25, random_state=1)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    frames, result = _run(X, y, parts, C=100.0)
    smo = [f for f in frames if f.kind == "smo"]
    iterations = [f.state["iteration"] for f in smo]
    assert iterations[:5] == [1, 2, 3, 4, 5] and len(frames) < 120 < result["n_iter"] + 2
    objective = [f.state["objective"] for f in frames]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(objective))  # SMO never lowers it
    assert result["converged"] and len(result["decision_values"]) == 300
