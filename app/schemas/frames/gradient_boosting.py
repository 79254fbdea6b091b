"""Frames and result of the gradient-boosting lab (classification and regression).

Shapes: `n` rows of the dataset, `N` of them training rows (`train_indices`, in that order); `K` classes (0 for
regression); `K'` trees per stage (K for K > 2 classes, else 1); `T` stages (`n_estimators`); a tree of `M`
nodes. F is the model's raw prediction: the predicted number (regression) or the log-odds / per-class scores
(classification, scikit-learn's `decision_function`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

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
from app.schemas.frames.boundary import CONFUSION, TEST_ACCURACY, TEST_INDICES, TRAIN_ACCURACY, TRAIN_INDICES

STAGE = "Trees added so far, stage by stage (0 = the start, before any tree)."
TRAIN_LOSS = (
    "Mean loss of the model so far on all training rows, in the loss's own units: MSE, mean absolute error, "
    "Huber loss (with this stage's δ; the first stage's at stage 0), log-loss in nats, or mean e^(−y′F)."
)
TEST_LOSS = "The same mean loss on the test rows; null when there is no test set (test_fraction 0)."
TRAIN_MSE = "Mean squared error (y − F)² on the training rows."
TEST_MSE = "Mean squared error on the test rows; null without a test set."
INITIAL = (
    "F₀, the constant before any tree: the mean (squared error) or median (absolute error, Huber) of the "
    "training targets, the prior's log-odds of class 1 (log-loss), half of it (exponential), or (K,) centred "
    "log-priors for K > 2 classes."
)


class Tree(Wire):
    """One fitted regression tree of a stage, as scikit-learn's `tree_` holds it: per-node arrays, node 0 the root."""

    feature: Indices = Field(description="(M,) feature each node splits on (0 = first column); −2 at a leaf.")
    threshold: Vector = Field(description="(M,) rows with x[feature] ≤ threshold go left; −2 at a leaf.")
    left: Indices = Field(description="(M,) left child of each node; −1 at a leaf.")
    right: Indices = Field(description="(M,) right child of each node; −1 at a leaf.")
    n_samples: Indices = Field(description="(M,) in-bag training rows reaching each node.")
    value: Vector = Field(
        description="(M,) what the tree fitted: the mean negative gradient of the in-bag rows in each node "
        "(9 decimals)."
    )
    step: Vector = Field(
        description="(M,) what each node predicts, learning rate not applied: at a leaf, scikit-learn's "
        "line-search value (equal to `value` for squared error; the median residual for absolute error; one "
        "Newton step for log-loss and exponential); at a split, its own `value`."
    )


class _Common(Wire):
    stage: int = Field(ge=0, description=STAGE)
    train_loss: float = Field(description=TRAIN_LOSS)
    test_loss: float | None = Field(description=TEST_LOSS)


class _Regression(_Common):
    train_mse: float = Field(description=TRAIN_MSE)
    test_mse: float | None = Field(description=TEST_MSE)


class _Classification(_Common):
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)
    confusion: IntMatrix = Field(description=CONFUSION)


class _Start(Wire):
    initial_prediction: float | Vector = Field(description=INITIAL)


class _Stage(Wire):
    negative_gradient: Vector | Matrix = Field(
        description="(N,) or (N, K) for K > 2 classes: what this stage's tree(s) were fitted to at each training "
        "row (train_indices order), −∂loss/∂F at the previous stage's F: the residual y − F (squared error), its "
        "sign (absolute error), the residual clipped at ±δ (Huber), y − p (log-loss, two classes), 1[y = k] − pₖ "
        "(K classes), y·e^(−F) − (1 − y)·e^F (exponential)."
    )
    in_bag: Indices = Field(
        description="Rows of the dataset this stage's trees were fitted on (all training rows "
        "with subsample 1), sorted."
    )
    trees: list[Tree] = Field(description="(K',) this stage's trees: one, or one per class for K > 2.")
    in_bag_loss: float = Field(
        description="scikit-learn's train_score_ of this stage: the loss on the in-bag rows as the library "
        "reports it (squared error as MSE; log-loss of two classes doubled: the deviance)."
    )
    huber_delta: float | MISSING = Field(
        MISSING, description="Huber loss only: δ of this stage, the 90th percentile of |y − F| before it."
    )


