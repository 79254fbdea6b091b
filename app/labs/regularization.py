"""The regularization lab (journal day 61): L1, L2 and elastic-net penalties on polynomial features swept over α,
and gradient descent with weight decay.

``prepare`` draws the points from the data seed (so the scene can carry them), standardises the features on the
training points, builds the α grid and the 2-feature picture's loss contours (the sub-problem on u¹ and u², see
``app.engines.regularization_run``). ``alpha_min`` ≥ ``alpha_max`` is refused naming ``alpha_min``. Nothing in
the engine is random: the seed only matters through the data seed.

``task`` ``classification`` (path mode only; weight decay there is a 422 at ``mode``): the ``dataset`` (2 classes,
else a 422 at ``dataset``), the stratified split with the validation share as its held-out share, the standardised
polynomial features of (x₁, x₂) up to ``class_degree`` and the plane's grid (at most ``MOST_PLANE_CELLS`` a side);
the run is ``app.engines.regularization_classify``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import regularization as rg
from app.engines import regularization_classify as classify_story
from app.engines import regularization_logistic as lg
from app.engines import regularization_run as story
from app.engines.bias_variance import TRUTHS, X_HI, X_LO
from app.engines.boundary import make_grid
from app.labs.classify import classifier_inputs
from app.schemas.common import ParamsError
from app.schemas.frames.regularization import RegularizationFrame, RegularizationResult
from app.schemas.regularization import RegularizationParams
from app.views.regularization import RegularizationView

CONTOUR_CELLS = 41
"""Cells per axis of the 2-feature loss contours (sent once, in the scene)."""
MOST_PLANE_CELLS = 60
"""Cells per axis of the classification plane at most (one byte each per frame: 60² keeps a frame near 8 KB)."""


@dataclass(frozen=True)
class RegularizationInputs:
    """The run's fixed parts (the view reads them through ``app.views.regularization.RegularizationData``)."""

    data: rg.Data
    problem: rg.Problem
    grid: np.ndarray  # (g,) x of the drawn curves
    truth_curve: np.ndarray  # (g,) f at the grid
    alphas: np.ndarray  # (A,) strong to weak
    x_train: np.ndarray  # (m,)
    y_train: np.ndarray  # (m,)
    x_validation: np.ndarray  # (v,)
    y_validation: np.ndarray  # (v,)
    contour_w1: np.ndarray  # (3G,) the 2-feature picture's w₁ (wide: equal units on both axes widen w₁'s range)
    contour_w2: np.ndarray  # (G,) its w₂
    contour_loss: np.ndarray  # (G, 3G) the sub-problem's data loss, rows over w₂, columns over w₁
    sub_least_squares: np.ndarray  # (2,) the unpenalised optimum of the sub-problem: the contours' centre
    decay_ridge: np.ndarray  # (d,) the ridge fit at α = λ (weight decay's destination)
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True)
class _SplitShares:
    """``classifier_inputs``' view of the params: this lab's validation share is its held-out share."""

    dataset: Any
    test_fraction: float


@dataclass(frozen=True)
class RegularizationClassInputs:
    """The classification variant's fixed parts (the view reads them through
    ``app.views.regularization_classes.ClassData``)."""

    X: np.ndarray  # (n, 2)
    y: np.ndarray  # (n,) 0/1
    classes: tuple[str, str]
    train: np.ndarray  # (m,) row indices
    validation: np.ndarray  # (v,) row indices
    axis_names: tuple[str, str]  # the data's two column names
    plane_xs: np.ndarray  # (g,) the plane's x₁
    plane_ys: np.ndarray  # (g,) its x₂
    alphas: np.ndarray  # (A,) strong to weak
    feature_names: tuple[str, ...]  # (d,)
    setup: classify_story.ClassSetup
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def _check_alphas(params: RegularizationParams) -> None:
    if params.alpha_min >= params.alpha_max:
        raise ParamsError(
            ("alpha_min",),
            f"The weakest α ({params.alpha_min:g}) must be below the strongest α ({params.alpha_max:g}): the sweep "
            "goes from strong to weak.",
            params.alpha_min,
        )


