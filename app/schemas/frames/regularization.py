"""Frames and result of the regularization lab.

``path`` mode: `data`, one `alpha` frame per α (strong to weak), `summary`. ``weight_decay`` mode: `start`, one
`step` frame per shown gradient step, `end`. Shapes: `d` features (the degree: u¹..u^d of u = 2x − 1, standardised
on the training points), `A` values of α, `S` shown steps. Errors are mean squared errors in y's units squared;
the objective is 1/(2m)·RSS + α·(r·‖w‖₁ + (1 − r)/2·‖w‖²₂), m training points, the intercept unpenalised.
The classification task (``path`` only): `class_data`, one `class_alpha` per α, `class_summary`; the data term is
the mean log-loss, the features the standardised polynomial features of (x₁, x₂).
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

Penalty = Literal["l1", "l2", "elasticnet"]
COEFFICIENTS = "(d,) the coefficients of the standardised features u¹..u^d at this α."
TRAIN = "Mean squared error on the training points."
VALIDATION = "Mean squared error on the validation points (never fitted)."
NONZERO = "How many coefficients are not exactly zero."
ALPHAS = "(A,) the α grid, strongest first, evenly spaced on a log scale."
L1_SHARE = "r, the penalty's L1 share: 1 for L1, 0 for L2, the L1 share for elastic net."
INTERCEPT = "The unpenalised intercept: the training mean of y (the features are centred)."


class DataState(Wire):
    n_train: int = Field(ge=1, description="Training points.")
    n_validation: int = Field(ge=1, description="Validation points.")
    degree: int = Field(ge=1, description="d, the number of polynomial features.")
    penalty: Penalty = Field(description="`l1`, `l2` or `elasticnet`.")
    l1_ratio: float = Field(ge=0, le=1, description=L1_SHARE)
    alphas: Vector = Field(description=ALPHAS)


class AlphaState(Wire):
    step: int = Field(ge=0, description="Position of this α in the grid, from 0.")
    alpha: float = Field(gt=0, description="This frame's penalty strength.")
    coefficients: Vector = Field(description=COEFFICIENTS)
    intercept: float = Field(description=INTERCEPT)
    train_mse: float = Field(ge=0, description=TRAIN)
    validation_mse: float = Field(ge=0, description=VALIDATION)
    n_nonzero: int = Field(ge=0, description=NONZERO)
    entered: Indices = Field(description="Features (0-based: 0 is u¹) whose coefficient left zero at this α.")
    left: Indices = Field(description="Features whose coefficient became exactly zero at this α.")
    sub_weights: Vector = Field(description="(2,) the optimum of the same penalty on features u¹ and u² only.")
    sub_penalty: float = Field(
        ge=0, description="r·‖w‖₁ + (1 − r)/2·‖w‖²₂ of `sub_weights`: the size of the region it touches."
    )


class AlphaMetrics(Wire):
    train_mse: float = Field(description=TRAIN)
    validation_mse: float = Field(description=VALIDATION)
    n_nonzero: float = Field(description=NONZERO)


class SummaryState(Wire):
    best_alpha: float = Field(gt=0, description="The α with the lowest validation MSE.")
    best_index: int = Field(ge=0, description="Its position in `alphas`.")
    alphas: Vector = Field(description=ALPHAS)
    train_mse: Vector = Field(description="(A,) " + TRAIN)
    validation_mse: Vector = Field(description="(A,) " + VALIDATION)
    n_nonzero: Indices = Field(description="(A,) " + NONZERO)


class StartState(Wire):
    learning_rate: float = Field(gt=0, description="Gradient descent's step size.")
    weight_decay: float = Field(ge=0, description="λ: each step first multiplies the weights by 1 − lr·λ.")
    n_steps: int = Field(ge=1, description="Gradient steps in the run.")
    shown_steps: Indices = Field(description="(S,) the steps shown as frames.")
    ridge_weights: Vector = Field(description="(d,) the L2 fit at α = λ, where weight decay converges to.")


class StepState(Wire):
    step: int = Field(ge=1, description="Gradient steps taken so far.")
    weights: Vector = Field(description="(d,) the weights after this step.")
    before: Vector = Field(description="(d,) the weights before it.")
    shrunk: Vector = Field(
        description="(d,) (1 − lr·λ)·before: the weights after the shrink, before the gradient step."
    )
    train_loss: float = Field(ge=0, description="The data loss 1/(2m)·RSS on the training points after the step.")
    penalty: float = Field(ge=0, description="λ/2·‖w‖²: the L2 penalty weight decay implies.")
    validation_mse: float = Field(ge=0, description=VALIDATION)
    shrink_size: float = Field(ge=0, description="‖before − shrunk‖ = lr·λ·‖before‖: how far the shrink moved.")
    gradient_size: float = Field(ge=0, description="‖weights − shrunk‖ = lr·‖∇L‖: how far the gradient step moved.")


class StepMetrics(Wire):
    train_loss: float = Field(description="The data loss 1/(2m)·RSS.")
    validation_mse: float = Field(description=VALIDATION)


class EndState(Wire):
    steps: Indices = Field(description="(S,) the shown steps.")
    train_loss: Vector = Field(description="(S,) the data loss after each.")
    validation_mse: Vector = Field(description="(S,) " + VALIDATION)
    ridge_distance: float = Field(ge=0, description="‖w − w_ridge(α = λ)‖ after the last step.")


LOSS = "Mean log-loss (natural log) on the {} points."
ACCURACY = "Share of the {} points on the right side of P = 0.5."


class ClassDataState(Wire):
    n_train: int = Field(ge=1, description="Training points.")
    n_validation: int = Field(ge=1, description="Validation points (a stratified split).")
    degree: int = Field(ge=1, description="The polynomial degree of (x₁, x₂).")
    feature_names: list[str] = Field(description="(d,) the features, e.g. `x₁²·x₂`, in the coefficients' order.")
    classes: list[str] = Field(min_length=2, max_length=2, description="The two class names (class 0, class 1).")
    penalty: Penalty = Field(description="`l1`, `l2` or `elasticnet`.")
    l1_ratio: float = Field(ge=0, le=1, description=L1_SHARE)
    alphas: Vector = Field(description=ALPHAS)
    l1_alpha_max: float = Field(
        ge=0, description="max|Zᵀ(y − ȳ)|/m: above it ÷ r, an L1 or elastic-net penalty sets every coefficient to 0."
    )


class ClassAlphaState(Wire):
    step: int = Field(ge=0, description="Position of this α in the grid, from 0.")
    alpha: float = Field(gt=0, description="This frame's penalty strength (C = 1/(m·α) in scikit-learn's terms).")
    coefficients: Vector = Field(description="(d,) the coefficients of the standardised features at this α.")
    intercept: float = Field(description="The unpenalised intercept (log-odds at the features' means).")
    train_log_loss: float = Field(ge=0, description=LOSS.format("training"))
    validation_log_loss: float = Field(ge=0, description=LOSS.format("validation"))
    train_accuracy: float = Field(ge=0, le=1, description=ACCURACY.format("training"))
    validation_accuracy: float = Field(ge=0, le=1, description=ACCURACY.format("validation"))
    n_nonzero: int = Field(ge=0, description=NONZERO)
    entered: Indices = Field(description="Features (0-based, as in `feature_names`) that left zero at this α.")
    left: Indices = Field(description="Features whose coefficient became exactly zero at this α.")


class ClassAlphaMetrics(Wire):
    train_log_loss: float = Field(description=LOSS.format("training"))
    validation_log_loss: float = Field(description=LOSS.format("validation"))
    train_accuracy: float = Field(description=ACCURACY.format("training"))
    validation_accuracy: float = Field(description=ACCURACY.format("validation"))
    n_nonzero: float = Field(description=NONZERO)


class ClassSummaryState(Wire):
    best_alpha: float = Field(gt=0, description="The α with the lowest validation log-loss.")
    best_index: int = Field(ge=0, description="Its position in `alphas`.")
    alphas: Vector = Field(description=ALPHAS)
    train_log_loss: Vector = Field(description="(A,) " + LOSS.format("training"))
    validation_log_loss: Vector = Field(description="(A,) " + LOSS.format("validation"))
    train_accuracy: Vector = Field(description="(A,) " + ACCURACY.format("training"))
    validation_accuracy: Vector = Field(description="(A,) " + ACCURACY.format("validation"))
    n_nonzero: Indices = Field(description="(A,) " + NONZERO)


def _frame(kind: str, what: str) -> str:
    return f"`{kind}`: {what}"


class DataFrame(FrameBase):
    """`data`: the points and the features, before any fit."""

    kind: Literal["data"] = Field(description=_frame("data", "the points and the standardised features."))
    state: DataState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class AlphaFrame(FrameBase):
    """One `alpha`: the penalised fit at one α."""

    kind: Literal["alpha"] = Field(description=_frame("alpha", "the fit at one penalty strength."))
    state: AlphaState = Field(description=STATE)
    metrics: AlphaMetrics = Field(description=METRICS)


class SummaryFrame(FrameBase):
    """`summary`: the best α by validation error."""

    kind: Literal["summary"] = Field(description=_frame("summary", "the U-shaped validation error, the best α."))
    state: SummaryState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class StartFrame(FrameBase):
    """`start`: weight decay's run before the first step (all weights 0)."""

    kind: Literal["start"] = Field(description=_frame("start", "all weights 0."))
    state: StartState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class StepFrame(FrameBase):
    """One `step`: a shrink by 1 − lr·λ, then a gradient step."""

    kind: Literal["step"] = Field(description=_frame("step", "shrink, then step down the gradient."))
    state: StepState = Field(description=STATE)
    metrics: StepMetrics = Field(description=METRICS)


