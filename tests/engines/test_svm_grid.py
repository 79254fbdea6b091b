"""The SVM's decision values are kept current incrementally (issue 11): every frame's grid, and the run's
decision values on every point, equal a fresh sum over the support vectors with scikit-learn's own kernels;
the trackers agree with brute force through evictions and refreshes; the engine stops inside SMO."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons
from sklearn.metrics.pairwise import linear_kernel, polynomial_kernel, rbf_kernel, sigmoid_kernel

from app.core.budget import RunStopped, StopToken, stopping_at
from app.core.frame import Frame, drain
from app.engines import boundary, svm, svm_grid
from app.engines.svm_space import Kernel


def _sklearn(k: Kernel, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The oracle kernel: scikit-learn's pairwise kernels with SVC's settings."""
    if k.name == "linear":
        return np.asarray(linear_kernel(A, B))
    if k.name == "poly":
        return np.asarray(polynomial_kernel(A, B, degree=k.degree, gamma=k.gamma, coef0=k.coef0))
    if k.name == "rbf":
        return np.asarray(rbf_kernel(A, B, gamma=k.gamma))
    return np.asarray(sigmoid_kernel(A, B, gamma=k.gamma, coef0=k.coef0))


CASES = [
    ("rbf", "moons", {"C": 1.0}),  # the benchmark's setting, with a test set
    ("rbf", "circles", {"C": 100.0, "gamma": 2.0}),  # > REFRESH_EVERY syncs, so a refresh happens
    ("rbf", "moons", {"C": 1000.0}),  # 6,221 pair updates, 64 frames, Σ|αt| ≈ 18,000: measured drift 2.6e-12
    ("linear", "moons", {"C": 10.0}),
    ("poly", "moons", {"degree": 3, "coef0": 1.0, "gamma": 0.5}),
    ("sigmoid", "circles", {"gamma": 0.05, "coef0": 0.0, "C": 0.5}),
]


@pytest.mark.parametrize(("kernel", "data", "extra"), CASES)
def test_every_frame_grid_equals_a_fresh_sum(kernel: str, data: str, extra: dict[str, float]) -> None:
    if data == "moons":
        X, y = make_moons(300, noise=0.25, random_state=0)
    else:
        X, y = make_circles(300, noise=0.1, factor=0.5, random_state=0)
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    settings: dict[str, Any] = {"C": 1.0, "gamma": "scale", "degree": 3, "coef0": 0.0, **extra}
    frames, result = drain(svm.run(X, y, parts, kernel=kernel, grid_size=40, **settings))
    k = Kernel(kernel, result["gamma"], settings["degree"], settings["coef0"])
    grid = boundary.make_grid(X, 40)
    syncs = 0
    for frame in frames:
        sv, coef, b = frame.state["support_indices"], frame.state["dual_coef"], frame.state["intercept"]
        fresh_grid = _sklearn(k, grid.points, X[sv]) @ coef + b if sv.size else np.full(grid.points.shape[0], b)
        assert np.abs(frame.visual["decision"] - fresh_grid).max() <= 1e-9
        fresh_points = _sklearn(k, X, X[sv]) @ coef + b if sv.size else np.full(X.shape[0], b)
        predicted = (fresh_points > 0).astype(np.int64)
        assert frame.state["train_accuracy"] == boundary.accuracy(y[parts.train], predicted[parts.train])
        assert frame.state["test_accuracy"] == boundary.accuracy(y[parts.test], predicted[parts.test])
        syncs += 1
    assert np.abs(result["decision_values"] - fresh_points).max() <= 1e-9
    assert np.abs(np.asarray(result["grid"]["decision"]).ravel() - fresh_grid).max() <= 1e-6  # rounded to 6 places
    if data == "circles" and kernel == "rbf":
        assert syncs > svm_grid.REFRESH_EVERY


def _brute(k: Kernel, Xt: np.ndarray, targets: np.ndarray, coef: np.ndarray) -> np.ndarray:
    return np.asarray(_sklearn(k, targets, Xt) @ coef)


