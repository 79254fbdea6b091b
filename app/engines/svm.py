"""Soft-margin SVM by SMO in NumPy, with LIBSVM's working-set selection, so the support vectors can be watched
settling pair update by pair update.

scikit-learn's ``SVC`` (LIBSVM) hides its iterations; this is the same solver written out: the dual
min ½αᵀQα − eᵀα subject to 0 ≤ α ≤ C, yᵀα = 0 with Q_ij = y_i y_j K(x_i, x_j), a maximal-violating first index and
the second-order choice of the second (Fan, Chen & Lin 2005), stopping when the KKT gap is below ``tol`` (1e-3, as
SVC). Kernels are scikit-learn's pairwise kernels, formula for formula (``svm_space.Kernel``, tested against
them), so the settings mean what they mean in SVC; K's rows are computed as SMO first needs them.

A frame's decision values are not recomputed over every support vector: the training points' come from SMO's
gradient and the grid's and test points' move by the kernel columns of the α that changed since the last frame
(``svm_grid``), so a whole run costs a few times SVC.fit rather than a hundred. ``checkpoint()`` runs once per
pair update, so a run past its budget or left by its client stops inside the solver.

Shapes: training ``Xt`` (n, 2); labels ``t`` (n,) in {−1, +1} (class 1 is +1, as SVC's decision_function);
``alpha`` and ``v`` = −t·G, G the gradient (n,); kernel matrix ``K`` (n, n).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural
from app.engines.boundary import Split, grid_result, make_grid, score
from app.engines.svm_grid import Precomputed, grid_tracker
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


class KernelRows:
    """The training kernel matrix K (n, n), a row computed when SMO first needs it (the two rows of each pair
    update) and kept: a run that converges in a few hundred updates computes a fraction of K, as LIBSVM's
    kernel cache does. Memory grows with the rows used, up to n²·8 bytes (32 MB at 2,000 training points).

    An rbf row is exp(min(aᵢ + a + 2γ X·xᵢ, 0)) with a = −γ‖x‖²: scikit-learn's expansion of ‖xᵢ − x‖² with
    the −γ folded in, five NumPy calls a row (SMO asks for two rows a step, so their count matters); K(x, x)
    and QD are exactly 1. Other kernels' rows are ``Kernel.of_dots`` of X·xᵢ, and QD their diagonal."""

    def __init__(self, kernel: Kernel, Xt: np.ndarray) -> None:
        self.kernel, self.Xt = kernel, Xt
        n = Xt.shape[0]
        self.K = np.empty((n, n))  # pages untouched until their row is computed cost no memory
        self.have = np.zeros(n, dtype=bool)
        self.diag = kernel.diagonal(Xt)
        self.a = -kernel.gamma * np.einsum("ij,ij->i", Xt, Xt)  # (n,) −γ‖x‖², rbf only
        self.scaled = (2.0 * kernel.gamma) * Xt  # (n, d) 2γ x, rbf only

    def __getitem__(self, i: int) -> np.ndarray:
        """(n,) K(xᵢ, x·)."""
        row: np.ndarray = self.K[i]
        if not self.have[i]:
            self.have[i] = True
            if self.kernel.name == "rbf":
                np.dot(self.Xt, self.scaled[i], out=row)  # a (n, 2) × (2,) product: one thread, whatever the load
                row += self.a
                row += self.a[i]
                np.minimum(row, 0.0, out=row)  # ‖xᵢ − x‖² ≥ 0
                np.exp(row, out=row)
            else:
                np.dot(self.Xt, self.Xt[i], out=row)
                values = self.kernel.of_dots(row)
                if values is not row:
                    row[:] = values
            row[i] = self.diag[i]  # K(x, x) exactly QD, as scikit-learn's rbf sets it (rounding aside)
        return row


