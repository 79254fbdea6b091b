"""DBSCAN written out wave by wave (scikit-learn's ``DBSCAN`` hides the expansion order).

Neighbour queries come from SciPy's ``cKDTree``: its pairs within eps give every point's eps-neighbourhood,
itself included, as scikit-learn's DBSCAN counts it (distance ≤ eps in both). Clusters
grow one at a time from the lowest-numbered unvisited core point, breadth first, which assigns border
points to the same cluster scikit-learn's depth-first loop does (the first cluster that reaches them). The
``nearest-core`` border rule then moves each border point to the cluster of its nearest core point (ties: the
lowest-numbered core point), which does not depend on the order clusters grow in.
Shapes: ``X`` (n, d); labels (n,) int (−1 = not yet / noise); kinds (n,) str.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial import cKDTree

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural

FRAME_LIMIT = 150  # expansion waves shown; more are grouped evenly (the last wave is always shown)
EXAMPLES = {"core": 3, "border": 2, "noise": 2}  # eps-circles drawn in the classification frames
BorderRule = Literal["first-cluster", "nearest-core"]


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
    return np.asarray(graph.indices[offsets + np.arange(total)])


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
            checkpoint()  # per wave: 5,000 points may grow in thousands of waves
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


def _border_pairs(X: np.ndarray, nb: Neighbourhoods) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (border point, core point within eps) pair and its squared distance: three (m,) arrays."""
    border = np.flatnonzero(nb.kinds == "border")
    lengths = nb.graph.indptr[border + 1] - nb.graph.indptr[border]
    owner = np.repeat(border, lengths)
    other = _gather(nb.graph, border)
    keep = nb.core[other]
    owner, other = owner[keep], other[keep]
    return owner, other, ((X[owner] - X[other]) ** 2).sum(axis=1)


def nearest_core(X: np.ndarray, nb: Neighbourhoods) -> tuple[np.ndarray, np.ndarray]:
    """Each border point (b,) and its nearest core point (b,), ties to the lowest-numbered core point."""
    owner, other, d2 = _border_pairs(X, nb)
    order = np.lexsort((other, d2, owner))  # by border point, then distance, then core index
    first = np.unique(owner[order], return_index=True)[1]
    return owner[order][first], other[order][first]


def contested(X: np.ndarray, nb: Neighbourhoods, labels: np.ndarray) -> int:
    """Border points with core points of two or more clusters within eps: where the border rule matters."""
    owner, other, _ = _border_pairs(X, nb)
    pairs = np.unique(np.stack([owner, labels[other]], axis=1), axis=0)  # (b, cluster) once each
    return int((np.bincount(pairs[:, 0], minlength=labels.size) > 1).sum()) if pairs.size else 0


RULES = {
    "first-cluster": (
        "A border point within eps of two clusters joins the first cluster that reaches it "
        "(scikit-learn's rule, as in the original DBSCAN paper: one pass, no distances to compare, "
        "but the answer depends on the order clusters grow in)."
    ),
    "nearest-core": (
        "A border point within eps of two clusters joins the cluster of its nearest core point "
        "(border_rule = nearest-core: it does not depend on the order clusters grow in; "
        "scikit-learn takes the first cluster that reaches it instead)."
    ),
}


def _example_caption(
    kind: str, nb: Neighbourhoods, examples: np.ndarray, eps: float, min_samples: int, rule: BorderRule
) -> str:
    count = int((nb.kinds == kind).sum())
    within = f"within eps = {num(eps)}"
    if kind == "core":
        if count == 0:
            return (
                f"No core points: no point has min_samples = {min_samples} points {within} (itself "
                "included), so no cluster can start and every point will be noise. Try a larger eps or a "
                "smaller min_samples."
            )
        text = (
            f"{plural(count, 'core point')}: each has at least min_samples = {min_samples} "
            f"point{'' if min_samples == 1 else 's'} {within}, itself included"
        )
        if examples.size:
            have = int(nb.counts[examples[0]])
            text += f"; point {int(examples[0])} has {have} (itself and {plural(have - 1, 'other')})"
        return text + "."
    if kind == "border":
        if min_samples == 1:
            return "No border points: with min_samples = 1 every point is a core point (itself is enough)."
        if count == 0:
            return f"No border points: no point that is not core has a core point {within}."
        return (
            f"{plural(count, 'border point')}: fewer than {min_samples} points {within} (itself included), "
            f"but a core point among them, so {'it joins' if count == 1 else 'they join'} a cluster without "
            f"extending it. {RULES[rule]}"
        )
    if count == 0:
        return "No noise points: every point is a core point or within eps of one."
    text = f"{plural(count, 'noise point')}: not core, and no core point {within}"
    if examples.size:
        have = int(nb.counts[examples[0]])
        near = (
            "only itself within eps" if have == 1 else f"{have} points within eps, itself included, none of them core"
        )
        text += f" (point {int(examples[0])} has {near})"
    return text + "."


