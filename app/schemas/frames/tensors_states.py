"""The tensors lab's frame states, one per frame kind (see ``app.schemas.frames.tensors``); strides count
elements, typed arrays are `{dtype, shape, bdata}`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.schemas.frames.base import Indices, IntMatrix, Matrix, Vector, Wire


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
