"""The tensors lab's figure for the text and series topics (see ``app.views.tensors``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.core.frame import Frame
from app.views.keys import colour_bar, legend_entry
from app.views.tensors_parts import (
    CELLS,
    DIVERGING,
    NUMBERED_ROWS,
    SMALL,
    TensorsScene,
    grid_axes,
    heatmap_trace,
    topic_extras,
    topic_layout,
    typed_grid,
)
from app.views.theme import INK, PALETTE, typed

# -- text ------------------------------------------------------------------------------------------------------


def text_scene(inputs: TensorsScene) -> dict[str, Any]:
    data = [
        heatmap_trace(
            0,
            "characters",
            z=[],
            colorscale=CELLS,
            texttemplate="%{text}",
            textfont={"size": 12, "color": INK},
            hovertemplate="%{text}<extra>position %{x}</extra>",
        ),
        heatmap_trace(
            1,
            "vocabulary",
            z=[],
            colorscale=CELLS,
            texttemplate="%{text}",
            textfont={"size": 12, "color": INK},
            hovertemplate="%{text}<extra>index %{x}</extra>",
        ),
        heatmap_trace(
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
    layout = topic_layout(legend_y=1.06)
    layout |= grid_axes(0, (0.0, 1.0), (0.84, 0.96), "the text, character by character")
    layout |= grid_axes(1, (0.0, 1.0), (0.62, 0.72), "vocabulary")
    layout |= grid_axes(2, (0.0, 1.0), (0.0, 0.5), "one-hot matrix (position × vocabulary index)")
    layout["yaxis3"] |= {"title": {"text": "position", "font": SMALL}}
    layout["xaxis2"] |= {"visible": False}  # shown from the frame that fills it
    layout["xaxis3"] |= {"visible": False}
    return {"data": data, "layout": layout, **topic_extras("text")}


def text_render(frame: Frame, inputs: TensorsScene) -> dict[str, Any]:
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
        data[2] = {"z": typed_grid(one_hot)}
        rows, cols = one_hot.shape
        layout["xaxis3"] = {
            "visible": True,
            "title": {"text": f"one-hot matrix ({rows}, {cols}): position × vocabulary index"},
        }
        layout["yaxis3"] = {"visible": True}
    return {"data": data, "layout": layout}


# -- series ----------------------------------------------------------------------------------------------------


def series_scene(inputs: TensorsScene) -> dict[str, Any]:
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
        heatmap_trace(
            1, "inputs", z=[], colorscale=DIVERGING, zmid=0, hovertemplate="example %{y}, input %{x}: %{z:.3f}"
        ),
        heatmap_trace(
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
    layout = topic_layout(legend_y=1.04)
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
    layout |= grid_axes(1, (0.0, 0.62), (0.0, 0.42), "inputs (n, window)")
    layout |= grid_axes(2, (0.72, 0.94), (0.0, 0.42), "targets (n, horizon)")
    layout["yaxis2"] |= {"title": {"text": "example", "font": SMALL}}
    layout["xaxis2"] |= {"visible": False}  # shown on the frame that stacks them
    layout["xaxis3"] |= {"visible": False}
    return {"data": data, "layout": layout, **topic_extras("series")}


def _dtick(columns: int) -> int:
    """Whole-number ticks, about eight of them at most."""
    return max(1, -(-columns // 8))


def series_render(frame: Frame, inputs: TensorsScene, values: Sequence[float]) -> dict[str, Any]:
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
        data[3] = {"z": typed_grid(ins), "zmin": -limit, "zmax": limit, **numbers}
        data[4] = {"z": typed_grid(outs), "zmin": -limit, "zmax": limit, **numbers}
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
