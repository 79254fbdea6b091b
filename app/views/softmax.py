"""The softmax lab's view: six small panels, one per move of the computation, the current move shaded.

Top row: the logits z (the starting logits as hollow diamonds once steps have moved them), the exps, the
probabilities p (the naive p as crosses in the stability frame, p at five temperatures as lines in the
temperature frame). Bottom row: the −log p curve with the target's (p, loss) marked, the log-probabilities,
the gradient (p − onehot)/T. The target class is vermillion and hatched everywhere, the others blue. On a
phone (``x-narrow``) the panels stack in three rows of two. Trace order is fixed (``T_*``); frames patch it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.keys import TICK_FONT, legend_entry, timeline, top_legend
from app.views.theme import GRID, INK, MUTED, PALETTE, base_layout, typed

# p is trace 0 on the main axes: the card preview draws those, in the colour of the trace's index
T_PROB, T_START, T_EXP, T_LOGITS, T_NAIVE, T_TEMPS = 0, 1, 2, 3, 4, 5
N_TEMPS = 5
T_CURVE = T_TEMPS + N_TEMPS
T_MARK, T_LOGP, T_GRAD = T_CURVE + 1, T_CURVE + 2, T_CURVE + 3
N_TRACES = T_GRAD + 1
TARGET, OTHER = PALETTE[5], PALETTE[0]
TEMP_COLOURS = (PALETTE[8], PALETTE[4], INK, PALETTE[1], PALETTE[3])
HIGHLIGHT = "rgba(230, 159, 0, 0.10)"
HEIGHT = 640
NARROW_WIDTH = 700
NARROW_HEIGHT = 980
LABELLED = 6
"""Most classes whose bars carry their values as labels (more would overlap; the hover still says them)."""
LABELLED_NARROW = 4
"""The same on a phone."""

# Panel id → (x axis suffix, column, row) on a wide screen (3 × 2) and a phone (2 × 3).
PANELS = ("prob", "exp", "logits", "curve", "logp", "grad")
"""Axis order: the probabilities take the main axes (x, y), which the catalog card's preview draws."""
WIDE = {"logits": (0, 0), "exp": (1, 0), "prob": (2, 0), "curve": (0, 1), "logp": (1, 1), "grad": (2, 1)}
NARROW = {"logits": (0, 0), "exp": (1, 0), "prob": (0, 1), "curve": (1, 1), "logp": (0, 2), "grad": (1, 2)}
WIDE_COLS = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))
WIDE_ROWS = ((0.62, 0.94), (0.0, 0.34))
NARROW_COLS = ((0.0, 0.42), (0.58, 1.0))
NARROW_ROWS = ((0.75, 0.95), (0.39, 0.59), (0.0, 0.23))
SHADED = {
    "logits": ("logits",),
    "exp": ("exp",),
    "normalise": ("prob",),
    "stability": ("exp", "prob"),
    "loss": ("curve",),
    "log-softmax": ("logp", "curve"),
    "gradient": ("grad",),
    "temperature": ("prob",),
    "step": ("logits", "grad", "curve"),
    "done": ("logits", "prob", "curve"),
}
"""Which panels a frame kind is about."""


class SoftmaxData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def logits(self) -> np.ndarray:
        """(K,) the starting logits."""
        ...

    @property
    def class_names(self) -> tuple[str, ...]: ...

    @property
    def target(self) -> int: ...

    @property
    def curve_p(self) -> np.ndarray: ...

    @property
    def curve_loss(self) -> np.ndarray: ...

    @property
    def grad_limit(self) -> float: ...


class SoftmaxDrawn(Protocol):
    @property
    def temperature(self) -> float: ...


def _axis(i: int) -> str:
    return "" if i == 0 else str(i + 1)


AXIS = {name: _axis(i) for i, name in enumerate(PANELS)}


def _positions(inputs: SoftmaxData) -> list[int]:
    """Classes sit at x = 0..K−1 (named by the ticks): numbers, so the card preview can draw the bars."""
    return list(range(len(inputs.class_names)))


