"""Pieces of the residual-network figure: trace builders, the six panels' axes (wide and phone), their titles,
and the residual block diagram (Plotly shapes and annotations on axes x3/y3, its addition highlighted)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from app.views.markers import class_symbols
from app.views.neural_layout import NEG, POS
from app.views.theme import INK, PAPER, discrete_colorscale, typed

COLOURS = {"plain": "#D55E00", "residual": "#009E73"}
"""Each net's colour (the classes are blue and orange, the nets vermilion and green)."""
ADD = "#F0E442"
"""The highlighted addition of the block diagram."""

WIDE: dict[str, tuple[list[float], list[float]]] = {
    "": ([0.0, 0.28], [0.58, 0.94]),
    "2": ([0.36, 0.64], [0.58, 0.94]),
    "3": ([0.71, 1.0], [0.58, 0.94]),
    "4": ([0.0, 0.28], [0.0, 0.4]),
    "5": ([0.36, 0.64], [0.0, 0.4]),
    "6": ([0.72, 1.0], [0.0, 0.4]),
}
"""Axis suffix → (x domain, y domain) on a laptop: curves, gradients, diagram on top; two boundaries, factor."""
NARROW: dict[str, tuple[list[float], list[float]]] = {
    "": ([0.0, 0.44], [0.72, 0.96]),
    "2": ([0.58, 1.0], [0.72, 0.96]),
    "3": ([0.0, 0.44], [0.0, 0.22]),
    "4": ([0.0, 0.44], [0.37, 0.6]),
    "5": ([0.58, 1.0], [0.37, 0.6]),
    "6": ([0.58, 1.0], [0.0, 0.22]),
}
"""The same panels in a 2 × 3 grid on a phone: curves, boundaries, then the diagram and the factor."""
TITLES = {
    "": "Loss (test dotted)",
    "2": "‖∂L/∂W‖ per layer (log)",
    "3": "A residual block",
    "4": "Plain net",
    "5": "Residual net",
    "6": "Layer 1 gradient ratio",
}


class PointsData(Protocol):
    @property
    def X(self) -> np.ndarray: ...
    @property
    def y(self) -> np.ndarray: ...
    @property
    def train(self) -> np.ndarray: ...
    @property
    def test(self) -> np.ndarray: ...
    @property
    def n_classes(self) -> int: ...
    @property
    def axes(self) -> tuple[np.ndarray, ...]: ...


class BlockDrawn(Protocol):
    @property
    def batch_norm(self) -> bool: ...
    @property
    def activation(self) -> str: ...


def line(name: str, colour: str, x: str, y: str, dash: str, group: str | None = None) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": x,
        "yaxis": y,
        "line": {"color": colour, "width": 2, "dash": dash},
        "hovertemplate": f"{name}<br>epoch %{{x}}: %{{y:.4g}}<extra></extra>",
    }
    if group is not None:
        trace["legendgroup"] = group
    return trace


def points(inputs: PointsData, axis: str) -> list[dict[str, Any]]:
    """The training points (filled) and test points (hollow) on one boundary's axes, coloured and shaped by class."""
    out = []
    k = inputs.n_classes
    for idx, name in ((inputs.train, "train"), (inputs.test, "test")):
        hollow = name == "test"
        labels = inputs.y[idx]
        marker: dict[str, Any] = {
            "size": 7,
            "symbol": class_symbols(labels, hollow),
            "line": {"width": 1.5} if hollow else {"width": 1, "color": PAPER},
            "color": typed(labels, "u1"),
        }
        if k == 2:
            marker |= {"cmin": 0, "cmax": 1, "colorscale": [[0, NEG], [1, POS]]}
        else:
            marker |= {"cmin": -0.5, "cmax": k - 0.5, "colorscale": discrete_colorscale(k)}
        out.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{name} points",
                "x": typed(inputs.X[idx, 0], "f4"),
                "y": typed(inputs.X[idx, 1], "f4"),
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "marker": marker,
                "showlegend": False,
                "hovertemplate": f"{name} point<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
            }
        )
    return out


def _axis(suffix: str, domains: dict[str, tuple[list[float], list[float]]]) -> dict[str, Any]:
    x, y = domains[suffix]
    return {f"xaxis{suffix}": {"domain": x}, f"yaxis{suffix}": {"domain": y}}


def axes(inputs: PointsData, params: Any) -> dict[str, Any]:
    """Every panel's axes on a laptop: domains, titles, the two log axes, the diagram's hidden box."""
    small = {"size": 12}
    layout: dict[str, Any] = {}
    for suffix in WIDE:
        for key, value in _axis(suffix, WIDE).items():
            other = ("y" if key.startswith("x") else "x") + key[5:]
            layout[key] = value | {"anchor": other, "gridcolor": "#e4e7eb", "tickfont": small}
    epochs = [0, max(int(params.epochs), 1)]
    layout["xaxis"] |= {"title": {"text": "epoch", "font": small, "standoff": 4}, "range": epochs}
    layout["yaxis"] |= {"title": {"text": "cross-entropy", "font": small, "standoff": 4}, "rangemode": "tozero"}
    layout["xaxis2"] |= {"title": {"text": "layer (1 = input side)", "font": small, "standoff": 4}, "dtick": 5}
    layout["yaxis2"] |= {
        "type": "log",
        "dtick": 2,
        "exponentformat": "power",
        "title": {"text": "‖∂L/∂W‖", "font": small},
    }
    layout["xaxis3"] |= {"range": [0, 10], "visible": False, "fixedrange": True}
    layout["yaxis3"] |= {"range": [0, 4.2], "visible": False, "fixedrange": True}
    ax, ay = inputs.axes
    for suffix in ("4", "5"):
        layout[f"xaxis{suffix}"] |= {"range": [float(ax[0]), float(ax[-1])], "title": {"text": "x₁", "font": small}}
        layout[f"yaxis{suffix}"] |= {
            "range": [float(ay[0]), float(ay[-1])],
            "title": {"text": "x₂", "font": small, "standoff": 2},
        }
    layout["xaxis6"] |= {"title": {"text": "epoch", "font": small, "standoff": 4}, "range": epochs}
    layout["yaxis6"] |= {
        "type": "log",
        "dtick": 1,
        "exponentformat": "power",
        "title": {"text": "residual ÷ plain", "font": small},
    }
    return layout


