"""The two networks the residual-network lab races: a plain deep MLP and the same MLP with identity skips.

Both are ``DeepMLP``: ``depth`` linear layers, ``2 → width`` (the input layer), ``depth − 2`` hidden
``width → width`` layers, ``width → K`` (the output layer). Each of the first ``depth − 1`` layers is
linear → (batch norm) → activation. The residual net adds its input back around every hidden layer,
``h ← h + act(BN(W h + b))``: the only difference, so the two start from one state_dict (the plain net's
weights, drawn once with torch.nn.Linear's own init from a seeded generator) and see the same batches.

Shapes: inputs ``(n, 2)``; layer ``l`` has weight ``(out_l, in_l)``, bias ``(out_l,)`` as ``torch.nn.Linear``.
"""

from __future__ import annotations

import itertools
import math

import torch
from torch import nn

from app.engines.nn_model import activation_fn


class DeepMLP(nn.Module):
    """``depth`` linear layers; ``skip`` adds the identity around each hidden ``width → width`` layer."""

    def __init__(
        self, n_in: int, width: int, n_out: int, depth: int, *, activation: str, batch_norm: bool, skip: bool
    ) -> None:
        super().__init__()
        dims = [n_in, *([width] * (depth - 1)), n_out]
        self.linears = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.pairwise(dims))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in range(depth - 1)) if batch_norm else None
        self.act = activation_fn(activation)
        self.skip = skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(n, n_out)`` of inputs ``(n, n_in)``."""
        *hidden, last = self.linears
        for i, linear in enumerate(hidden):
            z = linear(x)
            if self.norms is not None:
                z = self.norms[i](z)
            z = self.act(z)
            x = x + z if self.skip and i > 0 else z  # the input layer changes the width: no identity around it
        out: torch.Tensor = last(x)
        return out


def reset(model: DeepMLP, generator: torch.Generator) -> None:
    """torch.nn.Linear's own init (weights and biases U(−1/√fan_in, 1/√fan_in)), drawn from ``generator``,
    layer by layer, weight then bias."""
    with torch.no_grad():
        for linear in model.linears:
            assert isinstance(linear, nn.Linear)
            nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=generator)
            bound = 1.0 / math.sqrt(linear.in_features)
            nn.init.uniform_(linear.bias, -bound, bound, generator=generator)


def pair(
    n_in: int, width: int, n_out: int, depth: int, *, activation: str, batch_norm: bool, generator: torch.Generator
) -> tuple[DeepMLP, DeepMLP]:
    """(plain, residual): the plain net's weights drawn from ``generator``, the residual net given the same."""
    plain = DeepMLP(n_in, width, n_out, depth, activation=activation, batch_norm=batch_norm, skip=False)
    reset(plain, generator)
    residual = DeepMLP(n_in, width, n_out, depth, activation=activation, batch_norm=batch_norm, skip=True)
    residual.load_state_dict(plain.state_dict())
    return plain, residual


def grad_norms(model: DeepMLP) -> list[float]:
    """‖∂L/∂W_l‖ (Frobenius) of every linear layer's weight, input layer first (0 where no gradient yet).

    Summed in float64: a float32 gradient of ~1e20 (batch norm over two points) is finite, but its square is not
    in float32, so a float32 norm came out inf for a finite gradient."""
    norms = []
    for linear in model.linears:
        assert isinstance(linear, nn.Linear)
        grad = linear.weight.grad
        norms.append(grad.double().norm() if grad is not None else torch.zeros((), dtype=torch.float64))
    return [float(v) for v in torch.stack(norms).tolist()]
