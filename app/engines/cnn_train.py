"""Training the CNN lab's network with torch.optim, frame by frame (issue 15).

The loop is the plain PyTorch one: a ``torch.Generator`` seeded from the run's rng draws the initial weights
(``cnn_model.build``), then each epoch's order (``torch.randperm``), the augmentation and the dropout masks;
each step is ``zero_grad`` / ``F.cross_entropy`` / ``backward`` / ``step``. Frames only read the model in eval
mode under ``no_grad`` (``cnn_model.feature_maps``), so they never change what training does: the test checks
every step's loss against a hand-written loop to 1e-6.

Shapes: ``X_*`` (n, C, H, W) float32 in 0–1, ``y_*`` (n,) int64 class indices, a feature map (C, H, W) or (n,).
Pictures go out as uint8 typed arrays, each scaled over its own min..max (sent beside it).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.typed_array import typed_array
from app.engines import cnn_captions as captions
from app.engines.cnn_model import LayerInfo, build, feature_maps

MAX_FRAMES = 200
"""Epoch frames at most (one per epoch up to 200 epochs); plus the init and done frames."""
MIN_FRAMES = 10
"""A short run still gets about this many training frames: every N steps instead of every epoch."""
GRID = 24
"""Test images in the predictions grid."""
MODEL_FILENAME = "stepwise-cnn.pt"


@dataclass(frozen=True)
class CnnData:
    """The split images, scaled to 0–1."""

    X_train: np.ndarray  # (n_train, C, H, W) float32
    y_train: np.ndarray  # (n_train,) int64
    X_test: np.ndarray  # (n_test, C, H, W) float32
    y_test: np.ndarray  # (n_test,) int64
    class_names: tuple[str, ...]


@dataclass(frozen=True)
class TrainPlan:
    """What the params decide about training."""

    layers: Sequence[Mapping[str, Any]]
    optimizer: str  # "sgd" | "momentum" | "adam"
    lr: float
    batch_size: int
    epochs: int
    augment: bool
    sample: int  # index into the test set
    initial_state: Mapping[str, torch.Tensor] | None = None


def make_optimizer(name: str, params: Any, lr: float) -> torch.optim.Optimizer:
    """torch.optim's SGD, SGD with momentum 0.9, or Adam (its defaults otherwise)."""
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=0.9 if name == "momentum" else 0.0)


