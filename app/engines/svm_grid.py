"""The SVM's decision values on fixed targets (the boundary grid, the test points), kept current frame by frame
from the coefficients that changed, instead of recomputed over every support vector.

f(z) = Σᵢ cᵢ K(xᵢ, z) − ρ with c = α·t. SMO changes two α per pair update, so between two frames only a few
cᵢ move, and S(z) = Σᵢ cᵢ K(xᵢ, z) moves by Σ over those i of Δcᵢ K(xᵢ, z): one kernel column per changed
coefficient (at most two per pair update since the last frame, usually far fewer as the same free vectors
keep moving). ρ changes every step and is subtracted by the caller.

How a column K(xᵢ, ·) is had, by kernel:

* ``linear``: S(z) = w·z with w = Σ cᵢxᵢ, exact at every sync (O(n + m), nothing cached, no drift).
* ``rbf`` on the grid: exp(−γ‖x − z‖²) = exp(−γ(x₁ − z₁)²)·exp(−γ(x₂ − z₂)²), so the column of xᵢ over the
  g × g grid is the outer product of two g-vectors, and S = Eyᵀ diag(c) Ex. Both factors, (n, g) each, are
  kept whole, a row computed when its coefficient first moves: 2·n·g·8 bytes at most (800 KB at 500 points,
  grid 100).
* poly and sigmoid on the grid: an LRU of columns under ``COLUMN_BUDGET`` bytes (16 MiB; the whole n × grid
  matrix would be 40 MB at 500 points and grid 100², 640 MB at 2,000 and 200²), the missing ones computed in
  batches (``ColumnCache``).
* the test points, any kernel: K(Xt, X_test) precomputed whole (``Precomputed``), n·n_test·8 bytes, within
  the n × n kernel's own budget.

Summed updates drift from a fresh sum by rounding; every ``REFRESH_EVERY`` syncs the values are recomputed
from scratch over the nonzero coefficients, which bounds the drift. That is a guard more than a need: without
it the grid stayed within 2.6e-12 of a fresh sum over a 6,221-update run at C = 1000 (tests compare every frame
to 1e-9, tests/engines/test_svm_grid.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from app.core.budget import checkpoint
from app.engines.boundary import Grid

COLUMN_BUDGET = 16 * 2**20
"""Bytes of cached kernel columns per run: 209 columns of a 100² grid (80 KB each), 52 of a 200² grid."""
CHUNK_VALUES = 2**20
"""Kernel values computed between two ``checkpoint()`` calls (8 MB, a few ms): a long sync stays stoppable."""
REFRESH_EVERY = 32
"""Syncs between two exact recomputations (a run has ~30–130 frames, so 1–4 refreshes)."""


class Tracked:
    """``values`` (m,) = Σᵢ cᵢ K(xᵢ, targetⱼ), brought up to date by ``sync(c)`` from the entries of ``c`` that
    changed since the last sync. Subclasses say how to add columns (``_add``)."""

    def __init__(self, n: int, m: int) -> None:
        self.seen = np.zeros(n)  # (n,) the coefficients ``values`` holds
        self.values = np.zeros(m)
        self.syncs = 0

    def sync(self, coef: np.ndarray) -> np.ndarray:
        """Values for the coefficients ``coef`` (n,); the array is the tracker's own (copy it to keep it)."""
        if not self.values.size:  # no targets (no test set)
            return self.values
        changed = np.flatnonzero(coef != self.seen)
        if changed.size:
            self.syncs += 1
            if self.syncs % REFRESH_EVERY == 0:
                self.values[:] = 0.0
                changed = np.flatnonzero(coef)
                self._add(changed, coef[changed])
            else:
                self._add(changed, coef[changed] - self.seen[changed])
            self.seen = coef.copy()
        return self.values

    def _add(self, rows: np.ndarray, delta: np.ndarray) -> None:
        """values += Σ over ``rows`` of delta·K(x_row, ·)."""
        raise NotImplementedError


class Linear(Tracked):
    """S(z) = (Σ cᵢxᵢ)·z, exact every time: two numbers per sync instead of a column per coefficient."""

    def __init__(self, Xt: np.ndarray, targets: np.ndarray) -> None:
        super().__init__(Xt.shape[0], targets.shape[0])
        self.Xt, self.targets = Xt, targets

    def sync(self, coef: np.ndarray) -> np.ndarray:
        self.values = self.targets @ (coef @ self.Xt)
        return self.values


