"""The activations lab figure.

Top row (static, in the scene): every activation f(x) (the chosen one bold), their derivatives f'(x) from
autograd, and softmax of the chosen logits as bars. Bottom row (per frame): the current layer's activation
histogram, its backward-gradient histogram, and the std of both per layer so far (log y). Every axis is titled;
the curves' legend runs above the top row, the std plot's own legend (``legend2``) sits over that plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import ActivationCurves
from app.views.theme import INK, MUTED, PALETTE, base_layout, typed


class ActivationsDrawn(Protocol):
    """The params the activations view reads."""

    @property
    def activation(self) -> str: ...

    @property
    def logits(self) -> Sequence[float]: ...

    @property
    def depth(self) -> int: ...


def _slots(n_curves: int) -> tuple[int, int, int, int]:
    """Trace order: f(x) per curve, f'(x) per curve, softmax bars, then the per-frame traces (returned):
    activation histogram, gradient histogram, std line, gradient std line."""
    first = 2 * n_curves + 1
    return first, first + 1, first + 2, first + 3


LABELS = {
    "step": "step",
    "linear": "linear",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
}


def _bars(counts: np.ndarray, lo: float, hi: float, colour: str, axis: str, name: str) -> dict[str, Any]:
    width = (hi - lo) / max(len(counts), 1)
    return {
        "type": "bar",
        "x": typed(lo + width * (np.arange(len(counts)) + 0.5), "f4"),
        "y": typed(counts, "f4"),
        "width": width,
        "marker": {"color": colour, "line": {"width": 0}},
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "name": name,
        "hovertemplate": f"{name} ≈ %{{x:.3g}}<br>%{{y:.1%}} of values<extra></extra>",
    }


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "standoff": 2, "font": {"size": 10}}


class ActivationsView:
    def scene(self, inputs: ActivationCurves, params: ActivationsDrawn) -> dict[str, Any]:
        x = typed(inputs.x, "f4")
        n_curves = len(inputs.curves)
        data: list[dict[str, Any]] = []
        for offset, key, axis in ((0, "y", ""), (n_curves, "dy", "2")):
            for i, (name, curve) in enumerate(inputs.curves.items()):
                chosen = name == params.activation
                data.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "x": x,
                        "y": typed(curve[key], "f4"),
                        "xaxis": f"x{axis}",
                        "yaxis": f"y{axis}",
                        "name": LABELS[name],
                        "line": {"color": PALETTE[i % len(PALETTE)], "width": 4 if chosen else 1.5},
                        "opacity": 1.0 if chosen else 0.55,
                        "hovertemplate": (
                            f"{LABELS[name]}{'′' if offset else ''}(%{{x:.2f}}) = %{{y:.3f}}<extra></extra>"
                        ),
                    }
                )
        probs = np.asarray(inputs.softmax)
        data.append(
            {
                "type": "bar",
                "x": [f"z={v:g}" for v in params.logits],
                "y": typed(probs, "f4"),
                "xaxis": "x3",
                "yaxis": "y3",
                "marker": {"color": PALETTE[2]},
                "name": "softmax",
                "text": [f"{p:.2f}" for p in probs],
                "textposition": "outside",
                "hovertemplate": "%{x}: p = %{y:.3f}<extra></extra>",
            }
        )
        data.append(_bars(np.zeros(0), 0, 1, PALETTE[0], "4", "activation"))
        data.append(_bars(np.zeros(0), 0, 1, PALETTE[5], "5", "gradient"))
        stds = (("std of activations", PALETTE[0], "solid"), ("std of gradients", PALETTE[5], "dot"))
        for name, colour, dash in stds:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": [],
                    "y": [],
                    "xaxis": "x6",
                    "yaxis": "y6",
                    "name": name,
                    "legend": "legend2",
                    "line": {"color": colour, "width": 2, "dash": dash},
                    "marker": {"size": 5},
                    "hovertemplate": f"layer %{{x}}: {name} %{{y:.3g}}<extra></extra>",
                }
            )
        small = {"gridcolor": "#eef1f5", "zeroline": False, "tickfont": {"size": 10}}
        top, bottom = [0.6, 0.92], [0.0, 0.36]
        cols = [[0.0, 0.29], [0.355, 0.645], [0.71, 1.0]]
        layout = base_layout(
            margin={"l": 48, "r": 10, "t": 30, "b": 40},
            font={"size": 11, "color": INK},
            showlegend=True,
            legend={
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 1.0,
                "yanchor": "bottom",
                "font": {"size": 10},
                "bgcolor": "rgba(255,255,255,0)",
                "entrywidth": 70,
                "itemwidth": 30,
            },
            legend2={
                "orientation": "v",
                "tracegroupgap": 0,
                "x": cols[2][0],
                "xanchor": "left",
                "y": bottom[1] + 0.01,
                "yanchor": "bottom",
                "font": {"size": 10},
                "bgcolor": "rgba(255,255,255,0)",
                "itemclick": False,
                "itemdoubleclick": False,
            },
        )
        titles = [
            "f(x)",
            "f′(x) (autograd)",
            "softmax(logits)",
            "activations at this layer",
            "gradient at this layer",
            "",  # the std plot's legend stands in its title's place
        ]
        axis_titles = [
            ("x", "f(x)"),
            ("x", "f′(x)"),
            ("logit z", "probability"),
            ("activation value", "share of values"),
            ("gradient value", "share of values"),
            ("layer", "std (log scale)"),
        ]
        notes = []
        for j in range(6):
            s = "" if j == 0 else str(j + 1)
            dom_y = top if j < 3 else bottom
            x_title, y_title = axis_titles[j]
            layout[f"xaxis{s}"] = {**small, "domain": cols[j % 3], "anchor": f"y{s}", "title": _title(x_title)}
            layout[f"yaxis{s}"] = {**small, "domain": dom_y, "anchor": f"x{s}", "title": _title(y_title)}
            if not titles[j]:
                continue
            notes.append(
                {
                    "text": titles[j],
                    "x": sum(cols[j % 3]) / 2,
                    "y": dom_y[1] + 0.01,
                    "xref": "paper",
                    "yref": "paper",
                    "showarrow": False,
                    "yanchor": "bottom",
                    "xanchor": "center",
                    "font": {"size": 11, "color": MUTED},
                }
            )
        layout["yaxis"]["range"] = [-1.6, 4.1]
        layout["yaxis2"]["range"] = [-0.2, 1.3]
        layout["yaxis3"].update(range=[0, 1.15])
        layout["yaxis6"]["type"] = "log"
        layout["xaxis6"].update(dtick=max(1, params.depth // 5), range=[-0.5, params.depth + 0.5])
        layout["annotations"] = notes
        # The f′ curves share their f curve's colour and name, and the bars are one per plot: one key each.
        for i in range(n_curves, 2 * n_curves + 3):
            data[i]["showlegend"] = False
        return {"data": data, "layout": layout, "x-timeline": {"key": "layer", "title": "layer"}}

    def render(self, frame: Frame, inputs: ActivationCurves, params: ActivationsDrawn) -> dict[str, Any]:
        ACT_HIST, GRAD_HIST, STD, GRAD_STD = _slots(len(inputs.curves))
        data: list[dict[str, Any]] = [{} for _ in range(GRAD_STD + 1)]
        v = frame.visual
        lo, hi = v["act_range"]
        data[ACT_HIST] = _bars(np.asarray(v["act_hist"]), lo, hi, PALETTE[0], "4", "activation")
        if "grad_hist" in v:
            g_lo, g_hi = v["grad_range"]
            data[GRAD_HIST] = _bars(np.asarray(v["grad_hist"]), g_lo, g_hi, PALETTE[5], "5", "gradient")
        else:
            data[GRAD_HIST] = {"x": [], "y": []}
        stats = v.get("layer_stats", [])
        layers = list(range(1, len(stats) + 1))
        data[STD] = {"x": layers, "y": [s["std"] if s["std"] > 0 else None for s in stats]}
        data[GRAD_STD] = {"x": layers, "y": [s["grad_std"] if s["grad_std"] > 0 else None for s in stats]}
        for i in (ACT_HIST, GRAD_HIST):
            data[i]["showlegend"] = False
        return {"data": data, "layout": {}}

    def panels(
        self, result: Mapping[str, Any], inputs: ActivationCurves, params: ActivationsDrawn
    ) -> list[dict[str, Any]]:
        return []
