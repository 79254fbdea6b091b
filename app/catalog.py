"""The registry: every lab, in curriculum order. API, pages, CLI and contract tests all iterate it.

The catalog sits above the labs (it imports them; they never import it): each lab module lists its
``Algorithm`` constants in ``ALGORITHMS``, and ``_LISTED`` below names every module's tuple once. The order is
the journal's: by the first day in ``days``, ties kept in the order listed here (a stable sort).
``Algorithm`` is re-exported from ``app.core.algorithm`` for callers that import it from here.
"""

from __future__ import annotations

from typing import Any

from app.core.algorithm import Algorithm, Engine, Figure, View
from app.labs import (
    adaboost,
    backprop,
    bagging,
    bias_variance,
    boundary,
    clustering,
    cnn,
    convolution,
    cross_validation,
    dbscan,
    forest,
    gan,
    gradient_boosting,
    hierarchical,
    hyperparameter_tuning,
    learning_curves,
    neural,
    optimization,
    pca,
    regularization,
    resnet,
    rnn,
    segmentation,
    separable_conv,
    softmax,
    stacking,
    tensors,
    transfer_learning,
    tree,
    voting,
)

__all__ = ["ALGORITHMS", "Algorithm", "Engine", "Figure", "View", "all_algorithms", "get_algorithm"]

_LISTED: tuple[Algorithm[Any, Any], ...] = (
    *boundary.ALGORITHMS,
    *tree.ALGORITHMS,
    *voting.ALGORITHMS,
    *bagging.ALGORITHMS,
    *forest.ALGORITHMS,
    *adaboost.ALGORITHMS,
    *gradient_boosting.ALGORITHMS,
    *stacking.ALGORITHMS,
    *cross_validation.ALGORITHMS,
    *bias_variance.ALGORITHMS,
    *regularization.ALGORITHMS,
    *hyperparameter_tuning.ALGORITHMS,
    *learning_curves.ALGORITHMS,
    *clustering.ALGORITHMS,
    *dbscan.ALGORITHMS,
    *hierarchical.ALGORITHMS,
    *neural.ALGORITHMS,
    *optimization.ALGORITHMS,
    *pca.ALGORITHMS,
    *convolution.ALGORITHMS,
    *cnn.ALGORITHMS,
    *resnet.ALGORITHMS,
    *separable_conv.ALGORITHMS,
    *segmentation.ALGORITHMS,
    *transfer_learning.ALGORITHMS,
    *backprop.ALGORITHMS,
    *softmax.ALGORITHMS,
    *tensors.ALGORITHMS,
    *rnn.ALGORITHMS,
    *gan.ALGORITHMS,
)


def curriculum_order(algorithms: tuple[Algorithm[Any, Any], ...]) -> tuple[Algorithm[Any, Any], ...]:
    """By the first journal day each covers; ties keep their given order."""
    return tuple(sorted(algorithms, key=lambda a: min(a.days)))


ALGORITHMS = curriculum_order(_LISTED)

_REGISTRY: dict[str, Algorithm[Any, Any]] = {}
for _algorithm in ALGORITHMS:
    if _algorithm.id in _REGISTRY:
        raise ValueError(f"duplicate algorithm id {_algorithm.id!r}")
    _REGISTRY[_algorithm.id] = _algorithm


def all_algorithms() -> list[Algorithm[Any, Any]]:
    return list(_REGISTRY.values())


def get_algorithm(algorithm_id: str) -> Algorithm[Any, Any] | None:
    return _REGISTRY.get(algorithm_id)
