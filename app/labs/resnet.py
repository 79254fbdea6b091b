"""The residual-network lab (issue 16): a plain deep MLP and the same MLP with identity skip connections, raced
on a 2-D classification set from the same initial weights and the same batches.

``prepare`` loads the points and splits them as the neural-network lab does (``nn_model.scale_inputs`` and its
fixed ``split_indices``), builds the boundary grid, and checks what needs the data: a batch of one under batch
norm, and the training work (a 422 at ``epochs`` with the arithmetic). A batch larger than the training points
is clamped to them (the first caption says so). The run's seed draws the initial weights and the batch order.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count, plural
from app.engines import nn_model
from app.engines import resnet_train as engine
from app.labs.checks import clamp_count, require_2d, require_classes, require_labels
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.frames import resnet as frames
from app.schemas.resnet import ResnetParams
from app.views.resnet import ResnetView

GRID = 40
"""Boundary resolution (g × g) of each net's picture."""
MAX_LAYER_STEPS = 2_000_000
"""Most (linear layer × gradient step) pairs one run trains, both nets counted: a schema-free work bound."""


@dataclass(frozen=True)
class ResnetInputs:
    """The points as the nets see them, the fixed split, the boundary grid's axes, the engine's arrays."""

    X: np.ndarray  # (n, 2) float64 coordinates, standardised when large
    y: np.ndarray  # (n,) int64 class indices 0..K−1
    train: np.ndarray  # (n_train,) row indices
    test: np.ndarray  # (n_test,) row indices
    n_classes: int
    axes: tuple[np.ndarray, ...]  # per coordinate, (g,) the grid
    data: engine.ResnetData
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def _prepare(params: ResnetParams, limits: Limits) -> ResnetInputs:
    data = load_dataset(params.dataset)
    classes, y = require_classes(require_labels(data, "the networks"), "the networks")
    require_2d(data, "the residual-network lab")
    X, _ = nn_model.scale_inputs(data.X)
    train, test = nn_model.split_indices(int(X.shape[0]), params.test_fraction)
    n_train = int(train.size)
    batch = min(params.batch_size, n_train)
    if params.batch_norm and (batch < 2 or n_train % batch == 1):
        raise ParamsError(
            ("batch_size",),
            f"batch normalisation needs at least 2 points in every batch; {plural(n_train, 'training point')} "
            f"in batches of {batch} leave a batch of 1",
        )
    if params.batch_norm and bool(np.all(X[train] == X[train][0])):
        raise ParamsError(
            ("batch_norm",),
            f"batch normalisation divides by the spread of each batch, and all {plural(n_train, 'training point')} "
            "are the same point (a spread of 0): every layer would multiply the gradient by about 1/√ε ≈ 316, "
            "past any number. Use points that differ, or turn batch normalisation off",
        )
    steps = math.ceil(n_train / batch) * params.epochs
    work = 2 * steps * params.depth
    if work > MAX_LAYER_STEPS:
        raise ParamsError(
            ("epochs",),
            f"2 nets × {params.epochs} epochs × {math.ceil(n_train / batch)} steps × {params.depth} layers = "
            f"{fmt_count(work)} layer-steps, more than the {fmt_count(MAX_LAYER_STEPS)} one run may train: fewer "
            "epochs or layers, or a larger batch",
        )
    axes = tuple(nn_model.grid_axes(X, GRID))
    grid = nn_model.grid_points(axes).astype(np.float32)  # (g·g, 2) y outer, x inner
    X32 = X.astype(np.float32)
    bundle = engine.ResnetData(X32[train], y[train], X32[test], y[test], grid, int(classes.size))
    return ResnetInputs(
        X=X,
        y=y,
        train=train,
        test=test,
        n_classes=int(classes.size),
        axes=axes,
        data=bundle,
        clamps=clamp_count(
            "batch_size", "batch size", params.batch_size, n_train, "training point", ": every step uses all of them"
        ),
    )


def _run(
    inputs: ResnetInputs, params: ResnetParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    plan = engine.Plan(
        depth=params.depth,
        width=params.width,
        activation=params.activation,
        batch_norm=params.batch_norm,
        optimizer=params.optimizer,
        lr=float(params.lr),
        batch_size=min(params.batch_size, int(inputs.train.size)),
        epochs=params.epochs,
    )
    return engine.run(inputs.data, plan, seed=int(rng.integers(0, 2**62)))


RESNET: Algorithm[ResnetParams, ResnetInputs] = Algorithm(
    id="resnet",
    title="Residual network (skip connections)",
    family="neural",
    summary=(
        "Race a plain deep network against the same network with identity skip connections, from the same "
        "weights on the same batches: watch both loss curves, every layer's gradient norm on a log scale (the "
        "plain one vanishing towards the input), both decision boundaries, and how many times more gradient the "
        "residual net's first layer gets."
    ),
    days=(40, 63),
    params_model=ResnetParams,
    prepare=_prepare,
    engine=_run,
    view=ResnetView(),
    frame_model=frames.ResnetFrame,
    result_model=frames.ResnetResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (RESNET,)
