"""The regression-fit figure the tree and boosting labs share (task regression): the data and the fitted function.

1 feature: the points (training filled, test hollow) over x, the fitted curve drawn over ``grid_size`` x values
spanning the inputs' box (the engines' ``fit_points``: the view recomputes the same ``linspace`` from the box,
as views may not import engines), and, when the frame carries ``visual["residual"]``, one vertical stick from
each training point to the fit (the residual y − fit that the next tree is fitted to).

2 features: the fitted value over the ``g × g`` grid as a heatmap with a continuous colour scale and a titled
colour bar ("predicted y"), the points coloured by their own y on the same scale (a point that stands out from
the shading under it is one the model gets wrong), training filled, test hollow.

Wire budget: a frame's ``visual["fit"]`` is (g,) for 1 feature, sent as f4 (400 B at g = 100), or (g²,) for 2,
sent as ONE BYTE per cell: the fit quantised to 255 levels over a fixed range the scene sets (the targets'
range plus a margin; a fit beyond it is clipped to its end), about 13 KB of base64 at g = 100. The points, the
x values of the curve and of the residual sticks go once in the scene; a frame sends only what moved.

A composing view (the boosting lab's residual panel) appends its traces after ``n_scene_traces(inputs)`` and
pads its render patches with ``{}`` up to that index; ``domain`` places this plane in part of the figure width.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.inputs import TrainTest
from app.views.keys import colour_bar, hugging_range, legend_entry, top_legend
from app.views.theme import GRID, MUTED, PALETTE, base_layout, typed

# Trace order, 1 feature: the sticks under the points, the points, the curve on top.
RESIDUALS, TRAIN, TEST, FIT = range(4)
# Trace order, 2 features: the shading, the points (TRAIN, TEST as above), then the two legend keys.
HEAT = 0
KEYS_2D = 3
LEVELS = 254
"""A 2-feature fit goes out as u1 levels 0..LEVELS over the scene's fixed range."""
FIT_SCALE: list[list[float | str]] = [
    [0.0, "#2c1a5e"],
    [0.25, "#3b5ba5"],
    [0.5, "#3fa39a"],
    [0.75, "#a9d66b"],
    [1.0, "#fbe96a"],
]
"""A sequential scale (dark violet → yellow, lightness rising): values, not classes."""
POINT_COLOUR = PALETTE[0]
FIT_COLOUR = PALETTE[5]
STICK_COLOUR = PALETTE[1]
AXIS = {"gridcolor": GRID, "linecolor": MUTED, "zeroline": False}


class RegressionData(Protocol):
    """What the regression-fit view reads of a lab's inputs (``app.labs.inputs.RegressionInputs``)."""

    @property
    def X(self) -> np.ndarray:
        """(n, d) float64, d = 1 or 2."""
        ...

    @property
    def y(self) -> np.ndarray:
        """(n,) float64 targets."""
        ...

    @property
    def split(self) -> TrainTest: ...

    @property
    def feature_names(self) -> tuple[str, ...]:
        """d column names (axis titles)."""
        ...

    @property
    def box(self) -> tuple[np.ndarray, np.ndarray]:
        """(lo, hi), each (d,): the window the fitted function is drawn over."""
        ...


class RegressionDrawn(Protocol):
    """The params the regression-fit view reads."""

    @property
    def grid_size(self) -> int: ...


def curve_xs(inputs: RegressionData, grid_size: int) -> np.ndarray:
    """(g,) the x values of the 1-feature curve: the engines' ``fit_points(X, g)[:, 0]``."""
    lo, hi = inputs.box
    return np.linspace(float(lo[0]), float(hi[0]), int(grid_size))


