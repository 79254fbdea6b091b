"""Frames and results of the bagging lab (the random forest's: ``forest.py``).

Shapes: `n` points (rows of the dataset), `t` of them training rows (`train_indices`, sorted); `K` classes; the
boundary grid is `g × g` (`grid_size`). Row indices in `samples` are rows of the dataset, like `train_indices`:
scikit-learn's `estimators_samples_[i]` (positions among the training rows) is `samples[i]` mapped back, so
`samples[i] = train_indices[estimators_samples_[i]]`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames import ensemble
from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    IntMatrix,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)
from app.schemas.frames.boundary import Grid, ScoreMetrics, Scores

SAMPLE_COUNTS = "(t,) times each training row (in train_indices order) was drawn by this member; 0 = not drawn."


class ProbabilityGrid(Grid):
    """The final ensemble over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    probability: Matrix = Field(description="(g, g) average vote of the winning class (0–1, 6 decimals).")


class BaggingState(Scores):
    """The ensemble of the first `estimator` members (scores and confusion are the vote's) and the newest member."""

    estimator: int = Field(
        ge=1, description="Members in the ensemble so far; this frame adds member number `estimator`."
    )
    n_estimators: int = Field(ge=1, description="Members the ensemble will have.")
    sample_counts: Indices = Field(description=SAMPLE_COUNTS)
    features: Indices = Field(
        description="Feature indices this member sees (0 = first, 1 = second), in the order drawn; "
        "a repeat when features are drawn with replacement."
    )
    distinct_rows: int = Field(ge=0, description="Different training rows this member drew.")
    member_train_accuracy: float = ensemble.alone_on_training("member")
    member_test_accuracy: float | None = ensemble.alone_on_test("member")
    oob_accuracy: float | None = ensemble.oob_accuracy("member")
    oob_rows: int | None = ensemble.oob_rows("member")


class BaggingMetrics(ScoreMetrics):
    """The vote's accuracies, the newest member's test accuracy and the out-of-bag accuracy so far."""

    member_test_accuracy: float | MISSING = Field(
        MISSING, description="This member alone on the test rows (0–1); absent without a test set."
    )
    oob_accuracy: float | MISSING = ensemble.oob_metric()


class BaggingStep(FrameBase):
    """One `estimator` frame per member, in the order scikit-learn fitted them."""

    kind: Literal["estimator"] = Field(description="estimator: one more member joins the vote.")
    state: BaggingState = Field(description=STATE)
    metrics: BaggingMetrics = Field(description=METRICS)


class UnfitState(Wire):
    """The member scikit-learn could not fit."""

    estimator: int = Field(ge=1, description="The first member whose draw holds rows of one class only.")
    only_class: int = Field(ge=0, description="The one class index that member drew.")


class NoMetricsAtAll(Wire):
    """No metrics: nothing was fitted."""


class BaggingUnfit(FrameBase):
    """The only frame when scikit-learn refuses the ensemble: a member's draw has one class, and the base model
    (an SVM) cannot be fitted on one class."""

    kind: Literal["unfit"] = Field(description="unfit: scikit-learn could not fit this ensemble.")
    state: UnfitState = Field(description=STATE)
    metrics: NoMetricsAtAll = Field(description=METRICS)


class BaggingDone(Wire):
    """The fitted ensemble: every member's draw, the final vote's scores and its boundary."""

    samples: IntMatrix = Field(
        description="Per member, the dataset rows it drew, repeats included, in scikit-learn's draw order."
    )
    features: IntMatrix = Field(
        description="Per member, the feature indices it sees (scikit-learn's estimators_features_)."
    )
    oob_score: float | None = ensemble.oob_score("member")
    oob_rows: int | None = ensemble.oob_rows_left_out("member")
    train_score: float = Field(description="The final vote's accuracy on the training rows (0–1).")
    test_score: float | None = Field(description="The final vote's accuracy on the test rows (0–1); null without.")
    member_scores: Vector = ensemble.each_alone("member")
    train_indices: Indices = ensemble.train_indices()
    test_indices: Indices = ensemble.test_indices()
    grid: ProbabilityGrid
    classes: list[str] = ensemble.class_names()


class BaggingRefused(Wire):
    """scikit-learn could not fit the ensemble (see the unfit frame)."""

    unfit: Literal[True] = Field(description="Always true.")
    detail: str = Field(description="Which member drew one class, and what to change.")
    train_indices: Indices = ensemble.train_indices()
    test_indices: Indices = ensemble.test_indices()
    classes: list[str] = ensemble.class_names()


class BaggingFrame(
    RootModel[Annotated[BaggingStep | BaggingUnfit | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a bagging run."""


class BaggingResult(RootModel[BaggingDone | BaggingRefused | ServiceDivergedResult]):
    """The result of a bagging run."""
