"""The network of the neural-network lab: input features, a plain MLP, weight init, optimisers, schedules.

Everything random takes an explicit ``torch.Generator``: parameters are created empty (``torch.empty``,
which draws nothing) and filled by ``torch.nn.init`` with that generator, and dropout masks are drawn
from a generator too (``nn.Dropout`` would use the global RNG). Shapes: inputs ``(n, d_in)``; layer ``i``
has weight ``(out_i, in_i)`` and bias ``(out_i,)`` as in ``torch.nn.Linear``. ``Trainer`` is one run's
training loop and the read-outs its frames are drawn from (``app.engines.neural`` writes the frames).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from app.core.budget import checkpoint

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
INITS = ("zeros", "constant", "uniform", "normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
SCHEDULES = ("constant", "step", "exponential", "cosine")
CONSTANT_INIT = 0.1
"""Every weight gets this value under ``init="constant"``: all neurons of a layer stay identical."""
MOMENTUM = 0.9

# TensorFlow Playground's input features, as functions of the (standardised) coordinates (n, 2) or (n, 1).
FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1_sq": lambda X: X[:, 0] ** 2,
    "x2_sq": lambda X: X[:, 1] ** 2,
    "x1_x2": lambda X: X[:, 0] * X[:, 1],
    "sin_x1": lambda X: np.sin(X[:, 0]),
    "sin_x2": lambda X: np.sin(X[:, 1]),
}
FEATURES_OF_X1 = ("x1", "x1_sq", "sin_x1")
"""The features a 1-D dataset (the sine) has: the others need x₂."""


def feature_map(X: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """The network's inputs ``(n, len(features))`` from coordinates ``X`` (n, 2) or (n, 1)."""
    return np.column_stack([FEATURES[f](X) for f in features]).astype(np.float64)


def activation_fn(name: str, slope: float = 0.01) -> Callable[[torch.Tensor], torch.Tensor]:
    """The element-wise activation ``name`` (``slope``: leaky ReLU's negative slope)."""
    table: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
        "linear": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, slope),
        "elu": F.elu,
        "gelu": F.gelu,
        "step": lambda z: (z > 0).to(z.dtype),
    }
    return table[name]


def init_weight(weight: torch.Tensor, init: str, generator: torch.Generator) -> None:
    """Fill one weight ``(out, in)`` in place. He init assumes ReLU (gain √2, fan-in), Xavier gain 1."""
    with torch.no_grad():
        if init == "zeros":
            weight.zero_()
        elif init == "constant":
            weight.fill_(CONSTANT_INIT)
        elif init == "uniform":
            nn.init.uniform_(weight, -1.0, 1.0, generator=generator)
        elif init == "normal":
            nn.init.normal_(weight, 0.0, 1.0, generator=generator)
        elif init == "xavier_uniform":
            nn.init.xavier_uniform_(weight, generator=generator)
        elif init == "xavier_normal":
            nn.init.xavier_normal_(weight, generator=generator)
        elif init == "he_uniform":
            nn.init.kaiming_uniform_(weight, nonlinearity="relu", generator=generator)
        else:
            nn.init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)


