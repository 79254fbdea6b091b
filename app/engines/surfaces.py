"""2-D loss surfaces written in torch (so autograd gives the gradient torch.optim steps on).

Each ``Surface`` holds its formula (a function of two float64 tensors, elementwise, so the same code
evaluates one point for the optimiser and a whole grid for the contour), its view/domain box, a default
start, its known global minima and their value ``lowest`` (None where f has no minimum: the saddle falls to −∞).
The domain box is also the box a ``start`` must lie in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from scipy import optimize

Formula = Callable[[torch.Tensor, torch.Tensor, float], torch.Tensor]
GRID = 120  # contour resolution per axis (the scene sends GRID² float32 values once)


def _quadratic(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = ½(x² + κ·y²): a bowl whose condition number is κ (the y-direction is κ times steeper)."""
    return 0.5 * (x**2 + kappa * y**2)


def _rosenbrock(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = (1 − x)² + 100(y − x²)²: a curved, flat-bottomed valley; minimum f(1, 1) = 0."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _himmelblau(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = (x² + y − 11)² + (x + y² − 7)²: four minima, all with f = 0."""
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _beale(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: minimum f(3, 0.5) = 0, flat plateaus."""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _saddle(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = x² − y²: a saddle at (0, 0) and no minimum (f → −∞ along y)."""
    return x**2 - y**2


def _rastrigin(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = 20 + x² − 10cos 2πx + y² − 10cos 2πy: a bowl covered in local minima; global f(0, 0) = 0."""
    return 20 + x**2 - 10 * torch.cos(2 * math.pi * x) + y**2 - 10 * torch.cos(2 * math.pi * y)


def _six_hump_camel(x: torch.Tensor, y: torch.Tensor, kappa: float) -> torch.Tensor:
    """f = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: six local minima; global f(±0.0898, ∓0.7126) ≈ −1.0316."""
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


@dataclass(frozen=True)
class Surface:
    name: str
    title: str
    formula: Formula
    box: tuple[float, float, float, float]  # (x_min, x_max, y_min, y_max): view window = domain of `start`
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]  # the global minimisers (other local minima are found, not listed)
    lowest: float | None = 0.0  # f at the global minimum; None = unbounded below (no minimum)

    @property
    def doc(self) -> str:
        return (self.formula.__doc__ or "").strip()

    def contains(self, point: tuple[float, float] | list[float]) -> bool:
        x0, x1, y0, y1 = self.box
        return x0 <= point[0] <= x1 and y0 <= point[1] <= y1

    def box_text(self) -> str:
        x0, x1, y0, y1 = self.box
        return f"x ∈ [{x0:g}, {x1:g}], y ∈ [{y0:g}, {y1:g}]"


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface("quadratic", "Quadratic bowl", _quadratic, (-3.0, 3.0, -2.0, 2.0), (-2.8, 1.2), ((0.0, 0.0),)),
        Surface("rosenbrock", "Rosenbrock valley", _rosenbrock, (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5), ((1.0, 1.0),)),
        Surface(
            "himmelblau",
            "Himmelblau",
            _himmelblau,
            (-5.0, 5.0, -5.0, 5.0),
            (-0.5, -4.5),
            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
        ),
        Surface("beale", "Beale", _beale, (-4.5, 4.5, -4.5, 4.5), (-1.0, 1.5), ((3.0, 0.5),)),
        Surface("saddle", "Saddle", _saddle, (-2.0, 2.0, -2.0, 2.0), (-1.8, 0.05), (), None),
        Surface("rastrigin", "Rastrigin", _rastrigin, (-5.12, 5.12, -5.12, 5.12), (-4.2, 3.7), ((0.0, 0.0),)),
        Surface(
            "six-hump-camel",
            "Six-hump camel",
            _six_hump_camel,
            (-2.0, 2.0, -1.2, 1.2),
            (-1.8, -0.9),
            ((0.0898, -0.7126), (-0.0898, 0.7126)),
            -1.0316284534898774,
        ),
    )
}


@dataclass(frozen=True)
class Grid:
    """The surface sampled for the contour: ``xs`` (GRID,), ``ys`` (GRID,), ``z`` (GRID, GRID) = f(xs[j], ys[i])."""

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    level: np.ndarray  # (GRID, GRID) log10(f − min f + ε): what the log-scaled contour colours
    offset: float  # min f on the grid − ε, so f = 10**level + offset


def grid(surface: Surface, kappa: float, n: int = GRID) -> Grid:
    """Sample f on an n×n grid over the surface's box (one vectorised torch call)."""
    x0, x1, y0, y1 = surface.box
    xs = np.linspace(x0, x1, n)
    ys = np.linspace(y0, y1, n)
    X, Y = np.meshgrid(xs, ys)  # (n, n), row i = ys[i]
    with torch.no_grad():
        z = surface.formula(torch.from_numpy(X), torch.from_numpy(Y), kappa).numpy()
    spread = float(z.max() - z.min())
    eps = max(spread * 1e-4, 1e-12)  # the log needs f − min > 0; ε sets how deep the darkest level goes
    offset = float(z.min()) - eps
    return Grid(xs, ys, z, np.log10(z - offset), offset)


def value_grad_hessian(surface: Surface, kappa: float, point: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """f, ∇f (2,) and the Hessian (2, 2) at one point, by autograd (noise-free: the surface's own slope)."""
    p = torch.tensor(np.asarray(point, dtype=float), dtype=torch.float64, requires_grad=True)
    value = surface.formula(p[0], p[1], kappa)
    (grad,) = torch.autograd.grad(value, p, create_graph=True)
    hess = torch.stack([torch.autograd.grad(grad[i], p, retain_graph=True)[0] for i in range(2)])
    return float(value.detach()), grad.detach().numpy().copy(), hess.detach().numpy().copy()


def nearest_minimum(surface: Surface, kappa: float, point: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The local minimum whose basin ``point`` is in (BFGS from ``point``, autograd gradients): (where (2,), f).
    None on a surface with no minimum (BFGS would walk off to −∞) or when BFGS leaves the plane."""
    if surface.lowest is None:
        return None

    def fun(q: np.ndarray) -> tuple[float, np.ndarray]:  # f and ∇f only (BFGS builds its own curvature)
        t = torch.tensor(q, dtype=torch.float64, requires_grad=True)
        value = surface.formula(t[0], t[1], kappa)
        torch.autograd.backward(value)
        assert t.grad is not None
        return float(value.detach()), t.grad.numpy().copy()

    found = optimize.minimize(
        fun, np.asarray(point, dtype=float), jac=True, method="BFGS", options={"gtol": 1e-10, "maxiter": 500}
    )
    where = np.asarray(found.x, dtype=float)
    if not np.isfinite(where).all() or np.abs(where).max() > 1e6:
        return None
    return where, float(found.fun)
