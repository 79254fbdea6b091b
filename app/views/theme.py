"""One place for colours, fonts and the shared layout, plus Plotly typed-array encoding."""

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
INK = "#1f2933"
MUTED = "#9aa5b1"
GRID = "#e4e7eb"
FONT = "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def base_layout(**overrides: Any) -> dict[str, Any]:
    """A compact layout with no Plotly template (the default template is never shipped per frame)."""
    layout: dict[str, Any] = {
        "font": {"family": FONT, "size": 14, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
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
