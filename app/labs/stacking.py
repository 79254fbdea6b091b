"""The stacking lab (day 11): base models' out-of-fold probabilities, fold by fold, become a meta-model's features.

``prepare`` makes the split, clamps ``cv`` to the smallest class's training points (at least 2; a ``Clamp``), clamps
a k-NN's k to the points each fold's models are trained on (the training points minus the largest fold), and
refuses a base model without probabilities (422 at ``estimators.<i>.probability``: they are the table's columns).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.core.text import plural
from app.engines import stacking
from app.engines.base_models import describe
from app.labs.classify import prepare_classifier
from app.labs.voting import CommitteeInputs, clamp_neighbours, committee_inputs, require_probabilities, require_spread
from app.schemas.frames import stacking as frames
from app.schemas.voting import StackingParams
from app.views.stacking import StackingView


@dataclass(frozen=True)
class StackingInputs(CommitteeInputs):
    """The committee's inputs and the k-fold split's shape."""

    fold_sizes: tuple[int, ...]  # training points per fold, in fold order (KFold: the first n mod k get one more)
    meta: dict[str, Any]  # the meta-model's spec
    meta_name: str  # "logistic regression (C = 1)"


def fold_sizes(n: int, k: int) -> tuple[int, ...]:
    """The sizes of ``KFold(k)``'s folds over n rows."""
    return tuple(n // k + (1 if f < n % k else 0) for f in range(k))


def _cv_clamp(asked: int, counts: np.ndarray, classes: tuple[str, ...]) -> tuple[int, tuple[Clamp, ...]]:
    """The folds used: at most the smallest class's training points (and never fewer than 2)."""
    smallest = int(counts.min())
    most = max(2, smallest)
    if asked <= most:
        return asked, ()
    which = classes[int(counts.argmin())]
    note = (
        f"Note: {asked} folds are more than the {plural(smallest, 'training point')} of class {which}, so "
        f"{most} folds are used (with more folds than points of a class, some folds' models never see it)."
    )
    return most, (Clamp("cv", most, note),)


def _prepare(params: StackingParams, limits: Limits) -> StackingInputs:
    inputs = prepare_classifier(params)
    train = inputs.split.train
    n_train = int(train.size)
    cv, clamps = _cv_clamp(params.cv, np.bincount(inputs.y[train], minlength=len(inputs.classes)), inputs.classes)
    sizes = fold_sizes(n_train, cv)
    fitted_on = n_train - max(sizes)  # the fewest points a fold's models are trained on
    models, neighbours = clamp_neighbours(params.estimators, fitted_on, "points each fold's models are trained on")
    require_probabilities(models, "stacking feeds each model's probabilities to the meta-model")
    require_spread(models, inputs.X[train])
    meta: dict[str, Any] = (
        {"model": "logistic_regression", "C": params.final_C}
        if params.final_estimator == "logistic_regression"
        else {"model": "decision_tree", "max_depth": params.final_max_depth}
    )
    committee = committee_inputs(inputs, models, clamps + neighbours)
    return StackingInputs(**vars(committee), fold_sizes=sizes, meta=meta, meta_name=describe(meta))


def _run(
    inputs: StackingInputs, params: StackingParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    stack = stacking.Stack(
        specs=inputs.specs,
        names=inputs.names,
        meta=inputs.meta,
        meta_name=inputs.meta_name,
        cv=params.cv,
        passthrough=params.passthrough,
    )
    return stacking.run(
        inputs.X,
        inputs.y,
        inputs.split,
        classes=inputs.classes,
        stack=stack,
        grid_size=params.grid_size,
        feature_names=inputs.feature_names,
        seed=run_seed(rng),
    )


STACKING: Algorithm[StackingParams, StackingInputs] = Algorithm(
    id="stacking",
    title="Stacking with k-fold",
    family="ensembles",
    summary=(
        "Base models' predictions become the features of a meta-model. Fold by fold, each base model is trained "
        "on the other folds and predicts the held-out one, so the level-1 table holds only honest, out-of-fold "
        "probabilities; the meta-model learns from it how much to trust each model, and the stacked boundary "
        "is drawn beside every base model's."
    ),
    days=(11,),
    params_model=StackingParams,
    prepare=_prepare,
    engine=_run,
    view=StackingView(),
    frame_model=frames.StackingFrame,
    result_model=frames.StackingResult,
)

ALGORITHMS = (STACKING,)
