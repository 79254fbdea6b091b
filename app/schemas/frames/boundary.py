"""Frames and results of the decision-boundary labs: logistic regression, perceptron, k-nearest neighbours.

Shared shapes: `n` points (rows of the dataset), split into training and test rows by index; `K` classes
(indices 0..K−1 into the class names); the boundary grid is `g × g` (`grid_size`) points over the data's box.
The SVM lab is in `svm.py`.
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
    NoMetrics,
    NoState,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

TRAIN_ACCURACY = "Fraction of the training points classified right (0–1)."
TEST_ACCURACY = "Fraction of the test points classified right (0–1); null when there is no test set (test_fraction 0)."
CONFUSION = (
    "(K, K) counts: row = true class, column = predicted class, on the test set when there is one, else on "
    "the training set."
)
TRAIN_INDICES = "Rows of the dataset trained on, sorted."
TEST_INDICES = "Rows of the dataset held out for testing, sorted; empty when test_fraction is 0."


class Scores(Wire):
    """Accuracy and confusion of the current model, as every boundary frame reports them."""

    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)
    confusion: IntMatrix = Field(description=CONFUSION)


class ScoreMetrics(Wire):
    """Accuracies of the current model (test accuracy only with a test set)."""

    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | MISSING = Field(MISSING, description="Test accuracy (0–1); absent without a test set.")


class Grid(Wire):
    """The final model over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    x: Vector = Field(description="(g,) grid x coordinates (first feature), ascending.")
    y: Vector = Field(description="(g,) grid y coordinates (second feature), ascending.")
    predicted: IntMatrix = Field(description="(g, g) predicted class index; rows along y.")


# -- logistic regression ---------------------------------------------------------------------------------------


class LogisticState(Scores):
    """The model after `epoch` epochs of mini-batch gradient descent."""

    weights: Vector | Matrix = Field(
        description="(p,) for two classes (sigmoid), (p, K) for more (softmax); p polynomial features of the "
        "standardised inputs (names in the result's feature_names), in standard deviations of each feature."
    )
    bias: float | Vector = Field(description="A number for two classes, (K,) for more.")
    loss: float = Field(description="Mean cross-entropy on the training points (nats, no L2 term).")
    epoch: int = Field(ge=0, description="Epochs trained so far (0 = the zero-weight start).")
    gradient_norm: float = Field(description="‖∇‖ of cross-entropy + L2 term over all training points.")
    weight_norm: float = Field(description="‖W‖ (Frobenius norm of the weights, bias excluded).")
    settled: bool = Field(description="Gradient norm below 1e-3 and the last epoch changed the loss by < 0.01 %.")


class LogisticMetrics(ScoreMetrics):
    """Accuracies and the training loss."""

    loss: float = Field(description="Mean cross-entropy on the training points (nats).")


class LogisticStep(FrameBase):
    """Zero weights (`init`), after some epochs (`epoch`, thinned to at most 80), and the last one (`done`)."""

    kind: Literal["init", "epoch", "done"] = Field(description="init | epoch | done.")
    state: LogisticState = Field(description=STATE)
    metrics: LogisticMetrics = Field(description=METRICS)


class LogisticDivergedState(Wire):
    """Where the weights blew up."""

    epoch: int = Field(description="The epoch in which the weights blew up.")
    loss: None = Field(description="Always null: the loss is no longer a number worth showing.")


