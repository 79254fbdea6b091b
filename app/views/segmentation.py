"""The segmentation lab's view: a transposed convolution taken apart, then masks learnt pixel by pixel.

Top row (the explainer): the input with the stamped pixel ringed, the kernel, the canvas with the stamp's block
outlined and the kept (cropped) region dashed, and the output. Bottom row: the shown test images twice, the true
mask over the first row and the predicted mask over the second (class colours, background clear), and the test
IoU of each class as bars. Trace order: input, ring, kernel, canvas, stamp box, crop box, output, test images,
masks, IoU bars, legend entries. The scene holds the finished explainer; the test images and masks come
with the training frames (the images are drawn after the explainer's frames).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.core.typed_array import from_typed_array
from app.views import cnn_parts as parts
from app.views.keys import legend_entry, timeline, top_legend
from app.views.theme import INK, PALETTE, base_layout, discrete_colorscale, typed

TOP_Y = [0.5, 0.84]
LOW_Y = [0.0, 0.42]
MASK_OPACITY = 0.55
NARROW_WIDTH, NARROW_HEIGHT = 390, 1150
TEXT_UP_TO = 14
"""Cells per side up to which the explainer's pictures print their numbers."""


class Geometry(Protocol):
    """The transposed convolution's sizes the view lays out (``app.engines.transposed_conv.Geometry``)."""

    @property
    def size(self) -> int: ...

    @property
    def kernel(self) -> int: ...

    @property
    def stride(self) -> int: ...

    @property
    def padding(self) -> int: ...

    @property
    def span(self) -> int: ...

    @property
    def full(self) -> int: ...

    @property
    def canvas(self) -> int: ...

    @property
    def out(self) -> int: ...


def _crop(canvas: np.ndarray, g: Geometry) -> np.ndarray:
    """The kept rows and columns ``p`` .. ``p + H_out`` of a canvas (C, C) → (H_out, H_out): a slice to draw."""
    return canvas[g.padding : g.padding + g.out, g.padding : g.padding + g.out]


class SegData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def geometry(self) -> Geometry: ...

    @property
    def explainer_canvas(self) -> np.ndarray:
        """(C, C): every input pixel stamped, before the crop (computed by the lab, drawn here)."""
        ...

    @property
    def explainer_input(self) -> np.ndarray: ...

    @property
    def explainer_kernel(self) -> np.ndarray: ...

    @property
    def class_names(self) -> tuple[str, ...]: ...

    @property
    def shown(self) -> int: ...


def _cells(axis: int, name: str, values: np.ndarray, *, text: bool) -> dict[str, Any]:
    """An explainer picture: diverging colours around 0, its numbers printed in the cells when small."""
    trace = parts.heatmap(axis, parts.WEIGHT_SCALE, name, z=parts.z_of(values), zmid=0)
    trace["hovertemplate"] = "row %{y}, col %{x}: %{z}<extra>" + name + "</extra>"
    if text:
        trace |= {"texttemplate": "%{z}", "textfont": {"size": 10, "color": INK}, "xgap": 1, "ygap": 1}
    return trace