class Smo:
    """LIBSVM's solver on the training kernel matrix ``K`` (rows on demand): one pair update per ``step()``.

    Keeps ``v`` (n,) = −t·G, how far each α is from optimal (G the gradient of ½αᵀQα − eᵀα; the maximal violating
    pair has the largest ``v`` over ``up`` and the smallest over ``low``), and the masks ``up`` / ``low`` (n,) of
    the α that may still move up / down in t·α, which change only at the two rows a step updates. The dual
    objective and ρ are computed only when asked (for a frame), not per step."""

    def __init__(self, K: KernelRows, t: np.ndarray, C: float, tol: float) -> None:
        self.K, self.t, self.C, self.tol = K, t, C, tol
        self.signs: list[float] = t.tolist()  # t as Python floats: the pair update is scalar code
        self.alpha = np.zeros(t.size)
        self.v = t.copy()  # G = −e at α = 0
        self.QD = K.diag
        self.up, self.low = t > 0, t < 0  # every α = 0 < C
        self.iteration = 0
        self.gap = np.inf  # the KKT violation m(α) − M(α) when the last pair was chosen
        self.pair = (-1, -1)  # the two rows the last step updated
        self.before = (0.0, 0.0)  # their α before it

    def step(self) -> bool:
        """One pair update; False (and nothing changed) when no pair violates the KKT conditions by ``tol``."""
        checkpoint()
        v, C = self.v, self.C
        v_up = np.where(self.up, v, -np.inf)
        v_low = np.where(self.low, v, np.inf)
        i = int(v_up.argmax())
        gmax, gmin = float(v_up[i]), float(v_low.min())
        if gmax == -np.inf or gmin == np.inf:
            return False
        self.gap = gmax - gmin
        if self.gap < self.tol:
            return False
        # Second index: the largest guaranteed decrease −b²/a among violating partners (second-order WSS).
        K_i = self.K[i]
        b = gmax - v_low  # −inf outside I_low
        partner = b > 0
        a = self.QD[i] + self.QD - 2.0 * K_i
        a = np.where(a > 0, a, TAU)
        b *= b
        b /= a
        j = int(np.where(partner, b, -1.0).argmax())  # the largest b²/a: LIBSVM's smallest −b²/a
        K_j = self.K[j]
        old_i, old_j = float(self.alpha[i]), float(self.alpha[j])
        t_i, t_j = self.signs[i], self.signs[j]
        G_i, G_j = -t_i * float(v[i]), -t_j * float(v[j])
        quad = max(float(self.QD[i] + self.QD[j] - 2.0 * K_i[j]), TAU)
        a_i, a_j = old_i, old_j
        if t_i != t_j:
            delta = (-G_i - G_j) / quad
            diff = a_i - a_j
            a_i += delta
            a_j += delta
            if diff > 0:
                if a_j < 0:
                    a_j, a_i = 0.0, diff
            elif a_i < 0:
                a_i, a_j = 0.0, -diff
            if diff > 0:
                if a_i > C:
                    a_i, a_j = C, C - diff
            elif a_j > C:
                a_j, a_i = C, C + diff
        else:
            delta = (G_i - G_j) / quad
            total = a_i + a_j
            a_i -= delta
            a_j += delta
            if total > C:
                if a_i > C:
                    a_i, a_j = C, total - C
            elif a_j < 0:
                a_j, a_i = 0.0, total
            if total > C:
                if a_j > C:
                    a_j, a_i = C, total - C
            elif a_i < 0:
                a_i, a_j = 0.0, total
        self.alpha[i], self.alpha[j] = a_i, a_j
        v -= K_i * (t_i * (a_i - old_i)) + K_j * (t_j * (a_j - old_j))  # −t·ΔG, Q[:, r] = t t_r K[:, r]
        for r, t_r, a_r in ((i, t_i, a_i), (j, t_j, a_j)):
            self.up[r] = a_r < C if t_r > 0 else a_r > 0
            self.low[r] = a_r > 0 if t_r > 0 else a_r < C
        self.iteration += 1
        self.pair, self.before = (i, j), (old_i, old_j)
        return True

    def objective(self) -> float:
        """The dual objective eᵀα − ½αᵀQα (it rises), from Qα = G + e."""
        return 0.5 * float(self.alpha @ (self.t * self.v + 1.0))

    def rho(self) -> float:
        """LIBSVM's calculate_rho: the mean of t·G over free vectors, else the middle of the feasible interval."""
        free = self.up & self.low  # 0 < α < C, whatever the sign of t
        count = int(np.count_nonzero(free))
        if count:
            return -float(self.v[free].sum()) / count
        yG, alpha, t, C = -self.v, self.alpha, self.t, self.C
        at_upper, at_lower = alpha >= C, alpha <= 0
        ub_mask = (at_upper & (t < 0)) | (at_lower & (t > 0))
        lb_mask = (at_upper & (t > 0)) | (at_lower & (t < 0))
        ub = float(yG[ub_mask].min()) if ub_mask.any() else np.inf
        lb = float(yG[lb_mask].max()) if lb_mask.any() else -np.inf
        return (ub + lb) / 2 if np.isfinite(ub) and np.isfinite(lb) else (ub if np.isfinite(ub) else lb)


