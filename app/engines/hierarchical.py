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

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fixed, num, plural

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
        return self.leaves[self.start[node] : self.start[node] + size]


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
    """Flat labels 0..k−1 at the cut. The threshold wins when both are set.

    A threshold is ``fcluster(criterion="distance")``. A cluster count is a cut by merge count: keep the first
    n − k merges of ``Z`` and undo the rest. ``fcluster``'s ``maxclust`` is not that cut when heights tie or
    invert (centroid / median linkage): it looks for a height, and no height may give exactly k clusters. So
    the cut is SciPy's ``monocrit`` criterion with each node's merge index as its criterion (monotone up the
    tree), which keeps exactly nodes n..2n−k−1 and numbers the clusters as ``fcluster`` does; on a tree without
    ties or inversions it equals ``fcluster(Z, k, "maxclust") − 1`` label for label (tested).
    """
    if distance_threshold is not None:
        return np.asarray(fcluster(Z, distance_threshold, criterion="distance") - 1)
    n = Z.shape[0] + 1
    k = int(n_clusters or 1)
    if k >= n:
        return np.arange(n)  # every point alone, numbered by point as fcluster does
    order = np.arange(n - 1, dtype=np.float64)  # (n−1,) merge index of each cluster node
    return np.asarray(fcluster(Z, n - k - 1, criterion="monocrit", monocrit=order) - 1)


def cut_gap(Z: np.ndarray, n_clusters: int) -> tuple[float, float]:
    """(highest merge kept, lowest merge undone) of the cut into ``n_clusters``: a horizontal line between them
    gives exactly that cut, and there is none when the second is not above the first (a tie or an inversion)."""
    n = Z.shape[0] + 1
    kept = n - min(max(n_clusters, 1), n)  # merges kept
    top = float(Z[:kept, 2].max()) if kept else 0.0
    bottom = float(Z[kept:, 2].min()) if kept < n - 1 else float("inf")
    return top, bottom


def cut_height(Z: np.ndarray, n_clusters: int | None, distance_threshold: float | None) -> float:
    """Where the horizontal cut line goes: the threshold, or midway between the highest merge kept and the lowest
    undone; at the highest merge kept when there is no gap (ties or an inversion at the cut)."""
    if distance_threshold is not None:
        return float(distance_threshold)
    n = Z.shape[0] + 1
    k = int(n_clusters or 1)
    if k >= n:
        return float(Z[:, 2].min()) / 2
    if k <= 1:
        return float(Z[:, 2].max()) * 1.05 + 1e-12
    top, bottom = cut_gap(Z, k)
    return 0.5 * (top + bottom) if bottom > top else top


def cophenetic_correlation(tree: Tree) -> float | None:
    """Pearson correlation of cophenetic and original distances (scipy's ``cophenet(Z, y)[0]``), or None where
    it is undefined (fewer than 2 pairs, or either set of distances constant: scipy returns NaN there).

    Merge i joins na × nb pairs at height hᵢ, so Σc and Σc² come from the linkage matrix in O(n); only Σy,
    Σy² and Σc·y pass over the n(n−1)/2 pairs (BLAS dot products): about 3× quicker than scipy's for 2,000 points.
    """
    Z, y, n = tree.Z, tree.y, tree.n
    m = float(y.size)
    if m < 2:
        return None
    size = np.concatenate([np.ones(n), Z[:, 3]])  # (2n−1,) points per node
    pairs = size[Z[:, 0].astype(np.int64)] * size[Z[:, 1].astype(np.int64)]  # (n−1,) pairs first joined at i
    sc, scc = float(pairs @ Z[:, 2]), float(pairs @ Z[:, 2] ** 2)
    sy, syy = float(y.sum()), float(np.dot(y, y))
    cov = float(np.dot(cophenet(Z), y)) - sc * sy / m
    var_c = scc - sc * sc / m
    var_y = syy - sy * sy / m
    if var_c <= 1e-12 * scc or var_y <= 1e-12 * syy:  # constant up to round-off
        return None
    return cov / float(np.sqrt(var_c * var_y))


