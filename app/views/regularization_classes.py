"""The regularization figure of the classification task: four panels in ``app.views.regularization_layout``.

* the plane (x, y): P(class 1) shaded (one byte per cell, sent per frame), the boundary P = 0.5 as a contour line,
  the training points (filled) and validation points (open), one marker shape per class (sent once);
* the accuracy (x2, y2): training and validation accuracy over α, growing. The 2-weight geometry picture of the
  regression path is left out here: with a log-loss the contours are not ellipses fixed by two features, and the
  coefficient paths below show the same zeroing;
* the coefficients (x3, y3): one line per feature (named, e.g. x₁²·x₂) over α, growing frame by frame;
* the log-loss (x4, y4): training and validation over α, growing; the summary stars the best α.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import regularization_layout as frame_layout
from app.views.markers import class_symbol
from app.views.regularization_parts import (
    EXTEND,
    TRAIN_COLOUR,
    VALIDATION_COLOUR,
    coefficient_colours,
    short_names,
    trace,
)
from app.views.theme import INK, MUTED, PALETTE, typed

HEAT, BOUNDARY = 0, 1
POINTS = 2  # training class 0, class 1, validation class 0, class 1
ACCURACY_TRAIN, ACCURACY_VALIDATION = 6, 7
COEFFICIENTS = 8  # d traces from here, then the two log-loss lines and the best α
CLASS_COLOURS = (PALETTE[0], PALETTE[1])
HEAT_SCALE = [[0.0, "rgba(0,114,178,0.45)"], [0.5, "rgba(255,255,255,0.9)"], [1.0, "rgba(230,159,0,0.45)"]]
"""P(class 1) 0 → class 0's blue, 0.5 → white, 1 → class 1's orange (light: the points stay readable on it)."""
LEVELS = 255
"""P is sent as a byte: 0..255 for 0..1."""


class ClassData(Protocol):
    """What the view reads of ``app.labs.regularization.RegularizationClassInputs``."""

    @property
    def X(self) -> np.ndarray: ...
    @property
    def y(self) -> np.ndarray: ...
    @property
    def classes(self) -> tuple[str, str]: ...
    @property
    def train(self) -> np.ndarray: ...
    @property
    def validation(self) -> np.ndarray: ...
    @property
    def axis_names(self) -> tuple[str, str]: ...
    @property
    def plane_xs(self) -> np.ndarray: ...
    @property
    def plane_ys(self) -> np.ndarray: ...
    @property
    def alphas(self) -> np.ndarray: ...
    @property
    def feature_names(self) -> tuple[str, ...]: ...


def _points(inputs: ClassData) -> list[dict[str, Any]]:
    out = []
    for part, rows, hollow in (("training", inputs.train, False), ("validation", inputs.validation, True)):
        for c in (0, 1):
            chosen = rows[inputs.y[rows] == c]
            colour = CLASS_COLOURS[c]
            out.append(
                trace(
                    f"{part}: {inputs.classes[c]}",
                    ("x", "y"),
                    mode="markers",
                    x=typed(inputs.X[chosen, 0], "f4"),
                    y=typed(inputs.X[chosen, 1], "f4"),
                    marker={
                        "symbol": class_symbol(c, hollow),
                        "size": 7,
                        "color": colour,
                        "line": {"width": 1.5 if hollow else 0.8, "color": colour if hollow else INK},
                    },
                    hovertemplate=f"{part}, {inputs.classes[c]}: (%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
                )
            )
    return out


def class_scene(inputs: ClassData) -> dict[str, Any]:
    names = inputs.feature_names
    d = len(names)
    plane = {"x": typed(inputs.plane_xs, "f4"), "y": typed(inputs.plane_ys, "f4"), "xaxis": "x", "yaxis": "y"}
    data: list[dict[str, Any]] = [
        {
            **plane,
            "type": "heatmap",
            "name": f"P({inputs.classes[1]})",
            "z": [],
            "zmin": 0,
            "zmax": LEVELS,
            "colorscale": HEAT_SCALE,
            "showlegend": False,
            "hoverinfo": "skip",
            "colorbar": {
                "title": {"text": f"P({inputs.classes[1]})", "side": "right", "font": {"size": 10}},
                "tickvals": [0, LEVELS / 2, LEVELS],
                "ticktext": ["0", "0.5", "1"],
                "len": 0.3,
                "y": 0.65,
                "x": 0.41,
                "xanchor": "left",
                "thickness": 10,
                "tickfont": {"size": 9},
            },
        },
        {
            **plane,
            "type": "contour",
            "name": "boundary P = 0.5",
            "showlegend": True,
            "z": [],
            "contours": {"start": LEVELS / 2, "end": LEVELS / 2, "size": 1, "coloring": "lines"},
            "colorscale": [[0.0, INK], [1.0, INK]],
            "showscale": False,
            "line": {"width": 2.5},
            "hoverinfo": "skip",
        },
        *_points(inputs),
        trace(
            "training: accuracy, log-loss",
            ("x2", "y2"),
            mode="lines+markers",
            legendgroup="train",
            line={"color": TRAIN_COLOUR, "width": 2},
            marker={"symbol": "circle", "size": 5},
            hovertemplate="α %{x:.3g}: training accuracy %{y:.3f}<extra></extra>",
        ),
        trace(
            "validation: accuracy, log-loss",
            ("x2", "y2"),
            mode="lines+markers",
            legendgroup="validation",
            line={"color": VALIDATION_COLOUR, "width": 2.5},
            marker={"symbol": "diamond", "size": 6},
            hovertemplate="α %{x:.3g}: validation accuracy %{y:.3f}<extra></extra>",
        ),
    ]
    for i, colour in enumerate(coefficient_colours(d)):
        data.append(
            trace(
                names[i] if i else "coefficient paths",
                ("x3", "y3"),
                mode="lines+markers",
                line={"color": colour, "width": 2},
                marker={"size": 4},
                legendgroup="coefficients",
                showlegend=i == 0,
                hovertemplate=f"{names[i]}: α %{{x:.3g}}, w %{{y:.4g}}<extra></extra>",
            )
        )
    data += [
        trace(
            "training log-loss",
            ("x4", "y4"),
            mode="lines+markers",
            legendgroup="train",
            showlegend=False,
            line={"color": TRAIN_COLOUR, "width": 2},
            marker={"symbol": "circle", "size": 5},
            hovertemplate="α %{x:.3g}: training log-loss %{y:.4g}<extra></extra>",
        ),
        trace(
            "validation log-loss",
            ("x4", "y4"),
            mode="lines+markers",
            legendgroup="validation",
            showlegend=False,
            line={"color": VALIDATION_COLOUR, "width": 2.5},
            marker={"symbol": "diamond", "size": 6},
            hovertemplate="α %{x:.3g}: validation log-loss %{y:.4g}<extra></extra>",
        ),
        trace(
            "best α",
            ("x4", "y4"),
            mode="markers+text",
            showlegend=False,  # labelled on the plot
            text=[],
            textposition="top center",
            marker={"symbol": "star", "size": 16, "color": PALETTE[6], "line": {"width": 1.5, "color": INK}},
            hovertemplate="best α %{x:.3g}: validation log-loss %{y:.4g}<extra></extra>",
        ),
    ]
    logs = np.log10(inputs.alphas)
    alpha_range = [float(logs[0]) + 0.1, float(logs[-1]) - 0.1]  # strong at the left
    titles = {
        "x": inputs.axis_names[0],
        "y": inputs.axis_names[1],
        "x2": "α (log scale, strong → weak)",
        "y2": "accuracy (share right)",
        "x3": "α (log scale, strong → weak)",
        "y3": "coefficient (standardised feature)",
        "x4": "α (log scale, strong → weak)",
        "y4": "mean log-loss",
    }
    extra: dict[str, dict[str, Any]] = {
        "x": {"range": [float(inputs.plane_xs[0]), float(inputs.plane_xs[-1])]},
        "y": {"range": [float(inputs.plane_ys[0]), float(inputs.plane_ys[-1])]},
        "x2": {"type": "log", "range": alpha_range},
        "y2": {"range": [0.4, 1.02]},
        "x3": {"type": "log", "range": alpha_range},
        "y3": {"zeroline": True, "zerolinecolor": MUTED},
        "x4": {"type": "log", "range": alpha_range},
        "y4": {"rangemode": "tozero"},
    }
    short = {"x2": "α (strong → weak)", "x3": "α (strong → weak)", "x4": "α (strong → weak)", "y3": "coefficient"}
    narrow = frame_layout.narrow(short)
    narrow["yaxis"]["domain"] = [0.62, 0.77]  # the legend's rows above the plane on a phone
    narrow["yaxis2"]["domain"] = [0.45, 0.56]  # room for the plane's x₁ title above the accuracy panel
    layout = frame_layout.layout(titles, extra)
    layout["xaxis"]["domain"] = [0.0, 0.4]  # not 0.44: the colour bar fits before the accuracy panel's title
    return {
        "data": data,
        "layout": layout,
        "x-timeline": {"key": "alpha", "title": "α", "log": True},
        "x-phases": {"class_data": "The data", "class_alpha": "α by α, strong to weak", "class_summary": "The best α"},
        "x-narrow": {
            "width": frame_layout.NARROW_WIDTH,
            "height": frame_layout.NARROW_HEIGHT,
            "layout": narrow,
            "data": {
                str(HEAT): {"showscale": False},
                # The lines' legend entries stay off a phone's legend: their axes name them, the colours match.
                **{str(i): {"showlegend": False} for i in (ACCURACY_TRAIN, ACCURACY_VALIDATION, COEFFICIENTS)},
                **short_names(
                    {
                        BOUNDARY: "P = 0.5",
                        POINTS: f"train {inputs.classes[0]}",
                        POINTS + 1: f"train {inputs.classes[1]}",
                        POINTS + 2: f"valid. {inputs.classes[0]}",
                        POINTS + 3: f"valid. {inputs.classes[1]}",
                    }
                ),
            },
        },
    }


def class_render(frame: Frame, inputs: ClassData) -> dict[str, Any]:
    d = len(inputs.feature_names)
    traces: list[dict[str, Any]] = [{} for _ in range(COEFFICIENTS + d + 3)]
    state, visual = frame.state, frame.visual
    if "probability" in visual:
        g = inputs.plane_xs.size
        cells = np.rint(np.asarray(visual["probability"]) * LEVELS).reshape(g, g)  # (g, g) rows along x₂
        z = {**typed(cells, "u1"), "shape": f"{g},{g}"}
        traces[HEAT] = {"z": z}
        traces[BOUNDARY] = {"z": z}
    if frame.kind == "class_alpha":
        alpha = float(state["alpha"])
        traces[ACCURACY_TRAIN] = {EXTEND: {"x": [alpha], "y": [state["train_accuracy"]]}}
        traces[ACCURACY_VALIDATION] = {EXTEND: {"x": [alpha], "y": [state["validation_accuracy"]]}}
        for i, value in enumerate(state["coefficients"]):
            traces[COEFFICIENTS + i] = {EXTEND: {"x": [alpha], "y": [value]}}
        traces[COEFFICIENTS + d] = {EXTEND: {"x": [alpha], "y": [state["train_log_loss"]]}}
        traces[COEFFICIENTS + d + 1] = {EXTEND: {"x": [alpha], "y": [state["validation_log_loss"]]}}
    elif frame.kind == "class_summary":
        best = int(state["best_index"])
        traces[COEFFICIENTS + d + 2] = {
            "x": [state["best_alpha"]],
            "y": [state["validation_log_loss"][best]],
            "text": ["best α"],
        }
    return {"data": traces, "layout": {}}