@dataclass(frozen=True)
class Snapshot:
    """The model after some pair updates: f = Σ αᵢtᵢ K(xᵢ, ·) − rho on every row of X and on the grid."""

    iteration: int
    alpha: np.ndarray  # (n,) a copy
    rho: float
    objective: float
    f_points: np.ndarray  # (len(X),)
    f_grid: np.ndarray  # (g·g,)


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
    """Frames: ``start``, ``smo`` (at geometrically spaced pair updates), then ``converged`` or ``stopped``.

    A frame costs O(n + grid + the columns of the α changed since the last frame): the training points' f comes
    from SMO's gradient, the test points' and the grid's from trackers that add only those columns (svm_grid)."""
    Xt, t = X[parts.train], np.where(y[parts.train] == 1, 1.0, -1.0)
    k = Kernel(kernel, resolve_gamma(gamma, Xt), degree, coef0)
    K = KernelRows(k, Xt)  # (n, n), rows on demand
    grid = make_grid(X, grid_size)
    train_rows = parts.train
    formula = kernel_formula(k)
    on_grid = grid_tracker(k.name, k.gamma, Xt, grid, k)
    on_test = Precomputed(k(Xt, X[parts.test]))  # (n, n_test)
    solver = Smo(K, t, C, tol)

    def snapshot() -> Snapshot:
        rho = solver.rho()
        coef = solver.alpha * t
        f_points = np.empty(X.shape[0])
        f_points[train_rows] = t - solver.v - rho  # t·(G + 1) − ρ, since (Qα)ᵢ = tᵢ(fᵢ + ρ)
        if parts.test.size:
            f_points[parts.test] = on_test.sync(coef) - rho
        f_grid = on_grid.sync(coef) - rho  # a new array: the frame keeps it
        return Snapshot(solver.iteration, solver.alpha.copy(), rho, solver.objective(), f_points, f_grid)

    def frame(kind: str, snap: Snapshot, caption: str) -> Frame:
        sv = np.flatnonzero(snap.alpha > 0)
        scores = score(y, (snap.f_points > 0).astype(np.int64), parts, 2)
        state = {
            "support_indices": train_rows[sv],
            "dual_coef": snap.alpha[sv] * t[sv],
            "intercept": -snap.rho,
            "objective": snap.objective,
            "iteration": snap.iteration,
            **scores.state(),
        }
        visual = {"decision": snap.f_grid, "misclassified": scores.misclassified}
        metrics = scores.metrics(objective=snap.objective, support_vectors=float(sv.size))
        return Frame(kind, caption, state, metrics, visual=visual)

    def inside(snap: Snapshot) -> int:
        """Training points inside the margin band (t·f < 1) or on the wrong side, at this step."""
        return int(np.sum(t * snap.f_points[train_rows] < 1 - 1e-9))

    yield frame(
        "start",
        snapshot(),
        f"Every training point has a weight α (how much it shapes the boundary), all {t.size} "
        "at 0: no support vectors yet (the points with α > 0). SMO changes two α at a time, "
        f"keeping Σ αᵢyᵢ = 0, and the dual objective it maximises rises every step. Kernel "
        f"{formula}: the similarity the boundary is built from.",
    )
    next_frame = 1
    while solver.iteration < MAX_ITER and solver.step():
        if solver.iteration >= next_frame:
            next_frame = max(next_frame + 1, int(np.ceil(next_frame * FRAME_GROWTH)))
            i, j = solver.pair
            snap = snapshot()
            n_sv = int((snap.alpha > 0).sum())
            moves = (
                _alpha_change(solver.before[0], snap.alpha[i], C),
                _alpha_change(solver.before[1], snap.alpha[j], C),
            )
            moved = f"both went {moves[0]}" if moves[0] == moves[1] else f"went {moves[0]} and {moves[1]}"
            caption = (
                f"Pair update {snap.iteration}: α of points {train_rows[i]} and {train_rows[j]} {moved}, the "
                f"pair furthest from optimal (KKT gap {num(solver.gap, 3)}; SMO stops below {num(tol)}). "
                f"{plural(n_sv, 'support vector')}; {plural(inside(snap), 'training point')} inside the margin "
                "(−1 < f(x) < 1) or misclassified."
            )
            yield frame("smo", snap, caption)
    final = snapshot()
    n_sv = int((final.alpha > 0).sum())
    f_train = final.f_points[train_rows]

    def similarity(sv: np.ndarray) -> np.ndarray:
        """K(X, Xt[sv]) (len(X), n_sv) from what the run holds: an α > 0 has moved, so SMO computed its row."""
        rows = np.flatnonzero(sv)
        out = np.empty((X.shape[0], rows.size))
        out[train_rows] = np.stack([K[int(r)] for r in rows], axis=1) if rows.size else 0.0
        out[parts.test] = on_test.KT[rows].T
        return out

    space = feature_space(k, Xt, t, final.alpha, final.rho, final.objective, f_train, X, train_rows, similarity)
    space["caption"] = kernel_caption(space)
    if solver.gap < tol or solver.iteration < MAX_ITER:  # the loop only stops early at the optimum
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
            f"(KKT gap {num(solver.gap, 3)}); {plural(n_sv, 'support vector')} so far. "
            + kernel_caption(space, short=True)
        )
    last_frame = frame(kind, final, caption)
    last_frame.state["converged"] = kind == "converged"
    yield last_frame
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
        "decision_values": final.f_points,  # (n,) f(x) at every point
        "feature_space": space,  # where the separator is flat, for the kernel-trick panel (see feature_space)
        "grid": grid_result(grid, (final.f_grid > 0).astype(np.int64), decision=final.f_grid),
    }
