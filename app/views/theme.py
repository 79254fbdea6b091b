"""One place for colours, fonts and the shared layout, plus Plotly typed-array encoding.

The browser draws with the same values: every page renders ``css_variables()`` into a ``:root`` style block
(app.css names its colours from it) and ``tokens()`` into a JSON block that ``static/js/theme.js`` reads, so
no colour or font is written down twice.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

# Okabe–Ito (colour-blind safe) first, then Paul Tol's muted set for k > 8.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#6F6F6F",
    "#A6761D",
    "#1B9E77",
)
INK = "#1f2933"  # text, outlines, marks drawn over data
MUTED = "#9aa5b1"  # points not yet assigned, axis lines (a mark colour: too light for body text)
GRID = "#e4e7eb"
PAPER = "#ffffff"  # figure background, and the halo drawn around marks over data
FONT = "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"


def tokens() -> dict[str, Any]:
    """The theme as the browser reads it (``static/js/theme.js``): ``{"palette": [...], "ink", "muted", ...}``."""
    return {"palette": list(PALETTE), "ink": INK, "muted": MUTED, "grid": GRID, "paper": PAPER, "font": FONT}


def css_variables() -> str:
    """CSS custom properties for a ``:root`` rule: ``--palette-0`` … ``--palette-19``, ``--ink``,
    ``--plot-muted``, ``--plot-grid``, ``--paper``, ``--font``. (``--muted`` stays app.css's own text grey:
    MUTED is too light to read as text.) The values are constants of this module, never user input; the check
    keeps them from ever closing the style element or the rule they are rendered into."""
    pairs = [(f"--palette-{i}", colour) for i, colour in enumerate(PALETTE)]
    pairs += [("--ink", INK), ("--plot-muted", MUTED), ("--plot-grid", GRID), ("--paper", PAPER), ("--font", FONT)]
    for name, value in pairs:
        if any(c in value for c in "<>{};\\"):
            raise ValueError(f"theme value {name} = {value!r} cannot go into a style block")
    return " ".join(f"{name}: {value};" for name, value in pairs)


def base_layout(**overrides: Any) -> dict[str, Any]:
    """A compact layout with no Plotly template (the default template is never shipped per frame)."""
    layout: dict[str, Any] = {
        "font": {"family": FONT, "size": 14, "color": INK},
        "paper_bgcolor": PAPER,
        "plot_bgcolor": PAPER,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "showlegend": False,
        "hovermode": "closest",
        "uirevision": "keep",
        "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": MUTED},
        "yaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": MUTED},
    }
    layout.update(overrides)
    return layout


def scatter_layout(feature_names: tuple[str, ...] | list[str], **overrides: Any) -> dict[str, Any]:
    """A layout for points in the plane: the first two feature names as axis titles, equal aspect ratio
    (distances are what clustering is about, so a unit must look the same on both axes)."""
    names = list(feature_names) or ["x₁"]
    return base_layout(
        xaxis={"title": {"text": names[0]}, "zeroline": False},
        yaxis={
            "title": {"text": names[1] if len(names) > 1 else ""},
            "zeroline": False,
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        **overrides,
    )


def discrete_colorscale(n: int) -> list[list[float | str]]:
    """A stepped colourscale so that integer c in [0, n) maps to PALETTE[c] with cmin=-0.5, cmax=n-0.5."""
    n = max(n, 1)
    scale: list[list[float | str]] = []
    for i in range(n):
        colour = PALETTE[i % len(PALETTE)]
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def typed(values: Any, dtype: str) -> dict[str, str]:
    """A Plotly typed array (``{"dtype", "bdata"}``) that plotly.js decodes natively.

    ``dtype`` is a NumPy little-endian code Plotly knows: f4, f8, i1, u1, i2, u2, i4, u4.
    """
    array = np.ascontiguousarray(np.asarray(values), dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
