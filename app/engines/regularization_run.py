"""The regularization run, frame by frame.

``path`` mode: ``data`` (the points, the standardised features), one ``alpha`` frame per α from strong to weak
(the coefficients, the errors, which coefficients left or entered zero, the 2-feature picture), then ``summary``
(the best α by validation MSE). ``weight_decay`` mode: ``start`` (all weights 0), one ``step`` frame per shown
gradient step (at most ``MOST_SHOWN``: the shrink, the gradient step, the errors), then ``end``.

The 2-feature picture is a fixed sub-problem: the same data and penalty on the first two standardised features
(u and u²) only. Why not the two largest weights of the full fit: they change from α to α, and the full loss's
slice through them moves whenever any other weight moves; the sub-problem's loss contours stay the same in every
frame, so only the constraint region changes with α, as in the textbook picture, and its penalised optimum is
exactly where the smallest region of that size touches the contours.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import regularization as rg
from app.engines import regularization_captions as words

MOST_SHOWN = 40
"""Frames of a weight-decay run (its steps are evenly spaced among them; the last step is always shown)."""


@dataclass(frozen=True)
class Setup:
    """What one run fits and draws."""

    data: rg.Data
    problem: rg.Problem
    grid: np.ndarray  # (g,) x of the drawn curve


def _curve(setup: Setup, w: np.ndarray) -> np.ndarray:
    """(g,) the fit's y at the curve x."""
    out: np.ndarray = setup.problem.standardise(setup.grid) @ w + setup.problem.intercept
    return out


def _errors(problem: rg.Problem, w: np.ndarray) -> tuple[float, float]:
    b = problem.intercept
    return rg.mse(problem.y, problem.Z @ w + b), rg.mse(problem.y_val, problem.Z_val @ w + b)


def path_run(setup: Setup, penalty: str, l1_ratio: float, alphas: np.ndarray) -> Generator[Frame, None, dict[str, Any]]:
    problem = setup.problem
    degree = problem.Z.shape[1]
    yc = problem.y - problem.intercept  # (m,)
    r = rg.l1_share(penalty, l1_ratio)
    yield Frame(
        kind="data",
        caption=words.data_caption(degree, problem.y.size, problem.y_val.size, penalty, l1_ratio, list(alphas)),
        state={
            "n_train": int(problem.y.size),
            "n_validation": int(problem.y_val.size),
            "degree": degree,
            "penalty": penalty,
            "l1_ratio": float(r),
            "alphas": alphas.tolist(),
        },
    )
    coefficients = rg.penalised_path(problem.Z, yc, penalty, l1_ratio, alphas)  # (A, d)
    sub = rg.penalised_path(problem.Z[:, :2], yc, penalty, l1_ratio, alphas)  # (A, 2) the 2-feature problem
    train_mse: list[float] = []
    validation_mse: list[float] = []
    nonzero: list[int] = []
    previous = coefficients[0] != 0  # the first α reports no change: there is no α before it
    for step, alpha in enumerate(alphas):
        checkpoint()
        w = coefficients[step]
        train, validation = _errors(problem, w)
        active = w != 0
        entered = np.flatnonzero(active & ~previous).tolist()
        left = np.flatnonzero(~active & previous).tolist()
        previous = active
        size = rg.penalty_size(sub[step], r)
        yield Frame(
            kind="alpha",
            caption=words.alpha_caption(
                penalty,
                float(alpha),
                int(active.sum()),
                degree,
                entered,
                left,
                train,
                validation,
                validation_mse[-1] if validation_mse else None,
            ),
            state={
                "step": step,
                "alpha": float(alpha),
                "coefficients": w.tolist(),
                "intercept": problem.intercept,
                "train_mse": train,
                "validation_mse": validation,
                "n_nonzero": int(active.sum()),
                "entered": entered,
                "left": left,
                "sub_weights": sub[step].tolist(),
                "sub_penalty": size,
            },
            metrics={"train_mse": train, "validation_mse": validation, "n_nonzero": float(active.sum())},
            visual={"curve": _curve(setup, w), "region": rg.region_boundary(size, r)},
        )
        train_mse.append(train)
        validation_mse.append(validation)
        nonzero.append(int(active.sum()))
    best = int(np.argmin(validation_mse))
    yield Frame(
        kind="summary",
        caption=words.summary_caption(
            float(alphas[best]),
            validation_mse[best],
            nonzero[best],
            degree,
            train_mse[-1],
            "strongest" if best == 0 else "weakest" if best == alphas.size - 1 else "inside",
        ),
        state={
            "best_alpha": float(alphas[best]),
            "best_index": best,
            "alphas": alphas.tolist(),
            "train_mse": train_mse,
            "validation_mse": validation_mse,
            "n_nonzero": nonzero,
        },
        visual={
            "curve": _curve(setup, coefficients[best]),
            "region": rg.region_boundary(rg.penalty_size(sub[best], r), r),
            "sub_weights": sub[best].copy(),
        },
    )
    return {
        "mode": "path",
        "penalty": penalty,
        "l1_ratio": float(r),
        "alphas": alphas.tolist(),
        "coefficients": coefficients.tolist(),
        "intercept": problem.intercept,
        "train_mse": train_mse,
        "validation_mse": validation_mse,
        "n_nonzero": nonzero,
        "best_alpha": float(alphas[best]),
    }


