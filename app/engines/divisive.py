"""Divisive (top-down) hierarchical clustering: bisecting 2-means, one split per frame.

The splits are drawn as a dendrogram read top down: each link's height is the SSE of the cluster it split.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural
from app.engines import clustering


@dataclass(frozen=True)
class _Split:
    parent: int  # label of the cluster split (it keeps this label for its first half)
    child: int  # the new label of the second half
    sse: float  # SSE of the parent before the split: the split's height in the tree
    sizes: tuple[int, int]
    labels: np.ndarray  # (n,) labels after the split
    total_sse: float  # Σ SSE over all clusters after the split


def _distinct(Xc: np.ndarray) -> bool:
    """Does the cluster hold two different points (so 2-means can split it)? A single point or copies of one
    point cannot be split by any method."""
    return Xc.shape[0] >= 2 and bool(np.any(np.ptp(Xc, axis=0) > 0))


def _sse(Xc: np.ndarray) -> float:
    if not _distinct(Xc):
        return 0.0  # exactly: the mean of copies of a point may differ from it by round-off
    diff = Xc - Xc.mean(axis=0)
    return float(np.einsum("ij,ij->", diff, diff))


def _bisect(X: np.ndarray, n_clusters: int, rng: np.random.Generator) -> list[_Split]:
    """Bisecting 2-means: split the cluster with the largest SSE until there are ``n_clusters``, or until no
    cluster can be split (every one is a single point or copies of one point: fewer distinct points than asked)."""
    labels = np.zeros(X.shape[0], dtype=np.int64)
    sse = [_sse(X)]
    splittable = [_distinct(X)]
    splits: list[_Split] = []
    while len(sse) < n_clusters and any(splittable):
        checkpoint()  # per split (and per Lloyd iteration inside ``clustering.fit``)
        parent = max((c for c in range(len(sse)) if splittable[c]), key=lambda c: sse[c])
        idx = np.flatnonzero(labels == parent)
        half = clustering.fit(X[idx], 2, "k-means++", 100, 0.0, rng.spawn(1)[0]).labels
        if half.min() == half.max():  # cannot happen for distinct points (the 2nd pick is a new point); be safe
            splittable[parent] = False
            continue
        before = sse[parent]
        labels[idx[half == 1]] = len(sse)
        first, second = X[idx[half == 0]], X[idx[half == 1]]
        sse[parent], splittable[parent] = _sse(first), _distinct(first)
        sse.append(_sse(second))
        splittable.append(_distinct(second))
        splits.append(
            _Split(parent, len(sse) - 1, before, (first.shape[0], second.shape[0]), labels.copy(), float(sum(sse)))
        )
    return splits


def divisive_tree(splits: list[_Split]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The split tree, laid out like a dendrogram: final clusters left to right (an in-order walk).

    Returns ``leaf_slots`` (k,) (x of each final cluster label), ``link_x`` (k−1, 4) and ``child_split``
    (k−1, 2): the index of the split that later divides each child (k − 1 when it is never split), so a
    frame can draw a child that is still whole at height 0.
    """
    # Node 0 is the root; split s turns node node_of[parent] into an inner node with two new children.
    node_of = {0: 0}
    kids: dict[int, tuple[int, int]] = {}
    split_of_node: dict[int, int] = {}
    for s, split in enumerate(splits):
        node = node_of[split.parent]
        left, right = 2 * s + 1, 2 * s + 2
        kids[node] = (left, right)
        split_of_node[node] = s
        node_of[split.parent], node_of[split.child] = left, right
    x: dict[int, float] = {}
    stack: list[tuple[int, bool]] = [(0, False)]
    leaves: list[int] = []
    while stack:  # in-order walk without recursion (a chain of splits can be deep)
        node, expanded = stack.pop()
        if node not in kids:
            x[node] = float(len(leaves))
            leaves.append(node)
        elif expanded:
            left, right = kids[node]
            x[node] = 0.5 * (x[left] + x[right])
        else:
            left, right = kids[node]
            stack += [(node, True), (right, False), (left, False)]
    k = len(splits) + 1
    leaf_slots = np.array([x[node_of[label]] for label in range(k)])
    link_x = np.zeros((len(splits), 4))
    child_split = np.full((len(splits), 2), len(splits), dtype=np.int64)
    for node, s in split_of_node.items():
        left, right = kids[node]
        link_x[s] = [x[left], x[left], x[right], x[right]]
        child_split[s] = [split_of_node.get(left, len(splits)), split_of_node.get(right, len(splits))]
    return leaf_slots, link_x, child_split