class EndFrame(FrameBase):
    """`end`: the losses over the steps, and how close the weights came to the ridge fit."""

    kind: Literal["end"] = Field(description=_frame("end", "the run's losses and the ridge fit it heads for."))
    state: EndState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class ClassDataFrame(FrameBase):
    """`class_data`: the two classes and the features, before any fit."""

    kind: Literal["class_data"] = Field(description=_frame("class_data", "the classes, the features, the α grid."))
    state: ClassDataState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class ClassAlphaFrame(FrameBase):
    """One `class_alpha`: the penalised logistic regression at one α."""

    kind: Literal["class_alpha"] = Field(description=_frame("class_alpha", "the classifier at one penalty strength."))
    state: ClassAlphaState = Field(description=STATE)
    metrics: ClassAlphaMetrics = Field(description=METRICS)


class ClassSummaryFrame(FrameBase):
    """`class_summary`: the best α by validation log-loss."""

    kind: Literal["class_summary"] = Field(description=_frame("class_summary", "the best α by validation log-loss."))
    state: ClassSummaryState = Field(description=STATE)
    metrics: NoMetrics = Field(description="Empty.")


class ClassPathResult(Wire):
    """The regularization path of the classification task."""

    mode: Literal["path"] = Field(description="`path`: α swept from strong to weak.")
    task: Literal["classification"] = Field(description="`classification`: penalised logistic regression.")
    penalty: Penalty = Field(description="`l1`, `l2` or `elasticnet`.")
    l1_ratio: float = Field(ge=0, le=1, description=L1_SHARE)
    alphas: Vector = Field(description=ALPHAS)
    feature_names: list[str] = Field(description="(d,) the features in the coefficients' order.")
    coefficients: Matrix = Field(description="(A, d) the coefficients at every α.")
    intercepts: Vector = Field(description="(A,) the intercept at every α.")
    train_log_loss: Vector = Field(description="(A,) " + LOSS.format("training"))
    validation_log_loss: Vector = Field(description="(A,) " + LOSS.format("validation"))
    train_accuracy: Vector = Field(description="(A,) " + ACCURACY.format("training"))
    validation_accuracy: Vector = Field(description="(A,) " + ACCURACY.format("validation"))
    n_nonzero: Indices = Field(description="(A,) " + NONZERO)
    best_alpha: float = Field(gt=0, description="The α with the lowest validation log-loss.")


