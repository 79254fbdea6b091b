"""Hierarchical clustering step by step: SciPy's merge history (agglomerative) and bisecting 2-means (divisive).

Agglomerative: ``scipy.cluster.hierarchy.linkage`` *is* the step-wise history (row i of the linkage matrix
``Z`` (n−1, 4) says which two clusters merged at which distance), so it is used as is and replayed, one
frame per merge. Cluster ids are SciPy's: points are 0..n−1, the cluster made by merge i is n+i.
Divisive: top-down bisecting 2-means (the k-means engine's ``fit`` with k = 2), always splitting the cluster
with the largest SSE, one split per frame.
Shapes: ``X`` (n, d); leaf order (n,); node arrays (2n−1,) indexed by SciPy id.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import cophenet, fcluster, leaves_list, linkage
from scipy.spatial.distance import pdist, squareform

from app.engines import clustering
from app.engines.frame import Frame

FRAME_LIMIT = 300  # merges shown one by one up to this many; above it frames are thinned evenly
TAIL = 100  # the last merges (the top of the tree, where the clusters form) are always shown
PROXIMITY_LIMIT = 40  # the proximity-matrix panel is drawn for n up to this


@dataclass(frozen=True)
class Tree:
    """A linkage and what drawing it needs, computed once per run (in ``prepare``)."""

    Z: np.ndarray  # (n−1, 4) SciPy linkage matrix: child a, child b, distance, size
    y: np.ndarray  # (n(n−1)/2,) condensed distances between points
    leaves: np.ndarray  # (n,) point ids left to right, as scipy's dendrogram orders them
    node_x: np.ndarray  # (2n−1,) horizontal position of every node (leaf slot units, 0..n−1)
    node_height: np.ndarray  # (2n−1,) 0 for points, the merge distance for clusters
    start: np.ndarray  # (2n−1,) first slot of each node's contiguous run of leaves
    first_merge: np.ndarray  # (n,) index of the merge in which each point first joins a cluster
    link_x: np.ndarray  # (n−1, 4) x of each link's ∩ shape: child a, child a, child b, child b
    link_y: np.ndarray  # (n−1, 4) y of each link: height of a, merge distance ×2, height of b
    method: str
    metric: str

    @property
    def n(self) -> int:
        return int(self.leaves.size)

    def members(self, node: int) -> np.ndarray:
        """Point ids in cluster ``node`` (a cluster is a contiguous run of the leaf order)."""
        size = 1 if node < self.n else int(self.Z[node - self.n, 3])
        return self.leaves[self.start[node]: self.start[node] + size]


def build_tree(X: np.ndarray, method: str, metric: str) -> Tree:
    """SciPy's linkage of ``X`` plus the leaf order and the ∩ shapes of its dendrogram."""
    y = pdist(X, metric=metric)  # computed once: linkage and the cophenetic correlation share it
    Z = linkage(y, method=method)
    n = X.shape[0]
    leaves = leaves_list(Z)  # the order scipy's dendrogram(Z, no_plot=True) draws (tested)
    slot = np.empty(n, dtype=np.int64)
    slot[leaves] = np.arange(n)
    a_ids = Z[:, 0].astype(np.int64)
    b_ids = Z[:, 1].astype(np.int64)
    # Sequential by nature (a parent needs its children), so plain lists: ~1 ms for 2,000 points.
    start = slot.tolist() + [0] * (n - 1)
    x = [float(s) for s in slot] + [0.0] * (n - 1)
    for i, (a, b) in enumerate(zip(a_ids.tolist(), b_ids.tolist(), strict=True)):
        start[n + i] = min(start[a], start[b])
        x[n + i] = 0.5 * (x[a] + x[b])
    node_x = np.array(x)
    height = np.concatenate([np.zeros(n), Z[:, 2]])
    first_merge = np.empty(n, dtype=np.int64)
    for ids in (b_ids, a_ids):  # a point is a child exactly once
        leaf = ids < n
        first_merge[ids[leaf]] = np.flatnonzero(leaf)
    link_x = np.stack([node_x[a_ids], node_x[a_ids], node_x[b_ids], node_x[b_ids]], axis=1)
    link_y = np.stack([height[a_ids], Z[:, 2], Z[:, 2], height[b_ids]], axis=1)
    return Tree(Z, y, leaves, node_x, height, np.array(start), first_merge, link_x, link_y, method, metric)


