"""Hierarchical clustering lab: SciPy's linkage replayed merge by merge, or bisecting 2-means split by split."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import divisive
from app.engines import hierarchical as engine
from app.labs.checks import clamp_count, require_rows
from app.labs.inputs import PointsInputs
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.frames import hierarchical as hierarchical_frames
from app.schemas.hierarchical import HierarchicalParams
from app.views.hierarchical import HierarchicalView


@dataclass(frozen=True)
class HierarchicalInputs(PointsInputs):
    """The points plus what one mode needs: the agglomerative tree and its cut, or the divisive scale."""

    tree: engine.Tree | None = None  # agglomerative: SciPy's linkage and its dendrogram's shapes
    cut_height: float | None = None  # agglomerative: the height of the cut line
    total_sse: float = 1.0  # divisive: the SSE of the whole data (the split tree's height)
    n_distinct: int = 0  # divisive: distinct points, the most clusters that can be split off
    proximity: bool = False  # agglomerative with n ≤ engine.PROXIMITY_LIMIT: the engine computes the matrices


def _prepare(params: HierarchicalParams, limits: Limits) -> HierarchicalInputs:
    # The row limit (limits.max_points_hierarchical) is the schema's: checked before the data is generated.
    data = load_dataset(params.dataset)
    X = data.X
    n = X.shape[0]
    require_rows(data, "hierarchical clustering", 2)
    # The cut: more clusters than points is every point on its own, so cut there (a threshold overrides it).
    uses_count = params.n_clusters is not None and (params.mode == "divisive" or params.distance_threshold is None)
    clamps = clamp_count("n_clusters", "number of clusters", params.n_clusters or 0, n, "point") if uses_count else ()
    n_clusters = clamps[0].used if clamps else params.n_clusters
    if params.mode == "divisive":
        return HierarchicalInputs(
            X=X,
            y=data.y,
            feature_names=data.feature_names,
            clamps=clamps,
            total_sse=float(((X - X.mean(axis=0)) ** 2).sum()),
            n_distinct=int(np.unique(X, axis=0).shape[0]),
        )
    if params.metric == "cosine":
        zero = np.flatnonzero(~np.any(X, axis=1))
        if zero.size:
            raise ParamsError(("metric",), f"cosine distance is undefined for the all-zero point {int(zero[0])}")
    tree = engine.build_tree(X, params.linkage, params.metric)
    return HierarchicalInputs(
        X=X,
        y=data.y,
        feature_names=data.feature_names,
        clamps=clamps,
        tree=tree,
        cut_height=engine.cut_height(tree.Z, n_clusters, params.distance_threshold),
        proximity=n <= engine.PROXIMITY_LIMIT,
    )


def _run(
    inputs: HierarchicalInputs, params: HierarchicalParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    if inputs.tree is None:  # divisive mode
        return divisive.run_divisive(inputs.X, n_clusters=int(params.n_clusters or 1), rng=rng)
    return engine.run(
        inputs.X, inputs.tree, n_clusters=params.n_clusters, distance_threshold=params.distance_threshold, rng=rng
    )


HIERARCHICAL: Algorithm[HierarchicalParams, HierarchicalInputs] = Algorithm(
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
    frame_model=hierarchical_frames.HierarchicalFrame,
    result_model=hierarchical_frames.HierarchicalResult,
)

ALGORITHMS = (HIERARCHICAL,)
