"""Early stopping (day 52): an MLP trained on a train/validation split, with both losses watched epoch by epoch.

The network is ``app.engines.nn_model.MLP`` (ReLU hidden layers, He-uniform init from a ``torch.Generator``
seeded by the run's seed, float32), trained by ``torch.optim.Adam`` on cross-entropy. Each epoch takes the
training rows in an order drawn from the same generator (``torch.randperm``) in batches of ``batch_size`` (all
rows in their order, one step, when the batch covers them). After each epoch both losses are measured on the
whole training and validation parts (no gradient). The run trains every epoch, past the point where early
stopping would have stopped, so the learner sees what it avoided; the last frame restores the weights of the
epoch early stopping keeps.

Patience rule (Keras's ``EarlyStopping(patience, restore_best_weights=True)`` with ``min_delta = 0``): an epoch
whose validation loss is below the lowest so far is the new best; after ``patience`` epochs in a row without a
new best, training stops at that epoch and the best epoch's weights are restored.

Shapes: n rows, d = 2 features, K classes, E epochs, g² grid points; layer i weight (out_i, in_i).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines.boundary import make_grid
from app.engines.learning_curves_mlp_captions import epoch_story, restore_story
from app.engines.nn_model import MLP

MAX_EPOCH_FRAMES = 60
"""Epoch frames sent at most (every ⌈E/60⌉-th epoch, plus the first, the stop and the last)."""
ACTIVATION, INIT = "relu", "he_uniform"


@dataclass(frozen=True)
class NetPlan:
    """The network and its training."""

    width: int  # neurons per hidden layer
    layers: int  # hidden layers
    learning_rate: float  # Adam's
    epochs: int  # E
    batch_size: int  # 0 = full batch
    patience: int  # epochs without a new best before early stopping stops


def standardise(X: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean (d,), std (d,)) of the training rows: the network sees (X − mean) / std (std 0 → 1)."""
    mean = X[train].mean(axis=0)
    std = X[train].std(axis=0)
    return mean, np.where(std > 0, std, 1.0)


def build(n_in: int, n_out: int, plan: NetPlan, seed: int) -> tuple[MLP, torch.optim.Optimizer, torch.Generator]:
    """The network (weights drawn from the seeded generator), its Adam optimiser, and the generator (which then
    draws each epoch's row order)."""
    generator = torch.Generator().manual_seed(seed)
    hidden = [plan.width] * plan.layers
    model = MLP(n_in, hidden, n_out, activation=ACTIVATION, init=INIT, generator=generator)
    return model, torch.optim.Adam(model.parameters(), lr=plan.learning_rate), generator


def train_epoch(
    model: MLP, optimizer: torch.optim.Optimizer, X: torch.Tensor, y: torch.Tensor, batch: int, gen: torch.Generator
) -> None:
    """One pass over the training rows ``X`` (m, d), ``y`` (m,): shuffled mini-batches, or one full-batch step."""
    m = int(y.shape[0])
    model.train()
    if batch <= 0 or batch >= m:
        batches: Sequence[torch.Tensor | slice] = [slice(None)]
    else:
        order = torch.randperm(m, generator=gen)
        batches = [order[i : i + batch] for i in range(0, m, batch)]
    for rows in batches:
        optimizer.zero_grad()
        torch.autograd.backward(F.cross_entropy(model(X[rows]), y[rows]))  # loss.backward(), typed
        optimizer.step()


