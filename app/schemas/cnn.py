"""Params of the CNN lab (issue 15): an image dataset, the layer list, the optimiser and the training loop, and
weights to start from.

``layers`` is a list of tagged objects (``{"type": "conv", "filters": 8, "kernel": 3, ...}``), drawn by the form
as one sub-form per layer (``list-schema.js``'s objlist); the output layer (one unit per class) is appended by
the engine. The rules the params alone decide live here (field ranges, at most ``MAX_LAYERS`` layers, a weights
file of at most ``Limits.max_model_bytes``); the ones that need the image size (a layer whose output would be empty,
the parameter count, the training work, a weights file of another architecture) are the lab's ``prepare``
(``app.labs.cnn``), which says the arithmetic.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.images import DigitImagesSpec, ShapesSpec
from app.schemas.spec import catalog_entries

MAX_LAYERS = 24
"""Most layers in the list (a schema bound: the form draws one sub-form per layer)."""


class _Layer(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _type(name: str, label: str) -> Any:
    return Field(
        name, title="Layer", description="What this layer does.", json_schema_extra={"x-labels": {name: label}}
    )


class ConvLayer(_Layer):
    """A 2-D convolution: ``filters`` kernels of ``kernel`` × ``kernel`` slid over every input channel."""

    type: Literal["conv"] = _type("conv", "Convolution")
    filters: int = Field(8, ge=1, le=256, title="Filters", description="How many kernels (output channels).")
    kernel: int = Field(3, ge=1, le=9, title="Kernel size", description="Width and height of each kernel.")
    padding: int = Field(1, ge=0, le=4, title="Padding", description="Rows and columns of zeros added around.")
    stride: int = Field(1, ge=1, le=4, title="Stride", description="Pixels the kernel moves per step.")


class ReluLayer(_Layer):
    """max(0, x), element by element."""

    type: Literal["relu"] = _type("relu", "ReLU")


class TanhLayer(_Layer):
    """tanh(x), element by element."""

    type: Literal["tanh"] = _type("tanh", "tanh")


class SigmoidLayer(_Layer):
    """1 / (1 + e^−x), element by element."""

    type: Literal["sigmoid"] = _type("sigmoid", "Sigmoid")


class MaxPoolLayer(_Layer):
    """The largest value of each ``size`` × ``size`` window."""

    type: Literal["maxpool"] = _type("maxpool", "Max pooling")
    size: int = Field(2, ge=1, le=8, title="Window", description="Width and height of the pooling window.")
    stride: int = Field(2, ge=1, le=8, title="Stride", description="Pixels the window moves per step.")


class AvgPoolLayer(_Layer):
    """The mean of each ``size`` × ``size`` window."""

    type: Literal["avgpool"] = _type("avgpool", "Average pooling")
    size: int = Field(2, ge=1, le=8, title="Window", description="Width and height of the pooling window.")
    stride: int = Field(2, ge=1, le=8, title="Stride", description="Pixels the window moves per step.")


class BatchNormLayer(_Layer):
    """Each channel normalised over the batch, then scaled and shifted by two learnt numbers."""

    type: Literal["batchnorm"] = _type("batchnorm", "Batch norm")


class DropoutLayer(_Layer):
    """While training, each value is zeroed with probability ``p`` (the rest scaled by 1/(1 − p))."""

    type: Literal["dropout"] = _type("dropout", "Dropout")
    p: FiniteFloat = Field(0.25, ge=0.0, le=0.9, title="Drop share", description="Probability of zeroing a value.")


class FlattenLayer(_Layer):
    """The (C, H, W) maps laid out as one vector of C·H·W numbers."""

    type: Literal["flatten"] = _type("flatten", "Flatten")


class DenseLayer(_Layer):
    """A fully connected layer: every input to every unit."""

    type: Literal["dense"] = _type("dense", "Dense")
    units: int = Field(32, ge=1, le=4_096, title="Units", description="How many outputs.")


LayerParam = Annotated[
    Annotated[ConvLayer, Tag("conv")]
    | Annotated[ReluLayer, Tag("relu")]
    | Annotated[TanhLayer, Tag("tanh")]
    | Annotated[SigmoidLayer, Tag("sigmoid")]
    | Annotated[MaxPoolLayer, Tag("maxpool")]
    | Annotated[AvgPoolLayer, Tag("avgpool")]
    | Annotated[BatchNormLayer, Tag("batchnorm")]
    | Annotated[DropoutLayer, Tag("dropout")]
    | Annotated[FlattenLayer, Tag("flatten")]
    | Annotated[DenseLayer, Tag("dense")],
    Discriminator("type"),
]

CnnDataset = Annotated[
    Annotated[DigitImagesSpec, Tag("digit_images")] | Annotated[ShapesSpec, Tag("shapes")], Discriminator("name")
]


def default_layers() -> list[Any]:
    """Two conv blocks and a dense head: ≥ 0.95 test accuracy on the digits in a few seconds."""
    return [
        ConvLayer(filters=8, kernel=3, padding=1),
        ReluLayer(),
        MaxPoolLayer(size=2, stride=2),
        ConvLayer(filters=16, kernel=3, padding=1),
        ReluLayer(),
        MaxPoolLayer(size=2, stride=2),
        FlattenLayer(),
        DenseLayer(units=32),
        ReluLayer(),
    ]


def _valid_model_file(value: str | None, limit: int) -> str | None:
    """Base64 of at most ``limit`` bytes; whether it is a torch file of this network is ``prepare``'s."""
    if value is None or value == "":
        return None
    if len(value) > (limit * 4) // 3 + 4:
        raise ValueError(
            f"the weights file is about {len(value) * 3 // 4:,} bytes; at most {limit:,} are taken "
            "(STEPWISE_MAX_MODEL_BYTES)"
        )
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not a Stepwise model file (the text is not base64)") from None
    return value


