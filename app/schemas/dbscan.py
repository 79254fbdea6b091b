"""Params of the DBSCAN lab."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field


class DBSCANParams(BaseModel):
    """Density-based clustering: core points, their eps-neighbourhoods, clusters grown wave by wave."""

    model_config = form("DBSCAN params", {"data": ("dataset",), "model": ("eps", "min_samples", "border_rule")})

    dataset: DatasetParam = dataset_field(
        MoonsSpec(), description="The points to cluster (moons by default: two curved clusters and some noise)."
    )
    eps: FiniteFloat = Field(
        0.2,
        gt=0,
        le=1_000,
        title="Neighbourhood radius (ε)",
        description="Points closer than ε to each other are neighbours.",
        json_schema_extra={"x-widget": "slider", "x-step": 0.01, "x-max": 1.0},
    )
    min_samples: int = Field(
        8,
        ge=1,
        le=10_000,
        title="Points for a core point",
        description="A point with at least this many points within ε (itself included) is a core point.",
        json_schema_extra={"x-widget": "slider", "x-max": 30},
    )
    border_rule: Literal["first-cluster", "nearest-core"] = Field(
        "first-cluster",
        title="Border point rule",
        description="Which cluster a border point near two clusters joins: the first to reach it (scikit-learn's "
        "rule) or that of its nearest core point.",
        json_schema_extra={
            "x-labels": {"first-cluster": "First cluster to reach it", "nearest-core": "Nearest core point"}
        },
    )
