"""Params of the depthwise-separable convolution lab (issue 16, day 41): a colour photo and the explainer's kernel
size and output count, then the two small digit classifiers (a standard CNN and its separable twin) and their
training loop.

The rules the params alone decide live here (ranges); the ones that need the photo's size (a kernel larger than
the photo: an empty output) and the training work are the lab's ``prepare`` (``app.labs.separable_conv``), which
says the arithmetic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.images import PhotoSpec


def default_photo() -> PhotoSpec:
    """The temple photo at 64 pixels along its longer side (64 × 43): small frames, every map still legible."""
    return PhotoSpec(which="china", side=64)


DIGITS_TOTAL = 1797
"""Images in ``sklearn.datasets.load_digits`` (a test keeps this in step with the loader)."""


class SeparableConvParams(BaseModel):
    """A standard k×k convolution beside its depthwise-separable version, on a photo, then both trained on digits."""

    model_config = form(
        "Separable convolution params",
        {
            "data": ("image",),
            "model": ("kernel", "out_channels", "conv1_filters", "conv2_filters"),
            "training": ("digits", "optimizer", "lr", "batch_size", "epochs"),
        },
    )

    image: PhotoSpec = Field(
        default_factory=default_photo,
        title="Photo",
        description="The colour photo the explainer convolves (3 input channels: red, green, blue).",
        json_schema_extra={"default": default_photo().model_dump(mode="json")},
    )
    kernel: int = fields.slider(
        3, "Kernel size k", "Width and height of the explainer's kernels (k × k, no padding, stride 1).", 1, ge=2, le=9
    )
    out_channels: int = fields.slider(
        4,
        "Output channels",
        "How many maps the explainer's convolutions make (the pointwise mixes).",
        1,
        ge=1,
        le=16,
    )
    conv1_filters: int = fields.slider(
        8,
        "First conv filters",
        "Filters of the first (standard 3×3) conv layer of both digit classifiers.",
        1,
        ge=1,
        le=32,
    )
    conv2_filters: int = fields.slider(
        16,
        "Second conv filters",
        "Filters of the second conv layer: a standard 3×3 conv in one classifier, a depthwise 3×3 then a 1×1 "
        "pointwise conv in its twin.",
        1,
        ge=1,
        le=64,
    )
    digits: int = fields.slider(
        DIGITS_TOTAL,
        "Digits used",
        f"How many of scikit-learn's {DIGITS_TOTAL:,} digit images the classifiers use (a stratified sample; "
        "a quarter of them held out to test on). Fewer train faster and reach a lower accuracy.",
        1,
        ge=100,
        le=DIGITS_TOTAL,
    )
    optimizer: Literal["sgd", "momentum", "adam"] = fields.choice(
        "adam",
        "Optimiser",
        "torch.optim's update rule (the same for both classifiers).",
        {"sgd": "SGD", "momentum": "SGD with momentum 0.9", "adam": "Adam"},
    )
    lr: FiniteFloat = Field(
        0.01, gt=0, le=10.0, title="Learning rate", description="Step size.", json_schema_extra={"x-log": True}
    )
    batch_size: int = fields.slider(
        32, "Batch size", "Digits per gradient step (the same batches, in the same order, for both).", 8, ge=1, le=1024
    )
    epochs: int = fields.slider(10, "Epochs", "Passes over the training digits.", 1, ge=1, le=60)
