"""Dataset params: the one place that says which datasets exist, their defaults, ranges and UI hints.

* One spec model per generator / classic table, each with a ``name`` literal as discriminator.
* ``GeneratorSpec``: the tagged union of all of them (``{"name": "moons", "noise": 0.2}``).
* ``InlineData``: ``{"X": [[x1, x2], ...], "y": [0, 1, ...]}`` (finite numbers, rectangular, ``y`` optional).
* ``DatasetParam``: either of the two, chosen by whether the input has an ``"X"`` key. Use it as a field type:
  ``dataset: DatasetParam = dataset_field(MoonsSpec())`` (or ``Field(default_factory=BlobsSpec)``).
* ``load_dataset(param) -> Dataset`` builds the arrays (``dataset_rows(param)`` counts them first, for the
  ``max_points`` limit); ``dataset_catalog()`` feeds ``GET /api/v1/datasets``.

The ``seed`` on a generator spec is the *data* seed, independent of a run's seed: re-running with
another run seed keeps the data fixed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Literal, get_args

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ValidationInfo

from app.core.text import num
from app.datasets import Dataset, classic, generators
from app.schemas.common import VALUE_RULE, check_magnitude

MAX_SAMPLES = 100_000  # hard cap in the schema; the service's (smaller) limit is Settings.max_points


def _slider(default: float, title: str, description: str, step: float, **bounds: Any) -> Any:
    """A numeric ``Field`` drawn as a slider (``bounds``: ge / gt / le / lt, ``x_max``: the slider's end)."""
    extra: dict[str, Any] = {"x-widget": "slider", "x-step": step}
    if "x_max" in bounds:
        extra["x-max"] = bounds.pop("x_max")
    return Field(default, title=title, description=description, json_schema_extra=extra, **bounds)


def _n_samples(default: int) -> Any:
    return _slider(default, "Samples", "Number of points to generate.", 10, ge=1, le=MAX_SAMPLES, x_max=2_000)


def _noise(default: float, description: str) -> Any:
    return _slider(default, "Noise", description, 0.01, ge=0.0, le=10.0, x_max=1.0)


def _centers(default: int) -> Any:
    return _slider(default, "Centres", "Number of Gaussian blobs (true clusters).", 1, ge=1, le=10)


def _spread(default: float, title: str = "Cluster spread", what: str = "each blob") -> Any:
    return _slider(default, title, f"Standard deviation of {what}.", 0.05, gt=0.0, le=10.0)


def _seed() -> Any:
    description = "Seed of the data generator (independent of the run's seed)."
    return Field(
        0, ge=0, le=2**32 - 1, title="Data seed", description=description, json_schema_extra={"x-widget": "number"}
    )


_POINT_NOISE = "Standard deviation of the Gaussian noise added to each point."


class DatasetSpec(BaseModel):
    """Base of every named dataset spec: ``name`` is the discriminator."""

    model_config = ConfigDict(extra="forbid")
    kind: ClassVar[Literal["generator", "classic"]] = "generator"
    name: str

    @model_validator(mode="after")
    def _no_negative_zero(self) -> DatasetSpec:
        """``-0.0`` (``noise=-0`` in a query string) passes ``ge=0`` but NumPy's samplers reject a scale whose
        sign bit is set ("scale < 0"): store it as ``0.0``, which also keeps the resolved params canonical."""
        for name, value in self.__dict__.items():
            if isinstance(value, float) and value == 0.0:
                self.__dict__[name] = 0.0
        return self

    def load(self) -> Dataset:
        """Build the arrays (see ``app.datasets.Dataset`` for shapes)."""
        raise NotImplementedError

    @property
    def n_rows(self) -> int:
        """Rows ``load()`` returns, known without generating them."""
        raise NotImplementedError


class _GeneratedSpec(DatasetSpec):
    """A toy generator: ``name`` is also the function's name in ``app.datasets.generators``, and every
    other field is one of its keyword arguments."""

    n_samples: int = _n_samples(200)

    def load(self) -> Dataset:
        make = getattr(generators, self.name)
        X, y = make(self.n_samples, **self.model_dump(exclude={"name", "n_samples"}))
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class BlobsSpec(_GeneratedSpec):
    """Isotropic Gaussian blobs: the easy case for k-means (its default dataset)."""

    model_config = ConfigDict(title="Blobs")
    name: Literal["blobs"] = "blobs"
    n_samples: int = _n_samples(300)
    centers: int = _centers(4)
    cluster_std: float = _spread(1.0)
    seed: int = _seed()


class MoonsSpec(_GeneratedSpec):
    """Two interleaving half circles: not linearly separable, not convex."""

    model_config = ConfigDict(title="Moons")
    name: Literal["moons"] = "moons"
    noise: float = _noise(0.1, _POINT_NOISE)
    seed: int = _seed()


class CirclesSpec(_GeneratedSpec):
    """A small circle inside a large one: separable only with a non-linear boundary."""

    model_config = ConfigDict(title="Circles")
    name: Literal["circles"] = "circles"
    noise: float = _noise(0.05, _POINT_NOISE)
    factor: float = _slider(
        0.5, "Inner radius", "Radius of the inner circle relative to the outer one.", 0.05, gt=0.0, lt=1.0
    )
    seed: int = _seed()


class XorSpec(_GeneratedSpec):
    """Four quadrants, opposite ones sharing a class: what a single perceptron cannot learn."""

    model_config = ConfigDict(title="XOR")
    name: Literal["xor"] = "xor"
    noise: float = _noise(0.0, "Standard deviation of the Gaussian noise added after labelling.")
    seed: int = _seed()


class SpiralSpec(_GeneratedSpec):
    """Interleaved spiral arms, one per class: hard for linear models, a showcase for neural networks."""

    model_config = ConfigDict(title="Spiral")
    name: Literal["spiral"] = "spiral"
    n_classes: int = _slider(2, "Classes", "Number of spiral arms (classes).", 1, ge=2, le=5)
    turns: float = _slider(1.0, "Turns", "How many times each arm winds around the origin.", 0.25, gt=0.0, le=5.0)
    noise: float = _noise(0.1, "Standard deviation of the Gaussian noise (outer radius = 1).")
    seed: int = _seed()


class AnisotropicSpec(_GeneratedSpec):
    """Gaussian blobs sheared by a linear map: elongated clusters that fool k-means."""

    model_config = ConfigDict(title="Anisotropic blobs")
    name: Literal["anisotropic"] = "anisotropic"
    centers: int = _centers(3)
    cluster_std: float = _spread(1.0)
    seed: int = _seed()


class VariedDensitySpec(_GeneratedSpec):
    """Gaussian blobs of different spreads: tight and loose clusters side by side (hard for DBSCAN)."""

    model_config = ConfigDict(title="Blobs of varied density")
    name: Literal["varied_density"] = "varied_density"
    centers: int = _centers(3)
    std_min: float = _spread(0.5, "Smallest spread", "the tightest blob")
    std_max: float = _spread(2.5, "Largest spread", "the loosest blob")
    seed: int = _seed()

    @field_validator("std_max")
    @classmethod
    def _ordered(cls, std_max: float, info: ValidationInfo) -> float:
        """A field validator (not a model one), so the error is located at ``std_max``."""
        std_min = info.data.get("std_min")
        if std_min is not None and std_min > std_max:
            raise ValueError(f"std_min ({num(std_min)}) must not exceed std_max ({num(std_max)})")
        return std_max


class UniformSpec(_GeneratedSpec):
    """Structureless uniform noise in a square (one class): what clustering finds when there is nothing."""

    model_config = ConfigDict(title="Uniform noise")
    name: Literal["uniform"] = "uniform"
    half_width: float = _slider(1.0, "Half width", "Points fall in [-half_width, half_width]².", 0.1, gt=0.0, le=100.0)
    seed: int = _seed()


_FEATURES_DESCRIPTION = (
    "'pca' (standardise, then the first two principal components) or two column indices, e.g. [0, 2] "
    "(in a query string: features=0,2)."
)


class _ClassicSpec(DatasetSpec):
    """A scikit-learn bundled table reduced to two features."""

    kind: ClassVar[Literal["generator", "classic"]] = "classic"
    features: Literal["pca"] | tuple[int, int] = Field(
        "pca", title="Features", description=_FEATURES_DESCRIPTION, json_schema_extra={"x-widget": "features"}
    )
    standardize: bool = Field(
        False, title="Standardise", description="Scale picked columns to zero mean, unit variance (PCA always does)."
    )

    @field_validator("features", mode="before")
    @classmethod
    def _parse_features(cls, v: Any) -> Any:
        """Accept ``"pca"``, ``"0,2"`` (query strings) or ``[0, 2]``."""
        if isinstance(v, str) and v.strip().lower() != "pca":
            parts = [p.strip() for p in v.split(",")]
            if len(parts) != 2 or not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("features must be 'pca' or two column indices like '0,2'")
            return (int(parts[0]), int(parts[1]))
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("features")
    @classmethod
    def _check_columns(cls, v: Literal["pca"] | tuple[int, int]) -> Any:
        if isinstance(v, tuple):
            name = cls.model_fields["name"].default
            d = classic.N_FEATURES[name]
            i, j = v
            if not (0 <= i < d and 0 <= j < d):
                raise ValueError(f"column indices must be in 0..{d - 1} for {name}, got {list(v)}")
            if i == j:
                raise ValueError(f"pick two different columns, got {list(v)}")
        return v

    @property
    def n_rows(self) -> int:
        return classic.N_ROWS[self.name]

    def load(self) -> Dataset:
        X, y, names = classic.load_classic(self.name, self.features, standardize=self.standardize)
        return Dataset(X=X, y=y, feature_names=names, name=self.name)


class IrisSpec(_ClassicSpec):
    """Fisher's iris: 150 flowers, 3 species, 4 measurements (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Iris")
    name: Literal["iris"] = "iris"


class WineSpec(_ClassicSpec):
    """Wine recognition: 178 wines, 3 cultivars, 13 chemical measurements (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Wine")
    name: Literal["wine"] = "wine"


class BreastCancerSpec(_ClassicSpec):
    """Wisconsin breast cancer: 569 tumours, malignant (0) or benign (1), 30 features (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Breast cancer")
    name: Literal["breast_cancer"] = "breast_cancer"


_Generators = BlobsSpec | MoonsSpec | CirclesSpec | XorSpec | SpiralSpec | AnisotropicSpec
_Named = _Generators | VariedDensitySpec | UniformSpec | IrisSpec | WineSpec | BreastCancerSpec
GeneratorSpec = Annotated[_Named, Field(discriminator="name")]
"""Any named dataset (generator or classic table), chosen by its ``name``."""

#: name -> spec model, in catalog order (the order of ``GeneratorSpec``).
SPECS: dict[str, type[DatasetSpec]] = {
    cls.model_fields["name"].default: cls for cls in get_args(get_args(GeneratorSpec)[0])
}

FiniteFloat = Annotated[float, Field(strict=True, allow_inf_nan=False)]
StrictInt = Annotated[int, Field(strict=True)]
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Label = Annotated[int, Field(strict=True, ge=INT64_MIN, le=INT64_MAX)]


class InlineData(BaseModel):
    """Your own data: X is a list of rows of finite numbers (all the same length, each at most
    ``STEPWISE_MAX_ABS_VALUE`` in size), y optional integer labels (64-bit)."""

    model_config = ConfigDict(extra="forbid", title="Inline data")
    X: list[Annotated[list[FiniteFloat], Field(min_length=1)]] = Field(
        min_length=1,
        max_length=MAX_SAMPLES,
        title="X",
        description="Rows of numbers, all the same length (n × d). " + VALUE_RULE,
    )
    y: list[Label] | None = Field(
        None,
        title="y",
        description="Integer class labels, one per row of X (optional where unsupervised); each fits in 64 bits.",
    )

    @field_validator("X")
    @classmethod
    def _rectangular(cls, X: list[list[float]]) -> list[list[float]]:
        d = len(X[0])
        for i, row in enumerate(X):
            if len(row) != d:
                raise ValueError(f"row {i} has {len(row)} values but row 0 has {d}; every row of X needs {d}")
        try:
            check_magnitude(np.array(X, dtype=np.float64))
        except ValueError as exc:  # a custom error: the message without pydantic's "Value error, " prefix
            raise PydanticCustomError("data_value_too_large", str(exc)) from None
        return X

    @field_validator("y")
    @classmethod
    def _same_length(cls, y: list[int] | None, info: ValidationInfo) -> list[int] | None:
        X = info.data.get("X")
        if y is not None and X is not None and len(y) != len(X):
            raise ValueError(f"y has {len(y)} labels but X has {len(X)} rows")
        return y

    @property
    def n_rows(self) -> int:
        return len(self.X)

    def load(self) -> Dataset:
        X = np.array(self.X, dtype=np.float64)
        y = None if self.y is None else np.array(self.y, dtype=np.int64)
        return Dataset(X=X, y=y, feature_names=tuple(f"x{k + 1}" for k in range(X.shape[1])), name="inline")


def _dataset_tag(v: Any) -> str | None:
    """``"inline"`` when the input has an ``X`` (dict key or attribute), ``"named"`` for any other mapping/spec."""
    if isinstance(v, dict):
        return "inline" if "X" in v else "named"
    if isinstance(v, InlineData):
        return "inline"
    if isinstance(v, DatasetSpec):
        return "named"
    return None


DatasetParam = Annotated[
    Annotated[GeneratorSpec, Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        _dataset_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be an object: a named dataset {'name': ...} or inline data {'X': [...]}",
    ),
]
"""A named dataset spec or inline data: the type of every ``params.dataset`` field."""

DATASET_ADAPTER: TypeAdapter[Any] = TypeAdapter(DatasetParam)


def dataset_field(default: DatasetSpec | InlineData | None = None, **kwargs: Any) -> Any:
    """A ``Field`` for a ``dataset: DatasetParam`` attribute of an algorithm's params model.

    ``default`` (a spec instance; ``BlobsSpec()`` when omitted) is copied for each model instance and
    also written into the JSON Schema (``default_factory`` alone would leave the schema without one)::

        class KMeansParams(BaseModel):
            dataset: DatasetParam = dataset_field()
            k: int = 3
    """
    spec = BlobsSpec() if default is None else default
    extra: dict[str, Any] = {"default": spec.model_dump(mode="json"), "x-widget": "dataset"}
    extra.update(kwargs.pop("json_schema_extra", None) or {})
    kwargs.setdefault("title", "Dataset")
    kwargs.setdefault(
        "description", "A named dataset ({'name': 'moons', ...}) or inline data ({'X': [[...], ...], 'y': [...]})."
    )
    return Field(default_factory=lambda: spec.model_copy(deep=True), json_schema_extra=extra, **kwargs)


def parse_dataset(value: Any) -> DatasetParam:
    """Validate a raw dataset value (dict) into a spec; raises ``pydantic.ValidationError``."""
    result: DatasetParam = DATASET_ADAPTER.validate_python(value)
    return result


def dataset_rows(param: DatasetSpec | InlineData) -> int:
    """Rows ``load_dataset(param)`` will return, known without generating them (for limit checks)."""
    return param.n_rows


def load_dataset(param: DatasetSpec | InlineData) -> Dataset:
    """Build the arrays for a validated ``DatasetParam`` value (a spec model or ``InlineData``)."""
    return param.load()


def catalog_entries(specs: Iterable[type[BaseModel]]) -> Any:
    """Dataset spec models in the shape of ``GET /api/v1/datasets`` entries.

    Each entry is ``{"name", "title", "kind": "generator" | "classic", "description", "params_schema",
    "defaults"}``. A lab whose datasets differ from the shared list puts these in its dataset field's
    ``x-datasets`` schema hint, and the page builds the picker from them. (Typed ``Any``: it goes into
    ``json_schema_extra``, whose JSON type pydantic declares narrowly.)
    """
    out: list[dict[str, Any]] = []
    for cls in specs:
        schema = cls.model_json_schema()
        out.append(
            {
                "name": cls.model_fields["name"].default,
                "title": schema.get("title", cls.__name__),
                "kind": getattr(cls, "kind", "generator"),
                "description": schema.get("description", ""),
                "params_schema": schema,
                "defaults": cls.model_validate({}).model_dump(mode="json"),
            }
        )
    return out


def dataset_catalog() -> list[dict[str, Any]]:
    """``GET /api/v1/datasets``: one entry per named dataset, in a stable order."""
    entries: list[dict[str, Any]] = catalog_entries(SPECS.values())
    return entries
