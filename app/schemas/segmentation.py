"""Params of the segmentation lab (issue 16): the synthetic shapes with their masks, the encoder–decoder, its
training, and the transposed-convolution explainer's small example.

Classes: background and three shapes (circle, square, triangle); the shapes generator's fourth kind (stripes) is
left out, so every image holds one shape of the three on a noisy dark background. The rules the params alone
decide live here (ranges, the image side a multiple of 4, the limits on images and image side); the ones needing
arithmetic over several fields (output_padding against the stride, an empty explainer output, the parameter
count and the training work) are the lab's ``prepare`` (``app.labs.segmentation``), which says the numbers.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.schemas import fields
from app.schemas.common import FiniteFloat, form


class SegmentationParams(BaseModel):
    """A tiny fully convolutional network classing every pixel, its decoder upsampling by transposed convs."""

    model_config = form(
        "Segmentation params",
        {
            "data": ("n_samples", "side", "noise", "data_seed", "test_fraction"),
            "model": ("width", "up_kernel", "skip"),
            "training": ("lr", "batch_size", "epochs"),
            "display": (
                "shown",
                "tc_size",
                "tc_kernel",
                "tc_stride",
                "tc_padding",
                "tc_output_padding",
                "tc_dilation",
            ),
        },
    )

    n_samples: int = fields.slider(
        1500,
        "Images",
        "Synthetic shapes to draw (circles, squares, triangles equally often), each with its per-pixel mask.",
        10,
        ge=12,
        le=100_000,
        x_max=2_000,
        validate_default=True,
    )
    side: int = fields.slider(
        16,
        "Image size",
        "Width and height in pixels (a multiple of 4: two poolings halve it twice).",
        4,
        ge=8,
        le=4_096,
        x_max=64,
        validate_default=True,
    )
    noise: float = fields.noise(0.1, "Standard deviation of the pixel noise, in units of full brightness.")
    data_seed: int = fields.seed()
    test_fraction: float = fields.slider(
        0.25, "Test share", "Share of the images held out to test on, never trained on.", 0.05, ge=0.1, le=0.5
    )
    width: int = fields.slider(
        16, "Width", "Filters of the first conv (twice as many after the first pooling).", 1, ge=1, le=64
    )
    up_kernel: int = fields.slider(
        2,
        "Upsampling kernel",
        "Kernel size of the decoder's two stride-2 transposed convs (2, 3 or 4; padding "
        "and output_padding are set so each doubles the side).",
        1,
        ge=2,
        le=4,
    )
    skip: bool = Field(
        True,
        title="U-Net skips",
        description="Concatenate each encoder map into the decoder at the same size (U-Net), so fine detail "
        "need not pass through the 4× smaller middle.",
    )
    lr: FiniteFloat = Field(
        0.005, gt=0, le=1.0, title="Learning rate", description="Adam's step size.", json_schema_extra={"x-log": True}
    )
    batch_size: int = fields.slider(16, "Batch size", "Images per Adam step.", 4, ge=1, le=1024)
    epochs: int = fields.slider(20, "Epochs", "Passes over the training images.", 1, ge=1, le=200, x_max=60)
    shown: int = fields.slider(
        4, "Shown test images", "Test images drawn with their true and predicted masks.", 1, ge=1, le=8
    )
    tc_size: int = fields.slider(3, "Explainer input", "Side of the explainer's input (H = W).", 1, ge=1, le=6)
    tc_kernel: int = fields.slider(3, "Explainer kernel", "Side of the explainer's kernel (k).", 1, ge=1, le=5)
    tc_stride: int = fields.slider(
        2, "Explainer stride", "Canvas cells between neighbouring stamps (s).", 1, ge=1, le=4
    )
    tc_padding: int = fields.slider(
        1, "Explainer padding", "Rows and columns cut from each edge of the canvas (p).", 1, ge=0, le=4
    )
    tc_output_padding: int = fields.slider(
        1,
        "Explainer output padding",
        "Extra rows and columns kept at the bottom and right (smaller than the stride or the dilation).",
        1,
        ge=0,
        le=3,
    )
    tc_dilation: int = fields.slider(1, "Explainer dilation", "Cells between the kernel's taps (d).", 1, ge=1, le=3)

    @field_validator("n_samples")
    @classmethod
    def _count_within_limit(cls, n: int, info: ValidationInfo) -> int:
        limit = limits_in(info.context).max_images
        if n > limit:
            raise ValueError(f"n_samples is {n:,} images; at most {limit:,} are allowed (STEPWISE_MAX_IMAGES)")
        return n

    @field_validator("side")
    @classmethod
    def _side_ok(cls, side: int, info: ValidationInfo) -> int:
        limit = limits_in(info.context).max_image_side
        if side > limit:
            raise ValueError(f"side is {side} pixels; at most {limit} are allowed (STEPWISE_MAX_IMAGE_SIDE)")
        if side % 4:
            raise ValueError(
                f"side is {side}; it must be a multiple of 4 (two poolings halve it twice: {side} / 4 = {side / 4:g})"
            )
        return side
