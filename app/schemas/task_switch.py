"""The ``task`` switch of the labs that classify or predict a number (decision tree, gradient boosting).

Each such lab has one ``task`` field and, for what depends on the task (the tree's split criterion, boosting's
loss), a pair of fields, one per task, each shown only for its own task: ``per_task`` writes that pair's
``x-visible-when``. ``with_regression_dataset`` is the lab's before-validator step that gives
``{"task": "regression"}`` without a dataset the regression default, as the form does when the task switches.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.config import JsonDict

from app.schemas import fields

Task = Literal["classification", "regression"]
TASK_LABELS: JsonDict = {"classification": "Classification (classes)", "regression": "Regression (a number)"}


def task_field(description: str) -> Any:
    """The ``task`` field: classification by default."""
    return fields.choice("classification", "What to predict", description, TASK_LABELS)


def per_task(classification_field: str, regression_field: str) -> dict[str, dict[str, list[str]]]:
    """The ``visible_when`` of a pair of per-task fields: each one shown only while ``task`` is its task."""
    return {classification_field: {"task": ["classification"]}, regression_field: {"task": ["regression"]}}


def with_regression_dataset(data: Any, default: BaseModel) -> Any:
    """``data`` (the raw request), with ``default`` as its dataset when it asks for regression and names none."""
    if isinstance(data, dict) and data.get("task") == "regression" and "dataset" not in data:
        return {**data, "dataset": default.model_dump(mode="json")}
    return data
