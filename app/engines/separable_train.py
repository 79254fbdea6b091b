"""The training half of the separable-convolution lab (issue 16): a small standard CNN and its depthwise-separable
twin trained side by side on the digits with the same everything else.

Both networks: conv 3×3 (``c1`` filters, padding 1) → ReLU → max pool 2 → [second conv] → ReLU → max pool 2 →
flatten → dense (one unit per class). The second conv is a standard 3×3 conv (c1 → c2) in one, a depthwise 3×3
(``groups = c1``) then a pointwise 1×1 (c1 → c2) in the twin (Xception's block; the first layer stays standard,
as in Xception's entry flow: a depthwise conv of a single grey channel would make all maps copies of one).
Each network's weights are drawn from its own ``torch.Generator`` seeded with the same number (PyTorch's default
rule, ``cnn_model``'s), each epoch's order from a third one and used for both, each step the plain
``zero_grad`` / ``F.cross_entropy`` / ``backward`` / ``step``: the test checks every step's loss of each against
a hand-written loop to 1e-6.

Shapes: ``X_*`` (n, 1, 8, 8) float32 in 0–1, ``y_*`` (n,) int64.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import separable_captions as captions
from app.engines.cnn_model import default_init  # PyTorch's default init, from a seeded generator
from app.engines.cnn_train import CnnData, make_optimizer

MODELS = ("standard", "separable")


@dataclass(frozen=True)
class PairPlan:
    """What the params decide about the two networks and their training."""

    conv1: int
    conv2: int
    optimizer: str
    lr: float
    batch_size: int
    epochs: int


def _conv(c_in: int, c_out: int, k: int, generator: torch.Generator, **kw: Any) -> nn.Conv2d:
    # Made on the meta device then given empty storage: nothing is drawn from the process-wide RNG.
    conv = nn.Conv2d(c_in, c_out, k, device="meta", **kw).to_empty(device="cpu")
    default_init(conv, generator)
    return conv


def build_model(kind: str, plan: PairPlan, in_shape: tuple[int, int, int], n_classes: int, seed: int) -> nn.Sequential:
    """The ``"standard"`` or ``"separable"`` network for (C, H, W) inputs, its weights drawn from ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    c, h, w = in_shape
    first = _conv(c, plan.conv1, 3, generator, padding=1)
    second: nn.Module
    if kind == "standard":
        second = _conv(plan.conv1, plan.conv2, 3, generator, padding=1)
    else:
        second = nn.Sequential(
            _conv(plan.conv1, plan.conv1, 3, generator, padding=1, groups=plan.conv1),  # depthwise
            _conv(plan.conv1, plan.conv2, 1, generator),  # pointwise
        )
    flat = plan.conv2 * (h // 4) * (w // 4)
    dense = nn.Linear(flat, n_classes, device="meta").to_empty(device="cpu")
    default_init(dense, generator)
    return nn.Sequential(first, nn.ReLU(), nn.MaxPool2d(2), second, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), dense)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def layer_rows(model: nn.Sequential) -> list[dict[str, Any]]:
    """The parameter table: one row per module holding parameters (the separable block's two convs apart)."""
    rows: list[dict[str, Any]] = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0]
            kind = "depthwise" if module.groups > 1 else ("pointwise" if k == 1 else "conv")
            name = f"{kind} {module.in_channels}→{module.out_channels} {k}×{k}"
            rows.append({"name": name, "params": parameter_count(module)})
        elif isinstance(module, nn.Linear):
            rows.append(
                {"name": f"dense {module.in_features}→{module.out_features}", "params": parameter_count(module)}
            )
    return rows


def macs_per_image(model: nn.Sequential, in_shape: tuple[int, int, int]) -> int:
    """Multiply-adds of one image's forward pass, by formula: a conv's H_out·W_out·C_out·(C_in/groups)·k², a dense
    layer's in·out (pooling, ReLU and biases not counted)."""
    total = 0
    c, h, w = in_shape
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            k, pad = module.kernel_size[0], int(module.padding[0])
            h, w, c = h + 2 * pad - k + 1, w + 2 * pad - k + 1, module.out_channels
            total += h * w * module.weight[0].numel() * c
        elif isinstance(module, nn.MaxPool2d):
            h, w = h // 2, w // 2
        elif isinstance(module, nn.Linear):
            total += module.in_features * module.out_features
    return total


