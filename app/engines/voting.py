"""Voting classifiers (day 6): scikit-learn's ``VotingClassifier``, replayed one base model at a time, then the vote.

The ensemble is fitted once by the library: its ``estimators_`` are the members each frame shows, every one with
``random_state`` = the run's seed. The vote over the grid and the points is then counted here from those members'
own outputs, with the library's arithmetic: hard voting is ``argmax(bincount(votes, weights))`` (a tie goes to the
lowest class index), soft voting ``argmax(average(probabilities, weights))``; the tests check that it equals
``VotingClassifier.predict`` on every grid cell and every point. Counting it here costs nothing (each member's
outputs are needed for its own frame anyway) where ``predict`` would ask every member again.

Shapes: ``X`` (n, 2); class indices 0..K−1; ``m`` members; the large grid has g² points, each member's small
picture t² (``THUMBNAIL_GRID``). The helpers here (quiet fitting, probabilities over all K classes, a model's
outputs, naming the members) serve the stacking engine too; the captions are in ``voting_captions``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import VotingClassifier

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.base_models import can_give_probabilities, make_estimator
from app.engines.boundary import Grid, Scores, Split, grid_result, make_grid, score
from app.engines.voting_captions import member_story, vote_story

THUMBNAIL_GRID = 24
"""Cells per axis of each member's small picture: 576 bytes each, so five of them and the large picture fit in
one 16 KB frame."""
MAX_VOTE_CELLS = 250_000
"""Most (point, member, class) probabilities put in the result for the page's click-a-point view (5,000 points ×
5 members × 10 classes)."""


def quietly() -> Any:
    """Fit and predict with NumPy quiet about naive Bayes on points with no spread (a log of 0: its NaN
    probabilities are handled by ``class_probabilities``). A new ``np.errstate`` each time: it is per thread, and
    one instance cannot be entered twice.

    No ``warnings.catch_warnings`` here: it swaps the process-wide filter list, so in a worker thread it races
    with every other thread's filters. scikit-learn's own warnings are avoided at their source where that keeps
    the run the same (``SVC`` is given ``probability`` only when it is wanted, ``app.engines.base_models``); the
    two left, ``SVC(probability=True)`` deprecated in 1.9 and lbfgs stopping at ``max_iter``, are not the
    learner's to act on, and the test suite ignores them in pyproject's ``filterwarnings``."""
    return np.errstate(divide="ignore", invalid="ignore")


def class_probabilities(model: Any, points: np.ndarray, n_classes: int) -> np.ndarray:
    """(N, K) probabilities of a fitted model over all K classes: a class it never saw in training gets 0 (as
    ``cross_val_predict`` fills it), and a row it cannot score (naive Bayes on points with no spread at all
    gives NaN) counts as unsure, 1/K each."""
    with quietly():  # naive Bayes' log of a zero variance: NaN, handled below
        raw = np.asarray(model.predict_proba(points), dtype=np.float64)  # (N, len(classes_))
    out = np.zeros((points.shape[0], n_classes))
    out[:, np.asarray(model.classes_, dtype=np.int64)] = raw
    out[~np.isfinite(out).all(axis=1)] = 1.0 / n_classes
    return out


@dataclass(frozen=True)
class Outputs:
    """One fitted model over the points, the large grid and the small one."""

    points: np.ndarray  # (n,) predicted class of every row of X
    points_proba: np.ndarray | None  # (n, K); None for a model without probabilities
    grid: np.ndarray  # (g²,) predicted class
    grid_proba: np.ndarray | None  # (g², K)
    thumbnail: np.ndarray  # (t²,) predicted class
    thumbnail_top: np.ndarray | None  # (t²,) the largest probability per cell (the tint)

    @property
    def grid_top(self) -> np.ndarray | None:
        """(g²,) the largest probability per cell (the tint of the large picture)."""
        return None if self.grid_proba is None else self.grid_proba.max(axis=1)


def outputs(model: Any, X: np.ndarray, grid: Grid, small: Grid, n_classes: int, has_proba: bool) -> Outputs:
    """A fitted model's own predictions (an SVM's sign of f, not the argmax of its Platt probabilities) over
    ``X``, the large grid and the small one, and its probabilities where it has them."""

    def predicted(points: np.ndarray) -> np.ndarray:
        return np.asarray(model.predict(points), dtype=np.int64)

    def proba(points: np.ndarray) -> np.ndarray | None:
        return class_probabilities(model, points, n_classes) if has_proba else None

    tint = proba(small.points)
    return Outputs(
        points=predicted(X),
        points_proba=proba(X),
        grid=predicted(grid.points),
        grid_proba=proba(grid.points),
        thumbnail=predicted(small.points),
        thumbnail_top=None if tint is None else tint.max(axis=1),
    )


def member_keys(specs: Sequence[Mapping[str, Any]]) -> list[str]:
    """Distinct estimator names for scikit-learn, which refuses two alike: "knn", "knn_2", ..."""
    keys: list[str] = []
    for spec in specs:
        base = str(spec["model"])
        same = sum(1 for key in keys if key == base or key.startswith(f"{base}_"))
        keys.append(base if same == 0 else f"{base}_{same + 1}")
    return keys


def hard_vote(votes: np.ndarray, weights: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """``votes`` (m, N) class per member → the winner (N,) and its share of the weighted vote (N,).

    The tally adds the members' weights in member order, as ``np.bincount(votes[:, j], weights)`` does, so a tie
    is a tie for the library too, and goes to the lowest class index like its ``argmax``."""
    tally = np.zeros((votes.shape[1], n_classes))  # (N, K)
    rows = np.arange(votes.shape[1])
    for member, w in zip(votes, weights, strict=True):
        tally[rows, member] += w
    winner = tally.argmax(axis=1)
    return winner, tally[rows, winner] / weights.sum()


def soft_vote(probabilities: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``probabilities`` (m, N, K) → the winner (N,) and its averaged probability (N,), as
    ``VotingClassifier(voting="soft")`` computes them (``np.average`` over the members with the weights)."""
    average = np.average(probabilities, axis=0, weights=weights)  # (N, K)
    winner = average.argmax(axis=1)
    return winner, average[np.arange(average.shape[0]), winner]


