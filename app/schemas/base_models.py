"""The base models the ensemble labs combine (voting, stacking, bagging): one tagged object per model.

``BaseModelParam`` is ``{"model": "logistic_regression" | "knn" | "decision_tree" | "svm" | "naive_bayes", <its
main param>}``; the form draws a list of them as one sub-form per model (``list-schema.js``'s objlist). The
engines build the scikit-learn estimator from ``spec.model_dump()`` (``app.engines.base_models``), never from
this module: engines sit below pydantic.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from app.schemas.common import FiniteFloat

MODEL_LABELS = {
    "logistic_regression": "Logistic regression",
    "knn": "k-nearest neighbours",
    "decision_tree": "Decision tree",
    "svm": "SVM (RBF kernel)",
    "naive_bayes": "Gaussian naive Bayes",
}
"""How each model reads on the form and in captions."""


def _model(name: str) -> Any:
    """The discriminator field of a base model: which scikit-learn classifier it is."""
    return Field(
        name,
        title="Model",
        description="Which classifier this is.",
        json_schema_extra={"x-labels": {name: MODEL_LABELS[name]}},
    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LogisticModel(_Model):
    """scikit-learn's LogisticRegression (lbfgs, L2 penalty)."""

    model: Literal["logistic_regression"] = _model("logistic_regression")
    C: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10_000,
        title="Inverse penalty (C)",
        description="1/λ of the L2 penalty: small C keeps the weights small and the boundary simple.",
        json_schema_extra={"x-log": True},
    )


class KnnModel(_Model):
    """scikit-learn's KNeighborsClassifier (uniform votes, Euclidean distance)."""

    model: Literal["knn"] = _model("knn")
    n_neighbors: int = Field(
        5, ge=1, le=50, title="Neighbours (k)", description="How many nearest training points vote."
    )


class TreeModel(_Model):
    """scikit-learn's DecisionTreeClassifier (gini), seeded by the run's seed."""

    model: Literal["decision_tree"] = _model("decision_tree")
    max_depth: int = Field(3, ge=1, le=20, title="Max depth", description="The most questions from the root to a leaf.")


class SvmModel(_Model):
    """scikit-learn's SVC with the RBF kernel (gamma 'scale')."""

    model: Literal["svm"] = _model("svm")
    C: FiniteFloat = Field(
        1.0,
        gt=0,
        le=10_000,
        title="Margin penalty (C)",
        description="The cost of each margin violation: large C makes a hard, narrow margin.",
        json_schema_extra={"x-log": True},
    )
    probability: bool = Field(
        False,
        title="Probabilities",
        description="Fit Platt scaling (an inner 5-fold CV) so it can give probabilities: soft voting needs it.",
    )


class NaiveBayesModel(_Model):
    """scikit-learn's GaussianNB: one Gaussian per class and feature."""

    model: Literal["naive_bayes"] = _model("naive_bayes")
    var_smoothing: FiniteFloat = Field(
        1e-9,
        gt=0,
        le=1,
        title="Variance smoothing",
        description="Share of the largest feature variance added to every variance, for stability.",
        json_schema_extra={"x-log": True},
    )


def _model_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        name = v.get("model")
        return name if isinstance(name, str) and name in MODEL_LABELS else None
    return getattr(v, "model", None)


BaseModelParam = Annotated[
    Annotated[LogisticModel, Tag("logistic_regression")]
    | Annotated[KnnModel, Tag("knn")]
    | Annotated[TreeModel, Tag("decision_tree")]
    | Annotated[SvmModel, Tag("svm")]
    | Annotated[NaiveBayesModel, Tag("naive_bayes")],
    Discriminator(
        _model_tag,
        custom_error_type="invalid_model",
        custom_error_message="model must be one of logistic_regression, knn, decision_tree, svm, naive_bayes",
    ),
]
"""One base model: ``{"model": "knn", "n_neighbors": 5}``."""

AnyBaseModel = LogisticModel | KnnModel | TreeModel | SvmModel | NaiveBayesModel
