"""DBSCAN lab: core / border / noise, then clusters grown one wave of density-reachable points at a time."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import dbscan as engine
from app.labs.checks import clamp_count
from app.labs.inputs import PointsInputs
from app.schemas.datasets import load_dataset
from app.schemas.dbscan import DBSCANParams
from app.schemas.frames import dbscan as dbscan_frames
from app.views.dbscan import DBSCANView


def _prepare(params: DBSCANParams, limits: Limits) -> PointsInputs:
    data = load_dataset(params.dataset)
    # More than n: no point could be a core point. At most n, the densest neighbourhoods still can be.
    clamps = clamp_count("min_samples", "min samples", params.min_samples, data.X.shape[0], "point")
    return PointsInputs.of(data, clamps)


def _run(
    inputs: PointsInputs, params: DBSCANParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(inputs.X, eps=params.eps, min_samples=params.min_samples, rng=rng, border_rule=params.border_rule)


DBSCAN: Algorithm[DBSCANParams, PointsInputs] = Algorithm(
    id="dbscan",
    title="DBSCAN: core, border and noise",
    family="clustering",
    summary=(
        "Density-based clustering: a point with at least min_samples neighbours within eps is a core point, "
        "points near a core point are border points, the rest are noise. Clusters grow from core points one wave "
        "of density-reachable neighbours at a time, so they can take any shape and need no k. The k-distance "
        "plot helps choose eps."
    ),
    days=(15,),
    params_model=DBSCANParams,
    prepare=_prepare,
    engine=_run,
    view=DBSCANView(),
    frame_model=dbscan_frames.DbscanFrame,
    result_model=dbscan_frames.DbscanResult,
)

ALGORITHMS = (DBSCAN,)
