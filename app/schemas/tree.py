"""Params of the decision-tree lab: scikit-learn's ``DecisionTreeClassifier`` / ``DecisionTreeRegressor``.

The split criterion has two fields, one per task, each shown only for its task (``x-visible-when``):
``criterion`` (classification: gini, entropy, log_loss) and ``regression_criterion`` (squared error, absolute
error). Why two and not scikit-learn's one: each field's every value is right for its task and its default is
the task's own, so ``{"task": "regression"}`` alone is a valid request (one field would default to gini and
refuse it, or silently change meaning with the task); the form follows ``task`` by hiding fields, so one field
would hold gini after a switch to regression and the next run would fail; and the resolved params a run sends
back always run again. A request naming a criterion of the other task (``criterion: "squared_error"``) gets a
422 at that field saying which field it belongs in. Every bound a request can break without the data is a
422 here; whether the dataset suits the task is the lab's ``prepare`` (a 422 at ``dataset``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import MoonsSpec
from app.schemas.regression import SineSpec
from app.schemas.task_data import TaskDataParam, task_dataset_field
from app.schemas.task_switch import Task, per_task, task_field, with_regression_dataset

ClassificationCriterion = Literal["gini", "entropy", "log_loss"]
RegressionCriterion = Literal["squared_error", "absolute_error"]
_OTHER_TASK = {
    "criterion": ("squared_error", "absolute_error"),
    "regression_criterion": ("gini", "entropy", "log_loss"),
}


class DecisionTreeParams(BaseModel):
    """A decision tree grown split by split, then (optionally) pruned, then compared across depths."""

    model_config = form(
        "Decision tree params",
        {
            "data": ("dataset", "task", "test_fraction"),
            "model": (
                "criterion",
                "regression_criterion",
                "max_depth",
                "min_samples_split",
                "min_samples_leaf",
                "max_leaf_nodes",
                "ccp_alpha",
            ),
            "display": ("prune", "grid_size"),
        },
        visible_when=per_task("criterion", "regression_criterion"),
    )

    dataset: TaskDataParam = task_dataset_field(
        MoonsSpec(noise=0.25),
        SineSpec(),
        description="Classification: labelled 2-D points (moons, blobs, iris, drawn points, ...); regression: "
        "sine, line or two scales, or your own rows with a number y each.",
    )
    task: Task = task_field(
        "Predict a class for 2-D points (a boundary), or a number for 1 or 2 features (a step curve)."
    )
    criterion: ClassificationCriterion = fields.choice(
        "gini",
        "Split criterion (classification)",
        "How mixed a node is: gini 1 − Σp², or entropy −Σp·log₂p (log_loss is the same entropy).",
        {"gini": "Gini impurity", "entropy": "Entropy (information gain)", "log_loss": "Log-loss"},
    )
    regression_criterion: RegressionCriterion = fields.choice(
        "squared_error",
        "Split criterion (regression)",
        "How spread a node's y is: squared error (variance, leaves predict the mean) or absolute "
        "error (leaves predict the median).",
        {"squared_error": "Squared error (mean)", "absolute_error": "Absolute error (median)"},
    )
    max_depth: int = Field(
        4,
        ge=1,
        le=20,
        title="Max depth",
        description="The most questions from the root to a leaf: depth 4 makes at most 16 leaves.",
        json_schema_extra={"x-widget": "slider", "x-max": 12},
    )
    min_samples_split: int = Field(
        2,
        ge=2,
        le=5000,
        title="Min samples to split",
        description="A node with fewer training samples than this stays a leaf.",
        json_schema_extra={"x-widget": "number"},
    )
    min_samples_leaf: int = Field(
        1,
        ge=1,
        le=5000,
        title="Min samples per leaf",
        description="A cut must leave at least this many training samples on each side.",
        json_schema_extra={"x-widget": "number"},
    )
    max_leaf_nodes: int | None = Field(
        None,
        ge=2,
        le=5000,
        title="Max leaves",
        description="Grow best splits first and stop at this many leaves; empty = no limit.",
        json_schema_extra={"x-widget": "number"},
    )
    ccp_alpha: FiniteFloat = Field(
        0.0,
        ge=0.0,
        le=1e12,
        title="Pruning strength (α)",
        description="Cost-complexity pruning: remove every branch that lowers impurity by less than α per leaf.",
        json_schema_extra={"x-widget": "number", "x-step": 0.001},
    )
    prune: bool = Field(
        True,
        title="Show the pruning sequence",
        description="After growing, prune the unpruned tree one weakest branch at a time, a frame per step.",
    )
    test_fraction: FiniteFloat = fields.test_fraction(fields.SHARE_OF_ROWS)
    grid_size: int = fields.grid_size(80, fields.PICTURE_OR_CURVE)

    @model_validator(mode="before")
    @classmethod
    def _regression_default_dataset(cls, data: Any) -> Any:
        """``{"task": "regression"}`` without a dataset gets the regression default (sine), as the form does."""
        return with_regression_dataset(data, SineSpec())

    @field_validator("criterion", "regression_criterion", mode="before")
    @classmethod
    def _criterion_of_the_other_task(cls, value: Any, info: ValidationInfo) -> Any:
        """A criterion of the other task, in words: which field it goes in."""
        if isinstance(value, str) and value in _OTHER_TASK[str(info.field_name)]:
            right, task = (
                ("regression_criterion", "regression")
                if info.field_name == "criterion"
                else ("criterion", "classification")
            )
            raise PydanticCustomError(
                "criterion_of_other_task",
                f"{value} is a {task} criterion: give it as {right}, with task {task}",
            )
        return value

    @property
    def criterion_used(self) -> str:
        """The criterion of the chosen task (scikit-learn's name)."""
        return self.criterion if self.task == "classification" else self.regression_criterion
