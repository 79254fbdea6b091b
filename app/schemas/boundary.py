"""Params of the decision-boundary labs: logistic regression, perceptron, k-nearest neighbours, SVM."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import BlobsSpec, DatasetParam, MoonsSpec, dataset_field


def _learning_rate(default: float, description: str) -> FiniteFloat:
    return Field(
        default,
        gt=0,
        le=10,
        title="Learning rate (η)",
        description=description,
        json_schema_extra={"x-log": True, "x-step": 0.01},
    )


class LogisticRegressionParams(BaseModel):
    """Binary (sigmoid) or multinomial (softmax) logistic regression trained by gradient descent."""

    model_config = form(
        "Logistic regression params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("polynomial_degree", "l2"),
            "training": ("lr", "epochs", "batch_size"),
            "display": ("grid_size",),
        },
    )

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.2), description=fields.LABELLED_POINTS)
    lr: FiniteFloat = _learning_rate(0.5, "How far each gradient step moves the weights.")
    epochs: int = Field(
        100,
        ge=1,
        le=2000,
        title="Epochs",
        description="Passes over the training set.",
        json_schema_extra={"x-widget": "slider", "x-max": 500},
    )
    batch_size: int = Field(
        32,
        ge=1,
        le=5000,
        title="Batch size",
        description="Points per gradient step; more than the training points means every step uses them all.",
        json_schema_extra={"x-widget": "number"},
    )
    l2: FiniteFloat = Field(
        0.001,
        ge=0,
        le=10,
        title="L2 penalty (λ)",
        description="Adds (λ/2)·‖W‖² to the loss, keeping the weights small.",
        json_schema_extra={"x-log": True, "x-step": 0.0001},
    )
    polynomial_degree: int = Field(
        1,
        ge=1,
        le=5,
        title="Polynomial degree",
        description="Fit on all products of x₁, x₂ up to this degree: a linear model with a curved boundary.",
        json_schema_extra={"x-widget": "slider"},
    )
    test_fraction: FiniteFloat = fields.test_fraction()
    grid_size: int = fields.grid_size(100)


class PerceptronParams(BaseModel):
    """Rosenblatt's perceptron: w ← w + lr·t·x for each misclassified point."""

    model_config = form(
        "Perceptron params",
        {
            "data": ("dataset", "test_fraction"),
            "training": ("lr", "epochs", "shuffle"),
            "display": ("grid_size",),
        },
    )

    dataset: DatasetParam = dataset_field(
        BlobsSpec(n_samples=200, centers=2, seed=2), description=fields.LABELLED_POINTS
    )
    lr: FiniteFloat = _learning_rate(
        1.0, "The step of each update; from w = 0 it only rescales w and b, so every η makes the same mistakes."
    )
    epochs: int = Field(
        20,
        ge=1,
        le=1000,
        title="Max epochs",
        description="The most passes over the training set (it stops early at zero mistakes).",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    shuffle: bool = Field(True, title="Shuffle", description="Visit the points in a new seeded order each epoch.")
    test_fraction: FiniteFloat = fields.test_fraction()
    grid_size: int = fields.grid_size(100)


class KnnParams(BaseModel):
    """k-nearest neighbours, swept from k = 1 to the chosen k."""

    model_config = form(
        "k-nearest neighbours params",
        {"data": ("dataset", "test_fraction"), "model": ("k", "metric", "p", "weights"), "display": ("grid_size",)},
        visible_when={"p": {"metric": ["minkowski"]}},
    )

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.3), description=fields.LABELLED_POINTS)
    k: int = Field(
        15,
        ge=1,
        le=50,
        title="Number of neighbours (k)",
        description="The frames sweep k = 1 … this; more than the training points is cut down to them.",
        json_schema_extra={"x-widget": "slider"},
    )
    metric: Literal["euclidean", "manhattan", "chebyshev", "minkowski"] = Field(
        "euclidean",
        title="Distance",
        description="How nearness is measured: straight line, city block, largest coordinate gap, or Minkowski p.",
        json_schema_extra={
            "x-labels": {
                "euclidean": "Euclidean (straight line)",
                "manhattan": "Manhattan (city block)",
                "chebyshev": "Chebyshev (largest gap)",
                "minkowski": "Minkowski (power p)",
            }
        },
    )
    p: FiniteFloat = Field(
        3.0,
        ge=1,
        le=10,
        title="Minkowski power (p)",
        description="The p of (Σ|xᵢ − zᵢ|ᵖ)^(1/p): 1 is Manhattan, 2 Euclidean, large p nears Chebyshev.",
        json_schema_extra={"x-step": 0.5},
    )
    weights: Literal["uniform", "distance"] = Field(
        "uniform",
        title="Vote weights",
        description="Each neighbour votes 1, or 1/distance so that closer ones count more.",
        json_schema_extra={"x-labels": {"uniform": "Equal votes", "distance": "Closer counts more (1/distance)"}},
    )
    test_fraction: FiniteFloat = fields.test_fraction()
    grid_size: int = fields.grid_size(100)


class SvmParams(BaseModel):
    """A soft-margin SVM trained by SMO."""

    model_config = form(
        "SVM params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("kernel", "C", "gamma", "degree", "coef0"),
            "display": ("grid_size",),
        },
        visible_when={
            "gamma": {"kernel": ["poly", "rbf", "sigmoid"]},
            "degree": {"kernel": ["poly"]},
            "coef0": {"kernel": ["poly", "sigmoid"]},
        },
    )

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.2), description=fields.LABELLED_POINTS)
    kernel: Literal["linear", "poly", "rbf", "sigmoid"] = Field(
        "rbf",
        title="Kernel",
        description="The similarity K(x, z): x·z, (γ x·z + coef0)^degree, exp(−γ‖x − z‖²) or tanh(γ x·z + coef0).",
        json_schema_extra={
            "x-labels": {"linear": "Linear", "poly": "Polynomial", "rbf": "RBF (Gaussian)", "sigmoid": "Sigmoid"}
        },
    )
    C: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10_000,
        title="Margin penalty (C)",
        description="The cost of each margin violation: large C makes a hard, narrow margin.",
        json_schema_extra={"x-log": True, "x-step": 0.01, "x-max": 1000},
    )
    gamma: FiniteFloat | None = Field(
        None,
        gt=0,
        le=1000,
        title="Kernel coefficient (γ)",
        description="How quickly similarity falls with distance; empty = 'scale', 1/(2·Var X), as scikit-learn.",
        json_schema_extra={"x-log": True},
    )
    degree: int = Field(3, ge=1, le=10, title="Polynomial degree", description="The power of the polynomial kernel.")
    coef0: FiniteFloat = Field(
        0.0,
        ge=-10,
        le=10,
        title="Polynomial offset (coef0)",
        description="The constant added to γ x·z in the polynomial and sigmoid kernels.",
    )
    test_fraction: FiniteFloat = fields.test_fraction()
    grid_size: int = fields.grid_size(100)
