"""Gradient boosting's figure: the model so far (the fitted curve or boundary), what this stage's tree fitted, and
the training and test loss stage by stage (a strip under the plane, growing by ``x-extend``).

* Regression: ``RegressionFitView`` (its traces first, unchanged) in the top left, the residual sticks showing
  what the model still gets wrong; on the right the panel of this stage's tree: the negative gradient at each
  training row (dots: for squared error exactly the residuals) and the tree's piecewise-constant fit of them
  (the line: the mean in each of its regions), dashed the step each region really takes after the library's
  line search (absolute error, Huber). With 2 features the panel plots each row's fit against its target (on
  the diagonal: fitted exactly) and the tree's cuts are drawn on the plane.
* Classification: ``BoundaryView("probability")`` (the staged model's probability as the tint) with this stage's
  tree cuts on the plane; the confusion matrix keeps its column on the right.

A frame sends the grid (one byte per cell, as the composed views do), the panel's points and lines (f4), and one
point per loss curve.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

import numpy as np

from app.core.frame import Frame
from app.views import boundary_layout as bl
from app.views.boundary import BoundaryView
from app.views.inputs import BoundaryData
from app.views.keys import legend_entry
from app.views.regression_fit import RegressionData, RegressionFitView, curve_xs
from app.views.theme import GRID, INK, MUTED, PALETTE, typed

EXTEND = "x-extend"
TIMELINE: dict[str, str | None] = {"key": "stage", "title": "stage (trees added)"}
PLANE_Y = (0.38, 1.0)
"""y domain of the plane; the loss strip takes ``STRIP``."""
PANEL_Y = (0.0, 0.92)
"""y domain of the regression panel, its title above it (under the figure's legend)."""
STRIP = (0.0, 0.16)
FIT_X = (0.0, 0.55)
"""x domain of the regression plane; the panel of this stage's tree takes ``PANEL_X``."""
PANEL_X = (0.7, 1.0)
FIT_X_2D, PANEL_X_2D = (0.0, 0.48), (0.76, 1.0)
"""Two features: the plane leaves room for its colour bar, the panel starts further right."""
TRAIN_COLOUR, TEST_COLOUR = PALETTE[0], PALETTE[5]
TREE_COLOUR = PALETTE[2]  # the tree's fit and its cuts
LOSS_TITLES = {
    "squared_error": "MSE",
    "absolute_error": "mean |y − F|",
    "huber": "Huber loss",
    "log_loss": "log-loss",
    "exponential": "exp. loss",
}
TARGET_TITLES = {
    "squared_error": "residual y − F",
    "absolute_error": "sign of y − F",
    "huber": "residual, clipped at ±δ",
}
SMALL = {"size": 11}
LEGEND_ENTRY = 98
"""Width of a legend entry in pixels: the longest name ("residual (y − fit)") and its swatch."""


class BoostingDrawn(Protocol):
    """The params the gradient-boosting view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def task(self) -> str: ...

    @property
    def n_estimators(self) -> int: ...

    @property
    def loss_used(self) -> str: ...

    @property
    def subsample(self) -> float: ...


def _line(name: str, colour: str, axes: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": axes[0],
        "yaxis": axes[1],
        "line": {"color": colour, "width": 2.5},
        **extra,
    }


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


def _segments(cuts: np.ndarray) -> dict[str, Any]:
    """(m, 2, 2) segments → one line's x and y, NaN between segments (a gap, as None would be)."""
    seg = np.asarray(cuts, dtype=np.float64).reshape(-1, 2, 2)
    gap = np.full((seg.shape[0], 1), np.nan)
    return {
        "x": typed(np.hstack([seg[:, :, 0], gap]).ravel(), "f4"),
        "y": typed(np.hstack([seg[:, :, 1], gap]).ravel(), "f4"),
    }


class GradientBoostingView:
    """The model so far, this stage's tree and the loss strip, for either task (``params.task``)."""

    def __init__(self) -> None:
        self.boundary = BoundaryView("probability", timeline=TIMELINE)

    def _fit_view(self, inputs: RegressionData) -> RegressionFitView:
        wide = FIT_X if inputs.X.shape[1] == 1 else FIT_X_2D
        return RegressionFitView(timeline=TIMELINE, domain=wide, y_domain=PLANE_Y)

    def _base(self, inputs: Any, params: BoostingDrawn) -> int:
        """Index of this view's first trace (after every trace of the composed view)."""
        if params.task == "regression":
            data = inputs
            return self._fit_view(data).n_scene_traces(data)
        return self.boundary.n_scene_traces(cast(BoundaryData, inputs))

    def scene(self, inputs: BoundaryData | RegressionData, params: BoostingDrawn) -> dict[str, Any]:
        stages = int(params.n_estimators)
        strip = ("x3", "y3")
        loss = params.loss_used
        hover = "stage %{x}: %{y:.4g}<extra>%{fullData.name}</extra>"
        curves = [
            _line("training loss", TRAIN_COLOUR, strip, hovertemplate=hover),
            _line(
                "test loss",
                TEST_COLOUR,
                strip,
                hovertemplate=hover,
                line={"color": TEST_COLOUR, "width": 2.5, "dash": "dash"},
            ),
            {
                "type": "scatter",
                "mode": "markers",
                "name": "this stage",
                "x": [],
                "y": [],
                "xaxis": "x3",
                "yaxis": "y3",
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": {"color": INK, "size": 8, "symbol": "circle-open", "line": {"width": 2}},
            },
        ]
        if params.task == "regression":
            data = inputs
            figure = self._fit_view(data).scene(data, params)
            figure["data"] += self._panel_traces(data, params) + curves
            self._panel_layout(figure["layout"], data, params)
        else:
            classes = cast(BoundaryData, inputs)
            figure = self.boundary.scene(classes, params)
            figure["layout"]["yaxis"]["domain"] = list(PLANE_Y)
            cut = {"color": INK, "width": 1.5}
            figure["data"] += [
                _line("this tree's cuts", INK, ("x", "y"), showlegend=False, hoverinfo="skip", line=cut),
                *curves,
                legend_entry("this tree's cuts", colour=INK, dash="solid"),
            ]
        layout = figure["layout"]
        # Fixed-width legend entries: several a row on a phone too, where Plotly would give each its own row.
        layout["legend"] = {**layout["legend"], "entrywidth": LEGEND_ENTRY, "entrywidthmode": "pixels"}
        x_domain = list(bl.MAIN) if params.task == "classification" else list(layout["xaxis"]["domain"])
        layout["xaxis3"] = _axis((x_domain[0], x_domain[1]), "y3", "stage", range=[-0.5, stages + 0.5], fixedrange=True)
        layout["yaxis3"] = _axis(STRIP, "x3", LOSS_TITLES[loss], rangemode="tozero", fixedrange=True)
        return figure

    def _panel_traces(self, inputs: RegressionData, params: BoostingDrawn) -> list[dict[str, Any]]:
        """This stage's tree panel (x2, y2): in-bag targets, the rest, the tree's fit, its line-search steps."""
        one = inputs.X.shape[1] == 1
        panel = ("x2", "y2")
        dots = {"type": "scatter", "mode": "markers", "x": [], "y": [], "xaxis": "x2", "yaxis": "y2"}
        target = "the tree's target %{y:.3g}" if one else "target %{x:.3g}, tree's fit %{y:.3g}"
        xs = curve_xs(inputs, int(params.grid_size))
        robust = params.loss_used != "squared_error"
        return [
            dots
            | {
                "name": "tree's target" if one else "target vs fit",
                "marker": {"color": TRAIN_COLOUR, "size": 6, "line": {"width": 0.5, "color": "#ffffff"}},
                "hovertemplate": target + "<extra></extra>",
            },
            dots
            | {
                "name": "rows left out",
                "marker": {"color": MUTED, "size": 6, "symbol": "circle-open", "line": {"width": 1.5}},
                "showlegend": params.subsample < 1 and one,
                "hoverinfo": "skip",
            },
            _line(
                "tree's fit" if one else "exact fit (y = x)",
                TREE_COLOUR if one else MUTED,
                panel,
                x=typed(xs, "f4") if one else [],
                line={"color": TREE_COLOUR, "width": 3, "shape": "hv"} if one else {"color": MUTED, "dash": "dot"},
                hoverinfo="skip",
            ),
            _line(
                "region's step",
                INK,
                panel,
                x=typed(xs, "f4") if one else [],
                line={"color": INK, "width": 1.5, "dash": "dash"},
                visible=robust and one,
                showlegend=robust and one,
                hoverinfo="skip",
            ),
            _line("this tree's cuts", INK, ("x", "y"), hoverinfo="skip", showlegend=not one, visible=not one),
        ]

    def _panel_layout(self, layout: dict[str, Any], inputs: RegressionData, params: BoostingDrawn) -> None:
        one = inputs.X.shape[1] == 1
        loss = params.loss_used
        name = inputs.feature_names[0] if inputs.feature_names else "x"
        if one:
            x_title, y_title = name, TARGET_TITLES.get(loss, "negative gradient")
        else:
            x_title, y_title = TARGET_TITLES.get(loss, "target") + " (target)", "tree's fit"
        lo, hi = inputs.box
        x_range = {"range": [float(lo[0]), float(hi[0])]} if one else {}
        panel_x = PANEL_X if one else PANEL_X_2D
        layout["xaxis2"] = _axis(panel_x, "y2", x_title, **x_range)
        layout["yaxis2"] = _axis(PANEL_Y, "x2", y_title, zeroline=True, zerolinecolor=MUTED)
        layout["annotations"] = [
            {
                "text": "What this stage's tree fits",
                "xref": "paper",
                "yref": "paper",
                "x": sum(panel_x) / 2,
                "y": PANEL_Y[1] + 0.01,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": INK},
            }
        ]

    def render(self, frame: Frame, inputs: BoundaryData | RegressionData, params: BoostingDrawn) -> dict[str, Any]:
        base = self._base(inputs, params)
        if params.task == "regression":
            data = inputs
            patch = self._fit_view(data).render(frame, data, params)
        else:
            patch = self.boundary.render(frame, cast(BoundaryData, inputs), params)
        traces: list[dict[str, Any]] = patch["data"] + [{} for _ in range(base - len(patch["data"]))]
        visual, state = frame.visual, frame.state
        if params.task == "regression":
            traces += self._panel_patch(visual, inputs, params.loss_used != "squared_error")
        else:
            traces.append(_segments(visual["cuts"]) if "cuts" in visual else {"x": [], "y": []})
        stage = int(state["stage"])
        traces.append({EXTEND: {"x": [stage], "y": [round(float(state["train_loss"]), 7)]}})
        test = state.get("test_loss")
        traces.append({EXTEND: {"x": [stage], "y": [round(float(test), 7)]}} if test is not None else {})
        traces.append({"x": [stage], "y": [round(float(state["train_loss"]), 7)]})
        return {"data": traces, "layout": patch["layout"]}

    def _panel_patch(self, visual: Mapping[str, Any], inputs: RegressionData, robust: bool) -> list[dict[str, Any]]:
        """This stage's tree panel: ``robust`` (a loss with a line search) also sends the steps."""
        one = inputs.X.shape[1] == 1
        empty: dict[str, Any] = {"x": [], "y": []}
        if "gradient" not in visual:
            return [{}, {}, {}, {}, {}]
        gradient = np.asarray(visual["gradient"], dtype=np.float64)  # (N,) the tree's target per training row
        in_bag = np.asarray(visual["in_bag"], dtype=bool)  # (N,)
        x_train = inputs.X[inputs.split.train, 0]
        has_tree = "tree_fit" in visual
        if one:
            fit: dict[str, Any] = {"y": typed(visual["tree_fit"], "f4") if has_tree else []}
            step: dict[str, Any] = {"y": typed(visual["tree_step"], "f4") if has_tree else []} if robust else {}
            return [
                {"x": typed(x_train[in_bag], "f4"), "y": typed(gradient[in_bag], "f4")},
                {"x": typed(x_train[~in_bag], "f4"), "y": typed(gradient[~in_bag], "f4")},
                fit,
                step,
                {},
            ]
        if not has_tree:
            return [empty, empty, empty, {}, empty]
        fitted = np.asarray(visual["tree_fit_rows"], dtype=np.float64)[in_bag]  # (N_in,)
        ends = [float(gradient.min()), float(gradient.max())]
        return [
            {"x": typed(gradient[in_bag], "f4"), "y": typed(fitted, "f4")},
            empty,
            {"x": ends, "y": ends},
            {},
            _segments(visual["cuts"]) if "cuts" in visual else empty,
        ]

    def panels(
        self, result: Mapping[str, Any], inputs: BoundaryData | RegressionData, params: BoostingDrawn
    ) -> list[dict[str, Any]]:
        return []
