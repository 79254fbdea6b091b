"""Clustering labs: how params become engine calls, and which view draws them."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from app.catalog import Algorithm, register
from app.core.frame import Frame
from app.engines import clustering as engine
from app.schemas.clustering import KMeansParams
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.views.clustering import KMeansView


def _prepare_kmeans(params: KMeansParams) -> dict[str, Any]:
    data = load_dataset(params.dataset)
    n, d = data.X.shape
    if params.k > n:
        raise ParamsError(("k",), f"k = {params.k} is more than the {n} points in the dataset", params.k)
    if isinstance(params.init, list) and len(params.init[0]) != d:
        raise ParamsError(("init",), f"init points have {len(params.init[0])} coordinates but the data has {d}")
    return {"X": data.X, "y": data.y, "feature_names": data.feature_names}


def _run_kmeans(
    inputs: Mapping[str, Any], params: KMeansParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs["X"],
        k=params.k,
        init=params.init,
        max_iter=params.max_iter,
        tol=params.tol,
        elbow_max_k=params.elbow_max_k,
        rng=rng,
    )


register(
    Algorithm(
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
    )
)
