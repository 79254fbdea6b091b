"""Frames and result of the learning-curves lab.

learning_curve: `size` (one training-set size: k fits) × s, then `diagnosis`; validation_curve: `value` (one
setting value: k fits) × v, then `best`; early_stopping: `epoch` (≤ ~62 of the E epochs), then `restore`.

Shapes: s sizes, v setting values, k folds, E epochs. A score is `null` where scikit-learn records NaN (a
training subset of one class the model cannot fit).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

Score = float | None
TRAIN_SIZES = "(s,) rows each size trains on, equal to `learning_curve(...)[0]` (train_sizes_abs)."
TRAIN_SCORES = "(steps, k) each fold's accuracy on its own training rows, equal to scikit-learn's `train_scores`."
TEST_SCORES = "(steps, k) each fold's accuracy on its held-out rows, equal to scikit-learn's `test_scores`."
PARAM_RANGE = "(v,) the setting values swept, equal to `validation_curve`'s `param_range`."
MEAN = "(steps,) mean over the folds of the defined scores (null when none)."
STD = "(steps,) standard deviation (np.std over the folds) of the defined scores (null when none)."
TRAIN_LOSS = "(E,) mean cross-entropy on the training rows after each epoch (epoch 1 first)."
VAL_LOSS = "(E,) mean cross-entropy on the validation rows after each epoch."
BEST_EPOCH = "The epoch early stopping keeps: the lowest validation loss before patience ran out (from 1)."
STOPPED_EPOCH = "The epoch at which patience ran out (null when it never did in the epochs trained)."
DIAGNOSIS = Literal["high variance", "high bias", "good fit", "undefined"]


class CurveScores(Wire):
    """The fold scores so far and their bands."""

    train_scores: list[list[Score]] = Field(description=TRAIN_SCORES)
    test_scores: list[list[Score]] = Field(description=TEST_SCORES)
    train_mean: list[Score] = Field(description=MEAN)
    train_std: list[Score] = Field(description=STD)
    test_mean: list[Score] = Field(description=MEAN)
    test_std: list[Score] = Field(description=STD)


class SizeState(CurveScores):
    """One training-set size: k models, each on the first rows of its fold's shuffled training part."""

    size_index: int = Field(ge=1, description="Which size (from 1).")
    n_sizes: int = Field(ge=1, description="s: how many sizes (duplicates after rounding dropped).")
    train_size: int = Field(ge=1, description="Rows each fold's model trains on at this size.")
    train_sizes: Indices = Field(description="The sizes so far, this one last.")


class DiagnosisState(CurveScores):
    """The whole learning curve and what its end says."""

    train_sizes: Indices = Field(description=TRAIN_SIZES)
    diagnosis: DIAGNOSIS = Field(description="What the gap at the largest size says.")
    still_rising: bool = Field(description="Whether the validation score still rose over the last size.")
    n_folds: int = Field(ge=2, description="k: the folds used.")


class ValueState(CurveScores):
    """One setting value: k models fitted with it."""

    value_index: int = Field(ge=1, description="Which value (from 1).")
    param_name: str = Field(description="scikit-learn's name of the setting swept (C, n_neighbors, ...).")
    value: float | int = Field(description="The value of this step.")
    param_range: list[float | int] = Field(description=PARAM_RANGE)


class BestState(CurveScores):
    """The whole validation curve and its best value."""

    param_name: str = Field(description="scikit-learn's name of the setting swept.")
    param_range: list[float | int] = Field(description=PARAM_RANGE)
    best_index: int = Field(ge=0, description="Index of the highest mean validation score (the first one).")
    best_value: float | int = Field(description="The setting value with the highest mean validation score.")
    best_score: Score = Field(description="That mean validation score.")
    simpler_when_larger: bool = Field(description="True where a larger value makes a simpler model (k, smoothing).")
    n_folds: int = Field(ge=2, description="k: the folds used.")


class EpochState(Wire):
    """The network after one epoch (epoch 0: untrained)."""

    epoch: int = Field(ge=0, description="Epochs trained so far.")
    epochs: int = Field(ge=1, description="E: epochs the run trains.")
    train_loss: float | None = Field(description="Training loss after this epoch (null at epoch 0).")
    val_loss: float | None = Field(description="Validation loss after this epoch (null at epoch 0).")
    train_accuracy: float | None = Field(description="Training accuracy (null at epoch 0).")
    val_accuracy: float | None = Field(description="Validation accuracy (null at epoch 0).")
    best_epoch: int | None = Field(description="The lowest validation loss's epoch so far (up to the stop).")
    best_val_loss: float | None = Field(description="That lowest validation loss.")
    epochs_since_best: int = Field(ge=0, description="Epochs in a row without a new lowest (the patience used).")
    stopped_epoch: int | None = Field(description="Where patience ran out, once it has (else null).")


