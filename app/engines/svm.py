"""Soft-margin SVM by SMO in NumPy, with LIBSVM's working-set selection, so the support vectors can be watched
settling pair update by pair update.

scikit-learn's ``SVC`` (LIBSVM) hides its iterations; this is the same solver written out: the dual
min ½αᵀQα − eᵀα subject to 0 ≤ α ≤ C, yᵀα = 0 with Q_ij = y_i y_j K(x_i, x_j), a maximal-violating first index and
the second-order choice of the second (Fan, Chen & Lin 2005), stopping when the KKT gap is below ``tol`` (1e-3, as
SVC). Kernels are scikit-learn's pairwise kernels, so the settings mean what they mean in SVC.

Shapes: training ``Xt`` (n, 2); labels ``t`` (n,) in {−1, +1} (class 1 is +1, as SVC's decision_function);
``alpha`` and the gradient ``G`` (n,); kernel matrix ``K`` (n, n).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.frame import Frame
from app.core.text import num, plural
from app.engines.boundary import Split, grid_result, make_grid, score
from app.engines.svm_space import Kernel, feature_space, kernel_caption, kernel_formula

TAU = 1e-12  # LIBSVM's floor for a non-positive curvature
MAX_ITER = 200_000
FRAME_GROWTH = 1.12
"""Frames at iterations 0, 1, 2, … growing by 12 %: every pair early, when the margin moves most; ~60 in all."""


def resolve_gamma(gamma: float | str, X: np.ndarray) -> float:
    """SVC's "scale" = 1 / (d · Var(X)), "auto" = 1 / d, else the number."""
    if gamma == "scale":
        var = float(X.var())
        return 1.0 / (X.shape[1] * var) if var > 0 else 1.0
    if gamma == "auto":
        return 1.0 / int(X.shape[1])
    return float(gamma)


@dataclass(frozen=True)
class SmoStep:
    iteration: int
    pair: tuple[int, int]  # the two training rows just updated (−1, −1 before the first)
    alpha: np.ndarray  # (n,)
    rho: float  # decision f(x) = Σ α_i t_i K(x_i, x) − rho
    objective: float  # the dual objective eᵀα − ½αᵀQα (it rises)
    gap: float  # KKT violation m(α) − M(α); below tol means optimal


def _rho(t: np.ndarray, G: np.ndarray, alpha: np.ndarray, C: float) -> float:
    """LIBSVM's calculate_rho: the mean of t·G over free vectors, else the middle of the feasible interval."""
    yG = t * G
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(yG[free].mean())
    at_upper, at_lower = alpha >= C, alpha <= 0
    ub_mask = (at_upper & (t < 0)) | (at_lower & (t > 0))
    lb_mask = (at_upper & (t > 0)) | (at_lower & (t < 0))
    ub = float(yG[ub_mask].min()) if ub_mask.any() else np.inf
    lb = float(yG[lb_mask].max()) if lb_mask.any() else -np.inf
    return (ub + lb) / 2 if np.isfinite(ub) and np.isfinite(lb) else (ub if np.isfinite(ub) else lb)


