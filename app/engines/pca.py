"""PCA step by step: centre or standardise, covariance matrix, its eigenvectors, projection, reconstruction.

scikit-learn's ``PCA`` goes straight to an SVD, so the textbook route is written here in NumPy
(``eigh`` of the covariance matrix) and tested against it: components equal up to sign (1e-8) and the
same explained variance ratio. Signs follow scikit-learn's rule (the largest |loading| of each
component is positive). Shapes: ``X`` (n, d); ``Z`` (n, d) transformed; components ``V`` (k, d).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.engines.frame import Frame

ARROWS = 3  # eigenvectors drawn on the data


def constant_columns(X: np.ndarray) -> np.ndarray:
    """Indices of columns whose values are all equal (standardising them would divide by zero)."""
    return np.flatnonzero(np.ptp(X, axis=0) == 0)


def eigen(C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (d,) high → low and unit eigenvectors as rows (d, d), with scikit-learn's signs."""
    values, vectors = np.linalg.eigh(C)  # ascending, vectors in columns
    order = np.argsort(values)[::-1]
    values = np.maximum(values[order], 0.0)  # round-off can make a zero eigenvalue slightly negative
    V = vectors[:, order].T
    signs = np.sign(V[np.arange(V.shape[0]), np.abs(V).argmax(axis=1)])
    return values, V * np.where(signs == 0, 1.0, signs)[:, None]


def _shown(feature_names: tuple[str, ...]) -> str:
    return " and ".join(feature_names[:2]) if len(feature_names) > 1 else feature_names[0]


def run(
    X: np.ndarray, *, standardize: bool, n_components: int, feature_names: tuple[str, ...],
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """PCA frames: ``raw``, ``standardize`` | ``centre``, ``covariance``, ``eigenvectors``, ``projection``,
    ``variance``, then ``reconstruction`` for m = 1..n_components.

    Assumes no constant column when ``standardize`` and 1 ≤ n_components ≤ min(n, d). ``rng`` is unused
    (PCA is deterministic). Returns ``components``, ``explained_variance_ratio``, ``projected``, ``mean``, ``scale``.
    """
    del rng
    n, d = X.shape
    k = n_components
    shown = _shown(feature_names)
    yield Frame("raw", f"The raw data: {n} samples × {d} features (the plot shows {shown}).",
                {"n_samples": n, "n_features": d}, {}, {"points": X[:, :2].copy()})

    mean = X.mean(axis=0)
    scale = X.std(axis=0) if standardize else np.ones(d)  # ddof=0, as StandardScaler
    Z = (X - mean) / scale  # (n, d)
    if standardize:
        widest = int(np.argmax(scale))
        caption = (f"Standardise: subtract each feature's mean and divide by its standard deviation, so every "
                   f"feature has mean 0 and variance 1 ({feature_names[widest]} had the widest spread, "
                   f"{scale[widest]:.3g}).")
    else:
        caption = ("Centre: subtract each feature's mean, so the cloud sits on the origin. The scales stay as "
                   "they were, so features with large values will dominate the components.")
    yield Frame("standardize" if standardize else "centre", caption, {"mean": mean.copy(), "scale": scale.copy()},
                {}, {"points": Z[:, :2].copy()})

    C = Z.T @ Z / max(n - 1, 1)  # (d, d) covariance (correlation matrix when standardised)
    i, j = np.unravel_index(np.argmax(np.abs(C - np.diag(np.diag(C)))), C.shape) if d > 1 else (0, 0)
    caption = (f"The {d}×{d} covariance matrix C = ZᵀZ / (n − 1): the diagonal holds each feature's variance, "
               f"the rest how pairs vary together")
    caption += (f"; the strongest pair is {feature_names[i]} and {feature_names[j]} ({C[i, j]:.3g})." if d > 1
                else ".")
    state: dict[str, Any] = {"covariance": C.copy()} if d <= 16 else {}
    yield Frame("covariance", caption, state, {}, {"points": Z[:, :2].copy(), "covariance": C.copy()})

    values, V = eigen(C)  # (d,), (d, d)
    total = float(values.sum())
    ratio = values / total if total > 0 else np.zeros(d)
    caption = (f"Eigenvectors of C are the principal axes, drawn through the centre ±2√λ long; component 1 has "
               f"eigenvalue λ₁ = {values[0]:.3g}, {ratio[0]:.1%} of the total variance {total:.3g}.")
    half = 2.0 * np.sqrt(values[:ARROWS])[:, None] * V[:ARROWS, :2]  # (a, 2): tip of each drawn axis
    visual = {"points": Z[:, :2].copy(), "covariance": C.copy(), "axes": np.stack([-half, half], axis=1)}
    yield Frame("eigenvectors", caption, {"eigenvalues": values.copy(), "components": V[:k].copy()}, {}, visual)

    P = Z @ V[:k].T  # (n, k) coordinates on the first k components
    caption = (f"Project onto the first {k} component{'s' if k > 1 else ''}: each sample becomes {k} number"
               f"{'s' if k > 1 else ''}, Z · Vₖᵀ, keeping {ratio[:k].sum():.1%} of the variance.")
    shown_pc = P[:, :2] if k > 1 else np.column_stack([P[:, 0], np.zeros(n)])
    yield Frame("projection", caption, {"explained_variance_ratio": ratio[:k].copy()}, {},
                {"points": shown_pc.copy(), "covariance": C.copy()})

    caption = (f"Explained variance: each bar is one component's share (eigenvalue / total), the line the running "
               f"sum; the first {k} keep {ratio[:k].sum():.1%}.")
    yield Frame("variance", caption, {"explained_variance_ratio": ratio.copy(), "cumulative": np.cumsum(ratio)},
                {}, {"points": shown_pc.copy(), "covariance": C.copy(), "ratio": ratio.copy()})

    for m in range(1, k + 1):
        R = (Z @ V[:m].T) @ V[:m]  # (n, d) reconstruction from m components
        error = float(((Z - R) ** 2).sum() / n)
        error = 0.0 if error <= 1e-12 * max(total, 1e-300) else error  # exact up to round-off
        kept = float(ratio[:m].sum())
        caption = (f"Reconstruct from {m} component{'s' if m > 1 else ''}: Z ≈ (Z·Vₘᵀ)·Vₘ. Mean squared error per "
                   f"sample {error:.4g}, the {1 - kept:.1%} of the variance in the dropped components.")
        visual = {"points": R[:, :2].copy(), "original": Z[:, :2].copy(), "covariance": C.copy(),
                  "ratio": ratio.copy()}
        yield Frame("reconstruction", caption, {"m": m, "reconstruction_error": error, "explained": kept},
                    {"reconstruction_error": error, "explained": kept}, visual)

    return {"components": V[:k].copy(), "explained_variance_ratio": ratio[:k].copy(), "projected": P,
            "mean": mean, "scale": scale, "explained_variance": values[:k].copy(), "eigenvalues": values}
