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
    IntMatrix,
    Matrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class TypedArray(Wire):
    """A NumPy array as bytes: `dtype` (little-endian), `shape` (C order), `bdata` (base64)."""

    dtype: Literal["u1", "f4", "f8"] = Field(description="`u1` (bytes), `f4` (float32) or `f8` (float64, exact).")
    shape: Indices = Field(description="The array's shape.")
    bdata: str = Field(description="The raw little-endian bytes, base64-encoded.")


PIXEL = "The C numbers of the pixel the captions give (`pixel` of the hwc frame) at this step."


class HwcState(Wire):
    shape: Indices = Field(description="[H, W, C]: rows, columns, channels.")
    strides: Indices = Field(description="[W·C, C, 1]: elements (= bytes for uint8) to step along each axis.")
    pixel: Indices = Field(description="[row, column] of the pixel whose numbers are shown.")
    pixel_values: list[int] = Field(description="Its C numbers, 0–255.")
    array: TypedArray = Field(description="The (H, W, C) uint8 picture.")


class ChwState(Wire):
    shape: Indices = Field(description="[C, H, W] after permute(2, 0, 1).")
    strides: Indices = Field(description="[1, W·C, C]: the permuted view's strides (equal to torch's .stride()).")
    contiguous: bool = Field(description="Whether the view is contiguous (torch's .is_contiguous()).")
    copy_strides: Indices = Field(description="[H·W, W, 1]: the strides after .contiguous() copies it.")
    array: TypedArray = Field(description="The (C, H, W) uint8 tensor (the contiguous copy).")


class ChannelsState(Wire):
    names: list[str] = Field(description="The channels' names: red, green, blue, or grey.")
    means: Vector = Field(description="Each channel's mean brightness (0–255).")
    mins: Vector = Field(description="Each channel's smallest value.")
    maxs: Vector = Field(description="Each channel's largest value.")


class ToFloatState(Wire):
    min: float = Field(description="The smallest value after ÷ 255.")
    max: float = Field(description="The largest value after ÷ 255.")
    pixel_values: Vector = Field(description=PIXEL)
    array: TypedArray = Field(description="The (C, H, W) float32 tensor in 0–1.")


class NormaliseState(Wire):
    source: Literal["own", "imagenet"] = Field(description="Whose mean and std: this image's own, or ImageNet's.")
    mean: Vector = Field(description="The per-channel mean subtracted (of the 0–1 values).")
    std: Vector = Field(description="The per-channel std divided by (population std for the image's own).")
    new_mean: Vector = Field(description="Each channel's mean after normalising.")
    new_std: Vector = Field(description="Each channel's std after normalising.")
    pixel_values: Vector = Field(description=PIXEL)
    array: TypedArray = Field(description="The (C, H, W) float32 normalised tensor.")


class TensorState(Wire):
    code: str = Field(description="The PyTorch expression this step evaluates.")
    shape: Indices = Field(description="The result's shape (torch's .shape).")
    strides: Indices = Field(description="Its strides in elements (torch's .stride()).")
    contiguous: bool = Field(description="torch's .is_contiguous().")
    shares_storage: bool = Field(description="Whether it reads the memory of x = arange(...) (a view), not a copy.")
    storage: list[int] = Field(description="The memory it reads, in storage order.")
    values: list[int] = Field(description="Its values in reading order (torch's .flatten()).")


class ViewFailsState(TensorState):
    error: str = Field(description="PyTorch's error for the view (empty when the view worked).")


class TableState(Wire):
    rows: Indices = Field(description="Which of iris' 150 rows are shown (drawn with the run's seed), ascending.")
    columns: list[str] = Field(description="The table's column names at this step.")
    kinds: list[Literal["continuous", "ordinal", "categorical", "encoded"]] = Field(
        description="Each column's kind: a raw continuous, ordinal or categorical column, or an encoded number."
    )
    cells: list[list[str]] = Field(description="The shown rows' cells as words, row by row.")
    values: Matrix = Field(description="The cells as numbers (a category's code for a name), row by row.")


class OrdinalState(TableState):
    size_categories: list[str] = Field(description="The order given to OrdinalEncoder: small, medium, large.")
    species_categories: list[str] = Field(description="OrdinalEncoder's own (alphabetical) order of the species.")
    size_codes: list[int] = Field(description="The shown rows' petal size codes.")
    species_codes: list[int] = Field(description="The shown rows' species codes (an invented order).")


class OneHotState(TableState):
    categories: list[str] = Field(description="OneHotEncoder's categories_: one column each.")
    one_hot: IntMatrix = Field(description="The shown rows' one-hot species columns.")


class ScalingState(TableState):
    mean: float = Field(description="StandardScaler's mean_ of sepal length (all 150 rows).")
    std: float = Field(description="StandardScaler's scale_ (population std).")
    min: float = Field(description="MinMaxScaler's data_min_.")
    max: float = Field(description="MinMaxScaler's data_max_.")
    standardised: Vector = Field(description="The shown rows' (x − mean) / std.")
    min_max: Vector = Field(description="The shown rows' (x − min) / (max − min).")


class MatrixState(TableState):
    shape: Indices = Field(description="[150, 5]: the whole encoded matrix's shape.")
    matrix: Matrix = Field(description="The shown rows of the encoded matrix.")


class CodesState(Wire):
    chars: list[str] = Field(description="The text's characters.")
    codes: list[int] = Field(description="Their ASCII codes (Python's ord).")


class VocabularyState(Wire):
    vocabulary: list[str] = Field(description="The distinct characters sorted by code: index i is the i-th.")
    vocabulary_codes: list[int] = Field(description="Their ASCII codes.")


class IndicesState(Wire):
    indices: list[int] = Field(description="Each character's index in the vocabulary.")


class CharOneHotState(Wire):
    shape: Indices = Field(description="[length, vocabulary size].")
    one_hot: TypedArray = Field(description="The (length, V) uint8 one-hot matrix (torch.nn.functional.one_hot).")


class SeriesState(Wire):
    values: Vector = Field(description="The series, one value per time step.")


class WindowState(Wire):
    start: int = Field(ge=0, description="The example's first time step (its row in the stacked arrays).")
    inputs: Vector = Field(description="Its `window` input values.")
    targets: Vector = Field(description="Its `horizon` target values (the steps right after).")


class WindowsState(Wire):
    inputs: TypedArray = Field(description="(n, window) float64: row i is steps i … i + window − 1.")
    targets: TypedArray = Field(description="(n, horizon) float64: row i is the horizon steps after row i's inputs.")
    inputs_shape: Indices = Field(description="[n, window], n = length − window − horizon + 1.")
    targets_shape: Indices = Field(description="[n, horizon].")


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