class MLP(nn.Module):
    """Linear → (batch norm) → activation → (dropout) per hidden layer, then a linear output layer."""

    def __init__(
        self,
        n_in: int,
        hidden: Sequence[int],
        n_out: int,
        *,
        activation: str,
        leaky_slope: float = 0.01,
        dropout: float = 0.0,
        batch_norm: bool = False,
        init: str = "xavier_uniform",
        generator: torch.Generator,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        widths = [n_in, *hidden, n_out]
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for a, b in itertools.pairwise(widths):
            weight = torch.empty(b, a, dtype=dtype)
            init_weight(weight, init, generator)
            self.weights.append(nn.Parameter(weight))
            self.biases.append(nn.Parameter(torch.zeros(b, dtype=dtype)))
        self.norms = nn.ModuleList(nn.BatchNorm1d(w, dtype=dtype) for w in hidden) if batch_norm else None
        # Plain lists for the forward loop: indexing a ParameterList costs more than the small matmuls.
        self._layers = list(zip(self.weights, self.biases, strict=True))
        self._norms = list(self.norms) if self.norms is not None else None
        self.act = activation_fn(activation, leaky_slope)
        self.dropout = dropout

    def forward(
        self, x: torch.Tensor, dropout_gen: torch.Generator | None = None, keep: list[torch.Tensor] | None = None
    ) -> torch.Tensor:
        """Outputs ``(n, n_out)``; ``keep`` collects each hidden layer's activations ``(n, width)``."""
        *hidden, (w_out, b_out) = self._layers
        for i, (w, b) in enumerate(hidden):
            x = F.linear(x, w, b)
            if self._norms is not None:
                x = self._norms[i](x)
            x = self.act(x)
            if keep is not None:
                keep.append(x)
            if self.training and self.dropout > 0:
                mask = torch.rand(x.shape, generator=dropout_gen, dtype=x.dtype) >= self.dropout
                x = x * mask / (1.0 - self.dropout)
        return F.linear(x, w_out, b_out)


def make_optimizer(name: str, params: Sequence[nn.Parameter], lr: float) -> torch.optim.Optimizer:
    """torch.optim's optimiser ``name`` (momentum / Nesterov use momentum 0.9)."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM, nesterov=True)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.Adam(params, lr=lr)


def make_schedule(name: str, optimizer: torch.optim.Optimizer, epochs: int) -> torch.optim.lr_scheduler.LRScheduler:
    """Stepped once per epoch: step halves the rate every quarter of the run, exponential ends at lr/100,
    cosine anneals to 0 at the last epoch."""
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, epochs // 4), gamma=0.5)
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.01 ** (1.0 / max(epochs, 1)))
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(epochs, 1))
    return torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)


def penalty(model: MLP, l1: float, l2: float) -> torch.Tensor | None:
    """``l1·Σ|W| + l2·ΣW²`` over weights (not biases), or None when both are 0 (no extra graph)."""
    if l1 == 0 and l2 == 0:
        return None
    total = torch.zeros((), dtype=model.weights[0].dtype)
    for w in model.weights:
        if l1:
            total = total + l1 * w.abs().sum()
        if l2:
            total = total + l2 * (w * w).sum()
    return total


SCALE_LIMIT = 5.0
"""Coordinates beyond ±this (blobs, wide inline data) are standardised; smaller ones are used as they are,
so sin x₁ of the sine set is the true sine."""


def scale_inputs(X: np.ndarray) -> tuple[np.ndarray, bool]:
    """``X`` as is when every |coordinate| ≤ ``SCALE_LIMIT``, else columns to zero mean, unit variance.

    Returns the coordinates the network sees and whether they were standardised."""
    if float(np.abs(X).max()) <= SCALE_LIMIT:
        return X.astype(np.float64), False
    # Divide by each column's largest |value| first: standardising does not change, and the squares inside
    # the std cannot overflow for values near the float64 limit (1e308).
    peak = np.abs(X).max(axis=0)
    X = X / np.where(peak > 0, peak, 1.0)
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0), True


def split_indices(n: int, test_fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fixed train/test split (part of the data, like the data seed): (train idx, test idx), sorted."""
    perm = np.random.default_rng(seed).permutation(n)
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    return np.sort(perm[n_test:]), np.sort(perm[:n_test])


def grid_axes(X: np.ndarray, size: int) -> list[np.ndarray]:
    """Per coordinate, ``size`` evenly spaced values spanning the data with a 10 % margin."""
    axes = []
    for j in range(X.shape[1]):
        lo, hi = float(X[:, j].min()), float(X[:, j].max())
        pad = 0.1 * (hi - lo) if hi > lo else 1.0
        axes.append(np.linspace(lo - pad, hi + pad, size))
    return axes


def grid_points(axes: Sequence[np.ndarray]) -> np.ndarray:
    """The grid as coordinates: ``(g*g, 2)`` row-major (y outer, x inner) for 2-D, ``(g, 1)`` for 1-D."""
    if len(axes) == 1:
        return axes[0][:, None].copy()
    gx, gy = np.meshgrid(axes[0], axes[1])
    return np.column_stack([gx.ravel(), gy.ravel()])


HIST_BINS = 24


@dataclass(frozen=True)
class TrainConfig:
    """One run's hyperparameters, built once from the lab's params (``loss`` resolved, ``batch_size`` clamped)."""

    hidden_layers: tuple[int, ...] = (8, 8)  # width of each hidden layer; () is logistic / linear regression
    activation: str = "tanh"  # of every hidden neuron: one of ACTIVATIONS
    leaky_slope: float = 0.01  # negative slope of leaky_relu
    init: str = "xavier_uniform"  # weight init, one of INITS (biases start at 0)
    dropout: float = 0.0  # probability of dropping a hidden neuron while training
    batch_norm: bool = False  # batch normalisation after each hidden linear layer
    l1: float = 0.0  # adds l1·Σ|W| over the weights to the loss
    l2: float = 0.0  # adds l2·ΣW² over the weights to the loss
    loss: str = "cross_entropy"  # "cross_entropy" (class labels) or "mse" (targets, or 0/1 labels)
    optimizer: str = "adam"  # one of OPTIMIZERS, torch.optim's
    lr: float = 0.03  # the optimiser's learning rate (before the schedule)
    schedule: str = "constant"  # learning-rate schedule stepped per epoch: one of SCHEDULES
    batch_size: int = 10  # rows per mini-batch, at most the training rows
    epochs: int = 100  # passes over the training set


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


class Trainer:
    """The model, optimiser, schedule and generators of one run, plus its frame bookkeeping."""

    def __init__(
        self, config: TrainConfig, data: Data, *, rng: np.random.Generator, shown: int, dtype: torch.dtype
    ) -> None:
        """``shown``: neurons per hidden layer the frames carry (the view's drawing size)."""
        init_seed, batch_seed, dropout_seed = (int(s) for s in rng.integers(2**31, size=3))
        self.config, self.data, self.shown = config, data, shown
        self.classify = data.n_classes > 0
        n_out = data.n_classes if config.loss == "cross_entropy" else 1
        self.model = MLP(
            data.X_train.shape[1],
            config.hidden_layers,
            n_out,
            activation=config.activation,
            leaky_slope=config.leaky_slope,
            dropout=config.dropout,
            batch_norm=config.batch_norm,
            init=config.init,
            dtype=dtype,
            generator=torch.Generator().manual_seed(init_seed),
        )
        self.opt = make_optimizer(config.optimizer, list(self.model.parameters()), config.lr)
        self.sched = make_schedule(config.schedule, self.opt, config.epochs)
        self.batch_gen = torch.Generator().manual_seed(batch_seed)
        self.drop_gen = torch.Generator().manual_seed(dropout_seed)
        self.Xtr = torch.as_tensor(data.X_train, dtype=dtype)
        self.Xte = torch.as_tensor(data.X_test, dtype=dtype)
        self.Ytr, self.Yte = self._targets(data.y_train, dtype), self._targets(data.y_test, dtype)
        grids = torch.as_tensor(np.concatenate([data.grid, data.thumbs]), dtype=dtype)
        self.everything = torch.cat([self.Xtr, self.Xte, grids])  # (n_train + n_test + g·g + t·t, d_in)
        self.last_objective = 0.0
        self.worst_objective = 0.0  # the largest mini-batch objective of the last epoch (inf/NaN stops it)
        self.last_finite = math.nan  # the last finite mini-batch objective before that

    def _targets(self, y: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        if self.config.loss == "cross_entropy":
            return torch.as_tensor(y, dtype=torch.long)
        return torch.as_tensor(y, dtype=dtype).reshape(-1, 1)

    def objective(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if self.config.loss == "cross_entropy":
            return F.cross_entropy(out, target)
        return F.mse_loss(out, target)

    def epoch(self) -> None:
        """One pass over the shuffled training set in mini-batches, then one schedule step."""
        model, n = self.model, self.Xtr.shape[0]
        model.train()
        perm = torch.randperm(n, generator=self.batch_gen)
        self.worst_objective = 0.0
        batch = self.config.batch_size
        for start in range(0, n, batch):
            checkpoint()  # per mini-batch (~0.2 µs; a step is ~0.5 ms): at batch 1, an epoch of 2,500 rows is ~1 s
            idx = perm[start : start + batch]
            if self.config.batch_norm and idx.numel() < 2:
                continue  # batch norm needs two rows to estimate a variance
            self.opt.zero_grad()
            obj = self.objective(model(self.Xtr[idx], self.drop_gen), self.Ytr[idx])
            extra = penalty(model, self.config.l1, self.config.l2)
            if extra is not None:
                obj = obj + extra
            self.last_objective = float(obj.detach())
            if not math.isfinite(self.last_objective):
                self.worst_objective = self.last_objective
                return  # no step from a NaN/inf loss: the run ends on a "diverged" frame
            self.worst_objective = max(self.worst_objective, self.last_objective)
            self.last_finite = self.last_objective
            torch.autograd.backward(obj)  # obj.backward(), typed
            self.opt.step()
        self.sched.step()

    def full_batch_gradients(self) -> None:
        """Before training: the gradient of the loss on the whole training set (eval mode, no step)."""
        self.model.eval()
        self.opt.zero_grad()
        torch.autograd.backward(self.objective(self.model(self.Xtr), self.Ytr))

    def grad_norms(self) -> list[float]:
        return [float(w.grad.norm()) if w.grad is not None else 0.0 for w in self.model.weights]

    def blowup(self) -> tuple[str, int | None] | None:
        """The first thing that stopped being a finite number: ("loss", None), ("gradient", layer) or
        ("weights", layer) with layers counted from 1, or None when every parameter and gradient is finite."""
        if not math.isfinite(self.worst_objective):
            return "loss", None
        for what, tensors in (("gradient", [w.grad for w in self.model.weights]), ("weights", [*self.model.weights])):
            for i, x in enumerate(tensors, start=1):
                if x is not None and not bool(torch.isfinite(x).all()):
                    return what, i
        for i, b in enumerate(self.model.biases, start=1):
            if not bool(torch.isfinite(b).all()):
                return "weights", i
        return None

    def identical_neurons(self) -> list[bool]:
        """Per hidden layer: do all its neurons (≥ 2) have the same incoming weights and bias? Identical neurons
        compute the same output and get the same gradient, so plain gradient steps keep them identical."""
        out = []
        for w, b in zip(self.model.weights[:-1], self.model.biases[:-1], strict=True):
            wb = torch.cat([w.detach(), b.detach()[:, None]], 1)  # (width, d_in + 1)
            spread = float((wb - wb[0]).abs().max())
            out.append(wb.shape[0] > 1 and spread <= 1e-6 * (1.0 + float(wb.abs().max())))
        return out

    def parameters_copy(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Every layer's weight ``(out, in)`` and bias ``(out,)`` as float64 copies."""
        return (
            [w.detach().numpy().astype(np.float64) for w in self.model.weights],
            [b.detach().numpy().astype(np.float64) for b in self.model.biases],
        )

    def same_output_rows(self) -> bool:
        w = self.model.weights[-1].detach()  # (n_out, width)
        return w.shape[0] > 1 and bool((w == w[0]).all())

    def zero_weight_layers(self) -> list[bool]:
        return [bool((w.detach() == 0).all()) for w in self.model.weights]

    def _scores(self, out: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        loss = float(self.objective(out, y))
        if not self.classify:
            return loss, None
        cross_entropy = self.config.loss == "cross_entropy"
        pred = out.argmax(1) if cross_entropy else (out[:, 0] > 0.5).long()
        truth = y if cross_entropy else y[:, 0].long()
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
            test_loss, test_acc = self._scores(out_all[n_tr : n_tr + n_te], self.Yte)
            grid_out = out_all[n_tr + n_te :]
        # Every tensor a frame is drawn from must be finite (NaN is not JSON, and histc rejects it).
        for i, a in enumerate(every, start=1):
            if not bool(torch.isfinite(a).all()):
                return {"blowup": ("activations", i)}
        if not bool(torch.isfinite(out_all).all()):
            return {"blowup": ("outputs", None)}
        keep = [a[:n_tr] for a in every]
        grid_keep = [a[n_tr + n_te :] for a in every]
        n_grid = self.data.grid.shape[0]
        stats = []
        for i, a in enumerate(keep, start=1):
            varying = (a.amax(0) - a.amin(0)) > 1e-6  # (width,) a neuron that never varies is dead
            stats.append(
                {
                    "mean": float(a.mean()),
                    "std": float(a.std(correction=0)),
                    "dead": float(1.0 - varying.to(a.dtype).mean()),
                    "saturated": _saturated(a, self.config.activation),
                }
            )
            if not all(math.isfinite(v) for v in stats[-1].values()):  # float32 std of huge values overflows
                return {"blowup": ("activations", i)}
        if not all(math.isfinite(v) for v in (train_loss, test_loss)):
            return {"blowup": ("loss", None)}
        out = grid_out[:n_grid]
        visual: dict[str, Any] = {
            "thumbs": [g[n_grid:, : self.shown].numpy().T.astype(np.float32) for g in grid_keep],  # (shown, t·t)
        }
        if self.classify and self.config.loss == "cross_entropy":
            proba = torch.softmax(out, 1)
            conf, cls = proba.max(1)
            visual.update(
                grid_class=cls.numpy().astype(np.uint8),
                grid_conf=conf.numpy().astype(np.float32),
                grid_p1=proba[:, 1].numpy().astype(np.float32),
            )
        elif self.classify:
            p1 = out[:, 0].clamp(0, 1)
            visual.update(
                grid_class=(p1 > 0.5).numpy().astype(np.uint8),
                grid_conf=torch.maximum(p1, 1 - p1).numpy().astype(np.float32),
                grid_p1=p1.numpy().astype(np.float32),
            )
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
        return {
            "train_loss": train_loss,
            "test_loss": test_loss,
            "train_accuracy": train_acc,
            "test_accuracy": test_acc,
            "activation_stats": stats,
            "visual": visual,
        }

    def shown_weights(self) -> list[np.ndarray]:
        """Each layer's weight ``(out, in)`` cut to the drawn neurons, as float64 rounded to 5 places."""
        out = []
        for i, w in enumerate(self.model.weights):
            rows = w.shape[0] if i == len(self.model.weights) - 1 else self.shown
            cols = w.shape[1] if i == 0 else self.shown
            out.append(np.round(w.detach()[:rows, :cols].numpy().astype(np.float64), 5))
        return out
