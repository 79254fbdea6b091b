"""Frames and results of the voting lab: one `model` frame per base model, then the `ensemble` frame (the vote).

Shapes: `n` points (rows of the dataset), `m` base models (in the order of `estimators`), `K` classes; the grid is
`g × g` points (`grid_size`). The stacking lab's models are in `stacking.py`.
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
from app.schemas.frames.boundary import CONFUSION, TEST_ACCURACY, TRAIN_ACCURACY, Grid, ScoreMetrics, Scores


class MemberState(Scores):
    """One base model alone, fitted on the training points (scikit-learn's `VotingClassifier.estimators_[model]`)."""

    model: int = Field(ge=0, description="Index of the base model in `estimators` (from 0).")
    name: str = Field(description="The model in words with its main setting, e.g. `k-NN (k = 5)`.")
    weight: float = Field(description="How much its vote counts (1 when no weights were given).")


class MemberStep(FrameBase):
    """One base model's own boundary and scores."""

    kind: Literal["model"] = Field(description="model: one base model alone.")
    state: MemberState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class VoteState(Scores):
    """The vote, and why it beats its best member or does not (counted on the `held` points)."""

    voting: Literal["hard", "soft"] = Field(
        description="hard: the most (weighted) votes win; soft: the largest (weighted) average probability wins."
    )
    held: Literal["test", "training"] = ensemble.held()
    best_member: int = ensemble.best_member()
    best_member_accuracy: float = ensemble.best_member_accuracy()
    fixed: int = Field(ge=0, description="Held points the best member gets wrong and the vote gets right.")
    broken: int = Field(ge=0, description="Held points the best member gets right and the vote gets wrong.")
    shared_errors: int = Field(ge=0, description="Held points more than half of the members get wrong.")
    agreement: float = ensemble.agreement("member")


class VoteStep(FrameBase):
    """The committee's vote over the plane."""

    kind: Literal["ensemble"] = Field(description="ensemble: the vote of all the models.")
    state: VoteState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class VoteGrid(Grid):
    """The vote over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    probability: Matrix = Field(
        description="(g, g) hard: the winning class's share of the weighted vote; soft: its averaged probability "
        "(0–1, 6 decimals)."
    )


class VotingDone(Wire):
    """The vote, every member's scores and, for the page's click-a-point view, every member's vote on every point."""

    voting: Literal["hard", "soft"] = Field(description="How the models voted.")
    weights: Vector = Field(description="(m,) the weight of each model's vote (1 each when none were given).")
    models: list[str] = Field(description="(m,) the models in words, in the order of `estimators`.")
    member_train_accuracy: Vector = Field(description="(m,) each model's training accuracy alone.")
    member_test_accuracy: list[float | None] = Field(
        description="(m,) each model's test accuracy alone (null without a test set)."
    )
    train_accuracy: float = Field(description=TRAIN_ACCURACY + " Of the vote.")
    test_accuracy: float | None = Field(description=TEST_ACCURACY + " Of the vote.")
    confusion: IntMatrix = Field(description=CONFUSION + " Of the vote.")
    train_indices: Indices = ensemble.train_indices()
    test_indices: Indices = ensemble.test_indices()
    grid: VoteGrid
    votes: IntMatrix = Field(description="(n, m) the class each model predicts for each point (its vote).")
    predicted: Indices = Field(description="(n,) the vote's class for each point.")
    labels: Indices = Field(description="(n,) the true class index of each point.")
    points: Matrix = Field(description="(n, 2) the points (6 decimals).")
    probabilities: list[Matrix] | MISSING = Field(
        MISSING,
        description="(n, m, K) each model's probability of each class for each point (3 decimals); soft voting "
        "only, and only when n·m·K ≤ 250,000.",
    )
    classes: list[str] = ensemble.class_names()


class VotingFrame(RootModel[Annotated[MemberStep | VoteStep | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of a voting run."""


class VotingResult(RootModel[VotingDone | ServiceDivergedResult]):
    """The result of a voting run."""
