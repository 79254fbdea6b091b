"""Frames and result of the tensors lab (issue 17): one topic per run.

* image: `hwc` (the (H, W, C) uint8 array), `chw` (permuted to (C, H, W)), `channels` (each channel's map),
  `to_float` (÷ 255), `normalise` ((x − mean) / std per channel).
* reshape: `arange`, `view`, `transpose`, `view_fails`, `contiguous`, `permute`, `flatten` (PyTorch's shapes,
  strides and flags).
* table: `table`, `ordinal`, `one_hot`, `scaling`, `matrix` (iris through scikit-learn's encoders and scalers).
* text: `codes`, `vocabulary`, `indices`, `char_one_hot`.
* series: `series`, `window` × ≤ 4 (one example each), `windows` (the stacked arrays).

Strides count elements, as `torch.Tensor.stride()` does. Images and large arrays are typed arrays
`{dtype, shape, bdata}` (little-endian, C order, base64).
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
from app.schemas.frames.tensors_states import (
    ChannelsState,
    CharOneHotState,
    ChwState,
    CodesState,
    HwcState,
    IndicesState,
    MatrixState,
    NormaliseState,
    OneHotState,
    OrdinalState,
    ScalingState,
    SeriesState,
    TableState,
    TensorState,
    ToFloatState,
    TypedArray,
    ViewFailsState,
    VocabularyState,
    WindowsState,
    WindowState,
)


class HwcFrame(FrameBase):
    """hwc: the picture as an (H, W, C) uint8 array."""

    kind: Literal["hwc"] = Field(description="hwc: the picture as an (H, W, C) uint8 array.")
    state: HwcState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ChwFrame(FrameBase):
    """chw: permuted to (C, H, W): shape, strides, contiguity."""

    kind: Literal["chw"] = Field(description="chw: permuted to (C, H, W): shape, strides, contiguity.")
    state: ChwState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ChannelsFrame(FrameBase):
    """channels: each channel as its own map."""

    kind: Literal["channels"] = Field(description="channels: each channel as its own map.")
    state: ChannelsState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ToFloatFrame(FrameBase):
    """to_float: uint8 → float, ÷ 255."""

    kind: Literal["to_float"] = Field(description="to_float: uint8 → float, ÷ 255.")
    state: ToFloatState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class NormaliseFrame(FrameBase):
    """normalise: (x − mean) / std per channel."""

    kind: Literal["normalise"] = Field(description="normalise: (x − mean) / std per channel.")
    state: NormaliseState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ArangeFrame(FrameBase):
    """arange: x = arange(n) shaped (d₀, d₁, d₂)."""

    kind: Literal["arange"] = Field(description="arange: x = arange(n) shaped (d₀, d₁, d₂).")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ViewFrame(FrameBase):
    """view: x.view(d₀·d₁, d₂): the same memory, a new shape."""

    kind: Literal["view"] = Field(description="view: x.view(d₀·d₁, d₂): the same memory, a new shape.")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class TransposeFrame(FrameBase):
    """transpose: x.transpose(1, 2): strides swapped."""

    kind: Literal["transpose"] = Field(description="transpose: x.transpose(1, 2): strides swapped.")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ViewFailsFrame(FrameBase):
    """view_fails: a view of the transposed tensor (fails unless it is contiguous)."""

    kind: Literal["view_fails"] = Field(
        description="view_fails: a view of the transposed tensor (fails unless it is contiguous)."
    )
    state: ViewFailsState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ContiguousFrame(FrameBase):
    """contiguous: the transposed tensor copied into reading order."""

    kind: Literal["contiguous"] = Field(description="contiguous: the transposed tensor copied into reading order.")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class PermuteFrame(FrameBase):
    """permute: x.permute(2, 0, 1)."""

    kind: Literal["permute"] = Field(description="permute: x.permute(2, 0, 1).")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class FlattenFrame(FrameBase):
    """flatten: the permuted tensor flattened (a copy)."""

    kind: Literal["flatten"] = Field(description="flatten: the permuted tensor flattened (a copy).")
    state: TensorState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class TableFrame(FrameBase):
    """table: the raw rows: continuous, derived ordinal, categorical."""

    kind: Literal["table"] = Field(description="table: the raw rows: continuous, derived ordinal, categorical.")
    state: TableState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class OrdinalFrame(FrameBase):
    """ordinal: OrdinalEncoder codes."""

    kind: Literal["ordinal"] = Field(description="ordinal: OrdinalEncoder codes.")
    state: OrdinalState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class OneHotFrame(FrameBase):
    """one_hot: OneHotEncoder columns."""

    kind: Literal["one_hot"] = Field(description="one_hot: OneHotEncoder columns.")
    state: OneHotState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ScalingFrame(FrameBase):
    """scaling: StandardScaler and min-max scaling."""

    kind: Literal["scaling"] = Field(description="scaling: StandardScaler and min-max scaling.")
    state: ScalingState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class MatrixFrame(FrameBase):
    """matrix: the encoded numeric matrix."""

    kind: Literal["matrix"] = Field(description="matrix: the encoded numeric matrix.")
    state: MatrixState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class CodesFrame(FrameBase):
    """codes: characters → ASCII codes."""

    kind: Literal["codes"] = Field(description="codes: characters → ASCII codes.")
    state: CodesState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class VocabularyFrame(FrameBase):
    """vocabulary: the sorted distinct characters."""

    kind: Literal["vocabulary"] = Field(description="vocabulary: the sorted distinct characters.")
    state: VocabularyState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class IndicesFrame(FrameBase):
    """indices: characters → vocabulary indices."""

    kind: Literal["indices"] = Field(description="indices: characters → vocabulary indices.")
    state: IndicesState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class CharOneHotFrame(FrameBase):
    """char_one_hot: the one-hot matrix."""

    kind: Literal["char_one_hot"] = Field(description="char_one_hot: the one-hot matrix.")
    state: CharOneHotState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class SeriesFrame(FrameBase):
    """series: the series."""

    kind: Literal["series"] = Field(description="series: the series.")
    state: SeriesState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class WindowFrame(FrameBase):
    """window: one example: its inputs and targets."""

    kind: Literal["window"] = Field(description="window: one example: its inputs and targets.")
    state: WindowState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class WindowsFrame(FrameBase):
    """windows: every example stacked: (n, window) and (n, horizon)."""

    kind: Literal["windows"] = Field(description="windows: every example stacked: (n, window) and (n, horizon).")
    state: WindowsState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class ImageDone(Wire):
    """The image topic's result: shapes, strides and the exact normalised tensor."""

    topic: Literal["image"] = Field(description="image.")
    hwc_shape: Indices = Field(description="[H, W, C].")
    hwc_strides: Indices = Field(description="[W·C, C, 1].")
    chw_shape: Indices = Field(description="[C, H, W].")
    chw_strides: Indices = Field(description="The permuted view's strides [1, W·C, C].")
    mean: Vector = Field(description="The per-channel mean subtracted.")
    std: Vector = Field(description="The per-channel std divided by.")
    normalised: TypedArray = Field(description="(C, H, W) float64: the normalised tensor.")


