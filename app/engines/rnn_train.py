"""Training recurrent nets on windows of a series, epoch by epoch (issue 17).

The loop is the plain PyTorch one: one ``torch.Generator`` seeded from the run draws every net's initial weights
(in the order of ``plan.cells``), a second draws each epoch's order (``torch.randperm``), shared by all nets, so in
``compare`` the RNN and the LSTM see the same batches; each step is ``zero_grad`` / loss / ``backward`` / ``step``
with the loss of ``SeqNet.forward(x, bptt)`` (truncated backpropagation through time: see ``rnn_model``). The
task is many-to-one: a window's last output predicts the next value (mean squared error) or whether it rises
(cross-entropy over 2 classes).

A frame reads every net under ``no_grad`` (and ``rnn_model.step_grads`` through ``autograd.grad``, which leaves
``.grad`` alone), so reading never changes training: the test checks every step's loss against a hand-written
loop. What a frame reads: both parts' losses (and accuracies), the one-step predictions on the test part, a
free-running forecast from the window before the test part (each prediction fed back as the next input), the
top layer's hidden state over the probe window, the first layer's gates over it (mean over units), and
‖∂L/∂h_t‖ for every t over the gradient probe batch (full backpropagation, whatever ``bptt`` is).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.typed_array import typed_array
from app.engines import rnn_captions as captions
from app.engines.nn_model import make_optimizer
from app.engines.rnn_model import GATE_NAMES, SeqNet, gates, step_grads

MAX_FRAMES = 40
"""Epoch frames at most: a longer run draws every ⌈epochs / 40⌉ epochs (and the last)."""


@dataclass(frozen=True)
class RnnData:
    """The windows as the nets read them (float32), split in time."""

    X_train: np.ndarray  # (n_train, w, 1) float32
    y_train: np.ndarray  # (n_train,) float32 next values, or int64 0/1 (rises)
    X_test: np.ndarray  # (n_test, w, 1)
    y_test: np.ndarray  # (n_test,)
    probe: np.ndarray  # (w, 1) float32 the window whose hidden states and gates are drawn
    grad_X: np.ndarray  # (b, w, 1) training windows of the gradient probe
    grad_y: np.ndarray  # (b,)
    start: np.ndarray  # (w,) float32 the window just before the test part (the forecast starts from it)
    n_forecast: int  # values the free-running forecast predicts (0 for classify)


@dataclass(frozen=True)
class Plan:
    """What the params decide about the nets and their training."""

    task: str  # "forecast" | "classify"
    cells: tuple[str, ...]  # ("rnn", "lstm") in compare, else the one cell
    hidden: int
    layers: int
    bptt: int  # 0: the full window
    optimizer: str
    lr: float
    batch_size: int  # at most the training windows
    epochs: int
    forget_bias: float


def frame_epochs(epochs: int) -> list[int]:
    """The epochs (1-based) after which a frame is drawn: every one up to ``MAX_FRAMES``, else evenly, the last."""
    every = max(1, math.ceil(epochs / MAX_FRAMES))
    marks = list(range(every, epochs + 1, every))
    return marks if marks and marks[-1] == epochs else [*marks, epochs]


def loss_fn(task: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The many-to-one loss: MSE of the one output against the next value, or cross-entropy over (fall, rise)."""
    if task == "classify":
        return F.cross_entropy
    return lambda out, target: F.mse_loss(out[:, 0], target)


@torch.no_grad()
def forecast(net: SeqNet, start: np.ndarray, steps: int) -> np.ndarray:
    """(steps,) the net run free: each prediction appended to the window (its oldest value dropped), again."""
    window = torch.from_numpy(start.astype(np.float32)).reshape(1, -1, 1)
    out = np.empty(steps, dtype=np.float32)
    for k in range(steps):
        value = net(window)[0, 0]
        out[k] = float(value)
        window = torch.cat([window[:, 1:], value.reshape(1, 1, 1)], dim=1)
    return out


def _read(net: SeqNet, data: RnnData, plan: Plan, *, free: bool = True) -> dict[str, Any]:
    """One net's numbers now (see the module doc); losses as floats, arrays as NumPy copies. ``free=False`` skips
    the free-running forecast (the init frame's: an untrained net's forecast says nothing, and it is the first
    frame's largest cost)."""
    lf = loss_fn(plan.task)
    out: dict[str, Any] = {}
    with torch.no_grad():
        for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
            pred = net(torch.from_numpy(X))
            target = torch.from_numpy(y)
            out[f"{part}_loss"] = float(lf(pred, target))
            if plan.task == "classify":
                out[f"{part}_accuracy"] = float((pred.argmax(1) == target).double().mean())
            if part == "test":
                values = torch.softmax(pred, 1)[:, 1] if plan.task == "classify" else pred[:, 0]
                out["predictions"] = values.numpy().astype(np.float32)
        probe = torch.from_numpy(data.probe)
        out["hidden"] = net.outputs(probe[None])[0].numpy().astype(np.float32)  # (w, H)
        recomputed = gates(net, probe)
        names = GATE_NAMES.get(net.cell, ())
        out["gates"] = {name: recomputed[name].mean(dim=1).numpy().astype(np.float64) for name in names}
    out["forecast"] = forecast(net, data.start, data.n_forecast) if plan.task == "forecast" and free else None
    _, out["grad_norms"] = step_grads(net, torch.from_numpy(data.grad_X), lf, torch.from_numpy(data.grad_y))
    return out


def _finite(read: dict[str, Any]) -> bool:
    numbers = [read["train_loss"], read["test_loss"], *read["grad_norms"]]
    arrays = [read["predictions"], read["hidden"]] + ([read["forecast"]] if read["forecast"] is not None else [])
    return all(math.isfinite(v) for v in numbers) and all(bool(np.isfinite(a).all()) for a in arrays)


