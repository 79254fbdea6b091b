"""Pieces of the CNN view: channel mosaics, the axes of a row of small pictures, the colour scales.

A layer's output (C, H, W) is drawn as ONE heatmap: its C channels tiled in a near-square grid with a blank
(NaN) row and column between tiles; a vector (n,) as one column of n cells. Values on the wire are u1 bytes
scaled over the layer's min..max; the picture shows them back in the layer's own units (for the hover).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from app.views.theme import INK, PALETTE, PAPER, typed

MAP_SCALE: list[list[float | str]] = [[0.0, PAPER], [1.0, PALETTE[0]]]
"""Feature maps: white (the layer's least) to blue (its most)."""
PIXEL_SCALE: list[list[float | str]] = [[0.0, PAPER], [1.0, INK]]
"""Input images: ink on paper."""
WEIGHT_SCALE: list[list[float | str]] = [[0.0, PALETTE[5]], [0.5, PAPER], [1.0, PALETTE[0]]]
"""Filter weights: orange negative, white zero, blue positive."""
WRONG = PALETTE[5]


def decoded(entry: Mapping[str, Any]) -> np.ndarray:
    """A ``{values: typed u1, min, max}`` entry back in its own units (float64, the typed array's shape)."""
    typed_values = entry["values"]
    raw = np.frombuffer(base64.b64decode(typed_values["bdata"]), dtype=np.uint8)
    shape = tuple(int(s) for s in typed_values["shape"])
    lo, hi = float(entry["min"]), float(entry["max"])
    return lo + raw.reshape(shape).astype(np.float64) * ((hi - lo) / 255.0)


def tiles(channels: np.ndarray) -> np.ndarray:
    """(C, H, W) → one (rows·(H+1) − 1, cols·(W+1) − 1) picture, the channels in a near-square grid, NaN gaps."""
    c, h, w = channels.shape
    cols = math.ceil(math.sqrt(c))
    rows = math.ceil(c / cols)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i in range(c):
        r, q = divmod(i, cols)
        out[r * (h + 1) : r * (h + 1) + h, q * (w + 1) : q * (w + 1) + w] = channels[i]
    return out


def picture(values: np.ndarray) -> np.ndarray:
    """A layer output as its picture: (C, H, W) tiled, (n,) as an (n, 1) column."""
    if values.ndim == 3:
        return tiles(values)
    return values.reshape(-1, 1)  # (n,) → (n, 1): one column of cells


def z_of(image: np.ndarray) -> dict[str, Any]:
    """A 2-D picture as a heatmap ``z`` typed array (f4, NaN gaps kept)."""
    rows, cols = image.shape
    return {**typed(image.astype(np.float32), "f4"), "shape": f"{rows},{cols}"}


def image_axes(x: list[float], y: list[float], anchor: str, *, square: bool = True) -> dict[str, Any]:
    """An x-axis and a y-axis pair for a picture: no ticks, rows downwards, square pixels when ``square``."""
    suffix = anchor.removeprefix("x")
    bare = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}  # drawn, no ticks or title
    xaxis = {**bare, "domain": x, "anchor": f"y{suffix}", "constrain": "domain"}
    yaxis = {**bare, "domain": y, "anchor": f"x{suffix}", "autorange": "reversed", "constrain": "domain"}
    if square:
        yaxis["scaleanchor"] = f"x{suffix}"
    return {f"xaxis{suffix}": xaxis, f"yaxis{suffix}": yaxis}


def suffix(axis: int) -> str:
    """Plotly's name ending of axis ``axis``: "" for the first ("x", "y"), else the number ("x2")."""
    return "" if axis == 1 else str(axis)


def heatmap(axis: int, scale: list[list[float | str]], name: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "heatmap",
        "xaxis": f"x{suffix(axis)}",
        "yaxis": f"y{suffix(axis)}",
        "z": [],
        "colorscale": scale,
        "showscale": False,
        "hoverongaps": False,
        "name": name,
        "hovertemplate": "%{z:.3f}<extra>" + name + "</extra>",
        **extra,
    }


def label(text: str, axis: int, *, size: int = 11) -> dict[str, Any]:
    """A title above the picture on axis ``axis``."""
    return {
        "text": text,
        "xref": f"x{suffix(axis)} domain",
        "yref": f"y{suffix(axis)} domain",
        "x": 0.5,
        "y": 1.0,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size, "color": INK},
    }


def columns(n: int, left: float = 0.0, right: float = 1.0, gap: float = 0.012) -> list[list[float]]:
    """``n`` equal x domains side by side between ``left`` and ``right``."""
    width = (right - left) / n
    return [[round(left + i * width + gap / 2, 4), round(left + (i + 1) * width - gap / 2, 4)] for i in range(n)]


def grid_positions(count: int, per_row: int, side: int) -> tuple[list[float], list[float]]:
    """Centres of the tiles of ``tiles`` for ``count`` images of ``side`` pixels, ``per_row`` a row."""
    xs, ys = [], []
    for i in range(count):
        r, q = divmod(i, per_row)
        xs.append(q * (side + 1) + (side - 1) / 2)
        ys.append(r * (side + 1) + (side - 1) / 2)
    return xs, ys


def grid_tiles(pixels: np.ndarray, per_row: int) -> np.ndarray:
    """(G, H, W) images → one picture ``per_row`` images wide (the last row padded with NaN tiles)."""
    g, h, w = pixels.shape
    rows = math.ceil(g / per_row)
    out = np.full((rows * (h + 1) - 1, per_row * (w + 1) - 1), np.nan)
    for i in range(g):
        r, q = divmod(i, per_row)
        out[r * (h + 1) : r * (h + 1) + h, q * (w + 1) : q * (w + 1) + w] = pixels[i]
    return out
