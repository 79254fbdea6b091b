"""The softmax lab's view: six small panels, one per move of the computation, the current move shaded.

Top row: the logits z (the starting logits as hollow diamonds once steps have moved them), the exps, the
probabilities p (the naive p as crosses in the stability frame, p at five temperatures as lines in the
temperature frame). Bottom row: the −log p curve with the target's (p, loss) marked, the log-probabilities,
the gradient (p − onehot)/T. The target class is vermillion and hatched everywhere, the others blue. On a
phone (``x-narrow``) the panels stack in three rows of two. Trace order is fixed (``T_*``); frames patch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from app.core.frame import Frame
from app.views.keys import legend_entry, timeline, top_legend
from app.views.softmax_panels import (
    AXIS,
    HEIGHT,
    LABELLED,
    LABELLED_NARROW,
    N_TEMPS,
    N_TRACES,
    NARROW_HEIGHT,
    NARROW_WIDTH,
    OTHER,
    SHADED,
    T_CURVE,
    T_EXP,
    T_GRAD,
    T_LOGITS,
    T_LOGP,
    T_MARK,
    T_NAIVE,
    T_PROB,
    T_START,
    T_TEMPS,
    TARGET,
    TEMP_COLOURS,
    WIDE_ROWS,
    SoftmaxData,
    SoftmaxDrawn,
    bar_trace,
    class_positions,
    line_trace,
    panel_annotations,
    panel_axes,
    panel_shapes,
    panel_titles,
)
from app.views.theme import INK, MUTED, base_layout, typed


class SoftmaxView:
    def scene(self, inputs: SoftmaxData, params: SoftmaxDrawn) -> dict[str, Any]:
        names = list(inputs.class_names)
        data: list[dict[str, Any]] = [{} for _ in range(N_TRACES)]
        data[T_LOGITS] = bar_trace(inputs, "logits", "logit", "z", digits=4)
        data[T_START] = {
            "type": "scatter",
            "mode": "markers",
            "x": class_positions(inputs),
            "y": typed(inputs.logits, "f8"),
            "hovertext": names,
            "xaxis": f"x{AXIS['logits']}",
            "yaxis": f"y{AXIS['logits']}",
            "name": "logits before the steps",
            "visible": False,
            "showlegend": False,  # keyed by a legend-only entry, so the legend never changes between frames
            "marker": {"symbol": "diamond-open", "size": 11, "color": INK, "line": {"width": 2}},
            "hovertemplate": "%{hovertext}: z was %{y:.4g}<extra></extra>",
        }
        data[T_EXP] = bar_trace(inputs, "exp", "exp", "exp")
        data[T_PROB] = bar_trace(inputs, "prob", "p", "p")
        data[T_NAIVE] = {
            "type": "scatter",
            "mode": "markers",
            "x": class_positions(inputs),
            "y": [],
            "hovertext": names,
            "xaxis": f"x{AXIS['prob']}",
            "yaxis": f"y{AXIS['prob']}",
            "name": "naive p (no max subtracted)",
            "visible": False,
            "showlegend": False,
            "marker": {"symbol": "x-thin-open", "size": 12, "color": INK, "line": {"width": 2.5}},
            "hovertemplate": "%{hovertext}: naive p = %{text}<extra></extra>",
        }
        for j in range(N_TEMPS):
            data[T_TEMPS + j] = line_trace(
                f"T = {j}",
                "prob",
                TEMP_COLOURS[j],
                mode="lines+markers",
                visible=False,
                showlegend=True,
                legend="legend2",
                marker={"size": 6},
                line={"color": TEMP_COLOURS[j], "width": 2, "dash": "solid" if j != 2 else "dot"},
                hovertext=names,
                hovertemplate="%{hovertext}: p = %{y:.4g}<extra>%{fullData.name}</extra>",
            )
        data[T_CURVE] = line_trace(
            "−log p",
            "curve",
            MUTED,
            x=typed(inputs.curve_p, "f8"),
            y=typed(inputs.curve_loss, "f8"),
            hovertemplate="p = %{x:.4g}: −log p = %{y:.4g}<extra></extra>",
        )
        data[T_MARK] = {
            "type": "scatter",
            "mode": "markers+text",
            "x": [],
            "y": [],
            "xaxis": f"x{AXIS['curve']}",
            "yaxis": f"y{AXIS['curve']}",
            "name": "this frame's p[target] and loss",
            "showlegend": False,
            "marker": {"symbol": "circle", "size": 12, "color": TARGET, "line": {"width": 1.5, "color": INK}},
            "textposition": "middle right",
            "textfont": {"size": 11, "color": INK},
            "hovertemplate": "p[target] = %{x:.4g}<br>loss = %{y:.4g}<extra></extra>",
        }
        data[T_LOGP] = bar_trace(inputs, "logp", "log p", "log p")
        data[T_GRAD] = bar_trace(inputs, "grad", "gradient", "∂loss/∂z")
        data.append(legend_entry("target class", colour=TARGET, symbol="square", size=12))
        data.append(legend_entry("other classes", colour=OTHER, symbol="square", size=12))
        data.append(legend_entry("logits before the steps", symbol="diamond-open", size=10))
        data.append(legend_entry("naive p (no max subtracted)", symbol="x-thin-open", size=10))
        layout = base_layout(
            height=HEIGHT,
            margin={"l": 56, "r": 16, "t": 64, "b": 48},
            showlegend=True,
            legend=top_legend(y=1.06, yanchor="bottom"),
            legend2={
                "orientation": "v",
                "x": 1.0,
                "xanchor": "right",
                "y": WIDE_ROWS[0][1],
                "yanchor": "top",
                "font": {"size": 10, "color": INK},
                "bgcolor": "rgba(255,255,255,0.8)",
                "itemclick": False,
                "itemdoubleclick": False,
            },
            annotations=panel_annotations(panel_titles(None, True, "logits"), ()),
            bargap=0.25,
            **panel_axes(inputs, params, False),
        )
        narrow_layout = {
            "margin": {"l": 48, "r": 8, "t": 96, "b": 36},
            "legend": {"y": 1.02, "font": {"size": 10}},
            "legend2": {"x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},  # beside the key, off the plots
            **panel_axes(inputs, params, True),
        }
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline(None, "frame (the explanation, then the gradient steps)"),
            "x-narrow": {
                "width": NARROW_WIDTH,
                "height": NARROW_HEIGHT,
                "layout": narrow_layout,
                "data": self._narrow_bars(len(names)),
            },
        }

    @staticmethod
    def _narrow_bars(k: int) -> dict[str, dict[str, Any]]:
        """On a phone, bars of more than ``LABELLED_NARROW`` classes drop their value labels."""
        if k <= LABELLED_NARROW:
            return {}
        return {str(t): {"texttemplate": ""} for t in (T_PROB, T_EXP, T_LOGITS, T_LOGP, T_GRAD)}

    def render(self, frame: Frame, inputs: SoftmaxData, params: SoftmaxDrawn) -> dict[str, Any]:
        data: list[dict[str, Any]] = [{} for _ in range(N_TRACES)]
        state = frame.state
        kind = frame.kind
        if "probabilities" not in state:  # the service's diverged frame: nothing to draw
            return {"data": data, "layout": {}}
        naive = state.get("naive")
        naive_shown = kind in ("logits", "exp", "normalise") and naive is not None and naive["problem"] == "none"
        data[T_LOGITS] = {"y": typed(state["logits"], "f8")}
        data[T_START] = {"visible": kind in ("step", "done") and state["step"] > 0}
        exp = naive["exp"] if naive_shown and naive is not None else state["exp"]
        data[T_EXP] = {"y": typed(np.asarray(exp, dtype=np.float64), "f8")}
        data[T_PROB] = {"y": typed(state["probabilities"], "f8")}
        if kind == "stability" and naive is not None:
            if len(inputs.class_names) <= LABELLED:
                data[T_EXP] |= {"text": [_naive_word(v) for v in naive["exp"]], "texttemplate": "naive<br>%{text}"}
            shown = [v if v is not None else 0.0 for v in naive["probabilities"]]
            data[T_NAIVE] = {
                "visible": True,
                "y": typed(np.asarray(shown, dtype=np.float64), "f8"),
                "text": [_naive_word(v) for v in naive["probabilities"]],
            }
        if kind == "temperature":
            data[T_PROB]["texttemplate"] = ""  # the five lines cross the bars: their labels would sit on them
            temps = state["temperatures"]
            for j in range(N_TEMPS):
                data[T_TEMPS + j] = {
                    "visible": True,
                    "name": f"T = {float(temps[j]):.3g}",
                    "y": typed(np.asarray(state["probabilities_by_temperature"][j]), "f8"),
                    "x": class_positions(inputs),
                }
        p, loss = float(state["p_target"]), float(state["loss"])
        side = "left" if p > 0.5 else "right"  # the label stays inside the plot
        data[T_MARK] = {
            "x": [p],
            "y": [loss],
            "text": [f"p = {p:.3g}"],
            "textposition": f"top {side}",
        }
        data[T_LOGP] = {"y": typed(state["log_probs"], "f8")}
        data[T_GRAD] = {"y": typed(state["grad"], "f8")}
        shaded = SHADED.get(kind, ())
        return {
            "data": data,
            "layout": {
                f"yaxis{AXIS['curve']}": {"range": [0, 1.05 * max(float(inputs.curve_loss[-1]), 1.1 * loss)]},
                f"yaxis{AXIS['logits']}": {"range": _logit_range(np.asarray(state["logits"]), inputs.logits)},
                "annotations": panel_annotations(panel_titles(state, naive_shown, kind), shaded),
                "shapes": panel_shapes(shaded),
            },
        }

    def panels(self, result: Mapping[str, Any], inputs: SoftmaxData, params: SoftmaxDrawn) -> list[dict[str, Any]]:
        return []


def _logit_range(logits: np.ndarray, start: np.ndarray) -> list[float]:
    """The logits axis: from 0 when 0 is near the logits (bars grow from it), else hugging them ([1000, 1001,
    999] would be three equal walls from 0), with room for the bars' labels."""
    values = np.concatenate([logits, start])
    lo, hi = float(values.min()), float(values.max())
    span = max(hi - lo, 1e-9)
    if lo - span <= 0 <= hi + span:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = hi - lo
        if span == 0:  # every logit 0
            return [-1.0, 1.0]
        return [lo - 0.18 * span * (lo < 0), hi + 0.18 * span * (hi > 0)]
    pad = max(0.25 * span, 0.5)
    return [lo - pad, hi + pad]


def _naive_word(value: float | None) -> str:
    """A naive value for a bar's label: its number, or "∞ / not a number" in words."""
    return "overflow" if value is None else f"{value:.3g}"
