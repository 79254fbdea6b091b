"""Frames and result of the cross-validation lab: `shuffle` (the rows as the splitter receives them), `split` (the
folds), `fold` (one fold's model and score), `summary` (the k scores beside 20 single splits).

Shapes: `n` rows of the dataset, `k` folds (n for leave-one-out). A score is `null` where scikit-learn's
`cross_validate` records NaN (a model it cannot fit on one class, a score undefined on a one-class fold).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

FOLDS = (
    "(k,) lists of row indices: the rows held out in each fold, in the splitter's order; equal to "
    "`cross_validate(..., cv=splitter, return_indices=True)['indices']['test']`."
)
SCORES = (
    "(k,) each fold's score on its held-out rows, equal to `cross_validate(model, X, y, cv=splitter, "
    "scoring=scorer)['test_score']` (null where it is NaN)."
)
MEAN = "Mean of the defined fold scores (null when none is defined)."
STD = "Standard deviation (np.std, over k) of the defined fold scores (null when none is defined)."
SINGLE = "(20,) the score of one train/test split for the seeds seed, seed + 1, ..., seed + 19 (null where undefined)."
Score = float | None


class ShuffleState(Wire):
    """What is about to be split."""

    n_rows: int = Field(ge=1, description="Rows of the dataset (all are cross-validated).")
    n_folds: int = Field(ge=2, description="k: how many folds (the rows for leave-one-out).")
    splitter: Literal["kfold", "stratified", "shuffle-split", "leave-one-out"] = Field(description="The splitter.")
    shuffle: bool = Field(description="Whether k-fold shuffles the rows (seeded by the run's seed) before cutting.")
    scorer: str = Field(description="scikit-learn's scorer name: accuracy, f1, roc_auc, f1_macro or roc_auc_ovr.")


class SplitState(ShuffleState):
    """The folds."""

    folds: list[Indices] = Field(description=FOLDS)
    fold_sizes: Indices = Field(description="(k,) rows held out in each fold.")


class FoldState(Wire):
    """One fold: a model trained on the other rows, scored on this fold's."""

    fold: int = Field(ge=1, description="Which fold is held out (from 1).")
    n_folds: int = Field(ge=2, description="k: how many folds.")
    held_out: Indices = Field(description="Row indices of this fold (the test rows of its model).")
    n_train: int = Field(ge=1, description="Rows the fold's model is trained on.")
    score: Score = Field(description="This fold's score (null where undefined).")
    scores: list[Score] = Field(description="(f,) the scores of the folds so far, this one last.")
    fitted: bool = Field(description="False when the model could not be fitted (one class in the training rows).")


class FoldMetrics(Wire):
    """The fold's score and the running mean (absent while undefined)."""

    score: float | MISSING = Field(MISSING, description="This fold's score (absent where undefined).")
    mean_so_far: float | MISSING = Field(MISSING, description="Mean of the defined scores so far.")


class SummaryState(Wire):
    """The k-fold estimate beside what single splits would have said."""

    scores: list[Score] = Field(description=SCORES)
    mean: Score = Field(description=MEAN)
    std: Score = Field(description=STD)
    single_split_scores: list[Score] = Field(description=SINGLE)
    single_split_mean: Score = Field(description="Mean of the single splits' defined scores.")
    single_split_std: Score = Field(description="Standard deviation of the single splits' defined scores.")
    single_split_share: float = Field(description="The single splits' test share: 1/k (0.2 for leave-one-out).")


class SummaryMetrics(Wire):
    """The cross-validated estimate."""

    mean_so_far: float | MISSING = Field(MISSING, description=MEAN + " The running mean's last point.")


class ShuffleStep(FrameBase):
    kind: Literal["shuffle"] = Field(description="shuffle: the rows as the splitter receives them.")
    state: ShuffleState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class SplitStep(FrameBase):
    kind: Literal["split"] = Field(description="split: every fold's held-out rows.")
    state: SplitState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class FoldStep(FrameBase):
    kind: Literal["fold"] = Field(description="fold: one fold's model and its score on the held-out rows.")
    state: FoldState = Field(description=STATE)
    metrics: FoldMetrics = Field(description=METRICS)


class SummaryStep(FrameBase):
    kind: Literal["summary"] = Field(description="summary: mean ± std of the k scores beside 20 single splits.")
    state: SummaryState = Field(description=STATE)
    metrics: SummaryMetrics = Field(description=METRICS)


class CrossValidationDone(Wire):
    """The folds, their scores, and the single splits for comparison."""

    folds: list[Indices] = Field(description=FOLDS)
    scores: list[Score] = Field(description=SCORES)
    mean: Score = Field(description=MEAN)
    std: Score = Field(description=STD)
    scorer: str = Field(description="scikit-learn's scorer name used.")
    splitter: Literal["kfold", "stratified", "shuffle-split", "leave-one-out"] = Field(description="The splitter.")
    n_folds: int = Field(ge=2, description="k: the folds used (clamped to the data).")
    single_split_scores: list[Score] = Field(description=SINGLE)
    single_split_mean: Score = Field(description="Mean of the single splits' defined scores.")
    single_split_std: Score = Field(description="Standard deviation of the single splits' defined scores.")
    classes: list[str] = Field(description="(K,) the class names of the class indices.")


class CrossValidationFrame(
    RootModel[
        Annotated[ShuffleStep | SplitStep | FoldStep | SummaryStep | ServiceDivergedFrame, Field(discriminator="kind")]
    ]
):
    """One frame of a cross-validation run."""


class CrossValidationResult(RootModel[CrossValidationDone | ServiceDivergedResult]):
    """The result of a cross-validation run."""
