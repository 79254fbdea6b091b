"""Params of the PCA lab, with PCA's own dataset param (its datasets keep every feature, not two)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from app.datasets import Dataset, multivariate
from app.schemas import fields
from app.schemas.common import form
from app.schemas.datasets import (
    BreastCancerTable,
    DatasetSpec,
    DigitsTable,
    InlineData,
    IrisTable,
    WineTable,
    catalog_entries,
    dataset_tag,
)


class Gaussian2DSpec(DatasetSpec):
    """Two correlated Gaussian features with different spreads (std 3 and 1): the axes are easy to see."""

    model_config = ConfigDict(title="Correlated Gaussian, 2-D")
    name: Literal["gaussian2d"] = fields.name("gaussian2d")
    n_samples: int = fields.n_samples(200, minimum=3)
    correlation: float = fields.slider(0.8, "Correlation", "Correlation of the two features.", 0.01, ge=-0.99, le=0.99)
    seed: int = fields.seed()

    def load(self) -> Dataset:
        X, y = multivariate.gaussian_2d(self.n_samples, seed=self.seed, correlation=self.correlation)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class Gaussian3DSpec(DatasetSpec):
    """Three correlated Gaussian features (std 3, 2, 1): a cloud that is nearly flat, so two axes hold most of it."""

    model_config = ConfigDict(title="Correlated Gaussian, 3-D")
    name: Literal["gaussian3d"] = fields.name("gaussian3d")
    n_samples: int = fields.n_samples(300, minimum=3)
    correlation: float = fields.slider(
        0.6, "Correlation", "Correlation of every pair of features.", 0.01, ge=-0.45, le=0.99
    )
    seed: int = fields.seed()

    def load(self) -> Dataset:
        X, y = multivariate.gaussian_3d(self.n_samples, seed=self.seed, correlation=self.correlation)
        return Dataset(X=X, y=y, feature_names=("x1", "x2", "x3"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


PCA_SPECS: tuple[type[DatasetSpec], ...] = (
    Gaussian2DSpec,
    Gaussian3DSpec,
    IrisTable,
    WineTable,
    BreastCancerTable,
    DigitsTable,
)
_Named = Annotated[
    Gaussian2DSpec | Gaussian3DSpec | IrisTable | WineTable | BreastCancerTable | DigitsTable,
    Field(discriminator="name"),
]


PCADatasetParam = Annotated[
    Annotated[_Named, Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        dataset_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be a named PCA dataset {'name': ...} or inline data {'X': [...]}",
    ),
]


class PCAParams(BaseModel):
    """PCA step by step: centre (or standardise), covariance, eigenvectors, projection, reconstruction."""

    model_config = form("PCA params", {"data": ("dataset", "standardize"), "model": ("n_components",)})

    dataset: PCADatasetParam = Field(
        default_factory=IrisTable,
        title="Dataset",
        description="A table with every feature kept (iris, wine, ...), a correlated Gaussian cloud, or your own rows.",
        json_schema_extra={
            "default": IrisTable().model_dump(mode="json"),
            "x-widget": "dataset",
            "x-datasets": catalog_entries(PCA_SPECS),
        },
    )
    standardize: bool = Field(
        True,
        title="Standardise features",
        description="On: z-scores (each feature to mean 0, standard deviation 1), so units do not matter; off: only "
        "centre, so features with large numbers dominate.",
    )
    n_components: int = Field(
        2,
        ge=1,
        le=64,
        title="Number of components",
        description="How many principal components to keep (at most the data's features and points).",
        json_schema_extra={"x-widget": "slider"},
    )
