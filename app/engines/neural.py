"""Training a small MLP epoch by epoch with torch.optim, one frame every ``frame_every`` epochs.

The loop is the plain PyTorch one (shuffle with ``torch.randperm(generator=...)``, mini-batches,
``zero_grad`` / ``backward`` / ``step``, the schedule stepped per epoch); frames only read the model in
``eval`` mode under ``no_grad``, so they never change what training does (the test checks the loss
against a reference loop to 1e-6). Shapes: ``X_*`` (n, d_in) features, ``y`` (n,) labels or targets,
``grid`` (g·g, d_in) the input plane for the boundary, ``thumbs`` (t·t, d_in) the one for neuron thumbnails.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.engines.frame import Frame
from app.engines.nn_model import MLP, make_optimizer, make_schedule, penalty

SHOWN = 8
"""Neurons drawn per layer (TensorFlow Playground's maximum); ``state.weights`` holds the drawn part."""
HIST_BINS = 24
MAX_FRAMES = 200
EXPLODED = 1e6


@dataclass(frozen=True)
class Data:
    """What the engine trains on (features already mapped, inputs standardised)."""

    X_train: np.ndarray  # (n_train, d_in)
    y_train: np.ndarray  # (n_train,) int labels or float targets
    X_test: np.ndarray  # (n_test, d_in)
    y_test: np.ndarray  # (n_test,)
    grid: np.ndarray  # (g·g, d_in) or (g, d_in) for 1-D data
    thumbs: np.ndarray  # (t·t, d_in) or (t, d_in)
    n_classes: int  # 0 for regression


def frame_epochs(epochs: int, frame_every: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Epochs that get a frame: 0, every ``frame_every``-th, and the last; thinned to ≤ ``max_frames``."""
    every = max(frame_every, math.ceil(epochs / (max_frames - 1)))
    marks = list(range(0, epochs + 1, every))
    if marks[-1] != epochs:
        marks.append(epochs)
    return marks


def _saturated(a: torch.Tensor, activation: str) -> float:
    """Fraction of activations where the activation's slope is under 1 % of its peak (no gradient flows)."""
    if activation == "sigmoid":
        flat = a * (1 - a) < 0.0025
    elif activation == "tanh":
        flat = 1 - a * a < 0.01
    elif activation == "relu":
        flat = a <= 0
    elif activation == "elu":
        flat = a < -0.99
    else:
        return 0.0
    return float(flat.to(a.dtype).mean())


class _Trainer:
    """The model, optimiser, schedule and generators of one run, plus its frame bookkeeping."""

    def __init__(self, data: Data, *, hidden_layers: Sequence[int], activation: str, leaky_slope: float,
                 init: str, dropout: float, batch_norm: bool, l1: float, l2: float, loss: str, optimizer: str,
                 lr: float, schedule: str, batch_size: int, epochs: int, rng: np.random.Generator,
                 dtype: torch.dtype) -> None:
        init_seed, batch_seed, dropout_seed = (int(s) for s in rng.integers(2**31, size=3))
        self.data, self.activation, self.loss, self.l1, self.l2 = data, activation, loss, l1, l2
        self.batch_size, self.batch_norm = batch_size, batch_norm
        self.classify = data.n_classes > 0
        n_out = data.n_classes if loss == "cross_entropy" else 1
        self.model = MLP(data.X_train.shape[1], hidden_layers, n_out, activation=activation, leaky_slope=leaky_slope,
                         dropout=dropout, batch_norm=batch_norm, init=init, dtype=dtype,
                         generator=torch.Generator().manual_seed(init_seed))
        self.opt = make_optimizer(optimizer, list(self.model.parameters()), lr)
        self.sched = make_schedule(schedule, self.opt, epochs)
        self.batch_gen = torch.Generator().manual_seed(batch_seed)
        self.drop_gen = torch.Generator().manual_seed(dropout_seed)
        self.Xtr = torch.as_tensor(data.X_train, dtype=dtype)
        self.Xte = torch.as_tensor(data.X_test, dtype=dtype)
        self.Ytr, self.Yte = self._targets(data.y_train, dtype), self._targets(data.y_test, dtype)
        grids = torch.as_tensor(np.concatenate([data.grid, data.thumbs]), dtype=dtype)
        self.everything = torch.cat([self.Xtr, self.Xte, grids])  # (n_train + n_test + g·g + t·t, d_in)
        self.last_objective = 0.0

    def _targets(self, y: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        if self.loss == "cross_entropy":
            return torch.as_tensor(y, dtype=torch.long)
        return torch.as_tensor(y, dtype=dtype).reshape(-1, 1)

    def objective(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if self.loss == "cross_entropy":
            return F.cross_entropy(out, target)
        return F.mse_loss(out, target)

    def epoch(self) -> None:
        """One pass over the shuffled training set in mini-batches, then one schedule step."""
        model, n = self.model, self.Xtr.shape[0]
        model.train()
        perm = torch.randperm(n, generator=self.batch_gen)
        for start in range(0, n, self.batch_size):
            idx = perm[start:start + self.batch_size]
            if self.batch_norm and idx.numel() < 2:
                continue  # batch norm needs two rows to estimate a variance
            self.opt.zero_grad()
            obj = self.objective(model(self.Xtr[idx], self.drop_gen), self.Ytr[idx])
            extra = penalty(model, self.l1, self.l2)
            if extra is not None:
                obj = obj + extra
            obj.backward()
            self.opt.step()
            self.last_objective = float(obj.detach())
        self.sched.step()

    def full_batch_gradients(self) -> None:
        """Before training: the gradient of the loss on the whole training set (eval mode, no step)."""
        self.model.eval()
        self.opt.zero_grad()
        self.objective(self.model(self.Xtr), self.Ytr).backward()

    def grad_norms(self) -> list[float]:
        return [float(w.grad.norm()) if w.grad is not None else 0.0 for w in self.model.weights]

    def _scores(self, out: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        loss = float(self.objective(out, y))
        if not self.classify:
            return loss, None
        pred = out.argmax(1) if self.loss == "cross_entropy" else (out[:, 0] > 0.5).long()
        truth = y if self.loss == "cross_entropy" else y[:, 0].long()
        return loss, float((pred == truth).to(torch.float64).mean())

    def evaluate(self) -> dict[str, Any]:
        """Losses, accuracies, per-layer stats and the grid pictures, in eval mode (no dropout, BN running stats)."""
        model = self.model
        model.eval()
        n_tr, n_te = self.Xtr.shape[0], self.Xte.shape[0]
        with torch.no_grad():
            # One pass over train ‖ test ‖ grid rows (eval mode: rows do not interact), then sliced.
            every: list[torch.Tensor] = []
            out_all = model(self.everything, keep=every)
            train_loss, train_acc = self._scores(out_all[:n_tr], self.Ytr)
            test_loss, test_acc = self._scores(out_all[n_tr:n_tr + n_te], self.Yte)
            grid_out = out_all[n_tr + n_te:]
        keep = [a[:n_tr] for a in every]
        grid_keep = [a[n_tr + n_te:] for a in every]
        n_grid = self.data.grid.shape[0]
        stats = []
        for a in keep:
            varying = (a.amax(0) - a.amin(0)) > 1e-6  # (width,) a neuron that never varies is dead
            stats.append({"mean": float(a.mean()), "std": float(a.std(correction=0)),
                          "dead": float(1.0 - varying.to(a.dtype).mean()),
                          "saturated": _saturated(a, self.activation)})
        out = grid_out[:n_grid]
        visual: dict[str, Any] = {
            "thumbs": [g[n_grid:, :SHOWN].numpy().T.astype(np.float32) for g in grid_keep],  # per layer (shown, t·t)
        }
        if self.classify and self.loss == "cross_entropy":
            proba = torch.softmax(out, 1)
            conf, cls = proba.max(1)
            visual.update(grid_class=cls.numpy().astype(np.uint8), grid_conf=conf.numpy().astype(np.float32),
                          grid_p1=proba[:, 1].numpy().astype(np.float32))
        elif self.classify:
            p1 = out[:, 0].clamp(0, 1)
            visual.update(grid_class=(p1 > 0.5).numpy().astype(np.uint8),
                          grid_conf=torch.maximum(p1, 1 - p1).numpy().astype(np.float32),
                          grid_p1=p1.numpy().astype(np.float32))
        else:
            visual.update(grid_pred=out[:, 0].numpy().astype(np.float32))
        if keep:
            # One range for all layers: mean ± 3 std, within each layer's min..max (a few ReLU outliers would
            # otherwise squash everything into the first bin); values outside count in the end bins.
            lo = min(max(float(a.min()), s["mean"] - 3 * s["std"]) for a, s in zip(keep, stats, strict=True))
            hi = max(min(float(a.max()), s["mean"] + 3 * s["std"]) for a, s in zip(keep, stats, strict=True))
            hi = hi if hi > lo else lo + 1.0
            counts = torch.stack([torch.histc(a.clamp(lo, hi), HIST_BINS, lo, hi) / a.numel() for a in keep])
            visual.update(hist=counts.numpy().astype(np.float32), hist_range=(lo, hi))
        return {"train_loss": train_loss, "test_loss": test_loss, "train_accuracy": train_acc,
                "test_accuracy": test_acc, "activation_stats": stats, "visual": visual}

    def shown_weights(self) -> list[np.ndarray]:
        """Each layer's weight ``(out, in)`` cut to the drawn neurons, as float64 rounded to 5 places."""
        out = []
        for i, w in enumerate(self.model.weights):
            rows = w.shape[0] if i == len(self.model.weights) - 1 else SHOWN
            cols = w.shape[1] if i == 0 else SHOWN
            out.append(np.round(w.detach()[:rows, :cols].numpy().astype(np.float64), 5))
        return out


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f}%"


def _gradient_note(norms: Sequence[float]) -> str:
    if len(norms) < 3 or norms[-1] <= 0:
        return ""
    ratio = norms[0] / norms[-1]
    if ratio < 0.01:
        return (f" The first layer's gradient is {1 / ratio:,.0f}× smaller than the last layer's: the gradient "
                "vanishes on its way back, so the early layers barely learn.")
    if ratio > 100:
        return f" The first layer's gradient is {ratio:,.0f}× the last layer's: the gradient explodes going back."
    return ""


def _dead_note(stats: Sequence[dict[str, float]]) -> str:
    worst = max(range(len(stats)), key=lambda i: stats[i]["dead"], default=None)
    if worst is None or stats[worst]["dead"] < 0.5:
        return ""
    return f" {stats[worst]['dead']:.0%} of layer {worst + 1}'s neurons are dead (constant on every input)."


def _diverged_caption(epoch: int, loss: float, lr: float, l2: float, optimizer: str) -> str:
    what = "became NaN" if not math.isfinite(loss) else f"exploded to {loss:.3g}"
    caption = f"Training diverged at epoch {epoch}: the loss {what}. "
    factor = 1 - 2 * lr * l2
    if l2 > 0 and optimizer in ("sgd", "momentum", "nesterov") and factor < -1:
        caption += (f"With lr {lr:g} and L2 {l2:g}, each step multiplies every weight by 1 − 2·lr·L2 = {factor:.3g}: "
                    "the L2 pull overshoots zero and the weights grow and flip sign. TensorFlow Playground says "
                    f"'you can't break it', but this breaks it. Try a learning rate below {1 / (2 * l2):.2g} "
                    "or a smaller L2.")
    else:
        caption += (f"The steps of lr {lr:g} overshoot and the weights blow up. Try a smaller learning rate "
                    f"(e.g. {lr / 10:g}), Adam, or batch normalisation.")
    return caption


def run(
    data: Data,
    *,
    hidden_layers: Sequence[int],
    activation: str,
    leaky_slope: float,
    init: str,
    dropout: float,
    batch_norm: bool,
    l1: float,
    l2: float,
    loss: str,
    optimizer: str,
    lr: float,
    schedule: str,
    batch_size: int,
    epochs: int,
    frame_every: int,
    rng: np.random.Generator,
    dtype: torch.dtype = torch.float32,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (epoch 0), ``epoch`` …, then ``done`` (or ``diverged``). ``loss`` is resolved:
    ``cross_entropy`` or ``mse``. Randomness: three torch generators seeded from ``rng`` (init, batches, dropout)."""
    t = _Trainer(data, hidden_layers=hidden_layers, activation=activation, leaky_slope=leaky_slope, init=init,
                 dropout=dropout, batch_norm=batch_norm, l1=l1, l2=l2, loss=loss, optimizer=optimizer, lr=lr,
                 schedule=schedule, batch_size=batch_size, epochs=epochs, rng=rng, dtype=dtype)
    marks = frame_epochs(epochs, frame_every)
    history: dict[str, list[Any]] = {"epoch": [], "train_loss": [], "test_loss": [], "train_accuracy": [],
                                     "test_accuracy": [], "grad_norms": []}
    widths = "-".join(str(w) for w in [data.X_train.shape[1], *hidden_layers, t.model.weights[-1].shape[0]])
    n_params = sum(p.numel() for p in t.model.parameters())
    previous = math.nan
    epoch = 0
    ev: dict[str, Any] = {}
    last_visual: dict[str, Any] = {}
    diverged = False
    t.full_batch_gradients()
    for epoch in range(epochs + 1):
        if epoch > 0:
            t.epoch()
            if not math.isfinite(t.last_objective) or t.last_objective > EXPLODED:
                diverged = True
        if epoch not in marks and not diverged:
            continue
        ev = t.evaluate()
        if diverged or not math.isfinite(ev["train_loss"]) or ev["train_loss"] > EXPLODED:
            diverged = True
            bad = t.last_objective if epoch and not math.isfinite(ev["train_loss"]) else ev["train_loss"]
            caption = _diverged_caption(epoch, bad, lr, l2, optimizer)
            gone: dict[str, Any] = {"epoch": epoch, "train_loss": None, "test_loss": None, "train_accuracy": None,
                     "test_accuracy": None, "grad_norms": None, "weights": None, "activation_stats": None,
                     "diverged": True}
            # The picture stays on the last good frame (its visual), so the learner sees where it broke from.
            yield Frame("diverged", caption, gone, {}, visual=last_visual)
            break
        norms = t.grad_norms()
        history["epoch"].append(epoch)
        for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            history[key].append(math.nan if ev[key] is None else ev[key])
        history["grad_norms"].append(norms)
        state: dict[str, Any] = {
            "epoch": epoch, "lr": float(t.opt.param_groups[0]["lr"]),
            "train_loss": ev["train_loss"], "test_loss": ev["test_loss"],
            "grad_norms": norms, "weights": t.shown_weights(), "activation_stats": ev["activation_stats"],
        }
        metrics = {"train_loss": ev["train_loss"], "test_loss": ev["test_loss"]}
        if t.classify:
            state.update(train_accuracy=ev["train_accuracy"], test_accuracy=ev["test_accuracy"])
            metrics.update(train_accuracy=ev["train_accuracy"], test_accuracy=ev["test_accuracy"])
        acc = f", test accuracy {_pct(ev['test_accuracy'])}" if t.classify else ""
        if epoch == 0:
            kind = "init"
            caption = (f"Epoch 0: a {widths} {activation} network ({n_params} parameters, {init} init) before "
                       f"training: train loss {ev['train_loss']:.4g}{acc}.")
        elif epoch == epochs:
            kind = "done"
            caption = (f"Done after {epochs} epochs: train loss {ev['train_loss']:.4g}, test loss "
                       f"{ev['test_loss']:.4g}{acc}.")
            if t.classify and (ev["train_accuracy"] or 0) - (ev["test_accuracy"] or 0) > 0.1:
                caption += " Train accuracy is well above test accuracy: the network overfits."
        else:
            kind = "epoch"
            caption = (f"Epoch {epoch}/{epochs} (lr {state['lr']:.3g}): train loss {previous:.4g} → "
                       f"{ev['train_loss']:.4g}, test loss {ev['test_loss']:.4g}{acc}.")
        caption += _gradient_note(norms) + _dead_note(ev["activation_stats"])
        previous = ev["train_loss"]
        visual = dict(ev["visual"])
        visual["history"] = {k: np.array(v, dtype=np.float64) for k, v in history.items()}
        visual["weights"] = [w.copy() for w in state["weights"]]
        last_visual = visual
        yield Frame(kind, caption, state, metrics, visual=visual)
    return {
        "train_accuracy": None if diverged else ev.get("train_accuracy"),
        "test_accuracy": None if diverged else ev.get("test_accuracy"),
        "final_train_loss": None if diverged else ev.get("train_loss"),
        "final_test_loss": None if diverged else ev.get("test_loss"),
        "epochs_run": epoch,
        "diverged": diverged,
        "weights": [w.detach().numpy().astype(np.float64) for w in t.model.weights],
        "biases": [b.detach().numpy().astype(np.float64) for b in t.model.biases],
    }