def titles(domains: dict[str, tuple[list[float], list[float]]] | None = None, size: int = 13) -> list[dict[str, Any]]:
    """One title above each panel (paper coordinates)."""
    where = WIDE if domains is None else domains
    return [
        {
            "text": f"<b>{TITLES[s]}</b>",
            "xref": "paper",
            "yref": "paper",
            "x": (where[s][0][0] + where[s][0][1]) / 2,
            "y": where[s][1][1],
            "yshift": 6,
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": size, "color": INK},
        }
        for s in where
    ]


def narrow_axes(params: BlockDrawn) -> dict[str, Any]:
    """The phone's layout: the panels stacked, their titles moved with them, the legend on top."""
    layout: dict[str, Any] = {}
    for suffix in NARROW:
        layout |= _axis(suffix, NARROW)
    for suffix in ("4", "5"):
        layout[f"xaxis{suffix}"]["title"] = {"text": ""}  # the boundaries' x₁: no room above the next row
    notes = [
        n | {"font": n["font"] | {"size": min(n["font"]["size"], 9)}} if "font" in n else n
        for n in diagram_notes(params)
    ]
    return layout | {
        "annotations": titles(NARROW, 11) + notes,
        "margin": {"l": 44, "r": 8, "t": 40, "b": 40},
        "legend": {"font": {"size": 10}},
    }


# -- the block diagram (axes x3/y3: x 0..10, y 0..4.2) --------------------------------------------------------------

ROW_Y = 1.7
BOXES = ((0.9, 5.7, "f"),)
PLUS_X, PLUS_R = 6.7, 0.4


def _box_label(params: BlockDrawn | None) -> str:
    act = params.activation if params is not None else "act"
    norm = " → BN" if params is None or params.batch_norm else ""
    return f"<b>f(h)</b><br>W·h + b{norm} → {act}"


def diagram_shapes(params: BlockDrawn) -> list[dict[str, Any]]:
    """The boxes, the (+) circle (highlighted) and the identity path around the block."""
    ref = {"xref": "x3", "yref": "y3"}
    shapes: list[dict[str, Any]] = []
    for x0, x1, _ in BOXES:
        shapes.append(
            ref
            | {
                "type": "rect",
                "x0": x0,
                "x1": x1,
                "y0": ROW_Y - 0.6,
                "y1": ROW_Y + 0.6,
                "line": {"color": INK, "width": 1.5},
                "fillcolor": "#eef2f6",
            }
        )
    shapes.append(
        ref
        | {
            "type": "circle",
            "x0": PLUS_X - PLUS_R,
            "x1": PLUS_X + PLUS_R,
            "y0": ROW_Y - PLUS_R,
            "y1": ROW_Y + PLUS_R,
            "line": {"color": INK, "width": 3},
            "fillcolor": ADD,
        }
    )
    top = 3.2
    path = f"M 0.55,{ROW_Y + 0.25} L 0.55,{top} L {PLUS_X},{top} L {PLUS_X},{ROW_Y + PLUS_R + 0.05}"
    shapes.append(ref | {"type": "path", "path": path, "line": {"color": COLOURS["residual"], "width": 3}})
    return shapes


def _arrow(x0: float, x1: float, y0: float, y1: float, colour: str = INK) -> dict[str, Any]:
    return {
        "x": x1,
        "y": y1,
        "ax": x0,
        "ay": y0,
        "xref": "x3",
        "yref": "y3",
        "axref": "x3",
        "ayref": "y3",
        "text": "",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1,
        "arrowwidth": 1.5,
        "arrowcolor": colour,
    }


def _text(x: float, y: float, text: str, size: int = 12, colour: str = INK) -> dict[str, Any]:
    return {
        "x": x,
        "y": y,
        "xref": "x3",
        "yref": "y3",
        "text": text,
        "showarrow": False,
        "font": {"size": size, "color": colour},
    }


def diagram_notes(params: BlockDrawn | None = None) -> list[dict[str, Any]]:
    """The diagram's words and arrows (the same on every screen)."""
    notes = [_text(0.25, ROW_Y, "h"), _text(8.95, ROW_Y, "h + f(h)", 11)]
    notes += [_text((x0 + x1) / 2, ROW_Y, _box_label(params), 10) for x0, x1, _ in BOXES]
    notes.append(_text(PLUS_X, ROW_Y, "<b>+</b>", 16))
    notes.append(_text(3.8, 3.6, "identity skip: h unchanged", 11, COLOURS["residual"]))
    notes.append(_text(4.6, 0.35, "the plain net: h ← f(h), no skip", 10, INK))
    notes.append(_arrow(0.55, BOXES[0][0], ROW_Y, ROW_Y))
    notes.append(_arrow(BOXES[0][1], PLUS_X - PLUS_R, ROW_Y, ROW_Y))
    notes.append(_arrow(PLUS_X + PLUS_R, 7.65, ROW_Y, ROW_Y))
    return notes
