"""The stacking figure on a phone (the scene's ``x-narrow``, applied by static/js/narrow.js below its width).

Wide, the level-1 table and the meta-model's weights sit beside the plane and the small per-model pictures under
it; in 370 px that leaves each a few dozen pixels. Narrow, the plane takes the top of the figure across its whole
width and the table (with the weights row over it) the bottom; the per-model pictures and their titles are left
out (each model's score is in the caption and in the result's bar chart).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.views import boundary_layout as bl

PLANE_Y = (0.63, 1.0)
WEIGHTS_Y = (0.37, 0.42)
TABLE_Y = (0.08, 0.31)
TABLE_BAR_Y = (0.08, 0.26)
"""The table's colour bar: shorter than the table, so that its title stays under the plane's colour bar."""
SHADING_BAR = {"x": 0.91, "y": 0.4, "len": 0.16}
"""The plane's colour bar: right of the weights row, under the plane."""
TABLE_X = (0.16, 0.8)
"""Where the table's columns go (the wide layout's span, stretched): its fold labels need the left margin."""


def _stretch(span: tuple[float, float], wide: tuple[float, float]) -> list[float]:
    """``span`` (inside the wide layout's ``wide``) moved to the same place inside TABLE_X."""
    scale = (TABLE_X[1] - TABLE_X[0]) / (wide[1] - wide[0])
    return [round(TABLE_X[0] + (x - wide[0]) * scale, 4) for x in span]


def narrow_layout(
    *,
    wide_x: tuple[float, float],
    table_x: tuple[float, float],
    weights_x: tuple[float, float],
    axes: tuple[int, int],
    table: int,
    weights: int,
    strip: Sequence[int],
    table_title: str,
    weights_bar: bool,
    shapes: list[dict[str, Any]],
) -> dict[str, Any]:
    """The ``x-narrow`` spec. ``wide_x``: the wide table's x span; ``table_x`` / ``weights_x``: the table's and the
    weights row's x domains there; ``axes``: (table axis, weights axis) numbers; ``table`` / ``weights`` /
    ``strip``: trace indices; ``shapes``: the table's own lines (the pictures' frames are left out)."""
    table_axis, weights_axis = axes
    new_table_x, new_weights_x = _stretch(table_x, wide_x), _stretch(weights_x, wide_x)
    layout: dict[str, Any] = {
        "xaxis": {"domain": [0.0, 1.0]},
        "yaxis": {"domain": list(PLANE_Y)},
        f"xaxis{table_axis}": {"domain": new_table_x},
        f"yaxis{table_axis}": {"domain": list(TABLE_Y)},
        f"xaxis{weights_axis}": {"domain": new_weights_x},
        f"yaxis{weights_axis}": {"domain": list(WEIGHTS_Y)},
        "shapes": shapes,
        "legend": {"font": {"size": 10}},
    }
    bar = {
        "x": new_table_x[1] + 0.01,
        "y": sum(TABLE_BAR_Y) / 2,
        "len": TABLE_BAR_Y[1] - TABLE_BAR_Y[0],
        "title": {"text": bl.wrap_words(table_title, bl.NARROW_LINE), "font": {"size": 9}},
    }
    data: dict[str, Any] = {str(j): {"visible": False} for j in strip}
    data[str(table)] = {"colorbar": bar}
    if weights_bar:
        data[str(weights)] = {"colorbar": {"x": TABLE_X[1], "y": WEIGHTS_Y[1] + 0.005}}
    data["0"] = {"colorbar": SHADING_BAR}  # the shading (trace 0, the boundary view's)
    # The pictures' titles are placed on the paper: left out with the pictures (the weights row's heading sits
    # on the row's own axes and moves with them).
    return {"width": bl.NARROW_PX, "layout": layout, "data": data, "annotations_off": ["paper"]}
