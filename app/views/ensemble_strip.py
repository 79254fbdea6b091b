"""The strip of small per-model pictures under the main plane (voting, stacking), composed on the boundary view.

The boundary view's plane is raised to ``PLANE_Y`` to make room; below it, one small heatmap per base model, each on
its own hidden axes over the same data box, at the engine's coarse grid (one byte per cell, class and confidence
packed as the main shading packs them, so they share its colour scale and colour bar). Each picture is titled with
the model's short name and, once its frame has come, its accuracy; hovering a picture names the model in full.
A frame sends the pictures it shows (the composed figure is the scene plus that frame's patch alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.views import boundary_layout as bl
from app.views.boundary import class_bands
from app.views.inputs import BoundaryData
from app.views.theme import GRID, INK, typed

PLANE_Y = (0.37, 1.0)
"""y domain of the main plane: the strip takes the bottom of the figure."""
STRIP_Y = (0.0, 0.15)
STRIP_X = (0.0, 0.8)
SLOTS = 5
"""The strip is laid out for the most models a lab takes, so a picture has one size whatever the count."""
GAP = 0.03


class StripData(BoundaryData, Protocol):
    """The boundary data and the members the strip draws."""

    @property
    def names(self) -> tuple[str, ...]:
        """m full names: "k-NN (k = 5)" (on hover)."""
        ...

    @property
    def short_names(self) -> tuple[str, ...]:
        """m short names: "k-NN" (under each picture)."""
        ...

    @property
    def thumbnail_size(self) -> int:
        """Cells per axis of each picture (the engine's grid)."""
        ...


def slot(j: int) -> tuple[float, float]:
    """The x domain of picture ``j``."""
    width = (STRIP_X[1] - STRIP_X[0] - GAP * (SLOTS - 1)) / SLOTS
    left = STRIP_X[0] + j * (width + GAP)
    return left, left + width


def axis_names(first: int, j: int) -> tuple[str, str]:
    """(layout key, trace ref) pairs of picture ``j``'s axes: ("xaxis3", "x3")."""
    return f"xaxis{first + j}", f"x{first + j}"


def pack(predicted: np.ndarray, top: np.ndarray | None, n_classes: int) -> np.ndarray:
    """(N,) class and confidence in one byte, as the boundary view packs its shading: class·L + level."""
    levels, _ = class_bands(n_classes)
    if top is None:
        confidence = np.full(predicted.shape, 0.55)  # no probabilities: a middling tint of the class
    else:
        confidence = np.clip((top - 1 / n_classes) / (1 - 1 / n_classes), 0, 1)  # 0 at chance, 1 at certainty
    return np.asarray(predicted, dtype=np.int64) * levels + np.round(confidence * (levels - 1))


class Strip:
    """The pictures of ``inputs``' members, on axes numbered from ``first``."""

    def __init__(self, inputs: StripData, first: int) -> None:
        self.inputs = inputs
        self.first = first
        self.count = len(inputs.names)

    def traces(self) -> list[dict[str, Any]]:
        """One empty heatmap per member (its z comes with its frame)."""
        lo, hi = self.inputs.box
        t = self.inputs.thumbnail_size
        n_classes = len(self.inputs.classes)
        levels, scale = class_bands(n_classes)
        xs, ys = np.linspace(lo[0], hi[0], t), np.linspace(lo[1], hi[1], t)
        out = []
        for j, name in enumerate(self.inputs.names):
            n = self.first + j
            out.append(
                {
                    "type": "heatmap",
                    "name": f"{name} alone",
                    "xaxis": f"x{n}",
                    "yaxis": f"y{n}",
                    "x": typed(xs, "f4"),
                    "y": typed(ys, "f4"),
                    "z": [],
                    "zmin": 0,
                    "zmax": n_classes * levels - 1,
                    "colorscale": scale,  # the main shading's: its colour bar reads for these too
                    "zsmooth": False,
                    "showscale": False,
                    "showlegend": False,
                    "hovertemplate": f"{name}<extra></extra>",
                }
            )
        return out

    def axes(self) -> dict[str, Any]:
        """The layout's axes of the pictures: hidden, fixed on the data box."""
        lo, hi = self.inputs.box
        out: dict[str, Any] = {}
        for j in range(self.count):
            n = self.first + j
            common = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False}
            out[f"xaxis{n}"] = {
                **common,
                "domain": list(slot(j)),
                "anchor": f"y{n}",
                "range": [float(lo[0]), float(hi[0])],
            }
            out[f"yaxis{n}"] = {
                **common,
                "domain": list(STRIP_Y),
                "anchor": f"x{n}",
                "range": [float(lo[1]), float(hi[1])],
            }
        return out

    def frames(self) -> list[dict[str, Any]]:
        """A thin border around each picture's place (the axes themselves are hidden)."""
        return [
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": slot(j)[0],
                "x1": slot(j)[1],
                "y0": STRIP_Y[0],
                "y1": STRIP_Y[1],
                "line": {"color": GRID, "width": 1},
                "layer": "below",
            }
            for j in range(self.count)
        ]

    def titles(self, scores: Sequence[float | None] = (), label: str = "") -> list[dict[str, Any]]:
        """Each picture's name, and its accuracy (``label`` says on what) once its frame has come."""
        out = []
        for j, short in enumerate(self.inputs.short_names):
            shown = j < len(scores) and scores[j] is not None
            value = f"{label} {100 * float(scores[j] or 0):.0f} %" if shown else "…"
            out.append(
                {
                    "text": f"{short}<br>{value}",
                    "xref": "paper",
                    "yref": "paper",
                    "x": sum(slot(j)) / 2,
                    "y": STRIP_Y[1] + 0.005,
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 10, "color": INK},
                }
            )
        return out

    def patches(self, visual: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The pictures of the frame (``visual["thumbnails"]``: (class (t²,), tint (t²,) | None) per member shown
        so far); the others stay empty."""
        t = self.inputs.thumbnail_size
        n_classes = len(self.inputs.classes)
        pictures = list(visual.get("thumbnails", ()))
        out: list[dict[str, Any]] = []
        for j in range(self.count):
            if j < len(pictures):
                classes, top = pictures[j]
                out.append({"z": {**typed(pack(classes, top, n_classes), "u1"), "shape": f"{t},{t}"}})
            else:
                out.append({"z": []})
        return out


def raise_plane(layout: dict[str, Any], plane_x: tuple[float, float] = bl.MAIN) -> None:
    """Move the boundary view's plane up (and, for a narrower plane, in) to make room for the strip."""
    layout["xaxis"]["domain"] = list(plane_x)
    layout["xaxis"]["title"] = {**layout["xaxis"].get("title", {}), "standoff": 4}  # close: the strip is below
    layout["yaxis"]["domain"] = list(PLANE_Y)


def held_word(inputs: BoundaryData) -> str:
    return "test" if inputs.split.test.size else "training"


def base_annotations(inputs: BoundaryData) -> list[dict[str, Any]]:
    """The boundary view's own annotations (the confusion matrix's heading): a frame that sends annotations must
    send these too (a list replaces the scene's)."""
    annotations: list[dict[str, Any]] = bl.layout(inputs.box, inputs.feature_names, held_word(inputs))["annotations"]
    return annotations
