"""Bias–variance by simulation: many training sets drawn afresh from one known truth, one model fitted to each.

The truth is a function f on x ∈ [0, 1] (``TRUTHS``); a training set is ``n_points`` x drawn uniformly and
y = f(x) + ε, ε ~ N(0, σ²). For one model complexity (a polynomial degree, a tree depth, a k of k-NN) the model
is fitted to each of the D sets, and its predictions at the same T test x give, per test point x₀:

* the mean fit f̄(x₀) over the D sets; bias² = mean over x₀ of (f̄(x₀) − f(x₀))²;
* variance = mean over x₀ of the spread of the fits around f̄ (mean over sets of (f̂_D(x₀) − f̄(x₀))², ddof 0, so
  the sample identity below holds exactly);
* noise = σ², the part of a test target no function of x can predict;
* the measured test MSE: each set's fit scored on the test x with fresh noise (a new y₀ per set and point).

The expected test error is bias² + variance + noise; the measured one differs from it only by the test noise's
sample terms (mean ε² − σ² + 2·mean ε·(f − f̂)), whose standard error ``test_mse_se`` states from the squared
errors themselves (``decompose``).

Fitting uses the libraries: least squares on the polynomial's Vandermonde matrix as ``numpy.polyfit`` solves it
(its columns scaled, SVD least squares; called directly so no RankWarning is raised in a worker thread),
one ``DecisionTreeRegressor(random_state=seed)`` per set at the deepest depth, cut at each shallower one
(``tree_predictions``), and for k-NN one sorted neighbour list per set at the largest k: ``KNeighborsRegressor(k)``'s
prediction (uniform weights) is the mean y of the first k neighbours, so every k comes from one search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.tree import DecisionTreeRegressor

from app.core.budget import checkpoint

X_LO, X_HI = 0.0, 1.0
"""The truth's domain: training and test x are drawn uniformly on it."""


