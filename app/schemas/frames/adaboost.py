"""Frames and result of the AdaBoost lab.

Shapes: `n` points (rows of the dataset), `N` of them training rows (`train_indices`, in that order); `K` classes;
`T` boosting rounds asked for (`n_estimators`); a tree of `M` nodes; the boundary grid is `g × g` points.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)
from app.schemas.frames.boundary import TEST_ACCURACY, TEST_INDICES, TRAIN_ACCURACY, TRAIN_INDICES, Grid, Scores
from app.schemas.frames.boundary import ScoreMetrics as BoundaryMetrics


class Tree(Wire):
    """One fitted tree as scikit-learn's `tree_` holds it: per-node arrays, node 0 the root."""

    feature: Indices = Field(description="(M,) feature each node splits on (0 = first column); −2 at a leaf.")
    threshold: Vector = Field(description="(M,) points with x[feature] ≤ threshold go left; −2 at a leaf.")
    left: Indices = Field(description="(M,) left child of each node; −1 at a leaf.")
    right: Indices = Field(description="(M,) right child of each node; −1 at a leaf.")
    predicted: Indices = Field(description="(M,) class index each node predicts (its weighted majority).")
    weight: Vector = Field(description="(M,) total sample weight of the training points reaching each node.")


class AdaBoostState(Scores):
    """One boosting round: the weights its tree was fitted to, the tree, its error and say, and the ensemble of
    the trees so far (`train_accuracy`, `test_accuracy` and `confusion` are the ensemble's)."""

    round: int = Field(ge=1, description="The boosting round, from 1.")
    sample_weight: Vector = Field(
        description="(N,) the weight of each training point (train_indices order) this round's tree was fitted "
        "to; they sum to 1 (1/N each in round 1)."
    )
    error: float = Field(ge=0, le=1, description="ε: the share of the weight on the points this tree misclassifies.")
    alpha: float = Field(
        description="α: the tree's say in the vote, learning_rate · (ln((1 − ε)/ε) + ln(K − 1)); 1 for a perfect "
        "tree (ε = 0), 0 for a tree discarded as no better than guessing."
    )
    boost_factor: float | None = Field(
        description="e^α: what the weights of the misclassified points are multiplied by (before normalising) "
        "for the next round; null when no round follows."
    )
    misclassified_by_tree: Indices = Field(description="Rows of the dataset (training points) this tree gets wrong.")
    tree: Tree = Field(description="This round's tree.")
    tree_train_accuracy: float = Field(description="Share of the training points this tree alone gets right (0–1).")
    n_trees: int = Field(ge=0, description="Trees in the ensemble now (a discarded tree is not one of them).")


class AdaBoostMetrics(BoundaryMetrics):
    """The ensemble's accuracies and this round's error and say."""

    error: float = Field(description="ε of this round's tree.")
    alpha: float = Field(description="α of this round's tree.")


class AdaBoostRound(FrameBase):
    """One `round` per tree kept; a last `stopped` when scikit-learn fitted a tree no better than guessing
    (ε ≥ 1 − 1/K), discarded it and stopped (the ensemble is then the one of the frame before)."""

    kind: Literal["round", "stopped"] = Field(description="round | stopped.")
    state: AdaBoostState = Field(description=STATE)
    metrics: AdaBoostMetrics = Field(description=METRICS)


class RoundAccuracy(Wire):
    """The ensemble's accuracies after one round."""

    round: int = Field(description="The boosting round, from 1.")
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)


class VoteGrid(Grid):
    """The final ensemble over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    vote_share: list[list[float]] = Field(
        description="(g, g) share of the total say Σα of the trees voting for the predicted class (0–1)."
    )


class AdaBoostDone(Wire):
    """The ensemble as scikit-learn fitted it (`AdaBoostClassifier(random_state=seed)` on the training rows)."""

    estimator_weights: Vector = Field(
        description="(T,) scikit-learn's estimator_weights_: each round's say α; 0 for rounds never fitted."
    )
    estimator_errors: Vector = Field(
        description="(T,) scikit-learn's estimator_errors_: each round's ε; 1 for rounds never fitted."
    )
    n_trees: int = Field(ge=1, description="Trees in the ensemble (fewer than T when the fit stopped early).")
    stop: Literal["completed", "perfect", "guessing", "overflow"] = Field(
        description="Why the fit ended: all T rounds ran; a tree was perfect (ε = 0); a tree was no better than "
        "guessing (discarded); or the weights stopped being finite numbers."
    )
    tree_seeds: Indices = Field(description="(n_trees,) the random_state scikit-learn gave each tree.")
    trees: list[Tree] = Field(description="(n_trees,) the trees, in round order.")
    accuracy_by_round: list[RoundAccuracy] = Field(description="(n_trees,) the ensemble after each round.")
    train_accuracy: float = Field(description=TRAIN_ACCURACY + " Of the final ensemble.")
    test_accuracy: float | None = Field(description=TEST_ACCURACY + " Of the final ensemble.")
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    grid: VoteGrid
    classes: list[str] = Field(description="(K,) the class names of the class indices.")


class AdaBoostFrame(RootModel[Annotated[AdaBoostRound | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of an AdaBoost run."""


class AdaBoostResult(RootModel[AdaBoostDone | ServiceDivergedResult]):
    """The result of an AdaBoost run."""
