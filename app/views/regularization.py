"""The regularization figure (panels in ``app.views.regularization_layout``, shared traces in
``app.views.regularization_parts``, weight-decay mode in ``app.views.regularization_decay``).

``path`` mode:
* the fit (x, y): the truth dashed, training points (circles), validation points (open diamonds), this α's curve;
* the 2-weight picture (x2, y2): the sub-problem's data-loss contours (on u¹ and u² only, sent once), the
  unpenalised optimum at their centre, this α's constraint region (diamond, circle or rounded diamond, the size
  of this α's optimum: the engine's boundary) and the optimum touching it, with its path as α weakens;
* the coefficients (x3, y3): one line per coefficient over α (log, strong at the left), growing frame by frame;
* the errors (x4, y4): training and validation MSE over α, growing; the summary stars the best α.

``weight_decay`` mode keeps the fit; the 2-weight picture shows (w₁, w₂) of the full model: its trajectory, and the
frame's step as before → after the shrink → after the gradient step, with the ridge fit at α = λ it heads for;
the coefficients panel shows every weight as a bar (after the step) with a marker where it was before; the errors
panel the data loss and validation MSE over the steps.

The classification task: ``app.views.regularization_classes``.

Wire budget: a frame sends the curve (g,) f4, the region (73 × 2) f4 and a few numbers per growing line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np

from app.core.frame import Frame
from app.views import regularization_layout as frame_layout
from app.views.regularization_classes import ClassData, class_render, class_scene
from app.views.regularization_decay import decay_render, decay_scene
from app.views.regularization_parts import (
    COEFFICIENTS,
    CONTOURS,
    EXTEND,
    FIT,
    OPTIMUM,
    OPTIMUM_COLOUR,
    REGION,
    REGION_COLOUR,
    ROUTE,
    SHAPES,
    TRAIN,
    TRAIN_COLOUR,
    TRAIN_NAME,
    TRUTH,
    VALIDATION,
    VALIDATION_COLOUR,
    VALIDATION_NAME,
    RegularizationData,
    RegularizationDrawn,
    clip,
    coefficient_colours,
    fit_traces,
    short_names,
    trace,
    y_window,
)
from app.views.theme import INK, MUTED, PALETTE, typed


class RegularizationView:
    """The four panels of either mode (see the module's docstring)."""

    def scene(self, inputs: RegularizationData | ClassData, params: RegularizationDrawn) -> dict[str, Any]:
        if params.task == "classification":
            return class_scene(cast(ClassData, inputs))
        inputs = cast(RegularizationData, inputs)
        if params.mode == "weight_decay":
            return decay_scene(inputs, params)
        return self._path_scene(inputs, params)

    def _picture(self, inputs: RegularizationData) -> list[dict[str, Any]]:
        rows, columns = inputs.contour_loss.shape
        excess = np.log10(inputs.contour_loss - inputs.contour_loss.min() + 1e-3)  # log levels: the ellipses spread
        return [
            {
                "type": "contour",
                "name": "loss contours (u¹, u²)",
                "showlegend": True,
                "x": typed(inputs.contour_w1, "f4"),
                "y": typed(inputs.contour_w2, "f4"),
                "z": {**typed(excess, "f4"), "shape": f"{rows},{columns}"},
                "xaxis": "x2",
                "yaxis": "y2",
                "contours": {"coloring": "lines"},
                "ncontours": 14,
                "showscale": False,
                "colorscale": [[0.0, MUTED], [1.0, MUTED]],
                "line": {"width": 1},
                "hoverinfo": "skip",
            },
            trace(
                "unpenalised optimum",
                ("x2", "y2"),
                mode="markers+text",
                showlegend=False,  # labelled on the plot
                text=["least squares"],
                textposition="bottom right",
                textfont={"size": 10, "color": INK},
                x=[float(inputs.sub_least_squares[0])],
                y=[float(inputs.sub_least_squares[1])],
                marker={"symbol": "x", "size": 10, "color": INK},
                hovertemplate="least squares (%{x:.3g}, %{y:.3g})<extra></extra>",
            ),
        ]

    def _path_scene(self, inputs: RegularizationData, params: RegularizationDrawn) -> dict[str, Any]:
        d = int(params.degree)
        colours = coefficient_colours(d)
        shape = SHAPES[params.penalty]
        data = [*fit_traces(inputs), *self._picture(inputs)]
        data += [
            trace(
                f"{shape}, this α",
                ("x2", "y2"),
                line={"color": REGION_COLOUR, "width": 2.5},
                fill="toself",
                fillcolor="rgba(213,94,0,0.12)",
                hoverinfo="skip",
            ),
            trace(
                "penalised optimum",
                ("x2", "y2"),
                mode="markers",
                marker={"symbol": "circle", "size": 11, "color": OPTIMUM_COLOUR, "line": {"width": 1.5, "color": INK}},
                hovertemplate="optimum (%{x:.3g}, %{y:.3g})<extra></extra>",
            ),
            trace(
                "optimum's path",
                ("x2", "y2"),
                line={"color": OPTIMUM_COLOUR, "width": 1.5, "dash": "dot"},
                hovertemplate="the optimum's path over α so far<extra></extra>",
                showlegend=False,  # the optimum's own trail: the legend is kept to two rows at 1024 px
            ),
        ]
        for i, colour in enumerate(colours):
            data.append(
                trace(
                    f"w of u{i + 1}" if i else "coefficient paths",
                    ("x3", "y3"),
                    mode="lines+markers",
                    line={"color": colour, "width": 2},
                    marker={"size": 4},
                    legendgroup="coefficients",
                    showlegend=i == 0,
                    hovertemplate=f"u{i + 1}: α %{{x:.3g}}, w %{{y:.4g}}<extra></extra>",
                )
            )
        data += [
            trace(
                TRAIN_NAME,
                ("x4", "y4"),
                mode="lines+markers",
                legendgroup="train",
                showlegend=False,
                line={"color": TRAIN_COLOUR, "width": 2},
                marker={"symbol": "circle", "size": 5},
                hovertemplate="α %{x:.3g}: training MSE %{y:.4g}<extra></extra>",
            ),
            trace(
                VALIDATION_NAME,
                ("x4", "y4"),
                mode="lines+markers",
                legendgroup="validation",
                showlegend=False,
                line={"color": VALIDATION_COLOUR, "width": 2.5},
                marker={"symbol": "diamond", "size": 6},
                hovertemplate="α %{x:.3g}: validation MSE %{y:.4g}<extra></extra>",
            ),
            trace(
                "best α",
                ("x4", "y4"),
                mode="markers+text",
                showlegend=False,  # labelled on the plot
                text=[],
                textposition="top center",
                marker={"symbol": "star", "size": 16, "color": PALETTE[6], "line": {"width": 1.5, "color": INK}},
                hovertemplate="best α %{x:.3g}: validation MSE %{y:.4g}<extra></extra>",
            ),
        ]
        logs = np.log10(inputs.alphas)
        alpha_range = [float(logs[0]) + 0.1, float(logs[-1]) - 0.1]  # strong at the left
        reach = float(inputs.contour_w2[-1])
        titles = {
            "x": "x",
            "y": "y",
            "x2": "w₁ (coefficient of u¹)",
            "y2": "w₂ (coefficient of u²)",
            "x3": "α (log scale, strong → weak)",
            "y3": "coefficient",
            "x4": "α (log scale, strong → weak)",
            "y4": "mean squared error",
        }
        extra: dict[str, dict[str, Any]] = {
            "x": {"range": [0.0, 1.0]},
            "y": {"range": y_window(inputs, params.noise)},
            "x2": {"range": [-reach, reach], "zeroline": True, "zerolinecolor": MUTED},
            # One unit the same length on both weight axes, so the circle looks round and the diamond square
            # (plotly widens a range to keep it: the panel still fills its box).
            "y2": {"range": [-reach, reach], "zeroline": True, "zerolinecolor": MUTED, "scaleanchor": "x2"},
            "x3": {"type": "log", "range": alpha_range},
            "y3": {"zeroline": True, "zerolinecolor": MUTED},
            "x4": {"type": "log", "range": alpha_range},
            "y4": {"rangemode": "tozero"},
        }
        short = {"x2": "w₁ (of u¹)", "y2": "w₂ (of u²)", "x3": "α (strong → weak)", "x4": "α (strong → weak)"}
        return {
            "data": data,
            "layout": frame_layout.layout(titles, extra),
            "x-timeline": {"key": "alpha", "title": "α", "log": True},
            "x-phases": {"data": "The data", "alpha": "α by α, strong to weak", "summary": "The best α"},
            "x-narrow": {
                "width": frame_layout.NARROW_WIDTH,
                "height": frame_layout.NARROW_HEIGHT,
                "layout": frame_layout.narrow(short),
                "data": {
                    **{str(i): {"showlegend": False} for i in (TRUTH, CONTOURS, ROUTE)},
                    **short_names(
                        {TRAIN: "training", VALIDATION: "validation", REGION: shape, OPTIMUM: "optimum"}
                        | {COEFFICIENTS: "coefficients"}
                    ),
                },
            },
        }

    def render(
        self, frame: Frame, inputs: RegularizationData | ClassData, params: RegularizationDrawn
    ) -> dict[str, Any]:
        if params.task == "classification":
            return class_render(frame, cast(ClassData, inputs))
        inputs = cast(RegularizationData, inputs)
        if params.mode == "weight_decay":
            return decay_render(frame, inputs, params)
        return self._path_render(frame, inputs, params)

    def _path_render(self, frame: Frame, inputs: RegularizationData, params: RegularizationDrawn) -> dict[str, Any]:
        d = int(params.degree)
        traces: list[dict[str, Any]] = [{} for _ in range(COEFFICIENTS + d + 3)]
        state, visual = frame.state, frame.visual
        window = y_window(inputs, params.noise)
        if "curve" in visual:
            traces[FIT] = {"y": typed(clip(visual["curve"], window), "f4")}
            region = visual["region"]  # (73, 2)
            traces[REGION] = {"x": typed(region[:, 0], "f4"), "y": typed(region[:, 1], "f4")}
        if frame.kind == "alpha":
            alpha = float(state["alpha"])
            w1, w2 = state["sub_weights"]
            traces[OPTIMUM] = {"x": [w1], "y": [w2]}
            traces[ROUTE] = {EXTEND: {"x": [w1], "y": [w2]}}
            for i, value in enumerate(state["coefficients"]):
                traces[COEFFICIENTS + i] = {EXTEND: {"x": [alpha], "y": [value]}}
            traces[COEFFICIENTS + d] = {EXTEND: {"x": [alpha], "y": [state["train_mse"]]}}
            traces[COEFFICIENTS + d + 1] = {EXTEND: {"x": [alpha], "y": [state["validation_mse"]]}}
        elif frame.kind == "summary":
            best = int(state["best_index"])
            w1, w2 = (float(v) for v in visual["sub_weights"])
            traces[OPTIMUM] = {"x": [w1], "y": [w2]}
            traces[COEFFICIENTS + d + 2] = {
                "x": [state["best_alpha"]],
                "y": [state["validation_mse"][best]],
                "text": ["best α"],
            }
        return {"data": traces, "layout": {}}

    def panels(
        self, result: Mapping[str, Any], inputs: RegularizationData | ClassData, params: RegularizationDrawn
    ) -> list[dict[str, Any]]:
        return []