def smo(
    K: np.ndarray, t: np.ndarray, C: float, tol: float = 1e-3, max_iter: int = MAX_ITER
) -> Generator[SmoStep, None, SmoStep]:
    """Yields the state after every pair update (and the start); returns the final state."""
    n = t.size
    alpha = np.zeros(n)
    G = -np.ones(n)  # ∇ of ½αᵀQα − eᵀα
    QD = np.diag(K).copy()

    def state(it: int, pair: tuple[int, int], gap: float) -> SmoStep:
        objective = -0.5 * float(alpha @ (G - 1.0))  # eᵀα − ½αᵀQα, since Qα = G + e
        return SmoStep(it, pair, alpha.copy(), _rho(t, G, alpha, C), objective, gap)

    yield state(0, (-1, -1), np.inf)
    it, gap = 0, np.inf
    while it < max_iter:
        # I_up: may still move "up" in t·α; I_low: may move down. The violation is −tG over them.
        up = ((t > 0) & (alpha < C)) | ((t < 0) & (alpha > 0))
        low = ((t > 0) & (alpha > 0)) | ((t < 0) & (alpha < C))
        v = -t * G
        if not up.any() or not low.any():
            break
        i = int(np.flatnonzero(up)[np.argmax(v[up])])
        gmax = v[i]
        gmin = float(v[low].min())
        gap = gmax - gmin
        if gap < tol:
            break
        # Second index: the largest guaranteed decrease −b²/a among violating partners (second-order WSS).
        b_ij = gmax - v
        a_ij = QD[i] + QD - 2.0 * K[i]
        a_ij = np.where(a_ij > 0, a_ij, TAU)
        candidates = low & (b_ij > 0)
        gain = np.where(candidates, -(b_ij**2) / a_ij, np.inf)
        j = int(np.argmin(gain))
        old_i, old_j = alpha[i], alpha[j]
        quad = max(QD[i] + QD[j] - 2.0 * K[i, j], TAU)
        if t[i] != t[j]:
            delta = (-G[i] - G[j]) / quad
            diff = alpha[i] - alpha[j]
            alpha[i] += delta
            alpha[j] += delta
            if diff > 0:
                if alpha[j] < 0:
                    alpha[j], alpha[i] = 0.0, diff
            elif alpha[i] < 0:
                alpha[i], alpha[j] = 0.0, -diff
            if diff > 0:
                if alpha[i] > C:
                    alpha[i], alpha[j] = C, C - diff
            elif alpha[j] > C:
                alpha[j], alpha[i] = C, C + diff
        else:
            delta = (G[i] - G[j]) / quad
            total = alpha[i] + alpha[j]
            alpha[i] -= delta
            alpha[j] += delta
            if total > C:
                if alpha[i] > C:
                    alpha[i], alpha[j] = C, total - C
            elif alpha[j] < 0:
                alpha[j], alpha[i] = 0.0, total
            if total > C:
                if alpha[j] > C:
                    alpha[j], alpha[i] = C, total - C
            elif alpha[i] < 0:
                alpha[i], alpha[j] = 0.0, total
        d_i, d_j = alpha[i] - old_i, alpha[j] - old_j
        G += t * (t[i] * K[:, i] * d_i + t[j] * K[:, j] * d_j)  # Q[:, i] = t t_i K[:, i]
        it += 1
        yield state(it, (i, j), gap)
    return state(it, (-1, -1), gap)


def _decision(kernel: Kernel, Xt: np.ndarray, t: np.ndarray, step: SmoStep, A: np.ndarray) -> np.ndarray:
    sv = step.alpha > 0
    if not sv.any():
        return np.full(A.shape[0], -step.rho)
    return np.asarray(kernel(A, Xt[sv]) @ (step.alpha[sv] * t[sv]) - step.rho)  # (m,)


