"""Params of the AdaBoost lab: discrete AdaBoost (SAMME) over small decision trees, stumps by default.

Every bound a request can break without the data is here, so it is a 422 at that field before anything runs:
``n_estimators`` 1–500, ``learning_rate`` a finite number in (0, 10], ``max_depth`` 1–5.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

MAX_ROUNDS = 500
"""The most boosting rounds: one frame each, within the service's frame limit."""


class AdaBoostParams(BaseModel):
    """Discrete AdaBoost (SAMME): trees fitted one after another to re-weighted training points."""

    model_config = form(
        "AdaBoost params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("algorithm", "max_depth"),
            "training": ("n_estimators", "learning_rate"),
            "display": ("grid_size",),
        },
    )

    dataset: DatasetParam = dataset_field(
        MoonsSpec(noise=0.25),
        description="Labelled points with 2 features (2 or more classes): a generated set, a classic table, "
        "or points you draw on the page.",
    )
    algorithm: Literal["SAMME"] = Field(
        "SAMME",
        title="Boosting algorithm",
        description="SAMME, discrete AdaBoost for any number of classes: the only one scikit-learn 1.6+ has.",
        json_schema_extra={"x-labels": {"SAMME": "SAMME (discrete AdaBoost, K classes)"}},
    )
    max_depth: int = Field(
        1,
        ge=1,
        le=5,
        title="Depth of each tree",
        description="1 = stumps (one split each), the classic weak learner; deeper trees are stronger learners.",
        json_schema_extra={"x-widget": "slider"},
    )
    n_estimators: int = Field(
        50,
        ge=1,
        le=MAX_ROUNDS,
        title="Boosting rounds",
        description="How many trees to fit one after another (scikit-learn stops sooner if one is perfect or "
        "no better than guessing).",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    learning_rate: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10,
        title="Learning rate",
        description="Multiplies every tree's say α: below 1 each tree counts and re-weights less, so more "
        "rounds are needed.",
        json_schema_extra={"x-log": True, "x-step": 0.01},
    )
    test_fraction: FiniteFloat = fields.test_fraction()
    grid_size: int = fields.grid_size(90)
