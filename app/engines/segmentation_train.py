"""The segmentation lab's run (issue 16): the transposed-convolution explainer's frames, then training.

Explainer: a small integer input and kernel (drawn by the lab from the data seed) are stamped pixel by pixel
(a row at a time for a bigger input; ``transposed_conv``), then cropped; the last explainer frame carries the
largest difference from ``F.conv_transpose2d`` of the same numbers. Training is the plain PyTorch loop: a
``torch.Generator`` seeded from the run's rng draws the initial weights, then each epoch's order
(``torch.randperm``); each step is ``zero_grad`` / per-pixel ``F.cross_entropy`` / ``backward`` / Adam
``step``. Frames read the model under ``no_grad`` and never change what training does (the test checks every
step's loss against a plain loop).

Shapes: ``X_*`` (n, C, S, S) float32 in 0–1, ``Y_*`` (n, S, S) int64 class per pixel, K classes (0 background).
Masks go out as u1 typed arrays, small integers as i2 typed arrays.
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
from app.engines import segmentation_captions as captions
from app.engines import transposed_conv as tc
from app.engines.cnn_train import frame_steps
from app.engines.segmentation_model import NetSpec, SegNet, parameter_count


@dataclass(frozen=True)
class SegData:
    """The split images and their masks."""

    X_train: np.ndarray  # (n_train, C, S, S) float32
    Y_train: np.ndarray  # (n_train, S, S) int64
    X_test: np.ndarray  # (n_test, C, S, S) float32
    Y_test: np.ndarray  # (n_test, S, S) int64
    class_names: tuple[str, ...]  # (K,) "background" first


@dataclass(frozen=True)
class SegPlan:
    """What the params decide about the explainer and training."""

    geometry: tc.Geometry
    net: NetSpec
    lr: float
    batch_size: int
    epochs: int
    shown: int  # test images drawn with their masks


def confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """(K, K) pixel counts: row true class, column predicted (scikit-learn's ``confusion_matrix`` order)."""
    flat = y_true.reshape(-1).astype(np.int64) * k + y_pred.reshape(-1).astype(np.int64)  # (n·S·S,)
    return np.bincount(flat, minlength=k * k).reshape(k, k)


def iou_per_class(matrix: np.ndarray) -> np.ndarray:
    """(K,) |true ∩ predicted| / |true ∪ predicted| of each class; 0 for a class in neither (as scikit-learn's
    ``jaccard_score`` with its default ``zero_division``)."""
    hits = np.diag(matrix).astype(np.float64)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - hits
    out: np.ndarray = np.divide(hits, union, out=np.zeros_like(hits), where=union > 0)
    return out


def explainer_numbers(rng: np.random.Generator, g: tc.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """The explainer's input (H, H) of integers 1..3 and kernel (k, k) of integers −1..2, from ``rng``."""
    x = rng.integers(1, 4, size=(g.size, g.size)).astype(np.float64)
    kernel = rng.integers(-1, 3, size=(g.kernel, g.kernel)).astype(np.float64)
    return x, kernel


def torch_transposed(x: np.ndarray, kernel: np.ndarray, g: tc.Geometry) -> np.ndarray:
    """``F.conv_transpose2d`` of one channel: the oracle the explainer's output is compared with."""
    out = F.conv_transpose2d(
        torch.from_numpy(x)[None, None],  # (1, 1, H, H)
        torch.from_numpy(kernel)[None, None],  # (1, 1, k, k): (in, out, k, k)
        stride=g.stride,
        padding=g.padding,
        output_padding=g.output_padding,
        dilation=g.dilation,
    )
    return np.asarray(out[0, 0].numpy())


def explain(x: np.ndarray, kernel: np.ndarray, g: tc.Geometry) -> Generator[Frame, None, None]:
    """Frames ``stamp`` × (one per pixel, or per row) and ``crop``."""
    base = {"epoch": 0.0, "step": 0, "input": typed_array(x, "i2"), "kernel": typed_array(kernel, "i2")}
    reached = np.zeros((g.canvas, g.canvas), dtype=np.int64)  # how many stamps touched each cell
    done = 0
    canvas = np.zeros((g.canvas, g.canvas))
    for pixels, canvas in tc.steps(x, kernel, g):
        for i, j in pixels:
            reached[
                i * g.stride : i * g.stride + g.span : g.dilation, j * g.stride : j * g.stride + g.span : g.dilation
            ] += 1
        done += len(pixels)
        overlaps = int((reached > 1).sum())
        checkpoint()  # a cancelled or over-budget run stops between explainer frames
        yield Frame(
            kind="stamp",
            caption=captions.stamp(pixels, x, g, done, overlaps),
            state=base
            | {"pixels": [[i, j] for i, j in pixels], "canvas": typed_array(canvas, "i2"), "overlaps": overlaps},
        )
    output = tc.crop(canvas, g)
    difference = float(np.abs(output - torch_transposed(x, kernel, g)).max())
    checkpoint()  # a cancelled or over-budget run stops between explainer frames
    yield Frame(
        kind="crop",
        caption=captions.crop(g, difference),
        state=base
        | {
            "canvas": typed_array(canvas, "i2"),
            "output": typed_array(output, "i2"),
            "out_size": g.out,
            "torch_difference": difference,
        },
    )


@dataclass
class _Eval:
    test_loss: float
    predicted: np.ndarray  # (n_test, S, S) int64
    confusion: np.ndarray  # (K, K)
    iou: np.ndarray  # (K,)

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(1, self.confusion.sum()))


def _evaluate(model: SegNet, data: SegData) -> _Eval:
    was = model.training
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(data.X_test))  # (n_test, K, S, S)
        loss = float(F.cross_entropy(logits, torch.from_numpy(data.Y_test)))
    model.train(was)
    predicted = logits.argmax(1).numpy().astype(np.int64)  # (n_test, S, S)
    matrix = confusion(data.Y_test, predicted, len(data.class_names))
    return _Eval(loss, predicted, matrix, iou_per_class(matrix))


