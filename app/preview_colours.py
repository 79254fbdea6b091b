"""Colours for the SVG previews: CSS colour strings parsed, Plotly colour scales sampled as plotly.js does.

Every colour the previews write is one this module parsed and wrote back as ``#rrggbb`` (its alpha goes to an
opacity attribute), so nothing from a figure reaches the SVG unchecked. No app imports: the module is pure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

Colour = tuple[int, int, int, float]  # red, green, blue (0–255), alpha (0–1)
Colorscale = list[tuple[float, Colour]]  # (position 0–1, colour), positions ascending

NAMED: dict[str, Colour] = {
    "white": (255, 255, 255, 1.0),
    "black": (0, 0, 0, 1.0),
    "gray": (128, 128, 128, 1.0),
    "grey": (128, 128, 128, 1.0),
    "lightgray": (211, 211, 211, 1.0),
    "lightgrey": (211, 211, 211, 1.0),
    "red": (255, 0, 0, 1.0),
    "green": (0, 128, 0, 1.0),
    "blue": (0, 0, 255, 1.0),
    "orange": (255, 165, 0, 1.0),
    "transparent": (0, 0, 0, 0.0),
}

# plotly.js's named scales that a view might name (its default for heatmaps and colour arrays is RdBu)
NAMED_SCALES: dict[str, list[tuple[float, str]]] = {
    "rdbu": [
        (0.0, "rgb(5,10,172)"),
        (0.35, "rgb(106,137,247)"),
        (0.5, "rgb(190,190,190)"),
        (0.6, "rgb(220,170,132)"),
        (0.7, "rgb(230,145,90)"),
        (1.0, "rgb(178,10,28)"),
    ],
    "viridis": [
        (0.0, "#440154"),
        (0.25, "#3b528b"),
        (0.5, "#21918c"),
        (0.75, "#5ec962"),
        (1.0, "#fde725"),
    ],
    "plasma": [(0.0, "#0d0887"), (0.25, "#7e03a8"), (0.5, "#cc4778"), (0.75, "#f89540"), (1.0, "#f0f921")],
    "greys": [(0.0, "rgb(0,0,0)"), (1.0, "rgb(255,255,255)")],
    "blues": [(0.0, "rgb(5,10,172)"), (0.35, "rgb(40,60,190)"), (0.6, "rgb(90,120,245)"), (1.0, "rgb(220,220,220)")],
    "reds": [(0.0, "rgb(220,220,220)"), (0.2, "rgb(245,195,157)"), (0.4, "rgb(245,160,105)"), (1.0, "rgb(178,10,28)")],
}

_HEX = re.compile(r"#([0-9a-f]{3,8})")
_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")


def parse_colour(value: Any) -> Colour | None:
    """``"#0072B2"``, ``"#fff"``, ``"rgb(1,2,3)"``, ``"rgba(1,2,3,0.5)"`` or a few names; None otherwise."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in NAMED:
        return NAMED[text]
    if match := _HEX.fullmatch(text):
        digits = match[1]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) not in (6, 8):
            return None
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha
    if match := _RGB.fullmatch(text):
        red, green, blue = (min(255, round(float(match[i]))) for i in (1, 2, 3))
        alpha = min(1.0, float(match[4])) if match[4] is not None else 1.0
        return red, green, blue, alpha
    return None


def hex_of(colour: Colour) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def colorscale_of(spec: Any, reverse: bool = False) -> Colorscale:
    """A trace's ``colorscale`` (a list of [position, colour] pairs or a plotly name) as stops; RdBu if none."""
    stops: list[tuple[float, Colour]] = []
    if isinstance(spec, list):
        for pair in spec:
            if isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], int | float):
                colour = parse_colour(pair[1])
                if colour is not None:
                    stops.append((float(pair[0]), colour))
    elif isinstance(spec, str) and spec.lower() in NAMED_SCALES:
        stops = [(at, parse_colour(text) or (0, 0, 0, 1.0)) for at, text in NAMED_SCALES[spec.lower()]]
    if len(stops) < 2:
        stops = [(at, parse_colour(text) or (0, 0, 0, 1.0)) for at, text in NAMED_SCALES["rdbu"]]
    stops.sort(key=lambda stop: stop[0])
    return [(1.0 - at, colour) for at, colour in reversed(stops)] if reverse else stops


def sample(scale: Colorscale, at: float) -> Colour:
    """The colour at ``at`` (0–1), interpolated linearly in RGB between the stops around it (a repeated
    position is a step, as in plotly: just past it, the later stop's colour)."""
    positions = [position for position, _ in scale]
    index = bisect_right(positions, at)
    if index <= 0:
        return scale[0][1]
    if index >= len(scale):
        return scale[-1][1]
    (a, low), (b, high) = scale[index - 1], scale[index]
    share = 0.0 if b == a else (at - a) / (b - a)
    red, green, blue, alpha = (low[i] + (high[i] - low[i]) * share for i in range(4))
    return round(red), round(green), round(blue), alpha