def cut_labels(Z: np.ndarray, n_clusters: int | None, distance_threshold: float | None) -> np.ndarray:
    """Flat labels 0..k−1 at the cut (``fcluster``'s labels minus one). The threshold wins when both are set."""
    if distance_threshold is not None:
        return fcluster(Z, distance_threshold, criterion="distance") - 1
    return fcluster(Z, n_clusters, criterion="maxclust") - 1


def cut_height(Z: np.ndarray, n_clusters: int | None, distance_threshold: float | None) -> float:
    """Where the horizontal cut line goes: the threshold, or midway between the merges that leave k clusters."""
    if distance_threshold is not None:
        return float(distance_threshold)
    heights = np.sort(Z[:, 2])
    n = heights.size + 1
    k = int(n_clusters or 1)
    if k >= n:
        return float(heights[0]) / 2
    if k <= 1:
        return float(heights[-1]) * 1.05 + 1e-12
    return float(0.5 * (heights[n - k - 1] + heights[n - k]))


def cophenetic_correlation(tree: Tree) -> float:
    """Pearson correlation of cophenetic and original distances (scipy's ``cophenet(Z, y)[0]``).

    Merge i joins na × nb pairs at height hᵢ, so Σc and Σc² come from the linkage matrix in O(n); only Σy,
    Σy² and Σc·y pass over the n(n−1)/2 pairs (BLAS dot products): about 3× quicker than scipy's for 2,000 points.
    """
    Z, y, n = tree.Z, tree.y, tree.n
    m = float(y.size)
    if m < 2:
        return float("nan")
    size = np.concatenate([np.ones(n), Z[:, 3]])  # (2n−1,) points per node
    pairs = size[Z[:, 0].astype(np.int64)] * size[Z[:, 1].astype(np.int64)]  # (n−1,) pairs first joined at i
    sc, scc = float(pairs @ Z[:, 2]), float(pairs @ Z[:, 2] ** 2)
    sy = float(y.sum())
    cov = float(np.dot(cophenet(Z), y)) - sc * sy / m
    var_c = scc - sc * sc / m
    var_y = float(np.dot(y, y)) - sy * sy / m
    if var_c <= 0 or var_y <= 0:
        return float("nan")
    return cov / float(np.sqrt(var_c * var_y))


def frame_indices(total: int, limit: int = FRAME_LIMIT, tail: int = TAIL) -> np.ndarray:
    """Which of ``total`` steps get a frame: all up to ``limit``; above it the last ``tail`` and an even spread."""
    if total <= limit:
        return np.arange(total)
    head = np.unique(np.linspace(0, total - tail - 1, limit - tail).round().astype(np.int64))
    return np.concatenate([head, np.arange(total - tail, total)])