@pytest.mark.parametrize("name", ["linear", "rbf", "poly", "sigmoid", "rbf-columns", "test-points"])
def test_trackers_follow_random_sparse_updates(name: str) -> None:
    # 80 syncs of a few changed coefficients (more than REFRESH_EVERY, so refreshes are crossed), against a
    # fresh sum each time; the column cache is given room for 5 columns, so it evicts all the time.
    rng = np.random.default_rng(3)
    Xt = rng.normal(size=(60, 2)) * 1.5
    grid = boundary.make_grid(Xt, 25)
    k = Kernel(name.split("-")[0] if name != "test-points" else "rbf", 0.8, 3, 0.5)
    targets = grid.points
    tracker: svm_grid.Tracked
    if name == "rbf-columns":
        tracker = svm_grid.ColumnCache(Xt, targets, k, budget=5 * 8 * targets.shape[0])
        assert tracker.capacity == 5
    elif name == "test-points":
        targets = rng.normal(size=(30, 2))
        tracker = svm_grid.Precomputed(k(Xt, targets))
    else:
        tracker = svm_grid.grid_tracker(k.name, k.gamma, Xt, grid, k)
    coef = np.zeros(60)
    for _ in range(80):
        rows = rng.choice(60, size=int(rng.integers(1, 6)), replace=False)
        coef[rows] = np.where(rng.random(rows.size) < 0.2, 0.0, rng.normal(size=rows.size))
        fresh = _brute(k, Xt, targets, coef)
        assert np.abs(tracker.sync(coef) - fresh).max() <= 1e-11 * max(1.0, np.abs(fresh).max())
    if name == "rbf-columns":
        assert isinstance(tracker, svm_grid.ColumnCache) and len(tracker.cache) <= 5


@pytest.mark.parametrize(
    ("name", "gamma", "degree", "coef0"),
    [
        ("linear", 1.0, 3, 0.0),
        ("rbf", 0.7, 3, 0.0),
        ("poly", 0.5, 3, 1.0),
        ("poly", 1.0, 6, -0.5),
        ("sigmoid", 0.3, 3, 0.2),
    ],
)
def test_kernel_and_its_rows_agree_with_sklearn(name: str, gamma: float, degree: int, coef0: float) -> None:
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(120, 2)) * 2, rng.normal(size=(70, 2))
    k = Kernel(name, gamma, degree, coef0)
    for left, right in ((A, B), (A, A)):
        ref = _sklearn(k, left, right)
        assert np.abs(k(left, right) - ref).max() <= 1e-12 * max(1.0, np.abs(ref).max())
    rows = svm.KernelRows(k, A)
    ref = _sklearn(k, A, A)
    for i in (0, 7, 119):
        assert np.abs(rows[i] - ref[i]).max() <= 1e-12 * max(1.0, np.abs(ref[i]).max())
        assert rows[i][i] == rows.diag[i]  # QD is the diagonal SMO's rows carry
    assert int(rows.have.sum()) == 3  # only the rows asked for were computed


def _slow_run() -> Generator[Frame, None, dict[str, Any]]:
    """Unstopped: 200,000 pair updates without converging, ~24 s on the 2-core box."""
    X, y = make_moons(1000, noise=0.4, random_state=0)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))
    return svm.run(X, y, parts, kernel="rbf", C=10_000.0, gamma=10.0, degree=3, coef0=0.0, grid_size=100)


def test_a_run_past_its_deadline_stops_inside_smo() -> None:
    engine = _slow_run()
    next(engine)  # the start frame
    token = StopToken(deadline=time.monotonic() + 0.2)
    with stopping_at(token), pytest.raises(RunStopped) as stopped:
        drain(engine)
    late = time.monotonic() - token.deadline
    assert stopped.value.reason == "budget" and late < 1.0, f"stopped {late:.2f} s past the deadline"


def test_a_cancelled_run_stops_between_two_frames() -> None:
    # Late in the run frames are thousands of pair updates apart: the cancel must land inside that gap.
    engine = _slow_run()
    token = StopToken()
    cancelled_at: list[float] = []

    def cancel() -> None:
        cancelled_at.append(time.monotonic())
        token.cancel()

    timer = threading.Timer(0.5, cancel)
    frames_after = 0
    with stopping_at(token), pytest.raises(RunStopped) as stopped:
        timer.start()
        for _ in engine:
            frames_after += bool(cancelled_at)
    timer.cancel()
    late = time.monotonic() - cancelled_at[0]
    assert stopped.value.reason == "cancelled" and late < 1.0, f"stopped {late:.2f} s after the cancel"
    assert frames_after <= 1  # at most the frame being made when the cancel came
