"""Bagging, pasting, random patches and random subspaces: scikit-learn's ``BaggingClassifier`` replayed member by
member.

The ensemble is fitted once (``random_state`` = the run's seed, so scikit-learn alone reproduces it); the frames
then walk its ``estimators_``, ``estimators_samples_`` (the rows each member drew, indices into the training
rows, repeated as often as drawn when rows are drawn with replacement) and ``estimators_features_``. The vote of
the first i members is computed as ``BaggingClassifier.predict_proba`` computes it for all of them
(``_parallel_predict_proba``): each member's ``predict_proba`` when it has one, else a one-hot vote of its
``predict``, summed in member order and divided by i; the winner is the arg-max. A running sum makes frame i cost
one member's predictions, not i.

The out-of-bag vote is scikit-learn's ``_set_oob_score``: each training row summed over the members that did not
draw it; ``oob_score`` (the result) is its accuracy over every training row, as scikit-learn's ``oob_score_``
(a row no member left out counts as predicted class 0 there); the frames' running OOB accuracy counts only the
rows some member so far has left out. It is computed here rather than by ``fit(oob_score=True)``, which cannot
score a member that left no row out (tiny data), and it changes no draw.

Shapes: ``X`` (n, 2); training rows ``parts.train`` (t,); grid points (g², 2); votes (m, K) per member.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import BaggingClassifier
from sklearn.svm import SVC

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.seed import run_seed
from app.core.text import percent, plural
from app.engines.base_models import LABELS, make_estimator
from app.engines.boundary import Grid, Split, grid_result, make_grid, score


def quiet() -> Any:
    """A naive Bayes member whose draw missed a class has a zero prior for it: log(0) = −inf is its right answer
    (probability 0), not a warning for the learner. (A new np.errstate each time: it is per thread, and one
        instance cannot be entered twice.)"""
    return np.errstate(divide="ignore", invalid="ignore")


class Tally:
    """A running sum of members' votes over m points, (m, K): the ensemble of the members added so far."""

    def __init__(self, m: int, n_classes: int) -> None:
        self.total = np.zeros((m, n_classes))  # (m, K) summed votes, in member order (scikit-learn's order)
        self.count = 0

    def add(self, votes: np.ndarray) -> None:
        self.total += votes
        self.count += 1

    def mean(self) -> np.ndarray:
        """(m, K) the average vote: scikit-learn's ``predict_proba`` of the members so far."""
        return self.total / self.count

    def winner(self) -> np.ndarray:
        """(m,) the class with the largest average vote (ties to the lowest index, as ``np.argmax``)."""
        return np.asarray(self.mean().argmax(axis=1), dtype=np.int64)

    def top_share(self) -> np.ndarray:
        """(m,) the winning class's average vote (mean probability, or share of the hard votes)."""
        return np.asarray(self.mean().max(axis=1))


def member_votes(member: Any, points: np.ndarray, n_classes: int) -> np.ndarray:
    """(m, K) one member's vote on ``points`` (m, f), as ``_parallel_predict_proba`` adds it: its
    ``predict_proba`` put in the columns of its ``classes_`` (a draw may miss a class), or, for a model
    without probabilities (an SVM without Platt scaling), 1 for the class it predicts."""
    votes = np.zeros((points.shape[0], n_classes))
    if hasattr(member, "predict_proba"):
        with quiet():
            votes[:, np.asarray(member.classes_, dtype=np.int64)] = member.predict_proba(points)
    else:
        votes[np.arange(points.shape[0]), predict(member, points)] = 1.0
    return votes


def predict(member: Any, points: np.ndarray) -> np.ndarray:
    """(m,) a member's own class for ``points`` (m, f)."""
    with quiet():
        return np.asarray(member.predict(points), dtype=np.int64)


def panel_points(grid: Grid, step: int) -> np.ndarray:
    """(p², 2) every ``step``-th grid point on both axes, row-major like the grid (the small panel's grid)."""
    g = grid.size
    keep = np.arange(0, g, step)
    return grid.points.reshape(g, g, 2)[np.ix_(keep, keep)].reshape(-1, 2)


