"""Frames and results of the neural labs: the network playground and the activations lab.

Network shapes: `L` linear layers (hidden layers + the output layer), layer `l` has a weight matrix
`(out, in)`; frames show at most the first 8 neurons of each hidden layer (the drawn ones), results every one.
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
    NoMetrics,
    NoState,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

ACCURACY = "Fraction classified right (0–1); classification only (absent for the regression sets plane and sine)."
LOSS = "The training objective without L1/L2 terms: cross-entropy (nats) or mean squared error."


class ActivationStats(Wire):
    """One hidden layer's outputs over the training points (eval mode)."""

    mean: float = Field(description="Mean activation.")
    std: float = Field(description="Population standard deviation of the activations.")
    dead: float = Field(description="Fraction of the layer's neurons whose output never varies (0–1).")
    saturated: float = Field(
        description="Fraction of activations where the slope is under 1 % of its peak (0–1; 0 where undefined)."
    )


class NetworkState(Wire):
    """The network after `epoch` epochs."""

    epoch: int = Field(ge=0, description="Epochs trained (0 = before training).")
    lr: float = Field(description="The learning rate now (after the schedule).")
    batch_size: int = Field(ge=1, description="Points per step (batch_size clamped to the training points).")
    train_loss: float = Field(description=LOSS + " On the training points.")
    test_loss: float = Field(description=LOSS + " On the test points.")
    grad_norms: Vector = Field(description="(L,) ‖∂loss/∂W‖ of each layer's weights after the last step.")
    weights: list[Matrix] = Field(
        description="(L,) each layer's weights (out, in), cut to the drawn neurons (≤ 8 per hidden layer), 5 decimals."
    )
    activation_stats: list[ActivationStats] = Field(description="One entry per hidden layer.")
    identical_neurons: list[bool] = Field(
        description="Per hidden layer: do all its neurons (≥ 2) have the same incoming weights and bias?"
    )
    train_accuracy: float | MISSING = Field(MISSING, description=ACCURACY + " Training points.")
    test_accuracy: float | MISSING = Field(MISSING, description=ACCURACY + " Test points.")


class NetworkMetrics(Wire):
    """Losses (and accuracies, when classifying)."""

    train_loss: float = Field(description=LOSS)
    test_loss: float = Field(description=LOSS)
    train_accuracy: float | MISSING = Field(MISSING, description=ACCURACY)
    test_accuracy: float | MISSING = Field(MISSING, description=ACCURACY)


class Training(FrameBase):
    """`init` (epoch 0), `epoch` (every frame_every epochs, at most 200 frames), `done` (the last epoch)."""

    kind: Literal["init", "epoch", "done"] = Field(description=KIND)
    state: NetworkState = Field(description=STATE)
    metrics: NetworkMetrics = Field(description=METRICS)


class BlowUpState(Wire):
    """What blew up, where; every number is null."""

    epoch: int = Field(ge=0, description="The epoch in which something stopped being a finite number.")
    train_loss: None = Field(description="Null.")
    test_loss: None = Field(description="Null.")
    train_accuracy: None = Field(description="Null.")
    test_accuracy: None = Field(description="Null.")
    grad_norms: None = Field(description="Null.")
    weights: None = Field(description="Null.")
    activation_stats: None = Field(description="Null.")
    diverged: Literal[True] = Field(description="Always true.")
    diverged_what: Literal["loss", "gradient", "weights", "activations", "outputs", "exploded"] = Field(
        description="What blew up first (exploded: the loss grew past 1e6 and 1000 × its start)."
    )
    diverged_layer: int | None = Field(description="Which layer (from 1), for gradient / weights / activations.")


class Diverged(FrameBase):
    """The last frame when training blew up: from the engine (the state says what and where) or, in principle,
    from the run service (state `{}`). The picture stays on the last good frame."""

    kind: Literal["diverged"] = Field(description=KIND)
    state: BlowUpState | NoState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class NetworkDone(Wire):
    """Final scores and every parameter."""

    train_accuracy: float | None = Field(description="Final training accuracy; null for regression or divergence.")
    test_accuracy: float | None = Field(description="Final test accuracy; null for regression or divergence.")
    final_train_loss: float | None = Field(description="Final training loss; null after divergence.")
    final_test_loss: float | None = Field(description="Final test loss; null after divergence.")
    epochs_run: int = Field(ge=0, description="Epochs run (the epoch that blew up, after divergence).")
    diverged: bool = Field(description="True when training blew up.")
    weights: list[Matrix] = Field(
        description="(L,) every layer's full weights (out, in): the last finite ones after divergence."
    )
    biases: list[Vector] = Field(description="(L,) every layer's biases (out,).")


class NetworkFrame(RootModel[Annotated[Training | Diverged, Field(discriminator="kind")]]):
    """One frame of a neural-network run."""


class NetworkResult(RootModel[NetworkDone | ServiceDivergedResult]):
    """The result of a neural-network run."""


# -- activations ------------------------------------------------------------------------------------------------


class InputState(Wire):
    """The input signal's statistics."""

    layer: Literal[0] = Field(description="0: the input.")
    mean: float = Field(description="Mean of the N(0, 1) input values.")
    std: float = Field(description="Their population standard deviation.")
    grad_std: None = Field(description="Null: no gradient at the input.")


class LayerState(Wire):
    """The signal and its backward gradient after this layer."""

    layer: int = Field(ge=1, description="Layer of the stack, from 1.")
    mean: float = Field(description="Mean of the layer's outputs.")
    std: float = Field(description="Population standard deviation of the outputs.")
    grad_std: float = Field(description="Standard deviation of the backward gradient at the outputs.")
    grad_ratio: float | None = Field(
        description="grad_std / the last layer's grad_std; null when the last layer has no gradient."
    )
    growth: float = Field(description="std / the input's std.")
    identical_neurons: bool = Field(description="Do all neurons give the same output for every sample?")
    saturated: float = Field(description="Fraction of sigmoid / tanh outputs on the flat ends (0 for the others).")


class InputMetrics(Wire):
    """The signal's spread."""

    std: float = Field(description="Standard deviation of the signal.")


class LayerMetrics(Wire):
    """The signal's and its gradient's spread."""

    std: float = Field(description="Standard deviation of the signal.")
    grad_std: float = Field(description="Standard deviation of its backward gradient.")


class Input(FrameBase):
    """The N(0, 1) input signal."""

    kind: Literal["input"] = Field(description=KIND)
    state: InputState = Field(description=STATE)
    metrics: InputMetrics = Field(description=METRICS)


class Layer(FrameBase):
    """The signal after one more layer of the stack."""

    kind: Literal["layer"] = Field(description=KIND)
    state: LayerState = Field(description=STATE)
    metrics: LayerMetrics = Field(description=METRICS)


class LayerStats(Wire):
    """One layer's statistics."""

    mean: float = Field(description="Mean output.")
    std: float = Field(description="Standard deviation of the outputs.")
    grad_std: float = Field(description="Standard deviation of the backward gradient.")


class ActivationsDone(Wire):
    """Every layer's statistics."""

    layer_stats: list[LayerStats] = Field(description="(depth,) one entry per layer, from layer 1.")


class ActivationsFrame(RootModel[Annotated[Input | Layer | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of an activations run."""


class ActivationsResult(RootModel[ActivationsDone | ServiceDivergedResult]):
    """The result of an activations run."""
