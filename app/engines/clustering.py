"""k-means (Lloyd's algorithm) written out step by step, with k-means++ seeding and the elbow sweep: the frames.

scikit-learn's ``KMeans`` hides its iterations, so the loop is written out in NumPy (``kmeans_lloyd.py``) and
tested against it: with the same explicit init and ``tol=0`` the final centroids, labels and WCSS agree to 1e-9.
This module turns each half-step of that loop into a frame with its caption.
Shapes: ``X`` (n, d); centroids ``C`` (k, d); labels (n,) int.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, percent, plural
from app.engines.kmeans_lloyd import (
    InitSpec,
    Nearest,
    Spread,
    Step,
    Stop,
    distinct_points,
    fit,
    initial_centroids,
    kmeans_plus_plus,
    lloyd,
    wcss,
)

__all__ = ["InitSpec", "distinct_points", "fit", "run"]


def _few_distinct(n_distinct: int, k: int) -> str:
    return (
        f" The data has only {plural(n_distinct, 'distinct point')}, fewer than k = {k}, so at least "
        f"{plural(k - n_distinct, 'centroid')} must coincide with another: k-means cannot find {k} different "
        "clusters here."
    )


@dataclass(frozen=True)
class _Scale:
    """What the captions compare against, computed once per run instead of once per frame (each is a pass
    over X): the round-off levels below which a WCSS or a centroid move is shown as 0, and the stopping bound."""

    tiny_wcss: float  # 1e-12 × Σ‖x‖²: round-off of the WCSS sums
    tiny_move: float  # 1e-12 × max |x|: a mean recomputed to round-off
    threshold: float  # tol × mean feature variance: the stopping rule's bound on the squared shift
    threshold_text: str  # as the update captions print it

    @classmethod
    def of(cls, X: np.ndarray, tol: float, spread: Spread) -> _Scale:
        threshold = spread.mean_variance * tol
        largest = max(float(X.max()), -float(X.min()))  # max |x| without an (n, d) temporary
        return cls(1e-12 * spread.x_sq_total, 1e-12 * max(largest, 1e-300), threshold, num(threshold, 3))


def _init_frames(
    X: np.ndarray, k: int, init: InitSpec, rng: np.random.Generator, nearest: Nearest, n_distinct: int
) -> Iterator[Frame]:
    """``n_distinct``: min(distinct rows of X, k), all the captions need."""
    n = X.shape[0]
    if init == "k-means++":
        for j, (pick, weights, C, uniform) in enumerate(kmeans_plus_plus(X, k, rng), start=1):
            labels = nearest(C)
            total = wcss(X, C, labels)
            if j == 1:
                how = f"chosen uniformly at random (probability 1/{n})"
            elif uniform:
                how = (
                    f"drawn uniformly (probability 1/{n}): every point already sits on a chosen centroid (all "
                    "D² = 0), so D² weighting has nothing to prefer and this centroid repeats an earlier one"
                )
            elif weights[pick] >= 1 - 1e-12:
                how = (
                    "the only point off the chosen centroids (every other D² is 0), so it is drawn for sure: "
                    "D² weighting never picks a point that already has a centroid"
                )
            else:
                how = (
                    f"drawn with probability {percent(float(weights[pick]), 2)}, its share of the total D² "
                    "(squared distance to the nearest chosen centroid): far points are likelier"
                )
            caption = (
                f"k-means++ pick {j} of {k}: point {pick} is {how}; the WCSS to the "
                f"{plural(j, 'chosen centroid')} is {num(total)}."
            )
            if j == 1 and n_distinct < k:
                caption += _few_distinct(n_distinct, k)
            state = {
                "centroids": C,
                "labels": labels,
                "wcss": total,
                "picked": pick,
                "pick_probability": float(weights[pick]),
            }
            yield Frame("init", caption, state, {"wcss": total, "changed": 0.0}, visual={"weights": weights.copy()})
        return
    C = initial_centroids(X, k, init, rng)
    labels = nearest(C)
    total = wcss(X, C, labels)
    if init == "random":
        caption = f"Random init: {plural(k, 'data point')} picked at random (no row twice) as the starting centroids."
    else:
        caption = f"Manual init: starting from the {plural(k, 'centroid')} you placed."
    repeated = k - distinct_points(C)
    if repeated:
        caption += f" {plural(repeated, 'centroid')} repeat{'s' if repeated == 1 else ''} another's position."
    if n_distinct < k:
        caption += _few_distinct(n_distinct, k)
    yield Frame("init", caption, {"centroids": C, "labels": labels, "wcss": total}, {"wcss": total, "changed": 0.0})


def _step_caption(step: Step, before: float, X: np.ndarray, scale: _Scale) -> str:
    n = X.shape[0]
    before, after = (0.0 if v <= scale.tiny_wcss else v for v in (before, step.wcss))
    shown_before, shown_after = num(before), num(after)
    wcss = f"WCSS {shown_before} → {shown_after}" if shown_before != shown_after else f"WCSS {shown_after}"
    if step.kind == "assign":
        if step.iteration == 1:
            moved = f"all {plural(n, 'point')} joined their nearest centroid"
        elif step.changed == 0:
            moved = "no point changed cluster, so the centroids will not move again"
        else:
            moved = f"{plural(step.changed, 'point')} changed cluster"
        return f"Iteration {step.iteration}, assign: {moved}; {wcss}."
    shift = np.sqrt(((step.centroids - step.previous) ** 2).sum(axis=1))  # (k,)
    shift[shift <= scale.tiny_move] = 0.0  # a mean recomputed to round-off
    total = float((shift**2).sum())
    if shift.max() == 0:
        moves = "no centroid moved (each already sat on the mean of its points)"
    else:
        moves = (
            f"each centroid moved to the mean of its points (largest move {num(float(shift.max()), 3)}, "
            f"centroid {int(shift.argmax())}; the squared moves sum to {num(total, 3)}, and the loop stops "
            f"once that is at most {scale.threshold_text})"
        )
    caption = f"Iteration {step.iteration}, update: {moves}; {wcss}."
    for cluster, point in step.empty:
        far = float(((X[point] - step.previous[step.labels[point]]) ** 2).sum())
        why = (
            "the point farthest from its own centroid (among points not alone in their cluster)"
            if far > 0
            else "the points that could be spared all sit exactly on their centroid, so the first is taken"
        )
        where = " (where it already was)" if shift[cluster] == 0 else ""
        caption += f" Cluster {cluster} was left empty, so its centroid was re-seeded at point {point}{where}: {why}."
    return caption


def _stop_caption(stop: Stop, tol: float, n_distinct: int, k: int) -> str:
    after = f"after {plural(stop.n_iter, 'iteration')}"
    if stop.reason == "labels":
        why = f"Converged {after}: no point changed cluster"
    elif stop.reason == "tol" and stop.shift == 0:
        why = f"Converged {after}: the centroids did not move at all"
    elif stop.reason == "tol":
        why = (
            f"Converged {after}: the centroids' squared moves summed to {num(stop.shift, 3)}, at most "
            f"tol × the data's mean feature variance = {num(tol)} × {num(stop.threshold / tol, 4)} = "
            f"{num(stop.threshold, 3)} (tol is relative to the data's spread, as in scikit-learn)"
        )
    else:
        why = (
            f"Stopped at max_iter = {stop.n_iter} before converging: the last update's squared moves summed to "
            f"{num(stop.shift, 3)}, above the stopping threshold {num(stop.threshold, 3)}, and labels still changed"
        )
    caption = f"{why}. Final WCSS {num(stop.wcss)}."
    if n_distinct < k:
        caption += (
            f" Only {plural(n_distinct, 'distinct point')} for k = {k}: some clusters share a centroid "
            f"(scikit-learn warns that it found {plural(n_distinct, 'distinct cluster')}, fewer than "
            "n_clusters)."
        )
    return caption


def run(
    X: np.ndarray,
    *,
    k: int,
    init: InitSpec,
    max_iter: int,
    tol: float,
    elbow_max_k: int,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, object]]:
    """k-means frames: ``init`` (one per k-means++ pick), then ``assign`` / ``update`` pairs, then ``converged``.

    Assumes valid input (1 ≤ k ≤ n, an explicit init has k rows of d values). Returns the result dict.
    """
    run_rng, *elbow_rngs = rng.spawn(1 + elbow_max_k)
    nearest = Nearest(X)  # one set of buffers for the init frames and the loop
    n_distinct = distinct_points(X, at_most=k)  # the captions only ask whether it is below k
    spread = Spread.of(X)
    scale = _Scale.of(X, tol, spread)
    before = np.inf
    for frame in _init_frames(X, k, init, run_rng, nearest, n_distinct):
        before = frame.metrics["wcss"]
        yield frame
    C0 = np.asarray(frame.state["centroids"])
    loop = lloyd(X, C0, max_iter, tol, nearest, spread=spread)
    while True:
        try:
            step = next(loop)
        except StopIteration as done:
            stop: Stop = done.value
            break
        caption = _step_caption(step, before, X, scale)
        before = step.wcss
        state: dict[str, object] = {
            "centroids": step.centroids.copy(),
            # The loop makes a fresh labels array per iteration and never writes it again: the assign frame
            # takes it as it is, the update frame (same labels) a copy, as no two frames share a buffer.
            "labels": step.labels if step.kind == "assign" else step.labels.copy(),
            "wcss": step.wcss,
            "iteration": step.iteration,
        }
        if step.kind == "assign":
            state["changed"] = step.moved.copy()  # indices of points that switched cluster
        else:
            state["previous_centroids"] = step.previous.copy()
        yield Frame(step.kind, caption, state, {"wcss": step.wcss, "changed": float(step.changed)})
    state = {
        "centroids": stop.centroids.copy(),
        "labels": stop.labels.copy(),
        "wcss": stop.wcss,
        "iteration": stop.n_iter,
        "converged": stop.converged,
    }
    caption = _stop_caption(stop, tol, n_distinct, k)
    # The kind says how the loop ended: "stopped" at max_iter is not convergence (as SVM's and the perceptron's).
    yield Frame("converged" if stop.converged else "stopped", caption, state, {"wcss": stop.wcss, "changed": 0.0})

    # Elbow: the same init method and seed for every k; manual init only fixes the chosen k, so the
    # others fall back to k-means++.
    elbow = []
    for j, k_rng in enumerate(elbow_rngs, start=1):
        if j > X.shape[0]:
            break
        checkpoint()
        if j == k:
            elbow.append({"k": j, "wcss": stop.wcss})
            continue
        method = init if isinstance(init, str) else "k-means++"
        elbow.append({"k": j, "wcss": fit(X, j, method, max_iter, tol, k_rng).wcss})
    return {
        "centroids": stop.centroids,
        "labels": stop.labels,
        "wcss": stop.wcss,
        "n_iter": stop.n_iter,
        "converged": stop.converged,
        "elbow": elbow,
    }