class ReshapeStep(Wire):
    code: str = Field(description="The expression.")
    shape: Indices = Field(description="Its shape.")
    strides: Indices = Field(description="Its strides.")


class ReshapeDone(Wire):
    """The reshape topic's result: every step's shape and strides."""

    topic: Literal["reshape"] = Field(description="reshape.")
    steps: list[ReshapeStep] = Field(description="Each frame's expression, shape and strides.")


class TableDone(Wire):
    """The table topic's result: the whole encoded iris matrix."""

    topic: Literal["table"] = Field(description="table.")
    shape: Indices = Field(description="[150, 5].")
    columns: list[str] = Field(description="The matrix's column names.")
    matrix: Matrix = Field(description="All 150 encoded rows.")


class TextDone(Wire):
    """The text topic's result: codes, vocabulary, indices and the one-hot matrix."""

    topic: Literal["text"] = Field(description="text.")
    codes: list[int] = Field(description="The ASCII codes.")
    vocabulary: list[str] = Field(description="The sorted distinct characters.")
    indices: list[int] = Field(description="Each character's vocabulary index.")
    one_hot: TypedArray = Field(description="(length, V) uint8.")


class SeriesDone(Wire):
    """The series topic's result: the series and its windows."""

    topic: Literal["series"] = Field(description="series.")
    values: Vector = Field(description="The series.")
    inputs: TypedArray = Field(description="(n, window) float64.")
    targets: TypedArray = Field(description="(n, horizon) float64.")


class TensorsFrame(
    RootModel[
        Annotated[
            HwcFrame
            | ChwFrame
            | ChannelsFrame
            | ToFloatFrame
            | NormaliseFrame
            | ArangeFrame
            | ViewFrame
            | TransposeFrame
            | ViewFailsFrame
            | ContiguousFrame
            | PermuteFrame
            | FlattenFrame
            | TableFrame
            | OrdinalFrame
            | OneHotFrame
            | ScalingFrame
            | MatrixFrame
            | CodesFrame
            | VocabularyFrame
            | IndicesFrame
            | CharOneHotFrame
            | SeriesFrame
            | WindowFrame
            | WindowsFrame
            | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a tensors run."""


class TensorsResult(
    RootModel[
        Annotated[ImageDone | ReshapeDone | TableDone | TextDone | SeriesDone, Field(discriminator="topic")]
        | ServiceDivergedResult
    ]
):
    """The result of a tensors run."""
