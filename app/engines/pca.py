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

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fixed, num, percent, plural


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


def _covariance_caption(C: np.ndarray, n: int, standardize: bool, names: tuple[str, ...]) -> str:
    d = C.shape[0]
    caption = (
        f"The {d}×{d} covariance matrix C = ZᵀZ / (n − 1), the sample covariance scikit-learn's PCA uses: "
        "the diagonal holds each feature's variance, the rest how pairs vary together"
    )
    if not np.any(C):
        return caption + "; here every entry is 0, as every feature is constant: there is no variance for PCA to find."
    if standardize and n > 1:
        caption += (
            f". Standardising divided by n, C by n − 1, so its diagonal is n/(n − 1) = {num(n / (n - 1), 4)} "
            "rather than exactly 1"
        )
    if d == 1:
        return caption + "."
    rows, cols = np.triu_indices(d, 1)
    off = np.abs(C[rows, cols])
    best = int(np.argmax(off))
    if off[best] == 0:
        return caption + "; no two features vary together (every off-diagonal entry is 0)."
    i, j = int(rows[best]), int(cols[best])
    r = C[i, j] / np.sqrt(C[i, i] * C[j, j])
    return caption + (
        f"; the strongest pair is {names[i]} and {names[j]} (covariance {num(C[i, j], 3)}, correlation {fixed(r, 3)})."
    )


def _reconstruction_caption(m: int, error: float, kept: float, total: float, values: np.ndarray, n: int) -> str:
    head = (
        f"Reconstruct from {'1 component' if m == 1 else f'{m} components'}: Z ≈ (Z·Vₘᵀ)·Vₘ. Mean squared "
        f"error per sample {num(error)}"
    )
    if total <= 0:
        return head + ": there was no variance to lose."
    dropped = float(values[m:].sum())
    if m == values.size:
        return head + ": every component is kept, so the reconstruction is exact."
    if error == 0:
        return head + ": the dropped components hold no variance, so the reconstruction is exact."
    return head + (
        f": the variance of the dropped components ({num(dropped, 4)}, {percent(max(1 - kept, 0.0), 1)} "
        f"of the total) times (n − 1)/n, as C divides by n − 1 and the error by n = {n}."
    )


