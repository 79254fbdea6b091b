"""A composed Plotly figure drawn as a small, static SVG: the catalog's card previews.

Only the figure's main axes (``xaxis`` / ``yaxis``) are drawn, roughly as plotly.js would: heatmaps and
contours first as coarse cells (one ``<path>`` per colour, runs of equal cells merged), then bars, then
scatter lines and markers, in the traces' own colours (colour scales sampled like plotly's). Axis ranges come
from the layout where it fixes them, else from the data; ``scaleanchor`` keeps equal aspect. The output has a
``viewBox``, no scripts, no links and no references of any kind, and is kept under a byte budget by drawing
coarser until it fits. Input arrays are plain lists or NumPy arrays (``app.preview_figure`` decodes typed
arrays). No app imports: the module is pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from app.preview_colours import hex_of, parse_colour
from app.preview_marks import HEIGHT, PAD, WIDTH, Plane, bars, cells, floats, grid_of, lines, markers, trace_colour

# (heatmap cells per axis, markers per trace, points per line): each try coarser than the last
DETAIL_LEVELS = ((48, 1500, 600), (32, 700, 300), (20, 300, 150), (12, 120, 60))


@dataclass
class Drawing:
    """The SVG text, how many marks (cells, bars, line segments, markers) it draws, and the traces drawn."""

    svg: str
    marks: int
    traces: list[str] = field(default_factory=list)


def main_axes_traces(figure: Mapping[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, trace) of the visible traces plotted on ``xaxis`` / ``yaxis``, in plotly's drawing order."""
    order = {"heatmap": 0, "heatmapgl": 0, "contour": 1, "bar": 2, "scatter": 3, "scattergl": 3}
    found = []
    for index, trace in enumerate(figure.get("data") or []):
        if not isinstance(trace, dict) or trace.get("visible", True) in (False, "legendonly"):
            continue
        kind = trace.get("type", "scatter")
        if kind in order and trace.get("xaxis", "x") == "x" and trace.get("yaxis", "y") == "y":
            found.append((order[kind], index, trace))
    return [(index, trace) for _, index, trace in sorted(found, key=lambda item: (item[0], item[1]))]


def _extent(traces: Sequence[tuple[int, dict[str, Any]]], axis: str) -> tuple[float, float] | None:
    lows, highs = [], []
    for _, trace in traces:
        if trace.get("type") in ("heatmap", "heatmapgl", "contour"):
            grid = grid_of(trace)
            values = np.zeros(0) if grid is None else grid[1 if axis == "x" else 2]
        else:
            values = floats(trace.get(axis))
            if trace.get("type") == "bar":
                values = np.concatenate([values, [0.0]])
        values = values[np.isfinite(values)]
        if values.size:
            lows.append(float(values.min()))
            highs.append(float(values.max()))
    return (min(lows), max(highs)) if lows else None


def _range(layout_axis: Mapping[str, Any], extent: tuple[float, float] | None) -> tuple[float, float]:
    """(value at the left/bottom, value at the right/top): the layout's ``range`` unless autoranged."""
    fixed = layout_axis.get("range")
    if (
        layout_axis.get("autorange") not in (True, "reversed")
        and isinstance(fixed, list)
        and len(fixed) == 2
        and all(isinstance(v, int | float) for v in fixed)
        and fixed[0] != fixed[1]
    ):
        return float(fixed[0]), float(fixed[1])
    low, high = extent or (0.0, 1.0)
    margin = (high - low) * 0.05 or 0.5
    low, high = low - margin, high + margin
    return (high, low) if layout_axis.get("autorange") == "reversed" else (low, high)


def plane_of(figure: Mapping[str, Any], traces: Sequence[tuple[int, dict[str, Any]]]) -> Plane:
    layout = figure.get("layout") or {}
    x_axis, y_axis = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    plane = Plane(_range(x_axis, _extent(traces, "x")), _range(y_axis, _extent(traces, "y")))
    if y_axis.get("scaleanchor") == "x" or x_axis.get("scaleanchor") == "y":
        # equal aspect, as plotly keeps it: widen the axis with fewer units per pixel about its centre
        per_px = max(abs(plane.x[1] - plane.x[0]) / plane.width, abs(plane.y[1] - plane.y[0]) / plane.height)
        for name, length in (("x", plane.width), ("y", plane.height)):
            start, end = getattr(plane, name)
            middle, half = (start + end) / 2, per_px * length / 2
            setattr(plane, name, (middle - math.copysign(half, end - start), middle + math.copysign(half, end - start)))
    return plane


