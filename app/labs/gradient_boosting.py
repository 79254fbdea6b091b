"""The gradient-boosting lab (journal day 10): small regression trees added one after another, each fitted to
the negative gradient of the loss at the model so far (for squared error: the residuals).

``prepare`` checks what needs the data: the dataset suits the task (class labels for classification; a number
per row for regression: sine, line, two scales, or inline rows, whose integer ``y`` it reads as numbers), and
exponential loss has exactly two classes; then the seeded split (``app.labs.classify``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.datasets.regression import RegressionData
from app.engines import gradient_boosting as engine
from app.labs.classify import classifier_inputs, regressor_inputs
from app.labs.inputs import BoundaryInputs, RegressionInputs
from app.schemas.common import ParamsError
from app.schemas.frames.gradient_boosting import GradientBoostingFrame, GradientBoostingResult
from app.schemas.gradient_boosting import GradientBoostingParams
from app.schemas.task_data import load_task_data, task_data_tag
from app.views.gradient_boosting import GradientBoostingView

Inputs = BoundaryInputs | RegressionInputs


def _prepare(params: GradientBoostingParams, limits: Limits) -> Inputs:
    data = load_task_data(params.dataset)
    if params.task == "classification":
        if isinstance(data, RegressionData):
            raise ParamsError(
                ("dataset",),
                "classification needs class labels, and this dataset has a number per row: pick moons, blobs, "
                "iris or another labelled set, or switch the task to regression",
            )
        inputs = classifier_inputs(data, params)
        if params.loss == "exponential" and len(inputs.classes) != 2:
            raise ParamsError(
                ("loss",),
                f"the exponential loss is for two classes only, and this data has {len(inputs.classes)}: pick the "
                "log-loss (it handles any number of classes) or a two-class dataset",
                params.loss,
            )
        return inputs
    if task_data_tag(params.dataset) == "named":  # moons, iris, ...: classes, not numbers
        raise ParamsError(
            ("dataset",),
            "regression predicts a number for each row, and this dataset has class labels: pick sine, line or "
            "two scales (or your own rows with a number y each), or switch the task to classification",
        )
    return regressor_inputs(data, params)


def _run(
    inputs: Inputs, params: GradientBoostingParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    classes = inputs.classes if isinstance(inputs, BoundaryInputs) else ()
    problem = engine.Problem(
        X=inputs.X,
        y=inputs.y,
        parts=inputs.split,
        task=params.task,
        n_classes=len(classes),
        loss=params.loss_used,
        classes=tuple(classes),
        learning_rate=params.learning_rate,
        max_depth=params.max_depth,
        subsample=params.subsample,
    )
    return engine.run(problem, n_estimators=params.n_estimators, grid_size=params.grid_size, seed=run_seed(rng))


GRADIENT_BOOSTING: Algorithm[GradientBoostingParams, Inputs] = Algorithm(
    id="gradient-boosting",
    title="Gradient boosting",
    family="ensembles",
    summary=(
        "Small regression trees added one after another. Each is fitted to what the model still gets wrong (the "
        "residuals, or in general the negative gradient of the loss) and only a learning-rate share of it is "
        "added. Watch the curve bend to the data or the boundary sharpen stage by stage, see each tree fit the "
        "residuals, and the test loss turn up when more trees start fitting noise."
    ),
    days=(10,),
    params_model=GradientBoostingParams,
    prepare=_prepare,
    engine=_run,
    view=GradientBoostingView(),
    frame_model=GradientBoostingFrame,
    result_model=GradientBoostingResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (GRADIENT_BOOSTING,)
