"""Racing a plain deep MLP against the same MLP with residual skips, epoch by epoch (issue 16).

The loop is the plain PyTorch one, run for each net in turn within an epoch: one ``torch.Generator`` seeded
from the run draws the plain net's initial weights (``resnet_model.pair``, the residual net copies them), a
second draws each epoch's order (``torch.randperm``), used by both nets; each step is ``zero_grad`` /
``F.cross_entropy`` / ``backward`` / ``step``. A frame reads the nets in eval mode under ``no_grad`` and the
gradient norms the epoch's last step left in ``.grad``, so it never changes what training does (the test checks
every step's loss against a hand-written loop to 1e-6). The init frame's gradient norms are of the loss over all
training points at the initial weights, taken on a copy of each net. A net whose loss or gradient stops being a
finite number ends the run with an ``exploded`` frame holding the last sound state (never a NaN on the wire).

Shapes: ``X_*`` (n, 2) float32, ``y_*`` (n,) int64 class indices 0..K−1, ``grid`` (g·g, 2) float32 row-major
(y outer, x inner); gradient norms (depth,) input layer first.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import resnet_captions as captions
from app.engines.nn_model import make_optimizer
from app.engines.resnet_model import DeepMLP, grad_norms, pair

MAX_FRAMES = 100
"""Epoch frames at most: a longer run draws every ⌈epochs / 100⌉ epochs (and the last)."""
NETS = ("plain", "residual")


@dataclass(frozen=True)
class ResnetData:
    """The split points and the boundary grid, float32 as the nets read them."""

    X_train: np.ndarray  # (n_train, 2) float32
    y_train: np.ndarray  # (n_train,) int64
    X_test: np.ndarray  # (n_test, 2) float32
    y_test: np.ndarray  # (n_test,) int64
    grid: np.ndarray  # (g·g, 2) float32
    n_classes: int  # K ≥ 2


@dataclass(frozen=True)
class Plan:
    """What the params decide about the nets and their training."""

    depth: int  # linear layers, input and output layers included (≥ 2)
    width: int
    activation: str
    batch_norm: bool
    optimizer: str
    lr: float
    batch_size: int  # at most the training points
    epochs: int


def frame_epochs(epochs: int) -> list[int]:
    """The epochs (1-based) after which a frame is drawn: every one up to ``MAX_FRAMES``, else evenly, the last
    always."""
    every = max(1, math.ceil(epochs / MAX_FRAMES))
    marks = list(range(every, epochs + 1, every))
    return marks if marks and marks[-1] == epochs else [*marks, epochs]


@torch.no_grad()
def _read(model: DeepMLP, data: ResnetData) -> dict[str, Any]:
    """Losses and accuracies on both parts, and the grid's class probabilities (g·g, K), in eval mode."""
    was = model.training
    model.eval()
    out: dict[str, Any] = {}
    for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
        logits = model(torch.from_numpy(X))
        target = torch.from_numpy(y)
        out[f"{part}_loss"] = float(F.cross_entropy(logits, target))
        out[f"{part}_accuracy"] = float((logits.argmax(1) == target).double().mean()) if y.size else 0.0
    out["grid"] = torch.softmax(model(torch.from_numpy(data.grid)), dim=1).numpy()  # (g·g, K)
    model.train(was)
    return out


def _probe_norms(model: DeepMLP, data: ResnetData) -> list[float]:
    """Every layer's ‖∂L/∂W‖ for the loss over all training points, on a copy (training stays untouched)."""
    probe = copy.deepcopy(model)
    probe.train()
    loss = F.cross_entropy(probe(torch.from_numpy(data.X_train)), torch.from_numpy(data.y_train))
    torch.autograd.backward(loss)
    return grad_norms(probe)


def _net_state(read: dict[str, Any], norms: list[float]) -> dict[str, Any]:
    state = {k: read[k] for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}
    return state | {"grad_norms": norms}


def _finite(read: dict[str, Any], norms: list[float]) -> bool:
    values = [read["train_loss"], read["test_loss"], *norms]
    return all(math.isfinite(float(v)) for v in values)


def _frame(
    kind: str,
    caption: str,
    progress: tuple[int, int],
    reads: dict[str, Any],
    norms: dict[str, Any],
    history: dict[str, list[Any]],
) -> Frame:
    """One frame: both nets' numbers in ``state``; their grid probabilities and the loss history for the view."""
    epoch, step = progress
    nets = {name: _net_state(reads[name], norms[name]) for name in NETS}
    ratio = captions.ratio(norms["residual"][0], norms["plain"][0])
    return Frame(
        kind=kind,
        caption=caption,
        state={"epoch": epoch, "step": step, **nets, "first_layer_ratio": ratio},
        metrics={
            "plain_train_loss": reads["plain"]["train_loss"],
            "residual_train_loss": reads["residual"]["train_loss"],
            "plain_test_accuracy": reads["plain"]["test_accuracy"],
            "residual_test_accuracy": reads["residual"]["test_accuracy"],
        },
        visual={
            "grid": {name: reads[name]["grid"] for name in NETS},
            "history": {key: list(values) for key, values in history.items()},
        },
    )


