"""The convolution lab's figure: five panels side by side, updated frame by frame.

1. the input (greyscale heatmap, or the colour picture) with its padding drawn as a border of zeros, the
   image's own edge dashed and the kernel's current window (a row frame: the band of windows along the row) as a
   rectangle;
2. the kernel's numbers (an annotated heatmap, channel 1's slice);
3. window × kernel, element by element (summed over channels), with their sum in the title; on a pooling frame
   the pooling window's values and their max or mean instead;
4. the output map filling in (NaN: not computed yet; its shape in the title), then after ReLU, then with the
   pooling window marked;
5. the pooled map filling in.

Every number comes from the frame (``visual`` for the picture-only arrays); this module only places them. On a
phone (``x-narrow``) the panels stack: input and output on top, kernel, products and pooled map below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.keys import colour_bar, legend_entry, timeline, top_legend
from app.views.theme import MUTED, PALETTE, base_layout, typed

INPUT, KERNEL, PRODUCTS, FEATURE, POOLED = range(5)
"""Trace (and axis: trace i draws on x{i+1}/y{i+1}) indices."""
DOMAINS = {
    INPUT: ((0.0, 0.44), (0.38, 1.0)),
    FEATURE: ((0.54, 0.9), (0.38, 1.0)),
    KERNEL: ((0.0, 0.26), (0.0, 0.28)),
    PRODUCTS: ((0.37, 0.63), (0.0, 0.28)),
    POOLED: ((0.74, 1.0), (0.0, 0.28)),
}
"""(x domain, y domain) of each panel: the input and the output map large on top; kernel, products, pooled below."""
NARROW_WIDTH = 560
"""Plots narrower than this (a phone) take the scene's ``x-narrow``: smaller titles, no colour bar."""
NARROW_HEIGHT = 760
NARROW_DOMAINS = {
    INPUT: ((0.0, 1.0), (0.66, 1.0)),
    FEATURE: ((0.0, 0.6), (0.33, 0.6)),
    POOLED: ((0.7, 1.0), (0.33, 0.6)),
    KERNEL: ((0.0, 0.4), (0.0, 0.24)),
    PRODUCTS: ((0.52, 1.0), (0.0, 0.24)),
}
"""A phone's panels, three rows: the input the plot's width; the output map and the pooled map; the kernel and
window × kernel (two to a row, so their titles have room at a phone's width)."""
GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]  # brightness 0 → black, 255 → white (a photo's own scale)
DIVERGING = "RdBu"
"""Output values: negative red, zero white, positive blue (zmid 0), one fixed scale per run."""
WINDOW_COLOUR = PALETTE[1]
ROW_COLOUR = PALETTE[2]
SMALL = {"size": 11}


class ConvScene(Protocol):
    """What the view reads of the lab's setup."""

    @property
    def image(self) -> np.ndarray:
        """(C, H, W) float64 brightness 0–255."""
        ...

    @property
    def padded(self) -> np.ndarray:
        """(C, H + top + bottom, W + left + right): the image with its zeros."""
        ...

    @property
    def kernel(self) -> np.ndarray:
        """(C, k, k)."""
        ...

    @property
    def offset(self) -> tuple[int, int]:
        """(top, left): the zeros above and left of the image in ``padded``."""
        ...

    @property
    def kernel_name(self) -> str: ...

    @property
    def dilation(self) -> int:
        """Spacing of the kernel's taps (1: adjacent)."""
        ...

    @property
    def channel_names(self) -> tuple[str, ...]: ...

    @property
    def pooling(self) -> str: ...

    @property
    def activation(self) -> str: ...


def _grid(values: np.ndarray) -> dict[str, Any]:
    """A 2-D array as a Plotly typed ``z`` with its shape."""
    rows, cols = values.shape
    return {**typed(values, "f4"), "shape": f"{rows},{cols}"}


