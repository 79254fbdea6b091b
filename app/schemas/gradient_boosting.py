"""Params of the gradient-boosting lab: small regression trees fitted one after another to the negative gradient
of the loss, for classification (2-D points) or regression (1 or 2 features).

The loss has two fields, one per task, each shown only for its task (``x-visible-when``): ``loss``
(classification: log-loss, exponential) and ``regression_loss`` (squared error, absolute error, Huber). One field
with all five names would let the form, or a shared link, hold a loss of the other task after the task switch
(the form follows ``task`` only by hiding fields); two fields can never disagree with the task, a request
naming a classification loss for regression (``regression_loss: "log_loss"``) is a 422 at that field, and the
resolved params a run sends back always run again. Every bound a request can break without the data is a 422
here (``n_estimators`` 1–500, ``learning_rate`` in (0, 1], ``subsample`` in (0, 1], ``max_depth`` 1–8); what needs
the data (the dataset suits the task; exponential loss needs exactly two classes) is the lab's ``prepare``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import MoonsSpec
from app.schemas.regression import SineSpec
from app.schemas.task_data import TaskDataParam, task_dataset_field
from app.schemas.task_switch import Task, per_task, task_field, with_regression_dataset

MAX_STAGES = 500
"""The most boosting stages: one frame each (plus the start), within the service's frame limit."""

REGRESSION_DEFAULT = SineSpec()
"""The dataset of the regression task when a request names none."""
ClassificationLoss = Literal["log_loss", "exponential"]
RegressionLoss = Literal["squared_error", "absolute_error", "huber"]


class GradientBoostingParams(BaseModel):
    """Gradient boosting: each stage fits a small regression tree to what the model still gets wrong (the
    negative gradient of the loss) and adds a learning-rate share of it."""

    model_config = form(
        "Gradient boosting params",
        {
            "data": ("dataset", "task", "test_fraction"),
            "model": ("loss", "regression_loss", "max_depth"),
            "training": ("n_estimators", "learning_rate", "subsample"),
            "display": ("grid_size",),
        },
        visible_when=per_task("loss", "regression_loss"),
    )

    dataset: TaskDataParam = task_dataset_field(
        MoonsSpec(noise=0.3),
        REGRESSION_DEFAULT,
        description="Classification: labelled 2-D points (moons, blobs, iris, drawn points, ...); regression: "
        "sine, line or two scales, or your own rows with a number y each.",
    )
    task: Task = task_field("Predict a class for 2-D points (a boundary), or a number for 1 or 2 features (a curve).")
    loss: ClassificationLoss = fields.choice(
        "log_loss",
        "Loss (classification)",
        "What each tree's target is the negative gradient of: the log-loss (any number of classes) "
        "or the exponential loss of AdaBoost (two classes only).",
        {"log_loss": "Log-loss (cross-entropy)", "exponential": "Exponential (AdaBoost's)"},
    )
    regression_loss: RegressionLoss = fields.choice(
        "squared_error",
        "Loss (regression)",
        "Squared error fits the residuals; absolute error fits their signs (robust to outliers); "
        "Huber fits residuals clipped at their 90th percentile.",
        {
            "squared_error": "Squared error (fit the residuals)",
            "absolute_error": "Absolute error (fit their signs)",
            "huber": "Huber (residuals, clipped)",
        },
    )
    max_depth: int = Field(
        2,
        ge=1,
        le=8,
        title="Depth of each tree",
        description="How many questions each small tree asks: depth 2 cuts the input into at most 4 regions.",
        json_schema_extra={"x-widget": "slider"},
    )
    n_estimators: int = Field(
        50,
        ge=1,
        le=MAX_STAGES,
        title="Boosting stages",
        description="How many trees to add one after another (one frame each).",
        json_schema_extra={"x-widget": "slider", "x-max": 200},
    )
    learning_rate: FiniteFloat = Field(
        0.1,
        gt=0,
        le=1,
        title="Learning rate (shrinkage)",
        description="The share of each tree's prediction that is added: small steps need more stages but "
        "overfit later.",
        json_schema_extra={"x-log": True, "x-step": 0.01},
    )
    subsample: FiniteFloat = Field(
        1.0,
        gt=0,
        le=1,
        title="Rows per tree (subsample)",
        description="The share of the training rows each tree is fitted on, drawn anew per stage (below 1: "
        "stochastic gradient boosting).",
        json_schema_extra={"x-widget": "slider", "x-step": 0.05},
    )
    test_fraction: FiniteFloat = fields.test_fraction(fields.SHARE_OF_ROWS)
    grid_size: int = fields.grid_size(100, fields.PICTURE_OR_CURVE)

    @model_validator(mode="before")
    @classmethod
    def _dataset_follows_task(cls, data: Any) -> Any:
        """``{"task": "regression"}`` without a dataset runs on the regression default (sine), not on moons."""
        return with_regression_dataset(data, REGRESSION_DEFAULT)

    @property
    def loss_used(self) -> str:
        """The loss of the chosen task (scikit-learn's name)."""
        return self.loss if self.task == "classification" else self.regression_loss