def run(data: ResnetData, plan: Plan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (both nets untrained), ``epoch`` × (≤ ``MAX_FRAMES``), ``done``; returns the result."""
    init_gen = torch.Generator().manual_seed(seed)
    order_gen = torch.Generator().manual_seed(seed + 1)
    nets = dict(
        zip(
            NETS,
            pair(
                2,
                plan.width,
                data.n_classes,
                plan.depth,
                activation=plan.activation,
                batch_norm=plan.batch_norm,
                generator=init_gen,
            ),
            strict=True,
        )
    )
    optimizers = {name: make_optimizer(plan.optimizer, list(net.parameters()), plan.lr) for name, net in nets.items()}
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    n = int(y.numel())
    batch = min(plan.batch_size, n)
    per_epoch = math.ceil(n / batch)
    reads = {name: _read(net, data) for name, net in nets.items()}
    norms = {name: _probe_norms(net, data) for name, net in nets.items()}
    history: dict[str, list[Any]] = {"epoch": [0], "ratio": [captions.ratio(norms["residual"][0], norms["plain"][0])]}
    for name in NETS:
        history[name] = [reads[name]["train_loss"]]
        history[f"{name}_test"] = [reads[name]["test_loss"]]
    facts = captions.Facts(plan.depth, plan.width, plan.activation, plan.batch_norm, per_epoch, plan.epochs)
    first = _frame("init", captions.init(facts, reads, norms), (0, 0), reads, norms, history)
    yield first
    last_reads, last_norms = reads, {name: list(v) for name, v in norms.items()}
    last_progress = (0, 0)
    init_ratio = first.state["first_layer_ratio"]
    step_losses: dict[str, list[float]] = {name: [] for name in NETS}
    marks = set(frame_epochs(plan.epochs))
    for net in nets.values():
        net.train()
    for epoch in range(1, plan.epochs + 1):
        order = torch.randperm(n, generator=order_gen)  # (n,) this epoch's order, the same for both nets
        for name, net in nets.items():
            optimizer = optimizers[name]
            for start in range(0, n, batch):
                checkpoint()
                idx = order[start : start + batch]
                optimizer.zero_grad()
                loss = F.cross_entropy(net(X[idx]), y[idx])
                torch.autograd.backward(loss)  # loss.backward(), typed
                if epoch in marks and start + batch >= n:
                    norms[name] = grad_norms(net)  # the epoch's last step, before the update
                optimizer.step()
                step_losses[name].append(float(loss.detach()))
        if epoch not in marks:
            continue
        reads = {name: _read(net, data) for name, net in nets.items()}
        broken = [name for name in NETS if not _finite(reads[name], norms[name])]
        if not math.isfinite(captions.ratio(norms["residual"][0], norms["plain"][0])):
            broken = broken or ["residual"]  # a finite but huge norm over a floored one: the factor overflows
        if broken:  # a net diverged: the last sound state, named `exploded`, and a result that ends there
            word = " and ".join(f"the {name} net's" for name in broken)
            caption = (
                f"By epoch {epoch} {word} loss is no longer a finite number: the training diverged (too large a "
                f"learning rate for this data and depth). The last sound state (epoch {last_progress[0]}) is "
                "shown; try a smaller learning rate."
            )
            yield _frame("exploded", caption, last_progress, last_reads, last_norms, history)
            return _result(last_reads, step_losses, init_ratio, history, per_epoch) | {"exploded_at": epoch}
        last_reads, last_norms = reads, {name: list(v) for name, v in norms.items()}
        last_progress = (epoch, epoch * per_epoch)
        history["epoch"].append(epoch)
        history["ratio"].append(captions.ratio(norms["residual"][0], norms["plain"][0]))
        for name in NETS:
            history[name].append(reads[name]["train_loss"])
            history[f"{name}_test"].append(reads[name]["test_loss"])
        kind = "done" if epoch == plan.epochs else "epoch"
        caption = (
            captions.done(facts, reads, init_ratio, history["ratio"])
            if kind == "done"
            else captions.epoch(facts, epoch, reads, norms)
        )
        yield _frame(kind, caption, (epoch, epoch * per_epoch), reads, norms, history)
    return _result(reads, step_losses, init_ratio, history, per_epoch) | {"exploded_at": None}


def _result(
    reads: dict[str, Any],
    step_losses: dict[str, list[float]],
    init_ratio: float,
    history: dict[str, list[Any]],
    per_epoch: int,
) -> dict[str, Any]:
    return {
        "plain": _summary(reads["plain"], step_losses["plain"]),
        "residual": _summary(reads["residual"], step_losses["residual"]),
        "init_first_layer_ratio": init_ratio,
        "epochs": history["epoch"],
        "first_layer_ratios": history["ratio"],
        "steps_per_epoch": per_epoch,
    }


def _summary(read: dict[str, Any], losses: list[float]) -> dict[str, Any]:
    keys = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    sound = next((i for i, v in enumerate(losses) if not math.isfinite(v)), len(losses))
    return {k: read[k] for k in keys} | {"step_losses": losses[:sound]}  # up to the first non-finite step
