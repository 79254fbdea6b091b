"""Params of the bagging lab (bagging, pasting, random patches, random subspaces) and the random-forest lab.

Both are scikit-learn estimators replayed estimator by estimator, so every param means what scikit-learn's
``BaggingClassifier`` / ``RandomForestClassifier`` param of the same name means, with two readings fixed so that
a number survives JSON (where ``1`` and ``1.0`` are the same number):

* ``max_samples`` (bagging): at most 1 is a share of the training rows (1 = as many rows as there are); above 1,
  a whole count of rows. scikit-learn's ``max_samples=1`` (one row) has no use and is not offered.
* ``max_features`` (bagging): a whole number counts features (1 or 2 of the 2); below 1 it is a share
  (0.5 → one feature, as scikit-learn's ``max(1, int(share × 2))``).

The bagging ``mode`` is a shortcut for the four classic combinations of ``bootstrap``, ``max_samples``,
``bootstrap_features`` and ``max_features`` (``MODES``); with a mode other than ``custom`` those four are set by
it (the form hides them, and whatever it sends for them is replaced), and out-of-bag scoring is off when the mode
draws no rows with replacement.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.schemas import fields
from app.schemas.base_models import BaseModelParam, TreeModel
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

Mode = Literal["bagging", "pasting", "random_patches", "random_subspaces", "custom"]
MODES: dict[str, tuple[bool, float, bool, float]] = {
    "bagging": (True, 1.0, False, 2.0),
    "pasting": (False, 0.5, False, 2.0),
    "random_patches": (False, 0.5, False, 1.0),
    "random_subspaces": (False, 1.0, False, 1.0),
}
"""Each shortcut's (bootstrap, max_samples, bootstrap_features, max_features): bagging draws as many rows as
there are with replacement, all features; pasting half the rows without replacement; random subspaces every row
but one random feature of the two; random patches (Louppe and Geurts, 2012) half the rows and one feature, both
without replacement."""
DERIVED = ("bootstrap", "max_samples", "bootstrap_features", "max_features")
MAX_ROWS = 100_000

ForestFeatures = Literal["sqrt", "log2", "all"]
FeatureCount = Annotated[int, Field(ge=1, le=2, strict=True)]
"""A whole count of features (strict: JSON ``1.0`` is the share 1, all features, as in scikit-learn)."""
Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


def _whole_above_one(value: float, what: str) -> float:
    """``value`` when it is at most 1 (a share) or a whole number (a count); else a 422 in words."""
    if value > 1 and not float(value).is_integer():
        raise PydanticCustomError(
            "whole_count",
            f"{value:g} is neither a share (at most 1) nor a whole count of {what}",
        )
    return value


def rows_to_draw(max_samples: float) -> int | float:
    """``max_samples`` as scikit-learn takes it: a float share (≤ 1) or an int count."""
    return float(max_samples) if max_samples <= 1 else int(max_samples)


def features_to_draw(max_features: float) -> int | float:
    """``max_features`` as scikit-learn takes it: an int count (a whole number) or a float share (below 1)."""
    return int(max_features) if float(max_features).is_integer() else float(max_features)


class BaggingParams(BaseModel):
    """A BaggingClassifier: many copies of one base model, each fitted on its own random draw of rows and
    features, voting together."""

    model_config = form(
        "Bagging params",
        {
            "data": ("dataset", "test_fraction"),
            "model": (
                "estimator",
                "mode",
                "n_estimators",
                "bootstrap",
                "max_samples",
                "bootstrap_features",
                "max_features",
            ),
            "training": ("oob_score",),
            "display": ("grid_size",),
        },
        visible_when={
            **{name: {"mode": ["custom"]} for name in DERIVED},
            "oob_score": {"mode": ["bagging", "custom"]},
        },
    )

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.3), description=fields.LABELLED_POINTS)
    test_fraction: FiniteFloat = fields.test_fraction()
    estimator: BaseModelParam = Field(
        default_factory=lambda: TreeModel(max_depth=6),
        title="Base model",
        description="The model every member of the ensemble is a copy of, each fitted on its own draw.",
        json_schema_extra={"default": TreeModel(max_depth=6).model_dump(mode="json")},
    )
    mode: Mode = Field(
        "bagging",
        title="Sampling scheme",
        description="Bagging: all rows with replacement. Pasting: half, without. Subspaces: 1 feature. "
        "Patches: half the rows and 1 feature. Custom: set the four draws yourself.",
        json_schema_extra={
            "x-labels": {
                "bagging": "Bagging (rows with replacement)",
                "pasting": "Pasting (rows without replacement)",
                "random_patches": "Random patches (rows and features)",
                "random_subspaces": "Random subspaces (features only)",
                "custom": "Custom",
            }
        },
    )
    n_estimators: int = Field(
        20,
        ge=1,
        le=200,
        title="Number of estimators",
        description="How many copies of the base model vote; the frames add them one at a time.",
        json_schema_extra={"x-widget": "slider", "x-max": 100},
    )
    bootstrap: bool = Field(
        True,
        title="Draw rows with replacement",
        description="On: a row can be drawn several times and about a third are left out (bagging); off: pasting.",
    )
    max_samples: FiniteFloat = Field(
        1.0,
        gt=0,
        le=MAX_ROWS,
        title="Rows per estimator",
        description="At most 1: a share of the training rows (1 = as many as there are); above 1: a count.",
        json_schema_extra={"x-widget": "number", "x-step": 0.05},
    )
    bootstrap_features: bool = Field(
        False,
        title="Draw features with replacement",
        description="On: the same feature can be drawn twice (an estimator may then see one feature only).",
    )
    max_features: FiniteFloat = Field(
        2.0,
        gt=0,
        le=2,
        title="Features per estimator",
        description="How many of the 2 features each estimator sees: 1 or 2, or a share below 1 (0.5 = 1).",
        json_schema_extra={"x-widget": "number", "x-step": 0.5},
    )
    oob_score: bool = Field(
        True,
        title="Out-of-bag score",
        description="Score each training row by the estimators that never drew it: a free validation set.",
    )
    grid_size: int = fields.grid_size(80)

    @field_validator("max_samples")
    @classmethod
    def _rows(cls, value: float) -> float:
        return _whole_above_one(value, "rows")

    @field_validator("max_features")
    @classmethod
    def _features(cls, value: float) -> float:
        return _whole_above_one(value, "features")

    @model_validator(mode="after")
    def _apply_mode(self) -> Self:
        """A shortcut mode sets the four draws (the form hides them and may still send old values); a mode
        that draws no rows with replacement has no out-of-bag rows to score, so its OOB switch is off."""
        if self.mode != "custom":
            bootstrap, samples, bootstrap_features, features = MODES[self.mode]
            self.bootstrap, self.max_samples = bootstrap, samples
            self.bootstrap_features, self.max_features = bootstrap_features, features
            if not bootstrap:
                self.oob_score = False
        return self


class RandomForestParams(BaseModel):
    """A RandomForestClassifier: bagged decision trees that also draw a random subset of features at every
    split, so the trees disagree more and their average varies less."""

    model_config = form(
        "Random forest params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("n_estimators", "max_features", "max_depth", "criterion", "bootstrap"),
            "training": ("oob_score",),
            "display": ("grid_size",),
        },
    )

    dataset: DatasetParam = dataset_field(MoonsSpec(noise=0.3), description=fields.LABELLED_POINTS)
    test_fraction: FiniteFloat = fields.test_fraction()
    n_estimators: int = Field(
        40,
        ge=1,
        le=300,
        title="Number of trees",
        description="How many trees the forest averages; the frames add them one at a time.",
        json_schema_extra={"x-widget": "slider", "x-max": 150},
    )
    max_features: ForestFeatures | FeatureCount | Share = Field(
        "sqrt",
        title="Features tried per split",
        description="sqrt, log2 (both 1 of 2 here), all, a count (1, 2) or a share: fewer makes the trees differ more.",
        json_schema_extra={"x-labels": {"sqrt": "√features (1 of 2)", "log2": "log₂ features (1 of 2)", "all": "all"}},
    )
    max_depth: int | None = Field(
        None,
        ge=1,
        le=30,
        title="Max depth",
        description="The most questions from the root to a leaf; empty = grow each tree until its leaves are pure.",
    )
    criterion: Literal["gini", "entropy", "log_loss"] = Field(
        "gini",
        title="Split criterion",
        description="How a split's impurity is measured: Gini impurity, or entropy (log loss, the same splits).",
        json_schema_extra={"x-labels": {"gini": "Gini impurity", "entropy": "Entropy", "log_loss": "Log loss"}},
    )
    bootstrap: bool = Field(
        True,
        title="Bootstrap rows",
        description="On: each tree trains on its own draw of the rows with replacement; off: every tree sees all rows.",
    )
    oob_score: bool = Field(
        True,
        title="Out-of-bag score",
        description="Score each row by the trees that never drew it (needs bootstrap): a free validation set.",
    )
    grid_size: int = fields.grid_size(80)


def forest_features(value: str | int | float) -> str | int | float | None:
    """``max_features`` as scikit-learn takes it ("all" is its ``None``)."""
    return None if value == "all" else value
