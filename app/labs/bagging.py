"""The bagging lab: bagging, pasting, random patches and random subspaces, one ensemble member per frame.

``prepare`` makes the split (``app.labs.classify``), clamps a row count beyond the training rows to them (and a
k-NN base model's k beyond the rows each member draws), and refuses out-of-bag scoring without rows drawn with
replacement at ``oob_score``, as scikit-learn does. ``EnsembleInputs`` (shared with the random-forest lab) adds
the step of the member panel's coarser grid.
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
from app.core.text import plural
from app.engines import bagging
from app.labs.classify import prepare_classifier
from app.labs.inputs import BoundaryInputs
from app.schemas.bagging import BaggingParams, features_to_draw, rows_to_draw
from app.schemas.common import ParamsError
from app.schemas.frames import bagging as frames
from app.views.bagging import BaggingView

PANEL_CELLS = 40
"""Cells per axis of the small member panel, at most: every ``panel_step``-th cell of the main grid."""


@dataclass(frozen=True)
class EnsembleInputs(BoundaryInputs):
    """The boundary data and the step of the member panel's grid (every ``panel_step``-th main grid cell)."""

    panel_step: int


def panel_step(grid_size: int) -> int:
    """Every how many main grid cells the member panel samples: about ``PANEL_CELLS`` cells per axis."""
    return max(1, math.ceil(grid_size / PANEL_CELLS))


def drawn_rows(max_samples: float, n_train: int) -> int:
    """Rows each member draws, as scikit-learn counts them (a share: ``max(int(share × n), 1)``)."""
    drawn = rows_to_draw(max_samples)
    return drawn if isinstance(drawn, int) else max(int(drawn * n_train), 1)


def _prepare(params: BaggingParams, limits: Limits) -> EnsembleInputs:
    if params.oob_score and not params.bootstrap:
        raise ParamsError(
            ("oob_score",),
            "out-of-bag scoring needs rows drawn with replacement (bootstrap on): without it, as in pasting, "
            "scikit-learn has no out-of-bag rows to score. Turn the out-of-bag score off, or bootstrap on",
            params.oob_score,
        )
    inputs = prepare_classifier(params)
    n_train = int(inputs.split.train.size)
    clamps: list[Clamp] = []
    rows = drawn_rows(params.max_samples, n_train)
    if params.max_samples > 1 and rows > n_train:
        clamps.append(
            Clamp(
                "max_samples",
                float(n_train),
                f"Note: {plural(rows, 'row')} per estimator is more than the {plural(n_train, 'training row')}, "
                f"so each draws {n_train}.",
            )
        )
        rows = n_train
    spec = params.estimator
    k = getattr(spec, "n_neighbors", None)
    if k is not None and k > rows:
        clamps.append(
            Clamp(
                "estimator",
                spec.model_copy(update={"n_neighbors": rows}),
                f"Note: k = {k} is more than the {plural(rows, 'row')} each estimator draws, so k = {rows} is used.",
            )
        )
    base = {name: getattr(inputs, name) for name in inputs.__dataclass_fields__ if name != "clamps"}
    return EnsembleInputs(**base, panel_step=panel_step(params.grid_size), clamps=(*inputs.clamps, *clamps))


def _run(
    inputs: EnsembleInputs, params: BaggingParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    draws = bagging.Draws(
        # The count scikit-learn makes of a share (the same rows), given as that count: scikit-learn warns about
        # "a low number of bootstrap samples" for a small share, and a warning is no news to the learner.
        max_samples=drawn_rows(params.max_samples, int(inputs.split.train.size)),
        bootstrap=params.bootstrap,
        max_features=features_to_draw(params.max_features),
        bootstrap_features=params.bootstrap_features,
    )
    result = yield from bagging.run(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        feature_names=inputs.feature_names,
        spec=params.estimator.model_dump(),
        n_estimators=params.n_estimators,
        draws=draws,
        oob=params.oob_score,
        grid_size=params.grid_size,
        panel_step=inputs.panel_step,
        rng=rng,
    )
    return {**result, "classes": list(inputs.classes)}


BAGGING: Algorithm[BaggingParams, EnsembleInputs] = Algorithm(
    id="bagging",
    title="Bagging, pasting, random patches and subspaces",
    family="ensembles",
    summary=(
        "Many copies of one model vote, each fitted on its own random draw. Rows are drawn with replacement "
        "(bagging) or without (pasting), features too (random subspaces, random patches). Watch each "
        "member's draw (marker size: how often a row was drawn) and its own boundary, the vote of the members so "
        "far, and the out-of-bag score: the rows a member never drew test it for free."
    ),
    days=(7,),
    params_model=BaggingParams,
    prepare=_prepare,
    engine=_run,
    view=BaggingView(),
    frame_model=frames.BaggingFrame,
    result_model=frames.BaggingResult,
)

ALGORITHMS = (BAGGING,)
