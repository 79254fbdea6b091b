"""Pieces of the recurrent-network figure: the panels' places (wide and phone), their titles, and the diagram of
the types of RNN (one-to-one, one-to-many, many-to-one, many-to-many) drawn as Plotly shapes on axes x2/y2, the
run's own type highlighted."""

from __future__ import annotations

from typing import Any

from app.views.theme import INK, MUTED

COLOURS = {"rnn": "#D55E00", "lstm": "#009E73", "gru": "#0072B2"}
"""Each net's colour on every panel."""
NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
GATE_COLOURS = {
    "input": "#0072B2",
    "forget": "#009E73",
    "output": "#CC79A7",
    "candidate": "#E69F00",
    "reset": "#CC79A7",
    "update": "#009E73",
}
HIGHLIGHT = "#F0E442"
HIDDEN_SCALE = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]]

Domains = dict[str, tuple[list[float], list[float]]]


def wide(n_nets: int) -> Domains:
    """Axis suffix → (x domain, y domain) on a laptop: series and diagram; gradients and hidden states; losses and
    gates."""
    out: Domains = {
        "": ([0.0, 0.62], [0.72, 0.96]),
        "2": ([0.70, 1.0], [0.72, 0.96]),
        "3": ([0.0, 0.28], [0.37, 0.6]),
        "6": ([0.0, 0.28], [0.0, 0.24]),
        "7": ([0.36, 1.0], [0.0, 0.24]),
    }
    if n_nets == 2:
        out["4"] = ([0.36, 0.64], [0.37, 0.6])
        out["5"] = ([0.72, 0.96], [0.37, 0.6])
    else:
        out["4"] = ([0.36, 0.96], [0.37, 0.6])
    return out


def narrow(n_nets: int) -> Domains:
    """The panels on a phone, the diagram left out: the series; gradients and losses; hidden states; gates."""
    out: Domains = {
        "": ([0.0, 1.0], [0.80, 0.95]),
        "3": ([0.0, 0.42], [0.54, 0.69]),
        "6": ([0.58, 1.0], [0.54, 0.69]),
        "7": ([0.0, 1.0], [0.0, 0.15]),
    }
    if n_nets == 2:
        out["4"] = ([0.0, 0.42], [0.27, 0.43])
        out["5"] = ([0.58, 0.9], [0.27, 0.43])
    else:
        out["4"] = ([0.0, 0.9], [0.27, 0.43])
    return out


def titles(domains: Domains, task: str, cells: tuple[str, ...], size: int = 13) -> list[dict[str, Any]]:
    """One title above each panel (paper coordinates)."""
    gated = next((c for c in cells if c != "rnn"), None)
    text = {
        "": "Series: truth, one-step predictions, free forecast (dashed)"
        if task == "forecast"
        else "Test windows: p(rise) against the truth",
        "2": "Types of RNN (this run highlighted)",
        "3": "‖∂L/∂h_t‖ over the window (log)",
        "4": f"{NAMES[cells[0]]} hidden state h_t",
        "5": f"{NAMES[cells[-1]]} hidden state h_t",
        "6": "Loss (test dotted)",
        "7": f"{NAMES[gated]} gates over the probe window (mean over the units)" if gated else "Gates",
    }
    return [
        {
            "text": f"<b>{text[s]}</b>",
            "xref": "paper",
            "yref": "paper",
            "x": (x[0] + x[1]) / 2,
            "y": y[1],
            "yshift": 4,
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": size, "color": INK},
        }
        for s, (x, y) in domains.items()
    ]


# -- the types of RNN (axes x2/y2: x 0..12, y 0..4.4) -------------------------------------------------------------

TYPES = (
    ("one → one", 1, 1, "one"),
    ("one → many", 1, 3, "many-out"),
    ("many → one", 3, 1, "many-in"),
    ("many → many", 3, 3, "many"),
)
"""(label, inputs, outputs, layout) of each type, left to right."""
CELL = 0.5
ROWS = {"in": 0.9, "h": 2.1, "out": 3.3}
RUN_TYPE = "many → one"
"""Both tasks of this lab read a whole window and predict from its last step."""


def _box(x: float, y: float, colour: str, fill: str) -> dict[str, Any]:
    half = CELL / 2
    return {
        "type": "rect",
        "xref": "x2",
        "yref": "y2",
        "x0": x - half,
        "x1": x + half,
        "y0": y - half * 0.8,
        "y1": y + half * 0.8,
        "line": {"color": colour, "width": 1.2},
        "fillcolor": fill,
    }


def _link(x0: float, y0: float, x1: float, y1: float, colour: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x2",
        "yref": "y2",
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "line": {"color": colour, "width": 1.2},
    }


def diagram_shapes() -> list[dict[str, Any]]:
    """Boxes (inputs blue, hidden states grey, outputs orange), their links, and the run's type's highlight."""
    shapes: list[dict[str, Any]] = []
    for k, (label, n_in, n_out, _) in enumerate(TYPES):
        centre = 1.5 + 3 * k
        steps = max(n_in, n_out)
        xs = [centre + (j - (steps - 1) / 2) * 0.75 for j in range(steps)]
        if label == RUN_TYPE:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x2",
                    "yref": "y2",
                    "x0": centre - 1.42,
                    "x1": centre + 1.42,
                    "y0": 0.05,
                    "y1": 4.35,
                    "line": {"color": INK, "width": 2},
                    "fillcolor": HIGHLIGHT,
                    "opacity": 0.45,
                    "layer": "below",
                }
            )
        for j, x in enumerate(xs):
            shapes.append(_box(x, ROWS["h"], INK, "#e4e7eb"))
            if j > 0:
                shapes.append(_link(xs[j - 1] + CELL / 2, ROWS["h"], x - CELL / 2, ROWS["h"], INK))
            if j < n_in:  # inputs at the first steps
                shapes.append(_box(x, ROWS["in"], "#0072B2", "#cfe3f3"))
                shapes.append(_link(x, ROWS["in"] + 0.2, x, ROWS["h"] - 0.2, MUTED))
            if j >= steps - n_out:  # outputs at the last steps
                shapes.append(_box(x, ROWS["out"], "#D55E00", "#f8dcc8"))
                shapes.append(_link(x, ROWS["h"] + 0.2, x, ROWS["out"] - 0.2, MUTED))
    return shapes


def diagram_notes(task: str, window: int, size: int = 10) -> list[dict[str, Any]]:
    """Each type's name under it, and what this run's type means here."""
    notes: list[dict[str, Any]] = []
    for k, (label, *_rest) in enumerate(TYPES):
        bold = label == RUN_TYPE
        notes.append(
            {
                "x": 1.5 + 3 * k,
                "y": 3.95,
                "xref": "x2",
                "yref": "y2",
                "text": f"<b>{label}</b>" if bold else label,
                "showarrow": False,
                "font": {"size": size, "color": INK},
            }
        )
    what = "the next value" if task == "forecast" else "rise or fall"
    notes.append(
        {
            "x": 6.0,
            "y": 0.2,
            "xref": "x2",
            "yref": "y2",
            "text": f"this run: {window} values in → {what} out",
            "showarrow": False,
            "font": {"size": size, "color": INK},
        }
    )
    return notes


def gate_names(cell: str) -> tuple[str, ...]:
    if cell == "lstm":
        return ("input", "forget", "output", "candidate")
    if cell == "gru":
        return ("reset", "update", "candidate")
    return ()
