"""Frames and result of the transfer-learning lab: `init` (every mode before a step), `epoch` × epochs, `done`.

Shapes: M chosen modes (in the params' order), B = 4 blocks (`conv1`, `conv2`, `dense`, `head`), E epochs so far.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

ModeName = Literal["scratch", "feature_extraction", "fine_tune", "gradual"]


class TransferState(Wire):
    epoch: int = Field(ge=0, description="Epochs trained so far by every mode.")
    modes: list[ModeName] = Field(description="(M,) the racing modes, in the params' order.")
    blocks: list[str] = Field(description="(B,) the weighted layers, input side first; `head` is the output layer.")
    curves: Matrix = Field(description="(M, E + 1) test accuracy of each mode after 0, 1, … E epochs.")
    frozen: list[list[bool]] = Field(description="(M, B) whether each block was frozen in the epoch just trained.")
    moved: Matrix = Field(
        description="(M, B) ‖W − W₀‖ / ‖W₀‖ of each block's weight: W₀ is the backbone's weight for a copied block, "
        "the seeded initial one for scratch and for the new dense layer and head."
    )
    train_loss: Vector = Field(description="(M,) mean mini-batch loss of the epoch (init: loss on the labelled set).")


class TransferMetrics(Wire):
    test_accuracy_scratch: float | MISSING = Field(MISSING, ge=0, le=1, description="From scratch: test accuracy.")
    test_accuracy_feature_extraction: float | MISSING = Field(
        MISSING, ge=0, le=1, description="Feature extraction: test accuracy."
    )
    test_accuracy_fine_tune: float | MISSING = Field(MISSING, ge=0, le=1, description="Fine-tuning: test accuracy.")
    test_accuracy_gradual: float | MISSING = Field(
        MISSING, ge=0, le=1, description="Gradual unfreezing: test accuracy."
    )


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: every mode before a step (backbone body, new random head).")
    state: TransferState = Field(description=STATE)
    metrics: TransferMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: after one more epoch of every mode.")
    state: TransferState = Field(description=STATE)
    metrics: TransferMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the race's end, each mode against scratch.")
    state: TransferState = Field(description=STATE)
    metrics: TransferMetrics = Field(description=METRICS)


class TransferDone(Wire):
    modes: list[ModeName] = Field(description="(M,) the racing modes.")
    blocks: list[str] = Field(description="(B,) the weighted layers.")
    test_accuracy: Vector = Field(description="(M,) final test accuracy.")
    best_test_accuracy: Vector = Field(description="(M,) best test accuracy over the epochs.")
    frozen_unchanged: list[bool] = Field(
        description="(M,) whether every block frozen for the whole run equals the backbone's, bit for bit."
    )
    step_losses: Matrix = Field(description="(M, steps) every mini-batch loss, in order.")
    labelled: int = Field(ge=1, description="Labelled target images trained on.")
    n_test: int = Field(ge=1, description="Target images tested on.")
    source_accuracy: float = Field(ge=0, le=1, description="The backbone's accuracy on held-out source digits 0–4.")


class TransferFrame(
    RootModel[Annotated[InitFrame | EpochFrame | DoneFrame | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a transfer-learning run."""


class TransferResult(RootModel[TransferDone | ServiceDivergedResult]):
    """The result of a transfer-learning run."""
