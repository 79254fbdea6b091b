"""The softmax lab's six panels: trace order, where each panel sits (wide and on a phone), their axes,
titles, shading and the bar and line traces (used by ``app.views.softmax``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from app.views.keys import TICK_FONT
from app.views.theme import GRID, INK, MUTED, PALETTE

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


def class_positions(inputs: SoftmaxData) -> list[int]:
    """Classes sit at x = 0..K−1 (named by the ticks): numbers, so the card preview can draw the bars."""
    return list(range(len(inputs.class_names)))


def _colours(inputs: SoftmaxData) -> list[str]:
    return [TARGET if i == inputs.target else OTHER for i in range(len(inputs.class_names))]


def _patterns(inputs: SoftmaxData) -> list[str]:
    return ["/" if i == inputs.target else "" for i in range(len(inputs.class_names))]


def bar_trace(inputs: SoftmaxData, panel: str, name: str, hover: str, digits: int = 3) -> dict[str, Any]:
    a = AXIS[panel]
    return {
        "type": "bar",
        "x": class_positions(inputs),
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


def line_trace(name: str, panel: str, colour: str, **extra: Any) -> dict[str, Any]:
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


def panel_axes(inputs: SoftmaxData, params: SoftmaxDrawn, narrow: bool) -> dict[str, Any]:
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


def panel_titles(state: Mapping[str, Any] | None, naive: bool, kind: str) -> dict[str, str]:
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


def panel_annotations(titles: Mapping[str, str], shaded: Sequence[str]) -> list[dict[str, Any]]:
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


def panel_shapes(shaded: Sequence[str]) -> list[dict[str, Any]]:
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
