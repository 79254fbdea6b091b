"""The tensors lab's figure, one layout per topic (the scene fixes the traces; a frame fills them in).

* image: each channel as its own map (red, green, blue tints, or grey), the picture, the caption's pixel marked;
  on the normalise frame the channels switch to a diverging scale around 0.
* reshape: the tensor as its shape lays it out (a 3-D tensor as its first axis' slices side by side), the
  storage it reads (memory order) and its values in reading order, numbers in the cells; element 1 (the
  storage's next element) is marked, so a stride change shows as where it lands.
* table: the rows as an annotated grid, each column coloured by its own values (darker: larger), a key of the
  columns' kinds above them.
* text: the characters with their codes / indices, the vocabulary, the one-hot matrix.
* series: the series with the current example's inputs and targets, and the stacked (n, window) and
  (n, horizon) arrays.

Every number comes from the frame (arrays from its ``visual``); this module only places them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.keys import colour_bar, legend_entry, timeline, top_legend
from app.views.theme import INK, PALETTE, base_layout, typed

SMALL = {"size": 11}
TINTS = {
    "red": [[0.0, "#000000"], [1.0, "#ff2a2a"]],
    "green": [[0.0, "#000000"], [1.0, "#2aff2a"]],
    "blue": [[0.0, "#000000"], [1.0, "#3a7bff"]],
    "grey": [[0.0, "#000000"], [1.0, "#ffffff"]],
}
DIVERGING = "RdBu"
CELLS = [[0.0, "#f7fbff"], [1.0, "#6baed6"]]  # a table's cells: light, so their words stay readable
KIND_COLOURS = {"continuous": PALETTE[0], "ordinal": PALETTE[1], "categorical": PALETTE[3], "encoded": PALETTE[2]}
MARK = PALETTE[1]
NARROW_WIDTH = 560
"""Plots narrower than this (a phone) take a scene's ``x-narrow``: the table's words smaller."""
NUMBERED_ROWS = 12
"""The stacked windows print their numbers up to this many examples (more: hover only)."""
PHASES = {
    "image": {
        "hwc": "(H, W, C)",
        "chw": "(C, H, W)",
        "channels": "Channels",
        "to_float": "÷ 255",
        "normalise": "Norm.",
    },
    "reshape": {
        "arange": "arange",
        "view": "view",
        "transpose": "transpose",
        "view_fails": "view fails",
        "contiguous": "contiguous",
        "permute": "permute",
        "flatten": "flatten",
    },
    "table": {"table": "Table", "ordinal": "Ordinal", "one_hot": "One-hot", "scaling": "Scaling", "matrix": "Matrix"},
    "text": {"codes": "Codes", "vocabulary": "Vocabulary", "indices": "Indices", "char_one_hot": "One-hot"},
    "series": {"series": "Series", "window": "Examples", "windows": "Stacked"},
}


class TensorsScene(Protocol):
    """What the view reads of the lab's setup."""

    @property
    def topic(self) -> str: ...

    @property
    def pixels(self) -> np.ndarray | None: ...

    @property
    def channel_names(self) -> tuple[str, ...]: ...

    @property
    def pixel(self) -> tuple[int, int]:
        """(row, column) of the pixel the captions give."""
        ...

    @property
    def dims(self) -> tuple[int, int, int]: ...

    @property
    def window(self) -> int: ...

    @property
    def horizon(self) -> int: ...


def _suffix(i: int) -> str:
    return "" if i == 0 else str(i + 1)


def _axes(i: int, x_domain: Sequence[float], y_domain: Sequence[float], title: str, **y: Any) -> dict[str, Any]:
    """x{i+1}/y{i+1}: a grid's axes (row 0 on top), titled on x."""
    s = _suffix(i)
    x_axis = {
        "domain": list(x_domain),
        "anchor": f"y{s}",
        "side": "top",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": 10},
        "title": {"text": title, "font": SMALL, "standoff": 4},
    }
    y_axis = {
        "domain": list(y_domain),
        "anchor": f"x{s}",
        "autorange": "reversed",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": 10},
        "visible": False,
        **y,
    }
    return {f"xaxis{s}": x_axis, f"yaxis{s}": y_axis}


