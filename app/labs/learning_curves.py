"""The learning-curves lab (days 50–52): is a model short of data, too simple, or training too long?

Three modes: a learning curve (score against training-set size), a validation curve (score against the model's
main setting) and early stopping (an MLP's training and validation loss per epoch). ``prepare`` checks what
needs the data and clamps what the data contradicts:

* ``k`` beyond the rows (k-fold) or the smallest class (stratified k-fold) is CLAMPED (a ``Clamp``, noted in the
  first caption), as the cross-validation lab does; stratified k-fold where a class has a single row is a 422 at
  ``splitter``.
* k-NN's k beyond the fewest rows a model is trained on (the smallest training size of a learning curve) is
  clamped; a validation curve sweeps k only up to the rows a fold trains on.
* early stopping needs rows on both sides of the split: a validation part without rows is a 422 at
  ``validation_fraction``.

Curves cross-validate every row (the boundary view's split has every row training); early stopping's split is
the boundary view's train/test split with the validation share (hollow points are the validation rows).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.core.text import plural
from app.engines import learning_curves as curves
from app.engines import learning_curves_mlp as net
from app.engines.base_models import describe
from app.labs.classify import classifier_inputs
from app.labs.inputs import BoundaryInputs
from app.schemas.common import ParamsError
from app.schemas.frames import learning_curves as frames
from app.schemas.learning_curves import LearningCurvesParams
from app.views.learning_curves import LearningCurvesView


@dataclass(frozen=True)
class LearningCurvesInputs(BoundaryInputs):
    """The labelled rows (all training for the curves; train / validation for early stopping) and the folds."""

    n_folds: int  # k used (clamped to the data)
    most_neighbours: int  # the largest k-NN k a validation curve sweeps: the fewest rows a fold trains on


@dataclass(frozen=True)
class _Share:
    """The split params of ``classifier_inputs``: no test set for the curves, the validation share for early
    stopping."""

    dataset: Any
    test_fraction: float


def _k_clamp(params: LearningCurvesParams, y: np.ndarray, classes: tuple[str, ...]) -> tuple[int, tuple[Clamp, ...]]:
    """The folds used: at most the rows (k-fold) or the smallest class (stratified), at least 2."""
    n = int(y.size)
    if params.splitter == "stratified":
        counts = np.bincount(y, minlength=len(classes))
        smallest = int(counts.min())
        if smallest < 2:
            raise ParamsError(
                ("splitter",),
                f"stratified k-fold puts rows of every class in at least 2 folds, and class "
                f"{classes[int(counts.argmin())]} has a single row: pick k-fold",
                params.splitter,
            )
        most = max(2, smallest)
        why = (
            f"the {plural(smallest, 'row')} of class {classes[int(counts.argmin())]}, so {most} folds are used "
            "(a stratified fold needs at least one row of every class)"
        )
    else:
        most = n
        why = f"the {plural(n, 'row')}, so {most} folds are used (a fold needs at least one row)"
    if params.k <= most:
        return params.k, ()
    return most, (Clamp("k", most, f"Note: {params.k} folds are more than {why}."),)


def _prepare(params: LearningCurvesParams, limits: Limits) -> LearningCurvesInputs:
    data = params.dataset.load()
    if params.mode == "early_stopping":
        inputs = classifier_inputs(data, _Share(params.dataset, params.validation_fraction))
        if inputs.split.test.size == 0:
            raise ParamsError(
                ("validation_fraction",),
                f"a validation share of {params.validation_fraction:g} of these {inputs.y.size} rows holds none out "
                "(every class keeps at least one training row): raise it, or use more rows",
                params.validation_fraction,
            )
        return LearningCurvesInputs(**vars(inputs), n_folds=2, most_neighbours=1)
    inputs = classifier_inputs(data, _Share(params.dataset, 0.0))
    if inputs.y.size < 4:
        raise ParamsError(
            ("dataset",), f"a curve needs at least 4 rows to cut into folds; the data has {inputs.y.size}"
        )
    k, clamps = _k_clamp(params, inputs.y, inputs.classes)
    n = int(inputs.y.size)
    fold_rows = n - math.ceil(n / k) - (1 if params.splitter == "stratified" else 0)  # fewest rows a fold trains on
    smallest = fold_rows if params.mode == "validation_curve" else max(1, int(0.1 * fold_rows))
    spec = params.model.model_dump()
    neighbours = spec.get("n_neighbors")
    if params.mode == "learning_curve" and isinstance(neighbours, int) and neighbours > smallest:
        used = params.model.model_copy(update={"n_neighbors": smallest})
        note = (
            f"Note: k-NN's k = {neighbours} is more than the {plural(smallest, 'row')} the smallest training size "
            f"has, so k = {smallest} is used."
        )
        clamps += (Clamp("model", used, note),)
    return LearningCurvesInputs(
        **{**vars(inputs), "clamps": clamps}, n_folds=k, most_neighbours=max(1, min(50, fold_rows))
    )


def _run(
    inputs: LearningCurvesInputs, params: LearningCurvesParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    seed = run_seed(rng)
    if params.mode == "early_stopping":
        plan = net.NetPlan(
            width=params.hidden_width,
            layers=params.hidden_layers,
            learning_rate=float(params.learning_rate),
            epochs=params.epochs,
            batch_size=params.batch_size,
            patience=params.patience,
        )
        return net.run_early_stopping(
            inputs.X,
            inputs.y,
            train=inputs.split.train,
            validation=inputs.split.test,
            n_classes=len(inputs.classes),
            plan=plan,
            grid_size=params.grid_size,
            seed=seed,
        )
    spec = params.model.model_dump()
    curve = curves.CurvePlan(spec=spec, name=describe(spec), splitter=params.splitter, k=inputs.n_folds)
    if params.mode == "validation_curve":
        values = curves.param_values(spec, params.n_values, inputs.most_neighbours)
        return curves.run_validation_curve(
            inputs.X, inputs.y, plan=curve, values=values, grid_size=params.grid_size, seed=seed
        )
    return curves.run_learning_curve(
        inputs.X, inputs.y, plan=curve, n_sizes=params.n_sizes, grid_size=params.grid_size, seed=seed
    )


LEARNING_CURVES: Algorithm[LearningCurvesParams, LearningCurvesInputs] = Algorithm(
    id="learning-curves",
    title="Learning curves and early stopping",
    family="evaluation",
    summary=(
        "Is the model short of data, too simple, or trained too long? Grow the training set size by size and "
        "watch training and validation scores meet (or not): a big gap is variance, two low curves are bias. "
        "Sweep one setting and find the top of the validation curve between underfitting and overfitting. Train "
        "a network and see its validation loss turn up while the training loss keeps falling, and what early "
        "stopping with patience keeps."
    ),
    days=(50, 51, 52),
    params_model=LearningCurvesParams,
    prepare=_prepare,
    engine=_run,
    view=LearningCurvesView(),
    frame_model=frames.LearningCurvesFrame,
    result_model=frames.LearningCurvesResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (LEARNING_CURVES,)
