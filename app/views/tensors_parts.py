"""The tensors lab's figure, shared pieces: colours, phase names, what the view reads of the setup, and a grid's
axes, heatmap, typed values and layout (used by ``tensors_arrays`` and ``tensors_sequences``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from app.views.keys import timeline, top_legend
from app.views.theme import PALETTE, base_layout, typed

SMALL = {"size": 11}
TINTS = {
    "red": [[0.0, "#000000"], [1.0, "#ff2a2a"]],
    "green": [[0.0, "#000000"], [1.0, "#2aff2a"]],
    "blue": [[0.0, "#000000"], [1.0, "#3a7bff"]],
    "grey": [[0.0, "#000000"], [1.0, "#ffffff"]],
}
DIVERGING = "RdBu"
CELLS = [[0.0, "#f7fbff"], [1.0, "#6baed6"]]  # a table's cells: light, so their words stay readable
KIND_COLOURS = {"continuous": PALETTE[0], "ordinal": PALETTE[1], "categorical": PALETTE[3], "encoded": PALETTE[2]}
MARK = PALETTE[1]
NARROW_WIDTH = 560
"""Plots narrower than this (a phone) take a scene's ``x-narrow``: the table's words smaller."""
NUMBERED_ROWS = 12
"""The stacked windows print their numbers up to this many examples (more: hover only)."""
PHASES = {
    "image": {
        "hwc": "(H, W, C)",
        "chw": "(C, H, W)",
        "channels": "Channels",
        "to_float": "÷ 255",
        "normalise": "Norm.",
    },
    "reshape": {
        "arange": "arange",
        "view": "view",
        "transpose": "transpose",
        "view_fails": "view fails",
        "contiguous": "contiguous",
        "permute": "permute",
        "flatten": "flatten",
    },
    "table": {"table": "Table", "ordinal": "Ordinal", "one_hot": "One-hot", "scaling": "Scaling", "matrix": "Matrix"},
    "text": {"codes": "Codes", "vocabulary": "Vocabulary", "indices": "Indices", "char_one_hot": "One-hot"},
    "series": {"series": "Series", "window": "Examples", "windows": "Stacked"},
}


class TensorsScene(Protocol):
    """What the view reads of the lab's setup."""

    @property
    def topic(self) -> str: ...

    @property
    def pixels(self) -> np.ndarray | None: ...

    @property
    def channel_names(self) -> tuple[str, ...]: ...

    @property
    def pixel(self) -> tuple[int, int]:
        """(row, column) of the pixel the captions give."""
        ...

    @property
    def dims(self) -> tuple[int, int, int]: ...

    @property
    def window(self) -> int: ...

    @property
    def horizon(self) -> int: ...


def axis_suffix(i: int) -> str:
    return "" if i == 0 else str(i + 1)


def grid_axes(i: int, x_domain: Sequence[float], y_domain: Sequence[float], title: str, **y: Any) -> dict[str, Any]:
    """x{i+1}/y{i+1}: a grid's axes (row 0 on top), titled on x."""
    s = axis_suffix(i)
    x_axis = {
        "domain": list(x_domain),
        "anchor": f"y{s}",
        "side": "top",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": 10},
        "title": {"text": title, "font": SMALL, "standoff": 4},
    }
    y_axis = {
        "domain": list(y_domain),
        "anchor": f"x{s}",
        "autorange": "reversed",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": 10},
        "visible": False,
        **y,
    }
    return {f"xaxis{s}": x_axis, f"yaxis{s}": y_axis}


def heatmap_trace(i: int, name: str, **extra: Any) -> dict[str, Any]:
    s = axis_suffix(i)
    return {
        "type": "heatmap",
        "name": name,
        "xaxis": f"x{s}",
        "yaxis": f"y{s}",
        "showscale": False,
        "hoverongaps": False,
        "xgap": 1,
        "ygap": 1,
        **extra,
    }


def typed_grid(values: np.ndarray, dtype: str = "f4") -> dict[str, Any]:
    rows, cols = values.shape
    return {**typed(values, dtype), "shape": f"{rows},{cols}"}


def topic_layout(legend_y: float = 1.0, **overrides: Any) -> dict[str, Any]:
    layout = base_layout(
        margin={"l": 56, "r": 16, "t": 64, "b": 16},
        showlegend=True,
        legend=top_legend(y=legend_y, yanchor="bottom"),
        **overrides,
    )
    del layout["xaxis"], layout["yaxis"]
    return layout


def topic_extras(topic: str) -> dict[str, Any]:
    return {"x-timeline": timeline(None, "step"), "x-phases": PHASES[topic]}
