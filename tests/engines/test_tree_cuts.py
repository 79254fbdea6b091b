"""``tree_cuts``: a fitted tree's splits as segments across their own cells (AdaBoost's and boosting's planes)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.engines.boundary import tree_cuts

# Four points: the best first cut is x ≤ 2 (it leaves the two class-0 points pure on the left), then the right
# half is cut at y ≤ 1; both trees (gini, squared error) make exactly these two splits.
X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [3.0, 2.0]])
BOX = (-1.0, 4.0, -1.0, 3.0)
BY_HAND = [[[2.0, -1.0], [2.0, 3.0]], [[2.0, 1.0], [4.0, 1.0]]]  # the root's across the box; its right child's


def test_a_classifiers_two_cuts_are_the_hand_drawn_segments() -> None:
    tree = DecisionTreeClassifier(random_state=0).fit(X, [0, 0, 1, 2])
    t = tree.tree_
    assert_array_equal(t.feature[t.feature >= 0], [0, 1])  # the tree_ agrees with the story above
    assert_allclose(t.threshold[t.feature >= 0], [2.0, 1.0])
    assert_allclose(tree_cuts(tree, BOX), BY_HAND)


def test_a_regressor_is_cut_the_same_way() -> None:
    tree = DecisionTreeRegressor(random_state=0).fit(X, [0.0, 0.0, 5.0, 9.0])
    assert_allclose(tree_cuts(tree, BOX), BY_HAND)


def test_each_cut_spans_the_cell_its_ancestors_leave_it() -> None:
    """A deeper tree on random points: every segment is axis-parallel at its node's threshold, inside the box."""
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, size=(60, 2))
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(points, (points[:, 0] * points[:, 1] > 0))
    t = tree.tree_
    cuts = tree_cuts(tree, (-1.0, 1.0, -1.0, 1.0))
    internal = np.flatnonzero(t.feature >= 0)  # pre-order, left first: scikit-learn's depth-first node order
    assert cuts.shape == (internal.size, 2, 2)
    for segment, node in zip(cuts, internal, strict=True):
        feature = int(t.feature[node])
        assert_allclose(segment[:, feature], [t.threshold[node]] * 2)
        assert segment[0, 1 - feature] < segment[1, 1 - feature]
    assert (cuts >= -1.0).all() and (cuts <= 1.0).all()


def test_a_box_that_leaves_a_cell_empty_draws_nothing_in_it() -> None:
    tree = DecisionTreeClassifier(random_state=0).fit(X, [0, 0, 1, 2])
    assert tree_cuts(tree, (-1.0, 1.5, -1.0, 3.0)).shape == (0, 2, 2)  # x ≤ 2 is outside; so is its right half
    assert_allclose(tree_cuts(DecisionTreeClassifier().fit(X, [1, 1, 1, 1]), BOX), np.zeros((0, 2, 2)))
