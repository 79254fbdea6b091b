"""2-D loss surfaces written in torch (so autograd gives the gradient torch.optim steps on).

Each ``Surface`` holds its formula (a function of two float64 tensors, elementwise, so the same code
evaluates one point for the optimiser and a whole grid for the contour), its view/domain box, a default
start and its known minima. The domain box is also the box a ``start`` must lie in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

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
    minima: tuple[tuple[float, float], ...]

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
        Surface("himmelblau", "Himmelblau", _himmelblau, (-5.0, 5.0, -5.0, 5.0), (-0.5, -4.5),
                ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126))),
        Surface("beale", "Beale", _beale, (-4.5, 4.5, -4.5, 4.5), (-1.0, 1.5), ((3.0, 0.5),)),
        Surface("saddle", "Saddle", _saddle, (-2.0, 2.0, -2.0, 2.0), (-1.8, 0.05), ()),
        Surface("rastrigin", "Rastrigin", _rastrigin, (-5.12, 5.12, -5.12, 5.12), (-4.2, 3.7), ((0.0, 0.0),)),
        Surface("six-hump-camel", "Six-hump camel", _six_hump_camel, (-2.0, 2.0, -1.2, 1.2), (-1.8, -0.9),
                ((0.0898, -0.7126), (-0.0898, 0.7126))),
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
