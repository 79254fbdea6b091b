"""Frames and results of the random-forest lab.

Shapes: `n` points (rows of the dataset), `t` of them training rows (`train_indices`, sorted); `K` classes; `d = 2`
features; the boundary grid is `g × g` (`grid_size`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames import ensemble
from app.schemas.frames.bagging import ProbabilityGrid
from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    IntMatrix,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)
from app.schemas.frames.boundary import ScoreMetrics, Scores

TREES = "Trees in the forest so far."
CORRELATION = (
    "Mean correlation, over pairs of trees, of their errors (1 − the probability given to the true class) on "
    "the test rows (the training rows without a test set); null with fewer than two trees whose error varies."
)


class TreeState(Scores):
    """The forest of the first `trees` trees (scores and confusion are the forest's) and the newest tree."""

    trees: int = Field(ge=1, description=TREES)
    n_estimators: int = Field(ge=1, description="Trees the forest will have.")
    sample_counts: Indices = Field(
        description="(t,) times each training row (in train_indices order) is in this tree's bootstrap sample "
        "(0 = out of bag); all 1 with bootstrap off."
    )
    depth: int = Field(ge=0, description="This tree's depth.")
    leaves: int = Field(ge=1, description="This tree's leaves.")
    tree_train_accuracy: float = ensemble.alone_on_training("tree")
    tree_test_accuracy: float | None = ensemble.alone_on_test("tree")
    oob_accuracy: float | None = ensemble.oob_accuracy("tree")
    oob_rows: int | None = ensemble.oob_rows("tree")


class TreeMetrics(ScoreMetrics):
    """The forest's accuracies, the newest tree's test accuracy and the out-of-bag accuracy so far."""

    tree_test_accuracy: float | MISSING = Field(
        MISSING, description="This tree alone on the test rows; absent without."
    )
    oob_accuracy: float | MISSING = ensemble.oob_metric()


class TreeStep(FrameBase):
    """One `tree` frame per tree, in the order scikit-learn grew them."""

    kind: Literal["tree"] = Field(description="tree: one more tree joins the forest.")
    state: TreeState = Field(description=STATE)
    metrics: TreeMetrics = Field(description=METRICS)


class VarianceState(Scores):
    """Where the trees of the whole forest disagree (the map itself is in the figure and the result's grid)."""

    trees: int = Field(ge=1, description=TREES)
    mean_variance: float = Field(
        ge=0,
        description="Mean over the grid of the variance, across trees, of the probability each tree gives the "
        "forest's class (0 = all agree, 0.25 at most).",
    )
    max_variance: float = Field(ge=0, description="Its largest value on the grid.")
    high_variance_share: float = Field(ge=0, le=1, description="Share of the grid where it is above 0.1.")
    error_correlation: float | None = Field(description=CORRELATION)


class VarianceStep(FrameBase):
    """The `variance` frame, after the last tree."""

    kind: Literal["variance"] = Field(description="variance: the map of where the trees disagree.")
    state: VarianceState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class ImportanceState(Scores):
    """Feature importances of the whole forest."""

    trees: int = Field(ge=1, description=TREES)
    impurity_importances: Vector = Field(description="(d,) scikit-learn's feature_importances_ (sum 1).")
    permutation_importances: Vector = Field(
        description="(d,) accuracy lost when the feature's column is shuffled, mean of 5 shuffles "
        "(sklearn.inspection.permutation_importance, random_state = the seed) on the test rows (the training "
        "rows without a test set)."
    )
    permutation_std: Vector = Field(description="(d,) standard deviation of that loss over the 5 shuffles.")


class ImportanceStep(FrameBase):
    """The last frame: `importance`."""

    kind: Literal["importance"] = Field(description="importance: which features the forest relies on.")
    state: ImportanceState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class VarianceGrid(ProbabilityGrid):
    """The final forest over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    variance: Matrix = Field(description="(g, g) variance across trees of the probability of the forest's class.")


class ForestDone(Wire):
    """The grown forest: scores, importances, the trees' draws and the boundary."""

    oob_score: float | None = ensemble.oob_score("tree")
    oob_rows: int | None = ensemble.oob_rows_left_out("tree")
    train_score: float = Field(description="The forest's accuracy on the training rows (0–1).")
    test_score: float | None = Field(description="The forest's accuracy on the test rows (0–1); null without.")
    tree_scores: Vector = ensemble.each_alone("tree")
    samples: IntMatrix | None = Field(
        description="Per tree, the dataset rows of its bootstrap sample, repeats included, in draw order; null "
        "with bootstrap off."
    )
    impurity_importances: Vector = Field(description="(d,) scikit-learn's feature_importances_.")
    permutation_importances: Vector = Field(description="(d,) mean accuracy lost by shuffling each feature.")
    permutation_std: Vector = Field(description="(d,) its standard deviation over the shuffles.")
    error_correlation: float | None = Field(description=CORRELATION)
    train_indices: Indices = ensemble.train_indices()
    test_indices: Indices = ensemble.test_indices()
    grid: VarianceGrid
    classes: list[str] = ensemble.class_names()


class ForestFrame(
    RootModel[Annotated[TreeStep | VarianceStep | ImportanceStep | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a random-forest run."""


class ForestResult(RootModel[ForestDone | ServiceDivergedResult]):
    """The result of a random-forest run."""
