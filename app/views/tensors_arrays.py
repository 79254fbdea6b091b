"""The tensors lab's figure for the image, reshape and table topics (see ``app.views.tensors``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from app.core.frame import Frame
from app.views.keys import colour_bar, top_legend
from app.views.tensors_parts import (
    CELLS,
    DIVERGING,
    KIND_COLOURS,
    MARK,
    NARROW_WIDTH,
    SMALL,
    TINTS,
    TensorsScene,
    axis_suffix,
    grid_axes,
    heatmap_trace,
    topic_extras,
    topic_layout,
    typed_grid,
)
from app.views.theme import INK, PALETTE

# -- image -----------------------------------------------------------------------------------------------------

BYTE_STAGES = ("hwc", "chw", "channels")
"""The image frames whose channel maps are the picture's bytes (drawn from the scene, not sent again)."""

IMAGE_BOXES = {
    3: [((0.0, 0.46), (0.53, 0.93)), ((0.54, 1.0), (0.53, 0.93)), ((0.0, 0.46), (0.0, 0.4)), ((0.54, 1.0), (0.0, 0.4))],
    1: [((0.0, 0.46), (0.0, 0.9)), ((0.54, 1.0), (0.0, 0.9))],
}
"""(x domain, y domain) of the picture, then of each channel: a 2 × 2 grid for colour, side by side for grey."""


def image_scene(inputs: TensorsScene) -> dict[str, Any]:
    assert inputs.pixels is not None
    pixels = inputs.pixels
    h, w, c = pixels.shape
    names = inputs.channel_names
    channels = pixels.transpose(2, 0, 1).astype(np.float64)
    boxes = IMAGE_BOXES[c]
    data: list[dict[str, Any]] = []
    layout = topic_layout(legend_y=1.0)
    gaps = 1 if max(h, w) <= 24 else 0  # cell borders only where the pixels are big enough to show them
    for i, name in enumerate(names):
        last = i == c - 1
        data.append(
            heatmap_trace(
                i,
                f"{name} channel",
                z=typed_grid(channels[i], "u1"),  # the bytes themselves: a quarter of float32's size
                colorscale=TINTS[name],
                zmin=0,
                zmax=255,
                xgap=gaps,
                ygap=gaps,
                showscale=last,
                hovertemplate=f"row %{{y}}, column %{{x}}: %{{z:.4g}}<extra>{name}</extra>",
                **({"colorbar": colour_bar("value (0–255)", x=1.01, len=0.8, tickfont={"size": 9})} if last else {}),
            )
        )
        x_box, y_box = boxes[i + 1]
        layout |= grid_axes(i, x_box, y_box, f"x[:, :, {i}] ({name})")
        layout[f"yaxis{axis_suffix(i)}"] |= {"scaleanchor": f"x{axis_suffix(i)}", "constrain": "domain"}
        layout[f"xaxis{axis_suffix(i)}"] |= {"constrain": "domain", "showticklabels": False}
    picture_axis = c
    s = axis_suffix(picture_axis)
    if c == 3:
        picture: dict[str, Any] = {
            "type": "image",
            "name": "picture",
            "z": pixels.tolist(),
            "xaxis": f"x{s}",
            "yaxis": f"y{s}",
            "hovertemplate": "row %{y}, column %{x}: %{z}<extra></extra>",
        }
    else:
        picture = heatmap_trace(
            picture_axis, "picture", z=typed_grid(channels[0]), colorscale=TINTS["grey"], zmin=0, zmax=255
        )
    row, col = inputs.pixel
    data.append(picture)
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "the pixel in the caption",
            "x": [col],
            "y": [row],
            "xaxis": f"x{s}",
            "yaxis": f"y{s}",
            "marker": {"symbol": "square-open", "size": 12, "color": MARK, "line": {"width": 3, "color": MARK}},
            "hoverinfo": "skip",
        }
    )
    layout |= grid_axes(picture_axis, *boxes[0], f"the picture ({h}, {w}, {c})", visible=True)
    layout[f"yaxis{s}"] |= {
        "scaleanchor": f"x{s}",
        "constrain": "domain",
        "title": {"text": "row", "font": SMALL, "standoff": 2},
    }
    layout[f"xaxis{s}"] |= {"constrain": "domain"}
    return {"data": data, "layout": layout, **topic_extras("image")}