def _sine(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.sin(2.0 * np.pi * x)
    return out


def _cubic(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 20.0 * (x - 0.1) * (x - 0.5) * (x - 0.9)
    return out


def _step(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.where(x < 0.5, -1.0, 1.0)
    return out


TRUTHS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sine": _sine, "cubic": _cubic, "step": _step}
"""f(x) on [0, 1], each between −1 and 1: a smooth wave, a polynomial of degree 3, a jump at x = 0.5."""
FORMULAS = {"sine": "sin(2πx)", "cubic": "20(x − 0.1)(x − 0.5)(x − 0.9)", "step": "−1 below x = 0.5, +1 above"}


@dataclass(frozen=True)
class Draws:
    """The D training sets and the test set of one run."""

    X: np.ndarray  # (D, n) training x of each set
    Y: np.ndarray  # (D, n) their y = f(x) + ε
    x_test: np.ndarray  # (T,) the test x, shared by every set (bias and variance are measured there)
    f_test: np.ndarray  # (T,) f at the test x
    y_test: np.ndarray  # (D, T) a fresh noisy target per set and test x


def draw(truth: str, noise: float, n_points: int, n_datasets: int, n_test: int, rng: np.random.Generator) -> Draws:
    """D training sets of ``n_points`` and one test x set of ``n_test`` (fresh noise per set), all from ``rng``."""
    f = TRUTHS[truth]
    X = rng.uniform(X_LO, X_HI, size=(n_datasets, n_points))
    Y = f(X) + rng.normal(0.0, 1.0, size=X.shape) * noise
    x_test = np.sort(rng.uniform(X_LO, X_HI, size=n_test))
    f_test = f(x_test)
    y_test = f_test[None, :] + rng.normal(0.0, 1.0, size=(n_datasets, n_test)) * noise
    return Draws(X=X, Y=Y, x_test=x_test, f_test=f_test, y_test=y_test)


def scaled(x: np.ndarray) -> np.ndarray:
    """x on [0, 1] → u on [−1, 1]. A degree-15 Vandermonde matrix of x ∈ [0, 1] has columns x¹⁴ and x¹⁵ that are
    almost equal (condition number ~1e11); on [−1, 1] the powers differ in sign and size, and it stays solvable."""
    out: np.ndarray = 2.0 * (x - X_LO) / (X_HI - X_LO) - 1.0
    return out


def poly_coefficients(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """(degree + 1,) coefficients in u = scaled(x), highest power first: ``numpy.polyfit(scaled(x), y, degree)``'s
    own computation (Vandermonde columns scaled to unit norm, ``lstsq`` with rcond = n·eps), without its
    RankWarning."""
    u = scaled(x)
    lhs = np.vander(u, degree + 1)  # (n, degree + 1)
    norms = np.sqrt((lhs * lhs).sum(axis=0))  # (degree + 1,)
    norms[norms == 0] = 1.0
    coef, _, _, _ = np.linalg.lstsq(lhs / norms, y, rcond=len(x) * np.finfo(float).eps)
    out: np.ndarray = coef / norms
    return out


def poly_predictions(X: np.ndarray, Y: np.ndarray, degree: int, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each set's least-squares polynomial of ``degree``: (D, P) at ``points`` (P,), (D, n) at its own x."""
    u = scaled(points)
    at_points = np.empty((X.shape[0], points.size))
    at_own = np.empty(X.shape)
    for d in range(X.shape[0]):
        coef = poly_coefficients(X[d], Y[d], degree)
        at_points[d] = np.polyval(coef, u)
        at_own[d] = np.polyval(coef, scaled(X[d]))
        if d % 50 == 49:
            checkpoint()
    return at_points, at_own


def _paths(tree: DecisionTreeRegressor, column: np.ndarray, deepest: int) -> np.ndarray:
    """(P, deepest + 1) the nodes each row of ``column`` (P, 1) passes, root first, padded with its leaf."""
    indicator = tree.decision_path(column).tocsr()  # (P, nodes): node ids along each path, increasing
    lengths = np.diff(indicator.indptr)  # (P,)
    depth = np.minimum(np.arange(deepest + 1)[None, :], lengths[:, None] - 1)  # (P, deepest + 1)
    out: np.ndarray = indicator.indices[indicator.indptr[:-1, None] + depth]
    return out


def tree_predictions(
    X: np.ndarray, Y: np.ndarray, depths: tuple[int, ...], points: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each set's regression tree at every depth of ``depths``: (C, D, P) at ``points``, (C, D, n) at its own x.

    One ``DecisionTreeRegressor(max_depth=max(depths), random_state=seed)`` per set: a tree grown to a smaller
    depth is that tree cut at the depth (each node's split depends only on the rows reaching it; with one
    feature the random feature order changes nothing), and a cut node predicts the mean of its rows, its
    ``value``. So a row's prediction at depth d is the value of the node its path reaches at depth d (or of its
    leaf above it); the tests check it against a tree fitted with ``max_depth=d``."""
    deepest = max(depths)
    chosen = np.array(depths)  # (C,)
    at_points = np.empty((chosen.size, X.shape[0], points.size))
    at_own = np.empty((chosen.size, *X.shape))
    column = points.reshape(-1, 1)
    for d in range(X.shape[0]):
        own = X[d].reshape(-1, 1)
        tree = DecisionTreeRegressor(max_depth=deepest, random_state=seed).fit(own, Y[d])
        value = tree.tree_.value[:, 0, 0]  # (nodes,) mean y of the rows reaching each node
        at_points[:, d] = value[_paths(tree, column, deepest)[:, chosen]].T
        at_own[:, d] = value[_paths(tree, own, deepest)[:, chosen]].T
        if d % 20 == 19:
            checkpoint()
    return at_points, at_own


@dataclass(frozen=True)
class Neighbours:
    """Each set's y at its ``k_max`` nearest training points, nearest first."""

    at_points: np.ndarray  # (D, P, k_max) for each of the shared points
    at_own: np.ndarray  # (D, n, k_max) for each set's own training x (the point itself first)


def _nearest(x: np.ndarray, queries: np.ndarray, k_max: int) -> np.ndarray:
    """(Q, k_max) indices of the ``k_max`` training x (n,) nearest each query (Q,), nearest first."""
    distance = np.abs(queries[:, None] - x[None, :])  # (Q, n)
    out: np.ndarray = np.argsort(distance, axis=1, kind="stable")[:, :k_max]
    return out


def neighbour_targets(X: np.ndarray, Y: np.ndarray, k_max: int, points: np.ndarray) -> Neighbours:
    """Each set's nearest neighbours of the shared ``points`` (P,) and of its own x, by brute force in NumPy: the
    1-D distances |x − x'| sorted, as ``KNeighborsRegressor(algorithm="brute")`` sorts them (the library's own
    search costs a thread-pool round trip per call, 100× this on 25 points; the tests check every k against
    ``KNeighborsRegressor(k).predict``)."""
    at_points = np.empty((X.shape[0], points.size, k_max))
    at_own = np.empty((*X.shape, k_max))
    for d in range(X.shape[0]):
        at_points[d] = Y[d][_nearest(X[d], points, k_max)]
        at_own[d] = Y[d][_nearest(X[d], X[d], k_max)]
        if d % 50 == 49:
            checkpoint()
    return Neighbours(at_points=at_points, at_own=at_own)


def knn_predictions(neighbours: Neighbours, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k-NN predictions (the mean y of the first k neighbours): (D, P) at the shared points, (D, n) at the
    sets' own x."""
    return neighbours.at_points[:, :, :k].mean(axis=2), neighbours.at_own[:, :, :k].mean(axis=2)


@dataclass(frozen=True)
class Decomposition:
    """The error of one complexity, split in its parts (all averaged over the test x)."""

    bias2: float  # mean (f̄ − f)²
    variance: float  # mean spread of the fits around f̄
    noise: float  # σ²
    test_mse: float  # measured: mean over sets and test x of (y₀ − f̂)²
    test_mse_se: float  # standard error of test_mse − (bias² + variance + noise), from the squared errors
    train_mse: float  # mean over sets of each fit's MSE on its own training points


def decompose(predicted: np.ndarray, draws: Draws, noise: float, train_predicted: np.ndarray) -> Decomposition:
    """``predicted`` (D, T) at the test x, ``train_predicted`` (D, n) at each set's own x → the decomposition.

    The measured MSE's squared errors e² = (y₀ − f̂)² split as (f − f̂)² + [ε² + 2ε(f − f̂)]; averaged, the first
    part is exactly bias² + variance (ddof 0), the bracket has mean σ² and is independent across sets and test
    points, so its sample standard deviation / √(D·T) is the standard error of the gap."""
    mean_fit = predicted.mean(axis=0)  # (T,)
    bias2 = float(np.mean((mean_fit - draws.f_test) ** 2))
    variance = float(np.mean((predicted - mean_fit[None, :]) ** 2))
    squared = (draws.y_test - predicted) ** 2  # (D, T)
    noise_part = squared - (draws.f_test[None, :] - predicted) ** 2  # (D, T): ε² + 2ε(f − f̂)
    se = float(noise_part.std(ddof=1) / np.sqrt(noise_part.size)) if noise_part.size > 1 else 0.0
    return Decomposition(
        bias2=bias2,
        variance=variance,
        noise=float(noise) ** 2,
        test_mse=float(squared.mean()),
        test_mse_se=se,
        train_mse=float(np.mean((draws.Y - train_predicted) ** 2)),
    )
