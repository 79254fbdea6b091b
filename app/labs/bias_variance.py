"""The bias–variance lab (journal day 18): one model family fitted to many training sets drawn from a known truth,
its test error split into bias², variance and noise, complexity by complexity.

``prepare`` builds what needs no randomness: the x grid the curves are drawn over, the truth on it, and the sweep
of complexities (degrees 0..max, depths 1..max, or k from max down to 1, at most 16 of them). A polynomial degree
of at least the points per set, or a k above them, is clamped (a ``Clamp``): such a fit is not determined by the
data. The training and test sets are drawn by the engine from the run's seed.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.engines import bias_variance as bv
from app.engines import bias_variance_run as story
from app.schemas.bias_variance import BiasVarianceParams
from app.schemas.frames.bias_variance import BiasVarianceFrame, BiasVarianceResult
from app.views.bias_variance import BiasVarianceView

N_TEST = 200
"""Test x shared by every training set (each with fresh noise per set)."""
MOST_K_VALUES = 16


@dataclass(frozen=True)
class BiasVarianceInputs:
    """The run's fixed parts (the view reads them through ``app.views.bias_variance.SweepData``)."""

    grid: np.ndarray  # (g,) x at which the curves are drawn, over the truth's domain
    truth_curve: np.ndarray  # (g,) f at the grid
    complexities: tuple[int, ...]  # simplest first
    n_test: int
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def k_values(k_max: int) -> tuple[int, ...]:
    """k from ``k_max`` down to 1: every k when there are at most 16, else 16 about evenly on a log scale."""
    if k_max <= MOST_K_VALUES:
        return tuple(range(k_max, 0, -1))
    spaced = np.unique(np.round(np.geomspace(1, k_max, MOST_K_VALUES)).astype(int))
    return tuple(int(k) for k in spaced[::-1])


def _sweep(params: BiasVarianceParams) -> tuple[tuple[int, ...], tuple[Clamp, ...]]:
    n = params.n_points
    clamps: tuple[Clamp, ...] = ()
    if params.model == "polynomial":
        degree = min(params.max_degree, n - 1)
        if degree < params.max_degree:
            note = (
                f"Note: degree {params.max_degree} needs at least {params.max_degree + 1} points per set and each "
                f"has {n}, so the sweep stops at degree {degree} (a higher one would not be determined by the data)."
            )
            clamps = (Clamp("max_degree", degree, note),)
        return tuple(range(degree + 1)), clamps
    if params.model == "tree":
        return tuple(range(1, params.max_depth + 1)), ()
    k = min(params.max_k, n)
    if k < params.max_k:
        note = f"Note: k = {params.max_k} is more than the {n} points per set, so the sweep starts at k = {k}."
        clamps = (Clamp("max_k", k, note),)
    return k_values(k), clamps


def _prepare(params: BiasVarianceParams, limits: Limits) -> BiasVarianceInputs:
    grid = np.linspace(bv.X_LO, bv.X_HI, params.grid_size)
    complexities, clamps = _sweep(params)
    return BiasVarianceInputs(
        grid=grid,
        truth_curve=bv.TRUTHS[params.truth](grid),
        complexities=complexities,
        n_test=N_TEST,
        clamps=clamps,
    )


def _run(
    inputs: BiasVarianceInputs, params: BiasVarianceParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    problem = story.Problem(
        truth=params.truth,
        noise=params.noise,
        n_points=params.n_points,
        n_datasets=params.n_datasets,
        n_test=inputs.n_test,
        model=params.model,
        complexities=inputs.complexities,
        grid=inputs.grid,
    )
    return story.run(problem, run_seed(rng), rng)


BIAS_VARIANCE: Algorithm[BiasVarianceParams, BiasVarianceInputs] = Algorithm(
    id="bias-variance",
    title="Bias and variance",
    family="evaluation",
    summary=(
        "Draw many training sets from one known curve plus noise, fit the same model to each, and watch the fits "
        "fan out as the model grows more complex. The test error splits into bias² (the average fit misses the "
        "truth), variance (the fits disagree) and noise (no model can predict it): simple models err by bias, "
        "complex ones by variance, and the U-shaped test error has its sweet spot between."
    ),
    days=(18,),
    params_model=BiasVarianceParams,
    prepare=_prepare,
    engine=_run,
    view=BiasVarianceView(),
    frame_model=BiasVarianceFrame,
    result_model=BiasVarianceResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (BIAS_VARIANCE,)
