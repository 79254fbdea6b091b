"""Params of the optimisation labs: the optimiser race and gradient descent on regression data."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, ValidationInfo, field_validator

from app.core.limits import limits_in
from app.datasets import regression as generators
from app.datasets.regression import RegressionData
from app.schemas import fields
from app.schemas.common import PARAMS_CONFIG, DataValue, FiniteFloat, check_magnitude
from app.schemas.fields import MAX_SAMPLES
from app.schemas.spec import NamedSpec, catalog_entries, check_inline_X

SurfaceName = Literal["quadratic", "rosenbrock", "himmelblau", "beale", "saddle", "rastrigin", "six-hump-camel"]
SURFACE_NAMES: tuple[str, ...] = get_args(SurfaceName)
"""The loss surfaces the race offers, in the engine's order. The params contract owns the names; the
surfaces themselves (formula, box, start) are the engine's ``SURFACES``, kept in step by a test. A start
outside the surface's box needs the surface to see, so the lab checks it (a ``ParamsError`` at ``start``)."""

# ---------------------------------------------------------------------------------------------- race

Lr = Annotated[
    FiniteFloat, Field(gt=0, le=100, description="Learning rate (step size).", json_schema_extra={"x-log": True})
]
Momentum = Annotated[FiniteFloat, Field(ge=0, lt=1, description="Momentum μ: the fraction of the last step kept.")]
Eps = Annotated[FiniteFloat, Field(gt=0, le=1, description="ε added to the denominator (avoids ÷0).")]
Decay = Annotated[FiniteFloat, Field(ge=0, lt=1)]


class _Run(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SgdRun(_Run):
    """Plain gradient descent: p ← p − lr·g (torch.optim.SGD)."""

    optimizer: Literal["sgd"] = "sgd"
    lr: Lr = 1e-3


class MomentumRun(_Run):
    """Heavy ball: b ← μb + g, p ← p − lr·b (torch.optim.SGD(momentum=μ)). μ defaults to 0.9, not torch's
    0 (which would make it plain SGD; torch refuses Nesterov with 0)."""

    optimizer: Literal["momentum"] = "momentum"
    lr: Lr = 1e-3
    momentum: Momentum = 0.9


class NesterovRun(MomentumRun):
    """Nesterov: b ← μb + g, p ← p − lr·(g + μb) (torch.optim.SGD(momentum=μ, nesterov=True))."""

    # The discriminator narrows the parent's Literal["momentum"]: pydantic wants it, mypy calls it incompatible.
    optimizer: Literal["nesterov"] = "nesterov"  # type: ignore[assignment]


class AdagradRun(_Run):
    """AdaGrad: s ← s + g², p ← p − lr·g/(√s + ε) (torch.optim.Adagrad)."""

    optimizer: Literal["adagrad"] = "adagrad"
    lr: Lr = 1e-2
    eps: Eps = 1e-10


class RmspropRun(_Run):
    """RMSProp: v ← αv + (1−α)g², p ← p − lr·g/(√v + ε) (torch.optim.RMSprop)."""

    optimizer: Literal["rmsprop"] = "rmsprop"
    lr: Lr = 1e-2
    alpha: Decay = Field(0.99, description="Decay α of the running mean of g².")
    eps: Eps = 1e-8


class AdamRun(_Run):
    """Adam: first and second moments with bias correction (torch.optim.Adam)."""

    optimizer: Literal["adam"] = "adam"
    lr: Lr = 1e-3
    betas: tuple[Decay, Decay] = Field((0.9, 0.999), description="[β₁, β₂]: decay of the two moments.")
    eps: Eps = 1e-8


def _optimizer_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        name = v.get("optimizer")
        return name if isinstance(name, str) else None
    return getattr(v, "optimizer", None)


RunParam = Annotated[
    Annotated[SgdRun, Tag("sgd")]
    | Annotated[MomentumRun, Tag("momentum")]
    | Annotated[NesterovRun, Tag("nesterov")]
    | Annotated[AdagradRun, Tag("adagrad")]
    | Annotated[RmspropRun, Tag("rmsprop")]
    | Annotated[AdamRun, Tag("adam")],
    Discriminator(
        _optimizer_tag,
        custom_error_type="invalid_optimizer",
        custom_error_message="optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam",
    ),
]


def _default_runs() -> list[Any]:
    # Rates that make the default Rosenbrock race instructive: SGD crawls, momentum and Nesterov swing down
    # the valley, AdaGrad's steps shrink, RMSProp rattles, Adam gets close quickly.
    return [
        SgdRun(lr=1e-3),
        MomentumRun(lr=1e-3),
        NesterovRun(lr=1e-3),
        AdagradRun(lr=0.5),
        RmspropRun(lr=1e-2),
        AdamRun(lr=0.1),
    ]


_RUNS_EXAMPLE = [r.model_dump(mode="json") for r in _default_runs()]


class OptimizersParams(BaseModel):
    """Optimisers racing on a 2-D loss surface."""

    model_config = PARAMS_CONFIG | {"title": "Optimiser race params"}

    surface: SurfaceName = Field("rosenbrock", description="The loss surface f(x, y).")
    kappa: FiniteFloat = Field(
        10.0,
        ge=1,
        le=100,
        title="κ (quadratic)",
        description="Condition number of the quadratic bowl ½(x² + κy²).",
        json_schema_extra={"x-widget": "slider", "x-step": 1},
    )
    start: Annotated[list[FiniteFloat], Field(min_length=2, max_length=2)] | None = Field(
        None,
        description="Start [x, y]; empty = the surface's default start. Click the surface to set it.",
        json_schema_extra={"x-click": {"mode": "set"}},
    )
    steps: int = Field(
        500,
        ge=1,
        le=2000,
        description="Optimiser steps (frames are thinned above 120).",
        json_schema_extra={"x-widget": "slider", "x-step": 10},
    )
    gradient_noise: FiniteFloat = Field(
        0.0,
        ge=0,
        le=1000,
        description=("σ of seeded Gaussian noise added to each gradient: what stochastic gradients look like."),
        json_schema_extra={"x-widget": "slider", "x-step": 0.1, "x-max": 20},
    )
    runs: list[RunParam] = Field(
        default_factory=_default_runs,
        min_length=1,
        max_length=6,
        description=(
            "1–6 racers: {optimizer: sgd | momentum | nesterov | adagrad | rmsprop | adam, lr, and its "
            "own settings: momentum; alpha, eps; eps; betas, eps}. Omitted settings take the defaults."
        ),
        json_schema_extra={"default": _RUNS_EXAMPLE},
    )


# ---------------------------------------------------------------------------------------------- regression


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
    name: Literal["line"] = "line"

    def load(self) -> RegressionData:
        X, y = generators.line(self.n_samples, noise=self.noise, seed=self.seed)
        return RegressionData(X, y, ("x",), self.name)


class TwoScalesSpec(_RegressionSpec):
    """Two features on scales ~100× apart (x₁ in [0, 1], x₂ in [0, 100]): y = 3x₁ + 0.05x₂ + 2 + noise."""

    model_config = ConfigDict(title="Two features, scales 100× apart")
    name: Literal["two_scales"] = "two_scales"

    def load(self) -> RegressionData:
        X, y = generators.two_scales(self.n_samples, noise=self.noise, seed=self.seed)
        return RegressionData(X, y, ("x₁", "x₂"), self.name)


class InlineRegression(BaseModel):
    """Your own data: X rows of finite numbers (all the same length), y one finite float per row."""

    model_config = ConfigDict(extra="forbid", title="Inline data")
    X: list[Annotated[list[DataValue], Field(min_length=1, max_length=2)]] = Field(
        min_length=2, max_length=MAX_SAMPLES, description="Rows of 1 or 2 finite numbers, all the same length."
    )
    y: list[FiniteFloat] = Field(description="Finite targets, one per row of X.")

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
    | Annotated[InlineRegression, Tag("inline")],
    Discriminator(
        _regression_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be {'name': 'line' | 'two_scales', ...} or inline {'X', 'y'}",
    ),
]
REGRESSION_SPECS: dict[str, type[_RegressionSpec]] = {"line": LineSpec, "two_scales": TwoScalesSpec}
REGRESSION_ADAPTER: TypeAdapter[Any] = TypeAdapter(RegressionParam)


