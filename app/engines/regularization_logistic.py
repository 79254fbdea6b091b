"""The classification variant of the regularization lab: penalised logistic regression on polynomial features of
(x₁, x₂), swept over α from strong to weak.

One convention (scikit-learn's ``LogisticRegression`` with ``C = 1/(m·α)``, divided by C·m): the objective is

    1/m·Σ log-loss(yᵢ, σ(b + zᵢ·w)) + α·(r·‖w‖₁ + (1 − r)/2·‖w‖²₂)

the same α as the regression path's (the data term is a mean, the intercept b unpenalised). Features: scikit-learn's
``PolynomialFeatures(degree, include_bias=False)`` of (x₁, x₂) (x₁, x₂, x₁², x₁·x₂, x₂², …), each standardised on
the training rows (one α fair to every coefficient, as in the regression path).

The fits: L-BFGS-B on the smooth split form w = w⁺ − w⁻ (w⁺, w⁻ ≥ 0, so α·r·‖w‖₁ = α·r·Σ(w⁺ + w⁻) is linear and a
coefficient at a bound is exactly 0), warm-started from the previous α. Why not scikit-learn's ``saga`` here: on
correlated polynomial features it needs over 20,000 epochs per α for L1 (seconds per run); ``liblinear``
penalises the intercept. ``saga`` at a tight tolerance is the tests' oracle (the two agree to ~1e-8). Binary
classes only (the prepare refuses more, naming ``dataset``): one weight vector per α is what the paths draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import PolynomialFeatures
from threadpoolctl import threadpool_limits

from app.core.budget import checkpoint

LBFGS_GTOL, LBFGS_FTOL, LBFGS_MAX_ITER = 1e-9, 1e-14, 5_000
"""L-BFGS-B's stops (the largest projected gradient component; the objective's relative fall) and its cap."""
SAGA_TOL, SAGA_MAX_ITER = 1e-10, 100_000
"""scikit-learn's saga in the oracle: a tight stop so that it, not this solver, limits the agreement."""
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Design:
    """The standardised polynomial features of one run."""

    Z: np.ndarray  # (m, d) training rows
    y: np.ndarray  # (m,) 0/1
    Z_val: np.ndarray  # (v, d) validation rows
    y_val: np.ndarray  # (v,) 0/1
    degree: int
    mean: np.ndarray  # (d,) training means of the raw features
    scale: np.ndarray  # (d,) their standard deviations (1 where a feature is constant)
    names: tuple[str, ...]  # (d,) "x₁²·x₂"

    def standardise(self, X: np.ndarray) -> np.ndarray:
        """(P, d) the standardised features of the points X (P, 2)."""
        out: np.ndarray = (raw_features(X, self.degree) - self.mean) / self.scale
        return out


def raw_features(X: np.ndarray, degree: int) -> np.ndarray:
    """(n, d) x₁, x₂, x₁², x₁·x₂, x₂², … up to ``degree`` (scikit-learn's order, no bias column)."""
    out: np.ndarray = PolynomialFeatures(degree, include_bias=False).fit_transform(np.asarray(X, dtype=np.float64))
    return out


def feature_names(degree: int) -> tuple[str, ...]:
    """(d,) "x₁", "x₂", "x₁²", "x₁·x₂", … in the features' order."""
    powers = PolynomialFeatures(degree, include_bias=False).fit(np.zeros((1, 2))).powers_  # (d, 2)
    names = []
    for p1, p2 in powers:
        parts = [f"x{sub}" + (str(p).translate(SUPERSCRIPT) if p > 1 else "") for sub, p in (("₁", p1), ("₂", p2)) if p]
        names.append("·".join(parts))
    return tuple(names)


def design(X: np.ndarray, y: np.ndarray, train: np.ndarray, validation: np.ndarray, degree: int) -> Design:
    raw = raw_features(X, degree)  # (n, d)
    mean = raw[train].mean(axis=0)  # (d,)
    scale = raw[train].std(axis=0)  # (d,)
    scale[scale == 0] = 1.0
    Z = (raw - mean) / scale  # (n, d)
    labels = np.asarray(y, dtype=np.int64)
    return Design(
        Z=Z[train],
        y=labels[train],
        Z_val=Z[validation],
        y_val=labels[validation],
        degree=degree,
        mean=mean,
        scale=scale,
        names=feature_names(degree),
    )


