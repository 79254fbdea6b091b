"""Params of the hierarchical clustering lab."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.schemas.common import FiniteFloat, check_rows, form
from app.schemas.datasets import BlobsSpec, DatasetParam, dataset_field, dataset_rows

Linkage = Literal["single", "complete", "average", "ward", "centroid", "median"]
EUCLIDEAN_ONLY = ("ward", "centroid", "median")
"""These linkages are defined through centroids, which only Euclidean distance has."""

DIVISIVE_MAX_CLUSTERS = 64


class HierarchicalParams(BaseModel):
    """Agglomerative (SciPy's linkage, merge by merge) or divisive (bisecting 2-means) clustering."""

    model_config = form(
        "Hierarchical clustering params",
        {"data": ("dataset",), "model": ("mode", "linkage", "metric", "n_clusters", "distance_threshold")},
        visible_when={
            "linkage": {"mode": ["agglomerative"]},
            "metric": {"mode": ["agglomerative"]},
            "distance_threshold": {"mode": ["agglomerative"]},
        },
    )

    dataset: DatasetParam = dataset_field(
        BlobsSpec(n_samples=40, centers=3, cluster_std=1.2),
        description="The points to cluster (40 by default, so every merge can be followed).",
    )
    mode: Literal["agglomerative", "divisive"] = Field(
        "agglomerative",
        title="Direction",
        description="Agglomerative merges the closest pair of clusters, bottom up; divisive splits the widest "
        "cluster in two with 2-means, top down.",
        json_schema_extra={
            "x-labels": {"agglomerative": "Agglomerative (merge, bottom up)", "divisive": "Divisive (split, top down)"}
        },
    )
    linkage: Linkage = Field(
        "ward",
        title="Linkage",
        description="How far apart two clusters are: closest pair (single), farthest pair (complete), average "
        "pair, Ward's growth in variance, or between centroids or medians.",
        json_schema_extra={
            "x-labels": {
                "single": "Single (closest pair)",
                "complete": "Complete (farthest pair)",
                "average": "Average",
                "ward": "Ward (variance)",
                "centroid": "Centroid",
                "median": "Median",
            }
        },
    )
    metric: Literal["euclidean", "cityblock", "cosine", "chebyshev"] = Field(
        "euclidean",
        title="Distance",
        description="Distance between points (Ward, centroid and median linkage need Euclidean).",
        json_schema_extra={
            "x-labels": {
                "euclidean": "Euclidean (straight line)",
                "cityblock": "Manhattan (city block)",
                "cosine": "Cosine (angle)",
                "chebyshev": "Chebyshev (largest gap)",
            }
        },
    )
    n_clusters: int | None = Field(
        3,
        ge=1,
        le=100_000,
        title="Number of clusters",
        description="Cut the tree where it has this many clusters (more than there are points: every point alone).",
        json_schema_extra={"x-widget": "number"},
    )
    distance_threshold: FiniteFloat | None = Field(
        None,
        gt=0,
        title="Cut height",
        description="Cut the tree at this merge distance instead of a number of clusters (empty = not used).",
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
