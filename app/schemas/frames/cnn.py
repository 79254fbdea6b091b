"""Frames and result of the CNN lab: `init` (the untrained network), `epoch` × (≤ 200: one per epoch, or every
N steps for a run of fewer than 10 epochs), `done`.

Shapes: K classes, G ≤ 24 test images in the grid, a layer's output (C, H, W) or (n,). Pictures are u1 typed
arrays `{dtype, shape, bdata}` scaled over their own `min`..`max` (value = min + byte/255·(max − min)).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    IntMatrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class TypedU1(Wire):
    """A uint8 typed array."""

    dtype: Literal["u1"] = Field(description="Always `u1`.")
    shape: Indices = Field(description="The array's shape, C order.")
    bdata: str = Field(description="The bytes, base64.")


class LayerMap(Wire):
    """One module's output for the shown test image."""

    name: str = Field(description="The layer table's name of the module (`conv 8 × 3×3`, `relu`, ...).")
    shape: Indices = Field(description="[C, H, W] for an image-shaped output, [n] for a vector.")
    values: TypedU1 = Field(description="The output scaled from min..max to 0..255.")
    min: float = Field(description="The output's smallest value (byte 0).")
    max: float = Field(description="The output's largest value (byte 255; equal to min when flat: all bytes 0).")


class Filters(Wire):
    """The first conv layer's kernels."""

    values: TypedU1 = Field(description="(F, C, k, k) weights scaled over their common min..max.")
    min: float = Field(description="The smallest weight (byte 0).")
    max: float = Field(description="The largest weight (byte 255).")


class CnnState(Wire):
    """The network read at this moment (eval mode: no dropout, batch norm's running statistics)."""

    step: int = Field(ge=0, description="Gradient steps taken so far.")
    epoch: float = Field(ge=0, description="Epochs trained so far (a fraction between epoch ends).")
    sample: int = Field(ge=0, description="Index in the test set of the image drawn through the layers.")
    sample_label: int = Field(ge=0, description="Its true class.")
    predicted: int = Field(ge=0, description="The class the network gives it (largest probability).")
    probabilities: Vector = Field(description="(K,) its softmax probabilities.")
    maps: list[LayerMap] = Field(description="Its output of every module, input side first, the output last.")
    filters: Filters | MISSING = Field(MISSING, description="The first conv layer's kernels (absent without one).")
    grid_predicted: Indices = Field(description="(G,) predicted class of the first G test images.")
    grid_wrong: Indices = Field(description="Positions in the grid whose prediction is wrong.")
    confusion: IntMatrix = Field(description="(K, K) test counts: row true class, column predicted (sklearn order).")


class CnnMetrics(Wire):
    train_loss: float = Field(description="Mean cross-entropy over the training images.")
    test_loss: float = Field(description="Mean cross-entropy over the test images.")
    train_accuracy: float = Field(ge=0, le=1, description="Share of training images read right.")
    test_accuracy: float = Field(ge=0, le=1, description="Share of test images read right.")


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: the network before any step (random or loaded weights).")
    state: CnnState = Field(description=STATE)
    metrics: CnnMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: after an epoch (or a stretch of steps in a short run).")
    state: CnnState = Field(description=STATE)
    metrics: CnnMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the trained network.")
    state: CnnState = Field(description=STATE)
    metrics: CnnMetrics = Field(description=METRICS)


class LayerRow(Wire):
    name: str = Field(description="The module (`conv 8 × 3×3`, `max pool 2×2`, `output (one per class)`).")
    output_shape: Indices = Field(description="Its output's shape without the batch axis.")
    params: int = Field(ge=0, description="Its trainable numbers (sum of p.numel()).")


class ModelFile(Wire):
    format: Literal["torch.save"] = Field(description="`torch.save` of the state_dict.")
    filename: str = Field(description="`stepwise-cnn.pt`.")
    base64: str = Field(description="The file's bytes, base64: `initial_weights` takes this string.")
    bytes: int = Field(ge=0, description="The file's size.")


class CnnDone(Wire):
    test_accuracy: float = Field(ge=0, le=1, description="Share of test images read right at the end.")
    train_accuracy: float = Field(ge=0, le=1, description="Share of training images read right at the end.")
    confusion: IntMatrix = Field(description="(K, K) test counts, scikit-learn's `confusion_matrix` order.")
    layers: list[LayerRow] = Field(description="The layer table, one row per module, the output layer last.")
    parameters: int = Field(ge=0, description="Trainable numbers of the whole network.")
    model: ModelFile = Field(description="The trained weights as a downloadable file.")
    class_names: list[str] = Field(description="(K,) the classes' names.")
    input_shape: Indices = Field(description="[C, H, W] of an input image.")
    step_losses: Vector = Field(description="The mini-batch loss of every step, in order.")


class CnnFrame(
    RootModel[Annotated[InitFrame | EpochFrame | DoneFrame | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a CNN run."""


class CnnResult(RootModel[CnnDone | ServiceDivergedResult]):
    """The result of a CNN run."""