class LogisticDiverged(FrameBase):
    """The last frame when the weights blew up (cross-entropy past 1e6 or not finite): from the engine (state
    `{epoch, loss: null}`) or, in principle, from the run service (state `{}`)."""

    kind: Literal["diverged"] = Field(description="`diverged`: the run stopped here.")
    state: LogisticDivergedState | NoState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class LogisticGrid(Grid):
    """The final model over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    probability: Matrix = Field(description="(g, g) probability of the predicted class (0–1, 6 decimals).")


class LogisticDone(Wire):
    """The trained model."""

    weights: Vector | Matrix = Field(description="Final weights: (p,) for two classes, (p, K) for more.")
    bias: float | Vector = Field(description="Final bias: a number for two classes, (K,) for more.")
    loss: float = Field(description="Final mean cross-entropy on the training points (nats).")
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)
    confusion: IntMatrix = Field(description=CONFUSION)
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    feature_names: list[str] = Field(description="(p,) names of the polynomial features the weights multiply.")
    settled_epoch: int | None = Field(description="First epoch at which the model settled; null if it never did.")
    gradient_norm: float = Field(description="‖∇‖ of the objective at the end.")
    grid: LogisticGrid


class LogisticBlewUp(Wire):
    """The engine stopped because the weights blew up."""

    diverged: Literal[True] = Field(description="Always true.")
    epoch: int = Field(description="The epoch in which the weights blew up.")
    train_indices: Indices = Field(description=TRAIN_INDICES)


class LogisticFrame(RootModel[Annotated[LogisticStep | LogisticDiverged, Field(discriminator="kind")]]):
    """One frame of a logistic-regression run."""


class LogisticResult(RootModel[LogisticDone | LogisticBlewUp | ServiceDivergedResult]):
    """The result of a logistic-regression run."""


# -- perceptron -----------------------------------------------------------------------------------------------


class PerceptronState(Scores):
    """The line after this update (w·x + b = 0) and its scores."""

    weights: Vector = Field(description="(2,) w, in the units of the data (class 1 is t = +1, class 0 is t = −1).")
    bias: float = Field(description="b: the line is w·x + b = 0.")
    misclassified: int | None = Field(
        description="Row of the dataset whose mistake made this update; null in init / converged / stopped."
    )
    epoch: int = Field(ge=0, description="Epoch of this update (from 1); 0 at init; epochs run at the end.")


class PerceptronStep(FrameBase):
    """`init` (w = 0), one `update` per weight change (thinned evenly past 200), then `converged` (an epoch
    without a mistake) or `stopped` (out of epochs)."""

    kind: Literal["init", "update", "converged", "stopped"] = Field(description="init | update | converged | stopped.")
    state: PerceptronState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class PerceptronDone(Wire):
    """The final line, the mistakes per epoch and the boundary."""

    weights: Vector = Field(description="(2,) final w.")
    bias: float = Field(description="Final b.")
    errors_per_epoch: list[int] = Field(description="Mistakes (updates) in each epoch run, in order.")
    converged: bool = Field(description="True when the last epoch made no mistake.")
    n_updates: int = Field(description="Weight updates over the whole run (frames may show fewer).")
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    grid: Grid


class PerceptronFrame(RootModel[Annotated[PerceptronStep | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of a perceptron run."""


class PerceptronResult(RootModel[PerceptronDone | ServiceDivergedResult]):
    """The result of a perceptron run."""


# -- k-nearest neighbours -------------------------------------------------------------------------------------


class KnnState(Scores):
    """Scores of the k-neighbour vote."""

    k: int = Field(ge=1, description="Neighbours voting in this frame (the sweep goes 1, 2, …, k).")
    tied_votes: int = Field(ge=0, description="Points whose vote was tied (won by the lowest class index).")


class KnnStep(FrameBase):
    """One `k` frame per k = 1 .. k."""

    kind: Literal["k"] = Field(description="k: one frame per number of neighbours.")
    state: KnnState = Field(description=STATE)
    metrics: ScoreMetrics = Field(description=METRICS)


class KnnAccuracy(Wire):
    """Accuracies at one k."""

    k: int = Field(description="Neighbours voting.")
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)


class KnnGrid(Grid):
    """The vote at the last k over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    probability: Matrix = Field(description="(g, g) vote share of the winning class at the last k (0–1).")


class KnnDone(Wire):
    """The sweep's accuracies, the boundary at the last k and, for the page, every point's neighbour list."""

    k: int = Field(description="The last k of the sweep (the k asked for, clamped to the training points).")
    requested_k: int = Field(description="The k asked for.")
    best_k: int = Field(description="The k with the best test accuracy (training accuracy without a test set).")
    accuracy_by_k: list[KnnAccuracy] = Field(description="One entry per k = 1 .. k.")
    train_accuracy: float = Field(description=TRAIN_ACCURACY + " At the last k.")
    test_accuracy: float | None = Field(description=TEST_ACCURACY + " At the last k.")
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    grid: KnnGrid
    neighbors: IntMatrix | MISSING = Field(
        MISSING,
        description="(n, k) each point's k nearest training rows (indices into the dataset), nearest first; "
        "absent when n·k > 250,000. The vote at k' is the first k' of each list.",
    )
    neighbor_weights: Matrix | MISSING = Field(
        MISSING, description="(n, k) each neighbour's vote weight 1/d (3 significant digits); distance weights only."
    )
    labels: Indices | MISSING = Field(MISSING, description="(n,) class index of every point (with neighbors).")
    points: Matrix | MISSING = Field(MISSING, description="(n, 2) the points (7 significant digits; with neighbors).")
    classes: list[str] = Field(description="(K,) the class names of the class indices.")


class KnnFrame(RootModel[Annotated[KnnStep | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of a k-nearest-neighbours run."""


class KnnResult(RootModel[KnnDone | ServiceDivergedResult]):
    """The result of a k-nearest-neighbours run."""
