"""Params of the residual-network lab (issue 16): a 2-D classification set, the two nets' shape, the training.

The rules the params alone decide live here (depth 2–50, width 2–64, a positive finite learning rate); the ones
that need the data (a batch of one under batch norm, the training work) are the lab's ``prepare``
(``app.labs.resnet``), which says the arithmetic.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, Discriminator, Field, Tag

from app.schemas import fields
from app.schemas.common import OPTIMIZER_LABELS, FiniteFloat, form
from app.schemas.datasets import (
    BlobsSpec,
    CirclesSpec,
    InlineData,
    MoonsSpec,
    SpiralSpec,
    XorSpec,
    catalog_entries,
    dataset_field,
    dataset_tag,
)
from app.schemas.neural import ACTIVATION_LABELS

MAX_DEPTH = 50
MAX_WIDTH = 64

_Named = CirclesSpec | XorSpec | MoonsSpec | SpiralSpec | BlobsSpec

ResnetDataset = Annotated[
    Annotated[Annotated[_Named, Field(discriminator="name")], Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        dataset_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be an object: a named dataset {'name': ...} or inline data "
        "{'X': [...], 'y': [...]}",
    ),
]
"""Two-feature classification sets (circles, XOR, moons, spiral, blobs) or inline {X, y}."""

ResnetActivation = Literal["tanh", "sigmoid", "relu", "gelu"]


class ResnetParams(BaseModel):
    """A plain deep MLP raced against the same MLP with identity skip connections."""

    model_config = form(
        "Residual network params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("model", "depth", "width", "activation", "batch_norm"),
            "training": ("optimizer", "lr", "batch_size", "epochs"),
        },
    )

    dataset: ResnetDataset = dataset_field(
        CirclesSpec(noise=0.1),
        description="Points in the plane with class labels: circles, XOR, moons, a spiral, blobs or your own.",
        json_schema_extra={"x-datasets": catalog_entries(get_args(_Named))},
    )
    test_fraction: FiniteFloat = fields.slider(
        0.25, "Test share", "Share of the points held out to test on, never trained on.", 0.05, ge=0.1, le=0.9
    )
    model: Literal["mlp"] = fields.choice(
        "mlp",
        "Model",
        "What the two nets are: fully connected layers on the 2-D points.",
        {"mlp": "MLP on 2-D points"},
    )
    depth: int = fields.slider(
        20,
        "Depth (linear layers)",
        f"Linear layers of each net, the input and output layers included (2–{MAX_DEPTH}); the residual net adds "
        "an identity skip around every hidden one.",
        1,
        ge=2,
        le=MAX_DEPTH,
    )
    width: int = fields.slider(16, "Width", f"Neurons in every hidden layer (2–{MAX_WIDTH}).", 1, ge=2, le=MAX_WIDTH)
    activation: ResnetActivation = fields.choice(
        "tanh",
        "Activation",
        "The function after every hidden layer (tanh and sigmoid saturate: their gradients shrink layer by layer).",
        {k: v for k, v in ACTIVATION_LABELS.items() if k in get_args(ResnetActivation)},
    )
    batch_norm: bool = Field(
        False,
        title="Batch normalisation",
        description="Normalise each hidden layer's sums over the mini-batch before the activation.",
    )
    optimizer: Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] = fields.choice(
        "adam", "Optimiser", "torch.optim's update rule, the same for both nets.", OPTIMIZER_LABELS
    )
    lr: FiniteFloat = Field(
        0.01,
        gt=0.0,
        le=10.0,
        title="Learning rate (η)",
        description="How far each optimiser step moves the weights (a positive number).",
        json_schema_extra={"x-log": True, "x-step": 0.001, "x-max": 1.0},
    )
    batch_size: int = fields.slider(
        32, "Batch size", "Training points per step (more than there are: all of them).", 1, ge=1, le=10_000, x_max=200
    )
    epochs: int = fields.slider(30, "Epochs", "Passes over the training points.", 1, ge=1, le=500, x_max=200)
