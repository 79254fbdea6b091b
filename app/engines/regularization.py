"""Penalised least squares on standardised polynomial features: the L1 / L2 / elastic-net path over α, the
2-feature picture of the constraint, and gradient descent with weight decay.

One convention throughout (scikit-learn's ``ElasticNet``/``Lasso``): the objective at penalty strength α is

    1/(2m)·‖y − b − Zw‖² + α·(r·‖w‖₁ + (1 − r)/2·‖w‖²₂)

with m training rows, r the L1 share (1 for L1, 0 for L2) and the intercept b unpenalised. ``Ridge`` minimises
‖y − b − Zw‖² + α'·‖w‖²₂, the same problem at α' = m·α: the tests map it so.

Features: u = 2x − 1 (x ∈ [0, 1] → u ∈ [−1, 1], where the powers differ in sign and size; on [0, 1] x¹⁴ and x¹⁵
are almost the same column), the powers u¹..u^d, each standardised with the training rows' mean and standard
deviation (the validation rows must not leak into it). Why standardise before penalising: the penalty charges
every coefficient alike, but a coefficient's size depends on its feature's scale (u¹⁵ is tiny near 0, so its
coefficient must be huge to matter); standardised, each coefficient is "change in y per one spread of its
feature", and one α is fair to all. Centred features make the optimal intercept the training mean of y, for
every α, so the path fits w to the centred y.

The path: ``enet_path`` (coordinate descent warm-started from the previous α, as scikit-learn does) for L1 and
elastic net, then ``polish``: an exact solve of the optimality conditions on the non-zero coefficients (the
polynomial columns are strongly correlated, so coordinate descent crawls at small α; the solve finishes the
job when its signs and zeros are consistent). L2 has a closed form through one SVD for every α.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import enet_path

from app.core.budget import checkpoint
from app.engines.bias_variance import TRUTHS, X_HI, X_LO

CD_TOL, CD_MAX_ITER = 1e-8, 20_000
"""Coordinate descent's stop (scikit-learn's duality-gap tolerance, relative to ‖y‖²) before the polish."""
KKT_TOL = 1e-9
"""How far an inactive coefficient's gradient may exceed α·r for a polished solution to be accepted."""


@dataclass(frozen=True)
class Data:
    """The drawn points and their split."""

    x: np.ndarray  # (n,) in [0, 1]
    y: np.ndarray  # (n,) f(x) + noise
    train: np.ndarray  # (m,) row indices, sorted
    validation: np.ndarray  # (v,) row indices, sorted


def draw(truth: str, noise: float, n_points: int, validation_fraction: float, rng: np.random.Generator) -> Data:
    """``n_points`` x uniform on [0, 1], y = f(x) + N(0, σ²), a random share held out for validation."""
    x = rng.uniform(X_LO, X_HI, size=n_points)
    y = TRUTHS[truth](x) + rng.normal(0.0, 1.0, size=n_points) * noise
    order = rng.permutation(n_points)
    n_val = max(1, min(n_points - 2, round(validation_fraction * n_points)))
    return Data(x=x, y=y, train=np.sort(order[n_val:]), validation=np.sort(order[:n_val]))


def powers(x: np.ndarray, degree: int) -> np.ndarray:
    """(n, degree) the raw features u¹..u^degree of u = 2x − 1."""
    u = 2.0 * (np.asarray(x, dtype=np.float64) - X_LO) / (X_HI - X_LO) - 1.0
    out: np.ndarray = u[:, None] ** np.arange(1, degree + 1)[None, :]
    return out


@dataclass(frozen=True)
class Problem:
    """The standardised design of one run."""

    Z: np.ndarray  # (m, d) standardised training features
    y: np.ndarray  # (m,) training targets
    Z_val: np.ndarray  # (v, d) validation features, standardised with the training rows' mean and spread
    y_val: np.ndarray  # (v,)
    mean: np.ndarray  # (d,) training means of the raw powers
    scale: np.ndarray  # (d,) their training standard deviations

    @property
    def intercept(self) -> float:
        """The optimal unpenalised intercept for every α: the training mean of y (the features are centred)."""
        return float(self.y.mean())

    def standardise(self, x: np.ndarray) -> np.ndarray:
        """(P, d) the standardised features of x (P,)."""
        out: np.ndarray = (powers(x, self.mean.size) - self.mean) / self.scale
        return out


def problem(data: Data, degree: int) -> Problem:
    raw = powers(data.x, degree)  # (n, d)
    mean = raw[data.train].mean(axis=0)  # (d,)
    scale = raw[data.train].std(axis=0)  # (d,)
    scale[scale == 0] = 1.0
    Z = (raw - mean) / scale  # (n, d)
    return Problem(
        Z=Z[data.train],
        y=data.y[data.train],
        Z_val=Z[data.validation],
        y_val=data.y[data.validation],
        mean=mean,
        scale=scale,
    )


def alpha_grid(alpha_max: float, alpha_min: float, n_alphas: int) -> np.ndarray:
    """(A,) α from strong to weak, evenly on a log scale."""
    out: np.ndarray = np.geomspace(alpha_max, alpha_min, n_alphas)
    return out


def ridge_path(Z: np.ndarray, yc: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """(A, d) the L2 solutions: w = (ZᵀZ + mα·I)⁻¹Zᵀy through Z = U·S·Vᵀ, w = V·diag(s/(s² + mα))·Uᵀy."""
    m = Z.shape[0]
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)  # U (m, k), s (k,), Vt (k, d)
    projected = U.T @ yc  # (k,)
    shrink = s[None, :] / (s[None, :] ** 2 + m * alphas[:, None])  # (A, k)
    out: np.ndarray = (shrink * projected[None, :]) @ Vt
    return out


