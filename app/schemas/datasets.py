"""Dataset params: the one place that says which datasets exist, their defaults, ranges and UI hints.

* One spec model per generator / classic table, each with a ``name`` literal as discriminator (the bases and
  ``InlineData`` are in ``app.schemas.spec``, the classic tables in ``app.schemas.tables``).
* ``GeneratorSpec``: the tagged union of all of them (``{"name": "moons", "noise": 0.2}``).
* ``InlineData``: ``{"X": [[x1, x2], ...], "y": [0, 1, ...]}`` (finite numbers, rectangular, ``y`` optional).
* ``DatasetParam``: either of the two, chosen by whether the input has an ``"X"`` key. Use it as a field type:
  ``dataset: DatasetParam = dataset_field(MoonsSpec())`` (or ``Field(default_factory=BlobsSpec)``).
* ``load_dataset(param) -> Dataset`` builds the arrays (``dataset_rows(param)`` counts them without building);
  ``dataset_catalog()`` feeds ``GET /api/v1/datasets``.

Row limit: validating a spec or inline data checks its rows against ``Limits.max_points`` of the validation
context (``model_validate(v, context={"limits": limits})``; the defaults without one), so an oversized
dataset is a 422 located at ``n_samples``, the table's ``name`` or inline ``X`` before anything is generated.

The ``seed`` on a generator spec is the *data* seed, independent of a run's seed: re-running with
another run seed keeps the data fixed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Discriminator, Field, Tag, TypeAdapter, ValidationInfo, field_validator

from app.core.limits import Limits
from app.core.text import num
from app.datasets import Dataset, generators
from app.schemas import fields
from app.schemas.fields import MAX_SAMPLES
from app.schemas.spec import DatasetSpec, InlineData, NamedSpec, catalog_entries, dataset_tag
from app.schemas.tables import (
    BreastCancerSpec,
    BreastCancerTable,
    DigitsTable,
    IrisSpec,
    IrisTable,
    TableSpec,
    TwoFeatureSpec,
    WineSpec,
    WineTable,
)

__all__ = [  # the names other modules and tests import from here (their owners are spec, tables, fields)
    "MAX_SAMPLES",
    "SPECS",
    "AnisotropicSpec",
    "BlobsSpec",
    "BreastCancerSpec",
    "BreastCancerTable",
    "CirclesSpec",
    "DatasetParam",
    "DatasetSpec",
    "DigitsTable",
    "GeneratedSpec",
    "GeneratorSpec",
    "InlineData",
    "IrisSpec",
    "IrisTable",
    "MoonsSpec",
    "NamedSpec",
    "SpiralSpec",
    "TableSpec",
    "TwoFeatureSpec",
    "UniformSpec",
    "VariedDensitySpec",
    "WineSpec",
    "WineTable",
    "XorSpec",
    "catalog_entries",
    "dataset_catalog",
    "dataset_field",
    "dataset_rows",
    "dataset_tag",
    "load_dataset",
    "parse_dataset",
]

_POINT_NOISE = "Standard deviation of the Gaussian noise added to each point."


class GeneratedSpec(DatasetSpec):
    """A toy generator: ``name`` is also the function's name in ``app.datasets.generators``, and every
    other field is one of its keyword arguments."""

    n_samples: int = fields.n_samples(200)

    def load(self) -> Dataset:
        make = getattr(generators, self.name)
        X, y = make(self.n_samples, **self.model_dump(exclude={"name", "n_samples"}))
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class BlobsSpec(GeneratedSpec):
    """Isotropic Gaussian blobs: the easy case for k-means (its default dataset)."""

    model_config = ConfigDict(title="Blobs")
    name: Literal["blobs"] = fields.name("blobs")
    n_samples: int = fields.n_samples(300)
    centers: int = fields.centers(4)
    cluster_std: float = fields.spread(1.0)
    seed: int = fields.seed()


class MoonsSpec(GeneratedSpec):
    """Two interleaving half circles: not linearly separable, not convex."""

    model_config = ConfigDict(title="Moons")
    name: Literal["moons"] = fields.name("moons")
    noise: float = fields.noise(0.1, _POINT_NOISE)
    seed: int = fields.seed()


class CirclesSpec(GeneratedSpec):
    """A small circle inside a large one: separable only with a non-linear boundary."""

    model_config = ConfigDict(title="Circles")
    name: Literal["circles"] = fields.name("circles")
    noise: float = fields.noise(0.05, _POINT_NOISE)
    factor: float = fields.slider(
        0.5, "Inner radius", "Radius of the inner circle relative to the outer one.", 0.05, gt=0.0, lt=1.0
    )
    seed: int = fields.seed()


class XorSpec(GeneratedSpec):
    """Four quadrants, opposite ones sharing a class: what a single perceptron cannot learn."""

    model_config = ConfigDict(title="XOR")
    name: Literal["xor"] = fields.name("xor")
    noise: float = fields.noise(0.0, "Standard deviation of the Gaussian noise added after labelling.")
    seed: int = fields.seed()


class SpiralSpec(GeneratedSpec):
    """Interleaved spiral arms, one per class: hard for linear models, a showcase for neural networks."""

    model_config = ConfigDict(title="Spiral")
    name: Literal["spiral"] = fields.name("spiral")
    n_classes: int = fields.slider(2, "Classes", "Number of spiral arms (classes).", 1, ge=2, le=5)
    turns: float = fields.slider(1.0, "Turns", "How many times each arm winds around the origin.", 0.25, gt=0.0, le=5.0)
    noise: float = fields.noise(0.1, "Standard deviation of the Gaussian noise (outer radius = 1).")
    seed: int = fields.seed()


class AnisotropicSpec(GeneratedSpec):
    """Gaussian blobs sheared by a linear map: elongated clusters that fool k-means."""

    model_config = ConfigDict(title="Anisotropic blobs")
    name: Literal["anisotropic"] = fields.name("anisotropic")
    centers: int = fields.centers(3)
    cluster_std: float = fields.spread(1.0)
    seed: int = fields.seed()


class VariedDensitySpec(GeneratedSpec):
    """Gaussian blobs of different spreads: tight and loose clusters side by side (hard for DBSCAN)."""

    model_config = ConfigDict(title="Blobs of varied density")
    name: Literal["varied_density"] = fields.name("varied_density")
    centers: int = fields.centers(3)
    std_min: float = fields.spread(0.5, "Smallest spread", "the tightest blob")
    std_max: float = fields.spread(2.5, "Largest spread", "the loosest blob")
    seed: int = fields.seed()

    @field_validator("std_max")
    @classmethod
    def _ordered(cls, std_max: float, info: ValidationInfo) -> float:
        """A field validator (not a model one), so the error is located at ``std_max``."""
        std_min = info.data.get("std_min")
        if std_min is not None and std_min > std_max:
            raise ValueError(f"std_min ({num(std_min)}) must not exceed std_max ({num(std_max)})")
        return std_max


class UniformSpec(GeneratedSpec):
    """Structureless uniform noise in a square (one class): what clustering finds when there is nothing."""

    model_config = ConfigDict(title="Uniform noise")
    name: Literal["uniform"] = fields.name("uniform")
    half_width: float = fields.slider(
        1.0, "Square half-width", "Points fall in the square [−w, w]² for this w.", 0.1, gt=0.0, le=100.0
    )
    seed: int = fields.seed()


_Generators = BlobsSpec | MoonsSpec | CirclesSpec | XorSpec | SpiralSpec | AnisotropicSpec
_Named = _Generators | VariedDensitySpec | UniformSpec | IrisSpec | WineSpec | BreastCancerSpec
GeneratorSpec = Annotated[_Named, Field(discriminator="name")]
"""Any named dataset (generator or classic table), chosen by its ``name``."""

#: name -> spec model, in catalog order (the order of ``GeneratorSpec``).
SPECS: dict[str, type[DatasetSpec]] = {
    cls.model_fields["name"].default: cls for cls in get_args(get_args(GeneratorSpec)[0])
}

DatasetParam = Annotated[
    Annotated[GeneratorSpec, Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        dataset_tag,
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


def parse_dataset(value: Any, limits: Limits | None = None) -> DatasetParam:
    """Validate a raw dataset value (dict) into a spec, against ``limits`` (the defaults when ``None``);
    raises ``pydantic.ValidationError``."""
    context = None if limits is None else {"limits": limits}
    result: DatasetParam = DATASET_ADAPTER.validate_python(value, context=context)
    return result


def dataset_rows(param: DatasetSpec | InlineData) -> int:
    """Rows ``load_dataset(param)`` will return, known without generating them."""
    return param.n_rows


def load_dataset(param: DatasetSpec | InlineData) -> Dataset:
    """Build the arrays for a validated ``DatasetParam`` value (a spec model or ``InlineData``)."""
    return param.load()


def dataset_catalog() -> list[dict[str, Any]]:
    """``GET /api/v1/datasets``: one entry per named dataset, in a stable order."""
    entries: list[dict[str, Any]] = catalog_entries(SPECS.values())
    return entries