def _prepare_classes(params: RegularizationParams) -> RegularizationClassInputs:
    if params.mode != "path":
        raise ParamsError(
            ("mode",),
            "Gradient descent with weight decay is shown for regression only: pick the regularization path, or the "
            "regression task.",
            params.mode,
        )
    _check_alphas(params)
    shares = _SplitShares(params.dataset, params.validation_fraction)
    data = classifier_inputs(
        params.dataset.load(), shares, binary=True, more_classes="the logistic-regression lab takes more (softmax)"
    )
    train, validation = data.split.train, data.split.test
    design = lg.design(data.X, data.y, train, validation, params.class_degree)
    grid = make_grid(data.X, min(params.grid_size, MOST_PLANE_CELLS))
    return RegularizationClassInputs(
        X=data.X,
        y=data.y,
        classes=(data.classes[0], data.classes[1]),
        train=train,
        validation=validation,
        axis_names=(data.feature_names[0], data.feature_names[1]),
        plane_xs=grid.xs,
        plane_ys=grid.ys,
        alphas=rg.alpha_grid(params.alpha_max, params.alpha_min, params.n_alphas),
        feature_names=design.names,
        setup=classify_story.ClassSetup(
            design=design, plane=design.standardise(grid.points), classes=(data.classes[0], data.classes[1])
        ),
        clamps=data.clamps,
    )


def _prepare(params: RegularizationParams, limits: Limits) -> RegularizationInputs | RegularizationClassInputs:
    if params.task == "classification":
        return _prepare_classes(params)
    if params.mode == "path" and params.alpha_min >= params.alpha_max:
        raise ParamsError(
            ("alpha_min",),
            f"The weakest α ({params.alpha_min:g}) must be below the strongest α ({params.alpha_max:g}): the sweep "
            "goes from strong to weak.",
            params.alpha_min,
        )
    data = rg.draw(
        params.truth, params.noise, params.n_points, params.validation_fraction, np.random.default_rng(params.data_seed)
    )
    problem = rg.problem(data, params.degree)
    grid = np.linspace(X_LO, X_HI, params.grid_size)
    yc = problem.y - problem.intercept
    centre = rg.least_squares(problem.Z[:, :2], yc)  # (2,)
    reach = 1.25 * max(float(np.abs(centre).max()), 0.1)
    w1 = np.linspace(-3 * reach, 3 * reach, 3 * CONTOUR_CELLS)
    w2 = np.linspace(-reach, reach, CONTOUR_CELLS)
    return RegularizationInputs(
        data=data,
        problem=problem,
        grid=grid,
        truth_curve=TRUTHS[params.truth](grid),
        alphas=rg.alpha_grid(params.alpha_max, params.alpha_min, params.n_alphas),
        x_train=data.x[data.train],
        y_train=data.y[data.train],
        x_validation=data.x[data.validation],
        y_validation=data.y[data.validation],
        contour_w1=w1,
        contour_w2=w2,
        contour_loss=rg.loss_grid(problem.Z[:, :2], yc, w1, w2),
        sub_least_squares=centre,
        decay_ridge=rg.ridge_path(problem.Z, yc, np.array([params.weight_decay]))[0],
    )


def _run(
    inputs: RegularizationInputs | RegularizationClassInputs, params: RegularizationParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    if isinstance(inputs, RegularizationClassInputs):
        r = rg.l1_share(params.penalty, params.l1_ratio)
        return classify_story.class_path_run(inputs.setup, params.penalty, r, inputs.alphas)
    setup = story.Setup(data=inputs.data, problem=inputs.problem, grid=inputs.grid)
    if params.mode == "weight_decay":
        return story.decay_run(setup, params.learning_rate, params.weight_decay, params.n_steps)
    return story.path_run(setup, params.penalty, params.l1_ratio, inputs.alphas)


REGULARIZATION: Algorithm[RegularizationParams, RegularizationInputs | RegularizationClassInputs] = Algorithm(
    id="regularization",
    title="Regularization: L1, L2 and weight decay",
    family="evaluation",
    summary=(
        "Fit a degree-12 polynomial to 30 noisy points with a penalty on its coefficients, and sweep the "
        "penalty's strength α from strong to weak. L1 (lasso) sets coefficients exactly to zero one by one (the "
        "diamond's corners), L2 (ridge) shrinks them all together (the circle has none), elastic net mixes them; "
        "the validation error is U-shaped over α and picks the balance between bias and variance. A second mode "
        "trains the same model by gradient descent with weight decay: shrink every weight, then step. The "
        "classification task does the same for logistic regression on polynomial features of two inputs: watch the "
        "boundary between two classes straighten as α grows."
    ),
    days=(61,),
    params_model=RegularizationParams,
    prepare=_prepare,
    engine=_run,
    view=RegularizationView(),
    frame_model=RegularizationFrame,
    result_model=RegularizationResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (REGULARIZATION,)
