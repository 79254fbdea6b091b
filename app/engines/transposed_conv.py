"""The transposed-convolution explainer of the segmentation lab (issue 16), in NumPy.

A transposed convolution runs a convolution backwards: each input pixel ``x[i, j]`` stamps the kernel, scaled by
its value, onto a larger canvas with its top-left corner at ``(i·s, j·s)`` (the kernel's taps ``d`` apart for a
dilation ``d``); where stamps overlap they add. The canvas is ``(H − 1)·s + d·(k − 1) + 1`` a side; the output
is that canvas with ``p`` rows and columns cut from each edge, plus ``output_padding`` zero rows and columns kept
at the bottom and right: ``H_out = (H − 1)·s − 2p + d·(k − 1) + output_padding + 1``. That is exactly
``torch.nn.functional.conv_transpose2d`` for one channel (the test checks a grid of strides and paddings).

Shapes: ``x`` (H, W), ``kernel`` (k, k), the canvas (C, C) with ``C = full + output_padding``, the output
(H_out, W_out). One input and one output channel, square inputs and kernels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

MAX_STAMP_FRAMES = 16
"""Inputs of more pixels than this are stamped a row per frame instead of a pixel per frame."""


@dataclass(frozen=True)
class Geometry:
    """The sizes one transposed convolution works with (all per side: inputs and kernels are square)."""

    size: int  # H (= W)
    kernel: int  # k
    stride: int  # s
    padding: int  # p
    output_padding: int
    dilation: int  # d

    @property
    def span(self) -> int:
        """Rows one stamp covers: d·(k − 1) + 1."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def full(self) -> int:
        """The canvas before the crop: (H − 1)·s + d·(k − 1) + 1."""
        return (self.size - 1) * self.stride + self.span

    @property
    def out(self) -> int:
        """H_out = (H − 1)·s − 2p + d·(k − 1) + output_padding + 1."""
        return self.full - 2 * self.padding + self.output_padding

    @property
    def canvas(self) -> int:
        """Rows drawn: the full canvas and the output_padding rows past it (zeros until cropped into)."""
        return self.full + self.output_padding

    def arithmetic(self) -> str:
        """H_out's formula with this geometry's numbers, and its value."""
        d = f"{self.dilation}·" if self.dilation != 1 else ""
        return (
            f"H_out = (H − 1)·s − 2p + {'d·' if self.dilation != 1 else ''}(k − 1) + output_padding + 1 = "
            f"({self.size} − 1)·{self.stride} − 2·{self.padding} + {d}({self.kernel} − 1) + {self.output_padding} "
            f"+ 1 = {self.out}"
        )


def output_problem(g: Geometry) -> tuple[str, str] | None:
    """The field and the message when this geometry has no valid output (torch's two rules), else ``None``."""
    if g.output_padding >= max(g.stride, g.dilation):
        return (
            "tc_output_padding",
            f"output_padding is {g.output_padding}; it must be smaller than the stride ({g.stride}) or the dilation "
            f"({g.dilation}): it only adds back rows a stride skipped",
        )
    if g.out <= 0:
        return ("tc_padding", f"the output would be empty: {g.arithmetic()}, which is not above 0 (less padding)")
    return None


def stamp(canvas: np.ndarray, value: float, kernel: np.ndarray, i: int, j: int, g: Geometry) -> None:
    """Add ``value · kernel`` to ``canvas`` (C, C) in place at ``(i·s, j·s)``, the taps ``d`` apart."""
    top, left = i * g.stride, j * g.stride
    d = g.dilation
    canvas[top : top + g.span : d, left : left + g.span : d] += value * kernel  # (k, k) block, every d-th cell


def crop(canvas: np.ndarray, g: Geometry) -> np.ndarray:
    """The output: the canvas rows and columns ``p`` .. ``p + H_out`` (C, C) → (H_out, H_out)."""
    p = g.padding
    return canvas[p : p + g.out, p : p + g.out].copy()


def full_canvas(x: np.ndarray, kernel: np.ndarray, g: Geometry) -> np.ndarray:
    """Every input pixel (H, H) stamped: the canvas (C, C) before the crop."""
    canvas = np.zeros((g.canvas, g.canvas), dtype=np.float64)
    for i in range(g.size):
        for j in range(g.size):
            stamp(canvas, float(x[i, j]), kernel, i, j, g)
    return canvas


def transposed(x: np.ndarray, kernel: np.ndarray, g: Geometry) -> np.ndarray:
    """The whole transposed convolution by stamping: (H, H) → (H_out, H_out)."""
    return crop(full_canvas(x, kernel, g), g)


def groups(g: Geometry) -> list[list[tuple[int, int]]]:
    """The input pixels each explainer frame stamps: one pixel a frame, or one row a frame for inputs of more
    than ``MAX_STAMP_FRAMES`` pixels."""
    pixels = [(i, j) for i in range(g.size) for j in range(g.size)]
    if len(pixels) <= MAX_STAMP_FRAMES:
        return [[p] for p in pixels]
    return [[(i, j) for j in range(g.size)] for i in range(g.size)]


def steps(x: np.ndarray, kernel: np.ndarray, g: Geometry) -> Iterator[tuple[list[tuple[int, int]], np.ndarray]]:
    """Each frame's stamped pixels and a copy of the canvas (C, C) after them."""
    canvas = np.zeros((g.canvas, g.canvas), dtype=np.float64)
    for group in groups(g):
        for i, j in group:
            stamp(canvas, float(x[i, j]), kernel, i, j, g)
        yield group, canvas.copy()
