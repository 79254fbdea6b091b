"""The recurrent nets of the rnn lab (issue 17): ``torch.nn.RNN`` / ``LSTM`` / ``GRU`` (batch_first) and a linear
head on the last time step's output, with what the frames read of them.

* ``SeqNet.forward(x, bptt)``: the training forward pass. Truncated backpropagation through time with a
  many-to-one loss: the first ``T − bptt`` steps run under ``no_grad`` (their hidden state enters the last
  ``bptt`` steps detached), so the gradient reaches back at most ``bptt`` steps; ``bptt = 0`` is the full window.
* ``step_grads``: ‖∂L/∂h_t‖ for every t of a window, the net run one step at a time through its own module and
  ``autograd.grad`` taken onto each step's hidden state (full backpropagation; the test checks them against
  ``retain_grad`` on a hand-written cell).
* ``gates``: the first layer's gate activations recomputed from ``weight_ih_l0`` / ``weight_hh_l0`` / the
  biases (LSTM input, forget, output gates and cell candidate; GRU reset and update gates and candidate), with the
  recomputed h_t (and c_t) that the test checks against the module's outputs.

Shapes: ``x`` (B, T, 1) float32; hidden states (B, H) per step (the top layer).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from app.engines.cnn_model import default_init

CELLS: dict[str, Callable[..., nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
GATE_NAMES = {"lstm": ("input", "forget", "output", "candidate"), "gru": ("reset", "update", "candidate")}
"""The gates ``gates`` returns, in order (PyTorch's own order is i, f, g, o for the LSTM, r, z, n for the GRU)."""


class SeqNet(nn.Module):
    """A recurrent layer stack and a linear head reading its last output: ``(B, T, 1) → (B, out)``."""

    def __init__(
        self,
        cell: str,
        hidden: int,
        layers: int,
        out: int,
        *,
        generator: torch.Generator,
        forget_bias: float = 0.0,
    ) -> None:
        super().__init__()
        self.cell = cell
        self.hidden = hidden
        self.rnn = CELLS[cell](1, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, out)
        bound = 1.0 / math.sqrt(hidden)  # RNNBase.reset_parameters, drawn from the run's generator
        with torch.no_grad():
            for weight in self.rnn.parameters():
                nn.init.uniform_(weight, -bound, bound, generator=generator)
            if cell == "lstm" and forget_bias:
                for k in range(layers):
                    getattr(self.rnn, f"bias_ih_l{k}")[hidden : 2 * hidden] += forget_bias
        default_init(self.head, generator)

    def forward(self, x: torch.Tensor, bptt: int = 0) -> torch.Tensor:
        steps = int(x.shape[1])
        if 0 < bptt < steps:
            with torch.no_grad():
                _, state = self.rnn(x[:, : steps - bptt])
            out, _ = self.rnn(x[:, steps - bptt :], state)
        else:
            out, _ = self.rnn(x)
        logits: torch.Tensor = self.head(out[:, -1])
        return logits

    def outputs(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, H) the top layer's hidden state at every step."""
        out: torch.Tensor = self.rnn(x)[0]
        return out


def _top(state: Any) -> torch.Tensor:
    """The hidden-state tensor (layers, B, H) of a step's state (an LSTM's is ``(h, c)``)."""
    h: torch.Tensor = state[0] if isinstance(state, tuple) else state
    return h


def step_grads(net: SeqNet, x: torch.Tensor, loss_fn: Any, target: torch.Tensor) -> tuple[torch.Tensor, list[float]]:
    """The loss of ``x`` with the net run one step at a time, and ‖∂L/∂h_t‖ of the top layer's hidden state for
    every t (over the batch and the units): ``torch.autograd.grad`` of the loss with respect to every step's state
    tensor, the values ``retain_grad`` + ``backward`` would leave on them (the test checks it against a cell
    written by hand), while the parameters' ``.grad`` stay untouched."""
    state: Any = None
    hs: list[torch.Tensor] = []
    for t in range(int(x.shape[1])):
        _, state = net.rnn(x[:, t : t + 1], state)
        hs.append(_top(state))
    loss = loss_fn(net.head(hs[-1][-1]), target)
    grads = torch.autograd.grad(loss, hs, allow_unused=True)
    norms = [0.0 if g is None else float(g[-1].norm()) for g in grads]
    return loss.detach(), norms


def gates(net: SeqNet, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The first layer's gates over one sequence ``x`` (T, 1), recomputed from its weights: each gate (T, H), and
    the recomputed ``h`` (T, H) (an LSTM's ``c`` too). A plain RNN has none: ``{}``."""
    if net.cell == "rnn":
        return {}
    rnn = net.rnn
    w_ih: torch.Tensor = getattr(rnn, "weight_ih_l0")  # noqa: B009 (typed: the module's attribute is a Parameter)
    w_hh: torch.Tensor = getattr(rnn, "weight_hh_l0")  # noqa: B009
    b_ih: torch.Tensor = getattr(rnn, "bias_ih_l0")  # noqa: B009
    b_hh: torch.Tensor = getattr(rnn, "bias_hh_l0")  # noqa: B009
    H = net.hidden
    h = torch.zeros(H, dtype=w_ih.dtype)
    c = torch.zeros(H, dtype=w_ih.dtype)
    rows: dict[str, list[torch.Tensor]] = {name: [] for name in GATE_NAMES[net.cell]}
    rows["h"] = []
    if net.cell == "lstm":
        rows["c"] = []
    with torch.no_grad():
        for t in range(int(x.shape[0])):
            xi = x[t].to(w_ih.dtype) @ w_ih.T + b_ih  # (kH,)
            hh = h @ w_hh.T + b_hh
            if net.cell == "lstm":
                z = xi + hh
                i, f = torch.sigmoid(z[:H]), torch.sigmoid(z[H : 2 * H])
                g, o = torch.tanh(z[2 * H : 3 * H]), torch.sigmoid(z[3 * H :])
                c = f * c + i * g
                h = o * torch.tanh(c)
                for name, value in zip(GATE_NAMES["lstm"], (i, f, o, g), strict=True):
                    rows[name].append(value)
                rows["c"].append(c)
            else:
                r = torch.sigmoid(xi[:H] + hh[:H])
                u = torch.sigmoid(xi[H : 2 * H] + hh[H : 2 * H])
                n = torch.tanh(xi[2 * H :] + r * hh[2 * H :])
                h = (1 - u) * n + u * h
                for name, value in zip(GATE_NAMES["gru"], (r, u, n), strict=True):
                    rows[name].append(value)
            rows["h"].append(h)
    return {name: torch.stack(values) for name, values in rows.items()}
