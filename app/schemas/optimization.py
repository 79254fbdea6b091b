"""Params of the optimisation labs: the optimiser race and gradient descent on regression data."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator
from pydantic.config import JsonDict

from app.schemas.common import OPTIMIZER_LABELS, FiniteFloat, form
from app.schemas.fields import MAX_SAMPLES
from app.schemas.regression import REGRESSION_SPECS, LineSpec, RegressionParam
from app.schemas.spec import catalog_entries

SurfaceName = Literal["quadratic", "rosenbrock", "himmelblau", "beale", "saddle", "rastrigin", "six-hump-camel"]
SURFACE_NAMES: tuple[str, ...] = get_args(SurfaceName)
"""The loss surfaces the race offers, in the engine's order. The params contract owns the names; the
surfaces themselves (formula, box, start) are the engine's ``SURFACES``, kept in step by a test. A start
outside the surface's box needs the surface to see, so the lab checks it (a ``ParamsError`` at ``start``)."""

SURFACES_WITH_KAPPA = ("quadratic",)
"""The surfaces whose formula uses κ (the others ignore it, so the form hides it there)."""
SURFACE_LABELS: JsonDict = {
    "quadratic": "Quadratic bowl",
    "rosenbrock": "Rosenbrock valley",
    "himmelblau": "Himmelblau (4 minima)",
    "beale": "Beale",
    "saddle": "Saddle",
    "rastrigin": "Rastrigin (many bumps)",
    "six-hump-camel": "Six-hump camel",
}
# ---------------------------------------------------------------------------------------------- race

Lr = Annotated[
    FiniteFloat,
    Field(
        gt=0,
        le=100,
        title="Learning rate (η)",
        description="How far each step moves against the gradient.",
        json_schema_extra={"x-log": True},
    ),
]
Momentum = Annotated[
    FiniteFloat,
    Field(ge=0, lt=1, title="Momentum (μ)", description="The fraction of the last step kept in the next one."),
]
Eps = Annotated[
    FiniteFloat,
    Field(gt=0, le=1, title="Stability term (ε)", description="Added to the denominator so it is never 0."),
]
Decay = Annotated[FiniteFloat, Field(ge=0, lt=1)]


