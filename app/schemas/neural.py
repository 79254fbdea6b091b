"""Params of the neural-network labs, and the two regression datasets only they use."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from app.datasets import Dataset
from app.datasets import neural as regression
from app.schemas import fields
from app.schemas.common import PARAMS_CONFIG, FiniteFloat
from app.schemas.datasets import (
    MAX_SAMPLES,
    BlobsSpec,
    BreastCancerSpec,
    CirclesSpec,
    DatasetSpec,
    InlineData,
    IrisSpec,
    MoonsSpec,
    SpiralSpec,
    WineSpec,
    XorSpec,
    catalog_entries,
    dataset_field,
    dataset_tag,
)

Activation = Literal["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]
Init = Literal["zeros", "constant", "uniform", "normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"]
Feature = Literal["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"]

_INIT_HELP = (
    "Weight init: zeros, constant (0.1), uniform U(−1, 1), normal N(0, 1), Xavier (Glorot) or He "
    "(Kaiming, for ReLU) uniform / normal. Biases start at 0."
)


class _RegressionSpec(DatasetSpec):
    n_samples: int = fields.n_samples(200, minimum=2)
    noise: float = fields.noise(0.1, "Standard deviation of the target noise.")
    seed: int = fields.seed()

    @property
    def n_rows(self) -> int:
        return self.n_samples


class PlaneSpec(_RegressionSpec):
    """Regression: target (x₁ + x₂)/2 plus noise over [−1, 1]² (a linear model fits it)."""

    model_config = ConfigDict(title="Plane (regression)")
    name: Literal["plane"] = "plane"

    def load(self) -> Dataset:
        X, y = regression.plane(self.n_samples, seed=self.seed, noise=self.noise)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)


class SineSpec(_RegressionSpec):
    """Regression in 1-D: target sin x₁ plus noise, x₁ in [−π·periods, π·periods]."""

    model_config = ConfigDict(title="Sine (1-D regression)")
    name: Literal["sine"] = "sine"
    periods: float = fields.slider(1.0, "Periods", "Half-width of x₁ in units of π.", 0.25, gt=0.0, le=3.0)

    def load(self) -> Dataset:
        X, y = regression.sine(self.n_samples, seed=self.seed, noise=self.noise, periods=self.periods)
        return Dataset(X=X, y=y, feature_names=("x1",), name=self.name)


REGRESSION_SETS = ("plane", "sine")

_Named = (
    CirclesSpec
    | XorSpec
    | BlobsSpec
    | SpiralSpec
    | MoonsSpec
    | PlaneSpec
    | SineSpec
    | IrisSpec
    | WineSpec
    | BreastCancerSpec
)


NeuralDataset = Annotated[
    Annotated[Annotated[_Named, Field(discriminator="name")], Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        dataset_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be an object: a named dataset {'name': ...} or inline data "
        "{'X': [...], 'y': [...]}",
    ),
]
"""Classification sets (circles, xor, blobs = 'gaussian', spiral, moons, classic tables, inline {X, y})
and the regression sets plane and sine."""


class NeuralParams(BaseModel):
    """A TensorFlow-Playground-style MLP trained with PyTorch."""

    model_config = PARAMS_CONFIG | {"title": "Neural network params"}

    dataset: NeuralDataset = dataset_field(
        CirclesSpec(noise=0.1),
        description="Classification: circles, xor, blobs (2 = 'gaussian', 3–10 classes), spiral, moons, iris, "
        "wine, inline {X, y}. Regression: plane, sine.",
        json_schema_extra={"x-datasets": catalog_entries(get_args(_Named))},
    )
    features: list[Feature] = Field(
        ["x1", "x2"],
        min_length=1,
        max_length=7,
        description="Input features (TensorFlow Playground's): x1, x2, x1_sq, x2_sq, x1_x2, sin_x1, sin_x2.",
    )
    hidden_layers: list[Annotated[int, Field(ge=1, le=64)]] = Field(
        [8, 8], max_length=8, description="Width of each hidden layer: 0–8 layers of 1–64 neurons, e.g. [8, 8]."
    )
    activation: Activation = Field("tanh", description="Activation of every hidden neuron.")
    leaky_slope: FiniteFloat = Field(
        0.01, ge=0.0, le=1.0, description="Negative slope of leaky_relu.", json_schema_extra={"x-step": 0.01}
    )
    init: Init = Field("xavier_uniform", description=_INIT_HELP)
    dropout: FiniteFloat = Field(
        0.0,
        ge=0.0,
        lt=1.0,
        description="Probability of dropping a hidden neuron during training (0 = off; must be below 1).",
        json_schema_extra={"x-step": 0.05},
    )
    batch_norm: bool = Field(False, description="Batch normalisation after each hidden linear layer.")
    l1: FiniteFloat = Field(
        0.0, ge=0.0, le=10.0, description="L1 strength: adds l1·Σ|w| to the loss.", json_schema_extra={"x-step": 0.001}
    )
    l2: FiniteFloat = Field(
        0.0, ge=0.0, le=10.0, description="L2 strength: adds l2·Σw² to the loss.", json_schema_extra={"x-step": 0.001}
    )
    loss: Literal["auto", "cross_entropy", "mse"] = Field(
        "auto",
        description="cross_entropy (classification) or mse (regression; binary 0/1 labels too); auto "
        "picks by the dataset.",
    )
    optimizer: Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] = Field(
        "adam", description="torch.optim optimiser (momentum and Nesterov use momentum 0.9)."
    )
    lr: FiniteFloat = Field(
        0.03,
        gt=0.0,
        le=10.0,
        description="Learning rate.",
        json_schema_extra={"x-log": True, "x-step": 0.001, "x-max": 3.0},
    )
    schedule: Literal["constant", "step", "exponential", "cosine"] = Field(
        "constant",
        description="Learning-rate schedule, stepped each epoch: step halves it every quarter of "
        "the run, exponential ends at lr/100, cosine anneals to 0.",
    )
    batch_size: int = Field(
        10,
        ge=1,
        le=MAX_SAMPLES,
        description="Mini-batch size (≤ training points).",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    epochs: int = Field(
        100,
        ge=1,
        le=2_000,
        description="Passes over the training set.",
        json_schema_extra={"x-widget": "slider", "x-step": 10, "x-max": 500},
    )
    frame_every: int = Field(
        5,
        ge=1,
        le=2_000,
        description="A frame every this many epochs (thinned to at most 200 frames).",
        json_schema_extra={"x-widget": "number"},
    )
    test_fraction: FiniteFloat = Field(
        0.5, ge=0.1, le=0.9, description="Share of the points held out for testing.", json_schema_extra={"x-step": 0.05}
    )

    @field_validator("features")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("each feature may be listed once")
        return v


class ActivationsParams(BaseModel):
    """Activation functions and their derivatives, then a signal through a deep stack."""

    model_config = PARAMS_CONFIG | {"title": "Activations params"}

    activation: Activation | Literal["step"] = Field(
        "sigmoid", description="Activation of the stack (the curves show them all)."
    )
    init: Init = Field("normal", description=_INIT_HELP)
    depth: int = Field(10, ge=1, le=20, description="Layers in the stack.", json_schema_extra={"x-widget": "slider"})
    width: int = Field(
        64, ge=1, le=512, description="Neurons per layer.", json_schema_extra={"x-widget": "slider", "x-max": 256}
    )
    n_samples: int = Field(
        500,
        ge=10,
        le=5_000,
        description="Input vectors pushed through (x ~ N(0, 1)).",
        json_schema_extra={"x-widget": "slider", "x-step": 10, "x-max": 2_000},
    )
    leaky_slope: FiniteFloat = Field(
        0.01, ge=0.0, le=1.0, description="Negative slope of leaky_relu.", json_schema_extra={"x-step": 0.01}
    )
    logits: list[FiniteFloat] = Field(
        [2.0, 1.0, 0.1, -1.0], min_length=2, max_length=10, description="A vector of logits for the softmax panel."
    )
