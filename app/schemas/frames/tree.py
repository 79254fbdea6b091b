"""Frames and result of the decision-tree lab (classification and regression).

Node ids are scikit-learn's (`DecisionTree*(random_state=seed).tree_`, node 0 the root); the frames list nodes
breadth-first. `n` rows of the dataset; `K` classes (regression: one value per node); `d` features (1 or 2).
A node's `value` is `tree_.value[id, 0]`: the class fractions of its training rows (K,), or `[prediction]` (the
mean for squared error, the median for absolute error). Scores: classification frames carry accuracies and the
confusion matrix, regression frames mean squared errors.
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

Stop = Literal["pure", "max_depth", "min_samples_split", "min_samples_leaf", "pruned", "no_cut", "max_leaf_nodes"]
TRAIN_MSE = "Mean squared error (y − prediction)² on the training rows."
TEST_MSE = "Mean squared error on the test rows; null without a test set (test_fraction 0)."
N_LEAVES = "Leaves of the tree this frame shows (a node not split yet counts as a leaf)."


class Node(Wire):
    """One node of the tree, as `tree_` holds it; split fields are null until (unless) the node is split."""

    id: int = Field(ge=0, description="scikit-learn's node id (pre-order; best-first order with max_leaf_nodes).")
    parent: int | None = Field(description="The parent's id; null for the root.")
    depth: int = Field(ge=0, description="Questions from the root to this node (0 = the root).")
    feature: int | None = Field(description="Column the node splits on (0 = first); null for a leaf or not yet split.")
    threshold: float | None = Field(
        description="Rows whose value (as float32) is ≤ this go left; null for a leaf or not yet split."
    )
    impurity: float = Field(description="The node's impurity under the criterion (entropy in bits).")
    n_samples: int = Field(ge=1, description="Training rows reaching the node.")
    value: Vector = Field(description="(K,) class fractions, or [prediction] for regression.")
    left: int | None = Field(description="Left child's id (value ≤ threshold); null for a leaf or not yet split.")
    right: int | None = Field(description="Right child's id; null for a leaf or not yet split.")
    stop: Stop | None = Field(
        description="Why a final leaf stays a leaf (pure, max_depth, min_samples_split, min_samples_leaf, pruned "
        "by ccp_alpha, no_cut: identical points, max_leaf_nodes); null for a split node, a node still waiting "
        "to be split, and in refitted trees (prune, depth frames)."
    )


class FeatureScan(Wire):
    """Every candidate cut of one feature at the node being split (thinned to ≤ 81 points, the best kept)."""

    feature: int = Field(ge=0, description="The column.")
    n_candidates: int = Field(ge=0, description="Cuts tried: between distinct values, min_samples_leaf each side.")
    thresholds: Vector = Field(description="(c,) candidate thresholds, ascending (midpoints of neighbours).")
    gains: Vector = Field(description="(c,) impurity − weighted child impurity of each cut.")
    best_threshold: float | None = Field(description="This feature's best cut; null with no candidate.")
    best_gain: float | None = Field(description="Its gain; null with no candidate.")
    chosen: bool = Field(description="True for the feature scikit-learn split on.")


class SplitInfo(Wire):
    """The split scikit-learn chose at this node (from `tree_`)."""

    feature: int = Field(ge=0, description="The column split on.")
    threshold: float = Field(description="`tree_.threshold` of the node.")
    gain: float = Field(description="impurity − (n_L·impurity_L + n_R·impurity_R)/n: equals the scan's best gain.")
    child_impurity: float = Field(description="(n_L·impurity_L + n_R·impurity_R)/n, the weighted child impurity.")
    n_candidates: int = Field(ge=0, description="Candidate cuts over all features.")
    n_left: int = Field(ge=1, description="Training rows going left.")
    n_right: int = Field(ge=1, description="Training rows going right.")


class _Tree(Wire):
    """The tree a frame shows and its scores (the keys every frame has)."""

    node: int | None = Field(
        description="The node being split (split, leaf), the first node collapsed (prune), null otherwise."
    )
    depth: int = Field(ge=0, description="Depth of the tree this frame shows.")
    tree: list[Node] = Field(description="The tree this frame shows, node by node, breadth-first.")
    n_leaves: int = Field(ge=1, description=N_LEAVES)
    train_accuracy: float | MISSING = Field(MISSING, description=TRAIN_ACCURACY + " Classification only.")
    test_accuracy: float | MISSING | None = Field(MISSING, description=TEST_ACCURACY + " Classification only.")
    confusion: IntMatrix | MISSING = Field(MISSING, description=CONFUSION + " Classification only.")
    train_mse: float | MISSING = Field(MISSING, description=TRAIN_MSE + " Regression only.")
    test_mse: float | MISSING | None = Field(MISSING, description=TEST_MSE + " Regression only.")


class SplitState(_Tree):
    """After splitting `node`: the split, the scan of its candidates, and the partial tree's scores."""

    split: SplitInfo
    scan: list[FeatureScan] = Field(description="(d,) one scan per feature, in column order.")


class LevelState(_Tree):
    """After splitting the rest of one depth at once (trees with more than 63 splits)."""

    nodes: Indices = Field(description="The nodes split in this frame.")


class PruneState(_Tree):
    """The tree refitted with `ccp_alpha = alpha` (its own node ids)."""

    alpha: float = Field(ge=0, description="The effective alpha of this pruning step (cost_complexity_pruning_path).")
    collapsed: Indices = Field(description="Nodes of this tree that were split before this step and are leaves now.")