def cophenetic_note(tree: Tree, coph: float | None) -> str:
    """What the cophenetic correlation says, or why there is none."""
    if coph is not None:
        return (
            f"The cophenetic correlation {fixed(coph, 3)} compares, over every pair of points, the height at "
            "which the tree first joins them with their real distance: 1 would mean the tree keeps the "
            "distances perfectly."
        )
    if tree.y.size < 2:
        why = "there is only one pair of points, and a correlation needs at least two"
    elif float(np.ptp(tree.y)) <= 1e-9 * float(np.abs(tree.y).max()):
        why = "every pair of points is the same distance apart, so there is no variation to keep"
    else:
        why = (
            "every pair is joined at the same height (all merges are tied), so the tree's distances do not "
            "vary and cannot correlate with anything"
        )
    return f"The cophenetic correlation is undefined here: {why}."


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
        checkpoint()
        ids = np.array(sorted(alive, key=lambda c: int(tree.start[c])))
        out.append((ids, _cluster_distances(D, tree, ids, centre, size)))
        alive = [c for c in alive if c not in (a, b)] + [n + i]
        size[n + i] = size[a] + size[b]
        if tree.method == "median":
            centre[n + i] = 0.5 * (centre[a] + centre[b])
        else:
            centre[n + i] = (size[a] * centre[a] + size[b] * centre[b]) / size[n + i]
    return out


def _cluster_distances(D: np.ndarray, tree: Tree, ids: np.ndarray, centre: np.ndarray, size: np.ndarray) -> np.ndarray:
    m = ids.size
    method = tree.method
    if method in ("centroid", "median", "ward"):
        C = centre[ids]
        diff = np.sqrt(np.maximum(((C[:, None, :] - C[None, :, :]) ** 2).sum(axis=2), 0.0))  # (m, m)
        if method == "ward":
            na, nb = size[ids][:, None], size[ids][None, :]
            diff = np.sqrt(2.0 * na * nb / (na + nb)) * diff
        np.fill_diagonal(diff, 0.0)
        return np.asarray(diff)
    reductions: dict[str, Callable[..., Any]] = {"single": np.min, "complete": np.max, "average": np.mean}
    reduce = reductions[method]
    groups = [tree.members(int(c)) for c in ids]
    out = np.zeros((m, m))
    for r in range(m):
        for s in range(r + 1, m):
            out[r, s] = out[s, r] = reduce(D[np.ix_(groups[r], groups[s])])
    return out


LINKAGE_MEANS = {
    "single": "the distance between their two closest points",
    "complete": "the distance between their two farthest points",
    "average": "the mean distance over every pair of their points",
    "ward": "√(2 × how much merging them would raise the within-cluster sum of squares)",
    "centroid": "the distance between their centroids",
    "median": "the distance between their centres, a merged cluster's centre being the midpoint of its two parts'",
}


def _node(tree: Tree, node: int) -> str:
    """ "point 4" or "cluster 43 (5 points)": SciPy's ids, read as a learner would."""
    if node < tree.n:
        return f"point {node}"
    return f"cluster {node} ({plural(int(tree.Z[node - tree.n, 3]), 'point')})"


def _ties(D: np.ndarray, distance: float) -> int:
    """How many cluster pairs in the proximity matrix ``D`` (m, m) are at the smallest distance."""
    upper = D[np.triu_indices(D.shape[0], 1)]
    return int(np.sum(np.abs(upper - distance) <= 1e-12 * max(abs(distance), 1e-300)))


def _merge_caption(
    tree: Tree, i: int, previous: int, a: int, b: int, distance: float, prior_max: float, ties: int
) -> str:
    n = tree.n
    left = n - 1 - i
    what = f"Merge {i + 1} of {n - 1}"
    if i != previous + 1:  # thinned: this frame stands for the merges since the last one shown
        what = f"Merges {previous + 2}–{i + 1} of {n - 1} (showing {i + 1})"
    pair = f"points {a} and {b}" if a < n and b < n else f"{_node(tree, a)} and {_node(tree, b)}"
    tie = f" (tied with {plural(ties - 1, 'other pair')}: SciPy breaks ties by its own order)" if ties > 1 else ""
    caption = (
        f"{what}: {pair} are the closest pair under {tree.method} linkage, at distance {num(distance)}"
        f"{tie}; they become cluster {n + i} ({plural(int(tree.Z[i, 3]), 'point')}), "
        f"{plural(left, 'cluster')} left."
    )
    if previous == -1:  # the first frame says once what "distance" means here
        caption += f" Under {tree.method} linkage, the distance between two clusters is {LINKAGE_MEANS[tree.method]}."
    if distance < prior_max - 1e-12 * max(abs(prior_max), 1.0):
        caption += (
            f" This merge is lower than an earlier one ({num(prior_max)}): an inversion. "
            f"{tree.method.capitalize()} linkage measures from the merged cluster's centre, which can "
            "sit closer to a third cluster than either part did."
        )
    return caption


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(set(a.tolist())) == len(set(b.tolist()))