def pretty(name: str) -> str:
    return {"x1": "x₁", "x2": "x₂"}.get(name, name)


def feature_words(cols: np.ndarray, feature_names: tuple[str, ...], who: str) -> str:
    """Which features a member sees, in words; one feature of two makes its boundary stripes."""
    distinct = sorted({int(c) for c in cols})
    if len(distinct) == len(feature_names):
        return f"{who} sees both features."
    name = pretty(feature_names[distinct[0]])
    stripes = "vertical" if distinct[0] == 0 else "horizontal"
    return (
        f"{who} sees only {name}, so its own boundary is a set of {stripes} stripes: it cannot tell apart "
        f"points that differ only in the other feature."
    )


def comparison(ensemble: float, mean_member: float, members: str = "members") -> str:
    """Why the vote beats its members, or why it does not."""
    if ensemble > mean_member + 0.005:
        return f"averaging cancels the mistakes the {members} do not share."
    if ensemble < mean_member - 0.005:
        return (
            f"here the vote is worse than a typical member: where most {members} are wrong together, their "
            "wrong votes outvote the right ones."
        )
    return f"no gain yet: the {members} make much the same mistakes, so their vote does too."


@dataclass(frozen=True)
class Draws:
    """How the ensemble draws rows and features, as scikit-learn's params."""

    max_samples: int | float  # a float share of the training rows, or an int count
    bootstrap: bool
    max_features: int | float  # an int count of features, or a float share
    bootstrap_features: bool


def base_estimator(spec: Mapping[str, Any], seed: int) -> Any:
    """The members' model: ``make_estimator``'s, except that an SVM without probabilities keeps scikit-learn's
    own default for the switch (scikit-learn 1.9 deprecates ``probability`` and warns at every fit in which it
    is set, even to False; the default means False)."""
    estimator = make_estimator(spec, seed)
    if spec["model"] == "svm" and estimator.get_params().get("probability") is False:
        estimator.set_params(probability=SVC().get_params()["probability"])
    return estimator


def ensemble(spec: Mapping[str, Any], n_estimators: int, draws: Draws, seed: int) -> Any:
    """The unfitted ``BaggingClassifier`` of a run."""
    return BaggingClassifier(
        estimator=base_estimator(spec, seed),
        n_estimators=n_estimators,
        max_samples=draws.max_samples,
        bootstrap=draws.bootstrap,
        max_features=draws.max_features,
        bootstrap_features=draws.bootstrap_features,
        random_state=seed,
    )


def fit(model: Any, X: np.ndarray, y: np.ndarray) -> Any:
    """``model`` fitted on the training rows ``X`` (t, 2), ``y`` (t,).

    No ``warnings.catch_warnings`` here: it swaps the process-wide filter list, so in a worker thread it races
    with every other thread's filters (a run beside a request would switch the request's filters). A naive
    Bayes member's log of a zero prior is silenced by ``np.errstate``, which is per thread."""
    with quiet():
        return model.fit(X, y)


def single_class_draw(model: Any, y_train: np.ndarray) -> tuple[int, int] | None:
    """(position in the batch, its only class) of the first member of the batch just fitted whose draw holds
    one class only, or None. Read after a failed fit: ``_seeds`` (the batch's) is set before any member is
    fitted, and ``_get_estimators_indices`` replays the draws."""
    for i, (_, rows) in enumerate(model._get_estimators_indices(), start=1):
        classes = np.unique(y_train[rows])
        if classes.size == 1:
            return i, int(classes[0])
    return None


class Unfit(Exception):
    """scikit-learn could not fit member ``member`` (from 1): its draw holds class ``only`` alone."""

    def __init__(self, member: int, only: int) -> None:
        super().__init__(f"member {member} drew class {only} only")
        self.member, self.only = member, only


