"""The CNN lab's view: CNN Explainer's view of one test image through the network, and what training changes.

Top row: the input, then every module's output for the shown test image (each layer one heatmap of its channels
tiled; a vector as a column), then the softmax probabilities as bars. Bottom row: the first conv layer's
filters, a grid of test images with each one's predicted class (a ring on the wrong ones), the confusion matrix.
The loss and accuracy curves are the player's metrics timeline; the layer table is a panel. Trace order: input,
one per module, softmax bars, filters, test grid, grid labels, wrong rings, confusion.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import cnn_parts as parts
from app.views.keys import legend_entry, timeline, top_legend
from app.views.theme import INK, PALETTE, PAPER, base_layout

GRID_PER_ROW = 6
NET_Y = [0.56, 0.93]
LOW_Y = [0.0, 0.44]
NARROW_WIDTH = 560
NARROW_HEIGHT = 1150
TABLE_ROW_PX, TABLE_HEADER_PX = 22, 28  # the layer table's rows (Plotly table cells have fixed heights)


class LayerRowLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def output_shape(self) -> tuple[int, ...]: ...
    @property
    def params(self) -> int: ...


class CnnData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def test_pixels(self) -> np.ndarray:
        """(n_test, H, W, C) uint8."""
        ...

    @property
    def table(self) -> Sequence[LayerRowLike]: ...

    @property
    def class_names(self) -> tuple[str, ...]: ...

    @property
    def sample(self) -> int: ...


def _shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(s) for s in shape)


def _short(name: str) -> str:
    """A layer's name in short lines for a narrow column: "conv 8<br>3×3", "max pool<br>2×2", "output"."""
    if name.startswith("output"):
        return "output"
    return name.replace(" × ", "<br>").replace(" pool ", " pool<br>")


