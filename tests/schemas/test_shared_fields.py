"""The shared field builders: the one spelling of a field several labs publish, and the task switch."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from app.schemas import fields
from app.schemas.bagging import BaggingParams, RandomForestParams
from app.schemas.boundary import KnnParams
from app.schemas.frames.bagging import BaggingMetrics, BaggingState
from app.schemas.frames.forest import TreeState
from app.schemas.gradient_boosting import GradientBoostingParams
from app.schemas.regression import SineSpec
from app.schemas.task_switch import Task, per_task, task_field, with_regression_dataset
from app.schemas.tree import DecisionTreeParams


class _Shared(BaseModel):
    test_fraction: float = fields.test_fraction()
    grid_size: int = fields.grid_size(80, fields.PICTURE_OR_CURVE)
    task: Task = task_field("What to predict.")
    loss: Literal["a", "b"] = fields.choice("a", "Loss", "Which loss.", {"a": "A loss", "b": "B loss"})


def _properties(model: type[BaseModel]) -> dict[str, Any]:
    properties: dict[str, Any] = model.model_json_schema()["properties"]
    return properties


def test_the_builders_publish_bounds_titles_and_widget_hints() -> None:
    shown = _properties(_Shared)
    assert shown["test_fraction"] == {
        "default": 0.3,
        "description": fields.SHARE_OF_EACH_CLASS,
        "maximum": 0.9,
        "minimum": 0.0,
        "title": "Test share",
        "type": "number",
        "x-step": 0.05,
        "x-widget": "slider",
    }
    assert shown["grid_size"] == {
        "default": 80,
        "description": fields.PICTURE_OR_CURVE,
        "maximum": 200,
        "minimum": 20,
        "title": "Picture resolution",
        "type": "integer",
        "x-step": 10,
        "x-widget": "slider",
    }
    assert shown["task"]["default"] == "classification"
    assert shown["task"]["x-labels"] == {
        "classification": "Classification (classes)",
        "regression": "Regression (a number)",
    }
    assert shown["loss"]["x-labels"] == {"a": "A loss", "b": "B loss"}


def test_each_lab_keeps_its_own_default_and_wording() -> None:
    assert _properties(KnnParams)["grid_size"]["default"] == 100
    assert _properties(BaggingParams)["grid_size"]["default"] == 80
    assert _properties(RandomForestParams)["test_fraction"]["description"] == fields.SHARE_OF_EACH_CLASS
    tree, boosting = _properties(DecisionTreeParams), _properties(GradientBoostingParams)
    assert tree["test_fraction"]["description"] == boosting["test_fraction"]["description"] == fields.SHARE_OF_ROWS
    assert (tree["grid_size"]["default"], boosting["grid_size"]["default"]) == (80, 100)
    assert "step curve" in tree["task"]["description"] and "step curve" not in boosting["task"]["description"]


def test_each_per_task_field_shows_only_for_its_task() -> None:
    assert per_task("loss", "regression_loss") == {
        "loss": {"task": ["classification"]},
        "regression_loss": {"task": ["regression"]},
    }
    tree, boosting = _properties(DecisionTreeParams), _properties(GradientBoostingParams)
    assert tree["regression_criterion"]["x-visible-when"] == {"task": ["regression"]}
    assert boosting["loss"]["x-visible-when"] == {"task": ["classification"]}
    assert "x-visible-when" not in tree["task"]


def test_regression_without_a_dataset_runs_on_the_regression_default() -> None:
    sine = SineSpec(n_samples=50)
    assert with_regression_dataset({"task": "regression"}, sine) == {
        "task": "regression",
        "dataset": sine.model_dump(mode="json"),
    }
    named = {"task": "regression", "dataset": {"name": "line"}}
    assert with_regression_dataset(named, sine) is named
    assert with_regression_dataset({"task": "classification"}, sine) == {"task": "classification"}
    assert DecisionTreeParams.model_validate({"task": "regression"}).dataset.name == "sine"
    assert GradientBoostingParams.model_validate({"task": "regression"}).dataset.name == "sine"
    assert GradientBoostingParams().dataset.name == "moons"


def test_the_out_of_bag_fields_name_the_labs_own_members_in_order() -> None:
    bagging, forest = BaggingState.model_json_schema()["properties"], TreeState.model_json_schema()["properties"]
    assert "members that did not draw it" in bagging["oob_accuracy"]["description"]
    assert "trees that did not draw it" in forest["oob_accuracy"]["description"]
    assert "some tree so far left out" in forest["oob_rows"]["description"]
    assert list(BaggingMetrics.model_fields)[-2:] == ["member_test_accuracy", "oob_accuracy"]  # declared order
