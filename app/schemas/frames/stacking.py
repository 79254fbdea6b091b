"""Frames and results of the stacking lab: `fold` frames (the level-1 table filling), `meta` (the meta-model fitted
on it), `final` (the stacked model beside each base model).

Shapes: `n_train` training points, `m` base models (in the order of `estimators`), `K` classes, `k` folds; the
level-1 table has `p` columns: one per model (its probability of class 1) for two classes, `K` per model
(model-major: model 1's classes, then model 2's, ...) for more, then the two features with `passthrough`, as
scikit-learn's `StackingClassifier(stack_method="predict_proba")` lays it out.
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
from app.schemas.frames.boundary import CONFUSION, ScoreMetrics, Scores
from app.schemas.frames.voting import VoteGrid

COLUMNS = "(p,) names of the level-1 columns, e.g. `k-NN (k = 5): P(class 1)`, then the features with passthrough."
TRUST = (
    "(m,) how much the meta-model leans on each base model: logistic regression, its coefficient on the model's "
    "probability of class 1 (two classes) or the mean over the classes of its coefficient on the model's "
    "probability of the class being scored; a tree, the share of its impurity decrease won by splits on the "
    "model's columns."
)
COEF = (
    "(1, p) for two classes, (K, p) for more: the meta logistic regression's coefficients (logistic regression only)."
)
INTERCEPT = "(1,) or (K,): the meta logistic regression's intercepts (logistic regression only)."
IMPORTANCES = "(p,) the meta tree's impurity-based importance of each column, summing to 1 (decision tree only)."
MEMBER_TEST = "(m,) each base model's test accuracy, refit on all training points (null without a test set)."
MEMBER_TRAIN = "(m,) each base model's training accuracy, refit on all training points."


class FoldState(Wire):
    """The base models trained without one fold, and their out-of-fold predictions on it."""

    fold: int = Field(ge=1, description="Which fold is held out (from 1).")
    n_folds: int = Field(ge=2, description="k: how many folds (the cv used).")
    held_out: Indices = Field(
        description="Rows of the dataset in this fold (predicted by models that never saw them), by class, then by row."
    )
    rows: Matrix = Field(
        description="(fold size, p) this fold's rows of the level-1 table, in the order of held_out (4 decimals)."
    )
    filled: int = Field(ge=0, description="Rows of the level-1 table filled so far (this fold included).")
    oof_accuracy: Vector = Field(
        description="(m,) each base model's accuracy on the rows filled so far (its "
        "out-of-fold predictions: the class it gives the largest probability)."
    )
    one_class: bool = Field(description="The fold's training part holds one class only, so every model predicts it.")


class FoldMetrics(Wire):
    """How good the out-of-fold predictions are so far."""

    oof_accuracy: float = Field(description="Mean over the base models of their out-of-fold accuracy so far (0–1).")


class FoldStep(FrameBase):
    """One fold of the k-fold split."""

    kind: Literal["fold"] = Field(description="fold: one fold's out-of-fold predictions.")
    state: FoldState = Field(description=STATE)
    metrics: FoldMetrics = Field(description=METRICS)


class MetaState(Wire):
    """The meta-model fitted on the finished level-1 table."""

    columns: list[str] = Field(description=COLUMNS)
    meta_coef: Matrix | MISSING = Field(MISSING, description=COEF)
    meta_intercept: Vector | MISSING = Field(MISSING, description=INTERCEPT)
    meta_importances: Vector | MISSING = Field(MISSING, description=IMPORTANCES)
    trust: Vector = Field(description=TRUST)
    meta_train_accuracy: float = Field(description="The meta-model's accuracy on the table it was fitted on (0–1).")


class MetaMetrics(Wire):
    """The meta-model on its own table."""

    meta_train_accuracy: float = Field(description="Its accuracy on the level-1 table (0–1).")


class MetaStep(FrameBase):
    """The meta-model learns whom to trust."""

    kind: Literal["meta"] = Field(description="meta: the meta-model fitted on the level-1 table.")
    state: MetaState = Field(description=STATE)
    metrics: MetaMetrics = Field(description=METRICS)


class FinalState(Scores):
    """The stacked model (refit base models → meta-model), against each base model."""

    member_train_accuracy: Vector = Field(description=MEMBER_TRAIN)
    member_test_accuracy: list[float | None] = Field(description=MEMBER_TEST)
    held: Literal["test", "training"] = ensemble.held()
    best_member: int = ensemble.best_member()
    best_member_accuracy: float = ensemble.best_member_accuracy()
    agreement: float = ensemble.agreement("base model")


class FinalStep(FrameBase):
    """The stacked boundary beside each base model's."""

    kind: Literal["final"] = Field(description="final: the stacked model.")
    state: FinalState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class StackingDone(Wire):
    """The level-1 table, the meta-model and the scores."""

    cv: int = Field(description="k: the folds used (the cv asked for, clamped to the smallest class's count).")
    passthrough: bool = Field(description="Whether the features joined the level-1 table.")
    columns: list[str] = Field(description=COLUMNS)
    oof_predictions: Matrix = Field(
        description="(n_train, p) the level-1 table: row r is training point train_indices[r]; equal to "
        "cross_val_predict(model, X_train, y_train, cv=KFold(k, shuffle=True, random_state=seed), "
        "method='predict_proba') per model, laid out as the module docstring says."
    )
    folds: Indices = Field(description="(n_train,) the fold (from 1) each training point was held out in.")
    meta_coef: Matrix | MISSING = Field(MISSING, description=COEF)
    meta_intercept: Vector | MISSING = Field(MISSING, description=INTERCEPT)
    meta_importances: Vector | MISSING = Field(MISSING, description=IMPORTANCES)
    trust: Vector = Field(description=TRUST)
    train_score: float = Field(description="The stacked model's training accuracy (0–1).")
    test_score: float | None = Field(description="The stacked model's test accuracy (0–1); null without a test set.")
    member_train_accuracy: Vector = Field(description=MEMBER_TRAIN)
    member_test_accuracy: list[float | None] = Field(description=MEMBER_TEST)
    confusion: IntMatrix = Field(description=CONFUSION + " Of the stacked model.")
    train_indices: Indices = ensemble.train_indices()
    test_indices: Indices = ensemble.test_indices()
    grid: VoteGrid = Field(
        description="The stacked model over the grid; `probability` is the meta-model's "
        "probability of the predicted class."
    )
    classes: list[str] = ensemble.class_names()


class StackingFrame(
    RootModel[Annotated[FoldStep | MetaStep | FinalStep | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a stacking run."""


class StackingResult(RootModel[StackingDone | ServiceDivergedResult]):
    """The result of a stacking run."""
