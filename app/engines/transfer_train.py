"""The transfer-learning race (issue 16): the same small CNN trained on a few labelled target digits (5–9) in up to
four modes side by side, one epoch of each per frame.

* ``scratch``: every layer from the seeded random initialisation, all at ``lr``;
* ``feature_extraction``: the backbone's conv1 and conv2 copied and frozen (``requires_grad`` False); a new dense
  layer and head trained at ``lr``;
* ``fine_tune``: the copied convolutions trained at ``lr × fine_tune_lr_factor``, the new layers at ``lr``;
* ``gradual``: as fine-tuning, but the convolutions start frozen; every ``unfreeze_every`` epochs one more is
  unfrozen, from the top (conv2, then conv1).

Every mode starts from the same ``torch.Generator(seed)``: the same initial head (and, for scratch, body) and the
same batch order, so the only difference between modes is what they start from and what they may change. Each
step is the plain PyTorch one (``zero_grad`` / ``F.cross_entropy`` / ``backward`` / ``Adam.step``): a frozen
parameter has no gradient, so Adam leaves it untouched, bit for bit (the result says so per mode, checked with
``torch.equal``). Frames only read the models under ``no_grad``.

Shapes: ``X_*`` (n, 1, 8, 8) float32 in 0–1, ``y_*`` (n,) int64 in 0..4 (digit − 5).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import transfer_captions as captions
from app.engines.transfer_model import (
    BLOCK_MODULES,
    BLOCKS,
    BODY,
    NEW,
    accuracy,
    block_params,
    new_network,
    relative_move,
)

MODES: tuple[str, ...] = ("scratch", "feature_extraction", "fine_tune", "gradual")


@dataclass(frozen=True)
class TargetData:
    """The labelled target digits to train on and the rest of 5–9 to test on."""

    X_train: np.ndarray  # (labelled, 1, 8, 8) float32
    y_train: np.ndarray  # (labelled,) int64
    X_test: np.ndarray  # (n_test, 1, 8, 8) float32
    y_test: np.ndarray  # (n_test,) int64


@dataclass(frozen=True)
class RacePlan:
    """What the params decide about the race."""

    modes: Sequence[str]
    epochs: int
    lr: float
    fine_tune_lr_factor: float
    unfreeze_every: int
    batch_size: int
    backbone: Mapping[str, torch.Tensor]
    source_accuracy: float = 0.0


def frozen_blocks(mode: str, epoch: int, unfreeze_every: int) -> tuple[bool, ...]:
    """Which of ``BLOCKS`` are frozen while epoch ``epoch`` (0-based) trains, for ``mode``."""
    if mode in ("scratch", "fine_tune"):
        return (False,) * len(BLOCKS)
    if mode == "feature_extraction":
        return (True,) * len(BODY) + (False,) * len(NEW)
    thawed = min(len(BODY), epoch // unfreeze_every)  # gradual: body blocks unfrozen so far, from the top
    return tuple(i < len(BODY) - thawed for i in range(len(BODY))) + (False,) * len(NEW)


def start_model(mode: str, seed: int, backbone: Mapping[str, torch.Tensor]) -> tuple[nn.Sequential, torch.Generator]:
    """The mode's network before training and the generator that will draw its batch order: the seeded random
    network, with the backbone's body weights copied in unless the mode is ``scratch``."""
    generator = torch.Generator().manual_seed(seed)
    model, _ = new_network(generator)
    if mode != "scratch":
        body = {f"{BLOCK_MODULES[i]}.{p}" for i in range(len(BODY)) for p in ("weight", "bias")}
        model.load_state_dict({k: backbone[k].clone() for k in body}, strict=False)
    return model, generator


def make_optimizer(mode: str, model: nn.Sequential, lr: float, factor: float) -> torch.optim.Adam:
    """Adam with two groups: the convolutions at ``lr`` (scratch, feature extraction) or ``lr × factor``
    (fine-tuning, gradual unfreezing), the new dense layer and head at ``lr``. A frozen block never gets a
    gradient, so Adam skips it."""
    body = [p for b in BODY for p in block_params(model, b)]
    body_lr = lr * factor if mode in ("fine_tune", "gradual") else lr
    new = [p for b in NEW for p in block_params(model, b)]
    return torch.optim.Adam([{"params": body, "lr": body_lr}, {"params": new, "lr": lr}])


def set_frozen(model: nn.Sequential, frozen: Sequence[bool]) -> None:
    for block, off in zip(BLOCKS, frozen, strict=True):
        for p in block_params(model, block):
            p.requires_grad_(not off)


@dataclass
class _Racer:
    mode: str
    model: nn.Sequential
    generator: torch.Generator
    optimizer: torch.optim.Adam
    start: dict[str, torch.Tensor]  # each block's weight at the start (the backbone's, the head's init)
    curve: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    frozen: tuple[bool, ...] = ()
    ever_trained: set[str] = field(default_factory=set)


