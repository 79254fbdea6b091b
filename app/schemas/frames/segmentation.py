"""Frames and result of the segmentation lab: the transposed-convolution explainer's `stamp` × (one per input
pixel, or per row for an input of more than 16 pixels) and `crop`, then training's `init`, `epoch` × (one per
epoch, or every N steps for a run of fewer than 10 epochs), `done`.

Shapes: K classes (0 background), G shown test images of S × S pixels, the explainer's input (H, H), kernel
(k, k), canvas (C, C) and output (H_out, H_out). Masks are u1 typed arrays of class indices; the explainer's
small integers are i2 typed arrays `{dtype, shape, bdata}`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    IntMatrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class Typed(Wire):
    """A typed array."""

    dtype: Literal["u1", "i2"] = Field(description="`u1` (a mask) or `i2` (the explainer's integers).")
    shape: Indices = Field(description="The array's shape, C order.")
    bdata: str = Field(description="The bytes, base64.")


class StampState(Wire):
    epoch: float = Field(ge=0, le=0, description="Always 0: before training.")
    step: int = Field(ge=0, le=0, description="Always 0.")
    input: Typed = Field(description="(H, H) the explainer's input, integers 1..3.")
    kernel: Typed = Field(description="(k, k) its kernel, integers −1..2.")
    pixels: list[Indices] = Field(description="[[i, j], ...] the input pixels this frame stamped.")
    canvas: Typed = Field(
        description="(C, C) the canvas after them: the full (H − 1)·s + d(k − 1) + 1 side plus "
        "output_padding zero rows and columns."
    )
    overlaps: int = Field(ge=0, description="Canvas cells reached by more than one stamp so far.")


class CropState(Wire):
    epoch: float = Field(ge=0, le=0, description="Always 0: before training.")
    step: int = Field(ge=0, le=0, description="Always 0.")
    input: Typed = Field(description="(H, H) the explainer's input.")
    kernel: Typed = Field(description="(k, k) its kernel.")
    canvas: Typed = Field(description="(C, C) the finished canvas.")
    output: Typed = Field(description="(H_out, H_out) the canvas with padding p cut from each edge.")
    out_size: int = Field(ge=1, description="H_out = (H − 1)·s − 2p + d(k − 1) + output_padding + 1.")
    torch_difference: float = Field(ge=0, description="Largest |output − F.conv_transpose2d(input, kernel)|.")


class SegState(Wire):
    """The network read at this moment on the test images."""

    epoch: float = Field(ge=0, description="Epochs trained so far (a fraction between epoch ends).")
    step: int = Field(ge=0, description="Adam steps taken so far.")
    images: Typed = Field(description="(G, S, S) u1 the shown test images (grey).")
    truth: Typed = Field(description="(G, S, S) u1 their true class of every pixel (0 background).")
    predicted: Typed = Field(description="(G, S, S) u1 predicted class of every pixel of the shown test images.")
    iou: Vector = Field(description="(K,) intersection over union of each class on all test pixels.")
    mean_iou: float = Field(ge=0, le=1, description="The mean of `iou`.")
    pixel_accuracy: float = Field(ge=0, le=1, description="Share of test pixels classed right.")
    confusion: IntMatrix = Field(description="(K, K) test pixel counts: row true class, column predicted.")


class SegMetrics(Wire):
    train_loss: float = Field(description="Mean per-pixel cross-entropy of the steps since the last frame.")
    test_loss: float = Field(description="Mean per-pixel cross-entropy over the test images.")
    mean_iou: float = Field(ge=0, le=1, description="Mean over the classes of the test IoU.")
    pixel_accuracy: float = Field(ge=0, le=1, description="Share of test pixels classed right.")


class StampFrame(FrameBase):
    kind: Literal["stamp"] = Field(description="stamp: input pixels stamping the scaled kernel onto the canvas.")
    state: StampState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class CropFrame(FrameBase):
    kind: Literal["crop"] = Field(description="crop: the padding cut from the canvas, giving the output.")
    state: CropState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: the untrained network.")
    state: SegState = Field(description=STATE)
    metrics: SegMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: after an epoch (or a stretch of steps in a short run).")
    state: SegState = Field(description=STATE)
    metrics: SegMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the trained network.")
    state: SegState = Field(description=STATE)
    metrics: SegMetrics = Field(description=METRICS)


class SegDone(Wire):
    mean_iou: float = Field(ge=0, le=1, description="Test mean IoU at the end.")
    iou: Vector = Field(description="(K,) test IoU of each class (scikit-learn's `jaccard_score(average=None)`).")
    pixel_accuracy: float = Field(ge=0, le=1, description="Share of test pixels classed right at the end.")
    confusion: IntMatrix = Field(description="(K, K) test pixel counts, `confusion_matrix` order.")
    class_names: list[str] = Field(description="(K,) background first.")
    parameters: int = Field(ge=0, description="Trainable numbers of the network.")
    step_losses: Vector = Field(description="The mini-batch loss of every step, in order.")


class SegmentationFrame(
    RootModel[
        Annotated[
            StampFrame | CropFrame | InitFrame | EpochFrame | DoneFrame | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a segmentation run."""


class SegmentationResult(RootModel[SegDone | ServiceDivergedResult]):
    """The result of a segmentation run."""
