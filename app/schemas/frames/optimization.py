"""Frames and results of the optimisation labs: the optimiser race and gradient-descent variants.

Race shapes: `R` racers (1–6) on a 2-D surface f(x, y); positions are `[x, y]`. Gradient descent: `d`
features (1 or 2), a point of the parameter path is `[w₁, …, w_d, b]`; MSE is in squared target units.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    KIND,
    METRICS,
    STATE,
    FrameBase,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

Optimizer = Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
XY = Annotated[list[float], Field(min_length=2, max_length=2)]
RaceOutcome = Literal[
    "running",
    "diverged",
    "unbounded",
    "global minimum",
    "local minimum",
    "saddle point",
    "descending",
    "not settled",
]
OUTCOME = (
    "running (until the end frame), diverged or unbounded (left the race early: blew up, or fell without bound on a "
    "surface with no minimum), or at the end: global minimum, local minimum, saddle point, descending, not settled."
)


class Racer(Wire):
    """One optimiser now."""

    optimizer: Optimizer = Field(description="torch.optim optimiser.")
    label: str = Field(description="Its name in the legend (with its lr when two share an optimiser).")
    position: XY = Field(description="[x, y] now (the last finite one after it left the race).")
    loss: float = Field(description="f(x, y) there.")
    gradient: XY = Field(description="The gradient torch.optim used at the last step (noise included).")
    diverged: bool = Field(description="True once it blew up.")
    outcome: RaceOutcome = Field(description=OUTCOME)
    moment: XY | MISSING = Field(
        MISSING, description="momentum / nesterov: torch.optim's momentum buffer; adam: its first moment (exp_avg)."
    )


class RaceState(Wire):
    """Every racer at this step."""

    step: int = Field(ge=0, description="Optimiser steps taken (frames thinned evenly above 120).")
    runs: list[Racer] = Field(description="(R,) one entry per racer, in the order of params.runs.")


class RaceMetrics(Wire):
    """The leader's loss."""

    best_loss: float = Field(description="Lowest loss among the racers still running (among all if none is).")


class RaceStep(FrameBase):
    """`start` (step 0), `step` …, `end` (the last step, with every racer's outcome)."""

    kind: Literal["start", "step", "end"] = Field(description=KIND)
    state: RaceState = Field(description=STATE)
    metrics: RaceMetrics = Field(description=METRICS)


class RacePath(Wire):
    """One racer's whole path."""

    optimizer: Optimizer = Field(description="torch.optim optimiser.")
    label: str = Field(description="Its legend name.")
    lr: float = Field(description="Its learning rate.")
    points: Matrix = Field(description="(s + 1, 2) every position visited, from the start (finite ones only).")
    losses: Vector = Field(description="(s + 1,) f at each of them.")
    diverged: bool = Field(description="True when it blew up.")
    outcome: RaceOutcome = Field(description=OUTCOME)


class RaceDone(Wire):
    """Every racer's path and the surface's global minima."""

    paths: list[RacePath] = Field(description="(R,) one entry per racer.")
    minima: list[XY] = Field(description="The surface's known global minimisers [x, y] (none for the saddle).")


class RaceFrame(RootModel[Annotated[RaceStep | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of an optimiser race."""


class RaceResult(RootModel[RaceDone | ServiceDivergedResult]):
    """The result of an optimiser race."""


# -- gradient descent ---------------------------------------------------------------------------------------------

Variant = Literal["batch", "mini-batch", "stochastic"]
VARIANT = "batch (all rows per update), mini-batch (batch_size rows) or stochastic (one row)."


class VariantState(Wire):
    """One variant now."""

    variant: Variant = Field(description=VARIANT)
    w: Vector = Field(description="(d,) weights now.")
    b: float = Field(description="Bias now.")
    loss: float = Field(description="Training MSE now.")
    updates: int = Field(ge=0, description="Updates done so far.")
    diverged: bool = Field(description="True once |w| or |b| passed 1e12 (it then stays at its last good point).")


class DescentState(Wire):
    """Every variant at this point of training."""

    epoch: float = Field(ge=0, description="Epochs done (fractional: frames are evenly spaced in epochs).")
    variants: list[VariantState] = Field(description="One entry per variant run, in the order of params.variants.")


class DescentMetrics(Wire):
    """Training MSE of each variant that runs."""

    batch: float | MISSING = Field(MISSING, alias="batch MSE", description="Batch gradient descent's MSE.")
    mini_batch: float | MISSING = Field(MISSING, alias="mini-batch MSE", description="Mini-batch MSE.")
    stochastic: float | MISSING = Field(MISSING, alias="stochastic MSE", description="Stochastic MSE.")


class DescentStep(FrameBase):
    """`start` (w = 0, b = 0), `update` …, `end`."""

    kind: Literal["start", "update", "end"] = Field(description=KIND)
    state: DescentState = Field(description=STATE)
    metrics: DescentMetrics = Field(description=METRICS)


class VariantDone(Wire):
    """One variant's whole run and how it ended."""

    variant: Variant = Field(description=VARIANT)
    w: Vector = Field(description="(d,) final weights.")
    b: float = Field(description="Final bias.")
    losses: Vector = Field(description="(frames,) training MSE at every frame.")
    path: Matrix = Field(description="(frames, d + 1) [w…, b] at every frame.")
    updates: int = Field(ge=0, description="Updates done.")
    diverged: bool = Field(description="True when it blew up.")
    outcome: Literal["converged", "descending", "not settled", "rising", "diverged"] = Field(
        description="How it ended against the least-squares optimum."
    )


class Exact(Wire):
    """The least-squares optimum (on the scaled features)."""

    w: Vector = Field(description="(d,) weights.")
    b: float = Field(description="Bias.")
    loss: float = Field(description="Its MSE: the lowest any variant can reach.")


class DescentDone(Wire):
    """Every variant's path, the exact optimum, and the settings resolved."""

    variants: list[VariantDone] = Field(description="One entry per variant run.")
    exact: Exact
    scaling: Literal["none", "minmax", "standardize"] = Field(description="Feature scaling applied before training.")
    batch_size: int = Field(ge=1, description="Mini-batch size used (batch_size clamped to the rows).")


class DescentFrame(RootModel[Annotated[DescentStep | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of a gradient-descent run."""


class DescentResult(RootModel[DescentDone | ServiceDivergedResult]):
    """The result of a gradient-descent run."""
