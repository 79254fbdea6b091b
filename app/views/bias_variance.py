"""The bias–variance figure: the fan of fits over the truth (top left), the error's parts as a stacked bar beside
the measured test MSE (top right), and the parts over complexity, growing frame by frame (the strip below).

* Fan (x, y): the truth dashed in ink; the fits to training sets 2..20 as one pale trace (NaN between curves, so
  one trace draws them all); the mean of every set's fit; training set 1's points and its own fit. The axis
  range is fixed, and the fits are clipped for drawing only (the numbers in state are not) to the plot's window
  grown by its height on each side: a degree-15 polynomial reaches 10⁶ beyond its points, and a curve leaving
  the window must still leave it steeply, never as inf in an f4 array.
* Bars (x2, y2): bias², variance, noise stacked into their sum, and the measured test MSE with ± 2 standard
  errors beside it: the two bars are equal up to Monte-Carlo error.
* Strip (x3, y3, log y: variance spans decades): bias², variance, noise, their sum (a wide pale band, under the
  measured test MSE where they agree) and the training MSE, one point per complexity frame (``x-extend``); the
  summary marks the sweet spot.

Wire budget: a frame sends the fan as (20 × (g + 1),) f4 (about 11 KB of base64 at g = 100), the mean and set 1's
fit (g,) f4 each, set 1's points and a handful of numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.views.keys import timeline, top_legend
from app.views.theme import GRID, INK, MUTED, PALETTE, base_layout, typed

FAN_X, FAN_Y = (0.0, 0.6), (0.42, 0.785)
BAR_X, BAR_Y = (0.72, 1.0), (0.42, 0.785)
"""The top 21 % holds the legend (three rows of four at 1024 px), inside the figure: above it (in a top margin
Plotly sizes itself) three rows of legend drew NaN paths in plotly.js."""
STRIP_X, STRIP_Y = (0.0, 1.0), (0.0, 0.27)
NARROW_WIDTH = 700
"""Below this plot width (a phone) the three panels stack: fan, bars, strip."""
NARROW = {"fan": (0.53, 0.76), "bars": (0.29, 0.45), "strip": (0.0, 0.19)}
(
    FAN,
    MEAN,
    TRUTH,
    SET,
    SET_FIT,
    BIAS,
    VARIANCE,
    NOISE,
    TEST,
    U_BIAS,
    U_VARIANCE,
    U_NOISE,
    U_TOTAL,
    U_TEST,
    U_TRAIN,
    BEST,
    SPREAD,
) = range(17)
EXTEND = "x-extend"
BIAS_COLOUR, VARIANCE_COLOUR, NOISE_COLOUR = PALETTE[5], PALETTE[2], MUTED
FIT_COLOUR, SET_COLOUR, TOTAL_COLOUR = PALETTE[0], PALETTE[1], PALETTE[3]
PARTS, MEASURED = "bias² + variance<br>+ noise", "measured<br>test MSE"
"""The two bars' categories (tick labels on two lines, so they sit level under the bars at any width)."""
SUM_NAME, MEASURED_NAME = "sum of the parts", "measured test MSE"
WORDS = {"polynomial": "degree", "tree": "depth", "knn": "k"}
STRIP_TITLES = {
    "polynomial": "polynomial degree (more complex →)",
    "tree": "tree depth (more complex →)",
    "knn": "k, neighbours averaged (fewer = more complex →)",
}
SMALL = {"size": 11}
DRAWN = 20


class SweepData(Protocol):
    """What the view reads of the lab's inputs (``app.labs.bias_variance.BiasVarianceInputs``)."""

    @property
    def grid(self) -> np.ndarray:
        """(g,) x of the curves."""
        ...

    @property
    def truth_curve(self) -> np.ndarray:
        """(g,) f at the grid."""
        ...

    @property
    def complexities(self) -> tuple[int, ...]: ...


class SweepDrawn(Protocol):
    """The params the view reads."""

    @property
    def model(self) -> str: ...

    @property
    def noise(self) -> float: ...

    @property
    def n_datasets(self) -> int: ...


