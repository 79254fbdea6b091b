"""DBSCAN lab: core / border / noise, then clusters grown one wave of density-reachable points at a time."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from app.catalog import Algorithm, register
from app.core.frame import Frame
from app.engines import dbscan as engine
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.dbscan import DBSCANParams
from app.views.dbscan import DBSCANView


def _prepare(params: DBSCANParams) -> dict[str, Any]:
    data = load_dataset(params.dataset)
    n = data.X.shape[0]
    if params.min_samples > n:
        raise ParamsError(
            ("min_samples",),
            f"min_samples = {params.min_samples} is more than the {n} points: no point could be a core point",
            params.min_samples,
        )
    return {"X": data.X, "y": data.y, "feature_names": data.feature_names}


def _run(
    inputs: Mapping[str, Any], params: DBSCANParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs["X"], eps=params.eps, min_samples=params.min_samples, rng=rng, border_rule=params.border_rule
    )


register(
    Algorithm(
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
    )
)
