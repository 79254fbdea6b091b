"""What both modes of the regularization figure share: the params and inputs it reads, the trace indices and
colours, and the fit panel's traces (the truth, the training and validation points, the fitted curve)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from plotly.colors import sample_colorscale

from app.views.theme import INK, PALETTE, typed

EXTEND = "x-extend"
TRUTH, TRAIN, VALIDATION, FIT = range(4)
# path mode
CONTOURS, LEAST, REGION, OPTIMUM, ROUTE = range(4, 9)
COEFFICIENTS = 9  # d traces from here, then the two error lines and the best α
# weight-decay mode
TRAJECTORY, STEP, RIDGE, BARS, BEFORE, LOSS, VALIDATION_LOSS = range(4, 11)
FIT_COLOUR, TRAIN_COLOUR, VALIDATION_COLOUR = PALETTE[0], PALETTE[1], PALETTE[2]
REGION_COLOUR, OPTIMUM_COLOUR = PALETTE[5], PALETTE[3]
TRAIN_NAME, VALIDATION_NAME = "training: points, error", "validation: points, error"
"""One legend entry each for the points and their error line (the same colour and marker shape)."""
SHAPES = {"l1": "diamond", "l2": "circle", "elasticnet": "rounded diamond"}


def feature_name(power: int) -> str:
    """ "u³" for power 3."""
    return "u" + str(power).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


class RegularizationData(Protocol):
    """What the view reads of the lab's inputs (``app.labs.regularization.RegularizationInputs``)."""

    @property
    def grid(self) -> np.ndarray: ...
    @property
    def truth_curve(self) -> np.ndarray: ...
    @property
    def alphas(self) -> np.ndarray: ...
    @property
    def x_train(self) -> np.ndarray: ...
    @property
    def y_train(self) -> np.ndarray: ...
    @property
    def x_validation(self) -> np.ndarray: ...
    @property
    def y_validation(self) -> np.ndarray: ...
    @property
    def contour_w1(self) -> np.ndarray: ...
    @property
    def contour_w2(self) -> np.ndarray: ...
    @property
    def contour_loss(self) -> np.ndarray: ...
    @property
    def sub_least_squares(self) -> np.ndarray: ...
    @property
    def decay_ridge(self) -> np.ndarray:
        """(d,) the ridge fit at α = λ, where weight decay heads."""
        ...


class RegularizationDrawn(Protocol):
    """The params the view reads."""

    @property
    def task(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def penalty(self) -> str: ...
    @property
    def degree(self) -> int: ...
    @property
    def noise(self) -> float: ...


def trace(name: str, axes: tuple[str, str], **extra: Any) -> dict[str, Any]:
    trace: dict[str, Any] = {"type": "scatter", "mode": "lines", "name": name, "x": [], "y": [], "xaxis": axes[0]}
    trace["yaxis"] = axes[1]
    trace.update(extra)
    return trace


def points(name: str, x: np.ndarray, y: np.ndarray, symbol: str, colour: str, **extra: Any) -> dict[str, Any]:
    return trace(
        name,
        ("x", "y"),
        mode="markers",
        x=typed(x, "f4"),
        y=typed(y, "f4"),
        marker={"symbol": symbol, "size": 7, "color": colour, "line": {"width": 1.5, "color": colour}},
        hovertemplate=f"x %{{x:.3g}}, y %{{y:.3g}}<extra>{name}</extra>",
        **extra,
    )


def fit_traces(inputs: RegularizationData) -> list[dict[str, Any]]:
    grid = typed(inputs.grid, "f4")
    return [
        trace(
            "true f(x)",
            ("x", "y"),
            x=grid,
            y=typed(inputs.truth_curve, "f4"),
            line={"color": INK, "width": 2, "dash": "dash"},
            hoverinfo="skip",
        ),
        points(TRAIN_NAME, inputs.x_train, inputs.y_train, "circle", TRAIN_COLOUR, legendgroup="train"),
        points(
            VALIDATION_NAME,
            inputs.x_validation,
            inputs.y_validation,
            "diamond-open",
            VALIDATION_COLOUR,
            legendgroup="validation",
        ),
        trace(
            "the fit",
            ("x", "y"),
            x=grid,
            line={"color": FIT_COLOUR, "width": 3},
            hovertemplate="x %{x:.3g}: fit %{y:.3g}<extra></extra>",
        ),
    ]


def y_window(inputs: RegularizationData, noise: float) -> list[float]:
    lo = float(min(inputs.truth_curve.min(), inputs.y_train.min(), inputs.y_validation.min()))
    hi = float(max(inputs.truth_curve.max(), inputs.y_train.max(), inputs.y_validation.max()))
    pad = 0.15 * max(hi - lo, 1.0)
    return [lo - pad, hi + pad]


def coefficient_colours(d: int) -> list[str]:
    """One colour per coefficient, dark (u¹) to light (u^d), along viridis."""
    return [str(c) for c in sample_colorscale("Viridis", list(np.linspace(0.0, 0.9, d)))]


def short_names(names: dict[int, str]) -> dict[str, dict[str, str]]:
    """The phone's legend words (two entries a row fit 390 px only when short)."""
    return {str(index): {"name": name} for index, name in names.items()}


def clip(values: np.ndarray, window: list[float]) -> np.ndarray:
    """Values clipped for drawing to the window grown by its height each side (never inf in an f4 array)."""
    span = window[1] - window[0]
    out: np.ndarray = np.clip(values, window[0] - span, window[1] + span)
    return out
