"""The classification variant's run, frame by frame, and its captions.

``class_data`` (the points, the features, the α grid and L1's α_max), one ``class_alpha`` frame per α from strong to
weak (the coefficients, the log-loss and accuracy on both sides of the split, which coefficients left or entered
zero, P(class 1) over the plane), then ``class_summary`` (the best α by validation log-loss). The frame kinds differ
from the regression path's because their states do (log-loss and accuracy, not squared error).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural
from app.engines import regularization_logistic as lg
from app.engines.regularization_captions import PENALTY_WORDS


@dataclass(frozen=True)
class ClassSetup:
    """What one classification run fits and draws."""

    design: lg.Design
    plane: np.ndarray  # (g², d) the standardised features of the plane's grid points
    classes: tuple[str, str]


def _names(design: lg.Design, indices: Sequence[int]) -> str:
    words = [design.names[i] for i in indices]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _scores(design: lg.Design, fit: lg.Fit) -> dict[str, float]:
    p_train = lg.probability(design.Z, fit.coefficients, fit.intercept)  # (m,)
    p_val = lg.probability(design.Z_val, fit.coefficients, fit.intercept)  # (v,)
    return {
        "train_log_loss": lg.log_loss(design.y, p_train),
        "validation_log_loss": lg.log_loss(design.y_val, p_val),
        "train_accuracy": lg.accuracy(design.y, p_train),
        "validation_accuracy": lg.accuracy(design.y_val, p_val),
    }


def data_caption(setup: ClassSetup, penalty: str, r: float, alphas: np.ndarray, alpha_max: float) -> str:
    design = setup.design
    d = len(design.names)
    zero_note = (
        f" With an L1 part, every coefficient is exactly 0 for α above {num(alpha_max / r, 3)} "
        "(max|Zᵀ(y − ȳ)|/m ÷ r: at w = 0 no feature's pull on the log-loss beats the penalty), so the strongest α "
        "draw a flat plane: every point gets the training share of the second class."
        if r > 0
        else " L2 never sets a coefficient exactly to 0, however strong α is."
    )
    return (
        f"{plural(design.y.size, 'training point')} and {plural(design.y_val.size, 'validation point')} "
        f"(a stratified split: both keep the class shares) of {setup.classes[0]} and {setup.classes[1]}. The model "
        f"is logistic regression on the {d} polynomial features of (x₁, x₂) up to degree {design.degree} "
        f"({design.names[0]}, {design.names[1]}, {design.names[2] if d > 2 else ''}…), each standardised on the "
        f"training points, fitted by minimising the mean log-loss + α·penalty ({PENALTY_WORDS[penalty]}; the "
        f"intercept unpenalised). α falls from {num(float(alphas[0]), 3)} to {num(float(alphas[-1]), 3)} over "
        f"{alphas.size} values." + zero_note + " (The regression task's two-weight picture is left out: with "
        f"{d} weights, no slice through two of them shows the constraint the others share.)"
    )


def alpha_caption(
    setup: ClassSetup,
    penalty: str,
    alpha: float,
    n_nonzero: int,
    entered: Sequence[int],
    left: Sequence[int],
    scores: dict[str, float],
    last_validation: float | None,
) -> str:
    design = setup.design
    d = len(design.names)
    head = (
        f"α = {num(alpha, 3)}: {n_nonzero} of {d} coefficients non-zero; log-loss {num(scores['train_log_loss'], 3)} "
        f"on training, {num(scores['validation_log_loss'], 3)} on validation (accuracy "
        f"{num(scores['train_accuracy'], 3)} and {num(scores['validation_accuracy'], 3)})."
    )
    moves = ""
    if entered:
        moves += f" {_names(design, entered)} left zero: at this weaker α {'its' if len(entered) == 1 else 'their'} "
        moves += "pull on the log-loss beats the penalty."
    if left:
        moves += f" {_names(design, left)} went back to exactly zero (a correlated feature took over its work)."
    if n_nonzero == 0:
        why = (
            " Every coefficient is 0: the model predicts the training share of the second class everywhere, so "
            "the plane is one flat colour and the boundary is missing."
        )
    elif penalty == "l2":
        why = " L2 shrinks every coefficient together, none to exactly 0: the boundary bends more as α weakens."
    else:
        why = (
            " The L1 part keeps most high powers at exactly 0, so the boundary is built from the few features "
            "that pay for themselves."
        )
    trend = ""
    validation = scores["validation_log_loss"]
    if last_validation is not None and abs(validation - last_validation) > 1e-9:
        trend = (
            " The validation log-loss rose: the boundary starts to wrap round single training points (variance)."
            if validation > last_validation
            else " The validation log-loss fell: the boundary can now follow the classes' real shape (less bias)."
        )
    return head + moves + why + trend


def summary_caption(setup: ClassSetup, alpha: float, scores: dict[str, float], n_nonzero: int, where: str) -> str:
    d = len(setup.design.names)
    head = (
        f"The best α is {num(alpha, 3)}: validation log-loss {num(scores['validation_log_loss'], 3)} (accuracy "
        f"{num(scores['validation_accuracy'], 3)}) with {n_nonzero} of {d} coefficients non-zero. It is chosen by "
        "log-loss, not accuracy: log-loss also charges confident wrong probabilities, and it changes smoothly with α."
    )
    if where == "weakest":
        return head + " The validation loss was still falling at the weakest α: lower the weakest α to see it turn."
    if where == "strongest":
        return head + " The strongest α won: these features add only variance on this data."
    return head + (
        " Over α the validation loss is U-shaped: strong α underfits (a boundary too straight), weak α overfits "
        "(the training loss keeps falling, the validation loss turns up); the points never fitted pick the balance."
    )


def class_path_run(
    setup: ClassSetup, penalty: str, r: float, alphas: np.ndarray
) -> Generator[Frame, None, dict[str, Any]]:
    design = setup.design
    alpha_max = lg.l1_alpha_max(design.Z, design.y.astype(np.float64))
    yield Frame(
        kind="class_data",
        caption=data_caption(setup, penalty, r, alphas, alpha_max),
        state={
            "n_train": int(design.y.size),
            "n_validation": int(design.y_val.size),
            "degree": design.degree,
            "feature_names": list(design.names),
            "classes": list(setup.classes),
            "penalty": penalty,
            "l1_ratio": float(r),
            "alphas": alphas.tolist(),
            "l1_alpha_max": alpha_max,
        },
    )
    fits = lg.path(design.Z, design.y.astype(np.float64), r, alphas)  # every α at once, as the regression path
    history: dict[str, list[float]] = {}
    nonzero: list[int] = []
    previous: np.ndarray | None = None
    for step, alpha in enumerate(alphas):
        checkpoint()
        fit = fits[step]
        active = fit.coefficients != 0  # (d,)
        entered = [] if previous is None else np.flatnonzero(active & ~previous).tolist()
        left = [] if previous is None else np.flatnonzero(~active & previous).tolist()
        previous = active
        scores = _scores(design, fit)
        last = history["validation_log_loss"][-1] if history else None
        for key, value in scores.items():
            history.setdefault(key, []).append(value)
        nonzero.append(int(active.sum()))
        yield Frame(
            kind="class_alpha",
            caption=alpha_caption(setup, penalty, float(alpha), nonzero[-1], entered, left, scores, last),
            state={
                "step": step,
                "alpha": float(alpha),
                "coefficients": fit.coefficients.tolist(),
                "intercept": fit.intercept,
                **scores,
                "n_nonzero": nonzero[-1],
                "entered": entered,
                "left": left,
            },
            metrics={**scores, "n_nonzero": float(nonzero[-1])},
            visual={"probability": lg.probability(setup.plane, fit.coefficients, fit.intercept)},
        )
    best = int(np.argmin(history["validation_log_loss"]))
    best_scores = {key: values[best] for key, values in history.items()}
    where = "strongest" if best == 0 else "weakest" if best == alphas.size - 1 else "inside"
    yield Frame(
        kind="class_summary",
        caption=summary_caption(setup, float(alphas[best]), best_scores, nonzero[best], where),
        state={"best_alpha": float(alphas[best]), "best_index": best, "alphas": alphas.tolist(), **history}
        | {"n_nonzero": nonzero},
        visual={"probability": lg.probability(setup.plane, fits[best].coefficients, fits[best].intercept)},
    )
    return {
        "mode": "path",
        "task": "classification",
        "penalty": penalty,
        "l1_ratio": float(r),
        "alphas": alphas.tolist(),
        "feature_names": list(design.names),
        "coefficients": [f.coefficients.tolist() for f in fits],
        "intercepts": [f.intercept for f in fits],
        **history,
        "n_nonzero": nonzero,
        "best_alpha": float(alphas[best]),
    }
