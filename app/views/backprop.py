"""The backpropagation lab's view: the computational graph (nodes as boxes with their operation, value and
gradient; edges as arrows, left → right by depth) and the loss after each update.

The layout comes from the lab's inputs (``x``, ``y`` per node: computed once by the engine's layered layout);
a frame patches the node texts and colours, the ring on the current node, the highlighted edges (into the node
in the forward pass, out to its consumers in the backward pass) and the loss line. Trace order is fixed
(``T_*``). Clicking a node is the ``inspect-node`` plugin (static/js/interactions/inspect-node.js): the scene
declares it with every node's id, label, role, text and place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from app.core.frame import Frame
from app.core.text import num
from app.views.keys import legend_entry, timeline, top_legend
from app.views.theme import INK, MUTED, PALETTE, base_layout

T_EDGES = 0
T_ACTIVE = 1
T_NODES = 2
T_CURRENT = 3
T_LOSS = 4
T_LOSS_NOW = 5
TRACES = 6

PENDING = "#f5f7fa"
VALUED = "#cfe3f3"  # a light blue: the forward value is known
GRADED = "#f8dcb0"  # a light orange: the gradient is known too
CURRENT = PALETTE[6]  # yellow: the node this frame is about
RING = PALETTE[5]  # vermilion
SYMBOL = {"parameter": "diamond", "input": "circle", "constant": "circle", "operation": "square"}
MAX_NODE_PX = 58
MIN_NODE_PX = 26
PLAN_PX = (470.0, 400.0)
"""Width and height in px of the graph panel the node boxes are sized for (a 1024 × 768 laptop)."""
PHASES = {
    "forward": "Forward pass",
    "backward": "Backward pass",
    "update": "Update",
    "step": "More steps",
    "done": "Done",
    "stopped": "Stopped",
}
WIDE = {"graph": ([0.0, 0.7], [0.0, 1.0]), "loss": ([0.79, 1.0], [0.1, 0.93])}
NARROW = {"graph": ([0.0, 1.0], [0.36, 1.0]), "loss": ([0.12, 1.0], [0.0, 0.22])}
NARROW_WIDTH = 700
NARROW_HEIGHT = 900


class GraphDrawn(Protocol):
    """What the view reads of the lab's inputs (node order = the graph's topological order)."""

    @property
    def ids(self) -> tuple[str, ...]: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def roles(self) -> tuple[str, ...]: ...
    @property
    def texts(self) -> tuple[str, ...]: ...
    @property
    def edges(self) -> tuple[tuple[int, int], ...]: ...
    @property
    def x(self) -> tuple[float, ...]: ...
    @property
    def y(self) -> tuple[float, ...]: ...


class StepsDrawn(Protocol):
    @property
    def steps(self) -> int: ...


def sizing(inputs: GraphDrawn) -> tuple[int, int, float]:
    """The node boxes' size in px, their font size, and where an edge stops short of a node's centre (in
    columns): boxes as large as the columns and rows of this graph leave room for at ``PLAN_PX``."""
    cols = max(inputs.x) - min(inputs.x) + 1.1
    rows = max(inputs.y) - min(inputs.y) + 1.5
    cell_x = PLAN_PX[0] / cols
    cell = min(cell_x, PLAN_PX[1] / rows)
    size = int(max(MIN_NODE_PX, min(MAX_NODE_PX, 0.84 * cell)))
    font = 11 if size >= 50 else 10 if size >= 42 else 9
    return size, font, min(0.45, 0.5 * size / cell_x + 0.04)


def _segments(inputs: GraphDrawn, edges: Sequence[tuple[int, int]]) -> tuple[list[float | None], list[float | None]]:
    """Edge polylines (None between them), each from the right of its input to the left of its consumer."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    half = sizing(inputs)[2]
    for a, b in edges:
        xs += [inputs.x[a] + half, inputs.x[b] - half, None]
        ys += [inputs.y[a], inputs.y[b], None]
    return xs, ys


