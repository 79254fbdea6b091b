"""Captions of the regularization lab: what each α (or step) did to the coefficients and the errors, and why
(L1's corners give exact zeros, L2's circle never does, α trades bias for variance, the validation error is
U-shaped, weight decay is an L2 penalty applied as a shrink before each step)."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.text import num, plural

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PENALTY_WORDS = {"l1": "L1 (lasso)", "l2": "L2 (ridge)", "elasticnet": "elastic net"}


def feature_name(power: int) -> str:
    """ "u³" for power 3 (u = 2x − 1)."""
    return "u" + str(power).translate(SUPERSCRIPT)


def names(indices: Sequence[int]) -> str:
    """ "u², u⁵ and u⁷" for feature indices 1, 4, 6 (0-based)."""
    words = [feature_name(i + 1) for i in indices]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def objective(penalty: str, l1_ratio: float) -> str:
    if penalty == "l1":
        return "1/(2m)·RSS + α·Σ|w|"
    if penalty == "l2":
        return "1/(2m)·RSS + α/2·Σw²"
    r = num(l1_ratio, 3)
    return f"1/(2m)·RSS + α·({r}·Σ|w| + {num((1 - l1_ratio) / 2, 3)}·Σw²)"


def data_caption(degree: int, n_train: int, n_val: int, penalty: str, l1_ratio: float, alphas: Sequence[float]) -> str:
    return (
        f"{plural(n_train, 'training point')} and {plural(n_val, 'validation point')}; the model is a polynomial "
        f"of degree {degree} in u = 2x − 1, fitted by minimising {objective(penalty, l1_ratio)} (m training "
        "points, the intercept unpenalised). Each feature u¹…u"
        f"{str(degree).translate(SUPERSCRIPT)} is standardised on the training points first: the penalty charges "
        "every coefficient alike, which is only fair when the features have the same spread. "
        f"α falls from {num(alphas[0], 3)} to {num(alphas[-1], 3)} over {len(alphas)} values."
    )


def alpha_caption(
    penalty: str,
    alpha: float,
    n_nonzero: int,
    degree: int,
    entered: Sequence[int],
    left: Sequence[int],
    train: float,
    validation: float,
    last_validation: float | None,
) -> str:
    head = (
        f"α = {num(alpha, 3)}: {n_nonzero} of {degree} coefficients non-zero; training MSE {num(train, 3)}, "
        f"validation MSE {num(validation, 3)}."
    )
    moves = ""
    if entered:
        moves += f" {names(entered)} left zero (weaker α can afford {'it' if len(entered) == 1 else 'them'})."
    if left:
        moves += f" {names(left)} went back to exactly zero."
    if penalty == "l2":
        why = (
            " L2 shrinks every coefficient together and none reaches zero: the circle has no corners, so the loss "
            "contours touch it where both weights are non-zero."
        )
    elif n_nonzero == 0:
        why = (
            " Every coefficient is exactly zero: α is so strong that the fit is the mean of y, a flat line. The "
            "penalty's corners lie on the axes, and the contours touch the corner at 0 first."
        )
    elif penalty == "elasticnet":
        why = (
            " Elastic net's L1 part still sets coefficients exactly to zero (its rounded diamond keeps corners on "
            "the axes), while its L2 part shares the weight among correlated features instead of picking one."
        )
    else:
        why = (
            " L1 sets coefficients exactly to zero: the diamond's corners lie on the axes, and the loss contours "
            "most often touch the diamond at a corner, where a weight is 0."
        )
    trend = ""
    if last_validation is not None and abs(validation - last_validation) > 1e-9 * max(last_validation, 1.0):
        if validation > last_validation:
            trend = (
                " The validation error rose: weaker α lets the fit chase the training noise (less bias, more variance)."
            )
        else:
            trend = " The validation error fell: the fit can now bend like the truth (less bias)."
    return head + moves + why + trend


def summary_caption(
    best_alpha: float, validation: float, n_nonzero: int, degree: int, train_last: float, where: str
) -> str:
    """``where``: ``inside`` (the best α is inside the grid), ``weakest`` or ``strongest`` (at an end of it)."""
    head = (
        f"The best α is {num(best_alpha, 3)}: validation MSE {num(validation, 3)} with {n_nonzero} of {degree} "
        "coefficients non-zero."
    )
    if where == "weakest":
        return head + (
            " The validation error was still falling at the weakest α: with this little noise the fit can follow "
            "the points without much variance, so a weaker α (or none) would do as well; lower the weakest α to "
            "see it turn."
        )
    if where == "strongest":
        return head + (
            " The strongest α won: the flat fit beats every curve on the validation points, so the data has "
            "little signal for this model; weaker α only adds variance."
        )
    return head + (
        " The validation error is U-shaped over α: strong α underfits (bias), weak α overfits (variance; the "
        f"training MSE keeps falling, to {num(train_last, 3)} at the weakest α, because it cannot see it). α trades "
        "the one for the other; the validation points, never fitted, pick the balance."
    )


def start_caption(
    learning_rate: float, weight_decay: float, n_steps: int, degree: int, n_train: int, curvature: float
) -> str:
    """``curvature``: the largest eigenvalue of ZᵀZ/m + λ, the loss's steepest curvature (above 2 / it, steps
    grow instead of shrinking)."""
    shrink = 1.0 - learning_rate * weight_decay
    warning = ""
    if learning_rate * curvature > 2.0:
        warning = (
            f" Warning: the learning rate is above 2 / {num(curvature, 3)}, the loss's steepest curvature, so "
            "each step overshoots further and the run will diverge."
        )
    return (
        f"Gradient descent with weight decay λ = {num(weight_decay, 3)} on the degree-{degree} polynomial's "
        f"{degree} standardised features ({plural(n_train, 'training point')}), from all weights 0, for "
        f"{plural(n_steps, 'step')} of learning rate {num(learning_rate, 3)}. Each step first shrinks every weight "
        f"by the factor 1 − lr·λ = {num(shrink, 6)}, then steps down the data loss's gradient: "
        "w ← (1 − lr·λ)·w − lr·∇L(w). That is the gradient step of L + λ/2·‖w‖², the L2 penalty at α = λ." + warning
    )


def step_caption(step: int, shrink: float, gradient: float, train_loss: float, validation: float) -> str:
    return (
        f"Step {step}: the shrink moved the weights by {num(shrink, 3)} towards 0, the gradient step by "
        f"{num(gradient, 3)}; data loss {num(train_loss, 4)}, validation MSE {num(validation, 3)}. "
        + (
            "The weights start at 0, so there is nothing to shrink yet: the first step is the gradient's alone."
            if shrink == 0
            else "The gradient step still dominates: the fit is learning the data."
            if gradient > shrink
            else "The two nearly cancel: the weights settle where the data's pull equals the decay's."
        )
    )


def end_caption(steps: int, distance: float, weight_decay: float, validation: float) -> str:
    return (
        f"After {plural(steps, 'step')}: validation MSE {num(validation, 3)}. Gradient descent with weight decay λ "
        f"heads for the L2 (ridge) fit at α = λ = {num(weight_decay, 3)}; its weights are {num(distance, 3)} from it "
        "now (the flat directions of correlated features converge slowly). Weight decay and an L2 penalty are the "
        "same thing for plain gradient descent."
    )