def _cut_caption(tree: Tree, k: int, n_clusters: int | None, distance_threshold: float | None) -> str:
    n, Z = tree.n, tree.Z
    if distance_threshold is not None:
        return (
            f"Cut the dendrogram at height {num(distance_threshold)}: {plural(k, 'cluster')}, each a branch "
            f"whose merges all lie at or below the line."
        )
    if k <= 1:
        return f"Keep all {plural(n - 1, 'merge')}: the {plural(n, 'point')} form 1 cluster."
    if k >= n:
        return f"Undo all {plural(n - 1, 'merge')}: each of the {plural(n, 'point')} is its own cluster."
    top, bottom = cut_gap(Z, k)
    kept = n - k
    undo = "the last merge" if k == 2 else f"the last {plural(k - 1, 'merge')}"
    caption = (
        f"Cut into {plural(k, 'cluster')}: keep the first {plural(kept, 'merge')} (up to height "
        f"{num(top)}) and undo {undo}"
    )
    if bottom > top:
        return caption + f"; the dashed line at {num(cut_height(Z, k, None))} crosses exactly {k} branches."
    if bottom >= top - 1e-12 * max(abs(top), 1.0):
        return caption + (
            f". The highest merge kept and the lowest undone are tied at {num(top)}, so no line "
            f"gives exactly {k} clusters: the cut follows SciPy's merge order, and which of the tied "
            "merges is undone is SciPy's choice, not the data's."
        )
    return caption + (
        f". The next merge, at {num(bottom)}, is lower than one kept ({num(top)}): an inversion, so no "
        f"horizontal line gives exactly {k} clusters and the cut follows the merge order instead."
    )


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
    engine signature. Returns ``linkage_matrix``, ``labels`` (0-based, see ``cut_labels``) and
    ``cophenetic_correlation`` (None where undefined).
    """
    del rng
    n = tree.n
    Z = tree.Z
    proximity = proximity_matrices(X, tree) if n <= PROXIMITY_LIMIT else None
    proximity_max = max((float(D.max()) for _, D in proximity), default=1.0) if proximity else 1.0
    running_max = np.maximum.accumulate(Z[:, 2])
    previous = -1
    for i in frame_indices(n - 1).tolist():
        checkpoint()  # per merge shown (the linkage itself was computed in ``prepare``)
        a, b = int(Z[i, 0]), int(Z[i, 1])
        distance = float(Z[i, 2])
        prior = float(running_max[i - 1]) if i else distance
        ties = _ties(proximity[i][1], distance) if proximity is not None else 1
        caption = _merge_caption(tree, i, previous, a, b, distance, prior, ties)
        previous = i
        state = {"merge": i + 1, "merged": [a, b], "distance": distance, "size": int(Z[i, 3]), "n_clusters": n - 1 - i}
        visual: dict[str, Any] = {
            "members_a": tree.members(a).copy(),
            "members_b": tree.members(b).copy(),
            "grouped": tree.first_merge < i,
            "reveal": float(running_max[i]),
        }
        if proximity is not None:
            ids, matrix = proximity[i]
            visual["proximity_ids"] = ids
            visual["proximity"] = matrix
            visual["proximity_max"] = proximity_max  # one colour scale for every frame
        yield Frame("merge", caption, state, {"distance": distance, "n_clusters": float(n - 1 - i)}, visual)

    labels = cut_labels(Z, n_clusters, distance_threshold)
    k = int(labels.max()) + 1
    coph = cophenetic_correlation(tree)
    caption = f"{_cut_caption(tree, k, n_clusters, distance_threshold)} {cophenetic_note(tree, coph)}"
    state = {
        "labels": labels.copy(),
        "n_clusters": k,
        "cut_height": cut_height(Z, n_clusters, distance_threshold),
        "cophenetic_correlation": coph,
    }
    visual = {}
    if proximity is not None and 2 <= k < n and _same_partition(labels, cut_labels(Z, k, None)):
        ids, matrix = proximity[n - k]  # the k clusters left at the cut, and how far apart they are
        visual = {"proximity_ids": ids, "proximity": matrix, "proximity_max": proximity_max}
    yield Frame("cut", caption, state, {"distance": float(Z[-1, 2]), "n_clusters": float(k)}, visual)
    return {"linkage_matrix": Z.copy(), "labels": labels, "cophenetic_correlation": coph}
