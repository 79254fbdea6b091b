"""Frames and result of the bias–variance lab: `data` (the truth and the draw), one `complexity` frame per model
complexity (simplest first), `summary` (the sweet spot).

Shapes: `C` complexities in the sweep (degrees 0.., depths 1.., or k from large to small). Every error is a mean
over the run's test x (the same x for every training set) of squared errors, in y's units squared.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

COMPLEXITIES = (
    "(C,) the sweep, simplest model first: polynomial degrees 0, 1, …; tree depths 1, 2, …; k-NN's k from the "
    "largest down to 1."
)
COMPLEXITY = "This frame's degree (polynomial), depth (tree) or k (k-NN)."
BIAS2 = "Mean over the test x of (f̄(x) − f(x))²: f̄ the mean of the fits to every training set, f the truth."
VARIANCE = "Mean over the test x of the fits' spread around their mean: mean over sets of (f̂(x) − f̄(x))²."
NOISE = "σ², the variance of the noise on every target: the error no model can avoid."
TEST_MSE = (
    "The measured expected test error: mean over sets and test x of (y − f̂(x))², each set's fit scored on the "
    "test x with fresh noise."
)
TEST_MSE_SE = (
    "Standard error of test_mse − (bias2 + variance + noise): the sample standard deviation of the squared errors' "
    "noise part (y − f̂)² − (f − f̂)², over √(sets × test points)."
)
TRAIN_MSE = (
    "Mean over sets of each fit's MSE on its own training points (it falls with complexity; it cannot see variance)."
)
TRUTH = "The true function: `sine`, `cubic` or `step`."
N_FITS = "Models fitted in the run: training sets × complexities."


class DataState(Wire):
    truth: Literal["sine", "cubic", "step"] = Field(description=TRUTH)
    noise: float = Field(ge=0, description="σ, the noise's standard deviation.")
    n_points: int = Field(ge=1, description="Points per training set.")
    n_datasets: int = Field(ge=2, description="Training sets drawn.")
    n_test: int = Field(ge=1, description="Test x shared by every set.")
    complexities: Indices = Field(description=COMPLEXITIES)
    n_fits: int = Field(ge=1, description=N_FITS)


class ComplexityState(Wire):
    step: int = Field(ge=0, description="Position of this complexity in the sweep, from 0.")
    complexity: int = Field(ge=0, description=COMPLEXITY)
    bias2: float = Field(ge=0, description=BIAS2)
    variance: float = Field(ge=0, description=VARIANCE)
    noise: float = Field(ge=0, description=NOISE)
    total: float = Field(ge=0, description="bias2 + variance + noise: the expected test error in theory.")
    test_mse: float = Field(ge=0, description=TEST_MSE)
    test_mse_se: float = Field(ge=0, description=TEST_MSE_SE)
    train_mse: float = Field(ge=0, description=TRAIN_MSE)
    huge: bool = Field(
        description="The variance is over 10 × (noise + bias²): the fits swing far off the picture, which is clipped."
    )


class ComplexityMetrics(Wire):
    bias2: float = Field(description=BIAS2)
    variance: float = Field(description=VARIANCE)
    test_mse: float = Field(description=TEST_MSE)
    train_mse: float = Field(description=TRAIN_MSE)


class _PerComplexity(Wire):
    bias2: Vector = Field(description="(C,) " + BIAS2)
    variance: Vector = Field(description="(C,) " + VARIANCE)
    noise: Vector = Field(description="(C,) " + NOISE + " (the same at every complexity)")
    test_mse: Vector = Field(description="(C,) " + TEST_MSE)


class SummaryState(_PerComplexity):
    complexities: Indices = Field(description=COMPLEXITIES)
    test_mse_se: Vector = Field(description="(C,) " + TEST_MSE_SE)
    best_complexity: int = Field(ge=0, description="The sweet spot: the complexity with the lowest test_mse.")
    best_index: int = Field(ge=0, description="Its position in `complexities`.")


class DataFrame(FrameBase):
    """Frame 0, `data`: the truth, the noise and training set 1, before any fit."""

    kind: Literal["data"] = Field(description="`data`: what is drawn.")
    state: DataState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class ComplexityFrame(FrameBase):
    """One `complexity`: the model fitted to every training set at this degree / depth / k, and its error's parts."""

    kind: Literal["complexity"] = Field(description="`complexity`: one model complexity.")
    state: ComplexityState = Field(description=STATE)
    metrics: ComplexityMetrics = Field(description=METRICS)


class SummaryFrame(FrameBase):
    """The last frame, `summary`: every complexity's parts and the sweet spot."""

    kind: Literal["summary"] = Field(description="`summary`: the U-shaped curves and the sweet spot.")
    state: SummaryState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class Sweep(_PerComplexity):
    """The decomposition at every complexity."""

    model: Literal["polynomial", "tree", "knn"] = Field(description="The model family swept.")
    truth: Literal["sine", "cubic", "step"] = Field(description=TRUTH)
    complexity: Indices = Field(description=COMPLEXITIES)
    test_mse_se: Vector = Field(description="(C,) " + TEST_MSE_SE)
    train_mse: Vector = Field(description="(C,) " + TRAIN_MSE)
    best_complexity: int = Field(ge=0, description="The sweet spot: the complexity with the lowest test_mse.")
    n_fits: int = Field(ge=1, description=N_FITS)


class BiasVarianceFrame(
    RootModel[Annotated[DataFrame | ComplexityFrame | SummaryFrame | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a bias–variance run."""


class BiasVarianceResult(RootModel[Sweep | ServiceDivergedResult]):
    """The result of a bias–variance run."""