def _boxes(corners: list[tuple[int, int]], size: int) -> tuple[list[float | None], list[float | None]]:
    """Outlines of ``size`` × ``size`` cell blocks with top-left cells ``corners`` (lines broken by None)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for top, left in corners:
        a, b = left - 0.5, left + size - 0.5
        c, d = top - 0.5, top + size - 0.5
        xs += [a, b, b, a, a, None]
        ys += [c, c, d, d, c, None]
    return xs, ys


def _u1(picture: np.ndarray) -> dict[str, Any]:
    """A 2-D picture of bytes as a heatmap ``z`` u1 typed array (the tiles' NaN gaps as 0)."""
    rows, cols = picture.shape
    return {**typed(np.nan_to_num(picture, nan=0.0).astype(np.uint8), "u1"), "shape": f"{rows},{cols}"}


def _masks(true: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(G, S, S) true and predicted masks → one picture: true row over predicted row (0 background and gaps)."""
    both = np.concatenate([true, predicted], axis=0).astype(np.float64)  # (2G, S, S)
    return parts.grid_tiles(both, true.shape[0])


def mask_scale(k: int) -> list[list[float | str]]:
    """Class c in [0, k) → PALETTE[c] over zmin −0.5, zmax k − 0.5, but background (0) clear: the image shows."""
    scale = discrete_colorscale(k)
    scale[0][1] = scale[1][1] = "rgba(0,0,0,0)"
    return scale


class SegmentationView:
    def scene(self, inputs: SegData, params: Any) -> dict[str, Any]:
        g = inputs.geometry
        x, kernel = inputs.explainer_input, inputs.explainer_kernel
        canvas_full = inputs.explainer_canvas
        output = _crop(canvas_full, g)
        text = g.canvas <= TEXT_UP_TO
        layout = base_layout(margin={"l": 8, "r": 8, "t": 40, "b": 30}, hovermode="closest")
        layout.pop("xaxis")
        layout.pop("yaxis")
        cols = [[0.0, 0.14], [0.18, 0.3], [0.35, 0.64], [0.7, 0.98]]
        for axis, dom in enumerate(cols, start=1):
            layout |= parts.image_axes(dom, TOP_Y, f"x{parts.suffix(axis)}")
        data: list[dict[str, Any]] = [
            _cells(1, "input", x, text=True),
            {
                "type": "scatter",
                "mode": "markers",
                "x": [],
                "y": [],
                "marker": {"symbol": "square-open", "size": 16, "color": INK, "line": {"width": 3}},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "stamped pixel",
            },
            _cells(2, "kernel", kernel, text=True),
            _cells(3, "canvas", canvas_full, text=text),
        ]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "xaxis": "x3",
                "yaxis": "y3",
                "x": [],
                "y": [],
                "line": {"color": INK, "width": 2},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "stamp",
            }
        )
        cx, cy = _boxes([(g.padding, g.padding)], g.out)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "xaxis": "x3",
                "yaxis": "y3",
                "x": cx,
                "y": cy,
                "line": {"color": PALETTE[5], "width": 2, "dash": "dash"},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "kept",
            }
        )
        data.append(_cells(4, "output", output, text=g.out <= TEXT_UP_TO))
        notes = [
            parts.label(f"input {g.size}×{g.size}", 1, size=11),
            parts.label(f"kernel {g.kernel}×{g.kernel}", 2, size=11),
            parts.label(f"canvas {g.full}×{g.full} (stride {g.stride})", 3, size=11),
            parts.label(f"output {g.out}×{g.out} (padding {g.padding} cut)", 4, size=11),
        ]
        # -- bottom row: the test images with their masks, the IoU bars ------------------------------------------
        layout |= parts.image_axes([0.0, 0.62], LOW_Y, "x5")
        side, shown = int(params.side), inputs.shown
        tile_rows, tile_cols = 2 * (side + 1) - 1, shown * (side + 1) - 1  # the tiles' picture (grid_tiles)
        layout["xaxis5"] |= {"range": [-0.5, tile_cols - 0.5], "autorange": False}  # fixed: its data come later
        layout["yaxis5"] |= {"range": [tile_rows - 0.5, -0.5], "autorange": False}
        data.append(  # the images come with the training frames (they are drawn after the explainer's)
            parts.heatmap(
                5,
                parts.PIXEL_SCALE,
                "test image",
                zmin=0,
                zmax=255,
                hoverinfo="skip",
                hovertemplate=None,
            )
        )
        k = len(inputs.class_names)
        data.append(
            {
                **parts.heatmap(
                    5,
                    mask_scale(k),
                    "class",
                    zmin=-0.5,
                    zmax=k - 0.5,
                    opacity=MASK_OPACITY,
                ),
                "hovertemplate": "class %{z}<extra></extra>",
            }
        )
        notes.append(parts.label("test images: true mask (top row), predicted (bottom row)", 5, size=11))
        small = {"size": 10}
        data.append(
            {
                "type": "bar",
                "xaxis": "x6",
                "yaxis": "y6",
                "x": list(inputs.class_names),
                "y": [0.0] * k,
                "marker": {"color": [PALETTE[i % len(PALETTE)] for i in range(k)]},
                "name": "IoU",
                "showlegend": False,
                "texttemplate": "%{y:.2f}",
                "textposition": "outside",
                "hovertemplate": "%{x}: IoU %{y:.3f}<extra></extra>",
            }
        )
        layout["xaxis6"] = {
            "domain": [0.7, 1.0],
            "anchor": "y6",
            "type": "category",
            "fixedrange": True,
            "tickfont": small,
            "title": {"text": "class", "font": small, "standoff": 2},
        }
        layout["yaxis6"] = {
            "domain": [0.06, 0.38],
            "anchor": "x6",
            "range": [0, 1.15],
            "fixedrange": True,
            "tickfont": small,
            "title": {"text": "test IoU", "font": small, "standoff": 2},
        }
        notes.append(parts.label("IoU per class (test pixels)", 6, size=11))
        data += [
            legend_entry(name, colour=PALETTE[i], symbol="square", size=12)
            for i, name in enumerate(inputs.class_names)
            if i > 0
        ]
        data += [
            legend_entry("stamped pixel and its block", colour=INK, symbol="square-open", size=12),
            legend_entry("kept after the padding crop", colour=PALETTE[5], dash="dash"),
        ]
        layout["annotations"] = notes
        layout["showlegend"] = True
        layout["legend"] = top_legend(x=1.0, xanchor="right", y=1.0, yanchor="bottom")
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("epoch", "epoch"),
            "x-phases": {
                "stamp": "transposed conv",
                "crop": "transposed conv",
                "init": "training",
                "epoch": "training",
                "done": "training",
            },
            "x-narrow": self._narrow(notes),
        }

    def _narrow(self, notes: list[dict[str, Any]]) -> dict[str, Any]:
        """A phone: input and kernel side by side, canvas and output side by side, then masks, then IoU."""
        layout: dict[str, Any] = {
            "xaxis": {"domain": [0.0, 0.45]},
            "yaxis": {"domain": [0.84, 0.93]},
            "xaxis2": {"domain": [0.55, 1.0]},
            "yaxis2": {"domain": [0.84, 0.93]},
            "xaxis3": {"domain": [0.0, 1.0]},
            "yaxis3": {"domain": [0.6, 0.8]},
            "xaxis4": {"domain": [0.0, 1.0]},
            "yaxis4": {"domain": [0.41, 0.56]},
            "xaxis5": {"domain": [0.0, 1.0]},
            "yaxis5": {"domain": [0.2, 0.37]},
            "xaxis6": {"domain": [0.12, 1.0]},
            "yaxis6": {"domain": [0.03, 0.14]},
            "annotations": [{**n, "font": {**n["font"], "size": 9}} for n in notes],
        }
        return {"width": NARROW_WIDTH, "height": NARROW_HEIGHT, "layout": layout}

    def render(self, frame: Frame, inputs: SegData, params: Any) -> dict[str, Any]:
        """Every frame sets all ten data traces, so a frame draws the same whichever frame came before it."""
        state = frame.state
        g = inputs.geometry
        k = len(inputs.class_names)
        explaining = frame.kind in ("stamp", "crop")
        # (C, C): the canvas as stamped so far, or the whole one once training frames begin
        canvas = from_typed_array(state["canvas"]).astype(np.float64) if explaining else inputs.explainer_canvas
        pixels = [(int(i), int(j)) for i, j in state["pixels"]] if frame.kind == "stamp" else []
        bx, by = _boxes([(i * g.stride, j * g.stride) for i, j in pixels], g.span)
        data: list[dict[str, Any]] = [
            {},
            {"x": [j for _, j in pixels], "y": [i for i, _ in pixels]},
            {},
            {"z": parts.z_of(canvas)},
            {"x": bx, "y": by},
            {},
            {"z": parts.z_of(_crop(canvas, g))},
            {},
        ]
        if explaining:
            data += [{}, {"y": [0.0] * k}]
            if pixels:
                note = f"stamping input pixel{'s' if len(pixels) > 1 else ''} " + ", ".join(
                    f"({i}, {j})" for i, j in pixels
                )
            else:
                note = f"output {g.out}×{g.out}: the canvas with padding {g.padding} cut"
        else:
            grey = from_typed_array(state["images"]).astype(np.float64)  # (G, S, S)
            true = from_typed_array(state["truth"])  # (G, S, S)
            predicted = from_typed_array(state["predicted"])  # (G, S, S)
            data[7] = {"z": _u1(parts.grid_tiles(np.concatenate([grey, grey]), grey.shape[0]))}  # gaps 0: paper
            data += [{"z": _u1(_masks(true, predicted))}, {"y": [round(float(v), 4) for v in state["iou"]]}]
            note = (
                f"epoch {float(state['epoch']):g}: mean IoU {float(state['mean_iou']):.3f}, "
                f"pixel accuracy {float(state['pixel_accuracy']):.1%}"
            )
        title = {"text": note, "font": {"size": 12, "color": INK}, "x": 0.01, "xanchor": "left", "y": 0.995}
        return {"data": data, "layout": {"title": title}}

    def panels(self, result: Mapping[str, Any], inputs: SegData, params: Any) -> list[dict[str, Any]]:
        return []
