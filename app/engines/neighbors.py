"""k-nearest neighbours swept over k = 1 .. K: the over- to under-fitting story, one frame per k.

scikit-learn's ``NearestNeighbors`` returns each query's K nearest training points sorted by distance (the
steps are exposed, so the library finds them); the vote for every k ≤ K is counted here from those lists,
which costs one neighbour search instead of K. The votes follow ``KNeighborsClassifier``: uniform or 1/d
weights, a zero-distance neighbour takes all the weight, ties go to the lowest class index.

Shapes: ``X`` (n, 2); neighbour lists ``idx`` (m, K) into the training rows, ``dist`` (m, K).

For the page's "click a point to see who voted" view the result carries, when n·K ≤ ``MAX_NEIGHBOR_LISTS``
(always, at the default limits):

* ``neighbors`` (n, K) int: each row of X's K nearest training rows (indices into X), nearest first. A
  training point is its own first neighbour. The vote at k is the first k of each list.
* ``neighbor_weights`` (n, K) float, only when ``weights = "distance"``: each neighbour's vote weight (1/d, 3
  significant digits; neighbours at distance 0 take the whole vote). With uniform weights every neighbour
  votes 1.
* ``labels`` (n,) int: the class index of every row of X (what the neighbours vote with).
* ``points`` (n, 2) float: the rows of X (7 significant digits), so the lists can be drawn.

Counting ``labels`` (or summing the weights) over the first k neighbours gives the frame-k vote; the winner
is the class with the largest count, ties to the lowest class index, as the frames predict (with distance
weights, up to the rounding of the weights in a near-tie). The knn lab adds ``classes``, the class names.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import percent, plural
from app.engines.boundary import Split, grid_result, make_grid, score

MAX_NEIGHBOR_LISTS = 250_000
"""Most (point, neighbour) pairs put in the result for the page's neighbour view: 5,000 points × k = 50, every
run the default limits allow (about 1.2 MB of JSON at that size; distance weights add about as much again)."""


def neighbour_weights(dist: np.ndarray, scheme: str) -> np.ndarray:
    """(m, K) vote weight of each sorted neighbour: 1, or 1/d with scikit-learn's rule that a query sitting on
    training points lets only those vote. Exact matches sort first, so a neighbour's weight is the same for
    every k, and the vote for k + 1 is the vote for k plus one neighbour."""
    if scheme == "uniform":
        return np.ones_like(dist)
    with np.errstate(divide="ignore"):
        w = 1.0 / dist
    exact = np.isinf(w)
    rows = exact[:, 0]
    w[rows] = exact[rows].astype(float)
    return w


def significant(values: np.ndarray, digits: int) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits (zeros stay zero): short JSON, same picture."""
    out = np.asarray(values, dtype=float).copy()
    nz = np.isfinite(out) & (out != 0)
    scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(out[nz]))))
    out[nz] = np.round(out[nz] * scale) / scale
    return out