def _edge_trace(
    name: str, colour: str, width: float, inputs: GraphDrawn, edges: Sequence[tuple[int, int]]
) -> dict[str, Any]:
    xs, ys = _segments(inputs, edges)
    sizes = [0, 11, 0] * len(edges)
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": xs,
        "y": ys,
        "xaxis": "x",
        "yaxis": "y",
        "line": {"color": colour, "width": width},
        "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": colour},
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _axes(place: Mapping[str, tuple[list[float], list[float]]], inputs: GraphDrawn | None) -> dict[str, Any]:
    (gx, gy), (lx, ly) = place["graph"], place["loss"]
    graph_x: dict[str, Any] = {"domain": gx, "visible": False, "fixedrange": True}
    graph_y: dict[str, Any] = {"domain": gy, "visible": False, "fixedrange": True}
    if inputs is not None:
        graph_x["range"] = [min(inputs.x) - 0.62, max(inputs.x) + 0.62]
        graph_y["range"] = [min(inputs.y) - 0.75, max(inputs.y) + 0.75]
    return {
        "xaxis": graph_x,
        "yaxis": graph_y,
        "xaxis2": {"domain": lx, "anchor": "y2", "title": {"text": "updates made"}, "rangemode": "tozero"},
        "yaxis2": {"domain": ly, "anchor": "x2", "title": {"text": "loss L"}, "rangemode": "tozero"},
    }