def _heatmap(i: int, name: str, **extra: Any) -> dict[str, Any]:
    s = _suffix(i)
    return {
        "type": "heatmap",
        "name": name,
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "showscale": False,
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
        **extra,
    }


def _grid(values: np.ndarray, dtype: str = "f4") -> dict[str, Any]:
    rows, cols = values.shape
    return {**typed(values, dtype), "shape": f"{rows},{cols}"}


def _layout(legend_y: float = 1.0, **overrides: Any) -> dict[str, Any]:
    layout = base_layout(
        margin={"l": 56, "r": 16, "t": 64, "b": 16},
        showlegend=True,
        legend=top_legend(y=legend_y, yanchor="bottom"),
        **overrides,
    )
    del layout["xaxis"], layout["yaxis"]
    return layout


def _extras(topic: str) -> dict[str, Any]:
    return {"x-timeline": timeline(None, "step"), "x-phases": PHASES[topic]}


# -- image -----------------------------------------------------------------------------------------------------

BYTE_STAGES = ("hwc", "chw", "channels")
"""The image frames whose channel maps are the picture's bytes (drawn from the scene, not sent again)."""

IMAGE_BOXES = {
    3: [((0.0, 0.46), (0.53, 0.93)), ((0.54, 1.0), (0.53, 0.93)), ((0.0, 0.46), (0.0, 0.4)), ((0.54, 1.0), (0.0, 0.4))],
    1: [((0.0, 0.46), (0.0, 0.9)), ((0.54, 1.0), (0.0, 0.9))],
}
"""(x domain, y domain) of the picture, then of each channel: a 2 × 2 grid for colour, side by side for grey."""


