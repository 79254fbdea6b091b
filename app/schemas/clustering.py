"""Params of the clustering labs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.schemas.common import FiniteFloat, Point, form
from app.schemas.datasets import DatasetParam, dataset_field


class KMeansParams(BaseModel):
    """k-means on 2-D (or d-D inline) data."""

    model_config = form(
        "k-means params",
        {"data": ("dataset",), "model": ("k", "init"), "training": ("max_iter", "tol"), "display": ("elbow_max_k",)},
    )

    dataset: DatasetParam = dataset_field(
        description="The points to cluster: a generated set or your own (x, y) points."
    )
    k: int = Field(
        4,
        ge=1,
        le=20,
        title="Number of clusters (k)",
        description="How many clusters to find; more than there are points is cut down to the number of points.",
        json_schema_extra={"x-widget": "slider"},
    )
    init: Literal["k-means++", "random"] | list[Point] = Field(
        "k-means++",
        title="Initial centroids",
        description="k-means++ picks far-apart points (D²-weighted), random picks any k points; or click k points.",
        json_schema_extra={
            "x-click": {"count_param": "k"},
            "x-labels": {"k-means++": "k-means++ (spread out)", "random": "Random points"},
        },
    )
    max_iter: int = Field(
        100, ge=1, le=500, title="Max iterations", description="The most assign-and-update rounds before stopping."
    )
    tol: FiniteFloat = Field(
        1e-4,
        ge=0,
        le=1,
        title="Tolerance",
        description=(
            "Stop when the centroids move less than this (squared, relative to the data's spread); 0 = stop only "
            "when no point changes cluster."
        ),
        json_schema_extra={"x-log": True, "x-step": 1e-5},
    )
    elbow_max_k: int = Field(
        10,
        ge=0,
        le=20,
        title="Elbow plot up to k",
        description="Also run k = 1 … this for the elbow plot of WCSS against k (0 = no elbow plot).",
    )

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