def l1_alpha_max(Z: np.ndarray, y: np.ndarray) -> float:
    """max|Zᵀ(y − ȳ)|/m: the smallest α at which L1 sets every coefficient to 0. At w = 0 the fitted intercept
    makes every probability ȳ, so the mean log-loss's gradient is Zᵀ(ȳ − y)/m; w = 0 is optimal while no
    component of it exceeds α (the subgradient of α·‖w‖₁ at 0 covers [−α, α])."""
    return float(np.abs(Z.T @ (y - y.mean())).max() / y.size)


def make_model(alpha: float, m: int, l1_ratio: float, seed: int) -> LogisticRegression:
    """scikit-learn's ``LogisticRegression`` of the same objective (the tests' oracle, the benchmark's bare fit):
    C = 1/(m·α), ``l1_ratio`` r (1 L1, 0 L2), ``saga`` to ``SAGA_TOL``."""
    return LogisticRegression(
        C=1.0 / (m * alpha), l1_ratio=l1_ratio, solver="saga", tol=SAGA_TOL, max_iter=SAGA_MAX_ITER, random_state=seed
    )


@dataclass(frozen=True)
class Fit:
    """One α's fit."""

    coefficients: np.ndarray  # (d,)
    intercept: float
    iterations: int


def _objective(
    theta: np.ndarray, Z: np.ndarray, y: np.ndarray, alpha: float, r: float, split: bool
) -> tuple[float, np.ndarray]:
    """The objective and its gradient at θ = (b, w⁺, w⁻) (``split``: w = w⁺ − w⁻, both ≥ 0) or θ = (b, w)."""
    d = Z.shape[1]
    b = theta[0]
    w = theta[1 : d + 1] - theta[d + 1 :] if split else theta[1:]  # (d,)
    eta = Z @ w + b  # (m,)
    loss = float(np.mean(np.logaddexp(0.0, eta) - y * eta))
    residual = (1.0 / (1.0 + np.exp(-eta)) - y) / y.size  # (m,) d loss / d η
    data_gradient = Z.T @ residual + alpha * (1.0 - r) * w  # (d,) with the L2 part
    value = loss + alpha * (1.0 - r) / 2.0 * float(w @ w)
    if not split:
        return value, np.concatenate([[residual.sum()], data_gradient])
    plus, minus = theta[1 : d + 1], theta[d + 1 :]
    value += alpha * r * float(plus.sum() + minus.sum())
    return value, np.concatenate([[residual.sum()], data_gradient + alpha * r, -data_gradient + alpha * r])


def fit_one(Z: np.ndarray, y: np.ndarray, alpha: float, r: float, start: Fit | None = None) -> Fit:
    """The minimiser of the objective at α, from ``start`` (the previous α's fit) or from w = 0."""
    d = Z.shape[1]
    split = r > 0
    w0 = np.zeros(d) if start is None else start.coefficients
    b0 = float(np.log(y.mean() / (1.0 - y.mean()))) if start is None else start.intercept
    theta0 = np.concatenate([[b0], np.maximum(w0, 0), np.maximum(-w0, 0)] if split else [[b0], w0])
    bounds = [(None, None)] + [(0.0, None)] * (2 * d) if split else None
    found = minimize(
        _objective,
        theta0,
        args=(Z, y, alpha, r, split),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": LBFGS_MAX_ITER, "ftol": LBFGS_FTOL, "gtol": LBFGS_GTOL, "maxcor": 30},
    )
    theta = found.x
    w = theta[1 : d + 1] - theta[d + 1 :] if split else theta[1:]
    return Fit(np.asarray(w, dtype=np.float64), float(theta[0]), int(found.nit))


def path(Z: np.ndarray, y: np.ndarray, l1_ratio: float, alphas: np.ndarray) -> list[Fit]:
    """The fits at every α of ``alphas`` (strong to weak), each warm-started from the one before."""
    fits: list[Fit] = []
    with threadpool_limits(1, "blas"):  # (m, d) products are tiny: BLAS threads would only contend
        for alpha in alphas:
            checkpoint()
            fits.append(fit_one(Z, y, float(alpha), l1_ratio, fits[-1] if fits else None))
    return fits


def probability(Z: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """(n,) P(class 1) = σ(b + Z·w)."""
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(Z @ w + b)))
    return out


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    """The mean log-loss −1/n·Σ [y·log p + (1 − y)·log(1 − p)] (natural log, p clipped off 0 and 1)."""
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def accuracy(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p >= 0.5).astype(np.int64) == y))