class SeparableRbf(Tracked):
    """The rbf kernel on a g × g grid: the column of xᵢ is outer(Ey[i], Ex[i]), with Ex[i] = ``factors[i, 0]``
    and Ey[i] = ``factors[i, 1]``, so adding k columns is one (g × k)(k × g) product. ``values`` is row-major
    like ``Grid.points``: values[a·g + b] at (xs[b], ys[a]). A row of the factors is computed the first time
    its coefficient moves (most α never leave 0)."""

    def __init__(self, Xt: np.ndarray, grid: Grid, gamma: float) -> None:
        super().__init__(Xt.shape[0], grid.size * grid.size)
        self.Xt, self.gamma = Xt[:, :2, None], gamma  # (n, 2, 1)
        self.ticks = np.stack([grid.xs, grid.ys])[None, :, :]  # (1, 2, g)
        self.factors = np.empty((Xt.shape[0], 2, grid.size))  # [i, 0] = exp(−γ(xᵢ₁ − xs)²), [i, 1] over ys
        self.have = np.zeros(Xt.shape[0], dtype=bool)
        self.square = self.values.reshape(grid.size, grid.size)  # a view: rows along y

    def _add(self, rows: np.ndarray, delta: np.ndarray) -> None:
        new = rows[~self.have[rows]]
        if new.size:
            d = self.Xt[new] - self.ticks  # (k, 2, g)
            d *= d
            d *= -self.gamma
            self.factors[new] = np.exp(d, out=d)
            self.have[new] = True
        f = self.factors[rows]  # (k, 2, g)
        self.square += f[:, 1, :].T @ (delta[:, None] * f[:, 0, :])


class Precomputed(Tracked):
    """Columns from a matrix held whole, ``KT`` (n, m) (the test points: n_test ≤ n, part of the O(n²) budget)."""

    def __init__(self, KT: np.ndarray) -> None:
        super().__init__(KT.shape[0], KT.shape[1])
        self.KT = KT

    def _add(self, rows: np.ndarray, delta: np.ndarray) -> None:
        self.values += delta @ self.KT[rows]


class ColumnCache(Tracked):
    """Columns computed on demand by ``kernel(Xt[rows], targets)`` and kept in an LRU under ``budget`` bytes."""

    def __init__(
        self,
        Xt: np.ndarray,
        targets: np.ndarray,
        kernel: Callable[[np.ndarray, np.ndarray], np.ndarray],
        budget: int = COLUMN_BUDGET,
    ) -> None:
        super().__init__(Xt.shape[0], targets.shape[0])
        self.Xt, self.targets, self.kernel = Xt, targets, kernel
        m = targets.shape[0]
        self.capacity = max(1, budget // (8 * m))  # columns the budget holds
        self.chunk = max(1, min(self.capacity, CHUNK_VALUES // m))  # columns per batch
        self.cache: OrderedDict[int, np.ndarray] = OrderedDict()  # row → (m,), least recently used first
        self.computed = 0  # columns computed so far (a miss each), for the benchmark

    def _add(self, rows: np.ndarray, delta: np.ndarray) -> None:
        m = self.targets.shape[0]
        for start in range(0, rows.size, self.chunk):
            checkpoint()
            part, d = rows[start : start + self.chunk], delta[start : start + self.chunk]
            columns = np.empty((part.size, m))
            missing: list[int] = []  # positions in ``part``
            for k, r in enumerate(part.tolist()):
                column = self.cache.get(r)
                if column is None:
                    missing.append(k)
                else:
                    self.cache.move_to_end(r)
                    columns[k] = column
            if missing:
                columns[missing] = self.kernel(self.Xt[part[missing]], self.targets)  # (len(missing), m)
                self.computed += len(missing)
                while self.cache and len(self.cache) + len(missing) > self.capacity:
                    self.cache.popitem(last=False)
                for k in missing[-self.capacity :]:
                    self.cache[int(part[k])] = columns[k].copy()  # its own buffer: the budget counts it alone
            self.values += d @ columns


def grid_tracker(
    name: str, gamma: float, Xt: np.ndarray, grid: Grid, kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> Tracked:
    """The cheapest exact way to follow S on the grid for this kernel."""
    if name == "linear":
        return Linear(Xt, grid.points)
    if name == "rbf":
        return SeparableRbf(Xt, grid, gamma)
    return ColumnCache(Xt, grid.points, kernel)
