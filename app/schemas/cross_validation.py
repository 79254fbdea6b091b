"""Params of the cross-validation lab (day 17): one classifier judged by k-fold cross-validation.

The rules the params alone decide live here (k 2–20, the splitter and scoring words); the ones that need the data
(k against the rows or the smallest class, leave-one-out against the row count, ROC AUC against the model and the
classes) are the lab's ``prepare`` (``app.labs.cross_validation``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.base_models import BaseModelParam, TreeModel
from app.schemas.common import form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

Splitter = Literal["kfold", "stratified", "shuffle-split", "leave-one-out"]
Scoring = Literal["accuracy", "f1", "roc_auc"]
LOO_MAX_ROWS = 200
"""Leave-one-out fits one model per row: beyond this many rows the run would be hundreds of fits and frames."""
DEFAULT_DATA = MoonsSpec(n_samples=200, noise=0.3, seed=1)
"""Noisy moons: the folds' scores differ visibly, which is the point of the lab."""


def _default_model() -> TreeModel:
    # A tree of depth 4: its boundary changes visibly from fold to fold (a model that varies with its data).
    return TreeModel(max_depth=4)


class CrossValidationParams(BaseModel):
    """k-fold cross-validation of one classifier: k models, each scored on the fold it never saw."""

    model_config = form(
        "Cross-validation params",
        {
            "data": ("dataset",),
            "model": ("model",),
            "training": ("splitter", "k", "shuffle", "scoring"),
            "display": ("grid_size",),
        },
        visible_when={
            "k": {"splitter": ["kfold", "stratified", "shuffle-split"]},
            "shuffle": {"splitter": ["kfold", "stratified"]},
        },
    )

    dataset: DatasetParam = dataset_field(DEFAULT_DATA, description=fields.LABELLED_POINTS)
    model: BaseModelParam = Field(
        default_factory=_default_model,
        title="Model",
        description="The classifier being judged: each fold trains a fresh copy of it on the other folds.",
        json_schema_extra={"default": _default_model().model_dump(mode="json")},
    )
    splitter: Splitter = fields.choice(
        "kfold",
        "Splitter",
        "How the rows are cut into folds (leave-one-out: one fold per row, at most 200 rows).",
        {
            "kfold": "k-fold",
            "stratified": "Stratified k-fold (each fold keeps the class shares)",
            "shuffle-split": "Shuffle-split (k random splits, 1/k held out each)",
            "leave-one-out": "Leave-one-out (one row per fold)",
        },
    )
    k: int = Field(
        5,
        ge=2,
        le=20,
        title="Folds (k)",
        description="How many folds (k models, each tested on one fold); more than the rows allow is lowered.",
        json_schema_extra={"x-widget": "slider"},
    )
    shuffle: bool = Field(
        True,
        title="Shuffle first",
        description="Shuffle the rows with the run's seed before cutting folds (off: folds follow the row order).",
    )
    scoring: Scoring = fields.choice(
        "accuracy",
        "Score",
        "What each fold's model is scored by; with more than 2 classes F1 is the macro mean over the classes "
        "and ROC AUC is one-vs-rest.",
        {"accuracy": "Accuracy", "f1": "F1 score", "roc_auc": "ROC AUC"},
    )
    grid_size: int = fields.grid_size(
        60, "Grid cells per axis of the shaded picture of each fold's model (finer is slower)."
    )
