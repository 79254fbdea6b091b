"""The convolution lab's frames (issue 15; not yet registered as a lab): an image as a tensor, the padding and the
output-size arithmetic, the kernel sliding (position by position on a small output, row by row on a large one),
then ReLU and pooling window by window (or row by row).

Every number comes from ``app.engines.convolution`` (tested against torch); this module only orders them into
frames and says what each means. ``state`` carries the contract: ``position`` (row, col of the output; for a row
frame the row and the last column), ``window`` and ``products`` ((C, k, k) of the last position shown),
``value``, and ``output`` so far as a typed ``f4`` array with NaN where nothing is computed yet (a display copy:
the exact maps are the result's, ``f8``).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fmt_count, num, percent, plural
from app.core.typed_array import typed_array
from app.engines import convolution as conv

MOST_POSITION_FRAMES = 100
"""An output of at most this many positions is shown position by position; a larger one row by row."""
MOST_ROW_FRAMES = 30
"""A map of more rows than this is filled a band of rows per frame (every frame carries the map so far: a
256-px photo's 168 rows one by one would be ~40 MB of frames)."""


def _shown_rows(n_rows: int) -> list[tuple[int, int]]:
    """The (first, last) output rows each row frame fills: one row each, or bands of ⌈n / 30⌉ rows."""
    step = -(-n_rows // MOST_ROW_FRAMES)
    return [(a, min(a + step, n_rows) - 1) for a in range(0, n_rows, step)]


@dataclass(frozen=True)
class ConvSetup:
    """One run's fixed parts. ``image`` (C, H, W) float64 in 0–255; ``kernel`` (C, k, k)."""

    image: np.ndarray
    channel_names: tuple[str, ...]
    kernel: np.ndarray
    kernel_name: str
    padding: str | int
    stride: int
    dilation: int
    activation: str  # "none" | "relu"
    pooling: str  # "none" | "max" | "avg"
    pool_size: int
    pool_stride: int

    @property
    def pad(self) -> conv.Padding:
        return conv.resolve_padding(self.padding, self.kernel.shape[-1], self.dilation)

    @property
    def padded(self) -> np.ndarray:
        """The image with its zeros around: (C, H + top + bottom, W + left + right), what the kernel slides over."""
        return conv.pad_image(self.image, self.pad)

    @property
    def offset(self) -> tuple[int, int]:
        """Where the image starts in the padded input: (rows of zeros above, columns of zeros left)."""
        pad = self.pad
        return pad.top, pad.left

    @property
    def reach(self) -> int:
        """Pixels the dilated kernel spans along each axis: d·(k − 1) + 1."""
        return int(self.dilation * (self.kernel.shape[-1] - 1) + 1)


def size_arithmetic(length: int, k: int, pad_total: int, stride: int, dilation: int, axis: str) -> str:
    """ "H_out = ⌊(40 + 2 − 1·(3 − 1) − 1)/1⌋ + 1 = 40": the formula with this run's numbers."""
    out = conv.output_length(length, k, pad_total, stride, dilation)
    return f"{axis}_out = ⌊({length} + {pad_total} − {dilation}·({k} − 1) − 1)/{stride}⌋ + 1 = {out}"


def _tensor_caption(setup: ConvSetup) -> str:
    c, h, w = setup.image.shape
    strides = conv.strides_of((c, h, w), 1)
    names = ", ".join(setup.channel_names)
    return (
        f"The image is a ({c}, {h}, {w}) tensor: {plural(c, 'channel')} ({names}) of {h} rows × {w} columns, "
        f"each value a brightness 0–255. Stored channel by channel, one step along a row moves {strides[2]} byte, "
        f"down a row {strides[1]} bytes and to the next channel {fmt_count(strides[0])} bytes: its strides "
        f"{strides}."
    )


def _padding_caption(setup: ConvSetup, out_shape: tuple[int, int]) -> str:
    _, h, w = setup.image.shape
    k, pad = setup.kernel.shape[-1], setup.pad
    rows = size_arithmetic(h, k, pad.top + pad.bottom, setup.stride, setup.dilation, "H")
    cols = size_arithmetic(w, k, pad.left + pad.right, setup.stride, setup.dilation, "W")
    if setup.padding == "valid":
        how = "No padding (valid): the window stays inside the image, so the output is smaller."
    elif setup.padding == "same":
        how = (
            f"'Same' padding adds {pad.top} row(s) of zeros above, {pad.bottom} below, {pad.left} column(s) left "
            f"and {pad.right} right, so that at stride 1 the output keeps the input's size."
        )
    else:
        how = f"Padding {setup.padding}: that many rows and columns of zeros on every side."
    reach = setup.dilation * (k - 1) + 1
    dilated = (
        f" Dilation {setup.dilation} spreads the {k}×{k} kernel over {reach}×{reach} pixels."
        if setup.dilation > 1
        else ""
    )
    return f"{how}{dilated} Output size: {rows}; {cols}."


def _position_caption(setup: ConvSetup, row: int, col: int, value: float) -> str:
    k = setup.kernel.shape[-1]
    top, left = row * setup.stride, col * setup.stride
    reach = setup.dilation * (k - 1)
    n_products = setup.kernel.size
    over = f"rows {top}–{top + reach}, columns {left}–{left + reach} of the padded input"
    return (
        f"Output ({row}, {col}): the {k}×{k} {setup.kernel_name} kernel over {over}; its {n_products} products "
        f"(window × kernel, element by element{', every channel' if setup.image.shape[0] > 1 else ''}) sum to "
        f"{num(value, 4)}."
    )


def _row_caption(setup: ConvSetup, first: int, last: int, values: np.ndarray) -> str:
    """``values`` (last − first + 1, W_out): the rows this frame filled."""
    r, c = np.unravel_index(int(np.argmax(values)), values.shape)
    where = f"column {c}" if first == last else f"({first + r}, {c})"
    rows = f"Output row {first}" if first == last else f"Output rows {first}–{last}"
    along = "along the row" if first == last else "along each row"
    return (
        f"{rows}: the window slid {along}, {plural(values.shape[1], 'position')} (stride {setup.stride}), "
        f"each a sum of {setup.kernel.size} products; largest {num(float(values.max()), 4)} at {where}, smallest "
        f"{num(float(values.min()), 4)}."
    )


def _display(values: np.ndarray) -> dict[str, Any]:
    return typed_array(values.astype(np.float32), "f4")


def _picture(values: np.ndarray) -> np.ndarray:
    """A float32 copy for the view (never on the wire): no two frames share a buffer."""
    return np.array(values, dtype=np.float32)


def _slide(setup: ConvSetup, full: np.ndarray, scale: float) -> Generator[Frame, None, None]:
    padded = setup.padded
    so_far = np.full(full.shape, np.nan)  # (H_out, W_out)
    by_position = full.size <= MOST_POSITION_FRAMES
    last_col = full.shape[1] - 1
    steps = (
        [(row, col, row) for row in range(full.shape[0]) for col in range(full.shape[1])]
        if by_position
        else [(last, last_col, first) for first, last in _shown_rows(full.shape[0])]
    )  # (row, col, first row of the band) of each frame
    for row, col, first in steps:
        checkpoint()
        window, products, value = conv.conv_window(padded, setup.kernel, row, col, setup.stride, setup.dilation)
        if by_position:
            so_far[row, col] = value
            caption = _position_caption(setup, row, col, value)
        else:
            so_far[first : row + 1] = full[first : row + 1]
            caption = _row_caption(setup, first, row, full[first : row + 1])
        state = {
            "position": [row, col],
            "window": window.tolist(),
            "products": products.tolist(),
            "value": value,
            "output": _display(so_far),
        }
        summed = products.sum(axis=0)  # (C, k, k) → (k, k)
        top = first * setup.stride
        left = col * setup.stride if by_position else 0
        visual = {
            "output": _picture(so_far),  # (H_out, W_out), NaN where not computed yet
            "products": _picture(summed),  # (k, k): each tap's products summed over channels
            "products_scale": float(np.abs(summed).max()) or 1.0,  # the products panel's colour limit
            # the window(s) on the padded input [top, left, bottom, right): a band frame's every window
            "box": [top, left, row * setup.stride + setup.reach, col * setup.stride + setup.reach],
            "rows": None if by_position else [first, row],  # the output rows this frame filled
            "scale": scale,
        }
        yield Frame("slide", caption, state, {"output_max": float(np.nanmax(so_far))}, visual)


def _pool(setup: ConvSetup, feature: np.ndarray, pooled: np.ndarray, scale: float) -> Generator[Frame, None, None]:
    so_far = np.full(pooled.shape, np.nan)  # (P_h, P_w)
    by_position = pooled.size <= MOST_POSITION_FRAMES
    word = "largest" if setup.pooling == "max" else "mean"
    size, stride = setup.pool_size, setup.pool_stride
    last_col = pooled.shape[1] - 1
    steps = (
        [(row, col, row) for row in range(pooled.shape[0]) for col in range(pooled.shape[1])]
        if by_position
        else [(last, last_col, first) for first, last in _shown_rows(pooled.shape[0])]
    )  # (row, col, first row of the band) of each frame
    for row, col, first in steps:
        checkpoint()
        window, value = conv.pool_window(feature, row, col, size, stride, setup.pooling)
        if by_position:
            so_far[row, col] = value
            caption = f"Pooling ({row}, {col}): the {word} of the {size}×{size} window is {num(value, 4)}."
        else:
            so_far[first : row + 1] = pooled[first : row + 1]
            rows = f"Pooled row {row}" if first == row else f"Pooled rows {first}–{row}"
            caption = f"{rows}: the {word} of each {size}×{size} window along {'it' if first == row else 'them'}."
        state = {"position": [row, col], "window": window.tolist(), "value": value, "output": _display(so_far)}
        visual = {
            "feature": _picture(feature),  # (H_out, W_out): the map being pooled
            "pooled": _picture(so_far),  # (P_h, P_w), NaN where not pooled yet
            "window": _picture(window),  # (size, size): the last window read
            "box": [row * stride, col * stride, row * stride + size, col * stride + size],  # that window
            "rows": None if by_position else [first, row],  # the pooled rows this frame filled
            "scale": scale,
        }
        yield Frame("pool", caption, state, {}, visual)


def run(setup: ConvSetup) -> Generator[Frame, None, dict[str, Any]]:
    c, h, w = setup.image.shape
    full = conv.conv2d(setup.image, setup.kernel, setup.pad, setup.stride, setup.dilation)  # (H_out, W_out)
    out_shape = (int(full.shape[0]), int(full.shape[1]))
    checkpoint()
    yield Frame("tensor", _tensor_caption(setup), {"shape": [c, h, w], "strides": list(conv.strides_of((c, h, w), 1))})
    pad = setup.pad
    scale = float(np.abs(full).max()) or 1.0  # one colour scale for every map of the run (0 stays white)
    yield Frame(
        "padding",
        _padding_caption(setup, out_shape),
        {"padding": [pad.top, pad.bottom, pad.left, pad.right], "output_shape": list(out_shape)},
        {},
        {"output": np.full(out_shape, np.nan, dtype=np.float32), "scale": scale},
    )
    yield from _slide(setup, full, scale)
    feature = full
    if setup.activation == "relu":
        feature = conv.relu(full)
        negative = int((full < 0).sum())
        caption = (
            f"ReLU keeps every positive value and sets the {fmt_count(negative)} negative ones "
            f"({percent(negative / full.size)}) to 0: the map now says only where the pattern is present."
        )
        yield Frame(
            "activation",
            caption,
            {"output": _display(feature), "zeroed": negative},
            {},
            {"output": _picture(feature), "scale": scale},
        )
    pooled = None
    if setup.pooling != "none":
        pooled = conv.pool2d(feature, setup.pool_size, setup.pool_stride, setup.pooling)
        yield from _pool(setup, feature, pooled, scale)
    return {
        "output": typed_array(full, "f8"),  # the convolution itself, before any activation
        "activated": None if feature is full else typed_array(feature, "f8"),
        "pooled": None if pooled is None else typed_array(pooled, "f8"),
        "output_shape": list(out_shape),
        "pooled_shape": None if pooled is None else list(pooled.shape),
    }
