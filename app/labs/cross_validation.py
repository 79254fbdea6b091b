"""The cross-validation lab (day 17): one classifier judged by k-fold cross-validation, fold by fold.

``prepare`` checks what needs the data and clamps what the data contradicts:

* ``k`` beyond what the rows allow is CLAMPED (a ``Clamp``, noted in the first caption), as the stacking lab
  clamps its cv: k-fold and shuffle-split to the rows, stratified k-fold to the smallest class (at least 2). A
  learner who asks for 20 folds of 12 rows means "as many as possible", and the run still shows why more folds
  are not free; a 422 would only teach the form.
* leave-one-out on more than ``LOO_MAX_ROWS`` rows is a 422 at ``splitter`` (one fit and one frame per row);
  leave-one-out with F1 or ROC AUC is a 422 at ``scoring`` (a fold of one row has no F1 or AUC worth the name).
* stratified k-fold where every class has a single row is a 422 at ``splitter`` (there is nothing to stratify).
* ROC AUC with more than two classes needs probabilities: an SVM without them is a 422 at ``model.probability``.
* k-NN's k beyond the rows its smallest training part holds is clamped (a ``Clamp`` of ``model``).

Every row is cross-validated: there is no separate test set (the boundary view's split has every row training).
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
from app.engines import cross_validation as cv
from app.engines.base_models import can_give_probabilities, describe
from app.labs.classify import classifier_inputs
from app.labs.inputs import BoundaryInputs
from app.schemas.common import ParamsError
from app.schemas.cross_validation import LOO_MAX_ROWS, CrossValidationParams
from app.schemas.frames import cross_validation as frames
from app.views.cross_validation import CrossValidationView


@dataclass(frozen=True)
class CrossValidationInputs(BoundaryInputs):
    """The labelled rows (all of them training: every row is tested once, in its fold) and the folds' count."""

    n_folds: int  # k used (the rows for leave-one-out)


@dataclass(frozen=True)
class _AllRows:
    """The split params of ``classifier_inputs``: no test set (cross-validation tests every row in its fold)."""

    dataset: Any
    test_fraction: float = 0.0


def _k_clamp(params: CrossValidationParams, y: np.ndarray, classes: tuple[str, ...]) -> tuple[int, tuple[Clamp, ...]]:
    """The folds used: at most the rows (k-fold, shuffle-split) or the smallest class (stratified), at least 2."""
    n = int(y.size)
    if params.splitter == "stratified":
        counts = np.bincount(y, minlength=len(classes))
        smallest = int(counts.min())
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


def _fewest_training_rows(splitter: str, n: int, k: int) -> int:
    """The fewest rows any fold's model (or single split's) is trained on: n minus the largest held-out part."""
    share = cv.single_split_share(splitter, k)
    largest = max(math.ceil(n / k), math.ceil(n * share)) if splitter != "leave-one-out" else math.ceil(n * share)
    # Stratified folds may run a row or so per class above n/k.
    return n - largest - (1 if splitter == "stratified" else 0)


def _prepare(params: CrossValidationParams, limits: Limits) -> CrossValidationInputs:
    data = params.dataset.load()
    inputs = classifier_inputs(data, _AllRows(params.dataset))
    n, n_classes = int(inputs.y.size), len(inputs.classes)
    if params.splitter == "leave-one-out":
        if n > LOO_MAX_ROWS:
            raise ParamsError(
                ("splitter",),
                f"leave-one-out fits one model per row, and the data has {n:,} rows: it takes at most "
                f"{LOO_MAX_ROWS} (pick k-fold or stratified k-fold)",
                params.splitter,
            )
        if params.scoring != "accuracy":
            raise ParamsError(
                ("scoring",),
                "with leave-one-out each fold is one row, so only accuracy (right or wrong) means something per "
                "fold: pick accuracy, or a k-fold splitter",
                params.scoring,
            )
    spec = params.model.model_dump()
    if params.scoring == "roc_auc" and n_classes > 2 and not can_give_probabilities(spec):
        raise ParamsError(
            ("model", "probability"),
            f"ROC AUC over {n_classes} classes (one-vs-rest) needs each class's probability, and the SVM gives "
            "none unless Probabilities is on: turn it on, or score by accuracy",
            False,
        )
    if params.splitter == "stratified" and int(np.bincount(inputs.y).max()) < 2:
        raise ParamsError(
            ("splitter",),
            "stratified k-fold puts rows of every class in every fold, and here each class has a single row: "
            "pick k-fold",
            params.splitter,
        )
    k, clamps = (n, ()) if params.splitter == "leave-one-out" else _k_clamp(params, inputs.y, inputs.classes)
    fewest = _fewest_training_rows(params.splitter, n, k)
    neighbours = spec.get("n_neighbors")
    if spec["model"] == "knn" and isinstance(neighbours, int) and neighbours > fewest:
        used = params.model.model_copy(update={"n_neighbors": max(1, fewest)})
        note = (
            f"Note: k-NN's k = {neighbours} is more than the {plural(fewest, 'row')} a fold's model is trained on, "
            f"so k = {max(1, fewest)} is used."
        )
        clamps += (Clamp("model", used, note),)
    return CrossValidationInputs(**{**vars(inputs), "clamps": clamps}, n_folds=k)


def _run(
    inputs: CrossValidationInputs, params: CrossValidationParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    spec = params.model.model_dump()
    plan = cv.Plan(
        spec=spec,
        name=describe(spec),
        splitter=params.splitter,
        k=inputs.n_folds,
        shuffle=params.shuffle,
        scoring=params.scoring,
    )
    return cv.run(inputs.X, inputs.y, classes=inputs.classes, plan=plan, grid_size=params.grid_size, seed=run_seed(rng))


CROSS_VALIDATION: Algorithm[CrossValidationParams, CrossValidationInputs] = Algorithm(
    id="cross-validation",
    title="k-fold cross-validation",
    family="evaluation",
    summary=(
        "How good is a model on data it has not seen? Cut the rows into k folds; train k models, each on all "
        "folds but one, and score each on the fold it never saw. Step through the folds, watch the boundary and "
        "the score change with the rows held out, and see why the mean ± std of k scores is worth more than "
        "what one train/test split says (set beside 20 of them, one per seed)."
    ),
    days=(17,),
    params_model=CrossValidationParams,
    prepare=_prepare,
    engine=_run,
    view=CrossValidationView(),
    frame_model=frames.CrossValidationFrame,
    result_model=frames.CrossValidationResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (CROSS_VALIDATION,)
