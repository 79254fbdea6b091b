"""Params of the DBSCAN lab."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import PARAMS_CONFIG, FiniteFloat
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field


class DBSCANParams(BaseModel):
    """Density-based clustering: core points, their eps-neighbourhoods, clusters grown wave by wave."""

    model_config = PARAMS_CONFIG | {"title": "DBSCAN params"}

    dataset: DatasetParam = dataset_field(
        MoonsSpec(), description="A generator spec or inline {X, y}. Moons by default: two clusters and some noise."
    )
    eps: FiniteFloat = Field(
        0.2,
        gt=0,
        le=1_000,
        description="Neighbourhood radius: points within eps of each other are neighbours.",
        json_schema_extra={"x-widget": "slider", "x-step": 0.01, "x-max": 1.0},
    )
    min_samples: int = Field(
        8,
        ge=1,
        le=10_000,
        description="A point with at least this many points within eps (itself included) is a core point.",
        json_schema_extra={"x-widget": "slider", "x-max": 30},
    )
    border_rule: Literal["first-cluster", "nearest-core"] = Field(
        "first-cluster",
        description="Which cluster a border point within eps of two clusters joins: the first cluster that reaches "
        "it (scikit-learn's rule, order-dependent) or the cluster of its nearest core point.",
    )
