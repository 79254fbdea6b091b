"""Neural-network labs: the TensorFlow-Playground-style MLP and the activations lab."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from app.catalog import Algorithm, register
from app.core.frame import Frame
from app.core.text import plural
from app.engines import activations as act_engine
from app.engines import neural as engine
from app.engines import nn_model
from app.schemas.common import ParamsError
from app.schemas.datasets import load_dataset
from app.schemas.neural import REGRESSION_SETS, ActivationsParams, NeuralParams
from app.views.activations import ActivationsView
from app.views.neural import NeuralView

GRID = 40  # boundary resolution (g × g) on a 2-D input plane
THUMB = 16  # neuron thumbnail resolution (t × t)
LINE = 200  # points of the prediction curve on 1-D data
CURVE_X = np.linspace(-4.0, 4.0, 161)


def _labels(name: str, y: np.ndarray | None) -> tuple[np.ndarray, int]:
    """Class labels as 0..K-1 (inline labels may be any integers) and K."""
    if y is None:
        raise ParamsError(("dataset",), "the network needs labels: give inline data a 'y' list (one class per row)")
    classes, codes = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise ParamsError(("dataset",), f"{name} has a single class: a classifier needs at least two")
    return codes.astype(np.int64), int(classes.size)


def _check(params: NeuralParams, name: str, d: int, n_classes: int, n_train: int) -> str:
    """Checks that need the data; returns the resolved loss."""
    if d > 2:
        raise ParamsError(
            ("dataset",), f"the playground draws a 2-D input plane, but X has {d} columns; give 1 or 2 columns"
        )
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
    # A batch larger than the training set is clamped to it (full batch) and the first caption says so.
    if params.batch_norm and min(params.batch_size, n_train) < 2:
        raise ParamsError(
            ("batch_size",),
            "batch normalisation needs batches of at least 2 points (batch_size "
            f"{params.batch_size}, {plural(n_train, 'training point')})",
            params.batch_size,
        )
    return loss


def _prepare_neural(params: NeuralParams) -> dict[str, Any]:
    data = load_dataset(params.dataset)
    regression = data.name in REGRESSION_SETS
    if regression:
        assert data.y is not None
        y, n_classes = data.y.astype(np.float64), 0
    else:
        y, n_classes = _labels(data.name, data.y)
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
    return {
        "X": X,
        "y": y,
        "train": train,
        "test": test,
        "n_classes": n_classes,
        "loss": loss,
        "axes": axes,
        "thumb_axes": thumb_axes,
        "input_thumbs": thumb_feats.T.copy(),
        "data": bundle,
        "standardised": standardised,
        "feature_names": data.feature_names,
        "name": data.name,
    }


def _run_neural(
    inputs: Mapping[str, Any], params: NeuralParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs["data"],
        hidden_layers=params.hidden_layers,
        activation=params.activation,
        leaky_slope=params.leaky_slope,
        init=params.init,
        dropout=params.dropout,
        batch_norm=params.batch_norm,
        l1=params.l1,
        l2=params.l2,
        loss=inputs["loss"],
        optimizer=params.optimizer,
        lr=params.lr,
        schedule=params.schedule,
        batch_size=min(params.batch_size, inputs["train"].size),
        epochs=params.epochs,
        frame_every=params.frame_every,
        rng=rng,
        requested_batch_size=params.batch_size,
    )


def _prepare_activations(params: ActivationsParams) -> dict[str, Any]:
    return {
        "x": CURVE_X,
        "curves": act_engine.curves(CURVE_X, params.leaky_slope),
        "softmax": act_engine.softmax(params.logits),
    }


def _run_activations(
    inputs: Mapping[str, Any], params: ActivationsParams, rng: np.random.Generator
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


register(
    Algorithm(
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
    )
)

register(
    Algorithm(
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
    )
)