def y_window(inputs: SweepData, params: SweepDrawn) -> tuple[float, float]:
    """The fan's fixed y range: the truth's range plus 2.5 σ of noise and a margin."""
    lo, hi = float(inputs.truth_curve.min()), float(inputs.truth_curve.max())
    pad = 2.5 * float(params.noise) + 0.15 * max(hi - lo, 1.0)
    return lo - pad, hi + pad


def clipped(values: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    """Values clipped for drawing to the window grown by its own height on each side (a curve leaving the plot
    still leaves it steeply; an exploding polynomial stays a finite f4)."""
    lo, hi = window
    span = hi - lo
    out: np.ndarray = np.clip(np.asarray(values, dtype=np.float64), lo - span, hi + span)
    return out


def _axis(domain: tuple[float, float], anchor: str, title: str, **extra: Any) -> dict[str, Any]:
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


def _line(name: str, colour: str, axes: tuple[str, str], **extra: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": axes[0],
        "yaxis": axes[1],
        "line": {"color": colour, "width": 2.5},
    }
    trace.update(extra)
    return trace


def _bar(name: str, colour: str, category: str, **extra: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "bar",
        "name": name,
        "x": [category],
        "y": [0.0],
        "xaxis": "x2",
        "yaxis": "y2",
        "marker": {"color": colour},
        "width": 0.6,
        "hovertemplate": "%{y:.4g}<extra>%{fullData.name}</extra>",
    }
    trace.update(extra)
    return trace


def _error(size: float) -> dict[str, Any]:
    """± two standard errors around the measured test MSE."""
    return {"type": "data", "array": [size], "visible": True, "color": PALETTE[1], "thickness": 2, "width": 8}


def _fan_x(grid: np.ndarray, curves: int) -> np.ndarray:
    """(curves · (g + 1),) the grid once per curve, NaN after each (a break between curves)."""
    row = np.append(grid, np.nan)
    return np.tile(row, curves)


class BiasVarianceView:
    """The fan, the bars and the strip (see the module's docstring)."""

    def scene(self, inputs: SweepData, params: SweepDrawn) -> dict[str, Any]:
        model = params.model
        window = y_window(inputs, params)
        grid = typed(inputs.grid, "f4")
        others = max(min(DRAWN, int(params.n_datasets)) - 1, 0)
        fan, strip = ("x", "y"), ("x3", "y3")
        hover = "%{x}: %{y:.4g}<extra>%{fullData.name}</extra>"
        pale = {"color": PALETTE[4], "width": 1}
        data: list[dict[str, Any]] = [
            _line(
                f"fits to sets 2–{others + 1}",
                PALETTE[4],
                fan,
                x=typed(_fan_x(inputs.grid, others), "f4"),
                line=pale,
                opacity=0.6,
                hoverinfo="skip",
            ),
            _line(
                f"mean of all {params.n_datasets} fits",
                FIT_COLOUR,
                fan,
                x=grid,
                line={"color": FIT_COLOUR, "width": 3.5},
                hovertemplate="x %{x:.3g}: mean fit %{y:.3g}<extra></extra>",
            ),
            _line(
                "true f(x)",
                INK,
                fan,
                x=grid,
                y=typed(inputs.truth_curve, "f4"),
                line={"color": INK, "width": 2.5, "dash": "dash"},
                hovertemplate="x %{x:.3g}: f %{y:.3g}<extra></extra>",
            ),
            {
                "type": "scatter",
                "mode": "markers",
                "name": "training set 1",
                "legendgroup": "set",
                "x": [],
                "y": [],
                "xaxis": "x",
                "yaxis": "y",
                "marker": {
                    "color": SET_COLOUR,
                    "size": 7,
                    "symbol": "circle",
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": "x %{x:.3g}, y %{y:.3g}<extra>training set 1</extra>",
            },
            _line(
                "fit to set 1",
                SET_COLOUR,
                fan,
                x=grid,
                line={"color": SET_COLOUR, "width": 2},
                hoverinfo="skip",
                legendgroup="set",
                showlegend=False,  # the points' entry stands for both: the same colour
            ),
            _bar("bias²", BIAS_COLOUR, PARTS, legendgroup="bias"),
            _bar("variance", VARIANCE_COLOUR, PARTS, legendgroup="variance"),
            _bar("noise σ²", NOISE_COLOUR, PARTS, legendgroup="noise"),
            _bar(MEASURED_NAME, INK, MEASURED, legendgroup="test"),
            *(
                _line(
                    name, colour, strip, mode="lines+markers", legendgroup=group, showlegend=False, hovertemplate=hover
                )
                for name, colour, group in (("bias²", BIAS_COLOUR, "bias"), ("variance", VARIANCE_COLOUR, "variance"))
            ),
            _line("noise σ²", NOISE_COLOUR, strip, legendgroup="noise", showlegend=False, hovertemplate=hover),
            _line(
                SUM_NAME,
                TOTAL_COLOUR,
                strip,
                line={"color": TOTAL_COLOUR, "width": 8},
                opacity=0.45,  # a wide pale band under the measured line: where they agree, it shows round it
                hovertemplate=hover,
            ),
            _line(
                MEASURED_NAME,
                INK,
                strip,
                mode="lines+markers",
                legendgroup="test",
                showlegend=False,
                marker={"symbol": "diamond", "size": 7},
                hovertemplate=hover,
            ),
            _line(
                "training MSE",
                FIT_COLOUR,
                strip,
                mode="lines+markers",
                line={"color": FIT_COLOUR, "width": 1.5, "dash": "dot"},
                marker={"symbol": "triangle-up", "size": 6},
                hovertemplate=hover,
            ),
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "sweet spot",
                "showlegend": False,  # labelled on the plot
                "x": [],
                "y": [],
                "xaxis": "x3",
                "yaxis": "y3",
                "text": [],
                "textposition": "top center",
                "textfont": {"size": 12, "color": INK},
                "marker": {"symbol": "star", "size": 16, "color": PALETTE[6], "line": {"width": 1.5, "color": INK}},
                "hovertemplate": "sweet spot %{x}: test MSE %{y:.4g}<extra></extra>",
            },
            {  # the measured bar's ± 2 SE on a trace of its own: plotly.js's legend draws a bar's error bars with NaN
                "type": "scatter",
                "mode": "markers",
                "name": "± 2 standard errors",
                "x": [MEASURED],
                "y": [0.0],
                "xaxis": "x2",
                "yaxis": "y2",
                "marker": {"size": 1, "color": PALETTE[1], "opacity": 0},
                "showlegend": False,
                "hovertemplate": "± %{error_y.array:.3g}<extra>two standard errors</extra>",
            },
        ]
        ks = list(inputs.complexities)
        strip_x: dict[str, Any] = {"tickmode": "array", "tickvals": ks, "range": self._strip_range(ks, model)}
        layout = base_layout(
            showlegend=True,
            legend=top_legend(
                itemclick=False,
                itemdoubleclick=False,
                entrywidth=100,
                entrywidthmode="pixels",
                yanchor="top",
                font={"size": 10, "color": INK},
            ),
            margin={"l": 56, "r": 12, "t": 8, "b": 38},
            barmode="stack",
            xaxis=_axis(FAN_X, "y", "x", range=[0.0, 1.0]),
            yaxis=_axis(FAN_Y, "x", "y", range=list(window)),
            xaxis2=_axis(BAR_X, "y2", "the parts against the measurement", fixedrange=True, tickangle=0),
            yaxis2=_axis(BAR_Y, "x2", "squared error", rangemode="tozero", fixedrange=True),
            xaxis3=_axis(STRIP_X, "y3", STRIP_TITLES[model], fixedrange=True, **strip_x),
            yaxis3=_axis(STRIP_Y, "x3", "error (log)", type="log", dtick=1, fixedrange=True),
        )
        # A phone stacks the panels and keeps the legend to three rows (the fan's other curves, the sum and the
        # training MSE go without an entry) and the axis titles short (the caption says
        # which complexity the frame shows).
        narrow_layout = {
            "xaxis": {"domain": [0.0, 1.0], "title": {"text": "x"}},
            "yaxis": {"domain": list(NARROW["fan"])},
            "xaxis2": {"domain": [0.0, 1.0]},
            "yaxis2": {"domain": list(NARROW["bars"]), "title": {"text": "squared error"}},
            "yaxis3": {"domain": list(NARROW["strip"])},
            "xaxis3": {"title": {"text": WORDS[model]}},
            "legend": {"entrywidth": 96, "font": {"size": 10}},  # two a row: (96 + 40 px swatch) × 2 < a phone's plot
        }
        unlisted = {str(i): {"showlegend": False} for i in (FAN, U_TOTAL, U_TRAIN)}
        return {
            "data": data,
            "layout": layout,
            # bias², variance and test error grow by decades at high complexity: their sparklines read on a log scale
            "x-timeline": timeline("complexity", WORDS[model], log_metrics=("bias2", "variance", "test_mse")),
            "x-phases": {
                "data": "The training sets",
                "complexity": "Complexity by complexity",
                "summary": "Sweet spot",
            },
            "x-narrow": {"width": NARROW_WIDTH, "layout": narrow_layout, "data": unlisted},
        }

    @staticmethod
    def _strip_range(ks: list[int], model: str) -> list[float]:
        lo, hi = min(ks) - 0.5, max(ks) + 0.5
        return [hi, lo] if model == "knn" else [lo, hi]

    def render(self, frame: Frame, inputs: SweepData, params: SweepDrawn) -> dict[str, Any]:
        traces: list[dict[str, Any]] = [{} for _ in range(SPREAD + 1)]
        visual, state = frame.visual, frame.state
        window = y_window(inputs, params)
        if "set_x" in visual:
            traces[SET] = {"x": typed(visual["set_x"], "f4"), "y": typed(visual["set_y"], "f4")}
        if "fits" in visual:
            fits = clipped(visual["fits"], window)[1:]  # (others, g): set 1 has its own trace
            rows = np.column_stack([fits, np.full(fits.shape[0], np.nan)]).ravel()
            traces[FAN] = {"y": typed(rows, "f4")}
            traces[MEAN] = {"y": typed(clipped(visual["mean_fit"], window), "f4")}
            traces[SET_FIT] = {"y": typed(clipped(visual["set_fit"], window), "f4")}
        layout: dict[str, Any] = {}
        word = WORDS[params.model]
        if frame.kind == "complexity":
            c = int(state["complexity"])
            traces[BIAS] = {"y": [state["bias2"]]}
            traces[VARIANCE] = {"y": [state["variance"]]}
            traces[NOISE] = {"y": [state["noise"]]}
            traces[TEST] = {"y": [state["test_mse"]]}
            traces[SPREAD] = {"y": [state["test_mse"]], "error_y": _error(2 * state["test_mse_se"])}
            for index, key in (
                (U_BIAS, "bias2"),
                (U_VARIANCE, "variance"),
                (U_NOISE, "noise"),
                (U_TOTAL, "total"),
                (U_TEST, "test_mse"),
                (U_TRAIN, "train_mse"),
            ):
                traces[index] = {EXTEND: {"x": [c], "y": [state[key]]}}
            layout = self._titles(f"{word} {c}" if word != "k" else f"k = {c}", params)
        elif frame.kind == "summary":
            best = int(state["best_index"])
            c = int(state["best_complexity"])
            traces[BIAS] = {"y": [state["bias2"][best]]}
            traces[VARIANCE] = {"y": [state["variance"][best]]}
            traces[NOISE] = {"y": [state["noise"][best]]}
            traces[TEST] = {"y": [state["test_mse"][best]]}
            traces[SPREAD] = {"y": [state["test_mse"][best]], "error_y": _error(2 * state["test_mse_se"][best])}
            traces[BEST] = {"x": [c], "y": [state["test_mse"][best]], "text": ["sweet spot"]}
            label = f"{word} {c}" if word != "k" else f"k = {c}"
            layout = self._titles(f"the sweet spot, {label}", params)
        else:
            layout = {"xaxis": {"title": {"text": "x (the truth and training set 1, before any fit)"}}}
        return {"data": traces, "layout": layout}

    @staticmethod
    def _titles(what: str, params: SweepDrawn) -> dict[str, Any]:
        shown = min(DRAWN, int(params.n_datasets))
        return {
            "xaxis": {"title": {"text": f"x (fits at {what}: {shown} of {params.n_datasets} sets drawn)"}},
            "yaxis2": {"title": {"text": f"squared error at {what}"}},
        }

    def panels(self, result: Mapping[str, Any], inputs: SweepData, params: SweepDrawn) -> list[dict[str, Any]]:
        return []
