"""Params of the decision-boundary labs: logistic regression, perceptron, k-nearest neighbours, SVM."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import PARAMS_CONFIG, FiniteFloat
from app.schemas.datasets import BlobsSpec, DatasetParam, MoonsSpec, dataset_field

_DATA = "A generator spec or inline {X, y} with 2 features and integer class labels (draw your own on the page)."


def _test_fraction() -> FiniteFloat:
    return Field(
        0.3,
        ge=0.0,
        le=0.9,
        description="Share of each class held out for testing (0 = train on all).",
        json_schema_extra={"x-widget": "slider", "x-step": 0.05},
    )


def _grid_size() -> int:
    return Field(
        100,
        ge=20,
        le=200,
        description="Resolution of the boundary picture: grid cells per axis.",
        json_schema_extra={"x-widget": "slider", "x-step": 10},
    )


class LogisticRegressionParams(BaseModel):
    """Binary (sigmoid) or multinomial (softmax) logistic regression trained by gradient descent."""

    model_config = PARAMS_CONFIG | {"title": "Logistic regression params"}

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.2), description=_DATA)
    lr: FiniteFloat = Field(
        0.5,
        gt=0,
        le=10,
        description="Learning rate: the size of each gradient step.",
        json_schema_extra={"x-log": True, "x-step": 0.01},
    )
    epochs: int = Field(
        100,
        ge=1,
        le=2000,
        description="Passes over the training set.",
        json_schema_extra={"x-widget": "slider", "x-max": 500},
    )
    batch_size: int = Field(
        32,
        ge=1,
        le=5000,
        description="Points per gradient step (≥ training set = full batch).",
        json_schema_extra={"x-widget": "number"},
    )
    l2: FiniteFloat = Field(
        0.001,
        ge=0,
        le=10,
        description="L2 penalty (l2/2)·‖W‖² added to the mean cross-entropy.",
        json_schema_extra={"x-log": True, "x-step": 0.0001},
    )
    polynomial_degree: int = Field(
        1,
        ge=1,
        le=5,
        description="Fit on all products of x₁, x₂ up to this degree: a linear model with curved boundaries.",
        json_schema_extra={"x-widget": "slider"},
    )
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()


class PerceptronParams(BaseModel):
    """Rosenblatt's perceptron: w ← w + lr·t·x for each misclassified point."""

    model_config = PARAMS_CONFIG | {"title": "Perceptron params"}

    dataset: DatasetParam = dataset_field(BlobsSpec(n_samples=200, centers=2, seed=2), description=_DATA)
    lr: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10,
        description="Learning rate: the step of each update. From w = 0 it only "
        "rescales w and b, so every lr makes the same mistakes and the same line.",
        json_schema_extra={"x-log": True, "x-step": 0.01},
    )
    epochs: int = Field(
        20,
        ge=1,
        le=1000,
        description="Most passes over the training set (stops early at zero "
        "mistakes; past 200 updates the frames are thinned).",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    shuffle: bool = Field(True, description="Visit the points in a new seeded order each epoch.")
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()


class KnnParams(BaseModel):
    """k-nearest neighbours, swept from k = 1 to the chosen k."""

    model_config = PARAMS_CONFIG | {"title": "k-nearest neighbours params"}

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.3), description=_DATA)
    k: int = Field(
        15,
        ge=1,
        le=50,
        description="Largest number of neighbours that vote (frames sweep 1 … k).",
        json_schema_extra={"x-widget": "slider"},
    )
    metric: Literal["euclidean", "manhattan", "chebyshev", "minkowski"] = Field(
        "euclidean", description="Distance: straight line, city block, largest coordinate gap, or Minkowski p."
    )
    p: FiniteFloat = Field(
        3.0,
        ge=1,
        le=10,
        description="Minkowski exponent (used when metric = minkowski).",
        json_schema_extra={"x-step": 0.5},
    )
    weights: Literal["uniform", "distance"] = Field(
        "uniform", description="Each neighbour votes 1, or 1/distance (closer ones count more)."
    )
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()


class SvmParams(BaseModel):
    """A soft-margin SVM trained by SMO."""

    model_config = PARAMS_CONFIG | {"title": "SVM params"}

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.2), description=_DATA)
    kernel: Literal["linear", "poly", "rbf", "sigmoid"] = Field(
        "rbf", description="Similarity K(x, z): x·z, (γ x·z + coef0)^degree, exp(−γ‖x − z‖²) or tanh(γ x·z + coef0)."
    )
    C: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10_000,
        description="Penalty on margin violations: large C = hard margin.",
        json_schema_extra={"x-log": True, "x-step": 0.01, "x-max": 1000},
    )
    gamma: FiniteFloat | None = Field(
        None,
        gt=0,
        le=1000,
        description="Kernel width γ (rbf, poly, sigmoid); empty = 'scale', 1/(2·Var X) as SVC.",
        json_schema_extra={"x-log": True},
    )
    degree: int = Field(3, ge=1, le=10, description="Degree of the poly kernel.")
    coef0: FiniteFloat = Field(0.0, ge=-10, le=10, description="Constant term of the poly and sigmoid kernels.")
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()
