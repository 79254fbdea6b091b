"""Frames and result of the softmax lab: `logits`, `exp`, `normalise`, `stability`, `loss`, `log-softmax`,
`gradient`, `temperature`, `step` × (≤ 50), `done`.

Shapes: K classes. Every frame carries the whole computation at its logits (`SoftmaxState`); `logits`, `exp`,
`normalise` and `stability` add the naive softmax as float64 computes it (`naive`: `null` where it gave
infinity or not a number), `temperature` adds the same logits at five temperatures.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class LinearModel(Wire):
    """The small model of the "from a small model" source: logits z = W·x + b of one iris flower."""

    features: Vector = Field(description="(d,) x: the flower's 4 measurements, standardised over the 150 flowers.")
    weights: Matrix = Field(description="(K, d) W at this frame (random from the seed at the start).")
    bias: Vector = Field(description="(K,) b at this frame (0 at the start).")
    grad_weights: Matrix = Field(description="(K, d) ∂loss/∂W = outer(∂loss/∂z, x); ∂loss/∂b = ∂loss/∂z = grad.")


class SoftmaxState(Wire):
    """softmax(z / T) with every intermediate, the loss and its gradient, at this frame's logits."""

    class_names: list[str] = Field(description="(K,) the classes' names, in order.")
    target: int = Field(ge=0, description="Index of the true class.")
    temperature: float = Field(gt=0, description="T: the logits are divided by it before the softmax.")
    step: int = Field(ge=0, description="Gradient steps taken so far (0 during the explanation).")
    logits: Vector = Field(description="(K,) z, the raw scores.")
    scaled: Vector = Field(description="(K,) z / T.")
    shift: float = Field(description="m = max(z / T), subtracted before exponentiating (numerical stability).")
    exp: Vector = Field(description="(K,) e^(z/T − m): each in (0, 1], the largest exactly 1.")
    exp_sum: float = Field(ge=1, description="Σ e^(z/T − m).")
    probabilities: Vector = Field(description="(K,) p = softmax(z / T), summing to 1.")
    log_probs: Vector = Field(description="(K,) log-softmax(z / T) = z/T − m − log Σ e^(z/T − m).")
    loss: float = Field(ge=0, description="Cross-entropy = NLL = −log_probs[target].")
    p_target: float = Field(ge=0, le=1, description="p[target].")
    grad: Vector = Field(description="(K,) ∂loss/∂z = (p − onehot(target)) / T; sums to 0.")
    model: LinearModel | MISSING = Field(MISSING, description="Only with logits from the small model: W, b and x.")


class NaiveSoftmax(Wire):
    """softmax without subtracting the max, as float64 computes it."""

    exp: list[float | None] = Field(description="(K,) e^(z/T); null where it overflowed to infinity.")
    exp_sum: float | None = Field(description="Σ e^(z/T); null when it is infinity.")
    probabilities: list[float | None] = Field(description="(K,) e^(z/T) / Σ; null where not a number (∞/∞, 0/0).")
    problem: Literal["none", "overflow", "underflow"] = Field(
        description="none: every naive p is a number; overflow: an exp or the sum is infinity; underflow: every "
        "exp rounded to 0."
    )


class NaiveState(SoftmaxState):
    naive: NaiveSoftmax = Field(description="The naive (unshifted) softmax of the same logits.")


class TemperatureState(SoftmaxState):
    temperatures: Vector = Field(description="(5,) T × [0.25, 0.5, 1, 2, 4].")
    probabilities_by_temperature: Matrix = Field(description="(5, K) softmax(z / T') at each of those T'.")


class SoftmaxMetrics(Wire):
    loss: float = Field(ge=0, description="Cross-entropy at this frame's logits.")
    target_probability: float = Field(ge=0, le=1, description="p[target].")


class _Plain(FrameBase):
    state: SoftmaxState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class LogitsFrame(FrameBase):
    kind: Literal["logits"] = Field(description="logits: the raw scores, the target and the temperature.")
    state: NaiveState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class ExpFrame(FrameBase):
    kind: Literal["exp"] = Field(description="exp: e^(z/T) of every logit (or e^(z/T − m) when it fails).")
    state: NaiveState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class NormaliseFrame(FrameBase):
    kind: Literal["normalise"] = Field(description="normalise: the exps divided by their sum, the probabilities.")
    state: NaiveState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class StabilityFrame(FrameBase):
    kind: Literal["stability"] = Field(description="stability: subtracting max(z/T) changes no probability.")
    state: NaiveState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class LossFrame(_Plain):
    kind: Literal["loss"] = Field(description="loss: −log p[target].")


class LogSoftmaxFrame(_Plain):
    kind: Literal["log-softmax"] = Field(description="log-softmax: log p in one stable step, then NLL.")


class GradientFrame(_Plain):
    kind: Literal["gradient"] = Field(description="gradient: (p − onehot(target)) / T per class.")


class TemperatureFrame(FrameBase):
    kind: Literal["temperature"] = Field(description="temperature: the same logits at five temperatures.")
    state: TemperatureState = Field(description=STATE)
    metrics: SoftmaxMetrics = Field(description=METRICS)


class StepFrame(_Plain):
    kind: Literal["step"] = Field(description="step: after one gradient step (or a few) on the logits.")


class DoneFrame(_Plain):
    kind: Literal["done"] = Field(description="done: the logits after the last step.")


class SoftmaxDone(Wire):
    steps: int = Field(ge=0, description="Gradient steps taken.")
    initial_loss: float = Field(ge=0, description="The loss at the given logits.")
    final_loss: float = Field(ge=0, description="The loss after the last step.")
    losses: Vector = Field(description="(steps + 1,) the loss before any step and after each.")
    final_logits: Vector = Field(description="(K,) the logits after the last step.")
    final_probabilities: Vector = Field(description="(K,) their probabilities.")


class SoftmaxFrame(
    RootModel[
        Annotated[
            LogitsFrame
            | ExpFrame
            | NormaliseFrame
            | StabilityFrame
            | LossFrame
            | LogSoftmaxFrame
            | GradientFrame
            | TemperatureFrame
            | StepFrame
            | DoneFrame
            | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a softmax run."""


class SoftmaxResult(RootModel[SoftmaxDone | ServiceDivergedResult]):
    """The result of a softmax run."""