def polish(Z: np.ndarray, yc: np.ndarray, alpha: float, l1_ratio: float, w: np.ndarray) -> np.ndarray:
    """``w`` (d,) refined to the exact optimum of the objective on its non-zero set S, when that is consistent.

    On S with signs s the optimum solves (Z_Sᵀ Z_S/m + α(1 − r)·I)·w_S = Z_Sᵀy/m − αr·s; it is the optimum of the
    whole problem when the solved w_S keeps the signs s and every zero coefficient's gradient |Z_jᵀ(y − Zw)/m|
    stays within αr. Otherwise (coordinate descent had not found the set yet) ``w`` is returned unchanged."""
    m = Z.shape[0]
    active = np.flatnonzero(w)
    if active.size == 0:
        return w
    signs = np.sign(w[active])
    Zs = Z[:, active]  # (m, |S|)
    lhs = Zs.T @ Zs / m + alpha * (1.0 - l1_ratio) * np.eye(active.size)
    rhs = Zs.T @ yc / m - alpha * l1_ratio * signs
    try:
        solved = np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        return w
    if np.any(np.sign(solved) != signs):
        return w
    out = np.zeros_like(w)
    out[active] = solved
    gradient = Z.T @ (yc - Z @ out) / m  # (d,)
    inactive = np.setdiff1d(np.arange(w.size), active)
    if inactive.size and np.abs(gradient[inactive]).max() > alpha * l1_ratio + KKT_TOL:
        return w
    return out


def penalised_path(Z: np.ndarray, yc: np.ndarray, penalty: str, l1_ratio: float, alphas: np.ndarray) -> np.ndarray:
    """(A, d) the coefficients at every α of ``alphas`` (strong to weak) for y centred (``yc``)."""
    if penalty == "l2":
        return ridge_path(Z, yc, alphas)
    r = 1.0 if penalty == "l1" else l1_ratio
    _, coefs, _ = enet_path(Z, yc, l1_ratio=r, alphas=alphas, tol=CD_TOL, max_iter=CD_MAX_ITER)  # (d, A)
    checkpoint()
    return np.array([polish(Z, yc, float(a), r, coefs[:, i].copy()) for i, a in enumerate(alphas)])


def l1_share(penalty: str, l1_ratio: float) -> float:
    """r of the objective: 1 for L1, 0 for L2, ``l1_ratio`` for elastic net."""
    return {"l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)


def penalty_size(w: np.ndarray, r: float) -> float:
    """r·‖w‖₁ + (1 − r)/2·‖w‖²₂: the size of the constraint region the penalised optimum sits on."""
    return float(r * np.abs(w).sum() + (1.0 - r) / 2.0 * np.dot(w, w))


def region_boundary(size: float, r: float, points: int = 73) -> np.ndarray:
    """(points, 2) the closed boundary {w ∈ ℝ²: r·‖w‖₁ + (1 − r)/2·‖w‖²₂ = size}: a diamond (r = 1), a circle
    (r = 0), a rounded diamond between. Along each direction u the radius ρ solves (1 − r)/2·ρ² + r‖u‖₁·ρ = size."""
    theta = np.linspace(0.0, 2.0 * np.pi, points)
    u = np.column_stack([np.cos(theta), np.sin(theta)])  # (points, 2)
    b = r * np.abs(u).sum(axis=1)  # (points,)
    a = (1.0 - r) / 2.0
    rho = size / b if a == 0 else (-b + np.sqrt(b * b + 4.0 * a * size)) / (2.0 * a)
    out: np.ndarray = u * rho[:, None]
    return out


def loss_grid(Z2: np.ndarray, yc: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """(G2, G1) the data loss 1/(2m)·‖y − Z₂w‖² over the grid w1 (G1,) × w2 (G2,) of the 2-feature problem."""
    m = Z2.shape[0]
    G = Z2.T @ Z2 / m  # (2, 2)
    c = Z2.T @ yc / m  # (2,)
    W1, W2 = np.meshgrid(w1, w2)  # (G2, G1)
    quad = G[0, 0] * W1 * W1 + 2.0 * G[0, 1] * W1 * W2 + G[1, 1] * W2 * W2
    out: np.ndarray = 0.5 * quad - (c[0] * W1 + c[1] * W2) + float(yc @ yc) / (2.0 * m)
    return out


def least_squares(Z: np.ndarray, yc: np.ndarray) -> np.ndarray:
    """(d,) the unpenalised least-squares coefficients (minimum norm when not determined)."""
    out, _, _, _ = np.linalg.lstsq(Z, yc, rcond=None)
    return np.asarray(out, dtype=np.float64)


def mse(y: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean((y - predicted) ** 2))


def decay_step(
    Z: np.ndarray, yc: np.ndarray, w: np.ndarray, learning_rate: float, weight_decay: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of gradient descent with weight decay λ on L = 1/(2m)·‖y − Zw‖²: the shrunk weights
    (1 − lr·λ)·w and the new ones (1 − lr·λ)·w − lr·∇L(w), both (d,) (the gradient at the old w, as
    ``torch.optim.SGD(weight_decay=λ)`` adds λw to the gradient before stepping)."""
    m = Z.shape[0]
    gradient = -Z.T @ (yc - Z @ w) / m  # (d,)
    shrunk = (1.0 - learning_rate * weight_decay) * w
    return shrunk, shrunk - learning_rate * gradient
