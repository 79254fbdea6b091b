"""DBSCAN written out wave by wave (scikit-learn's ``DBSCAN`` hides the expansion order).

Neighbour queries come from SciPy's ``cKDTree``: its pairs within eps give every point's eps-neighbourhood,
itself included, as scikit-learn's DBSCAN counts it (distance ≤ eps in both). Clusters
grow one at a time from the lowest-numbered unvisited core point, breadth first, which assigns border
points to the same cluster scikit-learn's depth-first loop does (the first cluster that reaches them).
Shapes: ``X`` (n, d); labels (n,) int (−1 = not yet / noise); kinds (n,) str.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial import cKDTree

from app.engines.frame import Frame

FRAME_LIMIT = 150  # expansion waves shown; more are grouped evenly (the last wave is always shown)
EXAMPLES = {"core": 3, "border": 2, "noise": 2}  # eps-circles drawn in the classification frames


@dataclass(frozen=True)
class Neighbourhoods:
    graph: csr_matrix  # (n, n) 0/1: j is within eps of i (i itself included)
    counts: np.ndarray  # (n,) points within eps, itself included
    core: np.ndarray  # (n,) bool
    kinds: np.ndarray  # (n,) "core" | "border" | "noise"
    k_distances: np.ndarray  # (n,) distance to the min_samples-th neighbour (itself first), sorted high → low


def neighbourhoods(X: np.ndarray, eps: float, min_samples: int) -> Neighbourhoods:
    """eps-neighbourhoods, core / border / noise, and the k-distance curve, from one SciPy k-d tree."""
    n = X.shape[0]
    tree = cKDTree(X)
    pairs = tree.query_pairs(eps, output_type="ndarray")  # (m, 2) i < j with distance ≤ eps
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])  # both directions, and i itself
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    graph = coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    counts = np.diff(graph.indptr)
    core = counts >= min_samples
    near_core = graph @ core.astype(np.int8) > 0  # (n,) has a core point within eps
    kinds = np.where(core, "core", np.where(near_core, "border", "noise"))
    k = min(min_samples, n)
    kth = tree.query(X, k=[k])[0][:, 0]  # (n,) itself counts as the first neighbour: core iff kth ≤ eps
    return Neighbourhoods(graph, counts, core, kinds, np.sort(kth)[::-1].copy())


def _gather(graph: csr_matrix, rows: np.ndarray) -> np.ndarray:
    """Column indices of ``rows`` of a CSR matrix, concatenated (with repeats), without building a sub-matrix."""
    starts = graph.indptr[rows]
    lengths = graph.indptr[rows + 1] - starts
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return graph.indices[offsets + np.arange(total)]


@dataclass(frozen=True)
class _Wave:
    cluster: int
    step: int  # 0 for the seed's own neighbourhood
    frontier: np.ndarray  # core points whose neighbourhoods were scanned
    reached: np.ndarray  # points labelled in this wave


def _waves(nb: Neighbourhoods) -> list[_Wave]:
    """Breadth-first growth of every cluster, in seed order; each wave scans the frontier's neighbourhoods."""
    graph, core = nb.graph, nb.core
    labels = np.full(core.size, -1, dtype=np.int64)
    waves: list[_Wave] = []
    cluster = -1
    for seed in np.flatnonzero(core).tolist():
        if labels[seed] != -1:
            continue
        cluster += 1
        labels[seed] = cluster
        frontier = np.array([seed])
        step = 0
        while frontier.size:
            touched = _gather(graph, frontier)  # the frontier's eps-neighbourhoods
            new = np.unique(touched[labels[touched] == -1])
            labels[new] = cluster
            reached = np.concatenate([[seed], new]) if step == 0 else new
            waves.append(_Wave(cluster, step, frontier, reached))
            frontier = new[core[new]]  # only core points expand further; border points stop the wave
            step += 1
    return waves


def _shown(total: int, limit: int = FRAME_LIMIT) -> set[int]:
    if total <= limit:
        return set(range(total))
    return set(np.linspace(0, total - 1, limit).round().astype(int).tolist())


