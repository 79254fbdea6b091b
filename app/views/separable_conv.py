"""The separable-convolution lab's view: the explainer's maps and weights on top, the costs, the cost ratio sweep,
both classifiers' test accuracy and their accuracy against parameters below.

Top row: the stage's maps (the photo's channels, the depthwise maps, the pointwise maps, the standard conv's maps:
each a heatmap of channels tiled) and its weights (the depthwise kernels, the pointwise mix matrix, the standard
filters as a C_out × C_in grid of k×k tiles). The scene shows the finished explainer (the standard conv's maps and
the mix); each frame patches its stage in. Bottom row: the cost bars (log scale: parameters and multiply-adds of
both), the sweep's ratio lines 1/C_out + 1/k² per k with torch's counted ratios as markers, the two test-accuracy
curves, and accuracy against parameters. Trace order: see ``TRACES``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import cnn_parts as parts
from app.views.keys import legend_entry, timeline, top_legend
from app.views.theme import INK, PALETTE, PAPER, base_layout

STANDARD, SEPARABLE = PALETTE[5], PALETTE[0]
K_COLOURS = (PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4])
ORDER = ("input", "depthwise", "pointwise", "standard", "cost", "sweep", "epoch", "done")
TOP_Y, LOW_Y = [0.56, 0.93], [0.09, 0.42]
LOW_X = ([0.05, 0.22], [0.3, 0.49], [0.57, 0.76], [0.84, 1.0])
N_SWEEP = 4
# Trace indices.
MAPS, WEIGHTS, BAR_STD, BAR_SEP = 0, 1, 2, 3
SWEEP0 = 4
COUNTED, HERE = SWEEP0 + N_SWEEP, SWEEP0 + N_SWEEP + 1
ACC_STD, ACC_SEP, PTS_STD, PTS_SEP = HERE + 1, HERE + 2, HERE + 3, HERE + 4
NARROW_WIDTH, NARROW_HEIGHT = 560, 1250
SMALL = {"size": 10}


class ExplainedLike(Protocol):
    """The explainer's stages (``separable_explain.Explained``)."""

    @property
    def pointwise(self) -> np.ndarray:
        """(C_out, H_out, W_out)."""
        ...

    @property
    def kernels(self) -> np.ndarray:
        """(C_in, 1, k, k)."""
        ...

    @property
    def mix(self) -> np.ndarray:
        """(C_out, C_in)."""
        ...


class SeparableData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def photo(self) -> np.ndarray: ...

    @property
    def explained(self) -> ExplainedLike: ...

    @property
    def sweep_kernels(self) -> tuple[int, ...]: ...

    @property
    def sweep_outputs(self) -> tuple[int, ...]: ...


def filter_grid(filters: np.ndarray) -> np.ndarray:
    """(C_out, C_in, k, k) → one picture: row o, column c holds W[o, c] (NaN gaps between tiles)."""
    c_out, c_in, k, _ = filters.shape
    out = np.full((c_out * (k + 1) - 1, c_in * (k + 1) - 1), np.nan)
    for o in range(c_out):
        for c in range(c_in):
            out[o * (k + 1) : o * (k + 1) + k, c * (k + 1) : c * (k + 1) + k] = filters[o, c]
    return out


def formula_costs(k: int, c_in: int, c_out: int, pixels: int) -> tuple[list[float], list[float]]:
    """(standard, separable) [parameters, multiply-adds] by formula, no bias."""
    standard = k * k * c_in * c_out
    separable = k * k * c_in + c_in * c_out
    return [float(standard), float(standard * pixels)], [float(separable), float(separable * pixels)]


def _weights_patch(z: np.ndarray, *, text: bool = False) -> dict[str, Any]:
    bound = max(float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 0.0, 1e-12)
    return {"z": parts.z_of(z), "zmin": -bound, "zmax": bound, "texttemplate": "%{z:.2f}" if text else ""}


def _maps_patch(entry: Mapping[str, Any], *, pixels: bool = False) -> dict[str, Any]:
    values = parts.decoded(entry)  # (C, H_out, W_out)
    if pixels:
        return {"z": parts.z_of(parts.tiles(values)), "zmin": 0, "zmax": 1, "colorscale": parts.PIXEL_SCALE}
    bound = max(abs(float(entry["min"])), abs(float(entry["max"])), 1e-12)
    return {"z": parts.z_of(parts.tiles(values)), "zmin": -bound, "zmax": bound, "colorscale": parts.WEIGHT_SCALE}