def _alpha_change(before: float, after: float, C: float) -> str:
    """ "0 → 1 (the cap C)": one α's move, in words."""
    where = " (the cap C)" if after >= C else " (no longer a support vector)" if after <= 0 < before else ""
    return f"{num(before, 3)} → {num(after, 3)}{where}"


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    kernel: str,
    C: float,
    gamma: float | str,
    degree: int,
    coef0: float,
    grid_size: int,
    tol: float = 1e-3,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames: ``start``, ``smo`` (at geometrically spaced pair updates), then ``converged`` or ``stopped``."""
    Xt, t = X[parts.train], np.where(y[parts.train] == 1, 1.0, -1.0)
    k = Kernel(kernel, resolve_gamma(gamma, Xt), degree, coef0)
    K = k(Xt, Xt)  # (n, n)
    grid = make_grid(X, grid_size)
    train_rows = parts.train
    formula = kernel_formula(k)

    def frame(kind: str, step: SmoStep, caption: str) -> tuple[Frame, np.ndarray]:
        sv = np.flatnonzero(step.alpha > 0)
        f_points = _decision(k, Xt, t, step, X)
        f_grid = _decision(k, Xt, t, step, grid.points)
        scores = score(y, (f_points > 0).astype(np.int64), parts, 2)
        state = {
            "support_indices": train_rows[sv],
            "dual_coef": step.alpha[sv] * t[sv],
            "intercept": -step.rho,
            "objective": step.objective,
            "iteration": step.iteration,
            **scores.state(),
        }
        visual = {"decision": f_grid, "misclassified": scores.misclassified}
        metrics = scores.metrics(objective=step.objective, support_vectors=float(sv.size))
        return Frame(kind, caption, state, metrics, visual=visual), f_grid

    def inside(step: SmoStep) -> int:
        """Training points inside the margin band (t·f < 1) or on the wrong side, at this step."""
        return int(np.sum(t * _decision(k, Xt, t, step, Xt) < 1 - 1e-9))

    loop = smo(K, t, C, tol)
    start = next(loop)
    yield frame(
        "start",
        start,
        f"Every training point has a weight α (how much it shapes the boundary), all {t.size} "
        "at 0: no support vectors yet (the points with α > 0). SMO changes two α at a time, "
        f"keeping Σ αᵢyᵢ = 0, and the dual objective it maximises rises every step. Kernel "
        f"{formula}: the similarity the boundary is built from.",
    )[0]
    next_frame = 1
    previous = start
    while True:
        try:
            step = next(loop)
        except StopIteration as done:
            final: SmoStep = done.value
            break
        before, previous = previous, step
        if step.iteration >= next_frame:
            next_frame = max(next_frame + 1, int(np.ceil(next_frame * FRAME_GROWTH)))
            i, j = step.pair
            n_sv = int((step.alpha > 0).sum())
            moves = (_alpha_change(before.alpha[i], step.alpha[i], C), _alpha_change(before.alpha[j], step.alpha[j], C))
            moved = f"both went {moves[0]}" if moves[0] == moves[1] else f"went {moves[0]} and {moves[1]}"
            caption = (
                f"Pair update {step.iteration}: α of points {train_rows[i]} and {train_rows[j]} {moved}, the "
                f"pair furthest from optimal (KKT gap {num(step.gap, 3)}; SMO stops below {num(tol)}). "
                f"{plural(n_sv, 'support vector')}; {plural(inside(step), 'training point')} inside the margin "
                "(−1 < f(x) < 1) or misclassified."
            )
            yield frame("smo", step, caption)[0]
    n_sv = int((final.alpha > 0).sum())
    space = feature_space(
        k, Xt, t, final.alpha, final.rho, final.objective, _decision(k, Xt, t, final, Xt), X, train_rows
    )
    space["caption"] = kernel_caption(space)
    if final.gap < tol or final.iteration < MAX_ITER:  # the loop only stops early at the optimum
        kind = "converged"
        at_cap = int((final.alpha >= C).sum())
        caption = (
            f"Converged after {plural(final.iteration, 'pair update')}: every pair is within {num(tol)} of "
            f"optimal, the widest margin the penalty C = {num(C)} allows. {plural(n_sv, 'support vector')} "
            f"decide the boundary ({n_sv - at_cap} on the margin, {at_cap} at the cap α = C: inside it or "
            "misclassified); the other points could be removed without changing it. "
            + kernel_caption(space, short=True)
        )
    else:
        kind = "stopped"
        caption = (
            f"Stopped at {plural(MAX_ITER, 'pair update')} before every pair was within {num(tol)} of optimal "
            f"(KKT gap {num(final.gap, 3)}); {plural(n_sv, 'support vector')} so far. "
            + kernel_caption(space, short=True)
        )
    last_frame, f_grid = frame(kind, final, caption)
    last_frame.state["converged"] = kind == "converged"
    yield last_frame
    f_points = _decision(k, Xt, t, final, X)
    sv = np.flatnonzero(final.alpha > 0)
    return {
        "support_indices": train_rows[sv],
        "dual_coef": final.alpha[sv] * t[sv],
        "intercept": -final.rho,
        "objective": final.objective,
        "n_iter": final.iteration,
        "converged": kind == "converged",
        "gamma": k.gamma,
        "train_accuracy": last_frame.state["train_accuracy"],
        "test_accuracy": last_frame.state["test_accuracy"],
        "train_indices": train_rows,
        "test_indices": parts.test,
        "decision_values": f_points,  # (n,) f(x) at every point
        "feature_space": space,  # where the separator is flat, for the kernel-trick panel (see feature_space)
        "grid": grid_result(grid, (f_grid > 0).astype(np.int64), decision=f_grid),
    }