def image_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
    channels = np.asarray(frame.visual["channels"])
    names = inputs.channel_names
    c = len(names)
    stage = frame.kind
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    if stage == "normalise":
        limit = float(np.abs(channels).max()) or 1.0
        scale: dict[str, Any] = {"zmin": -limit, "zmax": limit, "zmid": 0}
        bar = "(x − mean) / std"
    elif stage == "to_float":
        scale, bar = {"zmin": 0, "zmax": 1}, "value (0–1)"
    else:
        scale, bar = {"zmin": 0, "zmax": 255}, "value (0–255)"
    for i, name in enumerate(names):
        # The bytes stages show the scene's own maps; only the float stages send new numbers.
        trace: dict[str, Any] = {**scale} if stage in BYTE_STAGES else {"z": typed_grid(channels[i]), **scale}
        trace["colorscale"] = DIVERGING if stage == "normalise" else TINTS[name]
        if i == c - 1:
            trace["colorbar"] = colour_bar(bar, x=1.0, len=0.8, tickfont={"size": 9})
        data.append(trace)
        where = f"x[:, :, {i}]" if stage == "hwc" else f"x[{i}]"
        title = {"hwc": f"{where} ({name})", "chw": f"{where} ({name})", "channels": f"{name} channel x[{i}]"}.get(
            stage, f"{name} x[{i}] {'÷ 255' if stage == 'to_float' else 'normalised'}"
        )
        layout[f"xaxis{axis_suffix(i)}"] = {"title": {"text": title}}
    shape = frame.state.get("shape")
    if shape is not None:
        strides = frame.state["strides"]
        text = f"shape ({', '.join(map(str, shape))}), strides ({', '.join(map(str, strides))})"
        layout[f"xaxis{axis_suffix(c)}"] = {"title": {"text": f"the picture<br>{text}"}}
    return {"data": data, "layout": layout}


# -- reshape ---------------------------------------------------------------------------------------------------


def laid_out(tensor: np.ndarray) -> np.ndarray:
    """A tensor as a 2-D grid: (p, q, r) as p slices of q × r side by side (a NaN column between), (p, q) as it
    is, (n,) as one row."""
    t = np.asarray(tensor, dtype=np.float64)
    if t.ndim == 1:
        return t[None, :]
    if t.ndim == 2:
        return t
    p, q, r = t.shape
    grid = np.full((q, p * (r + 1) - 1), np.nan)
    for k in range(p):
        grid[:, k * (r + 1) : k * (r + 1) + r] = t[k]
    return grid


def reshape_scene(inputs: TensorsScene) -> dict[str, Any]:
    a, b, c = inputs.dims
    n = a * b * c
    numbers = {"texttemplate": "%{z:.0f}", "textfont": {"size": 11 if n <= 40 else 8}} if n <= 120 else {}
    common = {"colorscale": "Viridis", "zmin": 0, "zmax": max(n - 1, 1), **numbers}
    data = [
        heatmap_trace(0, "the tensor", z=[], hovertemplate="value %{z:.0f}<extra>tensor</extra>", **common),
        heatmap_trace(1, "storage", z=[], hovertemplate="storage[%{x}] = %{z:.0f}<extra></extra>", **common),
        heatmap_trace(
            2,
            "reading order",
            z=[],
            hovertemplate="element %{x} read: %{z:.0f}<extra></extra>",
            showscale=True,
            colorbar=colour_bar("value", x=1.0, len=0.5, y=0.75, tickfont={"size": 9}),
            **common,
        ),
        {
            "type": "scatter",
            "mode": "markers",
            "name": "value 1: the storage's next element",
            "x": [],
            "y": [],
            "marker": {"symbol": "circle-open", "size": 26, "color": PALETTE[5], "line": {"width": 4}},
            "hoverinfo": "skip",
            "xaxis": "x",
            "yaxis": "y",
        },
    ]
    layout = topic_layout(legend_y=1.08)
    layout |= grid_axes(0, (0.0, 0.94), (0.0, 0.5), "the tensor, as its shape reads it")
    layout |= grid_axes(1, (0.0, 0.94), (0.84, 0.9), "storage (memory order)")
    layout |= grid_axes(2, (0.0, 0.94), (0.64, 0.7), "values in reading order (flatten)")
    layout["xaxis2"] |= {"showticklabels": False}
    layout["xaxis3"] |= {"showticklabels": False}
    layout["yaxis"] |= {"visible": True, "title": {"text": "row", "font": SMALL}, "dtick": 1}
    layout["xaxis"] |= {"showticklabels": False}  # the laid-out grid's columns include the gaps between slices
    return {"data": data, "layout": layout, **topic_extras("reshape")}


