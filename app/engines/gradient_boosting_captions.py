"""The gradient-boosting lab's captions: what each stage's trees fitted and why, how the loss moved, and when
the test loss turns up (overfitting). Numbers come from the frame's own state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.tree import DecisionTreeRegressor

from app.core.text import num, percent, plural

if TYPE_CHECKING:
    from app.engines.gradient_boosting import Problem


@dataclass(frozen=True)
class Track:
    """The losses after each stage so far (from stage 0), for the captions and the result."""

    train: list[float]
    test: list[float]  # empty without a test set


LOSS_NAMES = {
    "squared_error": "MSE",
    "absolute_error": "mean absolute error",
    "huber": "Huber loss",
    "log_loss": "log-loss",
    "exponential": "exponential loss",
}
STEP_WORDS = {
    "absolute_error": " Each region then steps by the median residual in it, not by the mean sign.",
    "huber": " Each region then steps by a robust centre of its residuals.",
    "log_loss": " Each region then takes one Newton step (gradient sum ÷ curvature sum) rather than the mean.",
    "exponential": " Each region then takes one Newton step rather than the mean.",
}


def pair(before: float, after: float) -> tuple[str, str]:
    """Two numbers with enough digits to tell them apart (3 to 6 significant)."""
    for digits in range(3, 7):
        a, b = num(before, digits), num(after, digits)
        if a != b:
            return a, b
    return a, b


def _target_words(problem: Problem, delta: float) -> str:
    """What the stage's trees fit, in words."""
    if problem.loss == "squared_error":
        return "the residuals y − F (what the model still gets wrong)"
    if problem.loss == "absolute_error":
        return "the signs of the residuals (+1 above the curve, −1 below: the absolute error's negative gradient)"
    if problem.loss == "huber":
        return (
            f"the residuals clipped at ±{num(delta, 3)} (Huber's δ, the 90th percentile of |residual|: a bigger "
            "miss counts as δ, so outliers pull less)"
        )
    if problem.loss == "exponential":
        return (
            "y·e^(−F) − (1 − y)·e^F, the exponential (AdaBoost) loss's negative gradient: a point on the wrong side "
            "weighs e^|F|"
        )
    if problem.n_classes > 2:
        return (
            "1[y = k] − pₖ for its class k (how far each probability is from 0 or 1: the log-loss's negative gradient)"
        )
    return f"y − p (each label minus its probability of class {problem.classes[1]}: what the model still gets wrong)"


def init_caption(problem: Problem, initial: np.ndarray, state: dict[str, Any]) -> str:
    """Frame 0: the constant F₀ and why it is that constant."""
    if problem.task == "regression":
        centre = "mean" if problem.loss == "squared_error" else "median"
        why = "squared error" if centre == "mean" else LOSS_NAMES[problem.loss]
        test = f", test MSE {num(state['test_mse'], 3)}" if state["test_mse"] is not None else ""
        return (
            f"Stage 0: before any tree the model predicts one number everywhere, F₀ = {num(initial[0], 4)}: the "
            f"{centre} of the training targets, the best constant for the {why}. Training MSE "
            f"{num(state['train_mse'], 3)}{test}. The sticks are the residuals the first tree will fit."
        )
    counts = np.bincount(problem.y[problem.parts.train].astype(np.int64), minlength=problem.n_classes)
    accuracy = f"Training accuracy {percent(state['train_accuracy'])}"
    if problem.n_classes > 2:
        shares = ", ".join(percent(c / counts.sum()) for c in counts)
        return (
            f"Stage 0: before any tree every point gets the prior share of each class ({shares}) as centred "
            f"log-probabilities F₀, so every point is called class {problem.classes[int(np.argmax(counts))]}. "
            f"{accuracy}. Each stage now adds one tree per class."
        )
    half = "½·" if problem.loss == "exponential" else ""
    p1 = counts[1] / counts.sum()
    return (
        f"Stage 0: before any tree every point gets the prior: F₀ = {half}ln({counts[1]}/{counts[0]}) = "
        f"{num(initial[0], 3)}, the {'half ' if half else ''}log-odds of class {problem.classes[1]} among the "
        f"training points (probability {percent(p1)}). {accuracy}. Each tree will fit what this still gets wrong."
    )


def stage_caption(
    problem: Problem,
    stage: int,
    trees: list[DecisionTreeRegressor],
    in_bag: np.ndarray,
    state: dict[str, Any],
    track: Track,
    last: bool = False,
) -> str:
    """A stage: what its trees fitted, how the loss moved, and overfitting when the test loss turns up; the last
    stage also says what the sum of small trees achieved that one of them could not."""
    tree = trees[0]
    shape = f"depth-{tree.get_depth()}"
    if len(trees) > 1:
        who = f"{len(trees)} {shape} trees, one per class, fit"
    else:
        who = f"a {shape} tree ({plural(tree.get_n_leaves(), 'region')}) fits"
    step = STEP_WORDS.get(problem.loss, "")
    name = LOSS_NAMES[problem.loss]
    before, after = pair(track.train[-1], state["train_loss"])
    added = "their predictions" if len(trees) > 1 else "its prediction"
    moved = "lowers" if state["train_loss"] <= track.train[-1] else "raises"
    text = (
        f"Stage {stage}: {who} {_target_words(problem, float(state.get('huber_delta', 0.0)))}; adding "
        f"{num(problem.learning_rate, 3)}× {added} {moved} the training {name} from {before} to {after}."
    )
    test = state["test_loss"]
    if test is not None:
        text += f" Test {name} {num(test, 3)}."
        if track.test and test > track.test[-1] and state["train_loss"] < track.train[-1]:
            best = int(np.argmin(track.test))
            was, now = pair(track.test[-1], test)
            text += (
                f" The test {name} rose ({was} → {now}) while the training one fell: this stage fitted noise of the "
                f"training points (overfitting); the best test value so far, {num(track.test[best], 3)}, came at "
                f"stage {best}."
            )
    if problem.task == "classification":
        held = f", test {percent(state['test_accuracy'])}" if state["test_accuracy"] is not None else ""
        text += f" Accuracy: training {percent(state['train_accuracy'])}{held}."
    n_train, n_in = int(in_bag.size), int(in_bag.sum())
    if n_in < n_train:
        share = num(problem.subsample, 3)
        text += f" This stage saw {n_in} of the {n_train} training rows (a share of {share}, drawn anew)."
    if last and stage > 1:
        picture = "curve" if problem.task == "regression" else "boundary"
        regions = 2**problem.max_depth
        text += (
            f" Together the {stage} stages add {plural(stage * len(trees), 'small tree')} of at most {regions} "
            f"regions each into one {picture}, which none of them could draw alone: the training {name} fell from "
            f"{num(track.train[0], 3)} at stage 0 to {num(state['train_loss'], 3)}."
        )
        if track.test:
            best = int(np.argmin([*track.test, test]))
            text += f" The test {name} was lowest at stage {best}."
    return text + step