def _divisive_links(splits: list[_Split], link_x: np.ndarray, child_split: np.ndarray, upto: int) -> np.ndarray:
    """(upto+1, 2, 4) x/y of the links drawn after split ``upto``: children split later still sit at 0."""
    heights = np.array([s.sse for s in splits] + [0.0])  # index len(splits) = never split
    kids = child_split[: upto + 1]
    kid_height = np.where(kids <= upto, heights[kids], 0.0)  # (upto+1, 2)
    h = heights[: upto + 1]
    ys = np.stack([kid_height[:, 0], h, h, kid_height[:, 1]], axis=1)
    return np.stack([link_x[: upto + 1], ys], axis=1)


def run_divisive(X: np.ndarray, *, n_clusters: int, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    """Divisive frames: ``start`` (one cluster), ``split`` (one per bisection), ``cut``.

    The tree's heights are the SSE of each cluster when it was split; splitting the largest-SSE cluster
    first makes them fall monotonically, like a dendrogram read top down. It stops early when no cluster can
    be split (fewer distinct points than ``n_clusters``), and the cut frame says so.
    """
    total = _sse(X)
    splits = _bisect(X, n_clusters, rng)
    leaf_slots, link_x, child_split = divisive_tree(splits)
    n = X.shape[0]
    visual: dict[str, Any] = {"links": np.zeros((0, 2, 4)), "leaf_slots": leaf_slots.copy()}
    yield Frame(
        "start",
        f"Divisive clustering starts with all {plural(n, 'point')} in one cluster, whose SSE (sum "
        f"of squared distances to its mean) is {num(total)}.",
        {"labels": np.zeros(n, dtype=np.int64), "n_clusters": 1, "sse": total},
        {"sse": total, "n_clusters": 1.0},
        visual,
    )
    before = total
    for s, split in enumerate(splits):
        checkpoint()
        which = (
            f"cluster {split.parent} has the largest SSE of the clusters that can still be split "
            f"({num(split.sse)}), so 2-means cuts it"
            if s
            else "2-means cuts the whole data"
        )
        caption = (
            f"Split {s + 1}: {which} into clusters {split.parent} ({plural(split.sizes[0], 'point')}) and "
            f"{split.child} ({plural(split.sizes[1], 'point')}); total SSE {num(before)} → "
            f"{num(split.total_sse)}."
        )
        before = split.total_sse
        state = {
            "split": split.parent,
            "into": [split.parent, split.child],
            "distance": split.sse,
            "size": list(split.sizes),
            "n_clusters": s + 2,
            "sse": split.total_sse,
            "labels": split.labels.copy(),
        }
        visual = {
            "links": _divisive_links(splits, link_x, child_split, s),
            "current": s,
            "leaf_slots": leaf_slots.copy(),
        }
        yield Frame("split", caption, state, {"sse": split.total_sse, "n_clusters": float(s + 2)}, visual)
    labels = splits[-1].labels.copy() if splits else np.zeros(n, dtype=np.int64)
    k = len(splits) + 1
    caption = f"Stopped at {plural(k, 'cluster')}, as asked; total SSE {num(before)}."
    if k < n_clusters:
        distinct = int(np.unique(X, axis=0).shape[0])
        caption = (
            f"Stopped at {plural(k, 'cluster')}, not the {n_clusters} asked for: the data has only "
            f"{plural(distinct, 'distinct point')}, and a cluster that is one point (or copies of one point) "
            f"cannot be split; total SSE {num(before)}."
        )
    yield Frame(
        "cut",
        caption,
        {"labels": labels.copy(), "n_clusters": k, "sse": before},
        {"sse": before, "n_clusters": float(k)},
        {"links": _divisive_links(splits, link_x, child_split, len(splits) - 1), "leaf_slots": leaf_slots.copy()},
    )
    return {
        "linkage_matrix": None,
        "labels": labels,
        "cophenetic_correlation": None,
        "splits": [
            {"cluster": s.parent, "into": [s.parent, s.child], "sse": s.sse, "sizes": list(s.sizes)} for s in splits
        ],
    }