class PathResult(Wire):
    """The regularization path."""

    mode: Literal["path"] = Field(description="`path`: α swept from strong to weak.")
    penalty: Penalty = Field(description="`l1`, `l2` or `elasticnet`.")
    l1_ratio: float = Field(ge=0, le=1, description=L1_SHARE)
    alphas: Vector = Field(description=ALPHAS)
    coefficients: Matrix = Field(description="(A, d) the coefficients at every α.")
    intercept: float = Field(description=INTERCEPT)
    train_mse: Vector = Field(description="(A,) " + TRAIN)
    validation_mse: Vector = Field(description="(A,) " + VALIDATION)
    n_nonzero: Indices = Field(description="(A,) " + NONZERO)
    best_alpha: float = Field(gt=0, description="The α with the lowest validation MSE.")


class DecayResult(Wire):
    """Gradient descent with weight decay."""

    mode: Literal["weight_decay"] = Field(description="`weight_decay`: gradient descent with weight decay.")
    learning_rate: float = Field(gt=0, description="The step size.")
    weight_decay: float = Field(ge=0, description="λ.")
    intercept: float = Field(description=INTERCEPT)
    steps: Indices = Field(description="(S,) the shown steps.")
    weights: Matrix = Field(description="(S, d) the weights after each shown step.")
    train_loss: Vector = Field(description="(S,) the data loss 1/(2m)·RSS after each.")
    validation_mse: Vector = Field(description="(S,) " + VALIDATION)
    ridge_weights: Vector = Field(description="(d,) the L2 fit at α = λ.")


class RegularizationFrame(
    RootModel[
        Annotated[
            DataFrame
            | AlphaFrame
            | SummaryFrame
            | StartFrame
            | StepFrame
            | EndFrame
            | ClassDataFrame
            | ClassAlphaFrame
            | ClassSummaryFrame
            | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a regularization run."""


class RegularizationResult(RootModel[PathResult | ClassPathResult | DecayResult | ServiceDivergedResult]):
    """The result of a regularization run."""
