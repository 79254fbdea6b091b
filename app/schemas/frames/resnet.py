"""Frames and result of the residual-network lab: `init` (both nets untrained), `epoch` × (≤ 99), `done`,
or `exploded` instead of the rest once a net's loss stops being finite (the last sound state).

Shapes: L = depth linear layers (input layer first), K classes. Both nets share every number's meaning; the
decision-boundary pictures are the view's (drawn from the engine's grid probabilities, never in `state`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class NetState(Wire):
    """One net read at this moment (eval mode: batch norm's running statistics)."""

    train_loss: float = Field(ge=0, description="Mean cross-entropy over the training points.")
    test_loss: float = Field(ge=0, description="Mean cross-entropy over the test points.")
    train_accuracy: float = Field(ge=0, le=1, description="Share of training points classified right.")
    test_accuracy: float = Field(ge=0, le=1, description="Share of test points classified right.")
    grad_norms: Vector = Field(
        description="(L,) ‖∂L/∂W_l‖ of every linear layer's weight, input layer first: at the epoch's last step "
        "(init: over all training points at the initial weights)."
    )


class ResnetState(Wire):
    epoch: int = Field(ge=0, description="Epochs trained so far.")
    step: int = Field(ge=0, description="Gradient steps each net has taken so far.")
    plain: NetState = Field(description="The plain net (no skips).")
    residual: NetState = Field(description="The residual net (identity skip around every hidden layer).")
    first_layer_ratio: float = Field(
        gt=0, description="residual.grad_norms[0] / plain.grad_norms[0]: how much more gradient the first layer gets."
    )


class ResnetMetrics(Wire):
    plain_train_loss: float = Field(description="The plain net's training loss.")
    residual_train_loss: float = Field(description="The residual net's training loss.")
    plain_test_accuracy: float = Field(ge=0, le=1, description="The plain net's test accuracy.")
    residual_test_accuracy: float = Field(ge=0, le=1, description="The residual net's test accuracy.")


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: both nets at the same initial weights.")
    state: ResnetState = Field(description=STATE)
    metrics: ResnetMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: both nets after one more epoch (or a stretch of epochs).")
    state: ResnetState = Field(description=STATE)
    metrics: ResnetMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: both nets after the last epoch.")
    state: ResnetState = Field(description=STATE)
    metrics: ResnetMetrics = Field(description=METRICS)


class ExplodedFrame(FrameBase):
    kind: Literal["exploded"] = Field(
        description="exploded: a net's loss or gradient stopped being a finite number; the last sound state, and "
        "the run ends."
    )
    state: ResnetState = Field(description=STATE)
    metrics: ResnetMetrics = Field(description=METRICS)


class NetSummary(Wire):
    train_loss: float = Field(ge=0, description="Final mean cross-entropy over the training points.")
    test_loss: float = Field(ge=0, description="Final mean cross-entropy over the test points.")
    train_accuracy: float = Field(ge=0, le=1, description="Final training accuracy.")
    test_accuracy: float = Field(ge=0, le=1, description="Final test accuracy.")
    step_losses: Vector = Field(
        description="The mini-batch loss of every step, in order (up to the first non-finite one)."
    )


class ResnetDone(Wire):
    plain: NetSummary = Field(description="The plain net at the end.")
    residual: NetSummary = Field(description="The residual net at the end.")
    init_first_layer_ratio: float = Field(gt=0, description="The first layer's gradient factor at the start.")
    epochs: Indices = Field(description="The epoch of every frame (0 = init).")
    first_layer_ratios: Vector = Field(description="The first layer's gradient factor at every frame.")
    steps_per_epoch: int = Field(ge=1, description="Mini-batch steps per epoch.")
    exploded_at: int | None = Field(
        description="The epoch at which a net's loss stopped being finite (the run ended there), or null."
    )


class ResnetFrame(
    RootModel[
        Annotated[
            InitFrame | EpochFrame | DoneFrame | ExplodedFrame | ServiceDivergedFrame, Field(discriminator="kind")
        ]
    ]
):
    """One frame of a residual-network run."""


class ResnetResult(RootModel[ResnetDone | ServiceDivergedResult]):
    """The result of a residual-network run."""
