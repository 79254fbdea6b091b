"""Params of the hierarchical clustering lab."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.schemas.common import PARAMS_CONFIG, FiniteFloat, check_rows
from app.schemas.datasets import BlobsSpec, DatasetParam, dataset_field, dataset_rows

Linkage = Literal["single", "complete", "average", "ward", "centroid", "median"]
EUCLIDEAN_ONLY = ("ward", "centroid", "median")
"""These linkages are defined through centroids, which only Euclidean distance has."""

DIVISIVE_MAX_CLUSTERS = 64


class HierarchicalParams(BaseModel):
    """Agglomerative (SciPy's linkage, merge by merge) or divisive (bisecting 2-means) clustering."""

    model_config = PARAMS_CONFIG | {"title": "Hierarchical clustering params"}

    dataset: DatasetParam = dataset_field(
        BlobsSpec(n_samples=40, centers=3, cluster_std=1.2),
        description="A generator spec or inline {X, y}. 40 points by default so every merge can be followed.",
    )
    mode: Literal["agglomerative", "divisive"] = Field(
        "agglomerative",
        description="Agglomerative: start from single points and merge the closest pair. Divisive: start from "
        "one cluster and split the one with the largest SSE with 2-means.",
    )
    linkage: Linkage = Field(
        "ward",
        description="Distance between clusters: single (closest pair), complete (farthest pair), average, ward "
        "(increase in within-cluster variance), centroid, median (agglomerative only).",
    )
    metric: Literal["euclidean", "cityblock", "cosine", "chebyshev"] = Field(
        "euclidean", description="Distance between points (ward, centroid and median need euclidean)."
    )
    n_clusters: int | None = Field(
        3,
        ge=1,
        le=100_000,
        description="Where to cut the tree: this many clusters.",
        json_schema_extra={"x-widget": "number"},
    )
    distance_threshold: FiniteFloat | None = Field(
        None,
        gt=0,
        description="Cut the tree at this height instead (agglomerative; overrides n_clusters).",
        json_schema_extra={"x-widget": "number"},
    )

    @field_validator("dataset")
    @classmethod
    def _rows_within_limit(cls, dataset: DatasetParam, info: ValidationInfo) -> DatasetParam:
        """The lab's own row limit (below the service's ``max_points``), checked before the tree is built."""
        limit = limits_in(info.context).max_points_hierarchical
        rows = dataset_rows(dataset)
        check_rows(
            rows,
            limit,
            f"hierarchical clustering takes at most {limit} points (its distance matrix grows as n²; "
            f"STEPWISE_MAX_POINTS_HIERARCHICAL); this dataset has {rows}",
        )
        return dataset

    @field_validator("metric")
    @classmethod
    def _euclidean_for_centroid_linkages(cls, metric: str, info: ValidationInfo) -> str:
        linkage = info.data.get("linkage")
        if linkage in EUCLIDEAN_ONLY and metric != "euclidean":
            raise ValueError(f"{linkage} linkage needs the euclidean metric (it uses centroids), not {metric}")
        return metric

    @field_validator("n_clusters")
    @classmethod
    def _divisive_cut(cls, n_clusters: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("mode") == "divisive":
            if n_clusters is None:
                raise ValueError("divisive mode needs n_clusters: it splits until there are that many")
            if n_clusters > DIVISIVE_MAX_CLUSTERS:
                raise ValueError(
                    f"divisive mode splits into at most {DIVISIVE_MAX_CLUSTERS} clusters, got {n_clusters}"
                )
        return n_clusters

    @field_validator("distance_threshold")
    @classmethod
    def _one_cut(cls, threshold: float | None, info: ValidationInfo) -> float | None:
        if info.data.get("mode") == "divisive" and threshold is not None:
            raise ValueError("distance_threshold applies to agglomerative mode; divisive stops at n_clusters")
        if threshold is None and "n_clusters" in info.data and info.data["n_clusters"] is None:
            raise ValueError("set n_clusters or distance_threshold: the tree needs a cut")
        return threshold