def _colours(inputs: SoftmaxData) -> list[str]:
    return [TARGET if i == inputs.target else OTHER for i in range(len(inputs.class_names))]


def _patterns(inputs: SoftmaxData) -> list[str]:
    return ["/" if i == inputs.target else "" for i in range(len(inputs.class_names))]


def _bar(inputs: SoftmaxData, panel: str, name: str, hover: str, digits: int = 3) -> dict[str, Any]:
    a = AXIS[panel]
    return {
        "type": "bar",
        "x": _positions(inputs),
        "y": [],
        "hovertext": list(inputs.class_names),
        "xaxis": f"x{a}",
        "yaxis": f"y{a}",
        "name": name,
        "showlegend": False,
        "marker": {
            "color": _colours(inputs),
            "pattern": {"shape": _patterns(inputs), "fgcolor": "#ffffff", "size": 6},
            "line": {"width": 0},
        },
        "texttemplate": f"%{{y:.{digits}~g}}" if len(inputs.class_names) <= LABELLED else "",
        "constraintext": "none",
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": 10, "color": INK},
        "hovertemplate": f"%{{hovertext}}: {hover} = %{{y:.6g}}<extra></extra>",
    }


def _line(name: str, panel: str, colour: str, **extra: Any) -> dict[str, Any]:
    a = AXIS[panel]
    trace = {
        "type": "scatter",
        "mode": "lines",
        "x": [],
        "y": [],
        "xaxis": f"x{a}",
        "yaxis": f"y{a}",
        "name": name,
        "showlegend": False,
        "line": {"color": colour, "width": 2},
    }
    trace.update(extra)
    return trace


def _domains(narrow: bool) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    place, cols, rows = (NARROW, NARROW_COLS, NARROW_ROWS) if narrow else (WIDE, WIDE_COLS, WIDE_ROWS)
    return {name: (cols[c], rows[r]) for name, (c, r) in place.items()}


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "standoff": 4, "font": {"size": 11}}


AXIS_TITLES = {
    "logits": ("class", "logit z"),
    "exp": ("class", "exp"),
    "prob": ("class", "probability p"),
    "curve": ("p[target]", "loss = −log p"),
    "logp": ("class", "log p"),
    "grad": ("class", "∂loss/∂z"),
}