class CnnParams(BaseModel):
    """A convolutional network trained with PyTorch on small images, opened up layer by layer."""

    model_config = form(
        "CNN params",
        {
            "data": ("dataset", "test_fraction", "augment"),
            "model": ("layers", "initial_weights"),
            "training": ("optimizer", "lr", "batch_size", "epochs"),
            "display": ("sample",),
        },
    )

    dataset: CnnDataset = Field(
        default_factory=DigitImagesSpec,
        title="Images",
        description="Labelled images: handwritten digits (8 × 8) or synthetic shapes (any size).",
        json_schema_extra={
            "default": DigitImagesSpec().model_dump(mode="json"),
            "x-widget": "dataset",
            "x-datasets": catalog_entries([DigitImagesSpec, ShapesSpec]),
        },
    )
    test_fraction: float = fields.slider(
        0.25, "Test share", "Share of each class held out to test on, never trained on.", 0.05, ge=0.1, le=0.5
    )
    augment: bool = Field(
        False,
        title="Augment",
        description="Each training image shifted by up to ±1 pixel and turned by up to ±10° every time it is seen.",
    )
    layers: list[LayerParam] = Field(
        default_factory=default_layers,
        min_length=1,
        max_length=MAX_LAYERS,
        title="Layers",
        description="The network from the input to the last hidden layer; an output layer with one unit per "
        "class is added (and a flatten before the first dense layer if none comes earlier).",
        json_schema_extra={"default": [m.model_dump(mode="json") for m in default_layers()], "x-item-label": "layer"},
    )
    initial_weights: str | None = Field(
        None,
        title="Start from weights",
        description="A model file saved by this lab (the download button of a finished run): training starts "
        "from its weights instead of random ones. It must be for the same layers and images.",
        json_schema_extra={"x-plugin": "weights-file"},
    )
    optimizer: Literal["sgd", "momentum", "adam"] = fields.choice(
        "adam",
        "Optimiser",
        "torch.optim's update rule.",
        {"sgd": "SGD", "momentum": "SGD with momentum 0.9", "adam": "Adam"},
    )
    lr: FiniteFloat = Field(
        0.01, gt=0, le=10.0, title="Learning rate", description="Step size.", json_schema_extra={"x-log": True}
    )
    batch_size: int = fields.slider(
        32, "Batch size", "Images per gradient step (more than the training images: all of them).", 8, ge=1, le=1024
    )
    epochs: int = fields.slider(12, "Epochs", "Passes over the training images.", 1, ge=1, le=200, x_max=60)
    sample: int = fields.slider(
        0,
        "Shown test image",
        "Which test image is drawn through every layer (its index in the test set).",
        1,
        ge=0,
        le=100_000,
        x_max=99,
    )

    @field_validator("initial_weights")
    @classmethod
    def _weights_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _valid_model_file(value, limits_in(info.context).max_model_bytes)