def _example_caption(kind: str, nb: Neighbourhoods, examples: np.ndarray, eps: float, min_samples: int) -> str:
    count = int((nb.kinds == kind).sum())
    if kind == "core":
        text = (f"{count} core points: each has at least min_samples = {min_samples} points within eps = {eps:g} "
                "(itself included)")
        if examples.size:
            text += f"; point {int(examples[0])} has {int(nb.counts[examples[0]])}"
    elif kind == "border":
        text = (f"{count} border points: fewer than {min_samples} neighbours, but a core point within eps, "
                "so they can join a cluster without extending it")
    else:
        text = f"{count} noise points: not core, and no core point within eps = {eps:g}"
        if examples.size:
            text += f" (point {int(examples[0])} has {int(nb.counts[examples[0]])} neighbours, none core)"
    return text + "."


def run(
    X: np.ndarray, *, eps: float, min_samples: int, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    """DBSCAN frames: ``core``, ``border``, ``noise`` (the classification), ``expand`` (one per wave), ``done``.

    Returns ``labels`` (−1 noise), ``core_sample_indices``, ``n_clusters``, ``n_noise`` and ``k_distances``.
    """
    n = X.shape[0]
    nb = neighbourhoods(X, eps, min_samples)
    labels = np.full(n, -1, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    for kind in ("core", "border", "noise"):
        pool = np.flatnonzero(nb.kinds == kind)
        examples = np.sort(rng.choice(pool, size=min(EXAMPLES[kind], pool.size), replace=False)) if pool.size \
            else empty
        state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": empty.copy(),
                 "count": int(pool.size)}
        yield Frame(kind, _example_caption(kind, nb, examples, eps, min_samples), state,
                    {"clustered": 0.0, "clusters": 0.0}, {"circles": examples})

    waves = _waves(nb)
    shown = _shown(len(waves))
    since = 0  # waves folded into the next shown frame
    for w, wave in enumerate(waves):
        labels[wave.reached] = wave.cluster
        since += 1
        if w not in shown:
            continue
        size = int((labels == wave.cluster).sum())
        if wave.step == 0:
            caption = (f"Cluster {wave.cluster} starts at core point {int(wave.frontier[0])}, the lowest-numbered "
                       f"core point not yet in a cluster; its {wave.reached.size - 1} unlabelled eps-neighbours join.")
        else:
            border = int((~nb.core[wave.reached]).sum())
            caption = (f"Cluster {wave.cluster}, wave {wave.step}: {wave.frontier.size} core points on the frontier "
                       f"reach {wave.reached.size} new points ({border} border, which join but do not expand); "
                       f"cluster {wave.cluster} now has {size} points.")
            if wave.reached.size == 0:
                caption = (f"Cluster {wave.cluster}, wave {wave.step}: the frontier reaches no new point, so the "
                           f"cluster is complete with {size} points.")
        if since > 1:
            caption = f"({since} waves since the last frame.) " + caption
        since = 0
        state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": wave.frontier.copy(),
                 "cluster": wave.cluster, "wave": wave.step}
        metrics = {"clustered": float((labels >= 0).sum()), "clusters": float(wave.cluster + 1)}
        yield Frame("expand", caption, state, metrics, {"reached": wave.reached.copy()})

    n_clusters = int(labels.max()) + 1 if n else 0
    n_noise = int((labels == -1).sum())
    caption = (f"Done: {n_clusters} cluster{'s' if n_clusters != 1 else ''} and {n_noise} noise "
               f"point{'s' if n_noise != 1 else ''} (eps = {eps:g}, min_samples = {min_samples}).")
    state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": empty.copy()}
    yield Frame("done", caption, state, {"clustered": float(n - n_noise), "clusters": float(n_clusters)})
    return {"labels": labels, "core_sample_indices": np.flatnonzero(nb.core), "n_clusters": n_clusters,
            "n_noise": n_noise, "k_distances": nb.k_distances}