def _axes(inputs: SoftmaxData, params: SoftmaxDrawn, narrow: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    small = {"gridcolor": GRID, "zerolinecolor": MUTED, "tickfont": {"size": TICK_FONT - 1}, "automargin": True}
    for name, (dom_x, dom_y) in _domains(narrow).items():
        a = AXIS[name]
        x_title, y_title = AXIS_TITLES[name]
        xaxis: dict[str, Any] = {**small, "domain": list(dom_x), "anchor": f"y{a}", "title": _title(x_title)}
        if name != "curve":
            k = len(inputs.class_names)
            xaxis |= {
                "tickvals": list(range(k)),
                "ticktext": list(inputs.class_names),
                "range": [-0.6, k - 0.4],
                "tickangle": (-60 if k > LABELLED_NARROW else -30) if narrow else (-30 if k > LABELLED else 0),
                "showgrid": False,
                "zeroline": False,
            }
            if narrow:
                xaxis["title"] = _title("")  # the class names say it; a phone has no room for the word
        out[f"xaxis{a}"] = xaxis
        out[f"yaxis{a}"] = {**small, "domain": list(dom_y), "anchor": f"x{a}", "title": _title(y_title)}
    out[f"yaxis{AXIS['prob']}"]["range"] = [0, 1.15]
    limit = 1.25 * inputs.grad_limit
    out[f"yaxis{AXIS['grad']}"]["range"] = [-limit, limit]
    curve = AXIS["curve"]
    out[f"xaxis{curve}"].update(range=[-0.02, 1.02])
    out[f"yaxis{curve}"].update(range=[0, float(inputs.curve_loss[-1]) * 1.05])
    return out


def _exp_title(state: Mapping[str, Any], naive: bool) -> str:
    over = "z" if state["temperature"] == 1.0 else "z/T"
    if naive:
        return f"2 · e<sup>{over}</sup>"
    return f"2 · e<sup>{over} − m</sup>, m = {float(state['shift']):.4g}"


def _titles(state: Mapping[str, Any] | None, naive: bool, kind: str) -> dict[str, str]:
    loss = "" if state is None else f" = {float(state['loss']):.4g}"
    exp = "2 · e<sup>z/T</sup>" if state is None else _exp_title(state, naive)
    step = "" if state is None or not state["step"] else f" (step {state['step']})"
    return {
        "logits": f"1 · logits z{step}",
        "exp": exp,
        "prob": "3 · p = exp ÷ sum" if kind != "temperature" else "p at five temperatures",
        "curve": f"4 · loss{loss}",
        "logp": "5 · log p (log-softmax)",
        "grad": "6 · (p − onehot)/T",
    }


def _annotations(titles: Mapping[str, str], shaded: Sequence[str]) -> list[dict[str, Any]]:
    """Each panel's title above it, placed by its own axes' domain (so the phone's restacked layout moves it)."""
    notes = []
    for name in PANELS:
        a = AXIS[name]
        notes.append(
            {
                "text": f"<b>{titles[name]}</b>" if name in shaded else titles[name],
                "x": 0.5,
                "y": 1.02,
                "xref": f"x{a} domain",
                "yref": f"y{a} domain",
                "showarrow": False,
                "xanchor": "center",
                "yanchor": "bottom",
                "font": {"size": 12, "color": INK if name in shaded else MUTED},
            }
        )
    return notes


def _shapes(shaded: Sequence[str]) -> list[dict[str, Any]]:
    """A pale box behind each panel this frame is about (in its axes' domain, like the titles)."""
    shapes = []
    for name in shaded:
        a = AXIS[name]
        shapes.append(
            {
                "type": "rect",
                "xref": f"x{a} domain",
                "yref": f"y{a} domain",
                "x0": -0.04,
                "x1": 1.04,
                "y0": -0.02,
                "y1": 1.16,
                "fillcolor": HIGHLIGHT,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return shapes


class SoftmaxView:
    def scene(self, inputs: SoftmaxData, params: SoftmaxDrawn) -> dict[str, Any]:
        names = list(inputs.class_names)
        data: list[dict[str, Any]] = [{} for _ in range(N_TRACES)]
        data[T_LOGITS] = _bar(inputs, "logits", "logit", "z", digits=4)
        data[T_START] = {
            "type": "scatter",
            "mode": "markers",
            "x": _positions(inputs),
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
        data[T_EXP] = _bar(inputs, "exp", "exp", "exp")
        data[T_PROB] = _bar(inputs, "prob", "p", "p")
        data[T_NAIVE] = {
            "type": "scatter",
            "mode": "markers",
            "x": _positions(inputs),
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
            data[T_TEMPS + j] = _line(
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
        data[T_CURVE] = _line(
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
        data[T_LOGP] = _bar(inputs, "logp", "log p", "log p")
        data[T_GRAD] = _bar(inputs, "grad", "gradient", "∂loss/∂z")
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
            annotations=_annotations(_titles(None, True, "logits"), ()),
            bargap=0.25,
            **_axes(inputs, params, False),
        )
        narrow_layout = {
            "margin": {"l": 48, "r": 8, "t": 96, "b": 36},
            "legend": {"y": 1.02, "font": {"size": 10}},
            "legend2": {"x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},  # beside the key, off the plots
            **_axes(inputs, params, True),
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
                    "x": _positions(inputs),
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
                "annotations": _annotations(_titles(state, naive_shown, kind), shaded),
                "shapes": _shapes(shaded),
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