def shown_steps(n_steps: int) -> list[int]:
    """The steps drawn as frames: evenly spaced from 1, at most ``MOST_SHOWN``, the last always."""
    every = -(-n_steps // MOST_SHOWN)
    return sorted({*range(every, n_steps + 1, every), 1, n_steps})


def decay_run(
    setup: Setup, learning_rate: float, weight_decay: float, n_steps: int
) -> Generator[Frame, None, dict[str, Any]]:
    problem = setup.problem
    degree = problem.Z.shape[1]
    yc = problem.y - problem.intercept  # (m,)
    m = yc.size
    w = np.zeros(degree)  # (d,)
    ridge = rg.ridge_path(problem.Z, yc, np.array([weight_decay]))[0]  # (d,) where weight decay heads
    curvature = float(np.linalg.eigvalsh(problem.Z.T @ problem.Z / m).max()) + weight_decay
    yield Frame(
        kind="start",
        caption=words.start_caption(learning_rate, weight_decay, n_steps, degree, m, curvature),
        state={
            "learning_rate": learning_rate,
            "weight_decay": weight_decay,
            "n_steps": n_steps,
            "shown_steps": shown_steps(n_steps),
            "ridge_weights": ridge.tolist(),
        },
        visual={"curve": _curve(setup, w), "weights": w.copy()},
    )
    shown = set(shown_steps(n_steps))
    steps: list[int] = []
    weights: list[list[float]] = []
    losses: list[float] = []
    validation_mse: list[float] = []
    before, shrunk = w, w
    for step in range(1, n_steps + 1):
        before = w
        shrunk, w = rg.decay_step(problem.Z, yc, before, learning_rate, weight_decay)
        if step not in shown:
            if step % 200 == 0:
                checkpoint()
            continue
        checkpoint()
        loss = float(np.sum((yc - problem.Z @ w) ** 2) / (2 * m))
        _, validation = _errors(problem, w)
        shrink = float(np.linalg.norm(before - shrunk))
        gradient = float(np.linalg.norm(w - shrunk))
        steps.append(step)
        weights.append(w.tolist())
        losses.append(loss)
        validation_mse.append(validation)
        yield Frame(
            kind="step",
            caption=words.step_caption(step, shrink, gradient, loss, validation),
            state={
                "step": step,
                "weights": w.tolist(),
                "before": before.tolist(),
                "shrunk": shrunk.tolist(),
                "train_loss": loss,
                "penalty": float(weight_decay / 2 * np.dot(w, w)),
                "validation_mse": validation,
                "shrink_size": shrink,
                "gradient_size": gradient,
            },
            metrics={"train_loss": loss, "validation_mse": validation},
            visual={"curve": _curve(setup, w)},
        )
    distance = float(np.linalg.norm(w - ridge))
    yield Frame(
        kind="end",
        caption=words.end_caption(n_steps, distance, weight_decay, validation_mse[-1]),
        state={
            "steps": steps,
            "train_loss": losses,
            "validation_mse": validation_mse,
            "ridge_distance": distance,
        },
        visual={"curve": _curve(setup, w), "weights": w.copy(), "before": before.copy(), "shrunk": shrunk.copy()},
    )
    return {
        "mode": "weight_decay",
        "learning_rate": learning_rate,
        "weight_decay": weight_decay,
        "intercept": problem.intercept,
        "steps": steps,
        "weights": weights,
        "train_loss": losses,
        "validation_mse": validation_mse,
        "ridge_weights": ridge.tolist(),
    }
