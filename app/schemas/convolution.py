"""Params of the convolution lab (issue 15): an image, a kernel, padding / stride / dilation,
then an activation and pooling.

The image is one picture: a digit of scikit-learn's set (by index), a sample photo, a synthetic shape, or inline
pixels — a typed array ``{"dtype": "u1", "shape": [H, W] | [H, W, C], "bdata": base64}`` as
``POST /api/v1/datasets/image`` returns it, so an upload becomes part of the request and a run stays a pure
function of its params. Sizes are checked against ``Limits.max_image_side``; the rules that need the image's
size (an empty output, a pooling window larger than the map, a custom kernel for the wrong channel count) are
the lab's ``prepare`` (``app.labs.convolution``), which says the arithmetic.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from app.core.limits import limits_in
from app.schemas import fields
from app.schemas.common import FiniteFloat, form

KERNEL_WORDS = {
    "identity": "Identity (the image unchanged)",
    "box_blur": "Box blur (the mean of 3×3)",
    "gaussian": "Gaussian blur",
    "sharpen": "Sharpen",
    "sobel_x": "Sobel x (vertical edges)",
    "sobel_y": "Sobel y (horizontal edges)",
    "laplacian": "Laplacian (edges in every direction)",
    "emboss": "Emboss",
    "custom": "Your own numbers",
}
KernelName = Literal[
    "identity", "box_blur", "gaussian", "sharpen", "sobel_x", "sobel_y", "laplacian", "emboss", "custom"
]
KERNEL_SIZES = (1, 3, 5, 7)
PRESET_NUMBERS: dict[str, list[list[float]]] = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box_blur": [[1 / 9] * 3] * 3,
    "gaussian": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}
"""The presets' numbers for the page's kernel grid ("start from"); equal to the engine's ``KERNEL_PRESETS``
(schemas do not import engines: tests/labs/test_convolution_prepare.py keeps the two in step)."""
DIGITS = 1_797


def _check_side(side: int, info: ValidationInfo) -> int:
    limit = limits_in(info.context).max_image_side
    if side > limit:
        raise ValueError(f"side is {side} pixels; at most {limit} are allowed (STEPWISE_MAX_IMAGE_SIDE)")
    return side


class _Image(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DigitImage(_Image):
    """One of scikit-learn's handwritten digits: 8 × 8 grey pixels."""

    model_config = ConfigDict(title="A digit")
    name: Literal["digit"] = fields.name("digit")
    index: int = Field(0, ge=0, lt=DIGITS, title="Which digit", description="Its place among the 1,797 digits.")


class PhotoImage(_Image):
    """A colour photo (scikit-learn's sample images), shrunk to the size asked."""

    model_config = ConfigDict(title="A photo")
    name: Literal["photo"] = fields.name("photo")
    which: Literal["china", "flower"] = fields.choice(
        "flower", "Photo", "Which of the two bundled photos.", {"china": "Temple in China", "flower": "Flower"}
    )
    side: int = fields.slider(48, "Longer side", "Pixels along the photo's longer side.", 8, ge=8, le=4_096)

    @field_validator("side")
    @classmethod
    def _side_within_limit(cls, side: int, info: ValidationInfo) -> int:
        return _check_side(side, info)


class ShapeImage(_Image):
    """One synthetic shape on a noisy background (the shapes dataset's generator, one image of it)."""

    model_config = ConfigDict(title="A shape")
    name: Literal["shape"] = fields.name("shape")
    side: int = fields.slider(16, "Image size", "Width and height in pixels.", 4, ge=8, le=4_096)
    noise: float = fields.noise(0.05, "Standard deviation of the pixel noise, in units of full brightness.")
    seed: int = fields.seed()

    @field_validator("side")
    @classmethod
    def _side_within_limit(cls, side: int, info: ValidationInfo) -> int:
        return _check_side(side, info)


class InlineImage(_Image):
    """Your own pixels (an upload): a typed uint8 array, (H, W) grey or (H, W, 3) colour, channels last."""

    model_config = ConfigDict(title="Your image")
    name: Literal["inline"] = fields.name("inline")
    dtype: Literal["u1"] = Field("u1", title="Pixel type", description="Bytes 0–255 (u1), as uploads return them.")
    shape: list[int] = Field(min_length=2, max_length=3, title="Shape", description="[H, W] or [H, W, 3].")
    bdata: str = Field(title="Pixels", description="The H·W·C bytes, row by row, base64-encoded.")

    @model_validator(mode="after")
    def _pixels_match_the_shape(self, info: ValidationInfo) -> InlineImage:
        limit = limits_in(info.context).max_image_side
        h, w, *rest = self.shape
        channels = rest[0] if rest else 1
        if channels not in (1, 3) or h < 1 or w < 1:
            raise ValueError(f"shape {self.shape}: an image is [H, W] or [H, W, 3] with H, W ≥ 1")
        if max(h, w) > limit:
            raise ValueError(f"the image is {h} × {w}; at most {limit} pixels a side (STEPWISE_MAX_IMAGE_SIDE)")
        try:
            size = len(base64.b64decode(self.bdata, validate=True))
        except (binascii.Error, ValueError):
            raise ValueError("bdata is not base64") from None
        if size != h * w * channels:
            raise ValueError(f"bdata holds {size:,} bytes; shape {self.shape} needs {h * w * channels:,}")
        return self


