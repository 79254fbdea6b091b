"""The marks of the SVG previews (``app.preview_svg``): one function per kind of trace, each returning its SVG
elements and how many marks (cells, bars, line segments, markers) they draw, in the preview box's units.

Coordinates are written with one decimal; colours only as ``#rrggbb`` that ``app.preview_colours`` parsed.
No app imports beyond the colours: the module is pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.preview_colours import Colour, colorscale_of, hex_of, parse_colour, sample

WIDTH, HEIGHT, PAD = 320, 200, 6
MARKER_SCALE = 0.5  # a plotly marker size is a diameter in px of a ~700 px plot; the preview is 320 units wide
LINE_SCALE = 0.7
MIN_CELL_PX = 4.0  # the smallest heatmap cell drawn, in preview units
STROKE_ONLY = ("x-thin", "cross-thin", "line-ew", "line-ns", "line-ne", "line-nw", "asterisk", "hash")
NO_FILL = ' fill="none"'
SYMBOL_NUMBERS = {0: "circle", 1: "square", 2: "diamond", 3: "cross", 4: "x", 5: "triangle-up", 6: "triangle-down"}


def number(value: Any, default: float) -> float:
    """A layout or trace attribute that should be a number (``default`` if it is missing or not one)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def num(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0" (the SVG's size is mostly numbers)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else "0" if text == "-0" else text


def floats(values: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Numbers of a Plotly data array (list with gaps, NumPy array, scalar); a non-number becomes NaN."""
    if isinstance(values, np.ndarray):
        return values.astype(np.float64).ravel() if values.dtype.kind in "biuf" else np.full(values.size, np.nan)
    if values is None:
        return np.zeros(0)
    if not isinstance(values, list | tuple):
        values = [values]
    return np.array([v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in values], float)


def per_point(value: Any, count: int, default: Any) -> list[Any]:
    """A marker attribute (scalar or array) as one value per point."""
    if value is None:
        return [default] * count
    if isinstance(value, np.ndarray):
        value = value.ravel().tolist()
    if isinstance(value, list | tuple):
        items = list(value)[:count]
        return [default if v is None else v for v in items] + [default] * (count - len(items))
    return [value] * count


@dataclass
class Plane:
    """The main axes' data ranges mapped onto the preview box (y up)."""

    x: tuple[float, float]
    y: tuple[float, float]
    width: float = WIDTH - 2 * PAD
    height: float = HEIGHT - 2 * PAD

    def px(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.clip(PAD + (x - self.x[0]) / (self.x[1] - self.x[0]) * self.width, -500.0, WIDTH + 500.0)

    def py(self, y: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.clip(PAD + (self.y[1] - y) / (self.y[1] - self.y[0]) * self.height, -500.0, HEIGHT + 500.0)


def grid_of(trace: Mapping[str, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
    """A heatmap's or contour's ``z`` (rows × cols) and its cell edges along x and y, or None if it has none."""
    raw = trace.get("z")
    try:
        z = np.asarray(
            raw if isinstance(raw, np.ndarray) else [[np.nan if v is None else v for v in row] for row in raw or []],
            dtype=np.float64,
        )
    except (TypeError, ValueError):
        return None
    if z.ndim != 2 or z.size == 0:
        return None

    def edges(coords: Any, count: int, start: Any, step: Any) -> np.ndarray[Any, Any]:
        given = floats(coords)
        if given.size in (count, count + 1) and np.all(np.isfinite(given)):
            if given.size == count + 1:
                return given
            if count == 1:
                return np.array([given[0] - 0.5, given[0] + 0.5])
            mids = (given[1:] + given[:-1]) / 2
            return np.concatenate([[2 * given[0] - mids[0]], mids, [2 * given[-1] - mids[-1]]])
        first = float(start) if isinstance(start, int | float) else 0.0
        size = float(step) if isinstance(step, int | float) else 1.0
        return first + size * (np.arange(count + 1) - 0.5)

    rows, cols = z.shape
    return (
        z,
        edges(trace.get("x"), cols, trace.get("x0"), trace.get("dx")),
        edges(trace.get("y"), rows, trace.get("y0"), trace.get("dy")),
    )


def block_means(blocks: np.ndarray) -> np.ndarray:
    """(rows, cols) mean of each block of ``blocks`` (rows, step_rows, cols, step_cols) over its non-NaN cells;
    NaN for a block of gaps only. ``np.nanmean``'s arithmetic (the same sum and count), without its "Mean of empty
    slice" warning, which only a process-wide ``warnings.catch_warnings`` could silence, and that races with the
    other threads' filters; ``np.errstate`` is per thread."""
    present = ~np.isnan(blocks)
    total = np.where(present, blocks, 0.0).sum(axis=(1, 3))
    count = present.sum(axis=(1, 3), dtype=np.intp)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0: a block of gaps is a gap
        means: np.ndarray = np.true_divide(total, count)
    return means


def cells(trace: Mapping[str, Any], plane: Plane, max_cells: int) -> tuple[list[str], int]:
    grid = grid_of(trace)
    if grid is None:
        return [], 0
    z, x_edges, y_edges = grid
    contours = trace.get("contours") or {}
    if trace.get("type") == "contour" and contours.get("coloring") in ("lines", "none"):
        return [], 0
    # at most max_cells a side, and none smaller than MIN_CELL_PX (a thumbnail inside the plot gets a few)
    wide = abs(float(plane.px(x_edges[-1:])[0] - plane.px(x_edges[:1])[0]))
    tall = abs(float(plane.py(y_edges[-1:])[0] - plane.py(y_edges[:1])[0]))
    most_cols = max(1, min(max_cells, int(wide / MIN_CELL_PX)))
    most_rows = max(1, min(max_cells, int(tall / MIN_CELL_PX)))
    step_rows, step_cols = math.ceil(z.shape[0] / most_rows), math.ceil(z.shape[1] / most_cols)
    rows, cols = math.ceil(z.shape[0] / step_rows), math.ceil(z.shape[1] / step_cols)
    padded = np.full((rows * step_rows, cols * step_cols), np.nan)
    padded[: z.shape[0], : z.shape[1]] = z
    coarse = block_means(padded.reshape(rows, step_rows, cols, step_cols))
    x_edges = np.append(x_edges[::step_cols][:cols], x_edges[-1])
    y_edges = np.append(y_edges[::step_rows][:rows], y_edges[-1])
    finite = coarse[np.isfinite(coarse)]
    if finite.size == 0:
        return [], 0
    low, high = number(trace.get("zmin"), float(finite.min())), number(trace.get("zmax"), float(finite.max()))
    share = np.clip((coarse - low) / ((high - low) or 1.0), 0.0, 1.0)
    if trace.get("type") == "contour" and contours.get("coloring", "fill") == "fill":
        levels = int(trace.get("ncontours") or 15)
        share = (np.floor(np.minimum(share, 0.999) * levels) + 0.5) / levels  # filled bands, not a gradient
    scale = colorscale_of(trace.get("colorscale"), bool(trace.get("reversescale")))
    bins = np.round(share * 31).astype(int)
    x_px, y_px = plane.px(x_edges), plane.py(y_edges)
    paths: dict[int, list[str]] = {}
    marks = 0
    for row in range(rows):
        top, bottom = sorted((y_px[row], y_px[row + 1]))
        col = 0
        while col < cols:
            if not np.isfinite(coarse[row, col]):
                col += 1
                continue
            end = col
            while end + 1 < cols and np.isfinite(coarse[row, end + 1]) and bins[row, end + 1] == bins[row, col]:
                end += 1
            left, right = sorted((x_px[col], x_px[end + 1]))
            paths.setdefault(int(bins[row, col]), []).append(
                f"M{num(left)} {num(top)}H{num(right)}V{num(bottom)}H{num(left)}z"
            )
            marks += end - col + 1
            col = end + 1
    opacity = trace.get("opacity")
    group = f'<g shape-rendering="crispEdges"{opacity_attribute("opacity", opacity)}>'
    body = "".join(f'<path fill="{hex_of(sample(scale, b / 31))}" d="{"".join(d)}"/>' for b, d in sorted(paths.items()))
    return [group + body + "</g>"], marks


def opacity_attribute(attribute: str, value: Any) -> str:
    return f' {attribute}="{value:.2f}"' if isinstance(value, int | float) and 0 <= value < 1 else ""


def trace_colour(trace: Mapping[str, Any], index: int, colorway: Sequence[str]) -> Colour:
    for candidate in ((trace.get("line") or {}).get("color"), (trace.get("marker") or {}).get("color")):
        parsed = parse_colour(candidate) if isinstance(candidate, str) else None
        if parsed is not None:
            return parsed
    return parse_colour(colorway[index % len(colorway)]) or (31, 41, 51, 1.0)


def lines(trace: Mapping[str, Any], colour: Colour, plane: Plane, max_points: int) -> tuple[list[str], int]:
    x, y = floats(trace.get("x")), floats(trace.get("y"))
    count = min(x.size, y.size)
    if count < 2:
        return [], 0
    x, y = plane.px(x[:count]), plane.py(y[:count])
    keep = np.arange(0, count, max(1, math.ceil(count / max_points)))
    keep = np.unique(np.append(keep, count - 1))
    x, y = x[keep], y[keep]
    line = trace.get("line") or {}
    stroke = parse_colour(line.get("color")) if isinstance(line.get("color"), str) else None
    stroke = stroke or colour
    width = max(0.8, float(line.get("width", 2)) * LINE_SCALE) if isinstance(line.get("width", 2), int | float) else 1.4
    if float(line.get("width", 2) or 0) == 0:
        return [], 0
    parts, segments, pen_down = [], 0, False
    for px, py in zip(x, y, strict=True):
        if not (np.isfinite(px) and np.isfinite(py)):
            pen_down = False
            continue
        parts.append(("L" if pen_down else "M") + f"{num(px)} {num(py)}")
        segments += 1 if pen_down else 0
        pen_down = True
    if segments == 0:
        return [], 0
    dash = {"dash": "4 3", "dot": "1 2.5", "dashdot": "4 2 1 2", "longdash": "7 3"}.get(str(line.get("dash")), "")
    fill = ""
    if trace.get("fill") == "toself":
        fill_colour = parse_colour(trace.get("fillcolor")) or (*stroke[:3], 0.5)
        fill = f' fill="{hex_of(fill_colour)}"' + opacity_attribute("fill-opacity", fill_colour[3])
    attributes = (
        f'<path d="{"".join(parts)}"{fill or NO_FILL} stroke="{hex_of(stroke)}" stroke-width="{num(width)}"'
        f'{opacity_attribute("stroke-opacity", stroke[3] * alpha_of(trace.get("opacity")))} stroke-linejoin="round"'
        f' stroke-linecap="round"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
    )
    return [attributes], segments


def alpha_of(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and 0 <= value <= 1 else 1.0


def shape_path(symbol: str, cx: float, cy: float, r: float) -> str:
    """One marker as a sub-path centred on (cx, cy) with radius ``r``."""
    base = symbol.removesuffix("-open").removesuffix("-dot")
    if base.startswith("square"):
        return f"M{num(cx - r)} {num(cy - r)}h{num(2 * r)}v{num(2 * r)}h{num(-2 * r)}z"
    if base.startswith("diamond") or base == "star":
        d = r * 1.3
        return f"M{num(cx)} {num(cy - d)}l{num(d)} {num(d)}l{num(-d)} {num(d)}l{num(-d)} {num(-d)}z"
    if base.startswith(("triangle", "arrow")):
        sign = 1 if base.endswith("down") else -1
        return f"M{num(cx)} {num(cy + sign * r * 1.2)}l{num(r * 1.1)} {num(-sign * r * 1.9)}h{num(-r * 2.2)}z"
    if base.startswith(("x", "cross", "asterisk")):
        if base.startswith("cross"):
            return f"M{num(cx - r)} {num(cy)}h{num(2 * r)}M{num(cx)} {num(cy - r)}v{num(2 * r)}"
        side = num(2 * r)
        return f"M{num(cx - r)} {num(cy - r)}l{side} {side}M{num(cx + r)} {num(cy - r)}l{num(-2 * r)} {side}"
    return f"M{num(cx - r)} {num(cy)}a{num(r)} {num(r)} 0 1 0 {num(2 * r)} 0a{num(r)} {num(r)} 0 1 0 {num(-2 * r)} 0"


def markers(trace: Mapping[str, Any], colour: Colour, plane: Plane, max_points: int) -> tuple[list[str], int]:
    x, y = floats(trace.get("x")), floats(trace.get("y"))
    count = min(x.size, y.size)
    marker = trace.get("marker") or {}
    raw_colours = marker.get("color")
    numeric = isinstance(raw_colours, np.ndarray) or (
        isinstance(raw_colours, list) and any(isinstance(v, int | float) for v in raw_colours)
    )
    values = floats(raw_colours) if numeric else np.zeros(0)
    scale = colorscale_of(marker.get("colorscale"), bool(marker.get("reversescale")))
    finite = values[np.isfinite(values)]
    low = number(marker.get("cmin"), float(finite.min()) if finite.size else 0.0)
    high = number(marker.get("cmax"), float(finite.max()) if finite.size else 1.0)
    colours = per_point(None if numeric else raw_colours, count, None)
    sizes = per_point(marker.get("size"), count, 6)
    symbols = per_point(marker.get("symbol"), count, "circle")
    opacities = per_point(marker.get("opacity"), count, 1.0)
    outline = marker.get("line") or {}
    outline_colour = parse_colour(outline.get("color")) if isinstance(outline.get("color"), str) else None
    outline_width = float(outline.get("width") or 0) if isinstance(outline.get("width"), int | float) else 0.0
    groups: dict[tuple[str, str, float], list[str]] = {}
    drawn = 0
    stride = max(1, math.ceil(count / max_points))
    xs, ys = plane.px(x[:count]), plane.py(y[:count])
    for i in range(0, count, stride):
        size = sizes[i] if isinstance(sizes[i], int | float) else 6
        if not (np.isfinite(xs[i]) and np.isfinite(ys[i])) or size <= 0:
            continue
        if numeric:
            t = (values[i] - low) / ((high - low) or 1) if i < values.size and np.isfinite(values[i]) else 0.5
            fill: Colour | None = sample(scale, float(np.clip(t, 0, 1)))
        else:
            fill = parse_colour(colours[i]) if isinstance(colours[i], str) else None
        fill = fill or colour
        symbol = SYMBOL_NUMBERS.get(symbols[i] % 100, "circle") if isinstance(symbols[i], int) else str(symbols[i])
        if isinstance(symbols[i], int) and symbols[i] >= 100:
            symbol += "-open"
        alpha = fill[3] * alpha_of(opacities[i]) * alpha_of(trace.get("opacity"))
        paint = hex_of(fill)
        if symbol.endswith("-open") or symbol in STROKE_ONLY or symbol.startswith(("x", "cross")):
            width = max(0.8, (outline_width or 1.0) * LINE_SCALE)
            style = f'fill="none" stroke="{paint}" stroke-width="{num(width)}" stroke-linecap="round"'
        else:
            halo = outline_colour if outline_colour and outline_width > 0 else None
            style = f'fill="{paint}"' + (
                f' stroke="{hex_of(halo)}" stroke-width="{num(max(0.4, outline_width * LINE_SCALE * 0.6))}"'
                if halo
                else ""
            )
        radius = max(1.2, float(size) * MARKER_SCALE / 2)
        groups.setdefault((style, symbol, round(alpha, 2)), []).append(shape_path(symbol, xs[i], ys[i], radius))
        drawn += 1
    out = [
        f'<path {style}{opacity_attribute("opacity", alpha)} d="{"".join(parts)}"/>'
        for (style, _symbol, alpha), parts in groups.items()
    ]
    return out, drawn


def bars(trace: Mapping[str, Any], colour: Colour, plane: Plane) -> tuple[list[str], int]:
    horizontal = trace.get("orientation") == "h"
    where, length = floats(trace.get("y" if horizontal else "x")), floats(trace.get("x" if horizontal else "y"))
    count = min(where.size, length.size)
    if count == 0:
        return [], 0
    where, length = where[:count], length[:count]
    spacing = float(np.min(np.diff(np.sort(where)))) if count > 1 else 1.0
    half = number(trace.get("width"), 0.8 * (spacing or 1.0)) / 2
    parts = []
    for position, value in zip(where, length, strict=True):
        if not (np.isfinite(position) and np.isfinite(value)):
            continue
        a, b = np.array([position - half, position + half]), np.array([0.0, value])
        xs, ys = (plane.px(b), plane.py(a)) if horizontal else (plane.px(a), plane.py(b))
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        parts.append(f"M{num(left)} {num(top)}H{num(right)}V{num(bottom)}H{num(left)}z")
    fill = (
        parse_colour((trace.get("marker") or {}).get("color"))
        if isinstance((trace.get("marker") or {}).get("color"), str)
        else None
    )
    return [f'<path fill="{hex_of(fill or colour)}" d="{"".join(parts)}"/>'], len(parts)