def _axes(i: int, domain: tuple[float, float], y_domain: tuple[float, float], ticks: bool) -> dict[str, Any]:
    """x{i+1}/y{i+1}: a picture's axes (row 0 on top, square pixels)."""
    n = i + 1
    suffix = "" if n == 1 else str(n)  # plotly names the first axes x and y, not x1 and y1
    x: dict[str, Any] = {
        "domain": list(domain),
        "anchor": f"y{suffix}",
        "side": "top",
        "showgrid": False,
        "zeroline": False,
        "constrain": "domain",
        "fixedrange": True,
        "showticklabels": ticks,
        "ticks": "",
        "tickfont": {"size": 9},
        "title": {"text": "", "font": SMALL, "standoff": 4},
    }
    y: dict[str, Any] = {
        "domain": list(y_domain),
        "anchor": f"x{suffix}",
        "autorange": False,
        "scaleanchor": f"x{suffix}",
        "scaleratio": 1,
        "constrain": "domain",
        "showgrid": False,
        "ticks": "",
        "zeroline": False,
        "fixedrange": True,
        "showticklabels": ticks,
        "tickfont": {"size": 9},
        "visible": ticks,  # a small panel's rows need no axis (its title is on the x axis above it)
    }
    return {f"xaxis{suffix}": x, f"yaxis{suffix}": y}


def _ranges(rows: int, cols: int) -> tuple[list[float], list[float]]:
    """(x range, y range) spanning exactly rows × cols cells, row 0 on top (fixed: no autorange pass)."""
    return [-0.5, cols - 0.5], [rows - 0.5, -0.5]


def _axis(
    layout: dict[str, Any], i: int, ranges: tuple[list[float], list[float]] | dict[str, Any], title: str | None
) -> None:
    """Set panel i's axis ranges and/or title in ``layout`` (a frame's patch or the scene's layout), in place."""
    suffix = "" if i == 0 else str(i + 1)
    x = layout.setdefault(f"xaxis{suffix}", {})
    y = layout.setdefault(f"yaxis{suffix}", {})
    if isinstance(ranges, tuple):
        x["range"], y["range"] = ranges
    if title is not None:
        x["title"] = {**x.get("title", {}), "text": title}


def _heatmap(i: int, name: str, **extra: Any) -> dict[str, Any]:
    n = i + 1
    return {
        "type": "heatmap",
        "name": name,
        "x0": 0,
        "y0": 0,
        "xaxis": "x" if n == 1 else f"x{n}",
        "yaxis": "y" if n == 1 else f"y{n}",
        "showscale": False,
        "hoverongaps": False,
        "xgap": 0,
        **extra,
    }


def _numbers(size: int) -> dict[str, Any]:
    """Cell numbers on a small heatmap, smaller as the grid grows (7 × 7 still fits)."""
    return {"texttemplate": "%{z:.3~g}", "textfont": {"size": 12 if size <= 3 else 9 if size <= 5 else 7}}


def _taps(box: list[int], k: int, dilation: int) -> list[dict[str, Any]]:
    """The k × k pixels a dilated window at ``box`` multiplies (every ``dilation``-th from its corner), each a
    small filled square on the input."""
    top, left = box[0], box[1]
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": left + j * dilation - 0.3,
            "x1": left + j * dilation + 0.3,
            "y0": top + i * dilation - 0.3,
            "y1": top + i * dilation + 0.3,
            "line": {"width": 0},
            "fillcolor": WINDOW_COLOUR,
            "opacity": 0.8,
        }
        for i in range(k)
        for j in range(k)
    ]


def _rect(axis: int, box: list[int], colour: str, dash: str = "solid", width: float = 2.5) -> dict[str, Any]:
    """A rectangle around cells rows box[0]..box[2]−1, columns box[1]..box[3]−1 of panel ``axis``."""
    n = "" if axis == 0 else str(axis + 1)
    top, left, bottom, right = box
    return {
        "type": "rect",
        "xref": f"x{n}",
        "yref": f"y{n}",
        "x0": left - 0.5,
        "x1": right - 0.5,
        "y0": top - 0.5,
        "y1": bottom - 0.5,
        "line": {"color": colour, "width": width, "dash": dash},
        "fillcolor": "rgba(0,0,0,0)",
    }