def proximity_matrices(X: np.ndarray, tree: Tree) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each merge, the cluster-to-cluster distance matrix the algorithm searched *before* that merge.

    Returns ``[(ids (m,), D (m, m))]`` with clusters in leaf order; its smallest off-diagonal entry is the
    merge SciPy made (tested). Only for small n (the panel): each matrix is rebuilt from the points with the
    linkage's own definition of a cluster distance, so nothing here re-runs the merge search.
    """
    n = tree.n
    D = squareform(tree.y)  # (n, n)
    centre = np.zeros((2 * n - 1, X.shape[1]))  # centroid, or the WPGMC midpoint for median linkage
    centre[:n] = X
    size = np.ones(2 * n - 1)
    alive = list(range(n))
    out = []
    for i, (a, b) in enumerate(tree.Z[:, :2].astype(np.int64).tolist()):
        ids = np.array(sorted(alive, key=lambda c: int(tree.start[c])))
        out.append((ids, _cluster_distances(D, tree, ids, centre, size)))
        alive = [c for c in alive if c not in (a, b)] + [n + i]
        size[n + i] = size[a] + size[b]
        if tree.method == "median":
            centre[n + i] = 0.5 * (centre[a] + centre[b])
        else:
            centre[n + i] = (size[a] * centre[a] + size[b] * centre[b]) / size[n + i]
    return out


def _cluster_distances(
    D: np.ndarray, tree: Tree, ids: np.ndarray, centre: np.ndarray, size: np.ndarray
) -> np.ndarray:
    m = ids.size
    method = tree.method
    if method in ("centroid", "median", "ward"):
        C = centre[ids]
        diff = np.sqrt(np.maximum(((C[:, None, :] - C[None, :, :]) ** 2).sum(axis=2), 0.0))  # (m, m)
        if method == "ward":
            na, nb = size[ids][:, None], size[ids][None, :]
            diff = np.sqrt(2.0 * na * nb / (na + nb)) * diff
        np.fill_diagonal(diff, 0.0)
        return diff
    reductions: dict[str, Callable[..., Any]] = {"single": np.min, "complete": np.max, "average": np.mean}
    reduce = reductions[method]
    groups = [tree.members(int(c)) for c in ids]
    out = np.zeros((m, m))
    for r in range(m):
        for s in range(r + 1, m):
            out[r, s] = out[s, r] = reduce(D[np.ix_(groups[r], groups[s])])
    return out


def _merge_caption(tree: Tree, i: int, previous: int, a: int, b: int, distance: float, prior_max: float) -> str:
    n = tree.n
    sizes = (1 if a < n else int(tree.Z[a - n, 3]), 1 if b < n else int(tree.Z[b - n, 3]))
    left = n - 1 - i
    what = f"Merge {i + 1} of {n - 1}"
    if i != previous + 1:  # thinned: this frame stands for the merges since the last one shown
        what = f"Merges {previous + 2}–{i + 1} of {n - 1} (showing {i + 1})"
    caption = (f"{what}: clusters {a} and {b} ({sizes[0]} + {sizes[1]} points) are the closest pair under "
               f"{tree.method} linkage, at distance {distance:.4g}; they become cluster {n + i}, "
               f"{left} cluster{'s' if left != 1 else ''} left.")
    if distance < prior_max - 1e-12:
        caption += (f" This merge is lower than an earlier one ({prior_max:.4g}): an inversion, which "
                    f"{tree.method} linkage allows.")
    return caption


def run(
    X: np.ndarray,
    tree: Tree,
    *,
    n_clusters: int | None,
    distance_threshold: float | None,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Agglomerative frames: ``merge`` (one per merge, thinned evenly above 300), then ``cut``.

    ``tree`` is ``build_tree(X, ...)``. ``rng`` is unused (the linkage is deterministic) but kept for the
    engine signature. Returns ``linkage_matrix``, ``labels`` (0-based, ``fcluster − 1``), ``cophenetic_correlation``.
    """
    del rng
    n = tree.n
    Z = tree.Z
    proximity = proximity_matrices(X, tree) if n <= PROXIMITY_LIMIT else None
    proximity_max = max((float(D.max()) for _, D in proximity), default=1.0) if proximity else 1.0
    running_max = np.maximum.accumulate(Z[:, 2])
    previous = -1
    for i in frame_indices(n - 1).tolist():
        a, b = int(Z[i, 0]), int(Z[i, 1])
        distance = float(Z[i, 2])
        prior = float(running_max[i - 1]) if i else distance
        caption = _merge_caption(tree, i, previous, a, b, distance, prior)
        previous = i
        state = {"merge": i + 1, "merged": [a, b], "distance": distance, "size": int(Z[i, 3]),
                 "n_clusters": n - 1 - i}
        visual: dict[str, Any] = {"members_a": tree.members(a).copy(), "members_b": tree.members(b).copy(),
                                  "grouped": tree.first_merge < i, "reveal": float(running_max[i])}
        if proximity is not None:
            ids, matrix = proximity[i]
            visual["proximity_ids"] = ids
            visual["proximity"] = matrix
            visual["proximity_max"] = proximity_max  # one colour scale for every frame
        yield Frame("merge", caption, state, {"distance": distance, "n_clusters": float(n - 1 - i)}, visual)

    labels = cut_labels(Z, n_clusters, distance_threshold)
    k = int(labels.max()) + 1
    coph = cophenetic_correlation(tree)
    where = (f"at distance {distance_threshold:g}" if distance_threshold is not None
             else f"where {n_clusters} clusters remain")
    caption = (f"Cut the dendrogram {where}: {k} cluster{'s' if k != 1 else ''}. The cophenetic correlation "
               f"{coph:.3f} says how faithfully the tree's merge heights keep the original distances.")
    state = {"labels": labels.copy(), "n_clusters": k, "cut_height": cut_height(Z, n_clusters, distance_threshold),
             "cophenetic_correlation": coph}
    visual = {}
    if proximity is not None and 2 <= k < n:
        ids, matrix = proximity[n - k]  # the k clusters left at the cut, and how far apart they are
        visual = {"proximity_ids": ids, "proximity": matrix, "proximity_max": proximity_max}
    yield Frame("cut", caption, state, {"distance": float(Z[-1, 2]), "n_clusters": float(k)}, visual)
    return {"linkage_matrix": Z.copy(), "labels": labels, "cophenetic_correlation": coph}