def grow(model: Any, X: np.ndarray, y: np.ndarray, n: int) -> Generator[tuple[Any, np.ndarray, np.ndarray]]:
    """Each member of ``model`` fitted on ``X`` (t, 2), ``y`` (t,), with its draw: (member, rows (drawn,) into
    the training rows, features (f,)).

    The ensemble grows by ``warm_start`` in batches of 1, 2, 4, ... members, so the first frame needs one fit
    of one member, not of all of them; the members are the ones a single ``fit`` of all ``n`` makes
    (scikit-learn skips the seeds of the members already fitted, so that this holds; the tests compare with a
    single fit). ``estimators_samples_`` replays only the last batch's seeds, so each batch's draws are read
    right after its fit. Raises ``Unfit`` when a member cannot be fitted on its draw (an SVM on one class)."""
    model.set_params(warm_start=True)
    done, batch = 0, 1
    while done < n:
        target = min(n, done + batch)
        model.set_params(n_estimators=target)
        checkpoint()
        try:
            fit(model, X, y)
        except ValueError:
            unfit = single_class_draw(model, y)
            if unfit is None:
                raise
            raise Unfit(done + unfit[0], unfit[1]) from None
        drawn = model.estimators_samples_  # the batch's draws, in member order
        for k in range(done, target):
            cols = np.asarray(model.estimators_features_[k], dtype=np.int64)
            yield model.estimators_[k], np.asarray(drawn[k - done], dtype=np.int64), cols
        done, batch = target, 2 * batch


def _drawn_words(counts: np.ndarray, bootstrap: bool, n_train: int) -> str:
    """What the member drew, in words (``counts`` (t,) times each training row was drawn)."""
    drawn = int(counts.sum())
    distinct = int((counts > 0).sum())
    left = n_train - distinct
    if bootstrap:
        most = int(counts.max())
        repeats = f"one up to {most} times: marker size" if most > 1 else "none drawn twice, so no marker is enlarged"
        return (
            f"drew {plural(drawn, 'row')} with replacement: {plural(distinct, 'distinct row')} ({repeats}), "
            f"and {plural(left, 'row')} never drawn, its out-of-bag rows"
        )
    if left == 0:
        return f"trains on all {plural(n_train, 'training row')}, each once"
    return f"drew {plural(distinct, 'row')} without replacement; the other {left} it never sees (faded)"