def reshape_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
    state = frame.state
    tensor = np.asarray(frame.visual["tensor"])
    grid = laid_out(tensor)
    storage = np.asarray(state["storage"], dtype=np.float64)[None, :]
    values = np.asarray(state["values"], dtype=np.float64)[None, :]
    rows, cols = np.nonzero(grid == 1)
    shape = ", ".join(map(str, state["shape"])) + ("," if len(state["shape"]) == 1 else "")
    strides = ", ".join(map(str, state["strides"])) + ("," if len(state["strides"]) == 1 else "")
    flag = "contiguous" if state["contiguous"] else "not contiguous"
    memory = "a view of x's memory" if state["shares_storage"] else "new memory (a copy)"
    title = f"{state['code']} → shape ({shape}), strides ({strides}), {flag}, {memory}"
    if state.get("error"):
        title = f"{state['code']} fails: t is not contiguous (t shown)"
    return {
        "data": [
            {"z": typed_grid(grid)},
            {"z": typed_grid(storage)},
            {"z": typed_grid(values)},
            {"x": cols.tolist(), "y": rows.tolist()},
        ],
        "layout": {"xaxis": {"title": {"text": title}}},
    }


# -- table -----------------------------------------------------------------------------------------------------


def table_scene(inputs: TensorsScene) -> dict[str, Any]:
    data: list[dict[str, Any]] = [
        heatmap_trace(
            0,
            "cells",
            z=[],
            colorscale=CELLS,
            zmin=0,
            zmax=1,
            texttemplate="%{text}",
            textfont={"size": 12, "color": INK},
            hovertemplate="%{x}: %{text}<extra>%{y}</extra>",
        )
    ]
    for kind, colour in KIND_COLOURS.items():
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{kind} column",
                "x": [],
                "y": [],
                "marker": {"symbol": "square", "size": 12, "color": colour},
                "hoverinfo": "skip",
                "xaxis": "x",
                "yaxis": "y",
                "cliponaxis": False,
            }
        )
    layout = topic_layout()
    layout["legend"] = top_legend(y=-0.02, yanchor="top")
    layout |= grid_axes(0, (0.0, 1.0), (0.0, 1.0), "column", visible=True)
    layout["xaxis"] |= {"type": "category", "tickfont": {"size": 11}}
    layout["yaxis"] |= {"type": "category", "title": {"text": "iris row", "font": SMALL, "standoff": 6}}
    layout["margin"] = {"l": 84, "r": 16, "t": 64, "b": 16}
    narrow = {
        "width": NARROW_WIDTH,
        "data": {"0": {"textfont": {"size": 9}}},
        "layout": {"xaxis": {"tickfont": {"size": 9}}, "margin": {"l": 64}},
    }
    return {"data": data, "layout": layout, **topic_extras("table"), "x-narrow": narrow}


KIND_ROW = "kind"


def table_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
    state = frame.state
    columns: list[str] = state["columns"]
    values = np.asarray(state["values"], dtype=np.float64)
    low, high = values.min(axis=0), values.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    shade = (values - low) / span  # each column by its own values: darker is larger (or a later code)
    labels = [f"row {r}" for r in state["rows"]]
    z = np.vstack([np.full((1, len(columns)), np.nan), shade])  # the top row: the kinds' marks, no cell
    text = [[""] * len(columns), *state["cells"]]
    data: list[dict[str, Any]] = [{"z": z.tolist(), "x": columns, "y": [KIND_ROW, *labels], "text": text}]
    for kind in KIND_COLOURS:
        xs = [name for name, k in zip(columns, state["kinds"], strict=True) if k == kind]
        data.append({"x": xs, "y": [KIND_ROW] * len(xs)})
    return {"data": data, "layout": {}}
