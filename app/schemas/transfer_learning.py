"""Params of the transfer-learning lab (issue 16): how many target digits are labelled, which modes race, and
the training loop they share.

The source task (digits 0–4) and its backbone are fixed: the shipped weights of ``app.engines.transfer_model``.
The target task is digits 5–9: ``labelled`` of them (stratified, drawn by ``split_seed``) to train on, the rest
to test on. The rules the params alone decide live here (ranges, at least one mode, each mode once); the one
that needs the data (``labelled`` more than the target digits can spare) is the lab's ``prepare``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic.config import JsonDict

from app.schemas import fields
from app.schemas.common import FiniteFloat, form

Mode = Literal["scratch", "feature_extraction", "fine_tune", "gradual"]
MODE_LABELS: JsonDict = {
    "scratch": "From scratch (random start)",
    "feature_extraction": "Feature extraction (frozen backbone, new head)",
    "fine_tune": "Fine-tuning (all layers, smaller lr)",
    "gradual": "Gradual unfreezing (block by block)",
}
MIN_LABELLED, MAX_LABELLED = 10, 200


class TransferLearningParams(BaseModel):
    """A CNN trained on digits 0–4, reused for digits 5–9 with few labels: four ways raced side by side."""

    model_config = form(
        "Transfer learning params",
        {
            "data": ("labelled", "split_seed"),
            "model": ("modes", "unfreeze_every"),
            "training": ("lr", "fine_tune_lr_factor", "batch_size", "epochs"),
        },
    )

    labelled: int = fields.slider(
        50,
        "Labelled target images",
        f"How many digits 5–9 the target task may train on ({MIN_LABELLED}–{MAX_LABELLED}, the same number of each "
        "digit as far as it divides); every other 5–9 digit is a test image.",
        10,
        ge=MIN_LABELLED,
        le=MAX_LABELLED,
    )
    split_seed: int = fields.seed()
    modes: list[Mode] = Field(
        ["scratch", "feature_extraction", "fine_tune", "gradual"],
        min_length=1,
        max_length=4,
        title="Modes",
        description="Which ways of training on the target digits race side by side (the same seed: the same "
        "new head and batch order for each).",
        json_schema_extra={"x-labels": MODE_LABELS},
    )
    unfreeze_every: int = fields.slider(
        3,
        "Unfreeze every",
        "Gradual unfreezing: epochs of training before the next backbone block down (conv2, then conv1) is unfrozen.",
        1,
        ge=1,
        le=50,
        x_max=20,
    )
    lr: FiniteFloat = Field(
        0.003,
        gt=0,
        le=1.0,
        title="Learning rate",
        description="Adam's step size for a new or random layer.",
        json_schema_extra={"x-log": True},
    )
    fine_tune_lr_factor: FiniteFloat = Field(
        0.1,
        gt=0,
        le=1.0,
        title="Fine-tuning lr factor",
        description="The backbone's layers train at lr × this when fine-tuning or unfreezing (1 = the same lr).",
        json_schema_extra={"x-log": True},
    )
    batch_size: int = fields.slider(
        10, "Batch size", "Labelled images per step (more than there are: all of them).", 1, ge=1, le=200, x_max=64
    )
    epochs: int = fields.slider(10, "Epochs", "Passes over the labelled images, for every mode.", 1, ge=1, le=100)

    @field_validator("modes")
    @classmethod
    def _each_once(cls, modes: list[str]) -> list[str]:
        twice = sorted({m for m in modes if modes.count(m) > 1})
        if twice:
            raise ValueError(f"each mode may race once; {', '.join(twice)} is listed more than once")
        return modes
