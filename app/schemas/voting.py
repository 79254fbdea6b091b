"""Params of the two committee labs: voting (day 6) and stacking with k-fold (day 11).

Both take a list of base models (``estimators``: one tagged object per model, drawn by the form as one sub-form
each, see ``app.schemas.base_models``), built here by ``estimators_field`` so the two lists read alike. Rules
the params alone decide live here (1–5 models, one weight per model, cv 2–10); the ones that need the data or
the other choices (a model that gives no probabilities where they are needed, k-NN's k against the training
points) are the labs' ``prepare`` (``app.labs.voting`` / ``app.labs.stacking``).

The stacking lab's meta-model is a small choice (``final_estimator``: logistic regression or a decision tree)
with its one param beside it, not a base-model object: the form has no widget for a single tagged object (it
would be a JSON box), and these two are the meta-models whose trust in each base model can be read off (the
logistic regression's coefficients, the tree's split importances).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.core.text import plural
from app.schemas import fields
from app.schemas.base_models import (
    MODEL_LABELS,
    BaseModelParam,
    KnnModel,
    LogisticModel,
    NaiveBayesModel,
    SvmModel,
    TreeModel,
)
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

MAX_MODELS = 5
_DATA = "Labelled points with 2 features: a generated set, a classic table, or points you draw on the page."
DEFAULT_DATA = MoonsSpec(n_samples=200, noise=0.3, seed=1)
"""Moons with enough noise that the models disagree near the tips (both labs start from the same points)."""


def _known_model(value: Any) -> Any:
    """An item whose ``model`` is no known classifier is refused at ``estimators.<i>.model`` (the union's own
    error would point at the item, not at the field that is wrong)."""
    if isinstance(value, dict) and "model" in value and value["model"] not in MODEL_LABELS:
        names = ", ".join(MODEL_LABELS)
        error = PydanticCustomError("invalid_model", f"model must be one of {names}")
        raise ValidationError.from_exception_data(
            "BaseModelParam", [InitErrorDetails(type=error, loc=("model",), input=value["model"])]
        )
    return value


EstimatorParam = Annotated[BaseModelParam, BeforeValidator(_known_model)]
"""One base model of a committee: ``{"model": "knn", "n_neighbors": 5}``."""


def estimators_field(default: Callable[[], list[Any]], description: str) -> Any:
    """The ``estimators`` field: 1–5 base models, ``default`` making a fresh default list (also written into
    the JSON Schema, which a ``default_factory`` alone would leave without one)."""
    return Field(
        default_factory=default,
        min_length=1,
        max_length=MAX_MODELS,
        title="Base models",
        description=description,
        json_schema_extra={"default": [m.model_dump(mode="json") for m in default()], "x-item-label": "model"},
    )


def _test_fraction() -> Any:
    return fields.test_fraction()


def _grid_size() -> Any:
    # 80 (not the boundary labs' 100): a frame also carries a small picture per model, and all of it must stay
    # within the 16 KB frame budget.
    return fields.grid_size(
        80, "Grid cells per axis of the large shaded picture (finer is slower; the small ones stay coarse)."
    )


# -- voting ------------------------------------------------------------------------------------------------------


def _voting_models() -> list[Any]:
    # Four models that draw four kinds of boundary (a line, a patchwork, steps, a smooth curve). The SVM has
    # its probabilities on, so switching to soft voting needs nothing else.
    return [
        LogisticModel(),
        KnnModel(n_neighbors=5),
        TreeModel(max_depth=3),
        SvmModel(probability=True),
    ]


Weight = Annotated[FiniteFloat, Field(gt=0, le=100, json_schema_extra={"default": 1.0})]


class VotingParams(BaseModel):
    """Several classifiers vote; hard voting counts their predicted classes, soft voting averages their
    probabilities."""

    model_config = form(
        "Voting params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("estimators", "voting", "weights"),
            "display": ("grid_size",),
        },
    )

    dataset: DatasetParam = dataset_field(DEFAULT_DATA, description=_DATA)
    estimators: list[EstimatorParam] = estimators_field(
        _voting_models, "1–5 classifiers that vote, each with its main setting (the same kind may appear twice)."
    )
    voting: Literal["hard", "soft"] = Field(
        "hard",
        title="Voting",
        description="Hard: each model votes for one class; soft: average the models' class probabilities.",
        json_schema_extra={"x-labels": {"hard": "Hard (count the votes)", "soft": "Soft (average the probabilities)"}},
    )
    weights: list[Weight] = Field(
        default_factory=list,
        max_length=MAX_MODELS,
        title="Vote weights",
        description="One positive number per model, in the models' order (how much its vote counts); "
        "none = every model counts the same.",
        json_schema_extra={"default": []},
    )
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()

    @field_validator("weights", mode="before")
    @classmethod
    def _none_is_equal(cls, value: Any) -> Any:
        """``null`` (scikit-learn's ``weights=None``) means equal weights, as an empty list does."""
        return [] if value is None else value

    @field_validator("weights")
    @classmethod
    def _one_per_model(cls, weights: list[float], info: ValidationInfo) -> list[float]:
        models = info.data.get("estimators")
        if weights and models is not None and len(weights) != len(models):
            have = plural(len(weights), "weight")
            raise PydanticCustomError(
                "weights_length",
                f"give one weight per model: there are {plural(len(models), 'model')} but {have} (or give none for "
                "equal votes)",
                {"models": len(models), "given": len(weights)},
            )
        return weights


# -- stacking ----------------------------------------------------------------------------------------------------


def _stacking_models() -> list[Any]:
    # All five kinds: the meta-model's weights then show which of them it trusts, and that two models making
    # the same mistakes (logistic regression and naive Bayes on the moons) earn little weight between them.
    return [
        LogisticModel(),
        KnnModel(n_neighbors=5),
        TreeModel(max_depth=3),
        SvmModel(probability=True),
        NaiveBayesModel(),
    ]


class StackingParams(BaseModel):
    """Base models' out-of-fold probabilities become the features of a meta-model."""

    model_config = form(
        "Stacking params",
        {
            "data": ("dataset", "test_fraction"),
            "model": ("estimators", "final_estimator", "final_C", "final_max_depth", "passthrough"),
            "training": ("cv",),
            "display": ("grid_size",),
        },
        visible_when={
            "final_C": {"final_estimator": ["logistic_regression"]},
            "final_max_depth": {"final_estimator": ["decision_tree"]},
        },
    )

    dataset: DatasetParam = dataset_field(DEFAULT_DATA, description=_DATA)
    estimators: list[EstimatorParam] = estimators_field(
        _stacking_models,
        "1–5 base models; each must give probabilities (an SVM needs Probabilities on): they are the "
        "meta-model's features.",
    )
    final_estimator: Literal["logistic_regression", "decision_tree"] = Field(
        "logistic_regression",
        title="Meta-model",
        description="What learns to combine the base models: its weights (or splits) say whom it trusts.",
        json_schema_extra={
            "x-labels": {"logistic_regression": "Logistic regression", "decision_tree": "Decision tree"}
        },
    )
    final_C: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10_000,
        title="Meta-model C",
        description="Inverse L2 penalty of the meta-model's logistic regression: small C keeps its weights small.",
        json_schema_extra={"x-log": True},
    )
    final_max_depth: int = Field(
        2, ge=1, le=10, title="Meta-model depth", description="The most questions the meta-model's tree may ask."
    )
    cv: int = Field(
        5,
        ge=2,
        le=10,
        title="Folds (k)",
        description="k of the k-fold split of the training points: each fold is predicted by models trained "
        "on the other k − 1.",
        json_schema_extra={"x-widget": "slider"},
    )
    passthrough: bool = Field(
        False,
        title="Pass the features through",
        description="Give the meta-model the two features as well as the base models' probabilities.",
    )
    test_fraction: FiniteFloat = _test_fraction()
    grid_size: int = _grid_size()
