"""The transfer-learning lab's view: the race of the modes on the target digits.

Left: each mode's test accuracy after every epoch (one line per mode, the legend names them). Right, top: which
blocks each mode trains and which are frozen (a blocks × modes grid). Right, bottom: how far each block's weight
has moved, ‖W − W₀‖ / ‖W₀‖, one bar per mode (W₀ the backbone's weight, or the seeded start of a layer no backbone
gave). Trace order: M accuracy lines, the frozen grid, M bar traces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from app.core.frame import Frame
from app.views.keys import timeline, top_legend
from app.views.theme import INK, MUTED, PALETTE, PAPER, base_layout

NAMES = {
    "scratch": "from scratch",
    "feature_extraction": "feature extraction",
    "fine_tune": "fine-tuning",
    "gradual": "gradual unfreezing",
}
COLOURS = {"scratch": MUTED, "feature_extraction": PALETTE[0], "fine_tune": PALETTE[1], "gradual": PALETTE[2]}
FROZEN_SCALE: list[list[float | str]] = [[0.0, PAPER], [0.5, PAPER], [0.5, PALETTE[0]], [1.0, PALETTE[0]]]
SHORT = {"scratch": "scratch", "feature_extraction": "feature extr.", "fine_tune": "fine-tune", "gradual": "gradual"}
SMALL = {"size": 11}
NARROW_WIDTH, NARROW_HEIGHT = 560, 900


class TransferData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def modes(self) -> tuple[str, ...]: ...

    @property
    def blocks(self) -> tuple[str, ...]: ...

    @property
    def epochs(self) -> int: ...


def _title(text: str, x: float, y: float) -> dict[str, Any]:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 12, "color": INK},
    }


def _layout(wide: bool) -> dict[str, Any]:
    """Axis domains: side by side (wide) or stacked (a phone)."""
    if wide:
        curves, grid, bars = ([0.0, 0.56], [0.0, 0.93]), ([0.7, 1.0], [0.6, 0.84]), ([0.64, 1.0], [0.0, 0.42])
    else:
        curves, grid, bars = ([0.0, 1.0], [0.64, 0.9]), ([0.22, 1.0], [0.31, 0.45]), ([0.0, 1.0], [0.0, 0.2])
    return {
        "xaxis": {"domain": curves[0]},
        "yaxis": {"domain": curves[1]},
        "xaxis2": {"domain": grid[0]},
        "yaxis2": {"domain": grid[1]},
        "xaxis3": {"domain": bars[0]},
        "yaxis3": {"domain": bars[1]},
        "annotations": [
            _title("test accuracy on digits 5–9", curves[0][0], curves[1][1] + 0.01),
            _title("weight moved, ‖W − W₀‖ / ‖W₀‖", bars[0][0], bars[1][1] + 0.02),
        ],
    }


class TransferView:
    def scene(self, inputs: TransferData, params: Any) -> dict[str, Any]:
        modes, blocks = list(inputs.modes), list(inputs.blocks)
        layout = base_layout(margin={"l": 56, "r": 12, "t": 36, "b": 40}, hovermode="closest", barmode="group")
        wide = _layout(True)
        layout["xaxis"] = {
            **wide["xaxis"],
            "anchor": "y",
            "range": [0, max(1, inputs.epochs)],
            "title": {"text": "epoch", "font": SMALL},
            "fixedrange": True,
        }
        layout["yaxis"] = {
            **wide["yaxis"],
            "anchor": "x",
            "range": [0, 1],
            "tickformat": ".0%",
            "title": {"text": "test accuracy", "font": SMALL},
            "fixedrange": True,
        }
        layout["xaxis2"] = {
            **wide["xaxis2"],
            "anchor": "y2",
            "type": "category",
            "fixedrange": True,
            "side": "top",
            "title": {"text": "block: frozen (blue) or trained", "font": SMALL, "standoff": 2},
        }
        layout["yaxis2"] = {
            **wide["yaxis2"],
            "anchor": "x2",
            "type": "category",
            "autorange": "reversed",
            "fixedrange": True,
            "tickfont": {"size": 10},
            "title": {"text": "mode", "font": SMALL, "standoff": 2},
        }
        layout["xaxis3"] = {
            **wide["xaxis3"],
            "anchor": "y3",
            "type": "category",
            "fixedrange": True,
            "title": {"text": "block", "font": SMALL, "standoff": 2},
        }
        layout["yaxis3"] = {
            **wide["yaxis3"],
            "anchor": "x3",
            "tickformat": ".0%",
            "fixedrange": True,
            "rangemode": "tozero",
            "title": {"text": "moved", "font": SMALL, "standoff": 2},
        }
        layout["annotations"] = wide["annotations"]
        layout["showlegend"] = True
        layout["legend"] = top_legend(x=0.0, y=1.0, yanchor="bottom")
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [],
                "y": [],
                "name": NAMES[m],
                "legendgroup": m,
                "line": {"color": COLOURS[m], "width": 2, "dash": "dot" if m == "scratch" else "solid"},
                "marker": {"size": 4, "color": COLOURS[m]},
                "hovertemplate": f"{NAMES[m]}, epoch %{{x}}: %{{y:.1%}}<extra></extra>",
            }
            for m in modes
        ]
        data.append(
            {
                "type": "heatmap",
                "xaxis": "x2",
                "yaxis": "y2",
                "x": blocks,
                "y": [SHORT[m] for m in modes],
                "z": [[0] * len(blocks) for _ in modes],
                "zmin": 0,
                "zmax": 1,
                "colorscale": FROZEN_SCALE,
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
                "text": [["trains"] * len(blocks) for _ in modes],
                "texttemplate": "%{text}",
                "textfont": {"size": 10},
                "hovertemplate": "%{y}, %{x}: %{text}<extra></extra>",
                "name": "frozen",
            }
        )
        data += [
            {
                "type": "bar",
                "xaxis": "x3",
                "yaxis": "y3",
                "x": blocks,
                "y": [0.0] * len(blocks),
                "name": NAMES[m],
                "legendgroup": m,
                "showlegend": False,
                "marker": {"color": COLOURS[m]},
                "hovertemplate": f"{NAMES[m]}, %{{x}}: moved %{{y:.1%}}<extra></extra>",
            }
            for m in modes
        ]
        narrow = _layout(False)
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("epoch", "epoch"),
            "x-narrow": {"width": NARROW_WIDTH, "height": NARROW_HEIGHT, "layout": narrow},
        }

    def render(self, frame: Frame, inputs: TransferData, params: Any) -> dict[str, Any]:
        state = frame.state
        curves: Sequence[Sequence[float]] = state["curves"]
        data: list[dict[str, Any]] = [{"x": list(range(len(c))), "y": [round(v, 4) for v in c]} for c in curves]
        frozen: Sequence[Sequence[bool]] = state["frozen"]
        data.append(
            {
                "z": [[1 if f else 0 for f in row] for row in frozen],
                "text": [["frozen" if f else "trains" for f in row] for row in frozen],
            }
        )
        data += [{"y": [round(v, 4) for v in row]} for row in state["moved"]]
        return {"data": data, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: TransferData, params: Any) -> list[dict[str, Any]]:
        return []