class DepthState(_Tree):
    """The tree refitted with `max_depth` (its own node ids)."""

    max_depth: int = Field(ge=1, description="The depth limit of this refit.")


class Metrics(Wire):
    """Scores of the tree this frame shows, and its leaves."""

    train_accuracy: float | MISSING = Field(MISSING, description="Classification: training accuracy (0–1).")
    test_accuracy: float | MISSING = Field(MISSING, description="Classification: test accuracy; absent without test.")
    train_mse: float | MISSING = Field(MISSING, description="Regression: training MSE.")
    test_mse: float | MISSING = Field(MISSING, description="Regression: test MSE; absent without a test set.")
    n_leaves: float = Field(description=N_LEAVES)


class SplitFrame(FrameBase):
    """`split`: one internal node split (breadth-first)."""

    kind: Literal["split"] = Field(description="split")
    state: SplitState = Field(description=STATE)
    metrics: Metrics = Field(description=METRICS)


class LevelFrame(FrameBase):
    """`level`: past 63 splits, the rest of one depth at once."""

    kind: Literal["level"] = Field(description="level")
    state: LevelState = Field(description=STATE)
    metrics: Metrics = Field(description=METRICS)


class LeafFrame(FrameBase):
    """`leaf`: the root stays a leaf (the only frame of the growing chapter); `node` is 0."""

    kind: Literal["leaf"] = Field(description="leaf")
    state: _Tree = Field(description=STATE)
    metrics: Metrics = Field(description=METRICS)


class PruneFrame(FrameBase):
    """`prune`: one step of cost-complexity pruning of the tree grown with ccp_alpha 0."""

    kind: Literal["prune"] = Field(description="prune")
    state: PruneState = Field(description=STATE)
    metrics: Metrics = Field(description=METRICS)


class DepthFrame(FrameBase):
    """`depth`: the tree refitted with max_depth = 1, 2, … (under- and over-fitting)."""

    kind: Literal["depth"] = Field(description="depth")
    state: DepthState = Field(description=STATE)
    metrics: Metrics = Field(description=METRICS)


class DepthPoint(Wire):
    """A refit at one depth limit."""

    depth: int = Field(ge=1, description="max_depth of the refit.")
    n_leaves: int = Field(ge=1, description="Its leaves.")
    train_score: float = Field(description="Its training accuracy (or MSE).")
    test_score: float | None = Field(description="Its test accuracy (or MSE); null without a test set.")


class PathPoint(Wire):
    """One entry of `cost_complexity_pruning_path` of the tree grown with ccp_alpha 0."""

    alpha: float = Field(ge=0, description="`ccp_alphas[i]` (0 first: the unpruned tree).")
    n_leaves: int = Field(ge=1, description="Leaves after pruning up to this step.")
    total_impurity: float = Field(description="`impurities[i]`: Σ n_t/N·impurity over the leaves.")


class TreeGrid(Wire):
    """The final tree over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    x: Vector = Field(description="(g,) grid x coordinates (first feature), ascending.")
    y: Vector = Field(description="(g,) grid y coordinates (second feature), ascending.")
    predicted: IntMatrix = Field(description="(g, g) predicted class index; rows along y.")
    probability: Matrix = Field(description="(g, g) the leaf's fraction of its predicted class (6 decimals).")


class FitCurve(Wire):
    """The final tree's prediction where the fit is drawn."""

    points: Matrix = Field(description="(p, d) the inputs: g x values (1 feature) or the g × g grid (2).")
    prediction: Vector = Field(description="(p,) the predicted y at each.")


class TreeDone(Wire):
    """The grown tree (scikit-learn's, node for node), its scores, the depth sweep and the pruning path."""

    tree: list[Node] = Field(description="Every node of the final tree, breadth-first, with `stop` at leaves.")
    n_leaves: int = Field(ge=1, description="`get_n_leaves()`.")
    depth: int = Field(ge=0, description="`get_depth()`.")
    score: Literal["accuracy", "mean squared error"] = Field(description="What train_score and test_score are.")
    train_score: float = Field(description="Training accuracy (or MSE) of the final tree.")
    test_score: float | None = Field(description="Test accuracy (or MSE); null without a test set.")
    feature_importances: Vector = Field(description="(d,) `feature_importances_` (impurity decrease, sums to 1).")
    depth_curve: list[DepthPoint] = Field(description="Refits at max_depth 1 .. the unlimited tree's depth (≤ 20).")
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    pruning_path: list[PathPoint] | MISSING = Field(MISSING, description="With prune: the whole pruning path.")
    classes: list[str] | MISSING = Field(MISSING, description="(K,) class names (classification).")
    grid: TreeGrid | MISSING = Field(MISSING, description="Classification: the final boundary.")
    fit: FitCurve | MISSING = Field(MISSING, description="Regression: the final fit.")


class TreeFrame(
    RootModel[
        Annotated[
            SplitFrame | LevelFrame | LeafFrame | PruneFrame | DepthFrame | ServiceDivergedFrame,
            Field(discriminator="kind"),
        ]
    ]
):
    """One frame of a decision-tree run."""


class TreeResult(RootModel[TreeDone | ServiceDivergedResult]):
    """The result of a decision-tree run."""
