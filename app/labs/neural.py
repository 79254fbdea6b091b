"""Neural-network labs: the TensorFlow-Playground-style MLP and the activations lab."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import plural
from app.engines import activations as act_engine
from app.engines import neural as engine
from app.engines import nn_model
from app.labs.checks import clamp_count, require_2d, require_classes, require_labels
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.frames import neural as neural_frames
from app.schemas.neural import REGRESSION_SETS, ActivationsParams, NeuralParams
from app.views.activations import ActivationsView
from app.views.neural import NeuralView
from app.views.neural_layout import SHOWN

GRID = 40  # boundary resolution (g × g) on a 2-D input plane
THUMB = 16  # neuron thumbnail resolution (t × t)
LINE = 200  # points of the prediction curve on 1-D data
CURVE_X = np.linspace(-4.0, 4.0, 161)


@dataclass(frozen=True)
class NeuralInputs:
    """The data as the network sees it, its fixed split, the grids the pictures are drawn on, and the engine's
    bundle of mapped features."""

    X: np.ndarray  # (n, 1 or 2) coordinates, standardised when large
    y: np.ndarray  # (n,) int64 class indices 0..K−1, or float64 regression targets
    train: np.ndarray  # (n_train,) row indices: a fixed split, part of the data (like the data seed)
    test: np.ndarray  # (n_test,) row indices
    n_classes: int  # K, 0 for regression
    loss: str  # resolved: "cross_entropy" or "mse"
    axes: tuple[np.ndarray, ...]  # per coordinate, (g,) the output plane's grid
    thumb_axes: tuple[np.ndarray, ...]  # per coordinate, (t,) the neuron thumbnails' grid
    input_thumbs: np.ndarray  # (n_features, t·t) each input feature over the thumbnail grid
    data: nn_model.Data  # what the engine trains on (features mapped)
    standardised: bool  # X was standardised (large coordinates)
    feature_names: tuple[str, ...]
    name: str  # the dataset's name
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)  # batch_size above the training points


@dataclass(frozen=True)
class ActivationsInputs:
    """The curves of every activation and the softmax of the logits (the static top row)."""

    x: np.ndarray  # (m,) where the curves are sampled
    curves: dict[str, dict[str, np.ndarray]]  # per activation {"y": f(x), "dy": f'(x)}, each (m,)
    softmax: np.ndarray  # (k,) softmax of the chosen logits


def _check(params: NeuralParams, name: str, d: int, n_classes: int, n_train: int) -> str:
    """Checks that need the data; returns the resolved loss."""
    if d == 1:
        bad = [f for f in params.features if f not in nn_model.FEATURES_OF_X1]
        if bad:
            raise ParamsError(
                ("features",),
                f"{name} has one input x1, so {', '.join(bad)} cannot be computed; "
                f"use {', '.join(nn_model.FEATURES_OF_X1)}",
                params.features,
            )
    loss = params.loss
    if loss == "auto":
        loss = "cross_entropy" if n_classes else "mse"
    if loss == "cross_entropy" and not n_classes:
        raise ParamsError(
            ("loss",),
            f"cross-entropy compares class probabilities with class labels, but {name} "
            "has real-valued targets: use mse",
            loss,
        )
    if loss == "mse" and n_classes > 2:
        raise ParamsError(
            ("loss",),
            f"MSE regresses one number, but {name} has {n_classes} classes: class ids "
            f"0..{n_classes - 1} are names, not amounts, so MSE would treat class {n_classes - 1} as "
            "'more' than class 1. Use cross_entropy (MSE works for two classes, as a 0/1 target).",
            loss,
        )
    # A batch larger than the training set is clamped to it (full batch; see _prepare_neural's clamps).
    if params.batch_norm and min(params.batch_size, n_train) < 2:
        raise ParamsError(
            ("batch_size",),
            "batch normalisation needs batches of at least 2 points (batch_size "
            f"{params.batch_size}, {plural(n_train, 'training point')})",
            params.batch_size,
        )
    return loss


def _prepare_neural(params: NeuralParams, limits: Limits) -> NeuralInputs:
    data = load_dataset(params.dataset)
    regression = data.name in REGRESSION_SETS
    if regression:
        assert data.y is not None
        y, n_classes = data.y.astype(np.float64), 0
    else:
        classes, y = require_classes(require_labels(data, "the network"), "the network")
        n_classes = int(classes.size)
    require_2d(data, "the playground", or_1d=True)
    X, standardised = nn_model.scale_inputs(data.X)
    n, d = X.shape
    train, test = nn_model.split_indices(n, params.test_fraction)
    loss = _check(params, data.name, d, n_classes, train.size)
    size, thumb = (GRID, THUMB) if d == 2 else (LINE, 4 * THUMB)
    axes, thumb_axes = nn_model.grid_axes(X, size), nn_model.grid_axes(X, thumb)
    feats = nn_model.feature_map(X, params.features)
    thumb_feats = nn_model.feature_map(nn_model.grid_points(thumb_axes), params.features)
    bundle = engine.Data(
        X_train=feats[train],
        y_train=y[train],
        X_test=feats[test],
        y_test=y[test],
        grid=nn_model.feature_map(nn_model.grid_points(axes), params.features),
        thumbs=thumb_feats,
        n_classes=n_classes,
    )
    return NeuralInputs(
        X=X,
        y=y,
        train=train,
        test=test,
        n_classes=n_classes,
        loss=loss,
        axes=tuple(axes),
        thumb_axes=tuple(thumb_axes),
        input_thumbs=thumb_feats.T.copy(),
        data=bundle,
        standardised=standardised,
        feature_names=data.feature_names,
        name=data.name,
        clamps=clamp_count(
            "batch_size",
            "batch size",
            params.batch_size,
            int(train.size),
            "training point",
            ": every step uses all of them (full-batch gradient descent)",
        ),
    )


def train_config(params: NeuralParams, inputs: NeuralInputs) -> nn_model.TrainConfig:
    """The engine's hyperparameters from the params, built once: the loss resolved for the data, the batch
    clamped to the training points (the first caption says so)."""
    return nn_model.TrainConfig(
        hidden_layers=tuple(params.hidden_layers),
        activation=params.activation,
        leaky_slope=params.leaky_slope,
        init=params.init,
        dropout=params.dropout,
        batch_norm=params.batch_norm,
        l1=params.l1,
        l2=params.l2,
        loss=inputs.loss,
        optimizer=params.optimizer,
        lr=params.lr,
        schedule=params.schedule,
        batch_size=min(params.batch_size, int(inputs.train.size)),
        epochs=params.epochs,
    )


def _run_neural(
    inputs: NeuralInputs, params: NeuralParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs.data,
        train_config(params, inputs),
        frame_every=params.frame_every,
        shown=SHOWN,  # the view draws this many neurons per layer: frames carry their weights and thumbnails
        rng=rng,
    )


def _prepare_activations(params: ActivationsParams, limits: Limits) -> ActivationsInputs:
    return ActivationsInputs(
        x=CURVE_X,
        curves=act_engine.curves(CURVE_X, params.leaky_slope),
        softmax=act_engine.softmax(params.logits),
    )


def _run_activations(
    inputs: ActivationsInputs, params: ActivationsParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return act_engine.run(
        activation=params.activation,
        init=params.init,
        depth=params.depth,
        width=params.width,
        n_samples=params.n_samples,
        leaky_slope=params.leaky_slope,
        rng=rng,
    )


NEURAL_NETWORK: Algorithm[NeuralParams, NeuralInputs] = Algorithm(
    id="neural-network",
    title="Neural network playground",
    family="neural",
    summary=(
        "TensorFlow Playground with a real autograd engine: pick a dataset and input features, stack hidden "
        "layers, choose the activation, weight init, dropout, batch norm, L1/L2, loss, optimiser and schedule, "
        "and watch every neuron's output over the input plane, the decision boundary, the loss and accuracy, "
        "and the gradient norm per layer (where gradients vanish) evolve epoch by epoch."
    ),
    days=(21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 50, 51, 52, 53, 54, 61, 62),
    params_model=NeuralParams,
    prepare=_prepare_neural,
    engine=_run_neural,
    view=NeuralView(),
    frame_model=neural_frames.NetworkFrame,
    result_model=neural_frames.NetworkResult,
)

ACTIVATIONS: Algorithm[ActivationsParams, ActivationsInputs] = Algorithm(
    id="activations",
    title="Activation functions and deep signal flow",
    family="neural",
    summary=(
        "Step, linear, sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU and softmax side by side with their "
        "derivatives; then a random signal pushed through a deep stack, one layer per frame, with the "
        "activation and backward-gradient histograms: where sigmoid saturates, why zero init makes every "
        "neuron the same, why Xavier suits tanh and He suits ReLU."
    ),
    days=(23, 27, 28, 29, 30),
    params_model=ActivationsParams,
    prepare=_prepare_activations,
    engine=_run_activations,
    view=ActivationsView(),
    frame_model=neural_frames.ActivationsFrame,
    result_model=neural_frames.ActivationsResult,
)

ALGORITHMS = (NEURAL_NETWORK, ACTIVATIONS)
