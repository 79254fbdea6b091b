"""Frames and result of the hierarchical clustering lab, in its two modes.

Agglomerative (SciPy's linkage, merge by merge): `merge` … then `cut`. Divisive (bisecting 2-means): `start`,
`split` …, then `cut`. The two `cut` frames differ, so a frame is one mode's union or the other's.
Shapes: `n` points; cluster ids of the linkage are SciPy's (0..n−1 the points, n + i the cluster merge i made).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    KIND,
    METRICS,
    STATE,
    FrameBase,
    Indices,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

LABELS = "(n,) flat cluster of each point, 0-based."
Pair = Annotated[list[int], Field(min_length=2, max_length=2)]


class MergeState(Wire):
    """The merge just made."""

    merge: int = Field(ge=1, description="Which merge this is, from 1 (merges are thinned evenly above 300).")
    merged: Pair = Field(description="The two cluster ids joined (SciPy's numbering).")
    distance: float = Field(description="Linkage distance of the merge: its height in the dendrogram.")
    size: int = Field(ge=2, description="Points in the new cluster.")
    n_clusters: int = Field(ge=1, description="Clusters left after the merge.")


class AgglomerativeCutState(Wire):
    """The flat clusters of the cut dendrogram."""

    labels: Indices = Field(description=LABELS)
    n_clusters: int = Field(ge=1, description="Clusters after the cut.")
    cut_height: float = Field(description="Height of the dashed cut line in the dendrogram.")
    cophenetic_correlation: float | None = Field(
        description="Correlation of the dendrogram's distances with the points' own (−1..1); null where undefined."
    )


class AgglomerativeMetrics(Wire):
    """Merge distance and clusters left."""

    distance: float = Field(description="Merge distance (at the cut: the last merge's).")
    n_clusters: float = Field(description="Clusters.")


class Merge(FrameBase):
    """The two closest clusters merge."""

    kind: Literal["merge"] = Field(description=KIND)
    state: MergeState = Field(description=STATE)
    metrics: AgglomerativeMetrics = Field(description=METRICS)


class AgglomerativeCut(FrameBase):
    """The dendrogram cut into flat clusters (n_clusters or distance_threshold)."""

    kind: Literal["cut"] = Field(description=KIND)
    state: AgglomerativeCutState = Field(description=STATE)
    metrics: AgglomerativeMetrics = Field(description=METRICS)


class DivisiveState(Wire):
    """The flat clusters now and their total SSE."""

    labels: Indices = Field(description=LABELS)
    n_clusters: int = Field(ge=1, description="Clusters so far.")
    sse: float = Field(description="Total SSE: sum of squared distances to the cluster means (squared data units).")


class SplitState(DivisiveState):
    """The split just made and the clusters after it."""

    split: int = Field(ge=0, description="The cluster split (it keeps its id for one half).")
    into: Pair = Field(description="The two clusters it became: [split, new id].")
    distance: float = Field(description="SSE of the split cluster: the split's height in the tree.")
    size: Pair = Field(description="Points in each half.")


class DivisiveMetrics(Wire):
    """Total SSE and clusters."""

    sse: float = Field(description="Total SSE.")
    n_clusters: float = Field(description="Clusters.")


class Start(FrameBase):
    """All points in one cluster."""

    kind: Literal["start"] = Field(description=KIND)
    state: DivisiveState = Field(description=STATE)
    metrics: DivisiveMetrics = Field(description=METRICS)


class Split(FrameBase):
    """2-means cuts the cluster with the largest SSE."""

    kind: Literal["split"] = Field(description=KIND)
    state: SplitState = Field(description=STATE)
    metrics: DivisiveMetrics = Field(description=METRICS)


class DivisiveCut(FrameBase):
    """The last frame: n_clusters reached, or no cluster left that can be split."""

    kind: Literal["cut"] = Field(description=KIND)
    state: DivisiveState = Field(description=STATE)
    metrics: DivisiveMetrics = Field(description=METRICS)


class AgglomerativeDone(Wire):
    """The linkage, the cut and how well the tree keeps the distances."""

    linkage_matrix: Matrix = Field(
        description="(n−1, 4) SciPy's linkage: per merge [cluster a, cluster b, distance, size]."
    )
    labels: Indices = Field(description=LABELS)
    cophenetic_correlation: float | None = Field(description="As in the cut frame; null where undefined.")


class DivisiveSplit(Wire):
    """One bisection."""

    cluster: int = Field(description="The cluster split.")
    into: Pair = Field(description="[cluster, new id].")
    sse: float = Field(description="SSE of the cluster before the split.")
    sizes: Pair = Field(description="Points in each half.")


class DivisiveDone(Wire):
    """The cut and every split (no SciPy linkage in divisive mode)."""

    linkage_matrix: None = Field(description="Null: a divisive tree has no SciPy linkage.")
    labels: Indices = Field(description=LABELS)
    cophenetic_correlation: None = Field(description="Null in divisive mode.")
    splits: list[DivisiveSplit] = Field(description="Every split, in order.")


AgglomerativeFrame = Annotated[Merge | AgglomerativeCut | ServiceDivergedFrame, Field(discriminator="kind")]
DivisiveFrame = Annotated[Start | Split | DivisiveCut | ServiceDivergedFrame, Field(discriminator="kind")]


class HierarchicalFrame(RootModel[AgglomerativeFrame | DivisiveFrame]):
    """One frame of a hierarchical clustering run (agglomerative or divisive)."""


class HierarchicalResult(RootModel[AgglomerativeDone | DivisiveDone | ServiceDivergedResult]):
    """The result of a hierarchical clustering run."""