def run(
    X: np.ndarray,
    *,
    standardize: bool,
    n_components: int,
    feature_names: tuple[str, ...],
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """PCA frames: ``raw``, ``standardize`` | ``centre``, ``covariance``, ``eigenvectors``, ``projection``,
    ``variance``, then ``reconstruction`` for m = 1..n_components.

    Assumes no constant column when ``standardize`` and 1 ≤ n_components ≤ min(n, d). ``rng`` is unused
    (PCA is deterministic). Returns ``components``, ``explained_variance_ratio``, ``projected``, ``mean``, ``scale``.
    """
    del rng
    # Every frame is a few NumPy calls on (n, d), at most 5,000 × 50: one checkpoint before each.
    checkpoint()
    n, d = X.shape
    k = n_components
    shown = _shown(feature_names)
    yield Frame(
        "raw",
        f"The raw data: {n} samples × {d} features (the plot shows {shown}).",
        {"n_samples": n, "n_features": d},
        {},
        {"points": X[:, :2].copy()},
    )

    checkpoint()
    mean = X.mean(axis=0)
    scale = X.std(axis=0) if standardize else np.ones(d)  # ddof=0, as StandardScaler
    Z = (X - mean) / scale  # (n, d)
    C = Z.T @ Z / max(n - 1, 1)  # (d, d) covariance (correlation matrix × n/(n−1) when standardised)
    if standardize:
        widest = int(np.argmax(scale))
        caption = (
            f"Standardise: subtract each feature's mean and divide by its standard deviation (the population "
            f"one, dividing by n = {n}, as scikit-learn's StandardScaler does), so every feature has mean 0 "
            f"and variance 1 averaged over the n samples ({feature_names[widest]} had the widest spread, "
            f"{num(scale[widest], 3)})."
        )
    else:
        variances = np.diag(C)
        top = int(np.argmax(variances))
        caption = "Centre: subtract each feature's mean, so the cloud sits on the origin. The scales stay as they were"
        if variances[top] > 0 and d > 1:
            share = float(variances[top] / variances.sum())
            caption += (
                f", so features with large variance dominate the components: {feature_names[top]} alone "
                f"holds {percent(share, 1)} of the total variance."
            )
        elif variances[top] > 0:
            caption += "."
        else:
            caption += "; here every feature is constant, so after centring every sample is the origin."
    yield Frame(
        "standardize" if standardize else "centre",
        caption,
        {"mean": mean.copy(), "scale": scale.copy()},
        {},
        {"points": Z[:, :2].copy()},
    )

    checkpoint()
    yield Frame(
        "covariance",
        _covariance_caption(C, n, standardize, feature_names),
        {"covariance": C.copy()} if d <= 16 else {},
        {},
        {"points": Z[:, :2].copy(), "covariance": C.copy()},
    )

    checkpoint()
    values, V = eigen(C)  # (d,), (d, d)
    total = float(values.sum())
    ratio = values / total if total > 0 else np.zeros(d)
    if total > 0:
        caption = (
            f"Eigenvectors of C are the principal axes, drawn through the centre ±2√λ long; component 1 has "
            f"eigenvalue λ₁ = {num(values[0], 3)}, {percent(ratio[0], 1)} of the total variance "
            f"{num(total, 3)} (the sum of C's diagonal)."
        )
    else:
        caption = (
            "C is all zeros, so every direction has variance 0: the eigenvectors are arbitrary (these are "
            "the coordinate axes) and no component explains anything; scikit-learn's explained variance "
            "ratio is 0 / 0 here, not a number; this lab reports 0."
        )
    half = 2.0 * np.sqrt(values)[:, None] * V[:, :2]  # (d, 2): tip of each axis (the view draws the first few)
    visual = {"points": Z[:, :2].copy(), "covariance": C.copy(), "axes": np.stack([-half, half], axis=1)}
    yield Frame("eigenvectors", caption, {"eigenvalues": values.copy(), "components": V[:k].copy()}, {}, visual)

    checkpoint()
    P = Z @ V[:k].T  # (n, k) coordinates on the first k components
    first = "the first component" if k == 1 else f"the first {k} components"
    keep = (
        f"keeping {percent(ratio[:k].sum(), 1)} of the variance"
        if total > 0
        else "though there is no variance to keep: every sample is the same point"
    )
    caption = f"Project onto {first}: each sample becomes {plural(k, 'number')}, Z · Vₖᵀ, {keep}."
    shown_pc = P[:, :2] if k > 1 else np.column_stack([P[:, 0], np.zeros(n)])
    yield Frame(
        "projection",
        caption,
        {"explained_variance_ratio": ratio[:k].copy()},
        {},
        {"points": shown_pc.copy(), "covariance": C.copy()},
    )

    checkpoint()
    if total > 0:
        caption = (
            f"Explained variance: each bar is one component's share (eigenvalue / total), the line the "
            f"running sum; {first} keep{'s' if k == 1 else ''} {percent(ratio[:k].sum(), 1)}."
        )
    else:
        caption = "Explained variance: every bar is 0, as the data has no variance at all."
    yield Frame(
        "variance",
        caption,
        {"explained_variance_ratio": ratio.copy(), "cumulative": np.cumsum(ratio)},
        {},
        {"points": shown_pc.copy(), "covariance": C.copy(), "ratio": ratio.copy()},
    )

    for m in range(1, k + 1):
        checkpoint()
        R = (Z @ V[:m].T) @ V[:m]  # (n, d) reconstruction from m components
        error = float(((Z - R) ** 2).sum() / n)
        error = 0.0 if error <= 1e-12 * max(total, 1e-300) else error  # exact up to round-off
        kept = float(ratio[:m].sum())
        visual = {"points": R[:, :2].copy(), "original": Z[:, :2].copy(), "covariance": C.copy(), "ratio": ratio.copy()}
        yield Frame(
            "reconstruction",
            _reconstruction_caption(m, error, kept, total, values, n),
            {"m": m, "reconstruction_error": error, "explained": kept},
            {"reconstruction_error": error, "explained": kept},
            visual,
        )

    return {
        "components": V[:k].copy(),
        "explained_variance_ratio": ratio[:k].copy(),
        "projected": P,
        "mean": mean,
        "scale": scale,
        "explained_variance": values[:k].copy(),
        "eigenvalues": values,
    }