def _image_scene(inputs: TensorsScene) -> dict[str, Any]:
    assert inputs.pixels is not None
    pixels = inputs.pixels
    h, w, c = pixels.shape
    names = inputs.channel_names
    channels = pixels.transpose(2, 0, 1).astype(np.float64)
    boxes = IMAGE_BOXES[c]
    data: list[dict[str, Any]] = []
    layout = _layout(legend_y=1.0)
    gaps = 1 if max(h, w) <= 24 else 0  # cell borders only where the pixels are big enough to show them
    for i, name in enumerate(names):
        last = i == c - 1
        data.append(
            _heatmap(
                i,
                f"{name} channel",
                z=_grid(channels[i], "u1"),  # the bytes themselves: a quarter of float32's size
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
        layout |= _axes(i, x_box, y_box, f"x[:, :, {i}] ({name})")
        layout[f"yaxis{_suffix(i)}"] |= {"scaleanchor": f"x{_suffix(i)}", "constrain": "domain"}
        layout[f"xaxis{_suffix(i)}"] |= {"constrain": "domain", "showticklabels": False}
    picture_axis = c
    s = _suffix(picture_axis)
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
        picture = _heatmap(picture_axis, "picture", z=_grid(channels[0]), colorscale=TINTS["grey"], zmin=0, zmax=255)
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
    layout |= _axes(picture_axis, *boxes[0], f"the picture ({h}, {w}, {c})", visible=True)
    layout[f"yaxis{s}"] |= {
        "scaleanchor": f"x{s}",
        "constrain": "domain",
        "title": {"text": "row", "font": SMALL, "standoff": 2},
    }
    layout[f"xaxis{s}"] |= {"constrain": "domain"}
    return {"data": data, "layout": layout, **_extras("image")}


def _image_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
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
        trace: dict[str, Any] = {**scale} if stage in BYTE_STAGES else {"z": _grid(channels[i]), **scale}
        trace["colorscale"] = DIVERGING if stage == "normalise" else TINTS[name]
        if i == c - 1:
            trace["colorbar"] = colour_bar(bar, x=1.0, len=0.8, tickfont={"size": 9})
        data.append(trace)
        where = f"x[:, :, {i}]" if stage == "hwc" else f"x[{i}]"
        title = {"hwc": f"{where} ({name})", "chw": f"{where} ({name})", "channels": f"{name} channel x[{i}]"}.get(
            stage, f"{name} x[{i}] {'÷ 255' if stage == 'to_float' else 'normalised'}"
        )
        layout[f"xaxis{_suffix(i)}"] = {"title": {"text": title}}
    shape = frame.state.get("shape")
    if shape is not None:
        strides = frame.state["strides"]
        text = f"shape ({', '.join(map(str, shape))}), strides ({', '.join(map(str, strides))})"
        layout[f"xaxis{_suffix(c)}"] = {"title": {"text": f"the picture<br>{text}"}}
    return {"data": data, "layout": layout}


# -- reshape ---------------------------------------------------------------------------------------------------


def _laid_out(tensor: np.ndarray) -> np.ndarray:
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


def _reshape_scene(inputs: TensorsScene) -> dict[str, Any]:
    a, b, c = inputs.dims
    n = a * b * c
    numbers = {"texttemplate": "%{z:.0f}", "textfont": {"size": 11 if n <= 40 else 8}} if n <= 120 else {}
    common = {"colorscale": "Viridis", "zmin": 0, "zmax": max(n - 1, 1), **numbers}
    data = [
        _heatmap(0, "the tensor", z=[], hovertemplate="value %{z:.0f}<extra>tensor</extra>", **common),
        _heatmap(1, "storage", z=[], hovertemplate="storage[%{x}] = %{z:.0f}<extra></extra>", **common),
        _heatmap(
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
    layout = _layout(legend_y=1.08)
    layout |= _axes(0, (0.0, 0.94), (0.0, 0.5), "the tensor, as its shape reads it")
    layout |= _axes(1, (0.0, 0.94), (0.84, 0.9), "storage (memory order)")
    layout |= _axes(2, (0.0, 0.94), (0.64, 0.7), "values in reading order (flatten)")
    layout["xaxis2"] |= {"showticklabels": False}
    layout["xaxis3"] |= {"showticklabels": False}
    layout["yaxis"] |= {"visible": True, "title": {"text": "row", "font": SMALL}, "dtick": 1}
    layout["xaxis"] |= {"showticklabels": False}  # the laid-out grid's columns include the gaps between slices
    return {"data": data, "layout": layout, **_extras("reshape")}


def _reshape_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
    state = frame.state
    tensor = np.asarray(frame.visual["tensor"])
    grid = _laid_out(tensor)
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
            {"z": _grid(grid)},
            {"z": _grid(storage)},
            {"z": _grid(values)},
            {"x": cols.tolist(), "y": rows.tolist()},
        ],
        "layout": {"xaxis": {"title": {"text": title}}},
    }


# -- table -----------------------------------------------------------------------------------------------------


def _table_scene(inputs: TensorsScene) -> dict[str, Any]:
    data: list[dict[str, Any]] = [
        _heatmap(
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
    layout = _layout()
    layout["legend"] = top_legend(y=-0.02, yanchor="top")
    layout |= _axes(0, (0.0, 1.0), (0.0, 1.0), "column", visible=True)
    layout["xaxis"] |= {"type": "category", "tickfont": {"size": 11}}
    layout["yaxis"] |= {"type": "category", "title": {"text": "iris row", "font": SMALL, "standoff": 6}}
    layout["margin"] = {"l": 84, "r": 16, "t": 64, "b": 16}
    narrow = {
        "width": NARROW_WIDTH,
        "data": {"0": {"textfont": {"size": 9}}},
        "layout": {"xaxis": {"tickfont": {"size": 9}}, "margin": {"l": 64}},
    }
    return {"data": data, "layout": layout, **_extras("table"), "x-narrow": narrow}


KIND_ROW = "kind"


def _table_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
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


# -- text ------------------------------------------------------------------------------------------------------


def _text_scene(inputs: TensorsScene) -> dict[str, Any]:
    data = [
        _heatmap(
            0,
            "characters",
            z=[],
            colorscale=CELLS,
            texttemplate="%{text}",
            textfont={"size": 12, "color": INK},
            hovertemplate="%{text}<extra>position %{x}</extra>",
        ),
        _heatmap(
            1,
            "vocabulary",
            z=[],
            colorscale=CELLS,
            texttemplate="%{text}",
            textfont={"size": 12, "color": INK},
            hovertemplate="%{text}<extra>index %{x}</extra>",
        ),
        _heatmap(
            2,
            "one-hot",
            z=[],
            colorscale=[[0.0, "#ffffff"], [1.0, INK]],
            zmin=0,
            zmax=1,
            hovertemplate="position %{y}, index %{x}: %{z}<extra>one-hot</extra>",
        ),
        legend_entry("1: the character's index", colour=INK, symbol="square", axes=("x3", "y3")),
        legend_entry("0", colour="#ffffff", symbol="square", axes=("x3", "y3")),
    ]
    layout = _layout(legend_y=1.06)
    layout |= _axes(0, (0.0, 1.0), (0.84, 0.96), "the text, character by character")
    layout |= _axes(1, (0.0, 1.0), (0.62, 0.72), "vocabulary")
    layout |= _axes(2, (0.0, 1.0), (0.0, 0.5), "one-hot matrix (position × vocabulary index)")
    layout["yaxis3"] |= {"title": {"text": "position", "font": SMALL}}
    layout["xaxis2"] |= {"visible": False}  # shown from the frame that fills it
    layout["xaxis3"] |= {"visible": False}
    return {"data": data, "layout": layout, **_extras("text")}


def _text_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
    """Everything the run has shown so far (the engine's ``visual`` carries it frame after frame)."""
    seen = frame.visual
    data: list[dict[str, Any]] = [{}, {}, {}, {}, {}]
    layout: dict[str, Any] = {}
    chars, codes = seen["chars"], seen["codes"]
    if "indices" in seen:
        indices = seen["indices"]
        data[0] = {"z": [indices], "text": [[f"{ch}<br>{i}" for ch, i in zip(chars, indices, strict=True)]]}
        layout["xaxis"] = {"title": {"text": "the text: each character's vocabulary index"}}
    else:
        data[0] = {"z": [codes], "text": [[f"{ch}<br>{code}" for ch, code in zip(chars, codes, strict=True)]]}
        layout["xaxis"] = {"title": {"text": "the text: each character's ASCII code"}}
    if len(chars) > 40:
        data[0]["texttemplate"] = ""
    if "vocabulary" in seen:
        vocab = seen["vocabulary"]
        data[1] = {"z": [list(range(len(vocab)))], "text": [[f"{i}<br>{ch}" for i, ch in enumerate(vocab)]]}
        if len(vocab) > 40:
            data[1]["texttemplate"] = ""
        layout["xaxis2"] = {
            "visible": True,
            "title": {"text": f"vocabulary: {len(vocab)} characters (index, character)"},
        }
    if "one_hot" in seen:
        one_hot = np.asarray(seen["one_hot"], dtype=np.float64)
        data[2] = {"z": _grid(one_hot)}
        rows, cols = one_hot.shape
        layout["xaxis3"] = {
            "visible": True,
            "title": {"text": f"one-hot matrix ({rows}, {cols}): position × vocabulary index"},
        }
        layout["yaxis3"] = {"visible": True}
    return {"data": data, "layout": layout}


# -- series ----------------------------------------------------------------------------------------------------


def _series_scene(inputs: TensorsScene) -> dict[str, Any]:
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "series",
            "x": [],
            "y": [],
            "line": {"color": PALETTE[0], "width": 2},
            "marker": {"size": 5, "color": PALETTE[0]},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": f"inputs (window of {inputs.window})",
            "x": [],
            "y": [],
            "marker": {"size": 11, "color": PALETTE[2], "symbol": "circle"},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": f"targets (horizon of {inputs.horizon})",
            "x": [],
            "y": [],
            "marker": {"size": 12, "color": PALETTE[5], "symbol": "diamond"},
        },
        _heatmap(1, "inputs", z=[], colorscale=DIVERGING, zmid=0, hovertemplate="example %{y}, input %{x}: %{z:.3f}"),
        _heatmap(
            2,
            "targets",
            z=[],
            colorscale=DIVERGING,
            zmid=0,
            showscale=True,
            colorbar=colour_bar("value", x=1.0, len=0.45, y=0.22, tickfont={"size": 9}),
            hovertemplate="example %{y}, target %{x}: %{z:.3f}",
        ),
    ]
    layout = _layout(legend_y=1.04)
    layout["xaxis"] = {
        "domain": [0.0, 1.0],
        "anchor": "y",
        "title": {"text": "time step", "font": SMALL},
        "gridcolor": "#e4e7eb",
        "zeroline": False,
    }
    layout["yaxis"] = {
        "domain": [0.6, 1.0],
        "anchor": "x",
        "title": {"text": "value", "font": SMALL},
        "gridcolor": "#e4e7eb",
        "zeroline": False,
    }
    layout |= _axes(1, (0.0, 0.62), (0.0, 0.42), "inputs (n, window)")
    layout |= _axes(2, (0.72, 0.94), (0.0, 0.42), "targets (n, horizon)")
    layout["yaxis2"] |= {"title": {"text": "example", "font": SMALL}}
    layout["xaxis2"] |= {"visible": False}  # shown on the frame that stacks them
    layout["xaxis3"] |= {"visible": False}
    return {"data": data, "layout": layout, **_extras("series")}


def _dtick(columns: int) -> int:
    """Whole-number ticks, about eight of them at most."""
    return max(1, -(-columns // 8))


def _series_render(frame: Frame, inputs: TensorsScene, values: Sequence[float]) -> dict[str, Any]:
    state = frame.state
    steps = np.arange(len(values))
    data: list[dict[str, Any]] = [{"x": typed(steps, "i4"), "y": typed(values, "f8")}, {}, {}, {}, {}]
    layout: dict[str, Any] = {}
    if frame.kind == "window":
        start, ins, outs = state["start"], state["inputs"], state["targets"]
        data[1] = {"x": list(range(start, start + len(ins))), "y": ins}
        data[2] = {"x": list(range(start + len(ins), start + len(ins) + len(outs))), "y": outs}
    else:
        data[1] = {"x": [], "y": []}
        data[2] = {"x": [], "y": []}
    if frame.kind == "windows":
        ins, outs = np.asarray(frame.visual["inputs"]), np.asarray(frame.visual["targets"])
        limit = float(max(np.abs(ins).max(), np.abs(outs).max())) or 1.0
        readable = len(ins) <= NUMBERED_ROWS  # a number per cell only while the rows are tall enough to hold it
        numbers: dict[str, Any] = {"texttemplate": "%{z:.2f}", "textfont": {"size": 10}} if readable else {}
        data[3] = {"z": _grid(ins), "zmin": -limit, "zmax": limit, **numbers}
        data[4] = {"z": _grid(outs), "zmin": -limit, "zmax": limit, **numbers}
        layout["xaxis2"] = {
            "visible": True,
            "dtick": _dtick(ins.shape[1]),
            "title": {"text": f"inputs ({ins.shape[0]}, {ins.shape[1]})"},
        }
        layout["xaxis3"] = {
            "visible": True,
            "dtick": _dtick(outs.shape[1]),
            "title": {"text": f"targets ({outs.shape[0]}, {outs.shape[1]})"},
        }
        layout["yaxis2"] = {"visible": True}
    return {"data": data, "layout": layout}


class TensorsView:
    def scene(self, inputs: TensorsScene, params: Any) -> dict[str, Any]:
        topic = inputs.topic
        if topic == "image":
            return _image_scene(inputs)
        if topic == "reshape":
            return _reshape_scene(inputs)
        if topic == "table":
            return _table_scene(inputs)
        if topic == "text":
            return _text_scene(inputs)
        return _series_scene(inputs)

    def render(self, frame: Frame, inputs: TensorsScene, params: Any) -> dict[str, Any]:
        topic = inputs.topic
        if topic == "image":
            return _image_render(frame, inputs)
        if topic == "reshape":
            return _reshape_render(frame, inputs)
        if topic == "table":
            return _table_render(frame, inputs)
        if topic == "text":
            return _text_render(frame, inputs)
        return _series_render(frame, inputs, frame.visual["values"])

    def panels(self, result: Mapping[str, Any], inputs: TensorsScene, params: Any) -> list[dict[str, Any]]:
        return []