def train_epoch(racer: _Racer, X: torch.Tensor, y: torch.Tensor, batch: int) -> float:
    """One pass over the labelled images in the racer's own seeded order; the mean of its batch losses."""
    n = int(y.numel())
    order = torch.randperm(n, generator=racer.generator)  # (n,) this epoch's order
    racer.model.train()
    epoch_losses = []
    for start in range(0, n, batch):
        checkpoint()
        idx = order[start : start + batch]
        racer.optimizer.zero_grad()
        loss = F.cross_entropy(racer.model(X[idx]), y[idx])
        torch.autograd.backward(loss)
        racer.optimizer.step()
        epoch_losses.append(float(loss.detach()))
    racer.losses += epoch_losses
    return float(np.mean(epoch_losses))


def _moves(racer: _Racer) -> list[float]:
    """Each block's ‖W − W_start‖ / ‖W_start‖: the backbone's weight for a transferred block, the initial one for
    scratch and for every head."""
    out = []
    for b in BLOCKS:
        weight = block_params(racer.model, b)[0].detach()
        out.append(round(relative_move(weight, racer.start[b]), 6))
    return out


def _unchanged(racer: _Racer, backbone: Mapping[str, torch.Tensor]) -> bool:
    """Every body block frozen for the whole run is bit-identical to the backbone (weight and bias)."""
    state = racer.model.state_dict()
    for b, index in zip(BODY, BLOCK_MODULES, strict=False):
        if b in racer.ever_trained:
            continue
        if not all(torch.equal(state[f"{index}.{p}"], backbone[f"{index}.{p}"]) for p in ("weight", "bias")):
            return False
    return True


def run(data: TargetData, plan: RacePlan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (every mode before a step), ``epoch`` × epochs, ``done``; returns the result."""
    racers: list[_Racer] = []
    for mode in plan.modes:
        model, generator = start_model(mode, seed, plan.backbone)
        start = {b: block_params(model, b)[0].detach().clone() for b in BLOCKS}
        optimizer = make_optimizer(mode, model, plan.lr, plan.fine_tune_lr_factor)
        racers.append(_Racer(mode, model, generator, optimizer, start))
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    batch = min(plan.batch_size, int(y.numel()))
    facts = captions.Facts(tuple(plan.modes), int(y.numel()), int(data.y_test.size), plan.epochs, plan.source_accuracy)
    losses0 = []
    seen: dict[bool, tuple[float, float]] = {}  # every transferred mode starts from the same network: read it once
    for r in racers:
        r.frozen = frozen_blocks(r.mode, 0, plan.unfreeze_every)
        key = r.mode != "scratch"
        if key not in seen:
            r.model.eval()
            with torch.no_grad():
                seen[key] = (accuracy(r.model, data.X_test, data.y_test), float(F.cross_entropy(r.model(X), y)))
        r.curve.append(seen[key][0])
        losses0.append(seen[key][1])
    yield _frame("init", 0, racers, losses0, plan, facts)
    for epoch in range(plan.epochs):
        epoch_losses = []
        for r in racers:
            r.frozen = frozen_blocks(r.mode, epoch, plan.unfreeze_every)
            set_frozen(r.model, r.frozen)
            r.ever_trained |= {b for b, off in zip(BLOCKS, r.frozen, strict=True) if not off}
            epoch_losses.append(train_epoch(r, X, y, batch))
            r.model.eval()
            r.curve.append(accuracy(r.model, data.X_test, data.y_test))
        yield _frame("epoch", epoch + 1, racers, epoch_losses, plan, facts)
        last_losses = epoch_losses
    if plan.epochs == 0:  # pragma: no cover - the schema asks for at least one epoch
        last_losses = losses0
    unchanged = [_unchanged(r, plan.backbone) for r in racers]
    result: dict[str, Any] = {
        "modes": list(plan.modes),
        "blocks": list(BLOCKS),
        "test_accuracy": [r.curve[-1] for r in racers],
        "best_test_accuracy": [max(r.curve) for r in racers],
        "frozen_unchanged": unchanged,
        "step_losses": [r.losses for r in racers],
        "labelled": int(y.numel()),
        "n_test": int(data.y_test.size),
        "source_accuracy": plan.source_accuracy,
    }
    yield _frame("done", plan.epochs, racers, last_losses, plan, facts, unchanged=unchanged)
    return result


def _frame(
    kind: str,
    epoch: int,
    racers: Sequence[_Racer],
    losses: Sequence[float],
    plan: RacePlan,
    facts: captions.Facts,
    unchanged: Sequence[bool] | None = None,
) -> Frame:
    moved = [_moves(r) for r in racers]
    state: dict[str, Any] = {
        "epoch": epoch,
        "modes": list(plan.modes),
        "blocks": list(BLOCKS),
        "curves": [[round(a, 6) for a in r.curve] for r in racers],
        "frozen": [list(r.frozen) for r in racers],
        "moved": moved,
        "train_loss": [round(v, 6) for v in losses],
    }
    metrics = {f"test_accuracy_{r.mode}": r.curve[-1] for r in racers}
    accs = [r.curve[-1] for r in racers]
    if kind == "init":
        caption = captions.init(facts, accs, [r.frozen for r in racers])
    elif kind == "epoch":
        caption = captions.epoch(facts, epoch, accs, [r.curve[-2] for r in racers], [r.frozen for r in racers], moved)
    else:
        caption = captions.done(facts, accs, moved, list(unchanged or []), [r.ever_trained for r in racers])
    return Frame(kind=kind, caption=caption, state=state, metrics=metrics)