class CnnView:
    def _axes(self, inputs: CnnData) -> tuple[int, int, int, int, int]:
        """Axis numbers: first network column, filters, grid, confusion; and the number of network columns."""
        n_net = len(inputs.table) + 2  # input, every module, softmax bars
        return 1, n_net + 1, n_net + 2, n_net + 3, n_net

    def scene(self, inputs: CnnData, params: Any) -> dict[str, Any]:
        _, filters_ax, grid_ax, conf_ax, n_net = self._axes(inputs)
        classes = list(inputs.class_names)
        layout = base_layout(margin={"l": 8, "r": 8, "t": 34, "b": 8}, hovermode="closest")
        layout.pop("xaxis")
        layout.pop("yaxis")
        data: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        doms = parts.columns(n_net)
        sample = inputs.test_pixels[inputs.sample].astype(np.float64)  # (H, W, C)
        data.append(
            parts.heatmap(
                1, parts.PIXEL_SCALE, "input", z=parts.z_of(parts.picture(sample.transpose(2, 0, 1))), zmin=0, zmax=255
            )
        )
        layout |= parts.image_axes(doms[0], NET_Y, "x")
        notes.append(parts.label(f"input<br>{_shape_text(inputs.test_pixels.shape[1:])}", 1, size=10))
        for i, row in enumerate(inputs.table):
            axis = i + 2
            data.append(parts.heatmap(axis, parts.MAP_SCALE, row.name))
            layout |= parts.image_axes(doms[i + 1], NET_Y, f"x{axis}", square=len(row.output_shape) == 3)
            notes.append(parts.label(f"{_short(row.name)}<br>{_shape_text(row.output_shape)}", axis, size=10))
        bars = n_net
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "xaxis": f"x{bars}",
                "yaxis": f"y{bars}",
                "x": [0.0] * len(classes),
                "y": classes,
                "marker": {"color": PALETTE[0]},
                "name": "probability",
                "showlegend": False,
                "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
            }
        )
        small = {"size": 10}
        layout[f"xaxis{bars}"] = {
            "domain": doms[-1],
            "anchor": f"y{bars}",
            "range": [0, 1],
            "fixedrange": True,
            "tickformat": ".0%",
            "title": {"text": "probability", "font": small, "standoff": 2},
            "tickfont": small,
            "nticks": 3,
        }
        layout[f"yaxis{bars}"] = {
            "domain": NET_Y,
            "anchor": f"x{bars}",
            "autorange": "reversed",
            "fixedrange": True,
            "type": "category",
            "tickfont": small,
            "title": {"text": "class", "font": small, "standoff": 2},
        }
        notes.append(parts.label("softmax", bars, size=10))
        # -- bottom row: filters, test grid, confusion --------------------------------------------------------
        data.append(parts.heatmap(filters_ax, parts.WEIGHT_SCALE, "filter weight (blue +, orange −)", zmid=0))
        layout |= parts.image_axes([0.0, 0.22], LOW_Y, f"x{filters_ax}")
        notes.append(parts.label("first-layer filters", filters_ax))
        grid = inputs.test_pixels[:24, :, :, 0].astype(np.float64)  # (G, H, W): the first channel
        count = int(grid.shape[0])
        data.append(
            parts.heatmap(
                grid_ax,
                parts.PIXEL_SCALE,
                "test image",
                z=parts.z_of(parts.grid_tiles(grid, GRID_PER_ROW)),
                zmin=0,
                zmax=255,
                hoverinfo="skip",
                hovertemplate=None,
            )
        )
        layout |= parts.image_axes([0.27, 0.63], LOW_Y, f"x{grid_ax}")
        notes.append(parts.label("test images (ring: wrong)", grid_ax))
        side = int(grid.shape[1])
        xs, ys = parts.grid_positions(count, GRID_PER_ROW, side)
        corner = [x + side / 2 - 0.2 for x in xs], [y - side / 2 + 0.6 for y in ys]
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "xaxis": f"x{grid_ax}",
                "yaxis": f"y{grid_ax}",
                "x": corner[0],
                "y": corner[1],
                "text": [""] * count,
                "textposition": "bottom left",
                "textfont": {"size": 12, "color": PALETTE[0]},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "predicted",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "xaxis": f"x{grid_ax}",
                "yaxis": f"y{grid_ax}",
                "x": [],
                "y": [],
                "marker": {"symbol": "square-open", "size": 30, "color": parts.WRONG, "line": {"width": 3}},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "wrong",
            }
        )
        data.append(
            {
                "type": "heatmap",
                "xaxis": f"x{conf_ax}",
                "yaxis": f"y{conf_ax}",
                "z": [],
                "x": classes,
                "y": classes,
                "colorscale": [[0, PAPER], [1, PALETTE[0]]],
                "showscale": False,
                "zmin": 0,
                "texttemplate": "%{z}",
                "textfont": {"size": 10},
                "xgap": 1,
                "ygap": 1,
                "hovertemplate": "true %{y}, predicted %{x}: %{z}<extra></extra>",
                "name": "confusion",
            }
        )
        layout[f"xaxis{conf_ax}"] = {
            "domain": [0.7, 1.0],
            "anchor": f"y{conf_ax}",
            "type": "category",
            "title": {"text": "predicted", "font": small, "standoff": 2},
            "tickfont": small,
            "fixedrange": True,
            "side": "bottom",
        }
        layout[f"yaxis{conf_ax}"] = {
            "domain": [0.06, 0.4],
            "anchor": f"x{conf_ax}",
            "type": "category",
            "autorange": "reversed",
            "title": {"text": "true", "font": small, "standoff": 2},
            "tickfont": small,
            "fixedrange": True,
        }
        notes.append(parts.label("confusion (test images)", conf_ax))
        data += [
            legend_entry("wrong prediction", colour=parts.WRONG, symbol="square-open", size=12),
            legend_entry("probability (softmax)", colour=PALETTE[0], symbol="square", size=12),
        ]
        layout["annotations"] = notes
        layout["showlegend"] = True
        layout["legend"] = top_legend(x=1.0, xanchor="right", y=1.0, yanchor="bottom")
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("epoch", "epoch"),
            "x-interactions": [{"kind": "draw-digit"}],
            "x-narrow": self._narrow(inputs)
            | {
                "layout": self._narrow(inputs)["layout"]
                | {"annotations": [{**n, "font": {**n["font"], "size": 8}} for n in notes]}
            },
        }

    def _narrow(self, inputs: CnnData) -> dict[str, Any]:
        """A phone: the network in rows of four columns on top, then filters, grid and confusion stacked."""
        _, filters_ax, grid_ax, conf_ax, n_net = self._axes(inputs)
        per_row = 4
        rows = math.ceil(n_net / per_row)
        top, bottom = 1.0 - 0.03, 0.55
        height = (top - bottom) / rows
        layout: dict[str, Any] = {}
        doms = parts.columns(per_row, gap=0.04)
        for i in range(n_net):
            r, q = divmod(i, per_row)
            suffix = "" if i == 0 else str(i + 1)
            y = [round(top - (r + 1) * height + 0.025, 4), round(top - r * height - 0.01, 4)]
            layout[f"xaxis{suffix}"] = {"domain": doms[q]}
            layout[f"yaxis{suffix}"] = {"domain": y}
        layout[f"xaxis{filters_ax}"] = {"domain": [0.0, 0.45]}
        layout[f"yaxis{filters_ax}"] = {"domain": [0.38, 0.52]}
        layout[f"xaxis{grid_ax}"] = {"domain": [0.5, 1.0]}
        layout[f"yaxis{grid_ax}"] = {"domain": [0.38, 0.52]}
        layout[f"xaxis{conf_ax}"] = {"domain": [0.1, 1.0]}
        layout[f"yaxis{conf_ax}"] = {"domain": [0.03, 0.33]}
        return {"width": NARROW_WIDTH, "height": NARROW_HEIGHT, "layout": layout}

    def render(self, frame: Frame, inputs: CnnData, params: Any) -> dict[str, Any]:
        state = frame.state
        data: list[dict[str, Any]] = [{}]  # the input is the scene's
        for entry in state["maps"]:
            values = parts.decoded(entry)
            data.append({"z": parts.z_of(parts.picture(values)), "zmin": entry["min"], "zmax": entry["max"]})
        data.append({"x": [round(float(p), 4) for p in state["probabilities"]]})
        filters = state.get("filters")
        if filters is None:
            data.append({})
        else:
            weights = parts.decoded(filters)  # (F, C, k, k)
            first = weights[:, 0]  # (F, k, k): the first input channel of each kernel
            bound = max(abs(float(filters["min"])), abs(float(filters["max"])), 1e-12)
            data.append({"z": parts.z_of(parts.tiles(first)), "zmin": -bound, "zmax": bound})
        data.append({})  # the test grid's pixels are the scene's
        classes = inputs.class_names
        predicted = state["grid_predicted"]
        wrong = set(state["grid_wrong"])
        data.append(
            {
                "text": [classes[p] for p in predicted],
                "textfont": {"color": [parts.WRONG if i in wrong else PALETTE[0] for i in range(len(predicted))]},
            }
        )
        count = len(predicted)
        side = int(inputs.test_pixels.shape[1])
        xs, ys = parts.grid_positions(count, GRID_PER_ROW, side)
        data.append({"x": [xs[i] for i in sorted(wrong)], "y": [ys[i] for i in sorted(wrong)]})
        data.append({"z": state["confusion"]})
        sure = max(state["probabilities"])
        read = classes[int(state["predicted"])]
        note = f"test image #{state['sample']}: true {classes[int(state['sample_label'])]}, read as {read} ({sure:.0%})"
        title = {"text": note, "font": {"size": 12, "color": INK}, "x": 0.01, "xanchor": "left", "y": 0.995}
        return {"data": data, "layout": {"title": title}}

    def panels(self, result: Mapping[str, Any], inputs: CnnData, params: Any) -> list[dict[str, Any]]:
        rows = result.get("layers") or []
        if not rows:
            return []
        cells = [
            [str(r["name"]) for r in rows] + ["total"],
            [" × ".join(str(s) for s in r["output_shape"]) for r in rows] + [""],
            [f"{int(r['params']):,}" for r in rows] + [f"{int(result.get('parameters', 0)):,}"],
        ]
        table = {
            "type": "table",
            "columnwidth": [1.4, 1, 1.1],  # the layer names are the longest: no wrapping on a phone
            "header": {
                "values": ["layer", "output", "parameters"],
                "fill": {"color": PAPER},
                "font": {"color": INK, "size": 13},
                "align": "left",
                "height": TABLE_HEADER_PX,
            },
            "cells": {
                "values": cells,
                "align": "left",
                "font": {"color": INK, "size": 12},
                "fill": {"color": PAPER},
                "height": TABLE_ROW_PX,
            },
        }
        # The panel's height is the table's: header, one row per layer and the total, the margins (panels.js).
        height = TABLE_HEADER_PX + TABLE_ROW_PX * (len(rows) + 2) + 16  # + a row of room for one that wraps
        layout = base_layout(margin={"l": 8, "r": 8, "t": 8, "b": 8}, height=height)
        return [
            {
                "id": "layer-table",
                "title": "Layers: output shapes and parameter counts",
                "figure": {"data": [table], "layout": layout},
            }
        ]
