"""Params of the clustering labs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.schemas.common import PARAMS_CONFIG, FiniteFloat, Point
from app.schemas.datasets import DatasetParam, dataset_field


class KMeansParams(BaseModel):
    """k-means on 2-D (or d-D inline) data."""

    model_config = PARAMS_CONFIG | {"title": "k-means params"}

    dataset: DatasetParam = dataset_field(description="A generator spec or inline {X, y}.")
    k: int = Field(4, ge=1, le=20, description="Number of clusters.", json_schema_extra={"x-widget": "slider"})
    init: Literal["k-means++", "random"] | list[Point] = Field(
        "k-means++",
        description="k-means++ (D²-weighted picks), random data points, or an explicit list of k points.",
        json_schema_extra={"x-click": {"count_param": "k"}},
    )
    max_iter: int = Field(100, ge=1, le=500, description="Most Lloyd iterations.")
    tol: FiniteFloat = Field(
        1e-4,
        ge=0,
        le=1,
        description=(
            "Stop when the squared centroid shift ≤ tol × mean feature variance; 0 = stop when no label changes."
        ),
        json_schema_extra={"x-log": True, "x-step": 1e-5},
    )
    elbow_max_k: int = Field(10, ge=0, le=20, description="Run k = 1..this for the elbow plot (0 = no elbow).")

    @field_validator("init")
    @classmethod
    def _init_has_k_points(
        cls, init: Literal["k-means++", "random"] | list[list[float]], info: ValidationInfo
    ) -> Literal["k-means++", "random"] | list[list[float]]:
        if isinstance(init, list):
            k = info.data.get("k")
            if k is not None and len(init) != k:
                raise ValueError(f"init lists {len(init)} points but k = {k}")
            if len({len(p) for p in init}) != 1:
                raise ValueError("init points must all have the same number of coordinates")
        return init
