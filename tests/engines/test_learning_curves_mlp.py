"""Learning-curves lab, early stopping: the training loop against a plain torch loop written here (same seed,
same init, same batches: losses to 1e-6), best and stopped epochs against a hand-written patience rule and
against scikit-learn's MLP no-improvement counter, a hand-computed patience case and the frame budget (the default story, that it visibly overfits, is in
``test_learning_curves.test_default_story``)."""

from __future__ import annotations

import itertools
import math
from typing import Any, cast

import numpy as np
import pytest
import torch
from sklearn.neural_network import MLPClassifier
from torch import nn
from torch.nn import functional as F

from app.core.frame import Frame, drain
from app.engines.learning_curves_mlp import MAX_EPOCH_FRAMES, frame_epochs, patience_stop
from app.labs.learning_curves import LEARNING_CURVES
from app.runs import RunInputError, RunPlan, plan_run
from app.schemas.learning_curves import LearningCurvesParams
from app.settings import Settings

MOONS = {"name": "moons", "n_samples": 60, "noise": 0.3, "seed": 2}
BLOBS3 = {"name": "blobs", "n_samples": 45, "centers": 3, "cluster_std": 2.0, "seed": 1}


def _params(plan: RunPlan) -> LearningCurvesParams:
    return cast(LearningCurvesParams, plan.params)


def _run(params: dict[str, Any], seed: int = 3) -> tuple[RunPlan, list[Frame], dict[str, Any]]:
    plan = plan_run(LEARNING_CURVES, {"mode": "early_stopping"} | params, seed, False, Settings())
    frames, result = drain(LEARNING_CURVES.engine(plan.inputs, _params(plan), np.random.default_rng(seed)))
    return plan, frames, result


def _plain_loop(
    X: np.ndarray, y: np.ndarray, train: np.ndarray, val: np.ndarray, widths: list[int], cfg: dict[str, Any], seed: int
) -> tuple[list[float], list[float]]:
    """The textbook loop: He-uniform weights and zero biases drawn layer by layer from one seeded generator,
    Adam, cross-entropy, shuffled batches from the same generator, both losses after each epoch."""
    gen = torch.Generator().manual_seed(seed)
    weights, biases = [], []
    for a, b in itertools.pairwise(widths):
        w = torch.empty(b, a)
        nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=gen)
        weights.append(w.requires_grad_())
        biases.append(torch.zeros(b, requires_grad=True))
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    Z = torch.tensor((X - mean) / std, dtype=torch.float32)
    target = torch.tensor(y)
    opt = torch.optim.Adam([*weights, *biases], lr=cfg["learning_rate"])

    def forward(x: torch.Tensor) -> torch.Tensor:
        for w, b in zip(weights[:-1], biases[:-1], strict=True):
            x = torch.relu(x @ w.T + b)
        return x @ weights[-1].T + biases[-1]

    Xt, yt, Xv, yv = Z[train], target[train], Z[val], target[val]
    batch = cfg["batch_size"]
    train_loss, val_loss = [], []
    for _ in range(cfg["epochs"]):
        if batch == 0 or batch >= len(train):
            groups = [torch.arange(len(train))]
        else:
            order = torch.randperm(len(train), generator=gen)
            groups = [order[i : i + batch] for i in range(0, len(train), batch)]
        for rows in groups:
            opt.zero_grad()
            loss = F.cross_entropy(forward(Xt[rows]), yt[rows])
            torch.autograd.backward(loss)  # loss.backward(), typed
            opt.step()
        with torch.no_grad():
            train_loss.append(float(F.cross_entropy(forward(Xt), yt)))
            val_loss.append(float(F.cross_entropy(forward(Xv), yv)))
    return train_loss, val_loss


def _hand_patience(losses: list[float], patience: int) -> tuple[int, int | None]:
    """Stop at the first epoch that is ``patience`` epochs after the epoch of the lowest loss so far."""
    for epoch in range(1, len(losses) + 1):
        seen = losses[:epoch]
        best = int(np.argmin(seen)) + 1  # the first lowest
        if epoch - best >= patience:
            return best, epoch
    return int(np.argmin(losses)) + 1, None


