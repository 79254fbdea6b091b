"""Frames and result of the convolution lab.

`tensor` (the image as a (C, H, W) tensor), `padding` (the zeros and the output-size arithmetic), `slide` × n
(one output position each on an output of ≤ 100 positions, else one output row each), `activation` (ReLU, when
asked), `pool` × m (one pooled position or row each, when pooling is asked).

Shapes: C channels, H × W image, k × k kernel, H_out × W_out output map, P_h × P_w pooled map, s × s pooling window.
Maps go out as typed arrays `{dtype, shape, bdata}` (little-endian, C order, base64); NaN marks a value not
computed yet.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    Matrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

Tensor3 = list[Matrix]


class TypedArray(Wire):
    """A NumPy array as bytes: `dtype` (`f4` or `f8`, little-endian), `shape` (C order), `bdata` (base64)."""

    dtype: Literal["f4", "f8"] = Field(description="`f4` (float32, a display copy) or `f8` (float64, exact).")
    shape: Indices = Field(description="The array's shape, e.g. [H_out, W_out].")
    bdata: str = Field(description="The raw little-endian bytes, base64-encoded.")


OUTPUT_SO_FAR = "(H_out, W_out) float32 typed array: the output map so far, NaN where not computed yet."
POSITION = "[row, col] of the output (a row frame: the row and its last column)."


class TensorState(Wire):
    shape: Indices = Field(description="[C, H, W]: channels, rows, columns of the image tensor.")
    strides: Indices = Field(description="Byte strides of a C-contiguous uint8 (C, H, W) tensor: [H·W, W, 1].")


class PaddingState(Wire):
    padding: Indices = Field(description="Zeros added: [top, bottom, left, right].")
    output_shape: Indices = Field(description="[H_out, W_out] by ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1 on each axis.")


class SlideState(Wire):
    position: Indices = Field(description=POSITION)
    window: Tensor3 = Field(description="(C, k, k) the padded input under the kernel at `position`.")
    products: Tensor3 = Field(description="(C, k, k) window × kernel, element by element.")
    value: float = Field(description="The output value at `position`: the sum of `products`.")
    output: TypedArray = Field(description=OUTPUT_SO_FAR)


class SlideMetrics(Wire):
    output_max: float = Field(description="The largest output value computed so far.")


class ActivationState(Wire):
    output: TypedArray = Field(description="(H_out, W_out) float32 typed array: the map after ReLU.")
    zeroed: int = Field(ge=0, description="How many output values were negative and set to 0.")


class PoolState(Wire):
    position: Indices = Field(description="[row, col] of the pooled map (a row frame: the row and its last column).")
    window: Matrix = Field(description="(s, s) the feature map's values under the pooling window at `position`.")
    value: float = Field(description="Their max (max pooling) or mean (average pooling).")
    output: TypedArray = Field(description="(P_h, P_w) float32 typed array: the pooled map so far, NaN where not yet.")


class TensorFrame(FrameBase):
    kind: Literal["tensor"] = Field(description="tensor: the image as a (C, H, W) tensor, its shape and strides.")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class PaddingFrame(FrameBase):
    kind: Literal["padding"] = Field(description="padding: the zeros around the image and the output size.")
    state: PaddingState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class SlideFrame(FrameBase):
    kind: Literal["slide"] = Field(description="slide: the kernel at one output position (or along one row).")
    state: SlideState = Field(description=STATE)
    metrics: SlideMetrics = Field(description=METRICS)


class ActivationFrame(FrameBase):
    kind: Literal["activation"] = Field(description="activation: ReLU applied to the whole output map.")
    state: ActivationState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class PoolFrame(FrameBase):
    kind: Literal["pool"] = Field(description="pool: one pooling window (or one pooled row).")
    state: PoolState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ConvolutionDone(Wire):
    """The maps, exact (float64): `output` equals `torch.nn.functional.conv2d`, `pooled` its max/avg pooling."""

    output: TypedArray = Field(description="(H_out, W_out) float64: the convolution (channel sum), before activation.")
    activated: TypedArray | None = Field(description="(H_out, W_out) float64 after ReLU (null: no activation).")
    pooled: TypedArray | None = Field(description="(P_h, P_w) float64 after pooling (null: no pooling).")
    output_shape: Indices = Field(description="[H_out, W_out].")
    pooled_shape: Indices | None = Field(description="[P_h, P_w] (null: no pooling).")


class ConvolutionFrame(
    RootModel[
        Annotated[
            TensorFrame | PaddingFrame | SlideFrame | ActivationFrame | PoolFrame | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a convolution run."""


class ConvolutionResult(RootModel[ConvolutionDone | ServiceDivergedResult]):
    """The result of a convolution run."""
