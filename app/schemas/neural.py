"""Params of the neural-network labs, and the two regression datasets only they use."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator
from pydantic.config import JsonDict

from app.datasets import Dataset
from app.datasets import neural as regression
from app.schemas import fields
from app.schemas.common import OPTIMIZER_LABELS, FiniteFloat, form
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
    "How the weights start: zeros, constant 0.1, U(−1, 1), N(0, 1), Xavier (suits tanh) or He (suits ReLU); "
    "biases start at 0."
)
ACTIVATION_LABELS: JsonDict = {
    "linear": "Linear",
    "sigmoid": "Sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
    "step": "Step",
}
INIT_LABELS: JsonDict = {
    "zeros": "Zeros",
    "constant": "Constant (0.1)",
    "uniform": "Uniform U(−1, 1)",
    "normal": "Normal N(0, 1)",
    "xavier_uniform": "Xavier uniform",
    "xavier_normal": "Xavier normal",
    "he_uniform": "He uniform",
    "he_normal": "He normal",
}
FEATURE_LABELS: JsonDict = {
    "x1": "x₁",
    "x2": "x₂",
    "x1_sq": "x₁²",
    "x2_sq": "x₂²",
    "x1_x2": "x₁x₂",
    "sin_x1": "sin(x₁)",
    "sin_x2": "sin(x₂)",
}
"""How the network's input features read on the form (``x-labels``: the values stay the API's names)."""


def _leaky_slope() -> FiniteFloat:
    return Field(
        0.01,
        ge=0.0,
        le=1.0,
        title="Leaky ReLU slope",
        description="The slope of leaky ReLU for negative inputs (0 is plain ReLU).",
        json_schema_extra={"x-step": 0.01},
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
    name: Literal["plane"] = fields.name("plane")

    def load(self) -> Dataset:
        X, y = regression.plane(self.n_samples, seed=self.seed, noise=self.noise)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)


class SineSpec(_RegressionSpec):
    """Regression in 1-D: target sin x₁ plus noise, x₁ in [−π·periods, π·periods]."""

    model_config = ConfigDict(title="Sine (1-D regression)")
    name: Literal["sine"] = fields.name("sine")
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

    model_config = form(
        "Neural network params",
        {
            "data": ("dataset", "features", "test_fraction"),
            "model": ("hidden_layers", "activation", "leaky_slope", "init", "batch_norm"),
            "training": ("loss", "optimizer", "lr", "schedule", "batch_size", "epochs", "dropout", "l1", "l2"),
            "display": ("frame_every",),
        },
        visible_when={"leaky_slope": {"activation": ["leaky_relu"]}},
    )

    dataset: NeuralDataset = dataset_field(
        CirclesSpec(noise=0.1),
        description="Classify circles, XOR, blobs, a spiral, moons, iris, wine or your own points; or fit a plane "
        "or a sine (regression).",
        json_schema_extra={"x-datasets": catalog_entries(get_args(_Named))},
    )
    features: list[Feature] = Field(
        ["x1", "x2"],
        min_length=1,
        max_length=7,
        title="Input features",
        description="What the network is fed, computed from each point: x₁, x₂, their squares, product and sines.",
        json_schema_extra={"x-labels": FEATURE_LABELS},
    )
    hidden_layers: list[Annotated[int, Field(ge=1, le=64)]] = Field(
        [8, 8],
        max_length=8,
        title="Hidden layers",
        description="Neurons in each hidden layer: 0–8 layers of 1–64 neurons each.",
    )
    activation: Activation = Field(
        "tanh",
        title="Activation",
        description="The function every hidden neuron applies to its weighted sum.",
        json_schema_extra={"x-labels": {k: v for k, v in ACTIVATION_LABELS.items() if k != "step"}},
    )
    leaky_slope: FiniteFloat = _leaky_slope()
    init: Init = Field(
        "xavier_uniform",
        title="Weight initialisation",
        description=_INIT_HELP,
        json_schema_extra={"x-labels": INIT_LABELS},
    )
    dropout: FiniteFloat = Field(
        0.0,
        ge=0.0,
        lt=1.0,
        title="Dropout rate",
        description="The chance each hidden neuron is switched off at each training step (0 = off).",
        json_schema_extra={"x-step": 0.05},
    )
    batch_norm: bool = Field(
        False, title="Batch normalisation", description="Normalise each hidden layer's sums over the mini-batch."
    )
    l1: FiniteFloat = Field(
        0.0,
        ge=0.0,
        le=10.0,
        title="L1 penalty (λ₁)",
        description="Adds λ₁·Σ|w| to the loss, pushing weights to exactly 0.",
        json_schema_extra={"x-step": 0.001},
    )
    l2: FiniteFloat = Field(
        0.0,
        ge=0.0,
        le=10.0,
        title="L2 penalty (λ₂)",
        description="Adds λ₂·Σw² to the loss, keeping weights small (weight decay).",
        json_schema_extra={"x-step": 0.001},
    )
    loss: Literal["auto", "cross_entropy", "mse"] = Field(
        "auto",
        title="Loss function",
        description="Cross-entropy for classes, mean squared error for numbers (or 0/1 labels); auto picks by the "
        "dataset.",
        json_schema_extra={
            "x-labels": {"auto": "Auto (by the dataset)", "cross_entropy": "Cross-entropy", "mse": "Mean squared error"}
        },
    )
    optimizer: Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] = Field(
        "adam",
        title="Optimiser",
        description="How each step follows the gradient (torch.optim's; momentum and Nesterov keep 0.9 of the last "
        "step).",
        json_schema_extra={"x-labels": OPTIMIZER_LABELS},
    )
    lr: FiniteFloat = Field(
        0.03,
        gt=0.0,
        le=10.0,
        title="Learning rate (η)",
        description="How far each optimiser step moves the weights.",
        json_schema_extra={"x-log": True, "x-step": 0.001, "x-max": 3.0},
    )
    schedule: Literal["constant", "step", "exponential", "cosine"] = Field(
        "constant",
        title="Learning-rate schedule",
        description="How η changes each epoch: constant, halved every quarter of the run, exponential down to "
        "η/100, or cosine down to 0.",
        json_schema_extra={
            "x-labels": {
                "constant": "Constant",
                "step": "Step (halve each quarter)",
                "exponential": "Exponential",
                "cosine": "Cosine",
            }
        },
    )
    batch_size: int = Field(
        10,
        ge=1,
        le=MAX_SAMPLES,
        title="Batch size",
        description="Training points per step; more than there are means every step uses them all.",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    epochs: int = Field(
        100,
        ge=1,
        le=2_000,
        title="Epochs",
        description="Passes over the training set.",
        json_schema_extra={"x-widget": "slider", "x-step": 10, "x-max": 500},
    )
    frame_every: int = Field(
        5,
        ge=1,
        le=2_000,
        title="Epochs per frame",
        description="Draw a frame every this many epochs (at most 200 frames in all).",
        json_schema_extra={"x-widget": "number"},
    )
    test_fraction: FiniteFloat = Field(
        0.5,
        ge=0.1,
        le=0.9,
        title="Test share",
        description="Share of the points held out to test on, never trained on.",
        json_schema_extra={"x-step": 0.05},
    )

    @field_validator("features")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("each feature may be listed once")
        return v


class ActivationsParams(BaseModel):
    """Activation functions and their derivatives, then a signal through a deep stack."""

    model_config = form(
        "Activations params",
        {"data": ("n_samples", "logits"), "model": ("activation", "init", "depth", "width", "leaky_slope")},
    )

    activation: Activation | Literal["step"] = Field(
        "sigmoid",
        title="Activation",
        description="The function of the deep stack (the curves at the top show them all).",
        json_schema_extra={"x-labels": ACTIVATION_LABELS},
    )
    init: Init = Field(
        "normal", title="Weight initialisation", description=_INIT_HELP, json_schema_extra={"x-labels": INIT_LABELS}
    )
    depth: int = Field(
        10, ge=1, le=20, title="Layers", description="Layers in the stack.", json_schema_extra={"x-widget": "slider"}
    )
    width: int = Field(
        64,
        ge=1,
        le=512,
        title="Neurons per layer",
        description="Width of every layer of the stack.",
        json_schema_extra={"x-widget": "slider", "x-max": 256},
    )
    n_samples: int = Field(
        500,
        ge=10,
        le=5_000,
        title="Input samples",
        description="Random inputs x ~ N(0, 1) pushed through the stack.",
        json_schema_extra={"x-widget": "slider", "x-step": 10, "x-max": 2_000},
    )
    leaky_slope: FiniteFloat = _leaky_slope()
    logits: list[FiniteFloat] = Field(
        [2.0, 1.0, 0.1, -1.0],
        min_length=2,
        max_length=10,
        title="Softmax inputs (logits)",
        description="The scores the softmax panel turns into probabilities.",
    )
