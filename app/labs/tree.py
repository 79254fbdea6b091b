"""The decision-tree lab (journal day 5): scikit-learn's tree grown split by split, pruned, and swept by depth.

``prepare`` checks that the dataset suits the task (classes for classification; numbers for regression) and
makes the seeded split (``app.labs.classify``); the engine adapter gives the engine the run's seed as
scikit-learn's ``random_state`` and the points the figure draws the model at: the boundary grid for
classification, ``fit_points`` (a curve over 1 feature, the grid over 2) for regression.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.engines import tree
from app.engines.boundary import fit_points, make_grid
from app.labs.classify import prepare_classifier, regressor_inputs
from app.labs.inputs import BoundaryInputs, RegressionInputs
from app.schemas.common import ParamsError
from app.schemas.frames.tree import TreeFrame, TreeResult
from app.schemas.task_data import is_regression_data
from app.schemas.tree import DecisionTreeParams
from app.views.tree import TreeView

TreeInputs = BoundaryInputs | RegressionInputs


def _prepare(params: DecisionTreeParams, limits: Limits) -> TreeInputs:
    regression_data = is_regression_data(params.dataset)
    if params.task == "classification":
        if regression_data:
            raise ParamsError(
                ("dataset",),
                "this dataset has a number to predict, not classes: pick a classification dataset (moons, "
                "blobs, iris, ...) or set task to regression",
            )
        return prepare_classifier(params)
    if not regression_data and not hasattr(params.dataset, "X"):
        raise ParamsError(
            ("dataset",),
            f"task regression predicts a number, but {getattr(params.dataset, 'name', 'this dataset')} has "
            "classes: pick sine, line or two scales (or your own rows with a number y each), or set task to "
            "classification",
        )
    return regressor_inputs(params.dataset.load(), params)


def _run(
    inputs: TreeInputs, params: DecisionTreeParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    g = params.grid_size
    if isinstance(inputs, BoundaryInputs):
        grid = make_grid(inputs.X, g)
        problem = tree.TreeProblem(
            X=inputs.X,
            y=inputs.y,
            split=inputs.split,
            task="classification",
            n_classes=len(inputs.classes),
            class_names=inputs.classes,
            feature_names=inputs.feature_names,
            box=inputs.box,
            points=grid.points,
            grid=grid,
        )
    else:
        problem = tree.TreeProblem(
            X=inputs.X,
            y=inputs.y,
            split=inputs.split,
            task="regression",
            n_classes=0,
            class_names=(),
            feature_names=inputs.feature_names,
            box=inputs.box,
            points=fit_points(inputs.X, g),
            grid=None,
        )
    settings = tree.TreeSettings(
        criterion=params.criterion_used,
        max_depth=params.max_depth,
        min_samples_split=params.min_samples_split,
        min_samples_leaf=params.min_samples_leaf,
        max_leaf_nodes=params.max_leaf_nodes,
        ccp_alpha=params.ccp_alpha,
        prune=params.prune,
    )
    return tree.run(problem, settings, run_seed(rng))


DECISION_TREE: Algorithm[DecisionTreeParams, TreeInputs] = Algorithm(
    id="decision-tree",
    title="Decision tree",
    family="trees",
    summary=(
        "A decision tree grown one split at a time, exactly as scikit-learn grows it. Breadth-first, for each "
        "node every candidate threshold on every feature is scanned and the cut that lowers the gini, entropy "
        "or squared error most wins. Watch the plane fill with axis-parallel cuts and the tree drawing grow, "
        "then prune it back one "
        "weakest branch at a time, and compare depths: deep trees fit the training points ever better while "
        "the test score stalls or falls."
    ),
    days=(5,),
    params_model=DecisionTreeParams,
    prepare=_prepare,
    engine=_run,
    view=TreeView(),
    frame_model=TreeFrame,
    result_model=TreeResult,
)

ALGORITHMS = (DECISION_TREE,)