def loss_and_accuracy(model: MLP, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of the network on rows ``X`` (m, d), ``y`` (m,)."""
    model.eval()
    with torch.no_grad():
        out = model(X)
        return float(F.cross_entropy(out, y)), float((out.argmax(dim=1) == y).double().mean())


def patience_stop(val_loss: Sequence[float], patience: int) -> tuple[int, int | None]:
    """(best epoch, stopped epoch or None), epochs from 1: the rule of the module docstring on ``val_loss``."""
    best, best_epoch, waited = math.inf, 0, 0
    for epoch, loss in enumerate(val_loss, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, None


def frame_epochs(epochs: int) -> list[int]:
    """The epochs that get a frame: 0 (the untrained net), every ⌈E/60⌉-th, and the last."""
    stride = max(1, math.ceil(epochs / MAX_EPOCH_FRAMES))
    return sorted({0, *range(stride, epochs + 1, stride), epochs})


def _picture(model: MLP, grid: torch.Tensor, X: torch.Tensor, y: np.ndarray) -> dict[str, Any]:
    """The network's predicted class (g²,) and top probability (g²,) over the grid; the rows it gets wrong."""
    model.eval()
    with torch.no_grad():
        proba = torch.softmax(model(grid), dim=1).numpy().astype(np.float64)
        predicted_rows = model(X).argmax(dim=1).numpy()
    return {
        "predicted": proba.argmax(axis=1).astype(np.int64),
        "probability": proba.max(axis=1),
        "misclassified": np.flatnonzero(predicted_rows != y),
    }


def run_early_stopping(
    X: np.ndarray,
    y: np.ndarray,
    *,
    train: np.ndarray,
    validation: np.ndarray,
    n_classes: int,
    plan: NetPlan,
    grid_size: int,
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """``epoch`` frames (≤ ~62), then ``restore``; returns the result (train_loss, val_loss, best/stopped epoch)."""
    mean, std = standardise(X, train)
    Z = torch.tensor((X - mean) / std, dtype=torch.float32)  # (n, d)
    target = torch.tensor(y, dtype=torch.int64)  # (n,)
    grid = torch.tensor((make_grid(X, grid_size).points - mean) / std, dtype=torch.float32)  # (g², d)
    X_tr, y_tr, X_va, y_va = Z[train], target[train], Z[validation], target[validation]
    model, optimizer, generator = build(X.shape[1], n_classes, plan, seed)
    shown = set(frame_epochs(plan.epochs))
    train_loss: list[float] = []  # (E,)
    val_loss: list[float] = []  # (E,)
    train_acc: list[float] = []
    val_acc: list[float] = []
    best_state = copy.deepcopy(model.state_dict())
    best, best_epoch, waited, stopped = math.inf, 0, 0, None
    for epoch in range(plan.epochs + 1):
        checkpoint()  # per epoch: one pass, two evaluations
        if epoch > 0:
            train_epoch(model, optimizer, X_tr, y_tr, plan.batch_size, generator)
            for xs, ys, losses, accs in ((X_tr, y_tr, train_loss, train_acc), (X_va, y_va, val_loss, val_acc)):
                loss, acc = loss_and_accuracy(model, xs, ys)
                losses.append(loss)
                accs.append(acc)
            if stopped is None:
                if val_loss[-1] < best:
                    best, best_epoch, waited = val_loss[-1], epoch, 0
                    best_state = copy.deepcopy(model.state_dict())
                else:
                    waited += 1
                    if waited >= plan.patience:
                        stopped = epoch
                        shown.add(epoch)
        if epoch not in shown:
            continue
        state: dict[str, Any] = {
            "epoch": epoch,
            "epochs": plan.epochs,
            "train_loss": train_loss[-1] if epoch else None,
            "val_loss": val_loss[-1] if epoch else None,
            "train_accuracy": train_acc[-1] if epoch else None,
            "val_accuracy": val_acc[-1] if epoch else None,
            "best_epoch": best_epoch if epoch else None,
            "best_val_loss": best if epoch else None,
            "epochs_since_best": waited if epoch else 0,
            "stopped_epoch": stopped,
        }
        metrics = {} if not epoch else {"train_loss": train_loss[-1], "val_loss": val_loss[-1]}
        visual = _picture(model, grid, Z, y) | {
            "train_loss": np.array(train_loss, dtype=np.float64),
            "val_loss": np.array(val_loss, dtype=np.float64),
        }
        caption = epoch_story(plan, epoch, train_loss, val_loss, best_epoch, waited, stopped, val_acc)
        yield Frame("epoch", caption, state, metrics, visual=visual)

    checkpoint()
    last_val_accuracy = val_acc[-1]
    model.load_state_dict(best_state)  # what early stopping keeps
    kept_loss, kept_accuracy = loss_and_accuracy(model, X_va, y_va)
    turn = int(np.argmin(val_loss)) + 1
    result: dict[str, Any] = {
        "mode": "early_stopping",
        "train_loss": list(train_loss),
        "val_loss": list(val_loss),
        "best_epoch": best_epoch,
        "stopped_epoch": stopped,
        "lowest_val_epoch": turn,
        "patience": plan.patience,
        "restored_val_loss": kept_loss,
        "restored_val_accuracy": kept_accuracy,
        "last_val_loss": val_loss[-1],
        "last_val_accuracy": last_val_accuracy,
    }
    state = {k: v for k, v in result.items() if k != "mode"}
    visual = _picture(model, grid, Z, y) | {
        "train_loss": np.array(train_loss, dtype=np.float64),
        "val_loss": np.array(val_loss, dtype=np.float64),
    }
    caption = restore_story(plan, result)
    metrics = {"train_loss": train_loss[best_epoch - 1], "val_loss": kept_loss} if best_epoch else {}
    yield Frame("restore", caption, state, metrics, visual=visual)
    return result
