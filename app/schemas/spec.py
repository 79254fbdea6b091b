"""The bases every dataset param is built on, and the rules they all follow.

* ``NamedSpec``: a named dataset (``{"name": "moons", ...}``); ``DatasetSpec`` is one that loads a
  ``Dataset``. Their row-limit rule: ``n_samples`` (or a fixed table's size, see ``app.schemas.tables``) is at
  most the context's ``Limits.max_points``, checked in a validator, so nothing is generated first.
* ``InlineData``: ``{"X": [[x1, x2], ...], "y": [0, 1, ...]}``; ``check_inline_X`` is its rule for ``X``
  (rows within the limit, rectangular, every value within ``Limits.max_abs_value``), shared with the
  regression lab's inline data.
* ``dataset_tag``: the callable discriminator of every "named spec or inline data" union.
* ``catalog_entries``: spec models in the shape of ``GET /api/v1/datasets`` entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.core.limits import limits_in
from app.core.text import fmt_count
from app.datasets import Dataset
from app.schemas.common import VALUE_RULE, DataValue, check_magnitude, check_rows, rows_message
from app.schemas.fields import MAX_SAMPLES


class NamedSpec(BaseModel):
    """Base of every named dataset spec: ``name`` is the discriminator.

    ``revalidate_instances``: a params model's default dataset is an instance (``default_factory``), which pydantic
    would otherwise pass through unvalidated, skipping the row limit of the validation context."""

    model_config = ConfigDict(extra="forbid", revalidate_instances="always")
    kind: ClassVar[Literal["generator", "classic"]] = "generator"
    name: str = Field(title="Dataset", description="Which dataset: the picker's choice.")

    @field_validator("n_samples", check_fields=False)
    @classmethod
    def _n_samples_within_limit(cls, n_samples: int, info: ValidationInfo) -> int:
        """Every spec with an ``n_samples`` field (built by ``fields.n_samples``, validated even as a default)."""
        limit = limits_in(info.context).max_points
        check_rows(n_samples, limit, rows_message(f"n_samples is {fmt_count(n_samples)}", limit))
        return n_samples

    @model_validator(mode="after")
    def _no_negative_zero(self) -> NamedSpec:
        """``-0.0`` (``noise=-0`` in a query string) passes ``ge=0`` but NumPy's samplers reject a scale whose
        sign bit is set ("scale < 0"): store it as ``0.0``, which also keeps the resolved params canonical."""
        for name, value in self.__dict__.items():
            if isinstance(value, float) and value == 0.0:
                self.__dict__[name] = 0.0
        return self

    @property
    def n_rows(self) -> int:
        """Rows ``load()`` returns, known without generating them."""
        raise NotImplementedError


class DatasetSpec(NamedSpec):
    """A named dataset that loads a ``Dataset`` (the regression lab's specs load ``RegressionData``)."""

    def load(self) -> Dataset:
        """Build the arrays (see ``app.datasets.Dataset`` for shapes)."""
        raise NotImplementedError


def check_inline_X(X: list[list[float]], info: ValidationInfo) -> None:
    """The rule of inline ``X`` (validated rows of numbers): at most ``max_points`` rows, all as long as row 0,
    every value at most ``max_abs_value`` in size (both limits from the validation context)."""
    limits = limits_in(info.context)
    check_rows(len(X), limits.max_points, rows_message(f"X has {fmt_count(len(X))} rows", limits.max_points))
    d = len(X[0])
    for i, row in enumerate(X):
        if len(row) != d:
            raise ValueError(f"row {i} has {len(row)} values but row 0 has {d}; every row of X needs {d}")
    check_magnitude(np.array(X, dtype=np.float64), limits.max_abs_value)


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Label = Annotated[int, Field(strict=True, ge=INT64_MIN, le=INT64_MAX)]


class InlineData(BaseModel):
    """Your own data: X is a list of rows of finite numbers (all the same length, each at most
    ``STEPWISE_MAX_ABS_VALUE`` in size), y optional integer labels (64-bit)."""

    model_config = ConfigDict(extra="forbid", title="Inline data")
    X: list[Annotated[list[DataValue], Field(min_length=1)]] = Field(
        min_length=1,
        max_length=MAX_SAMPLES,
        title="Points (X)",
        description="Rows of numbers, all the same length (n × d). " + VALUE_RULE,
    )
    y: list[Label] | None = Field(
        None,
        title="Class labels (y)",
        description="Integer class labels, one per row of X (optional where unsupervised); each fits in 64 bits.",
    )

    @field_validator("X")
    @classmethod
    def _rows_rule(cls, X: list[list[float]], info: ValidationInfo) -> list[list[float]]:
        check_inline_X(X, info)
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


def dataset_tag(v: Any) -> str | None:
    """``"inline"`` when the input has an ``X`` (dict key or ``InlineData``), ``"named"`` for any other
    mapping or a spec instance, ``None`` (pydantic's "invalid_dataset" error) for anything else."""
    if isinstance(v, dict):
        return "inline" if "X" in v else "named"
    if isinstance(v, InlineData):
        return "inline"
    if isinstance(v, NamedSpec):
        return "named"
    return None


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
