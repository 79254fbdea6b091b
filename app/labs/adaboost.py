"""The AdaBoost lab (journal day 9): discrete AdaBoost (SAMME) over stumps, one frame per boosting round.

``prepare`` makes the classifier split (``app.labs.classify``) and refuses, at ``dataset``, data on which no
first tree can beat guessing (scikit-learn would refuse to fit: balanced classes that no split separates at
all, e.g. points drawn on top of each other). The engine fits ``AdaBoostClassifier(random_state=seed)`` once.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.core.text import fixed, percent
from app.engines import adaboost
from app.labs.classify import prepare_classifier
from app.labs.inputs import BoundaryInputs
from app.schemas.adaboost import AdaBoostParams
from app.schemas.common import ParamsError
from app.schemas.frames import adaboost as frames
from app.views.adaboost import AdaBoostView


def _prepare(params: AdaBoostParams, limits: Limits) -> BoundaryInputs:
    inputs = prepare_classifier(params)
    train = inputs.split.train
    n_classes = len(inputs.classes)
    error = adaboost.first_round_error(inputs.X[train], inputs.y[train], params.max_depth)
    guess = 1.0 - 1.0 / n_classes
    if error >= guess:
        raise ParamsError(
            ("dataset",),
            f"no tree can split these training points at all and the {n_classes} classes are equally many, so the "
            f"first tree misclassifies {percent(error)} of the weight (ε = {fixed(error, 2)}), no better than "
            f"guessing (1 − 1/K = {fixed(guess, 2)}): AdaBoost cannot start. Give points of different classes "
            "different positions",
        )
    return inputs


def _run(
    inputs: BoundaryInputs, params: AdaBoostParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return adaboost.run(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        n_estimators=params.n_estimators,
        learning_rate=params.learning_rate,
        max_depth=params.max_depth,
        grid_size=params.grid_size,
        seed=run_seed(rng),
        feature_names=inputs.feature_names,
        class_names=inputs.classes,
    )


ADABOOST: Algorithm[AdaBoostParams, BoundaryInputs] = Algorithm(
    id="adaboost",
    title="AdaBoost",
    family="ensembles",
    summary=(
        "Boosting, one weak learner at a time. Every point starts with the same weight; each round fits a "
        "stump to the weighted points, gives it a say α = ln((1 − ε)/ε) from its weighted error ε, and makes "
        "the points it got wrong heavier, so the next stump must focus on them. Watch the markers grow where "
        "the stumps keep failing and the weighted vote of many one-cut stumps draw a boundary none of them "
        "could."
    ),
    days=(9,),
    params_model=AdaBoostParams,
    prepare=_prepare,
    engine=_run,
    view=AdaBoostView(),
    frame_model=frames.AdaBoostFrame,
    result_model=frames.AdaBoostResult,
)

ALGORITHMS = (ADABOOST,)