def _wave_caption(wave: _Wave, nb: Neighbourhoods, size: int, rule: BorderRule) -> str:
    c = wave.cluster
    if wave.step == 0:
        joined = wave.reached.size - 1
        if joined == 0:
            return (
                f"Cluster {c} starts at core point {int(wave.frontier[0])}, the lowest-numbered core point not "
                "yet in a cluster; no unlabelled point is within eps of it, so the cluster is this point alone."
            )
        return (
            f"Cluster {c} starts at core point {int(wave.frontier[0])}, the lowest-numbered core point not "
            f"yet in a cluster; {plural(joined, 'unlabelled point')} within eps "
            f"{'joins' if joined == 1 else 'join'} it."
        )
    if wave.reached.size == 0:
        return (
            f"Cluster {c}, wave {wave.step}: the frontier reaches no new point, so the cluster is complete "
            f"with {plural(size, 'point')}."
        )
    border = int((~nb.core[wave.reached]).sum())
    core = wave.reached.size - border
    parts = []
    if core:
        parts.append(f"{core} core, which expand{'s' if core == 1 else ''} next")
    if border:
        one = border == 1
        later = (
            f", and {'it' if one else 'each'} may still move to a nearer core point's cluster at the end"
            if rule == "nearest-core"
            else ""
        )
        parts.append(
            f"{border} border, which {'joins' if one else 'join'} but {'does' if one else 'do'} not expand{later}"
        )
    front = wave.frontier.size
    return (
        f"Cluster {c}, wave {wave.step}: the {plural(front, 'core point')} on the frontier "
        f"reach{'es' if front == 1 else ''} {plural(wave.reached.size, 'new point')} ({'; '.join(parts)}); "
        f"cluster {c} now has {plural(size, 'point')}."
    )


def run(
    X: np.ndarray,
    *,
    eps: float,
    min_samples: int,
    rng: np.random.Generator,
    border_rule: BorderRule = "first-cluster",
) -> Generator[Frame, None, dict[str, Any]]:
    """DBSCAN frames: ``core``, ``border``, ``noise`` (the classification), ``expand`` (one per wave),
    ``reassign`` (border_rule = nearest-core only), ``done``.

    Returns ``labels`` (−1 noise), ``core_sample_indices``, ``n_clusters``, ``n_noise`` and ``k_distances``.
    """
    n = X.shape[0]
    nb = neighbourhoods(X, eps, min_samples)
    labels = np.full(n, -1, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    for kind in ("core", "border", "noise"):
        checkpoint()
        pool = np.flatnonzero(nb.kinds == kind)
        examples = np.sort(rng.choice(pool, size=min(EXAMPLES[kind], pool.size), replace=False)) if pool.size else empty
        state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": empty.copy(), "count": int(pool.size)}
        yield Frame(
            kind,
            _example_caption(kind, nb, examples, eps, min_samples, border_rule),
            state,
            {"clustered": 0.0, "clusters": 0.0},
            {"circles": examples},
        )

    waves = _waves(nb)
    shown = _shown(len(waves))
    since = 0  # waves folded into the next shown frame
    for w, wave in enumerate(waves):
        labels[wave.reached] = wave.cluster
        since += 1
        if w not in shown:
            continue
        checkpoint()
        caption = _wave_caption(wave, nb, int((labels == wave.cluster).sum()), border_rule)
        if since > 1:
            caption = f"({plural(since, 'wave')} since the last frame.) " + caption
        since = 0
        state = {
            "labels": labels.copy(),
            "kinds": nb.kinds.copy(),
            "frontier": wave.frontier.copy(),
            "cluster": wave.cluster,
            "wave": wave.step,
        }
        metrics = {"clustered": float((labels >= 0).sum()), "clusters": float(wave.cluster + 1)}
        yield Frame("expand", caption, state, metrics, {"reached": wave.reached.copy()})

    checkpoint()
    n_clusters = int(labels.max()) + 1 if n else 0
    n_noise = int((labels == -1).sum())
    torn = contested(X, nb, labels)
    if border_rule == "nearest-core":
        border, core = nearest_core(X, nb)
        moved = border[labels[border] != labels[core]]
        labels[border] = labels[core]
        change = (
            f"{plural(moved.size, 'point')} changed cluster (the first cluster to reach "
            f"{'it' if moved.size == 1 else 'them'} was not the nearest core point's)"
            if moved.size
            else "none changed cluster: the first cluster to reach each was already its nearest core point's"
        )
        who = (
            "the one border point goes"
            if border.size == 1
            else f"each of the {plural(border.size, 'border point')} goes"
        )
        caption = (
            f"Border rule nearest-core: {who} to the cluster of its nearest core point; "
            f"{plural(torn, 'border point')} had core points of two or more clusters within eps, and {change}."
        )
        if border.size == 0:
            caption = "Border rule nearest-core: there are no border points, so nothing changes."
        state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": empty.copy(), "moved": moved}
        yield Frame(
            "reassign",
            caption,
            state,
            {"clustered": float(n - n_noise), "clusters": float(n_clusters)},
            {"reached": moved.copy()},
        )
    what = (
        f"{plural(n_clusters, 'cluster')} and {plural(n_noise, 'noise point')}"
        if n_clusters
        else f"0 clusters; all {plural(n, 'point')} are noise, as none is core"
    )
    caption = f"Done: {what} (eps = {num(eps)}, min_samples = {min_samples})."
    if torn and border_rule == "first-cluster":
        caption += (
            f" {plural(torn, 'border point')} had core points of two or more clusters within eps and "
            "went to the first cluster that reached them (scikit-learn's rule)."
        )
    state = {"labels": labels.copy(), "kinds": nb.kinds.copy(), "frontier": empty.copy()}
    yield Frame("done", caption, state, {"clustered": float(n - n_noise), "clusters": float(n_clusters)})
    return {
        "labels": labels,
        "core_sample_indices": np.flatnonzero(nb.core),
        "n_clusters": n_clusters,
        "n_noise": n_noise,
        "k_distances": nb.k_distances,
    }
