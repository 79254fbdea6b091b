"""The random-forest lab: a forest grown tree by tree, then where its trees disagree and which features matter.

``prepare`` makes the split (``app.labs.classify``) and refuses out-of-bag scoring without bootstrap at
``oob_score``, as scikit-learn does; its inputs are the bagging lab's (``EnsembleInputs``: the boundary data and
the tree panel's grid step).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import forest
from app.labs.bagging import EnsembleInputs, panel_step
from app.labs.classify import prepare_classifier
from app.schemas.bagging import RandomForestParams, forest_features
from app.schemas.common import ParamsError
from app.schemas.frames import forest as frames
from app.views.forest import ForestView


def _prepare(params: RandomForestParams, limits: Limits) -> EnsembleInputs:
    if params.oob_score and not params.bootstrap:
        raise ParamsError(
            ("oob_score",),
            "out-of-bag scoring needs bootstrap on: without it every tree trains on every row, so no row is ever "
            "out of the bag to test a tree on. Turn the out-of-bag score off, or bootstrap on",
            params.oob_score,
        )
    inputs = prepare_classifier(params)
    base = {name: getattr(inputs, name) for name in inputs.__dataclass_fields__ if name != "clamps"}
    return EnsembleInputs(**base, panel_step=panel_step(params.grid_size), clamps=inputs.clamps)


def _run(
    inputs: EnsembleInputs, params: RandomForestParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    result = yield from forest.run(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        feature_names=inputs.feature_names,
        n_estimators=params.n_estimators,
        criterion=params.criterion,
        max_depth=params.max_depth,
        max_features=forest_features(params.max_features),
        bootstrap=params.bootstrap,
        oob=params.oob_score,
        grid_size=params.grid_size,
        panel_step=inputs.panel_step,
        rng=rng,
    )
    return {**result, "classes": list(inputs.classes)}


RANDOM_FOREST: Algorithm[RandomForestParams, EnsembleInputs] = Algorithm(
    id="random-forest",
    title="Random forest",
    family="ensembles",
    summary=(
        "Bagged decision trees that try a random subset of the features at every split. So they "
        "disagree more and their average varies less. Grow the forest tree by tree: each tree's bootstrap "
        "sample and boundary, the averaged probability so far and the out-of-bag score; then the map of where "
        "the trees disagree, and the feature importances (impurity-based and by permutation)."
    ),
    days=(8,),
    params_model=RandomForestParams,
    prepare=_prepare,
    engine=_run,
    view=ForestView(),
    frame_model=frames.ForestFrame,
    result_model=frames.ForestResult,
)

ALGORITHMS = (RANDOM_FOREST,)