class GradientDescentParams(BaseModel):
    """Batch, mini-batch and stochastic gradient descent on least-squares linear regression."""

    model_config = PARAMS_CONFIG | {"title": "Gradient descent params"}

    dataset: RegressionParam = Field(
        default_factory=LineSpec,
        title="Dataset",
        description="A regression generator ({'name': 'line' | 'two_scales', ...}) or inline {'X', 'y'} (float y).",
        json_schema_extra={
            "default": LineSpec().model_dump(mode="json"),
            "x-widget": "dataset",
            "x-datasets": catalog_entries(REGRESSION_SPECS.values()),
        },
    )
    variants: list[Literal["batch", "mini-batch", "stochastic"]] = Field(
        ["batch", "mini-batch", "stochastic"],
        min_length=1,
        max_length=3,
        description="Which variants run side by side from the same start (w = 0, b = 0).",
    )
    batch_size: int = Field(
        16,
        ge=1,
        le=MAX_SAMPLES,
        description=("Rows per update of mini-batch GD (more than the data has = all of them, the same as batch)."),
        json_schema_extra={"x-widget": "slider", "x-max": 128},
    )
    lr: FiniteFloat = Field(0.05, gt=0, le=10, description="Initial learning rate.", json_schema_extra={"x-log": True})
    schedule: Literal["constant", "step", "inverse-time", "exponential"] = Field(
        "constant",
        description=(
            "Learning-rate decay per epoch e: constant lr; step lr·drop^⌊e/step_every⌋; "
            "inverse-time lr/(1 + decay_rate·e); exponential lr·exp(−decay_rate·e)."
        ),
    )
    decay_rate: FiniteFloat = Field(0.1, ge=0, le=10, description="Rate of the inverse-time / exponential schedules.")
    drop: FiniteFloat = Field(0.5, gt=0, le=1, description="Factor of the step schedule.")
    step_every: int = Field(10, ge=1, le=1000, description="Epochs between drops of the step schedule.")
    epochs: int = Field(
        30,
        ge=1,
        le=20_000,
        description=(
            "Passes over the data (up to 20,000: ill-conditioned data needs many; frames are thinned to 150)."
        ),
        json_schema_extra={"x-widget": "slider", "x-max": 2000},
    )
    scaling: Literal["none", "minmax", "standardize"] = Field(
        "none", description="Feature scaling before training: none, min–max to [0, 1], or zero mean / unit variance."
    )

    @field_validator("variants")
    @classmethod
    def _distinct(cls, variants: list[str]) -> list[str]:
        if len(set(variants)) != len(variants):
            raise ValueError("list each variant at most once")
        return variants