def _state(ev: _Eval, shown: int, progress: dict[str, Any]) -> dict[str, Any]:
    return progress | {
        "predicted": typed_array(ev.predicted[:shown].astype(np.uint8), "u1"),  # (G, S, S) class per pixel
        "iou": [round(float(v), 6) for v in ev.iou],
        "mean_iou": round(float(ev.iou.mean()), 6),
        "pixel_accuracy": round(ev.accuracy, 6),
        "confusion": ev.confusion.tolist(),
    }


def _metrics(ev: _Eval, train_loss: float) -> dict[str, float]:
    return {
        "train_loss": train_loss,
        "test_loss": ev.test_loss,
        "mean_iou": float(ev.iou.mean()),
        "pixel_accuracy": ev.accuracy,
    }


def run(
    load: Callable[[], SegData], plan: SegPlan, *, x: np.ndarray, kernel: np.ndarray, seed: int
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``stamp`` ×, ``crop``, ``init``, ``epoch`` ×, ``done``; returns the result. ``load`` gives the
    images, called after the explainer's frames (so the first frame never waits for them)."""
    yield from explain(x, kernel, plan.geometry)
    data = load()
    pictures = {
        "images": typed_array(np.rint(data.X_test[: plan.shown, 0] * 255).astype(np.uint8), "u1"),  # (G, S, S)
        "truth": typed_array(data.Y_test[: plan.shown].astype(np.uint8), "u1"),  # (G, S, S)
    }
    generator = torch.Generator().manual_seed(seed)
    model = SegNet(plan.net, generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=plan.lr)
    X, Y = torch.from_numpy(data.X_train), torch.from_numpy(data.Y_train)
    n = int(Y.shape[0])
    batch = min(plan.batch_size, n)
    per_epoch = math.ceil(n / batch)
    marks = frame_steps(plan.epochs, per_epoch)
    names = data.class_names
    ev = _evaluate(model, data)
    with torch.no_grad():
        start_loss = float(F.cross_entropy(model(X), Y))
    yield Frame(
        kind="init",
        caption=captions.init(
            names, parameter_count(plan.net), n, int(data.Y_test.shape[0]), float(ev.iou.mean()), ev.accuracy
        ),
        state=_state(ev, plan.shown, {"epoch": 0.0, "step": 0} | pictures),
        metrics=_metrics(ev, start_loss),
    )
    losses: list[float] = []
    step, next_mark, since = 0, 0, 0
    before = float(ev.iou.mean())
    model.train()
    for _ in range(plan.epochs):
        order = torch.randperm(n, generator=generator)  # (n,) this epoch's order
        for start in range(0, n, batch):
            checkpoint()
            idx = order[start : start + batch]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X[idx]), Y[idx])  # mean over every pixel of the batch
            torch.autograd.backward(loss)  # loss.backward(), typed
            optimizer.step()
            losses.append(float(loss.detach()))
            step += 1
            if next_mark < len(marks) and step == marks[next_mark]:
                next_mark += 1
                ev = _evaluate(model, data)
                train_loss = float(np.mean(losses[since:]))
                since = step
                epoch_no = round(step / per_epoch, 4)
                yield Frame(
                    kind="epoch",
                    caption=captions.epoch(
                        names, epoch_no, plan.epochs, train_loss, ev.iou.tolist(), ev.accuracy, before
                    ),
                    state=_state(ev, plan.shown, {"epoch": epoch_no, "step": step} | pictures),
                    metrics=_metrics(ev, train_loss),
                )
                before = float(ev.iou.mean())
    result = {
        "mean_iou": float(ev.iou.mean()),
        "iou": [float(v) for v in ev.iou],
        "pixel_accuracy": ev.accuracy,
        "confusion": ev.confusion.tolist(),
        "class_names": list(names),
        "parameters": parameter_count(plan.net),
        "step_losses": losses,
    }
    yield Frame(
        kind="done",
        caption=captions.done(names, plan.epochs, step, ev.iou.tolist(), ev.accuracy, ev.confusion),
        state=_state(ev, plan.shown, {"epoch": float(plan.epochs), "step": step} | pictures),
        metrics=_metrics(ev, float(np.mean(losses[-per_epoch:])) if losses else start_loss),
    )
    return result