# ---------------------------------------------------------------------------------------------- divisive


@dataclass(frozen=True)
class _Split:
    parent: int  # label of the cluster split (it keeps this label for its first half)
    child: int  # the new label of the second half
    sse: float  # SSE of the parent before the split: the split's height in the tree
    sizes: tuple[int, int]
    labels: np.ndarray  # (n,) labels after the split
    total_sse: float  # Σ SSE over all clusters after the split


def _sse(Xc: np.ndarray) -> float:
    diff = Xc - Xc.mean(axis=0)
    return float(np.einsum("ij,ij->", diff, diff))


def _bisect(X: np.ndarray, n_clusters: int, rng: np.random.Generator) -> list[_Split]:
    """Bisecting 2-means: split the cluster with the largest SSE until there are ``n_clusters``."""
    labels = np.zeros(X.shape[0], dtype=np.int64)
    sse = [_sse(X)]
    splits: list[_Split] = []
    for new in range(1, n_clusters):
        parent = int(np.argmax(sse))
        idx = np.flatnonzero(labels == parent)
        half = clustering.fit(X[idx], 2, "k-means++", 100, 0.0, rng.spawn(1)[0]).labels
        if half.min() == half.max():  # identical points: 2-means cannot separate them, so peel one off
            half = np.zeros(idx.size, dtype=np.int64)
            half[-1] = 1
        before = sse[parent]
        labels[idx[half == 1]] = new
        sse[parent] = _sse(X[idx[half == 0]])
        sse.append(_sse(X[idx[half == 1]]))
        splits.append(_Split(parent, new, before, (int((half == 0).sum()), int((half == 1).sum())),
                             labels.copy(), float(sum(sse))))
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


def run_divisive(
    X: np.ndarray, *, n_clusters: int, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    """Divisive frames: ``start`` (one cluster), ``split`` (one per bisection), ``cut``.

    The tree's heights are the SSE of each cluster when it was split; splitting the largest-SSE cluster
    first makes them fall monotonically, like a dendrogram read top down.
    """
    total = _sse(X)
    splits = _bisect(X, n_clusters, rng)
    leaf_slots, link_x, child_split = divisive_tree(splits)
    n = X.shape[0]
    visual: dict[str, Any] = {"links": np.zeros((0, 2, 4)), "leaf_slots": leaf_slots.copy()}
    yield Frame("start", f"Divisive clustering starts with all {n} points in one cluster (SSE {total:.4g}).",
                {"labels": np.zeros(n, dtype=np.int64), "n_clusters": 1, "sse": total},
                {"sse": total, "n_clusters": 1.0}, visual)
    before = total
    for s, split in enumerate(splits):
        caption = (f"Split {s + 1}: cluster {split.parent} has the largest SSE ({split.sse:.4g}), so 2-means cuts "
                   f"it into clusters {split.parent} and {split.child} ({split.sizes[0]} + {split.sizes[1]} "
                   f"points); total SSE {before:.4g} → {split.total_sse:.4g}.")
        before = split.total_sse
        state = {"split": split.parent, "into": [split.parent, split.child], "distance": split.sse,
                 "size": list(split.sizes), "n_clusters": s + 2, "sse": split.total_sse,
                 "labels": split.labels.copy()}
        visual = {"links": _divisive_links(splits, link_x, child_split, s), "current": s,
                  "leaf_slots": leaf_slots.copy()}
        yield Frame("split", caption, state, {"sse": split.total_sse, "n_clusters": float(s + 2)}, visual)
    labels = splits[-1].labels.copy() if splits else np.zeros(n, dtype=np.int64)
    yield Frame("cut", f"Stopped at {n_clusters} cluster{'s' if n_clusters != 1 else ''}; total SSE {before:.4g}.",
                {"labels": labels.copy(), "n_clusters": n_clusters, "sse": before},
                {"sse": before, "n_clusters": float(n_clusters)},
                {"links": _divisive_links(splits, link_x, child_split, len(splits) - 1),
                 "leaf_slots": leaf_slots.copy()})
    return {"linkage_matrix": None, "labels": labels, "cophenetic_correlation": None,
            "splits": [{"cluster": s.parent, "into": [s.parent, s.child], "sse": s.sse, "sizes": list(s.sizes)}
                       for s in splits]}