class ConvolutionView:
    def scene(self, inputs: ConvScene, params: Any) -> dict[str, Any]:
        padded = inputs.padded  # (C, Hp, Wp)
        kernel = inputs.kernel[0]  # (k, k): channel 1's slice (a preset is the same on every channel)
        k = kernel.shape[0]
        if padded.shape[0] == 3:
            picture = np.clip(np.rint(padded), 0, 255).astype(np.uint8).transpose(1, 2, 0)  # (Hp, Wp, 3) for image
            first: dict[str, Any] = {
                "type": "image",
                "name": "input",
                "z": picture.tolist(),
                "xaxis": "x",
                "yaxis": "y",
                "hovertemplate": "row %{y}, column %{x}: %{z}<extra></extra>",
            }
        else:
            first = _heatmap(
                INPUT,
                "input",
                z=_grid(padded[0]),
                colorscale=GREYS,
                zmin=0,
                zmax=255,
                hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra>padded input</extra>",
            )
        limit = float(np.abs(kernel).max()) or 1.0
        diverging = {"colorscale": DIVERGING, "zmid": 0, "reversescale": False}
        data = [
            first,
            _heatmap(
                KERNEL,
                "kernel",
                z=_grid(kernel),
                zmin=-limit,
                zmax=limit,
                hovertemplate="weight %{z:.4g}<extra>kernel</extra>",
                **diverging,
                **_numbers(k),
            ),
            _heatmap(PRODUCTS, "products", z=[], hovertemplate="%{z:.4g}<extra></extra>", **diverging, **_numbers(k)),
            _heatmap(
                FEATURE,
                "output map",
                z=[],
                hovertemplate="row %{y}, column %{x}: %{z:.4g}<extra>output</extra>",
                showscale=True,
                colorbar=colour_bar("output value", x=0.92, y=0.69, len=0.6, tickfont={"size": 9}),
                **diverging,
            ),
            _heatmap(POOLED, "pooled map", z=[], hovertemplate="%{z:.4g}<extra>pooled</extra>", **diverging),
        ]
        data += [
            legend_entry("kernel window", colour=WINDOW_COLOUR, dash="solid"),
            legend_entry("rows just filled", colour=ROW_COLOUR, dash="solid"),
            legend_entry("the image's edge (zeros outside)", colour=MUTED, dash="dot")
            | {"visible": padded.shape[1:] != inputs.image.shape[1:]},  # only where there is padding
        ]
        layout = base_layout(
            margin={"l": 40, "r": 8, "t": 40, "b": 8},
            hovermode="closest",
            showlegend=True,
            legend=top_legend(y=-0.02, yanchor="top"),
        )
        del layout["xaxis"], layout["yaxis"]
        for i, (x_domain, y_domain) in DOMAINS.items():
            layout |= _axes(i, x_domain, y_domain, ticks=i in (INPUT, FEATURE))
        layout["yaxis"]["title"] = layout["yaxis4"]["title"] = {"text": "row", "font": SMALL, "standoff": 2}
        c, h, w = inputs.image.shape
        kernel_title = f"{inputs.kernel_name} kernel {k}×{k}"
        if c > 1 and not np.allclose(inputs.kernel, inputs.kernel[:1]):
            kernel_title += f" (the {inputs.channel_names[0]} slice)"
        hp, wp = padded.shape[1:]
        _axis(layout, INPUT, _ranges(hp, wp), f"input ({c}, {h}, {w})")
        _axis(layout, KERNEL, _ranges(k, k), kernel_title)
        _axis(layout, PRODUCTS, _ranges(k, k), "window × kernel")
        _axis(layout, FEATURE, _ranges(1, 1), "output map")
        _axis(layout, POOLED, _ranges(1, 1), "pooled" if inputs.pooling != "none" else "no pooling")
        narrow_layout: dict[str, Any] = {}
        for i, (x_domain, y_domain) in NARROW_DOMAINS.items():
            suffix = "" if i == 0 else str(i + 1)
            narrow_layout[f"xaxis{suffix}"] = {"domain": list(x_domain), "title": {"font": {"size": 10}}}
            narrow_layout[f"yaxis{suffix}"] = {"domain": list(y_domain)}
        narrow_layout["legend"] = {"font": {"size": 10}}
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline(None, "step"),
            "x-phases": {
                "tensor": "The tensor",
                "padding": "Padding and size",
                "slide": "The kernel slides",
                **({"activation": "ReLU"} if inputs.activation == "relu" else {}),
                **({"pool": "Pooling"} if inputs.pooling != "none" else {}),
            },
            "x-narrow": {
                "width": NARROW_WIDTH,
                "height": NARROW_HEIGHT,
                "layout": narrow_layout,
                "data": {str(FEATURE): {"showscale": False}},
            },
        }

    def render(self, frame: Frame, inputs: ConvScene, params: Any) -> dict[str, Any]:
        visual, state = frame.visual, frame.state
        data: list[dict[str, Any]] = [{}, {}, {"z": []}, {"z": []}, {"z": []}]
        layout: dict[str, Any] = {}
        c, h, w = inputs.image.shape
        hp, wp = inputs.padded.shape[1:]
        shapes: list[dict[str, Any]] = []
        scale = float(visual.get("scale", 1.0))
        if "output" in visual:
            rows, cols = visual["output"].shape
            data[FEATURE] = {"z": _grid(visual["output"]), "zmin": -scale, "zmax": scale}
            after = " after ReLU" if frame.kind == "activation" else ""
            _axis(layout, FEATURE, _ranges(rows, cols), f"output {rows}×{cols}{after}")
        top, left = inputs.offset
        if (hp, wp) != (h, w):  # the image's own edge: the zeros are outside it (drawn on every frame)
            shapes.append(_rect(INPUT, [top, left, top + h, left + w], MUTED, dash="dot", width=1.5))
        if frame.kind == "padding":
            padded = f"padded to {hp}×{wp}" if (hp, wp) != (h, w) else "no padding"
            _axis(layout, INPUT, {}, f"input ({c}, {h}, {w}), {padded}")
        if frame.kind == "slide":
            limit = float(visual["products_scale"])
            data[PRODUCTS] = {"z": _grid(visual["products"]), "zmin": -limit, "zmax": limit}
            shapes.append(_rect(INPUT, visual["box"], WINDOW_COLOUR))
            dilation = int(inputs.dilation)
            if dilation > 1 and visual.get("rows") is None:  # a dilated window reads every d-th pixel: mark them
                shapes.extend(_taps(visual["box"], int(inputs.kernel.shape[-1]), dilation))
            row, col = state["position"]
            _axis(layout, PRODUCTS, {}, f"window × kernel: sum {float(state['value']):.4g}")
            if visual.get("rows") is not None:
                first, last = visual["rows"]
                shapes.append(_rect(FEATURE, [first, 0, last + 1, col + 1], ROW_COLOUR))
            else:
                shapes.append(_rect(FEATURE, [row, col, row + 1, col + 1], WINDOW_COLOUR))
        if frame.kind == "pool":
            feature, pooled, window = visual["feature"], visual["pooled"], visual["window"]
            rows, cols = feature.shape
            p_rows, p_cols = pooled.shape
            data[FEATURE] = {"z": _grid(feature), "zmin": -scale, "zmax": scale}
            data[POOLED] = {"z": _grid(pooled), "zmin": -scale, "zmax": scale}
            data[PRODUCTS] = {"z": _grid(window), "zmin": -scale, "zmax": scale}
            shapes.append(_rect(FEATURE, visual["box"], WINDOW_COLOUR))
            word = "max" if inputs.pooling == "max" else "mean"
            size = window.shape[0]
            _axis(layout, PRODUCTS, _ranges(size, size), f"pool window: {word} {float(state['value']):.4g}")
            _axis(layout, FEATURE, _ranges(rows, cols), f"map {rows}×{cols}")
            _axis(layout, POOLED, _ranges(p_rows, p_cols), f"pooled {p_rows}×{p_cols}")
            row, col = state["position"]
            if visual.get("rows") is not None:
                first, last = visual["rows"]
                shapes.append(_rect(POOLED, [first, 0, last + 1, col + 1], ROW_COLOUR))
            else:
                shapes.append(_rect(POOLED, [row, col, row + 1, col + 1], ROW_COLOUR))
        layout["shapes"] = shapes
        return {"data": data, "layout": layout}

    def panels(self, result: Mapping[str, Any], inputs: ConvScene, params: Any) -> list[dict[str, Any]]:
        return []