ImageParam = Annotated[
    Annotated[PhotoImage, Tag("photo")]
    | Annotated[DigitImage, Tag("digit")]
    | Annotated[ShapeImage, Tag("shape")]
    | Annotated[InlineImage, Tag("inline")],
    Discriminator("name"),
]
KernelMatrix = list[list[FiniteFloat]]


class ConvolutionParams(BaseModel):
    """One convolution step by step: the kernel slides over the image, then an activation and pooling."""

    model_config = form(
        "Convolution params",
        {
            "data": ("image", "channels"),
            "model": ("kernel", "custom_kernel", "padding", "stride", "dilation", "activation"),
            "training": ("pooling", "pool_size", "pool_stride"),
        },
        visible_when={
            "custom_kernel": {"kernel": ["custom"]},
            "pool_size": {"pooling": ["max", "avg"]},
            "pool_stride": {"pooling": ["max", "avg"]},
        },
    )
    image: ImageParam = Field(
        default_factory=PhotoImage,
        title="Image",
        description="The picture the kernel slides over: a photo, a digit, a shape, or your own upload.",
        json_schema_extra={"x-plugin": "image-picker"},
    )
    channels: Literal["rgb", "gray"] = fields.choice(
        "gray",
        "Channels",
        "Colour keeps three channels (red, green, blue), each with its kernel slice, summed; grey is one.",
        {"rgb": "Colour (3 channels)", "gray": "Grey (1 channel)"},
    )
    kernel: KernelName = fields.choice(
        "sobel_x", "Kernel", "The small grid of weights slid over the image.", dict(KERNEL_WORDS)
    )
    custom_kernel: list[KernelMatrix] | None = Field(
        None,
        title="Your kernel",
        description="k × k numbers (k = 1, 3, 5 or 7), as one matrix for every channel or one per channel.",
        json_schema_extra={
            "x-plugin": "kernel-grid",
            "x-presets": {name: [list(row) for row in rows] for name, rows in PRESET_NUMBERS.items()},  # JSON copies
            "x-preset-words": {name: KERNEL_WORDS[name] for name in PRESET_NUMBERS},
        },
    )
    padding: Literal["valid", "same"] | Annotated[int, Field(ge=0, le=16)] = Field(
        "valid",
        title="Padding",
        description="Zeros around the image: none (valid), enough to keep its size at stride 1 (same), or n.",
    )
    stride: int = fields.slider(1, "Stride", "How many pixels the window moves per step.", 1, ge=1, le=8)
    dilation: int = fields.slider(1, "Dilation", "Spacing between the kernel's taps (1: adjacent).", 1, ge=1, le=4)
    activation: Literal["none", "relu"] = fields.choice(
        "relu", "Activation", "Applied to every output value.", {"none": "None", "relu": "ReLU (negatives → 0)"}
    )
    pooling: Literal["none", "max", "avg"] = fields.choice(
        "max",
        "Pooling",
        "Shrinks the map: each window's largest or mean value.",
        {"none": "None", "max": "Max pooling", "avg": "Average pooling"},
    )
    pool_size: int = fields.slider(2, "Pool window", "Width and height of a pooling window.", 1, ge=2, le=4)
    pool_stride: int = fields.slider(2, "Pool stride", "How far the pooling window moves per step.", 1, ge=1, le=4)

    @field_validator("custom_kernel")
    @classmethod
    def _square_of_an_allowed_size(cls, kernel: list[KernelMatrix] | None) -> list[KernelMatrix] | None:
        if kernel is None:
            return None
        if not kernel:
            raise ValueError("give at least one k × k matrix")
        k = len(kernel[0])
        if k not in KERNEL_SIZES:
            raise ValueError(f"a kernel is k × k with k one of {KERNEL_SIZES}; this one has {k} rows")
        for c, matrix in enumerate(kernel):
            if len(matrix) != k or any(len(row) != k for row in matrix):
                raise ValueError(f"matrix {c} is not {k} × {k} (every matrix of the kernel is the same size)")
        return kernel