def grid_axes(inputs: RegressionData, grid_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(g,) xs and (g,) ys of the 2-feature grid: the engines' ``make_grid`` (points row-major, y slowest)."""
    lo, hi = inputs.box
    g = int(grid_size)
    return np.linspace(float(lo[0]), float(hi[0]), g), np.linspace(float(lo[1]), float(hi[1]), g)


def value_range(y: np.ndarray) -> tuple[float, float]:
    """The fixed colour range of a 2-feature fit: the targets' range plus 5 % each side."""
    lo, hi = hugging_range(y, pad=0.05)
    return float(lo), float(hi)


def quantise(fit: np.ndarray, value_lo: float, value_hi: float) -> np.ndarray:
    """(g²,) fitted values → (g²,) u1 levels 0..LEVELS over [value_lo, value_hi] (clipped at its ends)."""
    share = (np.clip(np.asarray(fit, dtype=np.float64), value_lo, value_hi) - value_lo) / (value_hi - value_lo)
    levels: np.ndarray = np.round(share * LEVELS).astype(np.uint8)
    return levels


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round values inside [lo, hi] (1, 2 or 5 × a power of ten apart)."""
    raw = (hi - lo) / max(count, 1)
    power = 10.0 ** np.floor(np.log10(raw)) if raw > 0 else 1.0
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = np.ceil(lo / step) * step
    return [round(float(v), 10) + 0.0 for v in np.arange(first, hi + step * 1e-9, step)]  # + 0.0: no "-0"


def _sticks_x(X: np.ndarray, train: np.ndarray) -> np.ndarray:
    """(3·n_train,) x of each training point twice, then NaN: one stick per point, NaN breaks the line
    (plotly.js draws no segment across a non-number, as it does across None)."""
    x = X[train, 0].astype(np.float64)
    return np.column_stack([x, x, np.full(x.size, np.nan)]).ravel()


def sticks_y(y: np.ndarray, train: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """(3·n_train,) each training point's y, its fit (y − residual), NaN."""
    top = y[train].astype(np.float64)
    return np.column_stack([top, top - residual[train], np.full(top.size, np.nan)]).ravel()


class RegressionFitView:
    """The data and the fitted function for 1 or 2 features.

    ``timeline``: the scene's ``x-timeline`` (``{"key": state key | None, "title": ...}``); ``phases``: its
    ``x-phases`` (frame kind → chapter title) or None for one phase; ``residuals``: draw the residual sticks
    (1 feature) when a frame carries them; ``domain`` / ``y_domain``: the plane's x and y domains (a composing
    view's panels take the rest; the 2-feature colour bar sits just right of the plane, as tall as it).
    """

    def __init__(
        self,
        timeline: Mapping[str, str | None] | None = None,
        phases: Mapping[str, str] | None = None,
        residuals: bool = True,
        domain: tuple[float, float] = (0.0, 1.0),
        y_domain: tuple[float, float] = (0.0, 1.0),
    ) -> None:
        self.timeline = dict(timeline) if timeline is not None else {"key": None, "title": "step"}
        self.phases = dict(phases) if phases else None
        self.residuals = residuals
        self.domain = domain
        self.y_domain = y_domain

    def n_scene_traces(self, inputs: RegressionData) -> int:
        """How many traces ``scene`` draws (a composing view appends its own after them)."""
        return FIT + 1 if inputs.X.shape[1] == 1 else KEYS_2D + 2

    def scene(self, inputs: RegressionData, params: RegressionDrawn) -> dict[str, Any]:
        if inputs.X.shape[1] == 1:
            data, layout = self._scene_1d(inputs, int(params.grid_size))
        else:
            data, layout = self._scene_2d(inputs, int(params.grid_size))
        scene: dict[str, Any] = {"data": data, "layout": layout, "x-timeline": dict(self.timeline)}
        if self.phases:
            scene["x-phases"] = dict(self.phases)
        return scene

    def _points(self, inputs: RegressionData, rows: np.ndarray, hollow: bool, colour: Any) -> dict[str, Any]:
        X, y = inputs.X, inputs.y
        one = X.shape[1] == 1
        size = 8 if X.shape[0] <= 300 else 6 if X.shape[0] <= 1000 else 4
        marker: dict[str, Any] = {
            "size": size + (1 if hollow else 0),
            "symbol": "circle-open" if hollow else "circle",
            "color": colour,
            "line": {"width": 2} if hollow else {"width": 1, "color": "#ffffff"},
        }
        hover = "point %{customdata}<br>x %{x:.3g}<br>y %{y:.3g}" if one else "point %{customdata}<br>y %{text}"
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "markers",
            "name": "test points" if hollow else "training points",
            "x": typed(X[rows, 0], "f4"),
            "y": typed(y[rows] if one else X[rows, 1], "f4"),
            "customdata": typed(rows, "i4"),
            "hovertemplate": hover + "<extra>%{fullData.name}</extra>",
            "marker": marker,
            "showlegend": one,
        }
        if not one:
            trace["text"] = [f"{v:.3g}" for v in y[rows].tolist()]
        return trace

    def _scene_1d(self, inputs: RegressionData, g: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        X, y, parts = inputs.X, inputs.y, inputs.split
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "residual (y − fit)",
                "x": typed(_sticks_x(X, parts.train), "f4"),
                "y": [],
                "line": {"color": STICK_COLOUR, "width": 1.5},
                "hoverinfo": "skip",
                "showlegend": self.residuals,
                "visible": self.residuals,
            },
            self._points(inputs, parts.train, False, POINT_COLOUR),
            self._points(inputs, parts.test, True, POINT_COLOUR),
            {
                "type": "scatter",
                "mode": "lines",
                "name": "fitted curve",
                "x": typed(curve_xs(inputs, g), "f4"),
                "y": [],
                "line": {"color": FIT_COLOUR, "width": 3, "shape": "linear"},
                "hovertemplate": "x %{x:.3g}<br>fit %{y:.3g}<extra></extra>",
                "showlegend": True,
            },
        ]
        lo, hi = inputs.box
        name = inputs.feature_names[0] if inputs.feature_names else "x"
        span = hugging_range(y, pad=0.08)
        layout = self._layout(
            xaxis={**AXIS, "domain": list(self.domain), "title": {"text": name}, "range": [float(lo[0]), float(hi[0])]},
            yaxis={**AXIS, "domain": list(self.y_domain), "title": {"text": "y (target)"}, "range": span},
        )
        return data, layout

    def _scene_2d(self, inputs: RegressionData, g: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        y, parts = inputs.y, inputs.split
        xs, ys = grid_axes(inputs, g)
        value_lo, value_hi = value_range(y)
        ticks = nice_ticks(value_lo, value_hi)
        levels = [(t - value_lo) / (value_hi - value_lo) * LEVELS for t in ticks]
        bar = colour_bar(
            "predicted y",
            tickmode="array",
            tickvals=levels,
            ticktext=[f"{t:g}" for t in ticks],
            x=self.domain[1] + 0.01,
            xanchor="left",
            y=self.y_domain[0],
            yanchor="bottom",
            len=self.y_domain[1] - self.y_domain[0],
        )
        heat: dict[str, Any] = {
            "type": "heatmap",
            "name": "predicted y",
            "x": typed(xs, "f4"),
            "y": typed(ys, "f4"),
            "z": [],
            "zmin": 0,
            "zmax": LEVELS,
            "zsmooth": False,
            "colorscale": FIT_SCALE,
            "opacity": 0.8,  # paler than the points, so a point on the shading of its own y still shows
            "showscale": True,
            "colorbar": bar,
            "hoverinfo": "skip",
            "showlegend": False,
        }
        colour = {
            "colorscale": FIT_SCALE,
            "cmin": value_lo,
            "cmax": value_hi,
            "showscale": False,
        }
        train = self._points(inputs, parts.train, False, None)
        test = self._points(inputs, parts.test, True, None)
        for trace, rows in ((train, parts.train), (test, parts.test)):
            trace["marker"] |= {**colour, "color": typed(y[rows], "f4")}
        keys = [
            legend_entry("training (filled)", colour=MUTED, symbol="circle", size=9),
            legend_entry("test (hollow)", colour=MUTED, symbol="circle-open", size=9),
        ]
        names = list(inputs.feature_names[:2]) if len(inputs.feature_names) >= 2 else ["x₁", "x₂"]
        layout = self._layout(
            xaxis={
                **AXIS,
                "domain": list(self.domain),
                "title": {"text": names[0]},
                "range": [float(xs[0]), float(xs[-1])],
            },
            yaxis={
                **AXIS,
                "domain": list(self.y_domain),
                "title": {"text": names[1]},
                "range": [float(ys[0]), float(ys[-1])],
            },
        )
        return [heat, train, test, *keys], layout

    def _layout(self, **axes: Any) -> dict[str, Any]:
        return base_layout(
            **axes,
            showlegend=True,
            legend=top_legend(itemclick=False, itemdoubleclick=False),
            margin={"l": 56, "r": 8, "t": 8, "b": 48},
        )

    def render(self, frame: Frame, inputs: RegressionData, params: RegressionDrawn) -> dict[str, Any]:
        traces: list[dict[str, Any]] = [{} for _ in range(self.n_scene_traces(inputs))]
        visual = frame.visual
        if inputs.X.shape[1] == 1:
            if "fit" in visual:
                traces[FIT] = {"y": typed(visual["fit"], "f4")}
            if self.residuals and "residual" in visual:
                residual = np.asarray(visual["residual"], dtype=np.float64)
                traces[RESIDUALS] = {"y": typed(sticks_y(inputs.y, inputs.split.train, residual), "f4")}
        elif "fit" in visual:
            g = int(params.grid_size)
            value_lo, value_hi = value_range(inputs.y)
            z = quantise(visual["fit"], value_lo, value_hi)
            traces[HEAT] = {"z": {**typed(z, "u1"), "shape": f"{g},{g}"}}
        return {"data": traces, "layout": {}}

    def panels(
        self, result: Mapping[str, Any], inputs: RegressionData, params: RegressionDrawn
    ) -> list[dict[str, Any]]:
        return []