def _titles(place: Mapping[str, tuple[list[float], list[float]]]) -> list[dict[str, Any]]:
    out = []
    for key, text in (("graph", "Computational graph: click a node"), ("loss", "Loss by update")):
        xd, yd = place[key]
        out.append(
            {
                "text": f"<b>{text}</b>",
                "x": xd[0],
                "y": yd[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 4 if key == "loss" else -18,
                "showarrow": False,
                "font": {"size": 13, "color": INK},
            }
        )
    return out


class BackpropView:
    def scene(self, inputs: GraphDrawn, params: StepsDrawn) -> dict[str, Any]:
        size, font, _ = sizing(inputs)
        data: list[dict[str, Any]] = [
            _edge_trace("edge: input → node", MUTED, 1.5, inputs, inputs.edges),
            _edge_trace("edges of this step", RING, 3.5, inputs, []),
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "node: operation, value, ∂L/∂node",
                "x": list(inputs.x),
                "y": list(inputs.y),
                "xaxis": "x",
                "yaxis": "y",
                "text": [f"<b>{label}</b>" for label in inputs.labels],
                "textfont": {"size": font, "color": INK},
                "textposition": "middle center",
                "hovertext": [self._hover(inputs, i, None, None) for i in range(len(inputs.ids))],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "symbol": [SYMBOL[r] for r in inputs.roles],
                    "size": size,
                    "color": [PENDING] * len(inputs.ids),
                    "line": {"color": INK, "width": 1},
                },
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "current node",
                "x": [],
                "y": [],
                "xaxis": "x",
                "yaxis": "y",
                "marker": {"symbol": "square-open", "size": size + 10, "color": RING, "line": {"width": 3}},
                "hoverinfo": "skip",
                "showlegend": True,
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "loss L",
                "x": [],
                "y": [],
                "xaxis": "x2",
                "yaxis": "y2",
                "line": {"color": PALETTE[0], "width": 2},
                "marker": {"size": 5, "color": PALETTE[0]},
                "hovertemplate": "after %{x} updates: loss %{y:.4g}<extra></extra>",
                "showlegend": True,
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "this frame's loss",
                "x": [],
                "y": [],
                "xaxis": "x2",
                "yaxis": "y2",
                "marker": {"size": 11, "color": RING, "symbol": "circle-open", "line": {"width": 3}},
                "hoverinfo": "skip",
                "showlegend": False,
            },
            legend_entry("parameter (trained)", symbol="diamond", colour=PENDING),
            legend_entry("input or constant", symbol="circle", colour=PENDING),
            legend_entry("operation", symbol="square", colour=PENDING),
            legend_entry("value known", symbol="square", colour=VALUED),
            legend_entry("gradient known too", symbol="square", colour=GRADED),
        ]
        layout = base_layout(
            height=640,
            margin={"l": 16, "r": 16, "t": 64, "b": 48},
            showlegend=True,
            legend=top_legend(y=1.02, yanchor="bottom"),
            annotations=_titles(WIDE),
            **_axes(WIDE, inputs),
        )
        nodes = [
            {"id": i, "label": lab, "role": r, "text": t, "x": x, "y": y}
            for i, lab, r, t, x, y in zip(
                inputs.ids, inputs.labels, inputs.roles, inputs.texts, inputs.x, inputs.y, strict=True
            )
        ]
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("updates", "updates made"),
            "x-phases": dict(PHASES),
            "x-interactions": [{"kind": "inspect-node", "nodes": nodes, "size": size}],
            "x-narrow": {
                "width": NARROW_WIDTH,
                "height": NARROW_HEIGHT,
                "layout": {**_axes(NARROW, inputs), "annotations": _titles(NARROW)},
            },
        }

    @staticmethod
    def _hover(inputs: GraphDrawn, i: int, value: float | None, grad: float | None) -> str:
        head = f"<b>{inputs.ids[i]}</b>"
        if inputs.texts[i] != inputs.ids[i]:
            head += f" = {inputs.texts[i]}"
        lines = [head, f"{inputs.roles[i]}"]
        lines.append(f"value {num(value)}" if value is not None else "value not computed yet")
        lines.append(f"∂L/∂{inputs.ids[i]} = {num(grad)}" if grad is not None else "gradient not computed yet")
        return "<br>".join(lines)

    def render(self, frame: Frame, inputs: GraphDrawn, params: StepsDrawn) -> dict[str, Any]:
        data: list[dict[str, Any]] = [{} for _ in range(TRACES)]
        state = frame.state
        values: Mapping[str, float] = state.get("values", {})
        grads: Mapping[str, float] = state.get("grads", {})
        new: Mapping[str, float] = state.get("parameters", {}) if frame.kind in ("update", "step") else {}
        texts, colours, hovers = [], [], []
        for i, node in enumerate(inputs.ids):
            value, grad = values.get(node), grads.get(node)
            lines = [f"<b>{inputs.labels[i]}</b>"]
            if node in new:
                lines.append(f"→{num(new[node], 3)}")
            elif value is not None:
                lines.append(num(value, 3))
            if grad is not None:
                lines.append(f"∂ {num(grad, 3)}")
            texts.append("<br>".join(lines))
            colours.append(
                CURRENT
                if node == state.get("node")
                else GRADED
                if grad is not None
                else VALUED
                if value is not None
                else PENDING
            )
            hovers.append(self._hover(inputs, i, value, grad))
        data[T_NODES] = {"text": texts, "hovertext": hovers, "marker": {"color": colours}}
        current = state.get("node")
        index = {node: i for i, node in enumerate(inputs.ids)}
        if current in index and frame.kind not in ("update", "step", "done"):
            at = index[current]
            data[T_CURRENT] = {"x": [inputs.x[at]], "y": [inputs.y[at]]}
            if frame.kind == "forward":
                used = [e for e in inputs.edges if e[1] == at]
            elif frame.kind == "backward":
                used = [e for e in inputs.edges if e[0] == at]
            else:
                used = []
            xs, ys = _segments(inputs, used)
            data[T_ACTIVE] = {"x": xs, "y": ys, "marker": {"size": [0, 11, 0] * len(used)}}
        else:
            data[T_CURRENT] = {"x": [], "y": []}
            data[T_ACTIVE] = {"x": [], "y": [], "marker": {"size": []}}
        losses = list(frame.visual.get("losses", []))
        data[T_LOSS] = {"x": list(range(len(losses))), "y": losses}
        loss = frame.metrics.get("loss")
        updates = state.get("updates", 0)
        data[T_LOSS_NOW] = {"x": [updates], "y": [loss]} if loss is not None else {"x": [], "y": []}
        return {"data": data, "layout": {}}

    def panels(self, result: Mapping[str, Any], inputs: GraphDrawn, params: StepsDrawn) -> list[dict[str, Any]]:
        return []