def _draw(figure: Mapping[str, Any], colorway: Sequence[str], level: tuple[int, int, int], title: str) -> Drawing:
    layout = figure.get("layout") or {}
    traces = main_axes_traces(figure)
    plane = plane_of(figure, traces)
    colorway = layout.get("colorway") or colorway
    background = parse_colour(layout.get("plot_bgcolor")) or (255, 255, 255, 1.0)
    if background[3] < 1.0:  # a see-through plot area (panels that overlap) shows the page's white through it
        alpha = background[3]
        r, g, b = (round(alpha * c + (1 - alpha) * 255) for c in background[:3])
        background = (r, g, b, 1.0)
    body: list[str] = []
    marks, names = 0, []
    max_cells, max_markers, max_line_points = level
    for index, trace in traces:
        colour = trace_colour(trace, index, colorway)
        kind = trace.get("type", "scatter")
        drawn: list[tuple[list[str], int]] = []
        if kind in ("heatmap", "heatmapgl", "contour"):
            drawn.append(cells(trace, plane, max_cells))
        elif kind == "bar":
            drawn.append(bars(trace, colour, plane))
        else:
            count = min(floats(trace.get("x")).size, floats(trace.get("y")).size)
            mode = str(trace.get("mode") or ("lines+markers" if count < 20 else "lines"))
            if "lines" in mode:
                drawn.append(lines(trace, colour, plane, max_line_points))
            if "markers" in mode:
                drawn.append(markers(trace, colour, plane, max_markers))
        trace_marks = sum(count for _, count in drawn)
        if trace_marks:
            body.extend(element for elements, _ in drawn for element in elements)
            marks += trace_marks
            if isinstance(trace.get("name"), str) and trace["name"] and trace["name"] not in names:
                names.append(trace["name"])
    inner = PAD, WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{hex_of(background)}"/>'
        # a nested <svg> clips what lies outside the plot box, without a clip-path reference
        f'<svg x="{inner[0]}" y="{inner[0]}" width="{inner[1]}" height="{inner[2]}"'
        f' viewBox="{inner[0]} {inner[0]} {inner[1]} {inner[2]}">' + "".join(body) + "</svg></svg>"
    )
    return Drawing(svg, marks, names)


def figure_svg(
    figure: Mapping[str, Any], colorway: Sequence[str], title: str = "Preview", max_bytes: int = 40_000
) -> Drawing:
    """``figure``'s main axes as an SVG of at most ``max_bytes`` (drawn coarser until it fits)."""
    drawing = Drawing("", 0)
    for level in DETAIL_LEVELS:
        drawing = _draw(figure, colorway, level, title)
        if len(drawing.svg.encode()) <= max_bytes:
            return drawing
    without_cells = {**figure, "data": [t for t in figure.get("data") or [] if _is_plain(t)]}
    return _draw(without_cells, colorway, DETAIL_LEVELS[-1], title)


def _is_plain(trace: Any) -> bool:
    return isinstance(trace, dict) and trace.get("type", "scatter") not in ("heatmap", "heatmapgl", "contour")


def placeholder_svg(title: str) -> str:
    """A neutral card image for a lab whose preview could not be drawn: three grey bars on a light panel."""
    bars = "".join(
        f'<rect x="{x}" y="{y}" width="28" height="{HEIGHT - 50 - y}" rx="5" fill="#cdd3dc"/>'
        for x, y in ((110, 110), (146, 80), (182, 50))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f'<title>{escape(title)}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#f3f5f8"/>{bars}</svg>'
    )


_UNSAFE = re.compile(r"<script|href|url\(|javascript:", re.IGNORECASE)


def is_self_contained(svg: str) -> bool:
    """No scripts, links or references (what the previews promise; the tests check it too)."""
    return _UNSAFE.search(svg) is None
