"""Clustering labs: how params become engine calls, and which view draws them."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import plural
from app.engines import clustering as engine
from app.labs.checks import clamp_count
from app.labs.inputs import PointsInputs
from app.schemas.clustering import KMeansParams
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.frames import clustering as clustering_frames
from app.views.clustering import KMeansView


def _kmeans_clamps(params: KMeansParams, n: int) -> tuple[Clamp, ...]:
    """k and the elbow's largest k, each at most the ``n`` points (every cluster needs a point), said in one
    note; explicit init points beyond the used k are dropped (the first k kept)."""
    elbow = params.elbow_max_k > n
    k_clamps = clamp_count("k", "k", params.k, n, "point")
    if not k_clamps:
        if not elbow:
            return ()
        note = (
            f"Note: the elbow plot's largest k = {params.elbow_max_k} is more than the {plural(n, 'point')}, "
            f"so it stops at k = {n}."
        )
        return (Clamp("elbow_max_k", n, note),)
    extras = []
    if isinstance(params.init, list):
        extras.append(f"the first {plural(n, 'init point')}")
    if elbow:
        extras.append(f"the elbow plot stops at k = {n} too")
    note = k_clamps[0].note.removesuffix(".") + (f" ({'; '.join(extras)})." if extras else ".")
    clamps: tuple[Clamp, ...] = (Clamp("k", n, note),)
    if isinstance(params.init, list):
        clamps += (Clamp("init", params.init[:n], ""),)
    if elbow:
        clamps += (Clamp("elbow_max_k", n, ""),)
    return clamps


def _prepare_kmeans(params: KMeansParams, limits: Limits) -> PointsInputs:
    data = load_dataset(params.dataset)
    d = data.X.shape[1]
    if isinstance(params.init, list) and len(params.init[0]) != d:
        raise ParamsError(("init",), f"init points have {len(params.init[0])} coordinates but the data has {d}")
    return PointsInputs.of(data, _kmeans_clamps(params, data.X.shape[0]))


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