def shift_rotate(x: torch.Tensor, angle: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Each image of ``x`` (b, C, H, W) turned by ``angle`` (b,) radians about its centre and moved by ``shift``
    (b, 2) pixels (right, down); bilinear, zeros outside."""
    b, _, h, w = x.shape
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.zeros(b, 2, 3, dtype=x.dtype)  # (b, 2, 3): output → input maps in [-1, 1] coordinates
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = cos, -sin, sin, cos
    theta[:, 0, 2] = -shift[:, 0] * 2.0 / w  # moving right by one pixel samples one pixel to the left
    theta[:, 1, 2] = -shift[:, 1] * 2.0 / h
    grid = F.affine_grid(theta, [b, x.shape[1], h, w], align_corners=False)  # (b, H, W, 2)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def augment_batch(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """``x`` (b, C, H, W), each image shifted by a whole −1, 0 or +1 pixel on each axis and turned by up to ±10°,
    the draws from ``generator`` (angles first, then shifts)."""
    b = x.shape[0]
    angle = (torch.rand(b, generator=generator) * 2 - 1) * math.radians(10.0)  # (b,)
    shift = torch.randint(-1, 2, (b, 2), generator=generator).to(x.dtype)  # (b, 2) pixels (right, down)
    return shift_rotate(x, angle.to(x.dtype), shift)


def scaled_u1(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """``values`` mapped linearly from their min..max onto 0..255 (all zeros when flat), and that min, max."""
    v = np.asarray(values, dtype=np.float64)
    lo, hi = float(v.min()), float(v.max())
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return np.zeros(v.shape, dtype=np.uint8), (lo if math.isfinite(lo) else 0.0), (hi if math.isfinite(hi) else 0.0)
    return np.rint((v - lo) * (255.0 / (hi - lo))).astype(np.uint8), lo, hi


def encode_maps(outputs: Sequence[torch.Tensor], table: Sequence[LayerInfo]) -> list[dict[str, Any]]:
    """One image's output of every module (each (1, C, H, W) or (1, n)) as ``{name, shape, values, min, max}``
    with ``values`` a u1 typed array scaled over that layer's own min..max."""
    out: list[dict[str, Any]] = []
    for tensor, info in zip(outputs, table, strict=True):
        values = tensor[0].detach().numpy()  # (C, H, W) or (n,): the batch axis dropped
        pixels, lo, hi = scaled_u1(values)
        out.append(
            {"name": info.name, "shape": list(values.shape), "values": typed_array(pixels, "u1"), "min": lo, "max": hi}
        )
    return out


def model_file(model: nn.Module) -> dict[str, Any]:
    """``result.model``: the state_dict as ``torch.save`` bytes, base64."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    raw = buffer.getvalue()
    return {
        "format": "torch.save",
        "filename": MODEL_FILENAME,
        "base64": base64.b64encode(raw).decode(),
        "bytes": len(raw),
    }


def frame_steps(epochs: int, steps_per_epoch: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Steps after which a frame is drawn: every epoch's end, and for a short run (fewer than ``MIN_FRAMES``
    epochs) also evenly spaced steps, so that it still has about ``MIN_FRAMES`` frames; at most ``max_frames``,
    thinned evenly with the last kept."""
    total = epochs * steps_per_epoch
    marks = {e * steps_per_epoch for e in range(1, epochs + 1)}
    if epochs < MIN_FRAMES:
        marks |= {round(v) for v in np.linspace(0, total, min(total, MIN_FRAMES) + 1)[1:]}
    ordered = sorted(m for m in marks if m > 0)
    if len(ordered) > max_frames:
        keep = np.unique(np.rint(np.linspace(0, len(ordered) - 1, max_frames)).astype(int))
        ordered = [ordered[i] for i in keep]
    return ordered


@dataclass
class _Eval:
    """The network read at one moment: losses, accuracies, the test predictions, the sample's maps."""

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    test_predicted: np.ndarray  # (n_test,) int64
    probabilities: np.ndarray  # (K,) the sample's softmax
    maps: list[dict[str, Any]]


def _evaluate(model: nn.Sequential, data: CnnData, table: Sequence[LayerInfo], sample: int) -> _Eval:
    was = model.training
    model.eval()
    with torch.no_grad():
        train_logits = model(torch.from_numpy(data.X_train))  # (n_train, K)
        test_logits = model(torch.from_numpy(data.X_test))  # (n_test, K)
    model.train(was)
    y_train, y_test = torch.from_numpy(data.y_train), torch.from_numpy(data.y_test)
    outs = feature_maps(model, torch.from_numpy(data.X_test[sample : sample + 1]))  # each (1, ...)
    predicted = test_logits.argmax(1).numpy().astype(np.int64)
    return _Eval(
        train_loss=float(F.cross_entropy(train_logits, y_train)),
        test_loss=float(F.cross_entropy(test_logits, y_test)),
        train_accuracy=float((train_logits.argmax(1) == y_train).float().mean()),
        test_accuracy=float((test_logits.argmax(1) == y_test).float().mean()),
        test_predicted=predicted,
        probabilities=F.softmax(outs[-1][0], dim=0).numpy().astype(np.float64),
        maps=encode_maps(outs, table),
    )


def _first_filters(model: nn.Sequential) -> dict[str, Any] | None:
    """The first conv layer's kernels (F, C, k, k) as one u1 typed array over their common min..max."""
    for module in model:
        if isinstance(module, nn.Conv2d):
            pixels, lo, hi = scaled_u1(module.weight.detach().numpy())
            return {"values": typed_array(pixels, "u1"), "min": lo, "max": hi}
    return None


def confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """(K, K) counts: row = true class, column = predicted (scikit-learn's ``confusion_matrix`` order)."""
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def _state(ev: _Eval, data: CnnData, model: nn.Sequential, sample: int, progress: dict[str, Any]) -> dict[str, Any]:
    k = len(data.class_names)
    grid = min(GRID, data.y_test.size)
    grid_predicted = ev.test_predicted[:grid]
    state: dict[str, Any] = {
        **progress,
        "sample": sample,
        "sample_label": int(data.y_test[sample]),
        "predicted": int(ev.probabilities.argmax()),
        "probabilities": [round(float(p), 6) for p in ev.probabilities],
        "maps": ev.maps,
        "grid_predicted": grid_predicted.tolist(),
        "grid_wrong": np.flatnonzero(grid_predicted != data.y_test[:grid]).tolist(),
        "confusion": confusion(data.y_test, ev.test_predicted, k).tolist(),
    }
    filters = _first_filters(model)
    if filters is not None:
        state["filters"] = filters
    return state


def _metrics(ev: _Eval) -> dict[str, float]:
    return {
        "train_loss": ev.train_loss,
        "test_loss": ev.test_loss,
        "train_accuracy": ev.train_accuracy,
        "test_accuracy": ev.test_accuracy,
    }


def run(data: CnnData, plan: TrainPlan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (the untrained network), ``epoch`` × (≤ ``MAX_FRAMES``), ``done``; returns the result."""
    generator = torch.Generator().manual_seed(seed)
    in_shape = tuple(int(s) for s in data.X_train.shape[1:])
    k = len(data.class_names)
    model, table = build(plan.layers, (in_shape[0], in_shape[1], in_shape[2]), k, generator)
    if plan.initial_state is not None:
        model.load_state_dict(dict(plan.initial_state))
    optimizer = make_optimizer(plan.optimizer, model.parameters(), plan.lr)
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    n = int(y.numel())
    batch = min(plan.batch_size, n)
    per_epoch = math.ceil(n / batch)
    marks = frame_steps(plan.epochs, per_epoch)
    total_params = sum(row.params for row in table)
    ev = _evaluate(model, data, table, plan.sample)
    facts = captions.Facts(data.class_names, int(data.y_test[plan.sample]), plan.sample, int(data.y_test.size))
    yield Frame(
        kind="init",
        caption=captions.init(facts, table, ev.probabilities, started=plan.initial_state is not None),
        state=_state(ev, data, model, plan.sample, {"step": 0, "epoch": 0.0}),
        metrics=_metrics(ev),
    )
    losses: list[float] = []
    step, previous, next_mark = 0, ev, 0
    model.train()
    for _ in range(plan.epochs):
        order = torch.randperm(n, generator=generator)  # (n,) this epoch's order
        for start in range(0, n, batch):
            checkpoint()
            idx = order[start : start + batch]
            xb = X[idx]  # (b, C, H, W)
            if plan.augment:
                xb = augment_batch(xb, generator)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), y[idx])
            torch.autograd.backward(loss)  # loss.backward(), typed
            optimizer.step()
            losses.append(float(loss.detach()))
            step += 1
            if next_mark < len(marks) and step == marks[next_mark]:
                next_mark += 1
                ev = _evaluate(model, data, table, plan.sample)
                progress = {"step": step, "epoch": round(step / per_epoch, 4)}
                yield Frame(
                    kind="epoch",
                    caption=captions.epoch(facts, step, per_epoch, plan.epochs, previous, ev, losses),
                    state=_state(ev, data, model, plan.sample, progress),
                    metrics=_metrics(ev),
                )
                previous = ev
    matrix = confusion(data.y_test, ev.test_predicted, k)
    result = {
        "test_accuracy": ev.test_accuracy,
        "train_accuracy": ev.train_accuracy,
        "confusion": matrix.tolist(),
        "layers": [{"name": r.name, "output_shape": list(r.output_shape), "params": r.params} for r in table],
        "parameters": total_params,
        "model": model_file(model),
        "class_names": list(data.class_names),
        "input_shape": list(in_shape),
        "step_losses": losses,
    }
    yield Frame(
        kind="done",
        caption=captions.done(facts, plan.epochs, step, ev, matrix),
        state=_state(ev, data, model, plan.sample, {"step": step, "epoch": float(plan.epochs)}),
        metrics=_metrics(ev),
    )
    return result
