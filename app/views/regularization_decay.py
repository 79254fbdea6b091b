"""The regularization figure in ``weight_decay`` mode: the fit; the 2-weight picture of (w₁, w₂) of the full model
with its trajectory, the frame's step as before → after the shrink → after the gradient step, and the ridge fit
at α = λ it heads for; every weight as a bar (after the step) with a mark where it was before; the data loss and
validation MSE over the steps."""

from __future__ import annotations

from typing import Any

from app.core.frame import Frame
from app.views import regularization_layout as frame_layout
from app.views.regularization_parts import (
    BARS,
    BEFORE,
    EXTEND,
    FIT,
    FIT_COLOUR,
    LOSS,
    REGION_COLOUR,
    RIDGE,
    STEP,
    TRAIN,
    TRAIN_COLOUR,
    TRAIN_NAME,
    TRAJECTORY,
    TRUTH,
    VALIDATION,
    VALIDATION_COLOUR,
    VALIDATION_LOSS,
    VALIDATION_NAME,
    RegularizationData,
    RegularizationDrawn,
    clip,
    feature_name,
    fit_traces,
    short_names,
    trace,
    y_window,
)
from app.views.theme import INK, MUTED, PALETTE, typed


def decay_scene(inputs: RegularizationData, params: RegularizationDrawn) -> dict[str, Any]:
    d = int(params.degree)
    data = [*fit_traces(inputs)]
    data += [
        trace(
            "(w₁, w₂) so far",
            ("x2", "y2"),
            mode="lines+markers",
            line={"color": MUTED, "width": 1.5},
            marker={"size": 4, "color": MUTED},
            hovertemplate="(%{x:.3g}, %{y:.3g})<extra></extra>",
        ),
        trace(
            "this step: shrink, then step",
            ("x2", "y2"),
            mode="lines+markers",
            line={"color": REGION_COLOUR, "width": 2.5},
            marker={"symbol": ["circle-open", "square", "triangle-up"], "size": 10, "color": REGION_COLOUR},
            hovertemplate="%{text}: (%{x:.4g}, %{y:.4g})<extra></extra>",
            text=["before", "after the shrink", "after the gradient step"],
        ),
        trace(
            "ridge fit at α = λ",
            ("x2", "y2"),
            mode="markers",
            x=[float(inputs.decay_ridge[0])],
            y=[float(inputs.decay_ridge[1])],
            marker={"symbol": "star", "size": 14, "color": PALETTE[6], "line": {"width": 1.5, "color": INK}},
            hovertemplate="ridge (%{x:.4g}, %{y:.4g})<extra></extra>",
        ),
        {
            "type": "bar",
            "name": "weight after the step",
            "x": [feature_name(i) for i in range(1, d + 1)],
            "y": [0.0] * d,
            "xaxis": "x3",
            "yaxis": "y3",
            "marker": {"color": FIT_COLOUR},
            "hovertemplate": "%{x}: %{y:.4g}<extra>after</extra>",
        },
        trace(
            "weight before it",
            ("x3", "y3"),
            mode="markers",
            x=[feature_name(i) for i in range(1, d + 1)],
            marker={"symbol": "line-ew-open", "size": 14, "color": INK, "line": {"width": 2}},
            hovertemplate="%{x}: %{y:.4g}<extra>before</extra>",
        ),
        trace(
            TRAIN_NAME,
            ("x4", "y4"),
            mode="lines+markers",
            legendgroup="train",
            showlegend=False,
            line={"color": TRAIN_COLOUR, "width": 2},
            marker={"size": 4},
            hovertemplate="step %{x}: %{y:.4g}<extra>data loss</extra>",
        ),
        trace(
            VALIDATION_NAME,
            ("x4", "y4"),
            mode="lines+markers",
            legendgroup="validation",
            showlegend=False,
            line={"color": VALIDATION_COLOUR, "width": 2.5},
            marker={"symbol": "diamond", "size": 5},
            hovertemplate="step %{x}: %{y:.4g}<extra>validation MSE</extra>",
        ),
    ]
    titles = {
        "x": "x",
        "y": "y",
        "x2": "w₁ (coefficient of u¹)",
        "y2": "w₂ (coefficient of u²)",
        "x3": "feature (standardised power of u)",
        "y3": "weight",
        "x4": "gradient step",
        "y4": "error (log scale)",
    }
    extra: dict[str, dict[str, Any]] = {
        "x": {"range": [0.0, 1.0]},
        "y": {"range": y_window(inputs, params.noise)},
        "x2": {"zeroline": True, "zerolinecolor": MUTED},
        "y2": {"zeroline": True, "zerolinecolor": MUTED, "scaleanchor": "x2"},
        "x3": {"type": "category"},
        "y4": {"type": "log"},
    }
    return {
        "data": data,
        "layout": frame_layout.layout(titles, extra),
        "x-timeline": {"key": "step", "title": "step"},
        "x-phases": {"start": "Start", "step": "Shrink, then step", "end": "Where it heads"},
        "x-narrow": {
            "width": frame_layout.NARROW_WIDTH,
            "height": frame_layout.NARROW_HEIGHT,
            "layout": frame_layout.narrow({"x3": "feature"}),
            "data": {
                **{str(i): {"showlegend": False} for i in (TRUTH, TRAJECTORY, BEFORE)},
                **short_names(
                    {TRAIN: "training", VALIDATION: "validation", STEP: "this step", RIDGE: "ridge, α = λ"}
                    | {BARS: "weights"}
                ),
            },
        },
    }


def decay_render(frame: Frame, inputs: RegularizationData, params: RegularizationDrawn) -> dict[str, Any]:
    traces: list[dict[str, Any]] = [{} for _ in range(VALIDATION_LOSS + 1)]
    state, visual = frame.state, frame.visual
    traces[FIT] = {"y": typed(clip(visual["curve"], y_window(inputs, params.noise)), "f4")}
    if frame.kind == "step":
        before, shrunk, after = state["before"], state["shrunk"], state["weights"]
        traces[TRAJECTORY] = {EXTEND: {"x": [after[0]], "y": [after[1]]}}
    elif frame.kind == "end":
        before, shrunk, after = (visual[key].tolist() for key in ("before", "shrunk", "weights"))
    else:
        return {"data": traces, "layout": {}}
    traces[STEP] = {"x": [before[0], shrunk[0], after[0]], "y": [before[1], shrunk[1], after[1]]}
    traces[BARS] = {"y": after}
    traces[BEFORE] = {"y": before}
    if frame.kind == "step":
        traces[LOSS] = {EXTEND: {"x": [state["step"]], "y": [state["train_loss"]]}}
        traces[VALIDATION_LOSS] = {EXTEND: {"x": [state["step"]], "y": [state["validation_mse"]]}}
    return {"data": traces, "layout": {}}
