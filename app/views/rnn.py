"""The recurrent-network lab's view: a plain RNN and an LSTM side by side (or one net of the chosen cell).

Top row: the series (standardised) with each net's one-step predictions on the test part and its free-running
forecast, dashed (classify: each test window's p(rise) against the truth); the types of RNN with this run's
highlighted. Middle row: ‖∂L/∂h_t‖ over every step of the window (log axis), each net's hidden state over the
probe window as a heatmap (units × t). Bottom row: the loss curves, the gated net's gates over the probe window.
Trace order is fixed (the ``_slots`` below); frames patch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.core.typed_array import from_typed_array
from app.views import rnn_parts as parts
from app.views.keys import legend_entry, timeline, top_legend
from app.views.neural_layout import typed2d
from app.views.theme import GRID, INK, MUTED, base_layout, typed

NARROW_WIDTH = 800
NARROW_HEIGHT = 1100
SMALL = {"size": 12}


class RnnData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def z(self) -> np.ndarray:
        """(N,) the standardised series."""
        ...

    @property
    def split(self) -> int: ...

    @property
    def window(self) -> int: ...

    @property
    def test_index(self) -> np.ndarray: ...

    @property
    def forecast_index(self) -> np.ndarray: ...

    @property
    def test_truth(self) -> np.ndarray:
        """(n_test,) what each test window should predict: the next value, or 1 / 0 for rise / fall."""
        ...

    @property
    def probe_start(self) -> int: ...

    @property
    def task(self) -> str: ...

    @property
    def cells(self) -> tuple[str, ...]: ...


class RnnDrawn(Protocol):
    @property
    def epochs(self) -> int: ...

    @property
    def bptt(self) -> int: ...


def _gated(inputs: RnnData) -> str | None:
    return next((c for c in inputs.cells if c != "rnn"), None)


def _slots(inputs: RnnData) -> dict[str, int]:
    """Trace index of each patched trace: truth 0, then per net predictions, forecast, gradients, heatmap, losses;
    then the gates."""
    n = len(inputs.cells)
    slots = {"truth": 0}
    for j, cell in enumerate(inputs.cells):
        slots[f"pred:{cell}"] = 1 + j
        slots[f"fore:{cell}"] = 1 + n + j
        slots[f"grad:{cell}"] = 1 + 2 * n + j
        slots[f"heat:{cell}"] = 1 + 3 * n + j
        slots[f"train:{cell}"] = 1 + 4 * n + 2 * j
        slots[f"test:{cell}"] = 2 + 4 * n + 2 * j
    gated = _gated(inputs)
    for g, name in enumerate(parts.gate_names(gated) if gated else ()):
        slots[f"gate:{name}"] = 1 + 6 * n + g
    return slots


def _line(name: str, colour: str, axis: str, dash: str = "solid", **extra: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "line": {"color": colour, "width": 2, "dash": dash},
        "showlegend": False,
    }
    return trace | extra


class RnnView:
    def scene(self, inputs: RnnData, params: RnnDrawn) -> dict[str, Any]:
        slots = _slots(inputs)
        data: list[dict[str, Any]] = [{} for _ in range(len(slots))]
        forecast = inputs.task == "forecast"
        if forecast:
            data[0] = _line("truth (the series)", MUTED, "", showlegend=True)
            data[0] |= {
                "x": typed(np.arange(inputs.z.size), "u2"),
                "y": typed(inputs.z, "f4"),
                "hovertemplate": "t = %{x}: %{y:.3f}<extra>truth</extra>",
            }
        else:
            data[0] = {
                "type": "scatter",
                "mode": "markers",
                "name": "truth: rises (1) or not (0)",
                "x": [],
                "y": [],
                "marker": {"color": INK, "size": 8, "symbol": "circle-open", "line": {"width": 1.5}},
                "showlegend": True,
                "hovertemplate": "t = %{x}: %{y}<extra>truth</extra>",
            }
        for cell in inputs.cells:
            colour, name = parts.COLOURS[cell], parts.NAMES[cell]
            pred = _line(f"{name}", colour, "", showlegend=True, legendgroup=cell)
            pred["hovertemplate"] = f"t = %{{x}}: %{{y:.3f}}<extra>{name}</extra>"
            if not forecast:
                pred |= {"mode": "markers", "marker": {"color": colour, "size": 5}}
            data[slots[f"pred:{cell}"]] = pred
            data[slots[f"fore:{cell}"]] = _line(f"{name} free forecast", colour, "", "dash", legendgroup=cell)
            grad = _line(f"{name}: ‖∂L/∂h_t‖", colour, "3", legendgroup=cell, mode="lines+markers")
            grad |= {
                "marker": {"size": 4, "symbol": "circle" if cell == "rnn" else "diamond"},
                "hovertemplate": f"{name}, t = %{{x}}<br>‖∂L/∂h_t‖ = %{{y:.3g}}<extra></extra>",
            }
            data[slots[f"grad:{cell}"]] = grad
            data[slots[f"train:{cell}"]] = _line(f"{name}: train loss", colour, "6", legendgroup=cell)
            data[slots[f"test:{cell}"]] = _line(f"{name}: test loss", colour, "6", "dot", legendgroup=cell)
        for j, cell in enumerate(inputs.cells):
            axis = "4" if j == 0 else "5"
            last = j == len(inputs.cells) - 1
            heat: dict[str, Any] = {
                "type": "heatmap",
                "z": [],
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "zmin": -1,
                "zmax": 1,
                "colorscale": parts.HIDDEN_SCALE,
                "showscale": last,
                "showlegend": False,
                "name": f"{parts.NAMES[cell]} hidden state",
                "hovertemplate": "t = %{x}, unit %{y}: h = %{z:.3f}<extra></extra>",
            }
            if last:
                dom = parts.wide(len(inputs.cells))[axis]
                heat["colorbar"] = {
                    "title": {"text": "h_t", "side": "top"},
                    "x": dom[0][1] + 0.01,
                    "xanchor": "left",
                    "y": sum(dom[1]) / 2,
                    "len": dom[1][1] - dom[1][0],
                    "thickness": 10,
                    "tickfont": {"size": 10},
                }
            data[slots[f"heat:{cell}"]] = heat
        gated = _gated(inputs)
        for name in parts.gate_names(gated) if gated else ():
            gate = _line(f"{name} gate" if name != "candidate" else "candidate", parts.GATE_COLOURS[name], "7")
            gate |= {"showlegend": True, "legend": "legend2"}
            data[slots[f"gate:{name}"]] = gate
        data.append(legend_entry("test loss", dash="dot"))
        domains = parts.wide(len(inputs.cells))
        shapes = parts.diagram_shapes() + self._marks(inputs, params)
        notes = parts.titles(domains, inputs.task, inputs.cells) + parts.diagram_notes(inputs.task, inputs.window)
        if gated is None:
            notes.append(self._no_gates())
        layout = base_layout(
            height=980,
            margin={"l": 64, "r": 24, "t": 64, "b": 48},
            showlegend=True,
            legend=top_legend(y=1.0, yanchor="bottom"),
            legend2={
                "x": 1.0,
                "xanchor": "right",
                "y": 0.005,
                "yanchor": "bottom",
                "orientation": "h",
                "font": {"size": 11},
                "bgcolor": "rgba(255,255,255,0.7)",
            },
            annotations=notes,
            shapes=shapes,
            **self._axes(inputs, params, domains),
        )
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("epoch", "epoch", log_metrics=[f"{c}_first_step_gradient" for c in inputs.cells]),
            "x-narrow": {
                "width": NARROW_WIDTH,
                "height": NARROW_HEIGHT,
                "layout": self._narrow(inputs, params),
                "data": self._narrow_data(inputs),
            },
        }

    @staticmethod
    def _no_gates() -> dict[str, Any]:
        return {
            "text": "A plain RNN has no gates: h_t = tanh(W_ih·x_t + W_hh·h_{t−1} + b)",
            "xref": "x7 domain",
            "yref": "y7 domain",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 12, "color": INK},
        }

    @staticmethod
    def _marks(inputs: RnnData, params: RnnDrawn) -> list[dict[str, Any]]:
        """The test part's start on the series panel, the probe window, and the truncation's cut."""
        marks: list[dict[str, Any]] = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "y domain",
                "x0": inputs.split - 0.5,
                "x1": float(inputs.z.size) - 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#eef2f6",
                "line": {"width": 0},
                "layer": "below",
            }
        ]
        if 0 < params.bptt < inputs.window:
            cut = inputs.window - params.bptt - 0.5
            marks.append(
                {
                    "type": "line",
                    "xref": "x3",
                    "yref": "y3 domain",
                    "x0": cut,
                    "x1": cut,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": INK, "width": 1.5, "dash": "dash"},
                }
            )
        return marks

    @staticmethod
    def _axes(inputs: RnnData, params: RnnDrawn, domains: parts.Domains) -> dict[str, Any]:
        layout: dict[str, Any] = {}
        for suffix, (x, y) in domains.items():
            layout[f"xaxis{suffix}"] = {
                "domain": x,
                "anchor": f"y{suffix}",
                "gridcolor": GRID,
                "tickfont": SMALL,
            }
            layout[f"yaxis{suffix}"] = {
                "domain": y,
                "anchor": f"x{suffix}",
                "gridcolor": GRID,
                "tickfont": SMALL,
            }

        def title(text: str, standoff: int = 4) -> dict[str, Any]:
            return {"text": text, "font": SMALL, "standoff": standoff}

        n = int(inputs.z.size)
        layout["xaxis"] |= {"title": title("time step t"), "range": [-0.5, n - 0.5]}
        if inputs.task == "forecast":
            layout["yaxis"] |= {"title": title("value (standardised)")}
        else:
            layout["xaxis"]["range"] = [inputs.split - 0.5, n - 0.5]
            layout["yaxis"] |= {"title": title("p(rise)"), "range": [-0.05, 1.05]}
        layout["xaxis2"] |= {"range": [0, 12], "visible": False, "fixedrange": True}
        layout["yaxis2"] |= {"range": [0, 4.4], "visible": False, "fixedrange": True}
        w = inputs.window
        layout["xaxis3"] |= {"title": title("step t in the window (0 = first)"), "range": [-0.5, w - 0.5]}
        layout["yaxis3"] |= {"type": "log", "exponentformat": "power", "title": title("‖∂L/∂h_t‖")}
        for suffix in ("4", "5"):
            if f"xaxis{suffix}" in layout:
                layout[f"xaxis{suffix}"] |= {"title": title("step t in the probe window")}
                layout[f"yaxis{suffix}"] |= {"title": title("hidden unit", 2)}
        layout["xaxis6"] |= {"title": title("epoch"), "range": [0, max(int(params.epochs), 1)]}
        kind = "cross-entropy" if inputs.task == "classify" else "mean squared error"
        layout["yaxis6"] |= {"title": title(kind), "rangemode": "tozero"}
        layout["xaxis7"] |= {"title": title("step t in the probe window"), "range": [-0.5, w - 0.5]}
        layout["yaxis7"] |= {"title": title("activation"), "range": [-1.05, 1.05]}
        return layout

    def _narrow(self, inputs: RnnData, params: RnnDrawn) -> dict[str, Any]:
        """The phone's layout: the panels in two columns, the diagram left out (its words need the width)."""
        domains = parts.narrow(len(inputs.cells))
        layout: dict[str, Any] = {"xaxis2": {"visible": False, "domain": [0, 0.01]}, "yaxis2": {"domain": [0, 0.01]}}
        for suffix, (x, y) in domains.items():
            layout[f"xaxis{suffix}"] = {"domain": x}
            layout[f"yaxis{suffix}"] = {"domain": y}
        for suffix in ("3", "4", "5", "7"):  # short x titles: a phone's rows have little room between them
            if suffix in domains:
                layout[f"xaxis{suffix}"]["title"] = {"text": "step t", "standoff": 2}
        layout["xaxis"]["title"] = {"text": "time t", "standoff": 2}
        layout["yaxis"]["title"] = {"text": "value" if inputs.task == "forecast" else "p(rise)"}
        layout["yaxis3"] |= {"nticks": 4}  # a log axis over decades crowds its labels on a short panel
        notes = parts.titles(domains, inputs.task, inputs.cells, 11)
        if _gated(inputs) is None:
            notes.append(self._no_gates() | {"font": {"size": 10, "color": INK}})
        return layout | {
            "annotations": notes,
            "shapes": self._marks(inputs, params),
            "margin": {"l": 48, "r": 8, "t": 56, "b": 40},
            "legend": {"font": {"size": 10}},
            "legend2": {"font": {"size": 9}},
        }

    def _narrow_data(self, inputs: RnnData) -> dict[str, dict[str, Any]]:
        """The colour bar beside the phone's last heatmap."""
        slots = _slots(inputs)
        axis = "4" if len(inputs.cells) == 1 else "5"
        x, y = parts.narrow(len(inputs.cells))[axis]
        bar = {"x": x[1] + 0.01, "y": sum(y) / 2, "len": y[1] - y[0]}
        return {str(slots[f"heat:{inputs.cells[-1]}"]): {"colorbar": bar}}

    def render(self, frame: Frame, inputs: RnnData, params: RnnDrawn) -> dict[str, Any]:
        slots = _slots(inputs)
        data: list[dict[str, Any]] = [{} for _ in range(len(slots))]
        nets = frame.state.get("nets")
        if not nets or "history" not in frame.visual:
            return {"data": data, "layout": {}}
        history = frame.visual["history"]
        epochs = typed(history["epoch"], "f4")
        test_x = typed(inputs.test_index, "u2")
        if inputs.task == "classify":
            data[0] = {"x": test_x, "y": typed(inputs.test_truth, "u1")}
        for cell, net in nets.items():
            data[slots[f"pred:{cell}"]] = {"x": test_x, "y": typed(from_typed_array(net["predictions"]), "f4")}
            if "forecast" in net:
                data[slots[f"fore:{cell}"]] = {
                    "x": typed(inputs.forecast_index, "u2"),
                    "y": typed(from_typed_array(net["forecast"]), "f4"),
                }
            grads = np.asarray(net["grad_norms"], dtype=np.float64)
            shown = np.where(grads > 0, grads, np.nan)  # a log axis cannot draw 0
            data[slots[f"grad:{cell}"]] = {"x": typed(np.arange(grads.size), "u2"), "y": typed(shown, "f4")}
            hidden = from_typed_array(net["hidden"])  # (T, H)
            data[slots[f"heat:{cell}"]] = {"z": typed2d(np.ascontiguousarray(hidden.T), "f4")}
            data[slots[f"train:{cell}"]] = {"x": epochs, "y": typed(history[f"{cell}_train"], "f4")}
            data[slots[f"test:{cell}"]] = {"x": epochs, "y": typed(history[f"{cell}_test"], "f4")}
            for name, values in net["gates"].items():
                if f"gate:{name}" in slots and cell == _gated(inputs):
                    data[slots[f"gate:{name}"]] = {
                        "x": typed(np.arange(len(values)), "u2"),
                        "y": typed(values, "f4"),
                    }
        return {"data": data, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: RnnData, params: RnnDrawn) -> list[dict[str, Any]]:
        return []
