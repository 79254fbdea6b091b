"""scikit-learn classifiers built from a base-model spec, and their predictions over the boundary grid.

A spec is the plain dict of ``app.schemas.base_models`` (``{"model": "knn", "n_neighbors": 5}``): the labs pass
``spec.model_dump()``, so this module needs no pydantic. ``seed`` is every estimator's ``random_state``
(where it has one), so a run is reproducible with scikit-learn alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

LABELS = {
    "logistic_regression": "logistic regression",
    "knn": "k-NN",
    "decision_tree": "decision tree",
    "svm": "SVM",
    "naive_bayes": "naive Bayes",
}


def make_estimator(spec: Mapping[str, Any], seed: int) -> Any:
    """A fresh, unfitted scikit-learn classifier for ``spec`` (``random_state=seed`` where it takes one)."""
    kind = spec["model"]
    if kind == "logistic_regression":
        return LogisticRegression(C=float(spec["C"]), max_iter=1000)
    if kind == "knn":
        return KNeighborsClassifier(n_neighbors=int(spec["n_neighbors"]))
    if kind == "decision_tree":
        return DecisionTreeClassifier(max_depth=int(spec["max_depth"]), random_state=seed)
    if kind == "svm":
        # scikit-learn 1.9 warns whenever ``probability`` is passed (deprecated), so only when it is wanted.
        extra = {"probability": True} if spec["probability"] else {}
        return SVC(C=float(spec["C"]), random_state=seed, **extra)
    if kind == "naive_bayes":
        return GaussianNB(var_smoothing=float(spec["var_smoothing"]))
    raise ValueError(f"unknown base model {kind!r}")


def can_give_probabilities(spec: Mapping[str, Any]) -> bool:
    """Whether the fitted model has ``predict_proba`` (an SVM only with ``probability``)."""
    return spec["model"] != "svm" or bool(spec["probability"])


def describe(spec: Mapping[str, Any]) -> str:
    """The model in words, with its main param: "k-NN (k = 5)", "decision tree (depth ≤ 3)"."""
    kind = spec["model"]
    main = {
        "logistic_regression": lambda: f"C = {spec['C']:g}",
        "knn": lambda: f"k = {spec['n_neighbors']}",
        "decision_tree": lambda: f"depth ≤ {spec['max_depth']}",
        "svm": lambda: f"C = {spec['C']:g}",
        "naive_bayes": lambda: f"smoothing {spec['var_smoothing']:g}",
    }[kind]()
    return f"{LABELS[kind]} ({main})"


def grid_prediction(model: ClassifierMixin, points: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A fitted classifier over the grid ``points`` (g², 2): the predicted class index (g²,) int and, when the
    model has probabilities, the winning class's probability (g²,) float (else ``None``).

    The classifier must have been fitted on class indices 0..K−1 (``classes_`` then equals them)."""
    predicted = np.asarray(model.predict(points), dtype=np.int64)
    if not hasattr(model, "predict_proba") or (isinstance(model, SVC) and model.probability is not True):
        return predicted, None
    proba = np.asarray(model.predict_proba(points))
    return predicted, proba.max(axis=1)
