"""Optimisation labs: the optimiser race on a loss surface, and gradient-descent variants on regression."""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import gradient_descent as descent
from app.engines import optimization as engine
from app.engines.surfaces import SURFACES, Grid, Surface, grid
from app.labs.checks import clamp_count
from app.schemas.common import ParamsError
from app.schemas.frames import optimization as optimization_frames
from app.schemas.optimization import GradientDescentParams, OptimizersParams
from app.views.optimization import GradientDescentView, RaceView

# torch.optim's first optimiser imports torch._dynamo (~1 s): pay it when the app starts, not in a run.
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


@dataclass(frozen=True)
class RaceInputs:
    """The surface, its contour grid, the common start and the racers (labels made unique)."""

    surface: Surface
    grid: Grid  # the surface sampled for the contour (its kappa applied)
    start: tuple[float, float]
    runs: tuple[engine.RunSpec, ...]


@dataclass(frozen=True)
class GradientDescentInputs:
    """The regression data (scaled as asked), the MSE contour and the data panel's x range."""

    X: np.ndarray  # (m, 1 or 2) scaled features
    y: np.ndarray  # (m,) targets
    feature_names: tuple[str, ...]
    grid: dict[str, np.ndarray]  # mse_grid: axes u (g,), v (g,), level (g, g), least squares star (2,)
    line_x: np.ndarray  # (2,) min and max of the first feature: where each fitted line is drawn
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)  # batch_size above the rows (mini-batch runs)


def _labels(runs: list[Any]) -> list[str]:
    """The optimiser's name, with its lr (and then a number) when two runs share it."""
    names = [r.optimizer for r in runs]
    counts = Counter(names)
    labels = [n if counts[n] == 1 else f"{n} lr={r.lr:g}" for n, r in zip(names, runs, strict=True)]
    repeated = Counter(labels)
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        seen[label] += 1
        out.append(label if repeated[label] == 1 else f"{label} #{seen[label]}")
    return out


def _prepare_race(params: OptimizersParams, limits: Limits) -> RaceInputs:
    surface = SURFACES[params.surface]
    if params.start is not None and not surface.contains(params.start):  # needs the surface: the schema names it
        raise ParamsError(
            ("start",),
            f"start {params.start} is outside the {surface.name} domain box {surface.box_text()}",
            params.start,
        )
    start = (float(params.start[0]), float(params.start[1])) if params.start is not None else surface.start
    runs = tuple(
        engine.RunSpec(r.optimizer, r.lr, r.model_dump(exclude={"optimizer", "lr"}), label)
        for r, label in zip(params.runs, _labels(params.runs), strict=True)
    )
    return RaceInputs(surface=surface, grid=grid(surface, params.kappa), start=start, runs=runs)


def _run_race(
    inputs: RaceInputs, params: OptimizersParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs.surface,
        kappa=params.kappa,
        start=inputs.start,
        steps=params.steps,
        gradient_noise=params.gradient_noise,
        runs=list(inputs.runs),
        rng=rng,
    )


OPTIMIZERS: Algorithm[OptimizersParams, RaceInputs] = Algorithm(
    id="optimizers",
    title="Optimisers racing on a loss surface",
    family="optimization",
    summary=(
        "SGD, momentum, Nesterov, AdaGrad, RMSProp and Adam start from the same point on a 2-D loss surface "
        "(a narrow bowl, Rosenbrock's curved valley, Himmelblau's four minima, a saddle, Rastrigin's bumps) and "
        "take torch.optim's own steps. Arrows show the gradient and the momentum torch.optim keeps; click the "
        "surface to move the start, add gradient noise to see what stochastic gradients do."
    ),
    days=(2, 32, 33, 34, 35, 36),
    params_model=OptimizersParams,
    prepare=_prepare_race,
    engine=_run_race,
    view=RaceView(),
    frame_model=optimization_frames.RaceFrame,
    result_model=optimization_frames.RaceResult,
)


MAX_UPDATES = 4_500_000  # updates over all variants (~0.4 µs each): 20,000 epochs of all three on 200 rows


def _prepare_gd(params: GradientDescentParams, limits: Limits) -> GradientDescentInputs:
    data = params.dataset.load()
    n = len(data.y)
    # batch_size above n is not an error: mini-batch then uses all n rows (clamped; the first caption says so).
    per_epoch = {"batch": 1, "mini-batch": -(-n // min(params.batch_size, n)), "stochastic": n}
    updates = sum(per_epoch[v] for v in params.variants) * params.epochs
    if updates > MAX_UPDATES:
        most = MAX_UPDATES // sum(per_epoch[v] for v in params.variants)
        raise ParamsError(
            ("epochs",),
            f"{params.epochs:,} epochs of {', '.join(params.variants)} on {n:,} rows "
            f"would make {updates:,} updates; the limit is {MAX_UPDATES:,}, so at most {most:,} "
            "epochs here (fewer rows, a larger batch_size, or without stochastic allow more)",
            params.epochs,
        )
    then = ": mini-batch is then the same as batch"
    running = "mini-batch" in params.variants  # batch_size is mini-batch's alone: no note when it is not running
    clamps = clamp_count("batch_size", "batch size", params.batch_size, n, "row", then) if running else ()
    X = descent.scale(data.X, params.scaling)
    w_star, b_star = descent.least_squares(X, data.y)
    return GradientDescentInputs(
        X=X,
        y=data.y,
        feature_names=data.feature_names,
        grid=descent.mse_grid(X, data.y, w_star, b_star),
        line_x=np.array([X[:, 0].min(), X[:, 0].max()]),
        clamps=clamps,
    )


def _run_gd(
    inputs: GradientDescentInputs, params: GradientDescentParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    rates = [
        descent.learning_rate(params.lr, params.schedule, e, params.decay_rate, params.drop, params.step_every)
        for e in range(params.epochs)
    ]
    return descent.run_gd(
        inputs.X,
        inputs.y,
        variants=params.variants,
        batch_size=params.batch_size,
        rates=rates,
        scaling=params.scaling,
        rng=rng,
    )


GRADIENT_DESCENT: Algorithm[GradientDescentParams, GradientDescentInputs] = Algorithm(
    id="gradient-descent",
    title="Gradient descent: batch, mini-batch and stochastic",
    family="optimization",
    summary=(
        "Fit a line (or a plane) by least squares with gradient descent, three ways side by side from the same "
        "start: the whole batch per step, mini-batches, or one row at a time. Watch the paths over the MSE "
        "contour — SGD's zig-zag, the long narrow valley of unscaled features — and how learning-rate decay "
        "and feature scaling change the number of epochs to converge."
    ),
    days=(19, 20, 25, 50, 51, 52),
    params_model=GradientDescentParams,
    prepare=_prepare_gd,
    engine=_run_gd,
    view=GradientDescentView(),
    frame_model=optimization_frames.DescentFrame,
    result_model=optimization_frames.DescentResult,
)

ALGORITHMS = (OPTIMIZERS, GRADIENT_DESCENT)
