"""The residual-network lab's view: a plain deep MLP and the same MLP with skips, side by side.

Top row: both nets' loss curves (train solid, test dotted), every layer's gradient norm on a log axis (layer
index on x: the plain one falls towards the input), the residual block diagram with its addition highlighted.
Bottom row: the plain net's and the residual net's decision boundaries with the points, and the first layer's
gradient factor over the epochs (log). Trace order is fixed (``T_*`` below); frames patch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views import resnet_parts as parts
from app.views.keys import legend_entry, timeline, top_legend
from app.views.neural_layout import DIVERGING, class_scale, typed2d
from app.views.theme import INK, base_layout, typed

NETS = ("plain", "residual")
T_LOSS = 0  # plain train, residual train, plain test, residual test
T_GRAD = 4  # plain, residual
T_BOUNDARY = 6  # plain, residual
T_POINTS = 8  # (plain axes: train, test), (residual axes: train, test)
T_RATIO = 12
NARROW_WIDTH = 700
NARROW_HEIGHT = 900


class ResnetData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def X(self) -> np.ndarray:
        """(n, 2) float64 coordinates as the nets see them."""
        ...

    @property
    def y(self) -> np.ndarray:
        """(n,) int64 class indices."""
        ...

    @property
    def train(self) -> np.ndarray: ...

    @property
    def test(self) -> np.ndarray: ...

    @property
    def axes(self) -> tuple[np.ndarray, ...]:
        """(g,) the boundary grid's x and y."""
        ...

    @property
    def n_classes(self) -> int: ...


class ResnetDrawn(Protocol):
    @property
    def depth(self) -> int: ...

    @property
    def batch_norm(self) -> bool: ...

    @property
    def activation(self) -> str: ...

    @property
    def epochs(self) -> int: ...


class ResnetView:
    def scene(self, inputs: ResnetData, params: ResnetDrawn) -> dict[str, Any]:
        data: list[dict[str, Any]] = []
        for split, dash in (("train", "solid"), ("test", "dot")):
            for net in NETS:
                trace = parts.line(f"{net}: {split} loss", parts.COLOURS[net], "x", "y", dash, group=net)
                if split == "train":
                    trace["name"] = f"{net} net"  # the legend's one entry per net: its colour on every panel
                else:
                    trace["showlegend"] = False
                data.append(trace)
        for net in NETS:
            trace = parts.line(f"{net}: ‖∂L/∂W‖ per layer", parts.COLOURS[net], "x2", "y2", "solid", group=net)
            trace |= {
                "mode": "lines+markers",
                "marker": {"size": 6, "symbol": "circle" if net == "plain" else "diamond"},
                "showlegend": False,
                "hovertemplate": f"{net} net, layer %{{x}}<br>‖∂L/∂W‖ = %{{y:.3g}}<extra></extra>",
            }
            data.append(trace)
        for net, axis in zip(NETS, ("4", "5"), strict=True):
            data.append(self._heat(inputs, axis, net))
        for axis in ("4", "5"):
            data += parts.points(inputs, axis)
        ratio = parts.line("residual ÷ plain, layer 1", INK, "x6", "y6", "solid")
        ratio |= {"showlegend": False, "hovertemplate": "epoch %{x}: %{y:.3g}×<extra></extra>"}
        data.append(ratio)
        data.append(legend_entry("test loss", dash="dot"))
        layout = base_layout(
            height=820,
            margin={"l": 64, "r": 24, "t": 60, "b": 48},
            showlegend=True,
            legend=top_legend(y=0.995, yanchor="bottom"),
            annotations=parts.titles() + parts.diagram_notes(params),
            shapes=parts.diagram_shapes(params),
            **parts.axes(inputs, params),
        )
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("epoch", "epoch"),
            "x-narrow": {"width": NARROW_WIDTH, "height": NARROW_HEIGHT, "layout": parts.narrow_axes(params)},
        }

    @staticmethod
    def _heat(inputs: ResnetData, axis: str, net: str) -> dict[str, Any]:
        ax, ay = inputs.axes
        k = inputs.n_classes
        return {
            "type": "heatmap",
            "z": [],
            "xaxis": f"x{axis}",
            "yaxis": f"y{axis}",
            "x0": float(ax[0]),
            "dx": float(ax[1] - ax[0]),
            "y0": float(ay[0]),
            "dy": float(ay[1] - ay[0]),
            "zmin": 0,
            "zmax": 255,
            "opacity": 0.8,
            "colorscale": DIVERGING if k == 2 else class_scale(k),
            "showscale": False,
            "showlegend": False,
            "name": f"{net} net's prediction",
            "hoverinfo": "skip",
        }

    def render(self, frame: Frame, inputs: ResnetData, params: ResnetDrawn) -> dict[str, Any]:
        data: list[dict[str, Any]] = [{} for _ in range(T_RATIO + 1)]
        state, visual = frame.state, frame.visual
        if "history" not in visual:
            return {"data": data, "layout": {}}
        history = visual["history"]
        epochs = typed(history["epoch"], "f4")
        for j, key in enumerate(("plain", "residual", "plain_test", "residual_test")):
            data[T_LOSS + j] = {"x": epochs, "y": typed(history[key], "f4")}
        for j, net in enumerate(NETS):
            norms = np.asarray(state[net]["grad_norms"], dtype=np.float64)
            shown = np.where(norms > 0, norms, np.nan)  # a log axis cannot draw 0
            data[T_GRAD + j] = {"x": typed(np.arange(1, norms.size + 1), "u1"), "y": typed(shown, "f4")}
            data[T_BOUNDARY + j] = {"z": self._z(np.asarray(visual["grid"][net]), inputs)}
        data[T_RATIO] = {"x": epochs, "y": typed(history["ratio"], "f4")}
        return {"data": data, "layout": {}}

    @staticmethod
    def _z(probs: np.ndarray, inputs: ResnetData) -> dict[str, str]:
        """(g·g, K) probabilities → a (g, g) u1 picture: p(class 1) for two classes, else class and confidence."""
        g = len(inputs.axes[0])
        k = inputs.n_classes
        if k == 2:
            z = np.round(255 * probs[:, 1])
        else:
            conf = (probs.max(axis=1) - 1 / k) / (1 - 1 / k)  # 0 (tie) .. 1
            z = np.floor(255 * (probs.argmax(axis=1) + np.clip(conf, 0, 0.999)) / k)
        return typed2d(z.reshape(g, g), "u1")  # (g·g,) → (g, g): y outer, x inner

    def panels(self, result: Mapping[str, Any], inputs: ResnetData, params: ResnetDrawn) -> list[dict[str, Any]]:
        return []