def _net_state(read: dict[str, Any], task: str) -> dict[str, Any]:
    state: dict[str, Any] = {
        "train_loss": read["train_loss"],
        "test_loss": read["test_loss"],
        "grad_norms": list(read["grad_norms"]),
        "predictions": typed_array(read["predictions"], "f4"),
        "hidden": typed_array(read["hidden"], "f4"),
        "gates": {name: [float(v) for v in values] for name, values in read["gates"].items()},
    }
    if task == "classify":
        state["train_accuracy"] = read["train_accuracy"]
        state["test_accuracy"] = read["test_accuracy"]
    elif read["forecast"] is not None:
        state["forecast"] = typed_array(read["forecast"], "f4")
    return state


def _frame(
    kind: str,
    caption: str,
    progress: tuple[int, int],
    reads: dict[str, dict[str, Any]],
    plan: Plan,
    history: dict[str, list[float]],
) -> Frame:
    epoch, step = progress
    metrics: dict[str, float] = {}
    for cell, read in reads.items():
        metrics[f"{cell}_train_loss"] = read["train_loss"]
        metrics[f"{cell}_test_loss"] = read["test_loss"]
        metrics[f"{cell}_first_step_gradient"] = read["grad_norms"][0]
    return Frame(
        kind=kind,
        caption=caption,
        state={
            "epoch": epoch,
            "step": step,
            "nets": {cell: _net_state(read, plan.task) for cell, read in reads.items()},
        },
        metrics=metrics,
        visual={"history": {key: list(values) for key, values in history.items()}},
    )


def build(plan: Plan, seed: int) -> dict[str, SeqNet]:
    """The run's nets, drawn one after another from one generator seeded with ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    out = 2 if plan.task == "classify" else 1
    return {
        cell: SeqNet(cell, plan.hidden, plan.layers, out, generator=gen, forget_bias=plan.forget_bias)
        for cell in plan.cells
    }


def run(data: RnnData, plan: Plan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init``, ``epoch`` × (≤ ``MAX_FRAMES`` − 1), ``done``; returns the result."""
    nets = build(plan, seed)
    order_gen = torch.Generator().manual_seed(seed + 1)
    optimizers = {cell: make_optimizer(plan.optimizer, list(net.parameters()), plan.lr) for cell, net in nets.items()}
    lf = loss_fn(plan.task)
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    n = int(y.shape[0])
    batch = min(plan.batch_size, n)
    per_epoch = math.ceil(n / batch)
    facts = captions.Facts(
        plan.task, plan.cells, plan.hidden, plan.layers, int(data.X_train.shape[1]), plan.bptt, per_epoch, plan.epochs
    )
    reads = {cell: _read(net, data, plan, free=False) for cell, net in nets.items()}
    history: dict[str, list[float]] = {"epoch": [0.0]}
    for cell, read in reads.items():
        history[f"{cell}_train"] = [read["train_loss"]]
        history[f"{cell}_test"] = [read["test_loss"]]
    yield _frame("init", captions.init(facts, reads), (0, 0), reads, plan, history)
    step_losses: dict[str, list[float]] = {cell: [] for cell in nets}
    marks = set(frame_epochs(plan.epochs))
    diverged = 0
    trained = 0
    for epoch in range(1, plan.epochs + 1):
        order = torch.randperm(n, generator=order_gen)  # (n,) this epoch's order, the same for every net
        for cell, net in nets.items():
            optimizer = optimizers[cell]
            for start in range(0, n, batch):
                checkpoint()
                idx = order[start : start + batch]
                optimizer.zero_grad()
                loss = lf(net(X[idx], plan.bptt), y[idx])
                torch.autograd.backward(loss)
                optimizer.step()
                step_losses[cell].append(float(loss.detach()))
        if not all(math.isfinite(v) for losses in step_losses.values() for v in losses[-per_epoch:]):
            diverged = epoch
            break
        trained = epoch
        if epoch not in marks:
            continue
        fresh = {cell: _read(net, data, plan) for cell, net in nets.items()}
        if not all(_finite(r) for r in fresh.values()):
            diverged = epoch
            break
        reads = fresh
        history["epoch"].append(float(epoch))
        for cell, read in reads.items():
            history[f"{cell}_train"].append(read["train_loss"])
            history[f"{cell}_test"].append(read["test_loss"])
        if epoch == plan.epochs:
            break
        yield _frame("epoch", captions.epoch(facts, epoch, reads), (epoch, epoch * per_epoch), reads, plan, history)
    shown = int(history["epoch"][-1])
    caption = captions.done(facts, shown, reads, diverged)
    yield _frame("done", caption, (shown, shown * per_epoch), reads, plan, history)
    return {
        "epochs_trained": trained,
        "diverged_at": diverged,
        "steps_per_epoch": per_epoch,
        "epochs": [int(e) for e in history["epoch"]],
        "nets": {
            cell: {
                "train_loss": read["train_loss"],
                "test_loss": read["test_loss"],
                "first_step_gradient": read["grad_norms"][0],
                "last_step_gradient": read["grad_norms"][-1],
                "step_losses": _finite_prefix(step_losses[cell]),
                "train_losses": history[f"{cell}_train"],
                "test_losses": history[f"{cell}_test"],
            }
            for cell, read in reads.items()
        },
    }


def _finite_prefix(values: list[float]) -> list[float]:
    """The values up to the first one that is not finite (a diverged run's steps before it diverged)."""
    for k, v in enumerate(values):
        if not math.isfinite(v):
            return values[:k]
    return values
