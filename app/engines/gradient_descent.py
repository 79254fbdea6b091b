"""Gradient descent on linear regression: batch, mini-batch and stochastic, side by side from w = 0, b = 0.

Model ŷ = X·w + b, loss MSE = mean((ŷ − y)²), gradient ∇w = 2/m·Xᵀr, ∇b = 2/m·Σr over the m rows of a
batch (r = ŷ − y). NumPy by hand: the lab is the update rule itself (tested against lstsq and one step).

Speed: up to 20,000 epochs must stay fast, so the update loop runs on Python floats with θ = (w₁, w₂, b)
(w₂ ≡ 0 with one feature), and a batch's update is written with its Gram matrix, θ ← θ − s·(Gθ − c) with
G = AᵀA, c = Aᵀy over the batch's rows A = [X, 1] and s = 2·lr/m: algebraically the residual form above
(``gd_updates`` keeps that form as the test oracle). Only the states a frame shows are kept.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural

GD_FRAME_CAP = 150  # most frames of a gradient-descent run (ticks evenly spaced in epochs)
GD_SEGMENT_CAP = 60  # most path points one frame adds per variant (long SGD stretches are thinned)
GD_BLOW_UP = 1e12  # |w| or |b| past this (or not finite) = diverged
PLAN_BLOCK = 64  # epochs whose shuffles and batch sums are prepared in one NumPy call
CONVERGED = 1e-3  # "reached the optimum": MSE within 0.1 % of the least-squares MSE (or 1e-6 of the start's)


def scale(X: np.ndarray, how: str) -> np.ndarray:
    """X (n, d) scaled column-wise: none | minmax (to [0, 1]) | standardize (mean 0, sd 1); constant columns kept."""
    if how == "minmax":
        lo, span = X.min(axis=0), np.ptp(X, axis=0)
        return np.asarray((X - lo) / np.where(span > 0, span, 1.0))
    if how == "standardize":
        sd = X.std(axis=0)
        return np.asarray((X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0))
    return X.copy()


def least_squares(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """The exact minimiser of the MSE (NumPy lstsq on [X, 1]): w (d,), b."""
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    return theta[:-1], float(theta[-1])


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    r = X @ w + b - y
    return float(r @ r) / len(y)


def learning_rate(lr: float, schedule: str, epoch: int, decay_rate: float, drop: float, step_every: int) -> float:
    """The rate used throughout epoch ``epoch`` (0-based)."""
    if schedule == "step":
        return lr * drop ** (epoch // step_every)
    if schedule == "inverse-time":
        return lr / (1.0 + decay_rate * epoch)
    if schedule == "exponential":
        return lr * float(np.exp(-decay_rate * epoch))
    return lr


def gd_updates(
    X: np.ndarray, y: np.ndarray, batch: int, rates: list[float], rng: np.random.Generator
) -> Generator[tuple[float, np.ndarray, float], None, None]:
    """(progress in epochs, w, b) after every update, in the residual form; rows reshuffled each epoch unless
    batch ≥ n. The reference the fast loop of ``run_gd`` is tested against (same rng use, same order)."""
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for epoch, lr in enumerate(rates):
        order = np.arange(n) if batch >= n else rng.permutation(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            Xb = X[idx]
            r = Xb @ w + b - y[idx]  # (m,)
            w = w - lr * (2.0 / len(idx)) * (Xb.T @ r)
            b = b - lr * (2.0 / len(idx)) * float(r.sum())
            yield epoch + min(start + batch, n) / n, w, b


class _Variant:
    """One variant's update loop on Python floats; ``advance`` runs it to an update count, keeping asked-for states."""

    def __init__(
        self, name: str, X: np.ndarray, y: np.ndarray, batch: int, rates: list[float], rng: np.random.Generator
    ) -> None:
        n, d = X.shape
        self.name, self.d, self.n, self.batch, self.rates, self.rng = name, d, n, batch, rates, rng
        self.A = np.column_stack([X, np.zeros(n)] if d == 1 else [X]).astype(float)  # (n, 2): x₁, x₂ (0 if none)
        self.y = y.astype(float)
        self.per_epoch = -(-n // batch)
        self.theta = [0.0, 0.0, 0.0]  # w₁, w₂, b
        self.count = 0  # updates applied
        self.diverged_epoch: int | None = None
        self.told = False  # a caption has explained its divergence
        self.path: list[np.ndarray] = []
        self.losses: list[float] = []
        self._epoch = -1
        self._plan: list[Any] = []  # the current epoch's updates (see _begin_epoch)
        # Per row: the 9 entries of aaᵀ and the 3 of a·y (a = [x₁, x₂, 1]); a batch's G and c are their sums.
        A = np.column_stack([self.A, np.ones(n)])  # (n, 3)
        self._rows = np.column_stack([(A[:, :, None] * A[:, None, :]).reshape(n, 9), A * self.y[:, None]])
        self._starts = np.arange(0, n, batch)
        self._sizes = np.diff(np.append(self._starts, n)).tolist()
        self._block: list[Any] = []  # plans of the epochs from _block_start on
        self._block_start = 0
        if batch >= n:  # full batch: one fixed Gram matrix
            self._full = self._grams(np.arange(n)[None, :])[0]

    def _grams(self, orders: np.ndarray) -> list[list[tuple[int, list[float]]]]:
        """Per epoch (row of ``orders`` (B, n)), per batch: (m, G row-major 9 floats then c 3 floats)."""
        sums = np.add.reduceat(self._rows[orders], self._starts, axis=1).tolist()  # (B, batches, 12)
        return [list(zip(self._sizes, epoch, strict=True)) for epoch in sums]

    def _begin_epoch(self, epoch: int) -> None:
        """Plan the updates of the epochs from ``epoch`` on, a block at a time (one NumPy call per block)."""
        self._epoch = epoch
        if self.batch >= self.n:
            self._plan = self._full
            return
        if epoch - self._block_start >= len(self._block):
            count = min(PLAN_BLOCK, len(self.rates) - epoch)
            # The same rng calls as gd_updates: one permutation per epoch, in order.
            orders = np.stack([self.rng.permutation(self.n) for _ in range(count)])  # (count, n)
            if self.batch == 1:
                a0, a1, yy = self.A[orders, 0].tolist(), self.A[orders, 1].tolist(), self.y[orders].tolist()
                self._block = list(zip(a0, a1, yy, strict=True))  # per epoch: (x₁ list, x₂ list, y list)
            else:
                self._block = self._grams(orders)
            self._block_start = epoch
        self._plan = self._block[epoch - self._block_start]

    def _run(self, lo: int, hi: int, lr: float) -> None:
        """Apply updates lo..hi−1 of the current epoch's plan (Python floats: no per-update NumPy call)."""
        t0, t1, t2 = self.theta
        single = self.batch == 1 and self.batch < self.n  # one row per update (a 1-row dataset is full batch)
        if single and self.d == 1:  # the common case, a third fewer float operations
            s = 2.0 * lr
            x1s, _, ys = self._plan
            for a0, yi in zip(x1s[lo:hi], ys[lo:hi], strict=True):
                g = s * (a0 * t0 + t2 - yi)
                t0, t2 = t0 - g * a0, t2 - g
        elif single:
            s = 2.0 * lr
            x1s, x2s, ys = self._plan
            for a0, a1, yi in zip(x1s[lo:hi], x2s[lo:hi], ys[lo:hi], strict=True):
                g = s * (a0 * t0 + a1 * t1 + t2 - yi)
                t0, t1, t2 = t0 - g * a0, t1 - g * a1, t2 - g
        else:
            for m, G in self._plan[lo:hi]:  # G: 9 Gram entries, then c
                s = lr * (2.0 / m)
                u0 = G[0] * t0 + G[1] * t1 + G[2] * t2 - G[9]
                u1 = G[3] * t0 + G[4] * t1 + G[5] * t2 - G[10]
                u2 = G[6] * t0 + G[7] * t1 + G[8] * t2 - G[11]
                t0, t1, t2 = t0 - s * u0, t1 - s * u1, t2 - s * u2
        self.theta = [t0, t1, t2]

    def point(self) -> np.ndarray:
        """The (d + 1,) point (w…, b) now."""
        t0, t1, t2 = self.theta
        return np.array([t0, t2] if self.d == 1 else [t0, t1, t2])

    @property
    def w(self) -> np.ndarray:
        return self.point()[:-1]

    @property
    def b(self) -> float:
        return float(self.theta[2])

    def advance(self, until: int, keep: Sequence[int]) -> np.ndarray:
        """Apply updates up to count ``until``; returns the (k, d + 1) points after the counts in ``keep``
        (sorted, ≤ until). Stops at the first kept state (or epoch end) past GD_BLOW_UP, keeping the last good one."""
        seen: list[np.ndarray] = []
        stops = [*keep, until] if not keep or keep[-1] != until else list(keep)
        for target in stops:
            while self.diverged_epoch is None and self.count < target:
                checkpoint()  # per stretch of at most one epoch: ≤ 5,000 updates, ~2 ms
                epoch, j = divmod(self.count, self.per_epoch)
                if epoch != self._epoch:
                    self._begin_epoch(epoch)
                hi = min(self.per_epoch, j + target - self.count)
                good = list(self.theta)
                self._run(j, hi, self.rates[epoch])
                if not all(map(math.isfinite, self.theta)) or max(map(abs, self.theta)) > GD_BLOW_UP:
                    self.theta, self.diverged_epoch = good, epoch
                    break
                self.count += hi - j
            if self.diverged_epoch is not None:
                break
            if target in keep:
                seen.append(self.point())
        return np.array(seen).reshape(-1, self.d + 1)


def tick_counts(n: int, batch: int, epochs: int, ticks: np.ndarray) -> np.ndarray:
    """Updates done by each tick (in epochs): an update counts once its progress e + min((j+1)·batch, n)/n ≤ tick."""
    per = -(-n // batch)
    fractions = np.minimum(np.arange(1, per + 1) * batch, n) / n  # (per,) progress within an epoch
    whole = np.floor(ticks + 1e-12)
    within = np.searchsorted(fractions, ticks - whole + 1e-12, side="right")
    return np.minimum(whole.astype(int) * per + within, epochs * per)


def run_gd(
    X: np.ndarray,
    y: np.ndarray,
    *,
    variants: Sequence[str],
    batch_size: int,
    rates: list[float],
    scaling: str,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames at evenly spaced epoch ticks: each variant's w, b and training MSE (X already scaled).
    ``batch_size`` above the row count is clamped to it (mini-batch then equals batch; the first caption says so)."""
    n, epochs = len(y), len(rates)
    line_x = np.array([X[:, 0].min(), X[:, 0].max()])
    batches = {"batch": n, "mini-batch": min(batch_size, n), "stochastic": 1}
    racers = [
        _Variant(v, X, y, batches[v], rates, child) for v, child in zip(variants, rng.spawn(len(variants)), strict=True)
    ]
    w_star, b_star = least_squares(X, y)
    best = mse(X, y, w_star, b_star)
    start_loss = mse(X, y, np.zeros(X.shape[1]), 0.0)
    tol = max(CONVERGED * best, 1e-6 * start_loss, 1e-300)
    most = max(r.per_epoch for r in racers) * epochs  # updates of the busiest variant
    ticks = np.linspace(0.0, epochs, min(GD_FRAME_CAP, most) + 1)
    counts = [tick_counts(n, r.batch, epochs, ticks) for r in racers]
    for k, tick in enumerate(ticks):
        checkpoint()
        segments = []
        for v, c in zip(racers, counts, strict=True):
            if k == 0:
                seen = v.point()[None, :]
            else:
                lo, hi = int(c[k - 1]), int(c[k])
                keep = list(range(lo + 1, hi + 1))
                if len(keep) > GD_SEGMENT_CAP:  # keep the last point: the path must end where the variant is
                    keep = [
                        keep[i] for i in np.unique(np.linspace(0, len(keep) - 1, GD_SEGMENT_CAP).round().astype(int))
                    ]
                seen = v.advance(hi, keep)
            segments.append(seen)
            v.path.append(v.point())
            v.losses.append(mse(X, y, v.w, v.b))
        state = {
            "epoch": float(tick),
            "variants": [
                {
                    "variant": v.name,
                    "w": v.w,
                    "b": v.b,
                    "loss": v.losses[-1],
                    "updates": v.count,
                    "diverged": v.diverged_epoch is not None,
                }
                for v in racers
            ],
        }
        metrics = {f"{v.name} MSE": v.losses[-1] for v in racers}
        kind = "start" if k == 0 else "end" if k == len(ticks) - 1 else "update"
        # The data panel's fitted lines at its two x ends (two features: at x₂ = mean x₂): (V, 2).
        lines = np.array([v.w[0] * line_x + v.b + (v.w[1] * X[:, 1].mean() if X.shape[1] > 1 else 0.0) for v in racers])
        if kind == "start":
            caption = _start_caption(racers, best, epochs, len(ticks) - 1, batch_size, n)
        elif kind == "end":
            caption = _end_caption(racers, best, tol, epochs, w_star, b_star, scaling)
        else:
            caption = _gd_caption(float(tick), racers, best, epochs, scaling)
        yield Frame(kind, caption, state, metrics, visual={"segments": segments, "lines": lines})
    return {
        "variants": [
            {
                "variant": v.name,
                "w": v.w,
                "b": v.b,
                "losses": np.array(v.losses),
                "path": np.array(v.path),
                "updates": v.count,
                "diverged": v.diverged_epoch is not None,
                "outcome": _outcome(v, best, tol, scaling)[0],
            }
            for v in racers
        ],
        "exact": {"w": w_star, "b": b_star, "loss": best},
        "scaling": scaling,
        "batch_size": batches["mini-batch"],
    }


def _start_caption(racers: list[_Variant], best: float, epochs: int, frames: int, batch_size: int, n: int) -> str:
    text = (
        f"All variants start at w = 0, b = 0 (MSE {num(racers[0].losses[0], 3)}); the least-squares optimum "
        f"has MSE {num(best, 3)}. Per epoch: "
        + ", ".join(f"{v.name} {plural(v.per_epoch, 'update')}" for v in racers)
        + "."
    )
    if frames < epochs:
        text += (
            f" Each frame covers {num(epochs / frames, 3)} epochs ({plural(epochs, 'epoch', 'epochs')} in "
            f"{frames} frames)."
        )
    if batch_size > n and any(v.name == "mini-batch" for v in racers):
        text += (
            f" A batch size of {batch_size} is more than the {plural(n, 'row')}, so mini-batch uses "
            f"{'that one row' if n == 1 else f'all {n} rows'} per update: the same as batch."
        )
    return text


def _epoch(t: float) -> str:
    """An epoch tick: "12", "0.2", "19,733.3" (no exponent: these are counts)."""
    return f"{t:,.0f}" if abs(t - round(t)) < 1e-9 else f"{t:,.1f}"


def _gd_caption(epoch: float, racers: list[_Variant], best: float, epochs: int, scaling: str) -> str:
    parts = []
    for v in racers:
        if v.diverged_epoch is not None and v.told:
            parts.append(f"{v.name} diverged in epoch {v.diverged_epoch + 1}")
        elif v.diverged_epoch is not None:
            v.told = True
            unscaled = " for these unscaled features" if scaling == "none" else ""
            parts.append(
                f"{v.name} diverged in epoch {v.diverged_epoch + 1} (its w, b passed "
                f"{num(GD_BLOW_UP)}: lr too large{unscaled}, each step overshoots more)"
            )
        else:
            parts.append(f"{v.name} {num(v.losses[-1], 3)} after {plural(v.count, 'update')}")
    return f"Epoch {_epoch(epoch)} of {epochs:,}: MSE " + "; ".join(parts) + f" (optimum {num(best, 3)})."


def _outcome(v: _Variant, best: float, tol: float, scaling: str) -> tuple[str, str]:
    """(converged | descending | not settled | rising | diverged, a clause with the numbers that decide it)."""
    loss = v.losses[-1]
    if v.diverged_epoch is not None:
        return "diverged", (
            f"{v.name} diverged in epoch {v.diverged_epoch + 1}: its w, b grew past "
            f"{num(GD_BLOW_UP)}, so its steps overshoot more each time; lower lr"
            + (" or scale the features" if scaling == "none" else "")
        )
    gap = loss - best
    if gap <= tol:
        return "converged", f"{v.name} reached the least-squares optimum (MSE {num(loss, 4)}, {num(gap, 2)} above it)"
    k = max(1, len(v.losses) // 10)  # frames in the last tenth of the run
    back = v.losses[-1 - k]
    if v.batch >= v.n:  # full batch is deterministic: its MSE falls every step unless lr is too large
        if loss < back:
            return "descending", (
                f"{v.name} is still descending (MSE {num(loss, 4)}, {num(gap, 3)} above the "
                f"optimum; {num(back, 4)} a tenth of the run ago): more epochs or a larger lr"
            )
        return "rising", (
            f"{v.name}'s MSE is not falling ({num(back, 4)} → {num(loss, 4)}): lr is too large for "
            "these features, so its steps overshoot"
        )
    # Mini-batch and stochastic gradients are noisy (single frames jump): judge the trend by the median excess
    # over the last tenth of the frames against the tenth before, and "rising" only when worse than at the start.
    recent = float(np.median(v.losses[-k:])) - best
    earlier = float(np.median(v.losses[-2 * k : -k] or v.losses[:1])) - best
    if recent > v.losses[0] - best:
        return "rising", (
            f"{v.name}'s MSE is rising (median {num(recent + best, 4)} over the last tenth, above the "
            f"start's {num(v.losses[0], 4)}): lr is too large for single noisy batches"
        )
    if recent < 0.5 * earlier:
        return "descending", (
            f"{v.name} is still descending (MSE {num(loss, 4)}, {num(gap, 3)} above the optimum; "
            f"its median excess fell from {num(earlier, 3)} to {num(recent, 3)} over the last tenth)"
        )
    return "not settled", (
        f"{v.name} hovers {num(gap, 3)} above the optimum (MSE {num(loss, 4)}; median excess "
        f"{num(recent, 3)} over the last tenth): each {plural(v.batch, 'row')} gradient is a noisy "
        "estimate, so at a constant lr it keeps moving; a decaying schedule lets it settle"
    )


def _end_caption(
    racers: list[_Variant], best: float, tol: float, epochs: int, w_star: np.ndarray, b_star: float, scaling: str
) -> str:
    star = ", ".join(num(x, 4) for x in w_star)
    head = (
        f"Done: {plural(epochs, 'epoch', 'epochs')}. Least squares (lstsq on the same data) gives w = [{star}], "
        f"b = {num(b_star, 4)}, MSE {num(best, 4)}; a variant within {num(tol, 2)} of that MSE has reached it."
    )
    return head + " " + "; ".join(_outcome(v, best, tol, scaling)[1] for v in racers) + "."


def mse_grid(X: np.ndarray, y: np.ndarray, w_star: np.ndarray, b_star: float, n: int = 80) -> dict[str, Any]:
    """The MSE over a window holding the start (0) and the optimum: over (w, b) with one feature, over
    (w₁, w₂) at b = b* with two. Returns axes ``u`` (n,), ``v`` (n,), ``level`` (n, n) = log10(MSE − min + ε)."""
    star = np.append(w_star, b_star) if X.shape[1] == 1 else w_star[:2]  # the two plotted coordinates
    lo, hi = np.minimum(star, 0.0), np.maximum(star, 0.0)
    pad = 0.3 * np.maximum(hi - lo, 1e-3)
    u, v = np.linspace(lo[0] - pad[0], hi[0] + pad[0], n), np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)
    A = np.column_stack([X, np.ones(len(y))])  # (m, d+1)
    G, c, yy = A.T @ A / len(y), A.T @ y / len(y), float(y @ y) / len(y)
    U, V = np.meshgrid(u, v)  # (n, n)
    theta = np.zeros((n, n, A.shape[1]))
    if X.shape[1] == 1:
        theta[..., 0], theta[..., 1] = U, V
    else:
        theta[..., 0], theta[..., 1], theta[..., -1] = U, V, b_star
    z = np.einsum("ijk,kl,ijl->ij", theta, G, theta) - 2 * theta @ c + yy  # (n, n) MSE, from the Gram matrix
    eps = max(float(np.ptp(z)) * 1e-5, 1e-12)
    return {"u": u, "v": v, "level": np.log10(z - z.min() + eps), "star": star}
