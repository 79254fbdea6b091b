"""The regression datasets of the gradient-descent lab: two generators and your own rows with a number y each.

``RegressionParam`` is the lab's dataset field type: ``{"name": "line" | "two_scales" | "sine", ...}`` or inline
``{"X": [[x], ...], "y": [...]}``; each ``load()`` gives ``RegressionData`` (features, targets, names).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.datasets import regression as generators
from app.datasets.regression import RegressionData
from app.schemas import fields
from app.schemas.common import DataValue, FiniteFloat, check_magnitude
from app.schemas.fields import MAX_SAMPLES
from app.schemas.spec import NamedSpec, check_inline_X


class _RegressionSpec(NamedSpec):
    n_samples: int = fields.n_samples(200)
    noise: float = fields.noise(0.5, "Standard deviation of the Gaussian noise added to y.")
    seed: int = fields.seed()

    @property
    def n_rows(self) -> int:
        return self.n_samples


class LineSpec(_RegressionSpec):
    """One feature: y = 2x + 1 + noise, x uniform in [−3, 3]."""

    model_config = ConfigDict(title="Line (1 feature)")
    name: Literal["line"] = fields.name("line")

    def load(self) -> RegressionData:
        X, y = generators.line(self.n_samples, noise=self.noise, seed=self.seed)
        return RegressionData(X, y, ("x",), self.name)


class TwoScalesSpec(_RegressionSpec):
    """Two features on scales ~100× apart (x₁ in [0, 1], x₂ in [0, 100]): y = 3x₁ + 0.05x₂ + 2 + noise."""

    model_config = ConfigDict(title="Two features, scales 100× apart")
    name: Literal["two_scales"] = fields.name("two_scales")

    def load(self) -> RegressionData:
        X, y = generators.two_scales(self.n_samples, noise=self.noise, seed=self.seed)
        return RegressionData(X, y, ("x₁", "x₂"), self.name)


class SineSpec(_RegressionSpec):
    """One feature, a curve: y = 2·sin(1.5x) + noise, x uniform in [−3, 3] (what trees and boosting bend to)."""

    model_config = ConfigDict(title="Sine wave (1 feature)")
    name: Literal["sine"] = fields.name("sine")
    noise: float = fields.noise(0.3, "Standard deviation of the Gaussian noise added to y.")

    def load(self) -> RegressionData:
        X, y = generators.sine(self.n_samples, noise=self.noise, seed=self.seed)
        return RegressionData(X, y, ("x",), self.name)


class InlineRegression(BaseModel):
    """Your own data: X rows of finite numbers (all the same length), y one finite float per row."""

    model_config = ConfigDict(extra="forbid", title="Inline data")
    X: list[Annotated[list[DataValue], Field(min_length=1, max_length=2)]] = Field(
        min_length=2,
        max_length=MAX_SAMPLES,
        title="Inputs (X)",
        description="Rows of 1 or 2 finite numbers, all the same length.",
    )
    y: list[FiniteFloat] = Field(title="Targets (y)", description="The number to predict, one per row of X.")

    @field_validator("X")
    @classmethod
    def _rows_rule(cls, X: list[list[float]], info: ValidationInfo) -> list[list[float]]:
        check_inline_X(X, info)  # the inline-data rule: rows within the limit, rectangular, values in bounds
        return X

    @field_validator("y")
    @classmethod
    def _same_length(cls, y: list[float], info: ValidationInfo) -> list[float]:
        X = info.data.get("X")
        if X is not None and len(y) != len(X):
            raise ValueError(f"y has {len(y)} values but X has {len(X)} rows")
        check_magnitude(np.asarray(y, dtype=np.float64).reshape(-1, 1), limits_in(info.context).max_abs_value, "y")
        return y

    @property
    def n_rows(self) -> int:
        return len(self.X)

    def load(self) -> RegressionData:
        X = np.array(self.X, dtype=np.float64)
        names = ("x",) if X.shape[1] == 1 else ("x₁", "x₂")
        return RegressionData(X, np.array(self.y, dtype=np.float64), names, "inline")


def _regression_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        return "inline" if "X" in v else str(v.get("name", "line"))
    if isinstance(v, InlineRegression):
        return "inline"
    return getattr(v, "name", None)


RegressionParam = Annotated[
    Annotated[LineSpec, Tag("line")]
    | Annotated[TwoScalesSpec, Tag("two_scales")]
    | Annotated[SineSpec, Tag("sine")]
    | Annotated[InlineRegression, Tag("inline")],
    Discriminator(
        _regression_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be {'name': 'line' | 'two_scales' | 'sine', ...} or inline {'X', 'y'}",
    ),
]
REGRESSION_SPECS: dict[str, type[_RegressionSpec]] = {"line": LineSpec, "two_scales": TwoScalesSpec, "sine": SineSpec}
REGRESSION_ADAPTER: TypeAdapter[Any] = TypeAdapter(RegressionParam)