class RegressionStart(_Regression, _Start):
    """The start (regression): the constant F₀ and its errors."""


class ClassificationStart(_Classification, _Start):
    """The start (classification): every point gets the prior F₀."""


class RegressionStage(_Regression, _Stage):
    """A stage (regression): what its tree fitted, the tree, and the model with it added."""


class ClassificationStage(_Classification, _Stage):
    """A stage (classification): what its trees fitted, the trees, and the model with them added (`train_accuracy`,
    `test_accuracy` and `confusion` are the model's)."""


class RegressionMetrics(Wire):
    """Losses and squared errors of the model so far (test ones only with a test set)."""

    train_loss: float = Field(description=TRAIN_LOSS)
    test_loss: float | MISSING = Field(MISSING, description="Test loss; absent without a test set.")
    train_mse: float = Field(description=TRAIN_MSE)
    test_mse: float | MISSING = Field(MISSING, description="Test MSE; absent without a test set.")


class ClassificationMetrics(Wire):
    """Losses and accuracies of the model so far (test ones only with a test set)."""

    train_loss: float = Field(description=TRAIN_LOSS)
    test_loss: float | MISSING = Field(MISSING, description="Test loss; absent without a test set.")
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | MISSING = Field(MISSING, description="Test accuracy (0–1); absent without a test set.")


class StartFrame(FrameBase):
    """Frame 0, `init`: the model before any tree."""

    kind: Literal["init"] = Field(description="`init`: the constant start F₀.")
    state: RegressionStart | ClassificationStart = Field(description=STATE)
    metrics: RegressionMetrics | ClassificationMetrics = Field(description=METRICS)


class StageFrame(FrameBase):
    """One `stage` per boosting stage: its tree(s) fitted to the negative gradient, then added × learning rate."""

    kind: Literal["stage"] = Field(description="`stage`: one more stage of trees.")
    state: RegressionStage | ClassificationStage = Field(description=STATE)
    metrics: RegressionMetrics | ClassificationMetrics = Field(description=METRICS)


class _Done(Wire):
    n_stages: int = Field(ge=1, description="T, the stages fitted.")
    initial_prediction: float | Vector = Field(description=INITIAL)
    train_loss: Vector = Field(description="(T + 1,) the training loss after each stage, from stage 0.")
    test_loss: Vector | None = Field(description="(T + 1,) the test loss after each stage; null without a test set.")
    train_score: Vector = Field(description="(T,) scikit-learn's train_score_ (the in-bag loss of each stage).")
    best_stage: int | None = Field(description="The stage with the lowest test loss; null without a test set.")
    feature_importances: Vector = Field(description="(d,) scikit-learn's impurity-based feature_importances_.")
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)


class RegressionDone(_Done):
    """The fitted `GradientBoostingRegressor(random_state=seed)` (training rows only)."""

    train_mse: float = Field(description=TRAIN_MSE + " Of the final model.")
    test_mse: float | None = Field(description=TEST_MSE + " Of the final model.")


class ClassificationDone(_Done):
    """The fitted `GradientBoostingClassifier(random_state=seed)` (training rows only)."""

    train_accuracy: float = Field(description=TRAIN_ACCURACY + " Of the final model.")
    test_accuracy: float | None = Field(description=TEST_ACCURACY + " Of the final model.")
    classes: list[str] = Field(description="(K,) the class names of the class indices.")


class GradientBoostingFrame(
    RootModel[Annotated[StartFrame | StageFrame | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a gradient-boosting run."""


class GradientBoostingResult(RootModel[RegressionDone | ClassificationDone | ServiceDivergedResult]):
    """The result of a gradient-boosting run."""
