"""The regularization figure's frame: four panels (the fit, the 2-weight picture, the coefficients, the errors),
their axes, the legend above them, and the phone layout that stacks them.

Panels (domains in figure fractions): the fit (x, y) top left, the 2-weight picture (x2, y2) top right, the
coefficients (x3, y3) bottom left, the errors (x4, y4) bottom right. The top 20 % holds the legend (inside the
figure, so its rows never push the plots out of their box).
"""

from __future__ import annotations

from typing import Any

from app.views.keys import top_legend
from app.views.theme import GRID, INK, MUTED, base_layout

LEFT, RIGHT = (0.0, 0.44), (0.56, 1.0)
TOP, BOTTOM = (0.5, 0.8), (0.0, 0.35)
NARROW_WIDTH = 700
"""Below this plot width (a phone) the four panels stack."""
NARROW_HEIGHT = 760
"""A phone's plot height (px; the page caps it to the screen): four panels stacked need more than its default."""
NARROW = {"fit": (0.67, 0.84), "picture": (0.45, 0.59), "coefficients": (0.23, 0.37), "errors": (0.0, 0.15)}
SMALL = {"size": 11}


def axis(domain: tuple[float, float], anchor: str, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "domain": list(domain),
        "anchor": anchor,
        "title": {"text": title, "font": SMALL, "standoff": 4},
        "tickfont": {"size": 11},
        "gridcolor": GRID,
        "linecolor": MUTED,
        "zeroline": False,
        **extra,
    }


def layout(titles: dict[str, str], extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The four panels' axes titled ``titles`` (``x``, ``y``, ``x2`` … ``y4``) with ``extra`` keys per axis."""
    domains = {
        "x": (LEFT, "y"),
        "y": (TOP, "x"),
        "x2": (RIGHT, "y2"),
        "y2": (TOP, "x2"),
        "x3": (LEFT, "y3"),
        "y3": (BOTTOM, "x3"),
        "x4": (RIGHT, "y4"),
        "y4": (BOTTOM, "x4"),
    }
    axes = {
        ("xaxis" if name[0] == "x" else "yaxis") + name[1:]: axis(domain, anchor, titles[name], **extra.get(name, {}))
        for name, (domain, anchor) in domains.items()
    }
    return base_layout(
        showlegend=True,
        legend=top_legend(
            itemclick=False,
            itemdoubleclick=False,
            entrywidth=108,  # four a row at 1024 px: with the optimum's trail unlisted, two rows
            entrywidthmode="pixels",
            yanchor="top",
            font={"size": 10, "color": INK},
        ),
        margin={"l": 56, "r": 12, "t": 8, "b": 40},
        **axes,
    )


def narrow(short_titles: dict[str, str]) -> dict[str, Any]:
    """The phone layout: every panel the full width, stacked (fit, picture, coefficients, errors)."""
    out: dict[str, Any] = {"legend": {"entrywidth": 80, "font": {"size": 10}}}  # two a row on a phone
    for index, panel in enumerate(("fit", "picture", "coefficients", "errors"), start=1):
        suffix = "" if index == 1 else str(index)
        out["xaxis" + suffix] = {"domain": [0.0, 1.0]}
        out["yaxis" + suffix] = {"domain": list(NARROW[panel])}
    for name, text in short_titles.items():
        key = ("xaxis" if name[0] == "x" else "yaxis") + name[1:]
        out.setdefault(key, {})["title"] = {"text": text}
    return out
