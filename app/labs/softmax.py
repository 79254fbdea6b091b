"""The softmax lab (issue 17, days 56–57): one example's logits through softmax, log-softmax, NLL and
cross-entropy, the gradient p − onehot(y), gradient steps on the logits, why subtracting the max changes
nothing, and the temperature.

``prepare`` resolves the logits (typed in, the big-logits preset, or a small linear model on one iris flower
whose weights the run's seed draws), checks what needs K (the target below K, one distinct name per class:
422s naming K), and draws what the view needs once: the −log p curve and the gradient axis' extent at the start.
Only the small model uses randomness: its initial W, from the seed.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import num, plural
from app.datasets.multivariate import table
from app.engines import softmax as sm
from app.engines import softmax_run as engine
from app.schemas.common import ParamsError
from app.schemas.frames import softmax as frames
from app.schemas.softmax import BIG_LOGITS, SoftmaxParams
from app.views.softmax import SoftmaxView

CURVE_POINTS = 200
"""Points along the −log p curve."""
MAX_NAME = 24
"""Longest class name (characters): a bar's label must fit under it."""


@dataclass(frozen=True)
class SoftmaxInputs:
    """The logits the run starts from, the classes, and the static pieces of the figure."""

    logits: np.ndarray  # (K,) float64
    class_names: tuple[str, ...]  # (K,)
    target: int
    note: str  # the first caption's opening sentence ("" for typed logits)
    curve_p: np.ndarray  # (m,) p along the −log p curve
    curve_loss: np.ndarray  # (m,) −log p there
    grad_limit: float  # > 0: the largest |∂loss/∂z| at the start (the gradient axis' half-height)
    x: np.ndarray | None = None  # (d,) the small model's example (standardised iris measurements), else None


def _names(params: SoftmaxParams, k: int) -> tuple[str, ...]:
    text = params.class_names.strip()
    if not text:
        return tuple(f"class {i}" for i in range(k))
    names = tuple(part.strip() for part in text.split(","))
    if len(names) != k:
        raise ParamsError(
            ("class_names",),
            f"{plural(len(names), 'name')} given for {plural(k, 'class')}: give one name per logit, separated "
            "by commas, or none",
            params.class_names,
        )
    if any(not name for name in names):
        raise ParamsError(("class_names",), "a class name is empty (two commas in a row?)", params.class_names)
    if len(set(names)) != k:
        twice = next(name for name in names if names.count(name) > 1)
        raise ParamsError(("class_names",), f"the name {twice!r} is used twice: each class needs its own")
    if long := next((name for name in names if len(name) > MAX_NAME), None):
        raise ParamsError(("class_names",), f"the name {long!r} is longer than {MAX_NAME} characters")
    return names


MODEL_CURVE_TOP = 8.0
"""Top of the −log p curve with the small model (its random start's loss is drawn by the run's seed)."""
WEIGHT_STD = 0.5
"""Std of the small model's random initial weights (biases start at 0)."""


def _prepare_model(params: SoftmaxParams) -> SoftmaxInputs:
    X, y, features, species = table("iris")
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    x = np.asarray(Xs[params.flower], dtype=np.float64).copy()
    target = int(y[params.flower])
    curve_loss = np.linspace(0.0, MODEL_CURVE_TOP, CURVE_POINTS)
    names = tuple(species)
    measured = ", ".join(
        f"{name.removesuffix(' (cm)')} {num(float(v), 3)} cm"
        for name, v in zip(features, X[params.flower], strict=True)
    )
    note = (
        f"A small model: a linear softmax classifier z = W·x + b scores iris flower {params.flower} ({measured}: "
        f"a {names[target]}), x its measurements standardised, W random from the run's seed, b = 0. "
    )
    return SoftmaxInputs(
        logits=np.zeros(len(names)),
        class_names=names,
        target=target,
        note=note,
        curve_p=np.exp(-curve_loss),
        curve_loss=curve_loss,
        grad_limit=1.0 / params.temperature,  # the largest any |∂loss/∂z| can be
        x=x,
    )


def _prepare(params: SoftmaxParams, limits: Limits) -> SoftmaxInputs:
    if params.source == "model":
        return _prepare_model(params)
    typed = params.source == "typed"
    z = np.asarray(params.logits if typed else BIG_LOGITS, dtype=np.float64)
    k = int(z.size)
    if params.target >= k:
        raise ParamsError(
            ("target",),
            f"target is {params.target}, but there are only {plural(k, 'class')}, numbered 0 to {k - 1}",
            params.target,
        )
    names = _names(params, k)
    start = sm.softmax(z, params.temperature)
    loss = sm.nll(start.log_probs, params.target)
    top = max(3.0, 1.15 * loss)
    curve_loss = np.linspace(0.0, top, CURVE_POINTS)
    grad = np.abs(sm.grad_logits(start.probabilities, params.target, params.temperature))
    note = (
        ""
        if typed
        else f"The big-logits preset: z = [{', '.join(num(v) for v in BIG_LOGITS)}], large enough that e^z overflows. "
    )
    return SoftmaxInputs(
        logits=z,
        class_names=names,
        target=params.target,
        note=note,
        curve_p=np.exp(-curve_loss),
        curve_loss=curve_loss,
        grad_limit=max(float(grad.max()), 1e-12),
    )


def _run(
    inputs: SoftmaxInputs, params: SoftmaxParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    model = None
    if inputs.x is not None:
        k, d = len(inputs.class_names), inputs.x.size
        model = engine.Linear(rng.normal(0.0, WEIGHT_STD, (k, d)), np.zeros(k), inputs.x.copy())
    return engine.run(
        inputs.logits,
        model=model,
        target=inputs.target,
        temperature=float(params.temperature),
        lr=float(params.lr),
        steps=params.steps,
        class_names=inputs.class_names,
        note=inputs.note,
    )


SOFTMAX: Algorithm[SoftmaxParams, SoftmaxInputs] = Algorithm(
    id="softmax",
    title="Softmax and cross-entropy",
    family="neural",
    summary=(
        "Take a few logits through softmax one move at a time: exponentiate, add up, divide; then the loss "
        "−log p[target], the same number from log-softmax and NLL, the gradient p − onehot(y) per class and "
        "gradient steps that move the logits and lower the loss; why subtracting the max changes nothing (and "
        "saves [1000, 1001, 999] from overflowing), and what the temperature does."
    ),
    days=(56, 57),
    params_model=SoftmaxParams,
    prepare=_prepare,
    engine=_run,
    view=SoftmaxView(),
    frame_model=frames.SoftmaxFrame,
    result_model=frames.SoftmaxResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (SOFTMAX,)