def run(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    feature_names: tuple[str, ...],
    spec: Mapping[str, Any],
    n_estimators: int,
    draws: Draws,
    oob: bool,
    grid_size: int,
    panel_step: int,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """One ``estimator`` frame per member (``unfit`` alone when scikit-learn cannot fit one), then the result."""
    seed = run_seed(rng)
    train, test = parts.train, parts.test
    n_train = int(train.size)
    y_train = y[train]
    model = ensemble(spec, n_estimators, draws, seed)
    grid = make_grid(X, grid_size)
    panel = panel_points(grid, panel_step)  # (p², 2): the member panel's coarser grid
    grid_tally, point_tally = Tally(grid.points.shape[0], n_classes), Tally(X.shape[0], n_classes)
    oob_sum = np.zeros((n_train, n_classes))  # (t, K) votes of the members that left each row out
    oob_count = np.zeros(n_train, dtype=np.int64)  # (t,) how many members left each row out
    member_scores: list[float] = []
    samples: list[np.ndarray] = []  # per member (drawn,) indices into the training rows
    features: list[np.ndarray] = []  # per member (f,) feature indices
    scores = None
    members = grow(model, X[train], y_train, n_estimators)
    for i in range(1, n_estimators + 1):
        try:
            member, rows, cols = next(members)
        except Unfit as unfit:
            caption = (
                f"Estimator {unfit.member} drew rows of class {unfit.only} only, and the base model "
                f"({LABELS[spec['model']]}) cannot be fitted on one class, so scikit-learn's BaggingClassifier "
                "refuses this ensemble. Use more points, more rows per estimator, or another base model."
            )
            yield Frame("unfit", caption, {"estimator": unfit.member, "only_class": unfit.only})
            return {"unfit": True, "detail": caption, "train_indices": train, "test_indices": test}
        samples.append(rows)
        features.append(cols)
        checkpoint()
        cols = np.asarray(cols, dtype=np.int64)
        grid_tally.add(member_votes(member, grid.points[:, cols], n_classes))
        votes = member_votes(member, X[:, cols], n_classes)  # (n, K) this member on every row
        point_tally.add(votes)
        counts = np.bincount(rows, minlength=n_train)  # (t,) times each training row was drawn
        out = counts == 0
        oob_sum[out] += votes[train[out]]
        oob_count[out] += 1
        predicted = point_tally.winner()
        scores = score(y, predicted, parts, n_classes)
        own = predict(member, X[:, cols])  # (n,) the member alone
        own_scores = score(y, own, parts, n_classes)
        held = own_scores.test_accuracy if own_scores.test_accuracy is not None else own_scores.train_accuracy
        member_scores.append(held)
        covered = oob_count > 0
        oob_accuracy = (
            float(np.mean(oob_sum[covered].argmax(axis=1) == y_train[covered])) if oob and covered.any() else None
        )
        state: dict[str, Any] = {
            "estimator": i,
            "n_estimators": n_estimators,
            "sample_counts": counts,
            "features": cols,
            "distinct_rows": int((counts > 0).sum()),
            **scores.state(),
            "member_train_accuracy": own_scores.train_accuracy,
            "member_test_accuracy": own_scores.test_accuracy,
            "oob_accuracy": oob_accuracy,
            "oob_rows": int(covered.sum()) if oob else None,
        }
        metrics = scores.metrics()
        if own_scores.test_accuracy is not None:
            metrics["member_test_accuracy"] = own_scores.test_accuracy
        if oob_accuracy is not None:
            metrics["oob_accuracy"] = oob_accuracy
        caption = _caption(
            i, n_estimators, counts, cols, feature_names, draws.bootstrap, scores, own_scores, member_scores
        )
        if oob_accuracy is not None:
            caption += (
                f" Out-of-bag accuracy so far {percent(oob_accuracy, 1)}, on the {plural(int(covered.sum()), 'row')} "
                "some member left out: a free validation set, with no rows held back."
            )
        panel_class = predict(member, panel[:, cols])  # (p²,) the member's own map
        visual = {
            "predicted": grid_tally.winner(),
            "probability": grid_tally.top_share(),
            "misclassified": scores.misclassified,
            "member_predicted": panel_class,
            "sample_counts": counts,
        }
        yield Frame("estimator", caption, state, metrics, visual=visual)
    assert scores is not None  # n_estimators ≥ 1
    oob_score = float(np.mean(oob_sum.argmax(axis=1) == y_train)) if oob else None
    return {
        "samples": [train[np.asarray(rows, dtype=np.int64)] for rows in samples],
        "features": [np.asarray(cols, dtype=np.int64) for cols in features],
        "oob_score": oob_score,
        "oob_rows": int((oob_count > 0).sum()) if oob else None,
        "train_score": scores.train_accuracy,
        "test_score": scores.test_accuracy,
        "member_scores": member_scores,
        "train_indices": train,
        "test_indices": test,
        "grid": grid_result(grid, grid_tally.winner(), probability=grid_tally.top_share()),
    }


def _caption(
    i: int,
    n: int,
    counts: np.ndarray,
    cols: np.ndarray,
    feature_names: tuple[str, ...],
    bootstrap: bool,
    scores: Any,
    own: Any,
    member_scores: list[float],
) -> str:
    """Estimator i's frame in words: how the vote compares with its members, what the member drew and sees."""
    held = "test" if scores.test_accuracy is not None else "training"
    ensemble = scores.test_accuracy if scores.test_accuracy is not None else scores.train_accuracy
    alone = own.test_accuracy if own.test_accuracy is not None else own.train_accuracy
    if i == 1:
        head = (
            f"Estimator 1 of {n} alone scores {percent(alone, 1)} on the {held} set; with one member, the ensemble "
            "is that member."
        )
    else:
        mean = float(np.mean(member_scores))
        head = (
            f"Estimator {i} of {n} alone scores {percent(alone, 1)} on the {held} set; the vote of the first {i} "
            f"scores {percent(ensemble, 1)} (members average {percent(mean, 1)}): {comparison(ensemble, mean)}"
        )
    drawn = _drawn_words(counts, bootstrap, int(counts.size))
    return f"{head} It {drawn}. {feature_words(cols, feature_names, 'It')}"