def _plot_axes(axis: int, x: list[float], y: list[float], x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    xa = {"domain": x, "anchor": f"y{axis}", "fixedrange": True, "tickfont": SMALL}
    ya = {"domain": y, "anchor": f"x{axis}", "fixedrange": True, "tickfont": SMALL}
    xa["title"] = {"text": x_title, "font": SMALL, "standoff": 2}
    ya["title"] = {"text": y_title, "font": SMALL, "standoff": 2}
    for key, value in extra.items():
        (xa if key.startswith("x_") else ya)[key[2:]] = value
    return {f"xaxis{axis}": xa, f"yaxis{axis}": ya}


def _line(axis: int, name: str, colour: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "x": [],
        "y": [],
        "name": name,
        "showlegend": False,
        "line": {"color": colour, "width": 2},
        "marker": {"color": colour, "size": 6},
        **extra,
    }


TOP_TITLES = {
    "input": ("the photo's channels (red, green, blue)", "depthwise kernels (one per channel)"),
    "depthwise": ("depthwise maps, channel by channel", "depthwise kernels (one per channel)"),
    "pointwise": (
        "pointwise maps: weighted sums of the depthwise maps",
        "pointwise weights (row: output)",
    ),
    "standard": ("the standard conv's maps (the same)", "standard filters W[o, c] (row o)"),
}
FINAL_TITLES = ("the C_out maps (standard = separable)", "pointwise weights (row: output)")


def _notes(top: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        parts.label(top[0], 1),
        parts.label(top[1], 2),
        parts.label("cost (log scale)", 3),
        parts.label("separable / standard multiply-adds", 4),
        parts.label("test accuracy (digits)", 5),
        parts.label("accuracy vs parameters", 6),
    ]


class SeparableConvView:
    def scene(self, inputs: SeparableData, params: Any) -> dict[str, Any]:
        ex = inputs.explained
        c_out, c_in = ex.mix.shape
        k = int(ex.kernels.shape[-1])
        layout = base_layout(margin={"l": 8, "r": 8, "t": 40, "b": 8}, hovermode="closest")
        layout.pop("xaxis")
        layout.pop("yaxis")
        bound = max(float(np.abs(ex.pointwise).max()), 1e-12)
        data: list[dict[str, Any]] = [
            parts.heatmap(
                1,
                parts.WEIGHT_SCALE,
                "map value",
                z=parts.z_of(parts.tiles(ex.pointwise)),
                zmin=-bound,
                zmax=bound,
            ),
            parts.heatmap(2, parts.WEIGHT_SCALE, "weight", **_weights_patch(ex.mix.astype(np.float64), text=True)),
        ]
        layout |= parts.image_axes([0.0, 0.6], TOP_Y, "x")
        layout |= parts.image_axes([0.68, 1.0], TOP_Y, "x2")
        pixels = int(ex.pointwise.shape[1] * ex.pointwise.shape[2])
        std, sep = formula_costs(k, c_in, c_out, pixels)
        cats = ["params", "mult-adds"]
        for name, colour, values in (("standard", STANDARD, std), ("separable", SEPARABLE, sep)):
            data.append(
                {
                    "type": "bar",
                    "xaxis": "x3",
                    "yaxis": "y3",
                    "x": cats,
                    "y": values,
                    "name": name,
                    "marker": {"color": colour},
                    "showlegend": False,
                    "texttemplate": "%{y:,.0f}",
                    "textposition": "outside",
                    "textfont": {"size": 9},
                    "hovertemplate": name + " %{x}: %{y:,.0f}<extra></extra>",
                }
            )
        layout |= _plot_axes(
            3, LOW_X[0], LOW_Y, "cost", "count", y_type="log", x_type="category", y_exponentformat="SI", y_dtick=1
        )
        layout["barmode"] = "group"
        outs = [float(c) for c in inputs.sweep_outputs]
        for i, kk in enumerate(inputs.sweep_kernels):
            ratio = [1 / c + 1 / kk**2 for c in outs]
            data.append(
                _line(
                    4,
                    f"k = {kk}",
                    K_COLOURS[i % len(K_COLOURS)],
                    mode="lines+text",
                    x=outs,
                    y=ratio,
                    text=[""] * (len(outs) - 1) + [f"k={kk}"],
                    textposition="top left",
                    textfont={"size": 9, "color": K_COLOURS[i % len(K_COLOURS)]},
                    hovertemplate=f"k = {kk}, C_out = %{{x}}: 1/C_out + 1/k² = %{{y:.4f}}<extra></extra>",
                )
            )
        data.append(_line(4, "counted by torch", INK, mode="markers", marker={"color": INK, "size": 5, "symbol": "x"}))
        data.append(
            _line(
                4,
                "these settings",
                SEPARABLE,
                mode="markers",
                x=[float(c_out)],
                y=[1 / c_out + 1 / k**2],
                marker={"color": PAPER, "size": 11, "symbol": "circle-open", "line": {"color": SEPARABLE, "width": 3}},
                hovertemplate="k = " + str(k) + ", C_out = %{x}: %{y:.4f}<extra>these settings</extra>",
            )
        )
        layout |= _plot_axes(
            4,
            LOW_X[1],
            LOW_Y,
            "C_out",
            "ratio",
            x_type="log",
            y_type="log",
            x_tickvals=[1, 4, 16, 64],
            y_tickvals=[0.05, 0.1, 0.2, 0.5, 1, 2],
        )
        data.append(_line(5, "standard", STANDARD, hovertemplate="epoch %{x}: %{y:.1%}<extra>standard</extra>"))
        data.append(_line(5, "separable", SEPARABLE, hovertemplate="epoch %{x}: %{y:.1%}<extra>separable</extra>"))
        layout |= _plot_axes(5, LOW_X[2], LOW_Y, "epoch", "test accuracy", y_tickformat=".0%")
        for name, colour in (("standard", STANDARD), ("separable", SEPARABLE)):
            data.append(
                _line(
                    6,
                    name,
                    colour,
                    mode="markers+text",
                    marker={"color": colour, "size": 12},
                    textposition="top center",
                    textfont={"size": 9, "color": colour},
                    hovertemplate="%{x:,} parameters: %{y:.1%}<extra>" + name + "</extra>",
                )
            )
        layout |= _plot_axes(
            6, LOW_X[3], LOW_Y, "parameters", "test accuracy", y_tickformat=".1%", x_rangemode="tozero"
        )
        data += [
            legend_entry("standard conv", colour=STANDARD, symbol="square", size=12),
            legend_entry("separable conv", colour=SEPARABLE, symbol="square", size=12),
            legend_entry("counted by torch", colour=INK, symbol="x", size=9),
            legend_entry("these settings", colour=SEPARABLE, symbol="circle-open", size=11),
        ]
        layout["annotations"] = _notes(FINAL_TITLES)
        layout["showlegend"] = True
        layout["legend"] = top_legend(x=1.0, xanchor="right", y=1.0, yanchor="bottom")
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline(None, "frame"),
            "x-narrow": self._narrow(),
        }

    def _narrow(self) -> dict[str, Any]:
        """A phone: maps, weights, then the four charts two by two."""
        doms = {
            1: ([0.0, 1.0], [0.72, 0.96]),
            2: ([0.15, 0.85], [0.5, 0.66]),
            3: ([0.1, 0.45], [0.28, 0.43]),
            4: ([0.64, 1.0], [0.28, 0.43]),
            5: ([0.1, 0.45], [0.04, 0.19]),
            6: ([0.64, 1.0], [0.04, 0.19]),
        }
        layout: dict[str, Any] = {}
        for axis, (x, y) in doms.items():
            suffix = parts.suffix(axis)
            layout[f"xaxis{suffix}"] = {"domain": x}
            layout[f"yaxis{suffix}"] = {"domain": y}
        notes = [{**n, "font": {**n["font"], "size": 9}} for n in _notes(FINAL_TITLES)]
        return {"width": NARROW_WIDTH, "height": NARROW_HEIGHT, "layout": layout | {"annotations": notes}}

    def render(self, frame: Frame, inputs: SeparableData, params: Any) -> dict[str, Any]:
        state = frame.state
        kind = frame.kind
        rank = ORDER.index(kind) if kind in ORDER else len(ORDER)
        data: list[dict[str, Any]] = [{} for _ in range(PTS_SEP + 1)]
        ex = inputs.explained
        if kind == "input":
            data[MAPS] = _maps_patch(state["channels"], pixels=True)
            data[WEIGHTS] = _weights_patch(parts.tiles(ex.kernels[:, 0].astype(np.float64)))
        elif kind == "depthwise":
            data[MAPS] = _maps_patch(state["maps"])
            c = int(state["channel"])
            data[WEIGHTS] = _weights_patch(parts.tiles(ex.kernels[: c + 1, 0].astype(np.float64)))
        elif kind == "pointwise":
            data[MAPS] = _maps_patch(state["maps"])
            data[WEIGHTS] = _weights_patch(np.asarray(state["mix"], dtype=np.float64), text=True)
        elif kind == "standard":
            data[MAPS] = _maps_patch(state["maps"])
            data[WEIGHTS] = _weights_patch(filter_grid(parts.decoded(state["filters"])))
        if rank < ORDER.index("cost"):
            data[BAR_STD] = data[BAR_SEP] = {"y": []}
        elif kind == "cost":
            for index, name in ((BAR_STD, "standard"), (BAR_SEP, "separable")):
                cost = state[name]
                data[index] = {"y": [float(cost["params_measured"]), float(cost["macs_measured"])]}
        if rank < ORDER.index("sweep"):
            for i in range(N_SWEEP):
                data[SWEEP0 + i] = {"x": [], "y": []}
            data[HERE] = {"x": [], "y": []}
        elif kind == "sweep":
            xs = [float(c) for c in state["c_outs"]]
            points = [(x, y) for row in state["ratio_measured"] for x, y in zip(xs, row, strict=True)]
            data[COUNTED] = {"x": [p[0] for p in points], "y": [p[1] for p in points]}
        if "history" in state:
            history = state["history"]
            data[ACC_STD] = {"x": history["epoch"], "y": history["standard"]}
            data[ACC_SEP] = {"x": history["epoch"], "y": history["separable"]}
            for index, name in ((PTS_STD, "standard"), (PTS_SEP, "separable")):
                model = state[name]
                data[index] = {
                    "x": [float(model["parameters"])],
                    "y": [float(model["test_accuracy"])],
                    "text": [f"{int(model['parameters']):,}"],
                }
            most = max(float(state[name]["parameters"]) for name in ("standard", "separable"))
            accs = [float(state[name]["test_accuracy"]) for name in ("standard", "separable")]
            pad = max(0.01, (max(accs) - min(accs)) * 0.4)
            axes = {"xaxis6": {"range": [0, most * 1.25]}, "yaxis6": {"range": [min(accs) - pad, max(accs) + pad]}}
        top = TOP_TITLES.get(kind, FINAL_TITLES)
        title = {"text": _title(frame), "font": {"size": 12, "color": INK}, "x": 0.01, "xanchor": "left", "y": 0.995}
        layout: dict[str, Any] = {"title": title, "annotations": _notes(top)}
        if "history" in state:
            layout |= axes
        return {"data": data, "layout": layout}

    def panels(self, result: Mapping[str, Any], inputs: SeparableData, params: Any) -> list[dict[str, Any]]:
        if "standard" not in result:
            return []
        rows: list[list[str]] = [[], [], []]
        for name in ("standard", "separable"):
            model = result[name]
            for row in model["layers"]:
                rows[0].append(name)
                rows[1].append(str(row["name"]))
                rows[2].append(f"{int(row['params']):,}")
            rows[0].append(name)
            rows[1].append(f"total (test accuracy {float(model['test_accuracy']):.1%})")
            rows[2].append(f"{int(model['parameters']):,}")
        table = _table(["network", "layer", "parameters"], rows)
        height = 28 + 22 * (len(rows[0]) + 1) + 16
        layout = base_layout(margin={"l": 8, "r": 8, "t": 8, "b": 8}, height=height)
        return [
            {
                "id": "separable-parameters",
                "title": "Parameters layer by layer: the standard CNN and its separable twin",
                "figure": {"data": [table], "layout": layout},
            }
        ]


def _title(frame: Frame) -> str:
    state = frame.state
    if frame.kind == "depthwise":
        return f"depthwise: channel {int(state['channel']) + 1} of {state['c_in']}"
    if frame.kind == "pointwise":
        return f"pointwise: output {int(state['output']) + 1} of {state['c_out']}"
    if frame.kind in ("epoch", "done"):
        return f"training: epoch {state['epoch']}"
    return frame.kind


def _table(header: Sequence[str], cells: list[list[str]]) -> dict[str, Any]:
    return {
        "type": "table",
        "columnwidth": [0.8, 1.6, 0.8],
        "header": {
            "values": list(header),
            "fill": {"color": PAPER},
            "font": {"color": INK, "size": 13},
            "align": "left",
            "height": 28,
        },
        "cells": {"values": cells, "align": "left", "font": {"color": INK, "size": 12}, "fill": {"color": PAPER}},
    }
