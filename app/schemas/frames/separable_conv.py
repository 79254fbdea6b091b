"""Frames and result of the separable-convolution lab: `input`, `depthwise` × C_in, `pointwise` × C_out, `standard`,
`cost`, `sweep`, `epoch` × epochs (epoch 0: before training), `done`.

Shapes: the photo H × W × C_in (C_in = 3), maps C × H_out × W_out with H_out = H − k + 1. Pictures are u1 typed
arrays `{dtype, shape, bdata}` over a `min`..`max` (value = min + byte/255·(max − min)); a stage's maps share one
range across its frames.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    Matrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)
from app.schemas.frames.cnn import TypedU1


class Picture(Wire):
    """Maps or weights as bytes over a range."""

    values: TypedU1 = Field(description="The numbers scaled from min..max to 0..255.")
    min: float = Field(description="The value of byte 0.")
    max: float = Field(description="The value of byte 255 (equal to min when flat: all bytes 0).")


class Shape(Wire):
    h: int = Field(ge=1, description="The photo's height H in pixels.")
    w: int = Field(ge=1, description="The photo's width W in pixels.")
    k: int = Field(ge=1, description="Kernel size k.")
    c_in: int = Field(ge=1, description="Input channels C_in (3: red, green, blue).")
    c_out: int = Field(ge=1, description="Output channels C_out.")
    h_out: int = Field(ge=1, description="H − k + 1: output rows (no padding, stride 1).")
    w_out: int = Field(ge=1, description="W − k + 1: output columns.")


class InputState(Shape):
    channels: Picture = Field(description="(C_in, H, W) the photo's pixels, channel by channel (0–1).")


class DepthwiseState(Shape):
    channel: int = Field(ge=0, description="The channel this frame filters.")
    kernel: Matrix = Field(description="(k, k) its kernel K_c = u vᵀ.")
    u: Vector = Field(description="(k,) the kernel's column factor.")
    v: Vector = Field(description="(k,) the kernel's row factor.")
    maps: Picture = Field(description="(channel + 1, H_out, W_out) the depthwise maps so far.")
    groups_diff: float = Field(ge=0, description="max |channel by channel − F.conv2d(groups=C_in)| over all maps.")
    rank1_diff: float = Field(ge=0, description="max |k×k conv − (k×1 then 1×k)| for this channel.")


class PointwiseState(Shape):
    output: int = Field(ge=0, description="The output this frame mixes.")
    weights: Vector = Field(description="(C_in,) its 1×1 weights mix[output].")
    mix: Matrix = Field(description="(output + 1, C_in) the pointwise weights so far.")
    maps: Picture = Field(description="(output + 1, H_out, W_out) the pointwise maps so far.")
    pointwise_diff: float = Field(ge=0, description="max |Σ_c mix·D_c − F.conv2d with the 1×1 kernel|.")


class StandardState(Shape):
    maps: Picture = Field(description="(C_out, H_out, W_out) the standard conv's maps (the pointwise stage's range).")
    filters: Picture = Field(description="(C_out, C_in, k, k) its filters W[o, c] = mix[o, c]·K_c.")
    standard_diff: float = Field(ge=0, description="max |separable − standard| over the maps.")


class Cost(Wire):
    params_formula: int = Field(ge=0, description="Parameters by formula (no bias).")
    params_measured: int = Field(ge=0, description="Sum of numel() of the torch modules' parameters.")
    macs_formula: int = Field(ge=0, description="Multiply-adds by formula (per output pixel × H_out × W_out).")
    macs_measured: int = Field(ge=0, description="torch.utils.flop_counter's FLOPs / 2.")


class SeparableCost(Cost):
    depthwise_params: int = Field(ge=0, description="k²·C_in: the depthwise kernels.")
    pointwise_params: int = Field(ge=0, description="C_in·C_out: the pointwise weights.")


class CostState(Shape):
    standard: Cost = Field(description="The standard k×k conv.")
    separable: SeparableCost = Field(description="Depthwise k×k then pointwise 1×1.")


class SweepState(Wire):
    c_in: int = Field(ge=1, description="The channel count measured at.")
    k: int = Field(ge=1, description="The explainer's k (marked).")
    c_out: int = Field(ge=1, description="The explainer's C_out (marked).")
    ks: Indices = Field(description="The kernel sizes swept (one line each).")
    c_outs: Indices = Field(description="The output counts swept (the x axis).")
    ratio_formula: Matrix = Field(description="(len ks, len c_outs) 1/C_out + 1/k².")
    ratio_measured: Matrix = Field(description="(len ks, len c_outs) counted separable / standard multiply-adds.")
    params_ratio_measured: Matrix = Field(description="(len ks, len c_outs) numel ratio (no bias).")
    other_c_in: int = Field(ge=1, description="A second C_in the ratio is counted at.")
    other_ratio: float = Field(ge=0, description="The counted ratio there (k = 3, the largest C_out).")
    worst_gap: float = Field(ge=0, description="max |formula − counted| over the sweep.")


class ModelEval(Wire):
    train_loss: float = Field(description="Mean cross-entropy over the training digits.")
    test_loss: float = Field(description="Mean cross-entropy over the test digits.")
    train_accuracy: float = Field(ge=0, le=1, description="Share of training digits read right.")
    test_accuracy: float = Field(ge=0, le=1, description="Share of test digits read right.")
    parameters: int = Field(ge=0, description="The network's trainable numbers (sum of numel).")


class History(Wire):
    epoch: Vector = Field(description="Epochs of the frames so far.")
    standard: Vector = Field(description="The standard network's test accuracy at each.")
    separable: Vector = Field(description="The separable network's test accuracy at each.")


class TrainState(Wire):
    epoch: int = Field(ge=0, description="Epochs trained.")
    step: int = Field(ge=0, description="Gradient steps each network took.")
    standard: ModelEval = Field(description="The standard CNN.")
    separable: ModelEval = Field(description="Its separable twin.")
    history: History = Field(description="Test accuracies so far.")


class TrainMetrics(Wire):
    standard_test_accuracy: float = Field(ge=0, le=1, description="The standard CNN's test accuracy.")
    standard_test_loss: float = Field(description="Its test loss.")
    separable_test_accuracy: float = Field(ge=0, le=1, description="The separable twin's test accuracy.")
    separable_test_loss: float = Field(description="Its test loss.")


class InputFrame(FrameBase):
    kind: Literal["input"] = Field(description="input: the photo's channels.")
    state: InputState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class DepthwiseFrame(FrameBase):
    kind: Literal["depthwise"] = Field(description="depthwise: one channel through its own k×k kernel.")
    state: DepthwiseState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class PointwiseFrame(FrameBase):
    kind: Literal["pointwise"] = Field(description="pointwise: one output, a weighted sum of the depthwise maps.")
    state: PointwiseState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class StandardFrame(FrameBase):
    kind: Literal["standard"] = Field(description="standard: the standard k×k conv making the same maps.")
    state: StandardState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class CostFrame(FrameBase):
    kind: Literal["cost"] = Field(description="cost: parameters and multiply-adds of both, formula and measured.")
    state: CostState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class SweepFrame(FrameBase):
    kind: Literal["sweep"] = Field(description="sweep: the cost ratio as k and C_out change.")
    state: SweepState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class EpochFrame(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: both digit classifiers after an epoch (0: untrained).")
    state: TrainState = Field(description=STATE)
    metrics: TrainMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: both trained; accuracy against parameters.")
    state: TrainState = Field(description=STATE)
    metrics: TrainMetrics = Field(description=METRICS)


class LayerRow(Wire):
    name: str = Field(description="The module (`conv 1→8 3×3`, `depthwise 8→8 3×3`, `pointwise 8→16 1×1`).")
    params: int = Field(ge=0, description="Its trainable numbers (sum of numel).")


class Trained(Wire):
    parameters: int = Field(ge=0, description="Trainable numbers of the network.")
    macs_per_image: int = Field(ge=0, description="Multiply-adds of one digit's forward pass (convs and dense).")
    test_accuracy: float = Field(ge=0, le=1, description="Share of test digits read right at the end.")
    train_accuracy: float = Field(ge=0, le=1, description="Share of training digits read right at the end.")
    layers: list[LayerRow] = Field(description="The parameter table, one row per layer with parameters.")
    step_losses: Vector = Field(description="The mini-batch loss of every step, in order.")


class Identities(Wire):
    groups_diff: float = Field(ge=0, description="max |channel by channel − F.conv2d(groups=C_in)|.")
    rank1_diffs: Vector = Field(description="(C_in,) max |k×k − (k×1 then 1×k)| per channel.")
    pointwise_diff: float = Field(ge=0, description="max |Σ_c mix·D_c − the 1×1 F.conv2d|.")
    standard_diff: float = Field(ge=0, description="max |separable − the standard conv with W[o, c] = mix·K_c|.")


class CostPair(Wire):
    standard: Cost = Field(description="The explainer's standard conv.")
    separable: SeparableCost = Field(description="Its separable version.")


class SeparableDone(Wire):
    cost: CostPair = Field(description="The explainer's costs (as the cost frame).")
    identities: Identities = Field(description="The identities' measured differences.")
    standard: Trained = Field(description="The trained standard CNN.")
    separable: Trained = Field(description="The trained separable twin.")


class SeparableConvFrame(
    RootModel[
        Annotated[
            InputFrame
            | DepthwiseFrame
            | PointwiseFrame
            | StandardFrame
            | CostFrame
            | SweepFrame
            | EpochFrame
            | DoneFrame
            | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a separable-convolution run."""


class SeparableConvResult(RootModel[SeparableDone | ServiceDivergedResult]):
    """The result of a separable-convolution run."""
