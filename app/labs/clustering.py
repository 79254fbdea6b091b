"""Clustering labs: how params become engine calls, and which view draws them."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import clustering as engine
from app.labs.checks import require_at_most_rows
from app.labs.inputs import PointsInputs
from app.schemas.clustering import KMeansParams
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.frames import clustering as clustering_frames
from app.views.clustering import KMeansView


def _prepare_kmeans(params: KMeansParams, limits: Limits) -> PointsInputs:
    data = load_dataset(params.dataset)
    d = data.X.shape[1]
    require_at_most_rows("k", params.k, data, "each cluster needs a point")
    if isinstance(params.init, list) and len(params.init[0]) != d:
        raise ParamsError(("init",), f"init points have {len(params.init[0])} coordinates but the data has {d}")
    return PointsInputs.of(data)


def _run_kmeans(
    inputs: PointsInputs, params: KMeansParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs.X,
        k=params.k,
        init=params.init,
        max_iter=params.max_iter,
        tol=params.tol,
        elbow_max_k=params.elbow_max_k,
        rng=rng,
    )


KMEANS: Algorithm[KMeansParams, PointsInputs] = Algorithm(
    id="kmeans",
    title="k-means and the elbow method",
    family="clustering",
    summary=(
        "Lloyd's algorithm step by step: seed centroids (k-means++ draws far points more often), assign every "
        "point to its nearest centroid, move each centroid to the mean of its points, repeat until nothing "
        "changes. The elbow plot shows how the within-cluster sum of squares falls as k grows."
    ),
    days=(13,),
    params_model=KMeansParams,
    prepare=_prepare_kmeans,
    engine=_run_kmeans,
    view=KMeansView(),
    frame_model=clustering_frames.KMeansFrame,
    result_model=clustering_frames.KMeansResult,
)

ALGORITHMS = (KMEANS,)
