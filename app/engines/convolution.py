"""A convolution and a pooling written out window by window — the steps ``torch.nn.functional.conv2d`` hides.

The convolution lab (issue 15) shows each output value being made: the kernel's window over the (padded) input,
the element-wise products, their sum over every channel. ``conv_window`` is that one position; ``conv2d`` is every
position (NumPy, no loops over pixels: a strided view of all windows) and is tested against torch's ``conv2d``;
``pool2d`` likewise against ``max_pool2d`` / ``avg_pool2d``. Conventions are PyTorch's (cross-correlation: the
kernel is not flipped), so a learner's numbers match what a CNN layer computes.

Shapes: an image ``(C, H, W)`` (channels first, as torch), a kernel ``(C, k, k)`` (one k × k slice per input
channel, summed into one output map), an output map ``(H_out, W_out)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

KERNEL_PRESETS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "box_blur": np.full((3, 3), 1 / 9),
    "gaussian": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float64) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=np.float64),
}
"""3 × 3 kernels a learner meets first; a preset on a C-channel image is the same slice for every channel."""


@dataclass(frozen=True)
class Padding:
    """Zeros added on each side: (top, bottom, left, right). ``same`` with an even span pads one more at the
    bottom/right, as PyTorch's ``padding="same"`` does."""

    top: int
    bottom: int
    left: int
    right: int


def resolve_padding(padding: str | int, k: int, dilation: int) -> Padding:
    """``valid`` (none), ``same`` (the output keeps the input's size at stride 1), or n zeros on every side."""
    if padding == "valid":
        return Padding(0, 0, 0, 0)
    if padding == "same":
        span = dilation * (k - 1)  # the window's reach beyond its first pixel
        before = span // 2
        return Padding(before, span - before, before, span - before)
    n = int(padding)
    return Padding(n, n, n, n)


def output_length(length: int, k: int, pad_total: int, stride: int, dilation: int) -> int:
    """⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1, with ``pad_total`` = 2p (both sides together); ≤ 0 when the dilated
    window does not fit the padded input."""
    return (length + pad_total - dilation * (k - 1) - 1) // stride + 1


def output_shape(height: int, width: int, k: int, pad: Padding, stride: int, dilation: int) -> tuple[int, int]:
    return (
        output_length(height, k, pad.top + pad.bottom, stride, dilation),
        output_length(width, k, pad.left + pad.right, stride, dilation),
    )


def pad_image(image: np.ndarray, pad: Padding) -> np.ndarray:
    """``image`` (C, H, W) with zeros around: (C, H + top + bottom, W + left + right)."""
    return np.pad(image, ((0, 0), (pad.top, pad.bottom), (pad.left, pad.right)))


def conv_window(
    padded: np.ndarray, kernel: np.ndarray, row: int, col: int, stride: int, dilation: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Output position (row, col): the window of ``padded`` (C, Hp, Wp) under the kernel (C, k, k), the
    element-wise products (C, k, k) and their sum (the output value)."""
    k = kernel.shape[-1]
    top, left = row * stride, col * stride
    window = padded[:, top : top + dilation * (k - 1) + 1 : dilation, left : left + dilation * (k - 1) + 1 : dilation]
    products = window * kernel  # (C, k, k)
    return window, products, float(products.sum())


def conv2d(image: np.ndarray, kernel: np.ndarray, pad: Padding, stride: int, dilation: int) -> np.ndarray:
    """Every output position at once: (H_out, W_out), each the sum over channels of window × kernel."""
    k = kernel.shape[-1]
    padded = pad_image(image, pad)
    reach = dilation * (k - 1) + 1
    windows = sliding_window_view(padded, (reach, reach), axis=(1, 2))  # (C, Hp−reach+1, Wp−reach+1, reach, reach)
    windows = windows[:, ::stride, ::stride, ::dilation, ::dilation]  # (C, H_out, W_out, k, k)
    return np.asarray(np.einsum("chwij,cij->hw", windows, kernel))


def pool_window(feature: np.ndarray, row: int, col: int, size: int, stride: int, kind: str) -> tuple[np.ndarray, float]:
    """Pooling output (row, col): the window of ``feature`` (H, W) it reads (size, size) and its max or mean."""
    window = feature[row * stride : row * stride + size, col * stride : col * stride + size]
    return window, float(window.max() if kind == "max" else window.mean())


def pool2d(feature: np.ndarray, size: int, stride: int, kind: str) -> np.ndarray:
    """Max or average pooling without padding (PyTorch's defaults): (⌊(H − size)/stride⌋ + 1, same for W)."""
    windows = sliding_window_view(feature, (size, size))[::stride, ::stride]  # (H_out, W_out, size, size)
    return np.asarray(windows.max(axis=(2, 3)) if kind == "max" else windows.mean(axis=(2, 3)))


def relu(feature: np.ndarray) -> np.ndarray:
    return np.asarray(np.maximum(feature, 0.0))


def strides_of(shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """The byte strides of a C-contiguous array of ``shape``: how far one step along each axis moves in memory
    (what the lab says of the (C, H, W) tensor: the next channel is H·W bytes on for uint8)."""
    out, step = [], itemsize
    for length in reversed(shape):
        out.append(step)
        step *= length
    return tuple(reversed(out))
