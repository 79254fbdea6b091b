"""The dataset param of labs with a ``task`` switch (decision tree, gradient boosting): classes or numbers.

``TaskDataParam`` takes every classification dataset (the named generators and classic tables, inline data with
integer labels) and every regression dataset (``line``, ``two_scales``, ``sine``, inline rows with a number y
each). The tag is read from the value itself: a regression name, or inline ``y`` with a non-integer in it, is
regression data. Whether it suits the chosen ``task`` is the lab's check (``prepare``), named at ``dataset``:
classification needs class labels; regression takes regression data, or inline data whose integer ``y`` it
reads as numbers.

``task_dataset_field`` writes the form hints the page needs to follow the ``task`` switch:
``x-datasets-by`` (the dataset names the picker offers for each task) and ``x-default-by`` (the dataset the
form switches to when the current one does not suit the new task).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, Tag, TypeAdapter

from app.datasets import Dataset
from app.datasets.regression import RegressionData
from app.schemas.datasets import SPECS, GeneratorSpec, InlineData, dataset_catalog
from app.schemas.regression import REGRESSION_SPECS, InlineRegression, LineSpec, SineSpec, TwoScalesSpec
from app.schemas.spec import catalog_entries


def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def task_data_tag(v: Any) -> str | None:
    """``"regression"`` (a regression name), ``"named"`` (any other name), ``"inline"`` (X with integer or no y),
    ``"inline_regression"`` (X with a non-integer y), ``None`` for anything else (pydantic's error)."""
    if isinstance(v, InlineRegression):
        return "inline_regression"
    if isinstance(v, InlineData):
        return "inline"
    if isinstance(v, BaseModel):
        return "regression" if getattr(v, "name", None) in REGRESSION_SPECS else "named"
    if not isinstance(v, dict):
        return None
    if "X" in v:
        y = v.get("y")
        return "inline" if y is None or (isinstance(y, list) and all(_integer(t) for t in y)) else "inline_regression"
    name = v.get("name")
    if name in REGRESSION_SPECS:
        return "regression"
    return "named" if name in SPECS or not isinstance(name, str) else None  # an unknown name: the message lists all


TaskDataParam = Annotated[
    Annotated[GeneratorSpec, Tag("named")]
    | Annotated[
        Annotated[LineSpec, Tag("line")]
        | Annotated[TwoScalesSpec, Tag("two_scales")]
        | Annotated[SineSpec, Tag("sine")],
        Tag("regression"),
        Field(discriminator="name"),
    ]
    | Annotated[InlineData, Tag("inline")]
    | Annotated[InlineRegression, Tag("inline_regression")],
    Discriminator(
        task_data_tag,
        custom_error_type="invalid_dataset",
        custom_error_message=(
            "dataset must be an object: a named dataset {'name': ...} (classes: moons, blobs, iris, ...; numbers: "
            "sine, line, two_scales) or inline data {'X': [...], 'y': [...]}"
        ),
    ),
]
TASK_DATA_ADAPTER: TypeAdapter[Any] = TypeAdapter(TaskDataParam)

CLASSIFICATION_NAMES: tuple[str, ...] = tuple(SPECS)
REGRESSION_NAMES: tuple[str, ...] = tuple(REGRESSION_SPECS)


def is_regression_data(value: object) -> bool:
    """A regression spec or inline rows with number targets (inline data with integer labels is not)."""
    return isinstance(value, InlineRegression) or getattr(value, "name", None) in REGRESSION_SPECS


def load_task_data(value: Any) -> Dataset | RegressionData:
    """The arrays of a validated ``TaskDataParam`` value."""
    loaded: Dataset | RegressionData = value.load()
    return loaded


def task_dataset_field(classification: BaseModel, regression: BaseModel, description: str) -> Any:
    """The ``dataset`` field of a lab with ``task``: its default is ``classification`` (the default task's);
    ``regression`` is the dataset the form switches to when the learner picks the regression task."""
    extra: dict[str, Any] = {
        "default": classification.model_dump(mode="json"),
        "x-widget": "dataset",
        "x-datasets": [*dataset_catalog(), *catalog_entries(REGRESSION_SPECS.values())],
        "x-datasets-by": {"task": {"classification": list(CLASSIFICATION_NAMES), "regression": list(REGRESSION_NAMES)}},
        "x-default-by": {
            "task": {
                "classification": classification.model_dump(mode="json"),
                "regression": regression.model_dump(mode="json"),
            }
        },
    }
    return Field(
        default_factory=lambda: classification.model_copy(deep=True),
        title="Dataset",
        description=description,
        json_schema_extra=extra,
    )
