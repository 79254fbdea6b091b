"""Frames and result of the backpropagation lab: `forward` × N and `backward` × N (step 1, node by node),
`update`, `step` × (S − 1), `done`; or a last `stopped` frame when a value or gradient has no finite number.

Node ids: a name's own name (w, x1); `n1`, `n2`, ... for constants and operations, in topological order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

ByNode = dict[str, float]


class BackpropState(Wire):
    step: int = Field(ge=1, description="The round (forward, backward, update) this frame belongs to, from 1.")
    updates: int = Field(ge=0, description="Updates made before this frame's forward pass (its x on the timeline).")
    node: str | MISSING = Field(
        MISSING, description="The node this frame is about (the one computed, or where the run stopped)."
    )
    values: ByNode = Field(description="Forward value of every node computed so far in this pass, by node id.")
    grads: ByNode = Field(description="∂L/∂node of every node whose gradient is known so far in this pass, by node id.")
    parameters: ByNode = Field(
        description="The trained names' values: after the update in update and step frames, else the ones the "
        "forward pass used."
    )


class LossMetrics(Wire):
    loss: float | MISSING = Field(MISSING, description="The loss L of this step's forward pass, once computed.")


class ForwardFrame(FrameBase):
    kind: Literal["forward"] = Field(description="forward: one node's value from its inputs' values (step 1).")
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class BackwardFrame(FrameBase):
    kind: Literal["backward"] = Field(
        description="backward: one node's gradient, local derivative × upstream gradient summed over its uses."
    )
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class UpdateFrame(FrameBase):
    kind: Literal["update"] = Field(description="update: every parameter w ← w − η·∂L/∂w (step 1).")
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class StepFrame(FrameBase):
    kind: Literal["step"] = Field(description="step: a later round's forward pass, backward pass and update at once.")
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the forward (and backward) pass at the final numbers.")
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class StoppedFrame(FrameBase):
    kind: Literal["stopped"] = Field(
        description="stopped: a value or gradient has no finite number after an update; the caption says which."
    )
    state: BackpropState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class BackpropDone(Wire):
    losses: list[float] = Field(description="The loss of every forward pass: at the start, then after each update.")
    parameters: ByNode = Field(description="The trained names' final values.")
    initial_gradients: ByNode = Field(description="∂L/∂node of every node at the starting numbers, by node id.")
    updates: int = Field(ge=0, description="Updates made.")
    stopped: bool = Field(description="True when a value or gradient stopped having a finite number.")
    detail: str | MISSING = Field(MISSING, description="Only when stopped: why, in words.")


class BackpropFrame(
    RootModel[
        Annotated[
            ForwardFrame | BackwardFrame | UpdateFrame | StepFrame | DoneFrame | StoppedFrame | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a backpropagation run."""


class BackpropResult(RootModel[BackpropDone | ServiceDivergedResult]):
    """The result of a backpropagation run."""