class _Run(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _optimizer(name: str) -> Any:
    """The discriminator field of a racer: which torch.optim optimiser it is."""
    return Field(
        name,
        title="Optimiser",
        description="Which optimiser this racer is.",
        json_schema_extra={"x-labels": {name: OPTIMIZER_LABELS[name]}},
    )


class SgdRun(_Run):
    """Plain gradient descent: p ← p − lr·g (torch.optim.SGD)."""

    optimizer: Literal["sgd"] = _optimizer("sgd")
    lr: Lr = 1e-3


class MomentumRun(_Run):
    """Heavy ball: b ← μb + g, p ← p − lr·b (torch.optim.SGD(momentum=μ)). μ defaults to 0.9, not torch's
    0 (which would make it plain SGD; torch refuses Nesterov with 0)."""

    optimizer: Literal["momentum"] = _optimizer("momentum")
    lr: Lr = 1e-3
    momentum: Momentum = 0.9


class NesterovRun(MomentumRun):
    """Nesterov: b ← μb + g, p ← p − lr·(g + μb) (torch.optim.SGD(momentum=μ, nesterov=True))."""

    # The discriminator narrows the parent's Literal["momentum"]: pydantic wants it, mypy calls it incompatible.
    optimizer: Literal["nesterov"] = _optimizer("nesterov")  # type: ignore[assignment]


class AdagradRun(_Run):
    """AdaGrad: s ← s + g², p ← p − lr·g/(√s + ε) (torch.optim.Adagrad)."""

    optimizer: Literal["adagrad"] = _optimizer("adagrad")
    lr: Lr = 1e-2
    eps: Eps = 1e-10


class RmspropRun(_Run):
    """RMSProp: v ← αv + (1−α)g², p ← p − lr·g/(√v + ε) (torch.optim.RMSprop)."""

    optimizer: Literal["rmsprop"] = _optimizer("rmsprop")
    lr: Lr = 1e-2
    alpha: Decay = Field(0.99, title="Decay (α)", description="How slowly the running mean of g² forgets.")
    eps: Eps = 1e-8


class AdamRun(_Run):
    """Adam: first and second moments with bias correction (torch.optim.Adam)."""

    optimizer: Literal["adam"] = _optimizer("adam")
    lr: Lr = 1e-3
    betas: tuple[Decay, Decay] = Field(
        (0.9, 0.999),
        title="Moment decays (β₁, β₂)",
        description="How slowly the running means of the gradient and of its square forget.",
    )
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

    model_config = form(
        "Optimiser race params",
        {"data": ("surface", "kappa"), "training": ("runs", "start", "steps", "gradient_noise")},
        visible_when={"kappa": {"surface": list(SURFACES_WITH_KAPPA)}},
    )

    surface: SurfaceName = Field(
        "rosenbrock",
        title="Loss surface",
        description="The function f(x, y) the optimisers race down.",
        json_schema_extra={"x-labels": SURFACE_LABELS},
    )
    kappa: FiniteFloat = Field(
        10.0,
        ge=1,
        le=100,
        title="Condition number (κ)",
        description="How much steeper the quadratic bowl ½(x² + κy²) is along y than along x.",
        json_schema_extra={"x-widget": "slider", "x-step": 1},
    )
    start: Annotated[list[FiniteFloat], Field(min_length=2, max_length=2)] | None = Field(
        None,
        title="Start point",
        description="Where every racer starts, [x, y]; empty = the surface's own start. Click the surface to set it.",
        json_schema_extra={"x-click": {"mode": "set"}},
    )
    steps: int = Field(
        500,
        ge=1,
        le=2000,
        title="Steps",
        description="Optimiser steps each racer takes (frames are thinned above 120).",
        json_schema_extra={"x-widget": "slider", "x-step": 10},
    )
    gradient_noise: FiniteFloat = Field(
        0.0,
        ge=0,
        le=1000,
        title="Gradient noise (σ)",
        description="Seeded Gaussian noise added to each gradient: what stochastic gradients look like.",
        json_schema_extra={"x-widget": "slider", "x-step": 0.1, "x-max": 20},
    )
    runs: list[RunParam] = Field(
        default_factory=_default_runs,
        min_length=1,
        max_length=6,
        title="Racers",
        description="1–6 optimisers, each with its learning rate and own settings (omitted ones take defaults).",
        json_schema_extra={"default": _RUNS_EXAMPLE},
    )


# ---------------------------------------------------------------------------------------------- regression
# (its datasets are in app.schemas.regression)


class GradientDescentParams(BaseModel):
    """Batch, mini-batch and stochastic gradient descent on least-squares linear regression."""

    model_config = form(
        "Gradient descent params",
        {
            "data": ("dataset", "scaling"),
            "training": ("variants", "batch_size", "lr", "schedule", "decay_rate", "drop", "step_every", "epochs"),
        },
        visible_when={
            "decay_rate": {"schedule": ["inverse-time", "exponential"]},
            "drop": {"schedule": ["step"]},
            "step_every": {"schedule": ["step"]},
        },
    )

    dataset: RegressionParam = Field(
        default_factory=LineSpec,
        title="Dataset",
        description="Points to fit a line (or plane) through: a generated set, or your own rows each with a number y.",
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
        title="Variants",
        description="Which variants run side by side from the same start (w = 0, b = 0).",
        json_schema_extra={
            "x-labels": {"batch": "Batch (all rows)", "mini-batch": "Mini-batch", "stochastic": "Stochastic (one row)"}
        },
    )
    batch_size: int = Field(
        16,
        ge=1,
        le=MAX_SAMPLES,
        title="Batch size",
        description="Rows per update of mini-batch descent; more than the data has means all of them (as batch).",
        json_schema_extra={"x-widget": "slider", "x-max": 128},
    )
    lr: FiniteFloat = Field(
        0.05,
        gt=0,
        le=10,
        title="Learning rate (η)",
        description="The step size at the start (a schedule may shrink it).",
        json_schema_extra={"x-log": True},
    )
    schedule: Literal["constant", "step", "inverse-time", "exponential"] = Field(
        "constant",
        title="Learning-rate schedule",
        description="How η shrinks with epoch e: not at all, η·drop^⌊e/every⌋, η/(1 + rate·e) or η·exp(−rate·e).",
        json_schema_extra={
            "x-labels": {
                "constant": "Constant",
                "step": "Step drops",
                "inverse-time": "Inverse time",
                "exponential": "Exponential",
            }
        },
    )
    decay_rate: FiniteFloat = Field(
        0.1, ge=0, le=10, title="Decay rate", description="How fast the inverse-time or exponential schedule shrinks η."
    )
    drop: FiniteFloat = Field(
        0.5, gt=0, le=1, title="Drop factor", description="What η is multiplied by at each drop of the step schedule."
    )
    step_every: int = Field(
        10, ge=1, le=1000, title="Epochs between drops", description="How often the step schedule drops η."
    )
    epochs: int = Field(
        30,
        ge=1,
        le=20_000,
        title="Epochs",
        description="Passes over the data (ill-conditioned data needs many; frames are thinned to 150).",
        json_schema_extra={"x-widget": "slider", "x-max": 2000},
    )
    scaling: Literal["none", "minmax", "standardize"] = Field(
        "none",
        title="Feature scaling",
        description="Rescale the features before training: not at all, min–max to [0, 1], or to mean 0 and "
        "standard deviation 1.",
        json_schema_extra={
            "x-labels": {"none": "None", "minmax": "Min–max to [0, 1]", "standardize": "Standardise (z-score)"}
        },
    )

    @field_validator("variants")
    @classmethod
    def _distinct(cls, variants: list[str]) -> list[str]:
        if len(set(variants)) != len(variants):
            raise ValueError("list each variant at most once")
        return variants