def held_score(scores: Scores) -> float:
    """Test accuracy, or training accuracy without a test set: what a member's small picture is labelled with."""
    return scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy


@dataclass(frozen=True)
class Committee:
    """The members and how they vote."""

    specs: tuple[Mapping[str, Any], ...]  # m base-model specs ({"model": "knn", "n_neighbors": 5})
    names: tuple[str, ...]  # m distinct names in words: "k-NN (k = 5)"
    voting: str  # "hard" | "soft"
    weights: tuple[float, ...]  # one per member; () = equal

    @property
    def weight_array(self) -> np.ndarray:
        """(m,) the weights the vote uses (1 each when none were given)."""
        return np.asarray(self.weights or [1.0] * len(self.specs), dtype=np.float64)


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    committee: Committee,
    grid_size: int,
    feature_names: Sequence[str],
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """One ``model`` frame per member (its own boundary and scores), then the ``ensemble`` frame (the vote)."""
    specs, names = committee.specs, committee.names
    weights = committee.weight_array  # (m,)
    grid, small = make_grid(X, grid_size), make_grid(X, THUMBNAIL_GRID)
    library = VotingClassifier(
        [(key, make_estimator(spec, seed)) for key, spec in zip(member_keys(specs), specs, strict=True)],
        voting=committee.voting,
        weights=list(committee.weights) or None,
    )
    with quietly():
        library.fit(X[parts.train], y[parts.train])
    members: list[Outputs] = []
    member_scores: list[Scores] = []
    for i, (spec, model) in enumerate(zip(specs, library.estimators_, strict=True)):
        checkpoint()  # per member: its predictions over the grid are most of the work
        out = outputs(model, X, grid, small, n_classes, can_give_probabilities(spec))
        members.append(out)
        scores = score(y, out.points, parts, n_classes)
        member_scores.append(scores)
        caption = member_story(i, committee, model, scores, n_classes, feature_names)
        state = {"model": i, "name": names[i], "weight": float(weights[i]), **scores.state()}
        visual: dict[str, Any] = {
            "predicted": out.grid,
            "misclassified": scores.misclassified,
            "thumbnails": [(o.thumbnail, o.thumbnail_top) for o in members],  # the members shown so far
            "thumbnail_scores": [held_score(s) for s in member_scores],
        }
        if out.grid_top is not None:
            visual["probability"] = out.grid_top
        yield Frame("model", caption, state, scores.metrics(), visual=visual)

    checkpoint()
    votes = np.stack([o.points for o in members])  # (m, n)
    point_proba: np.ndarray | None = None
    if committee.voting == "soft":  # every member has probabilities (the lab refuses an SVM without)
        point_proba = np.stack([o.points_proba for o in members if o.points_proba is not None])  # (m, n, K)
        grid_proba = np.stack([o.grid_proba for o in members if o.grid_proba is not None])  # (m, g², K)
        predicted, _ = soft_vote(point_proba, weights)
        grid_class, grid_share = soft_vote(grid_proba, weights)
    else:
        predicted, _ = hard_vote(votes, weights, n_classes)
        grid_class, grid_share = hard_vote(np.stack([o.grid for o in members]), weights, n_classes)
    scores = score(y, predicted, parts, n_classes)
    facts = _vote_facts(votes, predicted, y, parts)
    caption = vote_story(committee, scores, facts)
    state = {"voting": committee.voting, **scores.state(), **facts}
    visual = {
        "predicted": grid_class,
        "probability": grid_share,
        "misclassified": scores.misclassified,
        "thumbnails": [(o.thumbnail, o.thumbnail_top) for o in members],
        "thumbnail_scores": [held_score(s) for s in member_scores],
    }
    yield Frame("ensemble", caption, state, scores.metrics(), visual=visual)

    result: dict[str, Any] = {
        "voting": committee.voting,
        "weights": weights.tolist(),
        "models": list(names),
        "member_train_accuracy": [s.train_accuracy for s in member_scores],
        "member_test_accuracy": [s.test_accuracy for s in member_scores],
        "train_accuracy": scores.train_accuracy,
        "test_accuracy": scores.test_accuracy,
        "confusion": scores.confusion,
        "train_indices": parts.train,
        "test_indices": parts.test,
        "grid": grid_result(grid, grid_class, probability=grid_share),
        # For the page's click-a-point view: every member's vote on every point, and the vote's answer.
        "votes": votes.T.copy(),  # (n, m)
        "predicted": predicted,  # (n,)
        "labels": y.copy(),  # (n,)
        "points": np.round(X, 6),  # (n, 2)
    }
    if point_proba is not None and point_proba.size <= MAX_VOTE_CELLS:
        result["probabilities"] = np.round(point_proba.transpose(1, 0, 2), 3)  # (n, m, K)
    return result


def _vote_facts(votes: np.ndarray, predicted: np.ndarray, y: np.ndarray, parts: Split) -> dict[str, Any]:
    """Why the vote beats its best member or not, counted on the held-out points (the training points without a
    test set): ``votes`` (m, n) each member's class, ``predicted`` (n,) the vote's."""
    held = parts.test if parts.test.size else parts.train
    truth = y[held]
    wrong = votes[:, held] != truth  # (m, h)
    accuracy = 1.0 - wrong.mean(axis=1)  # (m,)
    best = int(np.argmax(accuracy))  # the first of the best
    right = predicted[held] == truth
    return {
        "held": "test" if parts.test.size else "training",
        "best_member": best,
        "best_member_accuracy": float(accuracy[best]),
        "fixed": int(np.sum(wrong[best] & right)),  # the best member's mistakes the vote gets right
        "broken": int(np.sum(~wrong[best] & ~right)),  # points it had right that the vote gets wrong
        "shared_errors": int(np.sum(wrong.sum(axis=0) * 2 > votes.shape[0])),  # missed by more than half
        "agreement": float(np.mean((votes[:, held] == votes[:1, held]).all(axis=0))),  # all members alike
    }
