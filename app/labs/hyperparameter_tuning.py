"""The hyperparameter-tuning lab (days 24, 50): two hyperparameters of one classifier searched by grid, random
or successive-halving search, each candidate cross-validated on the search rows, the winner tested on rows the
search never saw.

``prepare`` checks what needs the data and clamps what the data contradicts:

* the test split is the boundary labs' stratified split (seeded by the dataset's seed); the search sees only
  its training part ("search rows").
* ``k`` beyond the smallest class among the search rows is CLAMPED (a ``Clamp``, first caption), as the
  cross-validation lab clamps its stratified folds; a class with a single search row is a 422 at
  ``test_fraction`` (stratified folds need two).
* a plan of more than ``limits.max_search_fits`` fits (``STEPWISE_MAX_SEARCH_FITS``, default 2,000; for the MLP,
  whose fits train 60 epochs each, ``max_search_fits_mlp``, 300) is a 422 at the field that makes it
  (``n_iter`` for random search, else ``k`` or the grid's ``n_first``), saying how many fits it would be.
* halving starts every candidate on at least 2·k·classes rows (scikit-learn's ``min_resources``): more than
  the search rows is a 422 at ``k``.
* k-NN's largest k beyond the rows a fold's model trains on is a 422 at ``k_high`` (grid and random search:
  every such fit would fail).
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
from app.engines import hyperparameter_tuning as ht
from app.engines import hyperparameter_tuning_run as ht_run
from app.labs.classify import classifier_inputs
from app.labs.inputs import BoundaryInputs
from app.schemas.common import ParamsError
from app.schemas.frames import hyperparameter_tuning as frames
from app.schemas.hyperparameter_tuning import HyperparameterTuningParams
from app.views.hyperparameter_tuning import HyperparameterTuningView


@dataclass(frozen=True)
class TuningInputs(BoundaryInputs):
    """The labelled rows, their test split, and what is searched (with the folds used)."""

    search: ht.Search


def _k_used(
    params: HyperparameterTuningParams, y_search: np.ndarray, classes: tuple[str, ...]
) -> tuple[int, tuple[Clamp, ...]]:
    counts = np.bincount(y_search, minlength=len(classes))  # (K,) search rows per class
    smallest = int(counts.min())
    if smallest < 2:
        raise ParamsError(
            ("test_fraction",),
            f"class {classes[int(counts.argmin())]} has {plural(smallest, 'search row')} once the test rows are "
            "held out, and stratified folds need at least 2 of every class: lower the test share or add rows",
            params.test_fraction,
        )
    if params.k <= smallest:
        return params.k, ()
    note = (
        f"Note: {params.k} folds are more than the {plural(smallest, 'search row')} of class "
        f"{classes[int(counts.argmin())]}, so {smallest} folds are used (a stratified fold needs a row of each class)."
    )
    return smallest, (Clamp("k", smallest, note),)


def _budget_field(search: ht.Search, n_candidates: int, most: int) -> str:
    """The field to blame for too many fits: the draws, the folds (when 2 folds would fit), else the grid."""
    if search.strategy == "random":
        return "n_iter"
    return "k" if n_candidates * 2 + 1 <= most else "n_first"


def _prepare(params: HyperparameterTuningParams, limits: Limits) -> TuningInputs:
    data = params.dataset.load()
    inputs = classifier_inputs(data, params)
    y_search = inputs.y[inputs.split.train]
    n_search, n_classes = int(y_search.size), len(inputs.classes)
    k, clamps = _k_used(params, y_search, inputs.classes)
    axes = ht.make_axes(params.model, params.model_dump(), params.n_first, params.n_second)
    search = ht.Search(params.model, axes, params.strategy, k, params.n_iter, params.factor)
    n_candidates = params.n_iter if params.strategy == "random" else len(axes[0].values) * len(axes[1].values)
    if params.strategy == "halving" and 2 * k * n_classes > n_search:
        raise ParamsError(
            ("k",),
            f"successive halving starts every candidate on at least 2 × {k} folds × {n_classes} classes = "
            f"{2 * k * n_classes} rows, and the search has {n_search}: lower k, or pick grid search",
            params.k,
        )
    fits = ht.planned_fits(search, n_candidates, n_search, n_classes)
    most = limits.max_search_fits_mlp if params.model == "mlp" else limits.max_search_fits
    if fits > most:
        field = _budget_field(search, n_candidates, most)
        slow = " (a network's fit trains 60 epochs, so its searches are kept smaller)" if params.model == "mlp" else ""
        raise ParamsError(
            (field,),
            f"this search would make {fits:,} model fits ({n_candidates:,} candidates × {k} folds + 1 refit), "
            f"and a run may make at most {most:,}{slow}: fewer draws, fewer values or fewer folds",
            getattr(params, field),
        )
    fewest = n_search - math.ceil(n_search / k) - n_classes  # rows a fold's model trains on, at the least
    if params.model == "knn" and params.strategy != "halving" and params.k_high > fewest:
        raise ParamsError(
            ("k_high",),
            f"k-NN with k = {params.k_high} needs that many training rows, and a fold's model trains on about "
            f"{fewest}: lower the largest k",
            params.k_high,
        )
    return TuningInputs(**{**vars(inputs), "clamps": clamps}, search=search)


def _run(
    inputs: TuningInputs, params: HyperparameterTuningParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return ht_run.run(
        inputs.X,
        inputs.y,
        train=inputs.split.train,
        test=inputs.split.test,
        classes=inputs.classes,
        search=inputs.search,
        grid_size=params.grid_size,
        seed=run_seed(rng),
    )


HYPERPARAMETER_TUNING: Algorithm[HyperparameterTuningParams, TuningInputs] = Algorithm(
    id="hyperparameter-tuning",
    title="Hyperparameter tuning: grid, random and halving search",
    family="evaluation",
    summary=(
        "Which C and gamma make the best SVM? Hold out a test set, then search two hyperparameters of a model "
        "by cross-validation: a grid that tries every pair, random draws that try a new value of both each time, "
        "or successive halving that races the grid on growing samples and drops the losers early. Watch the "
        "score map fill in, the best-so-far curve climb, and see why the winner's CV score is optimistic and "
        "its score on the held-out rows is the honest one."
    ),
    days=(24, 50),
    params_model=HyperparameterTuningParams,
    prepare=_prepare,
    engine=_run,
    view=HyperparameterTuningView(),
    frame_model=frames.TuningFrame,
    result_model=frames.TuningResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (HYPERPARAMETER_TUNING,)