LOOPS = [
    pytest.param(MOONS, {"hidden_width": 8, "hidden_layers": 2, "batch_size": 8}, id="minibatch"),
    pytest.param(MOONS, {"hidden_width": 16, "hidden_layers": 1, "batch_size": 0}, id="full-batch"),
    pytest.param(BLOBS3, {"hidden_width": 6, "hidden_layers": 3, "batch_size": 16}, id="3-classes"),
]


@pytest.mark.parametrize(("dataset", "net"), LOOPS)
def test_training_loop_equals_plain_torch(dataset: dict[str, Any], net: dict[str, Any]) -> None:
    cfg = {"epochs": 40, "learning_rate": 0.05, "patience": 5} | net
    seed = 7
    plan, _, result = _run({"dataset": dataset, "grid_size": 20} | cfg, seed)
    inputs = plan.inputs
    widths = [2, *[net["hidden_width"]] * net["hidden_layers"], len(inputs.classes)]
    train_loss, val_loss = _plain_loop(inputs.X, inputs.y, inputs.split.train, inputs.split.test, widths, cfg, seed)
    np.testing.assert_allclose(result["train_loss"], train_loss, atol=1e-6, rtol=0)
    np.testing.assert_allclose(result["val_loss"], val_loss, atol=1e-6, rtol=0)
    best, stopped = _hand_patience(val_loss, cfg["patience"])
    assert (result["best_epoch"], result["stopped_epoch"]) == (best, stopped)


def test_patience_rule_by_hand() -> None:
    # Lowest at epoch 3; epochs 4, 5, 6 are no better: with patience 3 training stops at epoch 6.
    assert patience_stop([5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.9], 3) == (3, 6)
    # An equal loss is no improvement; a new lowest resets the count.
    assert patience_stop([1.0, 1.0, 1.0], 2) == (1, 3)
    assert patience_stop([3.0, 2.0, 2.5, 1.0, 1.5], 2) == (4, None)


def test_stop_agrees_with_sklearn_no_improvement_counter() -> None:
    """scikit-learn's MLP counts epochs whose loss is not below the best by ``tol`` and stops once the count
    exceeds ``n_iter_no_change``: with tol 0 and no exact ties that is patience = n_iter_no_change + 1."""
    _, _, result = _run({"dataset": MOONS, "epochs": 150, "patience": 6, "hidden_width": 32, "grid_size": 20})
    counter = MLPClassifier(n_iter_no_change=5, tol=0.0)
    counter.loss_curve_, counter.best_loss_, counter._no_improvement_count = [], np.inf, 0
    stopped = None
    for epoch, loss in enumerate(result["val_loss"], start=1):
        counter.loss_curve_.append(loss)
        counter._update_no_improvement_count(False, None, None, None)
        if counter._no_improvement_count > counter.n_iter_no_change:
            stopped = epoch
            break
    assert stopped is not None and result["stopped_epoch"] == stopped
    assert counter.best_loss_ == pytest.approx(min(result["val_loss"][:stopped]), abs=0)


def test_frames_are_thinned_and_restore_the_best_weights() -> None:
    _, frames, result = _run({"dataset": MOONS, "epochs": 500, "hidden_width": 8, "grid_size": 20})
    epochs = [f.state["epoch"] for f in frames if f.kind == "epoch"]
    assert epochs[0] == 0 and epochs[-1] == 500 and len(epochs) <= MAX_EPOCH_FRAMES + 3
    assert set(frame_epochs(500)) <= set(epochs)
    if result["stopped_epoch"] is not None:
        assert result["stopped_epoch"] in epochs
    last = frames[-1]
    assert last.kind == "restore"
    # The restored weights give the best epoch's validation loss back (float32 recomputed: to 1e-6).
    assert math.isclose(result["restored_val_loss"], result["val_loss"][result["best_epoch"] - 1], abs_tol=1e-6)


def test_empty_validation_part_is_refused() -> None:
    tiny = {"X": [[0, 0], [1, 1]], "y": [0, 1]}  # one row a class: both stay training
    with pytest.raises(RunInputError) as caught:
        plan_run(LEARNING_CURVES, {"mode": "early_stopping", "dataset": tiny}, 0, False, Settings())
    assert caught.value.errors[0]["loc"][-1] == "validation_fraction"
    with pytest.raises(RunInputError) as caught:
        plan_run(LEARNING_CURVES, {"mode": "early_stopping", "epochs": 2001}, 0, False, Settings())
    assert caught.value.errors[0]["loc"][-1] == "epochs"
