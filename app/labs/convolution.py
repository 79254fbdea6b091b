"""The convolution lab (issue 15): ``prepare``, the engine adapter and its catalog entry.

``prepare`` loads the picture as a (C, H, W) float tensor in 0–255 (grey by ITU-R BT.601 luma, 0.299 R +
0.587 G + 0.114 B, as Pillow's "L" mode), builds the kernel (C, k, k) and refuses, naming the field and saying
the arithmetic, what would give no output: ``same`` padding at a stride above 1 (PyTorch refuses it too), a
dilated kernel wider than the padded image, a pooling window larger than the map, a custom kernel with the wrong
number of channel slices.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.typed_array import from_typed_array
from app.datasets import images
from app.engines import convolution as conv
from app.engines import convolution_run
from app.engines.convolution_run import ConvSetup, size_arithmetic
from app.schemas.common import ParamsError
from app.schemas.convolution import ConvolutionParams, DigitImage, InlineImage, PhotoImage, ShapeImage
from app.schemas.frames import convolution as frames
from app.views.convolution import ConvolutionView

LUMA = np.array([0.299, 0.587, 0.114])
KERNEL_NAMES = {"sobel_x": "Sobel-x", "sobel_y": "Sobel-y", "box_blur": "box-blur"}


def _pixels(image: Any) -> np.ndarray:
    """The picture as uint8 (H, W, C)."""
    if isinstance(image, DigitImage):
        return np.asarray(images.digits().images[image.index])
    if isinstance(image, PhotoImage):
        return np.asarray(images.photo(image.which, image.side).images[0])
    if isinstance(image, ShapeImage):
        return np.asarray(images.shapes(1, image.side, seed=image.seed, noise=image.noise).images[0])
    assert isinstance(image, InlineImage)
    pixels = from_typed_array(image.model_dump())
    return pixels if pixels.ndim == 3 else pixels[..., None]


def tensor(pixels: np.ndarray, channels: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """(H, W, C) uint8 → (C, H, W) float64 and the channels' names; grey pictures stay one channel."""
    rgb = pixels.astype(np.float64)
    if pixels.shape[2] == 1:
        return rgb.transpose(2, 0, 1), ("grey",)
    if channels == "gray":
        return (rgb @ LUMA)[None], ("grey",)
    return rgb.transpose(2, 0, 1), ("red", "green", "blue")


def _kernel(params: ConvolutionParams, c: int) -> np.ndarray:
    if params.kernel != "custom":
        return np.repeat(conv.KERNEL_PRESETS[params.kernel][None], c, axis=0)  # (C, 3, 3): one slice per channel
    if params.custom_kernel is None:
        raise ParamsError(("custom_kernel",), "kernel 'custom' needs your k × k numbers in custom_kernel")
    given = np.asarray(params.custom_kernel, dtype=np.float64)  # (C', k, k)
    if len(given) == 1:
        return np.repeat(given, c, axis=0)
    if len(given) != c:
        raise ParamsError(
            ("custom_kernel",),
            f"the image has {c} channel(s) and the kernel {len(given)} slices: give 1 (shared) or {c}",
        )
    return given


def prepare(params: ConvolutionParams, limits: Limits) -> ConvSetup:
    image, names = tensor(_pixels(params.image), params.channels)
    c, h, w = image.shape
    kernel = _kernel(params, c)
    k = kernel.shape[-1]
    if params.padding == "same" and params.stride > 1:
        raise ParamsError(("padding",), "'same' padding keeps the size only at stride 1 (PyTorch refuses it too)")
    pad = conv.resolve_padding(params.padding, k, params.dilation)
    out_h, out_w = conv.output_shape(h, w, k, pad, params.stride, params.dilation)
    if out_h <= 0 or out_w <= 0:
        rows = size_arithmetic(h, k, pad.top + pad.bottom, params.stride, params.dilation, "H")
        cols = size_arithmetic(w, k, pad.left + pad.right, params.stride, params.dilation, "W")
        raise ParamsError(("dilation" if params.dilation > 1 else "padding",), f"no output: {rows}; {cols}")
    if params.pooling != "none" and params.pool_size > min(out_h, out_w):
        raise ParamsError(
            ("pool_size",), f"a {params.pool_size}×{params.pool_size} window does not fit the {out_h}×{out_w} map"
        )
    name = KERNEL_NAMES.get(params.kernel, params.kernel.replace("_", " "))
    return ConvSetup(
        image=image,
        channel_names=names,
        kernel=kernel,
        kernel_name=name,
        padding=params.padding,
        stride=params.stride,
        dilation=params.dilation,
        activation=params.activation,
        pooling=params.pooling,
        pool_size=params.pool_size,
        pool_stride=params.pool_stride,
    )


def _run(
    setup: ConvSetup, params: ConvolutionParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return convolution_run.run(setup)  # no randomness: the picture and the kernel fix every number


CONVOLUTION: Algorithm[ConvolutionParams, ConvSetup] = Algorithm(
    id="convolution",
    title="Convolution",
    family="cnn",
    summary=(
        "Slide a kernel over a real photo and watch each output value being made: the window, its products, "
        "their sum. See the image as a (C, H, W) tensor, padding, stride and dilation change the output size "
        "by ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1, then ReLU keep the positive responses and pooling shrink the map "
        "— with presets (edges, blur, sharpen), your own k×k numbers, a digit, a shape or your own upload."
    ),
    days=(37, 38, 39, 47, 58, 59),
    params_model=ConvolutionParams,
    prepare=prepare,
    engine=_run,
    view=ConvolutionView(),
    frame_model=frames.ConvolutionFrame,
    result_model=frames.ConvolutionResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (CONVOLUTION,)
