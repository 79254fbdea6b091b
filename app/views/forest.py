"""The random-forest lab's figure: the forest of the trees so far on the main plane and the newest tree alone in
the small panel (ensemble_growth.py), then the map of where the trees disagree (the variance of their vote, drawn
over the plane in place of the class shading) and the feature importances as bars where the panel was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary import HEAT
from app.views.ensemble_growth import PANEL_X, Drawn, EnsembleData, EnsembleGrowthView
from app.views.theme import PALETTE, typed

VARIANCE_TOP = 0.25
"""The largest variance of a probability across trees (half say 1, half 0): the top of the colour bar."""
PHASES = {"tree": "Trees, one by one", "variance": "The whole forest", "importance": "The whole forest"}
"""Two chapters: the variance and importance frames are one frame each, too short for a title of their own."""
BARS_Y = (0.1, 0.38)
"""Where the importance bars sit: under the tree panel (which then shows the whole forest)."""


def variance_colorbar() -> dict[str, Any]:
    ticks = [0.0, 0.2]
    return bl.colorbar(
        "vote variance<br>(dark: trees disagree)",
        [t / VARIANCE_TOP * 254 for t in ticks],
        [f"{t:g}" for t in ticks],
    )


def importance_axes(feature_names: Sequence[str], visible: bool, top: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """The importance bars' axes (in the member panel's place), whole."""
    small = {"size": 9}
    x = {
        "domain": list(PANEL_X),
        "anchor": "y4",
        "type": "category",
        "fixedrange": True,
        "tickfont": small,
        "title": {"text": "feature", "font": small, "standoff": 0},
        "visible": visible,
    }
    y = {
        "domain": list(BARS_Y),
        "anchor": "x4",
        "fixedrange": True,
        "range": [0, top],
        "tickfont": small,
        "nticks": 4,
        "title": {"text": "importance", "font": small, "standoff": 0},
        "visible": visible,
    }
    return x, y


class ForestView(EnsembleGrowthView):
    """Members are "trees"; after them the variance map and the importance bars."""

    def __init__(self) -> None:
        super().__init__("tree", {"key": "trees", "title": "trees in the forest"}, PHASES)

    def extra_traces(self, inputs: EnsembleData, params: Drawn) -> list[dict[str, Any]]:
        lo, hi = inputs.box
        g = int(params.grid_size)
        variance = {
            "type": "heatmap",
            "x": typed(np.linspace(lo[0], hi[0], g), "f4"),
            "y": typed(np.linspace(lo[1], hi[1], g), "f4"),
            "z": [],
            "zmin": 0,
            "zmax": 254,
            "colorscale": [[0, "#ffffff"], [0.4, "#9ecae1"], [1, "#08306b"]],
            "zsmooth": False,
            "colorbar": variance_colorbar(),
            "visible": False,
            "showlegend": False,
            "hoverinfo": "skip",
            "name": "vote variance across trees",
        }
        names = [bl.axis_titles(inputs.feature_names)[i] for i in range(2)]
        bars = [
            {
                "type": "bar",
                "xaxis": "x4",
                "yaxis": "y4",
                "x": names,
                "y": [0, 0],
                "name": name,
                "marker": {"color": colour},
                "visible": False,
                "hovertemplate": "%{x}: %{y:.3f}<extra>" + name + "</extra>",
            }
            for name, colour in (("impurity importance", PALETTE[2]), ("permutation importance", PALETTE[5]))
        ]
        return [variance, *bars]

    def extra_patches(self, frame: Frame, inputs: EnsembleData, params: Drawn) -> list[dict[str, Any]]:
        g = int(params.grid_size)
        if frame.kind == "variance" and "variance" in frame.visual:
            level = np.round(np.clip(frame.visual["variance"] / VARIANCE_TOP, 0, 1) * 254)
            return [{"z": {**typed(level, "u1"), "shape": f"{g},{g}"}, "visible": True}, {}, {}]
        if frame.kind == "importance":
            names = [bl.axis_titles(inputs.feature_names)[i] for i in range(2)]
            values = (frame.state["impurity_importances"], frame.state["permutation_importances"])
            return [
                {},
                *({"x": names, "y": [round(float(v), 4) for v in vals], "visible": True} for vals in values),
            ]
        return [{}, {}, {}]

    def panel_map(self, frame: Frame, inputs: EnsembleData, params: Drawn) -> np.ndarray | None:
        if frame.kind in ("variance", "importance"):  # the whole forest, beside the variance map or the bars
            g, step = int(params.grid_size), int(inputs.panel_step)
            return np.asarray(frame.visual["predicted"]).reshape(g, g)[::step, ::step].ravel()
        return super().panel_map(frame, inputs, params)

    def panel_heading(self, frame: Frame | None) -> str:
        if frame is None:
            return "The newest tree<br>alone"
        if frame.kind in ("variance", "importance"):
            return f"Forest<br>({frame.state['trees']} trees)"
        return f"Tree {frame.state['trees']}<br>alone"

    def render(self, frame: Frame, inputs: EnsembleData, params: Drawn) -> dict[str, Any]:
        figure = super().render(frame, inputs, params)
        if frame.kind == "variance":
            figure["data"][HEAT] = {"visible": False}
        importance = frame.kind == "importance"
        top = 1.0
        if importance:
            values = [*frame.state["impurity_importances"], *frame.state["permutation_importances"]]
            top = max(0.05, float(np.max(values)) * 1.15)
        figure["layout"]["xaxis4"], figure["layout"]["yaxis4"] = importance_axes(inputs.feature_names, importance, top)
        return figure

    def scene(self, inputs: EnsembleData, params: Drawn) -> dict[str, Any]:
        scene = super().scene(inputs, params)
        scene["layout"]["xaxis4"], scene["layout"]["yaxis4"] = importance_axes(inputs.feature_names, False, 1.0)
        scene["layout"]["barmode"] = "group"
        return scene