class LossMetrics(Wire):
    """Both losses (absent at epoch 0)."""

    train_loss: float | MISSING = Field(MISSING, description="Training loss.")
    val_loss: float | MISSING = Field(MISSING, description="Validation loss.")


class ScoreMetrics(Wire):
    """Mean scores at this step (absent where undefined)."""

    train_score: float | MISSING = Field(MISSING, description="Mean training accuracy over the folds.")
    validation_score: float | MISSING = Field(MISSING, description="Mean validation accuracy over the folds.")


class EarlyStoppingFacts(Wire):
    """Both loss curves and what early stopping keeps."""

    train_loss: Vector = Field(description=TRAIN_LOSS)
    val_loss: Vector = Field(description=VAL_LOSS)
    best_epoch: int = Field(ge=0, description=BEST_EPOCH)
    stopped_epoch: int | None = Field(description=STOPPED_EPOCH)
    lowest_val_epoch: int = Field(ge=1, description="Where the validation loss is lowest over all epochs trained.")
    patience: int = Field(ge=1, description="The patience used.")
    restored_val_loss: float = Field(description="Validation loss of the restored (best epoch's) weights.")
    restored_val_accuracy: float = Field(description="Validation accuracy of the restored weights.")
    last_val_loss: float = Field(description="Validation loss after the last epoch.")
    last_val_accuracy: float = Field(description="Validation accuracy after the last epoch.")


class SizeStep(FrameBase):
    kind: Literal["size"] = Field(description="size: one training-set size, its k models and their scores.")
    state: SizeState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class DiagnosisStep(FrameBase):
    kind: Literal["diagnosis"] = Field(description="diagnosis: the whole learning curve, read as bias or variance.")
    state: DiagnosisState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class ValueStep(FrameBase):
    kind: Literal["value"] = Field(description="value: one setting value, its k models and their scores.")
    state: ValueState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class BestStep(FrameBase):
    kind: Literal["best"] = Field(description="best: the whole validation curve and its best value.")
    state: BestState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class EpochStep(FrameBase):
    kind: Literal["epoch"] = Field(description="epoch: the network's losses and boundary after an epoch.")
    state: EpochState = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class RestoreStep(FrameBase):
    kind: Literal["restore"] = Field(description="restore: the weights early stopping keeps, against the last ones.")
    state: EarlyStoppingFacts = Field(description=STATE)
    metrics: LossMetrics = Field(description=METRICS)


class LearningCurveDone(CurveScores):
    """``learning_curve``'s arrays and the reading."""

    mode: Literal["learning_curve"] = Field(description="The curve drawn.")
    train_sizes: Indices = Field(description=TRAIN_SIZES)
    diagnosis: DIAGNOSIS = Field(description="What the gap at the largest size says.")
    still_rising: bool = Field(description="Whether the validation score still rose over the last size.")
    scorer: str = Field(description="scikit-learn's scorer name (accuracy).")
    splitter: Literal["stratified", "kfold"] = Field(description="The splitter (shuffled with the seed).")
    n_folds: int = Field(ge=2, description="k: the folds used.")


class ValidationCurveDone(CurveScores):
    """``validation_curve``'s arrays and the best value."""

    mode: Literal["validation_curve"] = Field(description="The curve drawn.")
    param_name: str = Field(description="scikit-learn's name of the setting swept.")
    param_range: list[float | int] = Field(description=PARAM_RANGE)
    best_index: int = Field(ge=0, description="Index of the highest mean validation score.")
    best_value: float | int = Field(description="The setting value with the highest mean validation score.")
    best_score: Score = Field(description="That mean validation score.")
    simpler_when_larger: bool = Field(description="True where a larger value makes a simpler model.")
    scorer: str = Field(description="scikit-learn's scorer name (accuracy).")
    splitter: Literal["stratified", "kfold"] = Field(description="The splitter (shuffled with the seed).")
    n_folds: int = Field(ge=2, description="k: the folds used.")


class EarlyStoppingDone(EarlyStoppingFacts):
    """Both loss curves and what early stopping keeps."""

    mode: Literal["early_stopping"] = Field(description="The curve drawn.")


class LearningCurvesFrame(
    RootModel[
        Annotated[
            SizeStep | DiagnosisStep | ValueStep | BestStep | EpochStep | RestoreStep | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a learning-curves run."""


class LearningCurvesResult(
    RootModel[LearningCurveDone | ValidationCurveDone | EarlyStoppingDone | ServiceDivergedResult]
):
    """The result of a learning-curves run."""
