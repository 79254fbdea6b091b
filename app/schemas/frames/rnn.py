"""Frames and result of the recurrent-network lab: `init` (untrained), `epoch` × (≤ 39), `done`.

Shapes: T = window (time steps), H = hidden units, n_test = test windows, F = forecast length. Every value is in
the series' standardised units (the training part's mean 0 and standard deviation 1). `nets` holds one entry per
net: `rnn` and `lstm` in compare mode, else the one cell (`rnn`, `lstm` or `gru`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

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

CellName = Literal["rnn", "lstm", "gru"]


class Typed(Wire):
    """A NumPy array as bytes: `dtype` `f4` (float32, little-endian), `shape` (C order), `bdata` (base64)."""

    dtype: Literal["f4"] = Field(description="`f4`: float32.")
    shape: Indices = Field(description="The array's shape.")
    bdata: str = Field(description="The raw little-endian bytes, base64-encoded.")


class Gates(Wire):
    """The first layer's gates over the probe window, each the mean over the H units at every step (T,)."""

    input: Vector | MISSING = Field(MISSING, description="LSTM input gate i_t (0–1): how much new content enters.")
    forget: Vector | MISSING = Field(MISSING, description="LSTM forget gate f_t (0–1): how much of c_{t−1} stays.")
    output: Vector | MISSING = Field(MISSING, description="LSTM output gate o_t (0–1): how much of tanh(c_t) shows.")
    candidate: Vector | MISSING = Field(
        MISSING, description="The candidate (−1–1): the LSTM's g_t or the GRU's n_t, the new content."
    )
    reset: Vector | MISSING = Field(
        MISSING, description="GRU reset gate r_t (0–1): how much of h_{t−1} the candidate sees."
    )
    update: Vector | MISSING = Field(MISSING, description="GRU update gate z_t (0–1): how much of h_{t−1} is kept.")


class NetState(Wire):
    """One net read at this moment."""

    train_loss: float = Field(ge=0, description="Mean loss over the training windows (squared error or cross-entropy).")
    test_loss: float = Field(ge=0, description="Mean loss over the test windows.")
    train_accuracy: float | MISSING = Field(
        MISSING, ge=0, le=1, description="classify: share of training windows right."
    )
    test_accuracy: float | MISSING = Field(MISSING, ge=0, le=1, description="classify: share of test windows right.")
    grad_norms: Vector = Field(
        description="(T,) ‖∂L/∂h_t‖ of the top layer's hidden state at every step t (0 = the window's first), for "
        "the loss over the gradient probe's training windows, by full backpropagation (autograd's retain_grad)."
    )
    predictions: Typed = Field(
        description="(n_test,) the one-step prediction for every test window: the next value (forecast) or "
        "p(rise) (classify)."
    )
    forecast: Typed | MISSING = Field(
        MISSING,
        description="forecast: (F,) the net run free from the window before the test part, each prediction fed back.",
    )
    hidden: Typed = Field(
        description="(T, H) the top layer's hidden state h_t over the probe window (the first test one)."
    )
    gates: Gates = Field(description="The first layer's gates over the probe window (empty for a plain RNN).")


class RnnState(Wire):
    epoch: int = Field(ge=0, description="Epochs trained so far.")
    step: int = Field(ge=0, description="Gradient steps each net has taken so far.")
    nets: dict[CellName, NetState] = Field(description="Each net's numbers, by cell.")


class RnnMetrics(Wire):
    rnn_train_loss: float | MISSING = Field(MISSING, description="The plain RNN's training loss.")
    rnn_test_loss: float | MISSING = Field(MISSING, description="The plain RNN's test loss.")
    rnn_first_step_gradient: float | MISSING = Field(MISSING, description="The plain RNN's ‖∂L/∂h_0‖.")
    lstm_train_loss: float | MISSING = Field(MISSING, description="The LSTM's training loss.")
    lstm_test_loss: float | MISSING = Field(MISSING, description="The LSTM's test loss.")
    lstm_first_step_gradient: float | MISSING = Field(MISSING, description="The LSTM's ‖∂L/∂h_0‖.")
    gru_train_loss: float | MISSING = Field(MISSING, description="The GRU's training loss.")
    gru_test_loss: float | MISSING = Field(MISSING, description="The GRU's test loss.")
    gru_first_step_gradient: float | MISSING = Field(MISSING, description="The GRU's ‖∂L/∂h_0‖.")


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: the nets at their initial weights.")
    state: RnnState = Field(description=STATE)
    metrics: RnnMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: the nets after one more epoch (or a stretch of epochs).")
    state: RnnState = Field(description=STATE)
    metrics: RnnMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the nets after the last epoch (or the last before divergence).")
    state: RnnState = Field(description=STATE)
    metrics: RnnMetrics = Field(description=METRICS)


class NetSummary(Wire):
    train_loss: float = Field(ge=0, description="Final mean training loss.")
    test_loss: float = Field(ge=0, description="Final mean test loss.")
    first_step_gradient: float = Field(ge=0, description="Final ‖∂L/∂h_0‖ (the window's first step).")
    last_step_gradient: float = Field(ge=0, description="Final ‖∂L/∂h_{T−1}‖ (the window's last step).")
    step_losses: Vector = Field(description="The mini-batch loss of every step, in order (up to any divergence).")
    train_losses: Vector = Field(description="The training loss at every frame.")
    test_losses: Vector = Field(description="The test loss at every frame.")


class RnnDone(Wire):
    epochs_trained: int = Field(ge=0, description="Epochs trained before the end (or before divergence).")
    diverged_at: int = Field(ge=0, description="The epoch whose loss was not finite (0: none).")
    steps_per_epoch: int = Field(ge=1, description="Mini-batch steps per epoch.")
    epochs: Indices = Field(description="The epoch of every frame (0 = init).")
    nets: dict[CellName, NetSummary] = Field(description="Each net at the end, by cell.")


class RnnFrame(
    RootModel[Annotated[InitFrame | EpochFrame | DoneFrame | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a recurrent-network run."""


class RnnResult(RootModel[RnnDone | ServiceDivergedResult]):
    """The result of a recurrent-network run."""
