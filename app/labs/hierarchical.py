"""Hierarchical clustering lab: SciPy's linkage replayed merge by merge, or bisecting 2-means split by split."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from app.catalog import Algorithm, register
from app.core.frame import Frame
from app.engines import divisive
from app.engines import hierarchical as engine
from app.schemas.common import ParamsError
from app.schemas.datasets import dataset_rows, load_dataset
from app.schemas.hierarchical import HierarchicalParams
from app.settings import get_settings
from app.views.hierarchical import HierarchicalView


def _prepare(params: HierarchicalParams) -> dict[str, Any]:
    limit = get_settings().max_points_hierarchical
    rows = dataset_rows(params.dataset)
    if rows > limit:
        raise ParamsError(
            ("dataset",),
            f"hierarchical clustering takes at most {limit} points (its distance "
            f"matrix grows as n²; STEPWISE_MAX_POINTS_HIERARCHICAL); this dataset has {rows}",
        )
    data = load_dataset(params.dataset)
    X = data.X
    n = X.shape[0]
    if n < 2:
        raise ParamsError(("dataset",), "hierarchical clustering needs at least 2 points")
    if params.n_clusters is not None and params.n_clusters > n:
        raise ParamsError(
            ("n_clusters",), f"n_clusters = {params.n_clusters} is more than the {n} points", params.n_clusters
        )
    inputs: dict[str, Any] = {"X": X, "y": data.y, "feature_names": data.feature_names}
    if params.mode == "divisive":
        inputs["total_sse"] = float(((X - X.mean(axis=0)) ** 2).sum())
        inputs["n_distinct"] = int(np.unique(X, axis=0).shape[0])  # at most this many clusters can be split off
        return inputs
    if params.metric == "cosine":
        zero = np.flatnonzero(~np.any(X, axis=1))
        if zero.size:
            raise ParamsError(("metric",), f"cosine distance is undefined for the all-zero point {int(zero[0])}")
    tree = engine.build_tree(X, params.linkage, params.metric)
    inputs["tree"] = tree
    inputs["cut_height"] = engine.cut_height(tree.Z, params.n_clusters, params.distance_threshold)
    return inputs


def _run(
    inputs: Mapping[str, Any], params: HierarchicalParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    if params.mode == "divisive":
        return divisive.run_divisive(inputs["X"], n_clusters=int(params.n_clusters or 1), rng=rng)
    return engine.run(
        inputs["X"], inputs["tree"], n_clusters=params.n_clusters, distance_threshold=params.distance_threshold, rng=rng
    )


register(
    Algorithm(
        id="hierarchical",
        title="Hierarchical clustering and the dendrogram",
        family="clustering",
        summary=(
            "Agglomerative clustering merges the two closest clusters again and again — closest by single, complete, "
            "average, Ward, centroid or median linkage — and the dendrogram records every merge at its height. Watch "
            "it grow merge by merge with the proximity matrix it searches, then cut it into flat clusters. Divisive "
            "mode works top down instead, splitting the widest cluster with 2-means."
        ),
        days=(14,),
        params_model=HierarchicalParams,
        prepare=_prepare,
        engine=_run,
        view=HierarchicalView(),
    )
)
