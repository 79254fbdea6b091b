"""The GAN lab's view: the plane with D's verdict shaded, the real points, the generator's samples and its gradient
arrows, the ring's modes (a circle of 3σ each, solid when covered, dashed when missed); beside it both losses, D's
mean output on real and generated points, and the modes covered, all over the generator steps.

Trace order is fixed (``T_*``); the scene holds the real points, every frame patches the rest. The phone layout
stacks the plane above the three curves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.core.typed_array import from_typed_array
from app.views.keys import timeline, top_legend
from app.views.neural_layout import typed2d
from app.views.theme import INK, MUTED, PALETTE, PAPER, base_layout, typed

T_HEAT, T_REAL, T_FAKE, T_ARROW, T_COVERED, T_MISSED = 0, 1, 2, 3, 4, 5
T_DLOSS, T_GLOSS, T_DREAL, T_DFAKE, T_MODES = 6, 7, 8, 9, 10
N_TRACES = 11
REAL, FAKE, ARROW = "#6b7785", PALETTE[1], "#7a1f1f"
D_COLOUR, G_COLOUR = PALETTE[0], PALETTE[5]
COVERED, MISSED = PALETTE[2], PALETTE[5]
SHADE = [[0.0, "#fbe3c6"], [0.5, "#ffffff"], [1.0, "#cfe2f3"]]
"""D's picture: pale orange where D says generated, white at ½, pale blue where it says real."""
CIRCLE = 32
NARROW_WIDTH = 700
NARROW_HEIGHT = 1000

WIDE: dict[str, tuple[list[float], list[float]]] = {
    "": ([0.0, 0.52], [0.0, 0.95]),
    "2": ([0.68, 1.0], [0.74, 0.95]),
    "3": ([0.68, 1.0], [0.39, 0.59]),
    "4": ([0.68, 1.0], [0.0, 0.21]),
}
NARROW: dict[str, tuple[list[float], list[float]]] = {
    "": ([0.0, 1.0], [0.57, 0.95]),
    "2": ([0.0, 1.0], [0.38, 0.47]),
    "3": ([0.0, 1.0], [0.195, 0.285]),
    "4": ([0.0, 1.0], [0.0, 0.1]),
}


class GanData(Protocol):
    """What the view reads of the lab's inputs."""

    @property
    def X(self) -> np.ndarray:
        """(n, 2) the real points as the nets see them."""
        ...

    @property
    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """(g,) the grid's x and y."""
        ...

    @property
    def centres(self) -> np.ndarray | None: ...

    @property
    def hit_radius(self) -> float: ...

    @property
    def scaled(self) -> bool: ...


class GanDrawn(Protocol):
    @property
    def loss(self) -> str: ...

    @property
    def steps(self) -> int: ...


def _titles(domains: dict[str, tuple[list[float], list[float]]], wgan: bool, ring: bool, size: int) -> list[Any]:
    names = {
        "": "The critic's score D(x), real and generated points"
        if wgan
        else "D(x) = P(real), real and generated points",
        "2": "Losses",
        "3": "Mean critic score (generated dashed)" if wgan else "Mean D(x) (generated dashed)",
        "4": "Ring modes covered" if ring else "Modes covered (the ring only)",
    }
    return [
        {
            "text": f"<b>{names[s]}</b>",
            "xref": "paper",
            "yref": "paper",
            "x": (d[0][0] + d[0][1]) / 2,
            "y": d[1][1],
            "yshift": 4,
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": size, "color": INK},
        }
        for s, d in domains.items()
    ]


