"""Params of the PCA lab, with PCA's own dataset param (its datasets keep every feature, not two)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from app.datasets import Dataset, multivariate
from app.schemas.common import PARAMS_CONFIG
from app.schemas.datasets import MAX_SAMPLES, InlineData, catalog_entries


def _n_samples(default: int) -> Any:
    return Field(
        default,
        ge=3,
        le=MAX_SAMPLES,
        title="Samples",
        description="Number of points to generate.",
        json_schema_extra={"x-widget": "slider", "x-step": 10, "x-max": 2_000},
    )


def _seed() -> Any:
    return Field(
        0,
        ge=0,
        le=2**32 - 1,
        title="Data seed",
        description="Seed of the data generator (independent of the run's seed).",
        json_schema_extra={"x-widget": "number"},
    )


class _PCASpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ClassVar[Literal["generator", "classic"]] = "generator"
    name: str

    def load(self) -> Dataset:
        raise NotImplementedError

    @property
    def n_rows(self) -> int:
        raise NotImplementedError


class Gaussian2DSpec(_PCASpec):
    """Two correlated Gaussian features with different spreads (std 3 and 1): the axes are easy to see."""

    model_config = ConfigDict(title="Correlated Gaussian, 2-D")
    name: Literal["gaussian2d"] = "gaussian2d"
    n_samples: int = _n_samples(200)
    correlation: float = Field(
        0.8,
        ge=-0.99,
        le=0.99,
        title="Correlation",
        description="Correlation of the two features.",
        json_schema_extra={"x-widget": "slider", "x-step": 0.01},
    )
    seed: int = _seed()

    def load(self) -> Dataset:
        X, y = multivariate.gaussian_2d(self.n_samples, seed=self.seed, correlation=self.correlation)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class Gaussian3DSpec(_PCASpec):
    """Three correlated Gaussian features (std 3, 2, 1): a cloud that is nearly flat, so two axes hold most of it."""

    model_config = ConfigDict(title="Correlated Gaussian, 3-D")
    name: Literal["gaussian3d"] = "gaussian3d"
    n_samples: int = _n_samples(300)
    correlation: float = Field(
        0.6,
        ge=-0.45,
        le=0.99,
        title="Correlation",
        description="Correlation of every pair of features.",
        json_schema_extra={"x-widget": "slider", "x-step": 0.01},
    )
    seed: int = _seed()

    def load(self) -> Dataset:
        X, y = multivariate.gaussian_3d(self.n_samples, seed=self.seed, correlation=self.correlation)
        return Dataset(X=X, y=y, feature_names=("x1", "x2", "x3"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class _TableSpec(_PCASpec):
    kind: ClassVar[Literal["generator", "classic"]] = "classic"

    def load(self) -> Dataset:
        X, y, columns, _ = multivariate.load_table(self.name)
        return Dataset(X=X, y=y, feature_names=columns, name=self.name)

    @property
    def n_rows(self) -> int:
        return multivariate.N_ROWS[self.name]


class IrisTable(_TableSpec):
    """Fisher's iris, all 4 measurements: 150 flowers of 3 species."""

    model_config = ConfigDict(title="Iris (4 features)")
    name: Literal["iris"] = "iris"


class WineTable(_TableSpec):
    """Wine recognition, all 13 chemical measurements: 178 wines from 3 cultivars."""

    model_config = ConfigDict(title="Wine (13 features)")
    name: Literal["wine"] = "wine"


class BreastCancerTable(_TableSpec):
    """Wisconsin breast cancer, all 30 features: 569 tumours, malignant or benign."""

    model_config = ConfigDict(title="Breast cancer (30 features)")
    name: Literal["breast_cancer"] = "breast_cancer"


class DigitsTable(_TableSpec):
    """Handwritten digits 0–9 as 8×8 images: 1,797 samples × 64 pixel features (some pixels are always 0)."""

    model_config = ConfigDict(title="Digits (64 pixels)")
    name: Literal["digits"] = "digits"


PCA_SPECS: tuple[type[_PCASpec], ...] = (
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


def _tag(v: Any) -> str | None:
    if isinstance(v, dict):
        return "inline" if "X" in v else "named"
    if isinstance(v, InlineData):
        return "inline"
    return "named" if isinstance(v, _PCASpec) else None


PCADatasetParam = Annotated[
    Annotated[_Named, Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        _tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be a named PCA dataset {'name': ...} or inline data {'X': [...]}",
    ),
]


class PCAParams(BaseModel):
    """PCA step by step: centre (or standardise), covariance, eigenvectors, projection, reconstruction."""

    model_config = PARAMS_CONFIG | {"title": "PCA params"}

    dataset: PCADatasetParam = Field(
        default_factory=IrisTable,
        title="Dataset",
        description="A PCA dataset ({'name': 'wine'}), all features kept, or inline data ({'X': [[...], ...]}).",
        json_schema_extra={
            "default": IrisTable().model_dump(mode="json"),
            "x-widget": "dataset",
            "x-datasets": catalog_entries(PCA_SPECS),
        },
    )
    standardize: bool = Field(
        True,
        description="True: z-scores (each feature to mean 0, standard deviation 1), so units do not matter. "
        "False: only subtract the mean, so features with large numbers dominate.",
    )
    n_components: int = Field(
        2, ge=1, le=64, description="How many principal components to keep.", json_schema_extra={"x-widget": "slider"}
    )