def evaluate(model: nn.Module, data: CnnData) -> dict[str, float]:
    """Losses and accuracies on both parts, in eval mode without gradients."""
    model.eval()
    with torch.no_grad():
        train_logits = model(torch.from_numpy(data.X_train))  # (n_train, K)
        test_logits = model(torch.from_numpy(data.X_test))  # (n_test, K)
    model.train()
    y_train, y_test = torch.from_numpy(data.y_train), torch.from_numpy(data.y_test)
    return {
        "train_loss": float(F.cross_entropy(train_logits, y_train)),
        "test_loss": float(F.cross_entropy(test_logits, y_test)),
        "train_accuracy": float((train_logits.argmax(1) == y_train).float().mean()),
        "test_accuracy": float((test_logits.argmax(1) == y_test).float().mean()),
    }


def _metrics(evals: dict[str, dict[str, float]]) -> dict[str, float]:
    return {f"{name}_{key}": evals[name][key] for name in MODELS for key in ("test_accuracy", "test_loss")}


def train(data: CnnData, plan: PairPlan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``epoch`` (epoch 0: before training, then one per epoch) and ``done``; returns the result part."""
    in_shape = (int(data.X_train.shape[1]), int(data.X_train.shape[2]), int(data.X_train.shape[3]))
    k = len(data.class_names)
    models = {name: build_model(name, plan, in_shape, k, seed) for name in MODELS}
    optimizers = {name: make_optimizer(plan.optimizer, m.parameters(), plan.lr) for name, m in models.items()}
    params = {name: parameter_count(m) for name, m in models.items()}
    order_gen = torch.Generator().manual_seed(seed + 1)
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    n = int(y.numel())
    batch = min(plan.batch_size, n)
    per_epoch = math.ceil(n / batch)
    losses: dict[str, list[float]] = {name: [] for name in MODELS}
    history: dict[str, list[float]] = {"epoch": [], "standard": [], "separable": []}

    def frame(kind: str, epoch: int, evals: dict[str, dict[str, float]]) -> Frame:
        history["epoch"].append(float(epoch))
        for name in MODELS:
            history[name].append(evals[name]["test_accuracy"])
        state = {
            "epoch": epoch,
            "step": epoch * per_epoch,
            **{name: {**evals[name], "parameters": params[name]} for name in MODELS},
            "history": {key: list(values) for key, values in history.items()},
        }
        done = kind == "done"
        caption = captions.epoch(epoch, epoch if done else plan.epochs, evals, params, int(data.y_test.size), done=done)
        if done and epoch < plan.epochs:
            caption += (
                f" Training stopped after epoch {epoch} of {plan.epochs}: a loss stopped being finite "
                "(too large a step)."
            )
        return Frame(kind=kind, caption=caption, state=state, metrics=_metrics(evals))

    evals = {name: evaluate(m, data) for name, m in models.items()}
    yield frame("epoch", 0, evals)
    trained = 0
    for epoch in range(1, plan.epochs + 1):
        order = torch.randperm(n, generator=order_gen)  # (n,) this epoch's order, the same for both networks
        for name in MODELS:
            model, optimizer = models[name], optimizers[name]
            for start in range(0, n, batch):
                checkpoint()
                idx = order[start : start + batch]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(X[idx]), y[idx])
                torch.autograd.backward(loss)
                optimizer.step()
                value = float(loss.detach())
                if not math.isfinite(value):  # diverged (too large a step): stop, keep the last finite frame
                    break
                losses[name].append(value)
            else:
                continue
            break
        else:
            now = {name: evaluate(m, data) for name, m in models.items()}
            if all(math.isfinite(v) for e in now.values() for v in e.values()):
                evals, trained = now, epoch
                if epoch < plan.epochs:
                    yield frame("epoch", epoch, evals)
                continue
        break
    yield frame("done", trained, evals)
    return {
        name: {
            "parameters": params[name],
            "macs_per_image": macs_per_image(models[name], in_shape),
            "test_accuracy": evals[name]["test_accuracy"],
            "train_accuracy": evals[name]["train_accuracy"],
            "layers": layer_rows(models[name]),
            "step_losses": losses[name],
        }
        for name in MODELS
    }
