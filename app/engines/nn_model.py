"""The network of the neural-network lab: input features, a plain MLP, weight init, optimisers, schedules.

Everything random takes an explicit ``torch.Generator``: parameters are created empty (``torch.empty``,
which draws nothing) and filled by ``torch.nn.init`` with that generator, and dropout masks are drawn
from a generator too (``nn.Dropout`` would use the global RNG). Shapes: inputs ``(n, d_in)``; layer ``i``
has weight ``(out_i, in_i)`` and bias ``(out_i,)`` as in ``torch.nn.Linear``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

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
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1_sq": "x₁²", "x2_sq": "x₂²", "x1_x2": "x₁x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}
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