def sweep(
    labels: np.ndarray, dist: np.ndarray, n_classes: int, scheme: str
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For k = 1 .. K: each query's winning class, its vote share, and whether the vote was tied (m,) bool.
    ``labels`` (m, K) classes of the sorted neighbours. Ties go to the lowest class index (argmax takes the
    first maximum), as in scikit-learn."""
    m, K = labels.shape
    w = neighbour_weights(dist, scheme)
    tally = np.zeros((m, n_classes))
    rows = np.arange(m)
    for j in range(K):
        tally[rows, labels[:, j]] += w[:, j]
        winner = tally.argmax(axis=1)
        top = tally[rows, winner]
        tied = (np.isclose(tally, top[:, None], rtol=1e-12, atol=0).sum(axis=1) > 1) & (top > 0)
        yield winner, top / tally.sum(axis=1), tied


def conflicting_duplicates(X: np.ndarray, y: np.ndarray) -> int:
    """How many rows share their exact position with a row of another class (no classifier can fit them all)."""
    _, group = np.unique(X, axis=0, return_inverse=True)
    group = group.ravel()
    pairs = np.unique(np.column_stack([group, y]), axis=0)  # distinct (position, label)
    mixed = np.flatnonzero(np.bincount(pairs[:, 0], minlength=group.max() + 1) > 1)
    return int(np.isin(group, mixed).sum())


def _story(
    j: int,
    k: int,
    requested: int,
    n_train: int,
    train_accuracy: float,
    conflicts: int,
    changed: float,
    ties: int,
    weights: str,
) -> str:
    """What the k-th frame shows, in words: true for this frame's numbers."""
    if j == 1:
        if train_accuracy == 1.0:
            story = (
                "each training point is its own nearest neighbour (distance 0), so the training set is fitted "
                "perfectly and the boundary wraps every stray point"
            )
        elif conflicts:
            story = (
                f"each training point's nearest neighbour is at distance 0, but {plural(conflicts, 'point')} "
                "share their exact position with a point of another class (duplicates with different labels), "
                "so no vote can fit them all"
            )
        else:
            story = "the nearest training point decides"
    else:
        story = f"{j} neighbours vote; " + (
            f"{percent(changed, 1)} of the map changed class since k = {j - 1}"
            if changed > 0
            else f"the map is the same as at k = {j - 1}"
        )
        if j == n_train:
            story += (
                ": every training point votes, so one class (the majority, or on a tie the lowest) wins everywhere"
                if weights == "uniform"
                else ": every training point votes, the nearer ones counting more"
            )
        elif weights == "distance" and train_accuracy == 1.0:
            story += (
                ". With 1/distance weights a training point's own vote (distance 0) outweighs all others, so "
                "training accuracy stays 100 % whatever k is"
            )
    if ties:
        story += (
            f". {plural(ties, 'point')} had a tied vote, which goes to the lowest class index, as in "
            "scikit-learn's KNeighborsClassifier"
        )
    if j == k and requested > k:
        story += (
            f". k = {requested} was asked, but there are only {plural(n_train, 'training point')}, so the sweep "
            f"stops at k = {k}"
        )
    return story


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    k: int,
    metric: str,
    p: float,
    weights: str,
    grid_size: int,
    requested_k: int | None = None,
) -> Generator[Frame, None, dict[str, Any]]:
    """One ``k`` frame per k = 1 .. k (each with its boundary and accuracies), then the result. ``requested_k``:
    what the learner asked for when it was more than the training points (k is then clamped to them)."""
    grid = make_grid(X, grid_size)
    index = NearestNeighbors(n_neighbors=k, metric=metric, p=p).fit(X[parts.train])
    y_train = y[parts.train]
    dist_points, idx_points = index.kneighbors(X)  # (n, K): training points include themselves at distance 0
    dist_grid, idx_grid = index.kneighbors(grid.points)  # (g², K)
    lab_points, lab_grid = y_train[idx_points], y_train[idx_grid]
    history: list[dict[str, Any]] = []
    best: tuple[float, int] = (-1.0, 0)
    conflicts = conflicting_duplicates(X[parts.train], y_train)
    votes = zip(
        sweep(lab_points, dist_points, n_classes, weights), sweep(lab_grid, dist_grid, n_classes, weights), strict=True
    )
    previous = None
    for j, ((predicted, _, tied), (grid_class, grid_share, _)) in enumerate(votes, start=1):
        checkpoint()  # per k (the neighbour search itself is one scikit-learn call, before the first frame)
        scores = score(y, predicted, parts, n_classes)
        held = scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy
        history.append({"k": j, "train_accuracy": scores.train_accuracy, "test_accuracy": scores.test_accuracy})
        if held > best[0]:
            best = (held, j)
        changed = float(np.mean(grid_class != previous)) if previous is not None else 0.0
        previous = grid_class
        story = _story(
            j,
            k,
            requested_k or k,
            int(parts.train.size),
            scores.train_accuracy,
            conflicts,
            changed,
            int(tied.sum()),
            weights,
        )
        test = (
            f"; test accuracy {scores.test_accuracy:.1%} (best so far k = {best[1]})"
            if scores.test_accuracy is not None
            else ""
        )
        caption = f"k = {j}: {story}. Training accuracy {scores.train_accuracy:.1%}{test}."
        state = {"k": j, **scores.state(), "tied_votes": int(tied.sum())}
        visual = {"predicted": grid_class, "probability": grid_share, "misclassified": scores.misclassified}
        yield Frame("k", caption, state, scores.metrics(), visual=visual)
    result: dict[str, Any] = {
        "k": k,
        "requested_k": requested_k or k,
        "best_k": best[1],
        "accuracy_by_k": history,
        "train_accuracy": history[-1]["train_accuracy"],
        "test_accuracy": history[-1]["test_accuracy"],
        "train_indices": parts.train,
        "test_indices": parts.test,
        "grid": grid_result(grid, grid_class, probability=grid_share),
    }
    if idx_points.size <= MAX_NEIGHBOR_LISTS:  # for the page: click a point to see who voted (module docstring)
        result["neighbors"] = parts.train[idx_points]  # (n, K) each point's K nearest training rows (into X)
        if weights == "distance":
            result["neighbor_weights"] = significant(neighbour_weights(dist_points, weights), 3)
        result["labels"] = y.copy()
        result["points"] = significant(X, 7)
    return result
