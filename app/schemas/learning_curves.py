"""Params of the learning-curves lab (days 50–52): a learning curve, a validation curve, or early stopping.

The rules the params alone decide live here (sizes 2–10, values 3–15, k 2–10, epochs ≤ 2000, patience ≤ 500);
the ones that need the data (k against the smallest class, k-NN's k against the smallest training subset) are
the lab's ``prepare`` (``app.labs.learning_curves``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.base_models import BaseModelParam, TreeModel
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

Mode = Literal["learning_curve", "validation_curve", "early_stopping"]
Splitter = Literal["stratified", "kfold"]
CURVES = ["learning_curve", "validation_curve"]
DEFAULT_DATA = MoonsSpec(n_samples=200, noise=0.3, seed=1)
"""Noisy moons: a deep tree overfits them (a gap to read) and a wide network overfits them within 100 epochs."""


def _default_model() -> TreeModel:
    # Depth 8 memorises the noisy moons: training accuracy near 1, a validation gap that closes with more data.
    return TreeModel(max_depth=8)


class LearningCurvesParams(BaseModel):
    """Score against training-set size or one hyperparameter, or a network's losses epoch by epoch."""

    model_config = form(
        "Learning-curves params",
        {
            "data": ("dataset", "validation_fraction"),
            "model": ("mode", "model", "hidden_width", "hidden_layers"),
            "training": ("n_sizes", "n_values", "splitter", "k", "learning_rate", "epochs", "batch_size", "patience"),
            "display": ("grid_size",),
        },
        visible_when={
            "model": {"mode": CURVES},
            "n_sizes": {"mode": ["learning_curve"]},
            "n_values": {"mode": ["validation_curve"]},
            "splitter": {"mode": CURVES},
            "k": {"mode": CURVES},
            "validation_fraction": {"mode": ["early_stopping"]},
            "hidden_width": {"mode": ["early_stopping"]},
            "hidden_layers": {"mode": ["early_stopping"]},
            "learning_rate": {"mode": ["early_stopping"]},
            "epochs": {"mode": ["early_stopping"]},
            "batch_size": {"mode": ["early_stopping"]},
            "patience": {"mode": ["early_stopping"]},
        },
    )

    dataset: DatasetParam = dataset_field(DEFAULT_DATA, description=fields.LABELLED_POINTS)
    mode: Mode = fields.choice(
        "learning_curve",
        "Curve",
        "What is put on the x-axis: the training rows, one hyperparameter, or training epochs of a network.",
        {
            "learning_curve": "Learning curve (score vs training rows)",
            "validation_curve": "Validation curve (score vs the model's main setting)",
            "early_stopping": "Early stopping (a network's loss per epoch)",
        },
    )
    model: BaseModelParam = Field(
        default_factory=_default_model,
        title="Model",
        description="The classifier whose curves are drawn (the validation curve sweeps its main setting).",
        json_schema_extra={"default": _default_model().model_dump(mode="json")},
    )
    n_sizes: int = fields.slider(
        5, "Training sizes", "How many training-set sizes, evenly from 10 % to 100 % of a fold's rows.", 1, ge=2, le=10
    )
    n_values: int = fields.slider(
        8,
        "Setting values",
        "How many values of the main setting (C on a log scale from 0.001 to 1000, k, depth or smoothing).",
        1,
        ge=3,
        le=15,
    )
    splitter: Splitter = fields.choice(
        "stratified",
        "Splitter",
        "How the rows are cut into folds, shuffled with the run's seed (stratified keeps each class's share).",
        {"stratified": "Stratified k-fold", "kfold": "k-fold"},
    )
    k: int = fields.slider(
        5,
        "Folds (k)",
        "Each point of a curve is the mean over k folds (more than the data allow is lowered).",
        1,
        ge=2,
        le=10,
    )
    validation_fraction: float = fields.slider(
        0.3,
        "Validation share",
        "Share of each class held out to watch the validation loss on, never trained on.",
        0.05,
        ge=0.1,
        le=0.5,
    )
    hidden_width: int = fields.slider(64, "Neurons per layer", "Width of each hidden layer (ReLU).", 8, ge=2, le=256)
    hidden_layers: int = fields.slider(2, "Hidden layers", "How many hidden layers the network has.", 1, ge=1, le=4)
    learning_rate: FiniteFloat = Field(
        0.02,
        gt=0,
        le=1.0,
        title="Learning rate",
        description="Adam's step size.",
        json_schema_extra={"x-log": True},
    )
    epochs: int = fields.slider(
        300,
        "Epochs",
        "Passes over the training rows (the run trains them all, past the early stop).",
        10,
        ge=10,
        le=2000,
    )
    batch_size: int = fields.slider(
        0,
        "Batch size",
        "Rows per gradient step, in a shuffled order each epoch; 0 = all training rows (full batch).",
        8,
        ge=0,
        le=1024,
    )
    patience: int = fields.slider(
        20, "Patience", "Epochs without a new lowest validation loss before early stopping stops.", 1, ge=1, le=500
    )
    grid_size: int = fields.grid_size(50, "Grid cells per axis of the shaded picture of the model (finer is slower).")