def _axes(domains: dict[str, tuple[list[float], list[float]]], inputs: GanData, params: GanDrawn) -> dict[str, Any]:
    small = {"size": 12}
    ax, ay = inputs.axes
    unit = " (standardised)" if inputs.scaled else ""
    steps = [0, max(params.steps, 1)]
    layout: dict[str, Any] = {}
    for s, (dx, dy) in domains.items():
        layout[f"xaxis{s}"] = {"domain": dx, "anchor": f"y{s}", "gridcolor": "#e4e7eb", "zeroline": False}
        layout[f"yaxis{s}"] = {"domain": dy, "anchor": f"x{s}", "gridcolor": "#e4e7eb", "zeroline": False}
    layout["xaxis"] |= {"range": [float(ax[0]), float(ax[-1])], "title": {"text": f"x₁{unit}", "font": small}}
    layout["yaxis"] |= {
        "range": [float(ay[0]), float(ay[-1])],
        "title": {"text": f"x₂{unit}", "font": small, "standoff": 2},
        "scaleanchor": "x",
        "scaleratio": 1,
    }
    for s, title in (("2", "loss"), ("3", "critic score" if params.loss == "wasserstein-gp" else "D(x)")):
        layout[f"xaxis{s}"] |= {"range": steps, "title": {"text": "step", "font": {"size": 11}, "standoff": 0}}
        layout[f"yaxis{s}"] |= {"title": {"text": title, "font": small}}
    if params.loss != "wasserstein-gp":
        layout["yaxis3"]["range"] = [0, 1]
    k = inputs.centres.shape[0] if inputs.centres is not None else 8
    layout["xaxis4"] |= {"range": steps, "title": {"text": "generator step", "font": small, "standoff": 2}}
    layout["yaxis4"] |= {"range": [-0.3, k + 0.3], "title": {"text": "modes", "font": small}, "dtick": max(1, k // 4)}
    return layout


def _line(name: str, colour: str, axis: str, dash: str = "solid") -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "line": {"color": colour, "width": 2, "dash": dash},
        "hovertemplate": f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>",
    }


def _circles(centres: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Each centre's circle of ``radius`` as one polyline, NaN between circles: (K·(CIRCLE + 1),) x and y."""
    t = np.linspace(0, 2 * np.pi, CIRCLE)
    gap = np.full((centres.shape[0], 1), np.nan)
    xs = np.hstack([centres[:, :1] + radius * np.cos(t)[None], gap]).ravel()
    ys = np.hstack([centres[:, 1:] + radius * np.sin(t)[None], gap]).ravel()
    return xs, ys


class GanView:
    def scene(self, inputs: GanData, params: GanDrawn) -> dict[str, Any]:
        ax, ay = inputs.axes
        wgan = params.loss == "wasserstein-gp"
        ring = inputs.centres is not None
        heat: dict[str, Any] = {
            "type": "heatmap",
            "z": [],
            "x0": float(ax[0]),
            "dx": float(ax[1] - ax[0]),
            "y0": float(ay[0]),
            "dy": float(ay[1] - ay[0]),
            "colorscale": SHADE,
            "zmin": 0,
            "zmax": 255,
            "name": "critic score" if wgan else "D(x)",
            "showscale": True,
            "showlegend": False,
            "colorbar": {
                "title": {"text": "critic" if wgan else "D(x)", "side": "top"},
                "x": WIDE[""][0][1] + 0.005,
                "xanchor": "left",
                "len": 0.8,
                "y": 0.45,
                "thickness": 12,
            },
            "hoverinfo": "skip",
        }
        if not wgan:
            heat["colorbar"] |= {"tickvals": [0, 63.75, 127.5, 191.25, 255], "ticktext": ["0", "¼", "½", "¾", "1"]}
        real = {
            "type": "scattergl" if inputs.X.shape[0] > 1500 else "scatter",
            "mode": "markers",
            "name": "real points",
            "x": typed(inputs.X[:, 0], "f4"),
            "y": typed(inputs.X[:, 1], "f4"),
            "marker": {"size": 5, "color": REAL, "symbol": "circle", "opacity": 0.55},
            "hovertemplate": "real (%{x:.2f}, %{y:.2f})<extra></extra>",
        }
        fake = {
            "type": "scatter",
            "mode": "markers",
            "name": "generated G(z)",
            "x": [],
            "y": [],
            "marker": {"size": 6, "color": FAKE, "symbol": "diamond", "line": {"width": 0.5, "color": PAPER}},
            "hovertemplate": "generated (%{x:.2f}, %{y:.2f})<extra></extra>",
        }
        arrows = {
            "type": "scatter",
            "mode": "lines",
            "name": "push −∂L_G/∂x",
            "x": [],
            "y": [],
            "line": {"color": ARROW, "width": 1.5},
            "hoverinfo": "skip",
        }
        covered = {
            "type": "scatter",
            "mode": "lines",
            "name": "mode covered (3σ)",
            "x": [],
            "y": [],
            "line": {"color": COVERED, "width": 2},
            "hoverinfo": "skip",
            "showlegend": ring,
        }
        missed = covered | {"name": "mode missed", "line": {"color": MISSED, "width": 2, "dash": "dot"}}
        data = [heat, real, fake, arrows, covered, missed]
        data += [
            _line("critic loss" if wgan else "D loss", D_COLOUR, "2"),
            _line("G loss", G_COLOUR, "2", "dash"),
            _line("on real points", REAL, "3"),
            _line("on generated", FAKE, "3", "dash"),
            _line("modes covered", COVERED, "4") | {"mode": "lines+markers", "marker": {"size": 4}},
        ]
        data[T_DLOSS]["showlegend"] = data[T_GLOSS]["showlegend"] = True
        for trace in data[T_DREAL:]:
            trace["showlegend"] = False  # the panels' titles key them: the legend keeps to the plane and the losses
        annotations = _titles(WIDE, wgan, ring, 13)
        if not ring:
            annotations.append(_no_modes("x4", "y4", params.steps))
        layout = base_layout(
            height=640,
            margin={"l": 52, "r": 12, "t": 44, "b": 40},
            showlegend=True,
            legend=top_legend(y=1.0, yanchor="bottom"),
            annotations=annotations,
            **_axes(WIDE, inputs, params),
        )
        narrow = _axes(NARROW, inputs, params)
        narrow["annotations"] = _titles(NARROW, wgan, ring, 11) + (
            [_no_modes("x4", "y4", params.steps)] if not ring else []
        )
        narrow["margin"] = {"l": 44, "r": 8, "t": 80, "b": 36}
        narrow["legend"] = {"font": {"size": 10}}
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline("step", "generator step"),
            "x-narrow": {
                "width": NARROW_WIDTH,
                "height": NARROW_HEIGHT,
                "layout": narrow,
                "data": {str(T_HEAT): {"showscale": False}},  # the panel's title names the shading
            },
        }

    def render(self, frame: Frame, inputs: GanData, params: GanDrawn) -> dict[str, Any]:
        data: list[dict[str, Any]] = [{} for _ in range(N_TRACES)]
        state = frame.state
        if "d_grid" not in state:
            return {"data": data, "layout": {}}
        data[T_HEAT] = self._heat(from_typed_array(state["d_grid"]).astype(np.float64), params.loss)
        fake = from_typed_array(state["fake"])
        data[T_FAKE] = {"x": typed(fake[:, 0], "f4"), "y": typed(fake[:, 1], "f4")}
        at = from_typed_array(state["arrows"]["at"]).astype(np.float64)
        tip = at + state["arrows"]["scale"] * from_typed_array(state["arrows"]["push"])
        nan = np.full(at.shape[0], np.nan)
        data[T_ARROW] = {
            "x": typed(np.column_stack([at[:, 0], tip[:, 0], nan]).ravel(), "f4"),
            "y": typed(np.column_stack([at[:, 1], tip[:, 1], nan]).ravel(), "f4"),
        }
        modes = state.get("modes")
        if modes is not None and inputs.centres is not None:
            hit = np.asarray(modes["hits"]) >= modes["min_hits"]
            for index, keep in ((T_COVERED, hit), (T_MISSED, ~hit)):
                xs, ys = _circles(inputs.centres[keep], inputs.hit_radius)
                data[index] = {"x": typed(xs, "f4"), "y": typed(ys, "f4")}
        history = frame.visual.get("history", {})
        if history:
            steps = typed(history["step"], "f4")
            for index, key in ((T_DLOSS, "d_loss"), (T_GLOSS, "g_loss"), (T_DREAL, "d_real"), (T_DFAKE, "d_fake")):
                data[index] = {"x": steps, "y": typed(history[key], "f4")}
            if history.get("modes"):
                data[T_MODES] = {"x": steps, "y": typed(history["modes"], "f4")}
        return {"data": data, "layout": {}}

    @staticmethod
    def _heat(grid: np.ndarray, loss: str) -> dict[str, Any]:
        """D's (g, g) grid as a u1 picture: 255·D(x) for a probability; the critic's values spread over 0..255
        between their own least and greatest, the colour bar ticked in the critic's units."""
        if loss != "wasserstein-gp":
            return {"z": typed2d(np.round(255 * np.clip(grid, 0, 1)), "u1")}
        lo, hi = float(grid.min()), float(grid.max())
        width = hi - lo if hi > lo else 1.0
        ticks = np.linspace(lo, hi, 5)
        return {
            "z": typed2d(np.round(255 * (grid - lo) / width), "u1"),
            "colorbar": {
                "tickvals": [float(v) for v in 255 * (ticks - lo) / width],
                "ticktext": [f"{v:.3g}" for v in ticks],
            },
        }

    def panels(self, result: Mapping[str, Any], inputs: GanData, params: GanDrawn) -> list[dict[str, Any]]:
        return []


def _no_modes(x: str, y: str, steps: int) -> dict[str, Any]:
    return {
        "text": "Modes are counted on the ring of Gaussians only",
        "xref": x,
        "yref": y,
        "x": steps / 2,
        "y": 4,
        "showarrow": False,
        "font": {"size": 12, "color": MUTED},
    }
