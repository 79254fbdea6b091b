"""The activations lab: each activation and its derivative (by autograd), softmax, and a signal pushed
through a deep stack layer by layer with the backward gradient at each layer.

Shapes: curves over ``x`` (m,); the stack's activations ``(n_samples, width)`` per layer. The stack has no
biases (so the picture is about the weights' scale), weight ``(width, width)`` per layer, filled by
``torch.nn.init`` with a generator seeded from the run's rng. The backward pass starts from an upstream
gradient ``g ~ N(0, 1)`` at the last layer (``out.backward(g)``).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
import torch

from app.engines.frame import Frame
from app.engines.nn_model import activation_fn, init_weight

CURVES = ("step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
HIST_BINS = 30


def curves(x: np.ndarray, leaky_slope: float) -> dict[str, dict[str, np.ndarray]]:
    """Per activation ``{"y": f(x), "dy": f'(x)}``, each (m,): the derivative comes from autograd."""
    out = {}
    for name in CURVES:
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        y = activation_fn(name, leaky_slope)(t)
        if y.requires_grad:
            (dy,) = torch.autograd.grad(y.sum(), t)
        else:  # the step function has no graph: its derivative is 0 almost everywhere
            dy = torch.zeros_like(t)
        out[name] = {"y": y.detach().numpy().copy(), "dy": dy.numpy().copy()}
    return out


def softmax(logits: Sequence[float]) -> np.ndarray:
    """softmax(z)ᵢ = exp(zᵢ) / Σ exp(zⱼ), via torch (shifted by max z inside)."""
    return torch.softmax(torch.tensor(list(logits), dtype=torch.float64), 0).numpy()


def _hist(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    counts = np.histogram(values, bins=HIST_BINS, range=(lo, hi))[0] / values.size
    return counts.astype(np.float64), lo, hi


def _saturated(values: np.ndarray, activation: str) -> float:
    """Fraction of outputs where sigmoid / tanh is flat (slope under 1 % of its peak); 0 for the others."""
    if activation == "sigmoid":
        return float((values * (1 - values) < 0.0025).mean())
    if activation == "tanh":
        return float((1 - values * values < 0.01).mean())
    return 0.0


def _caption(layer: int, activation: str, init: str, stat: dict[str, float], last_grad: float,
             identical: bool, saturated: float) -> str:
    text = (f"Layer {layer}: activations have mean {stat['mean']:.3g} and std {stat['std']:.3g}; the backward "
            f"gradient here has std {stat['grad_std']:.3g}")
    if last_grad > 0:
        text += f" ({stat['grad_std'] / last_grad:.3g}× the gradient arriving at the last layer)"
    text += "."
    if activation == "step":
        text += " The step function's slope is 0 everywhere, so no gradient flows back: why networks moved on."
    elif identical:
        text += f" With {init} init every neuron of the layer computes the same value: it acts like one neuron."
    elif stat["std"] < 1e-3:
        text += " The signal has all but died out."
    elif saturated > 0.2:
        text += (f" {saturated:.0%} of the {activation} outputs sit on its flat ends, where the slope is ≈ 0: "
                 "little gradient gets through.")
    return text


def run(
    *,
    activation: str,
    init: str,
    depth: int,
    width: int,
    n_samples: int,
    leaky_slope: float,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frame ``input`` (the N(0, 1) signal), then one ``layer`` frame per layer of the stack."""
    data_seed, init_seed, grad_seed = (int(s) for s in rng.integers(2**31, size=3))
    x = torch.randn(n_samples, width, generator=torch.Generator().manual_seed(data_seed), dtype=torch.float64)
    init_gen = torch.Generator().manual_seed(init_seed)
    weights = []
    for _ in range(depth):
        w = torch.empty(width, width, dtype=torch.float64)
        init_weight(w, init, init_gen)
        weights.append(w.requires_grad_(True))
    act = activation_fn(activation, leaky_slope)
    acts: list[torch.Tensor] = []
    h = x
    for w in weights:
        h = act(h @ w.T)
        if h.requires_grad:  # the step function cuts the graph: no gradient flows through it
            h.retain_grad()
        acts.append(h)
    upstream = torch.randn(h.shape, generator=torch.Generator().manual_seed(grad_seed), dtype=torch.float64)
    if h.requires_grad:
        h.backward(upstream)

    counts, lo, hi = _hist(x.numpy())
    yield Frame("input", f"The input: {n_samples} vectors of {width} values drawn from N(0, 1) (mean "
                         f"{float(x.mean()):.3g}, std {float(x.std()):.3g}). Step forward to push them through "
                         f"{depth} {activation} layers with {init} init.",
                {"layer": 0, "mean": float(x.mean()), "std": float(x.std()), "grad_std": None},
                {"std": float(x.std())},
                visual={"act_hist": counts, "act_range": (lo, hi)})
    stats: list[dict[str, float]] = []
    last_grad = float(acts[-1].grad.std()) if acts[-1].grad is not None else 0.0
    for layer, a in enumerate(acts, start=1):
        values = a.detach().numpy()
        grad = a.grad.numpy() if a.grad is not None else np.zeros_like(values)
        mean, std, grad_std = float(values.mean()), float(values.std()), float(grad.std())
        stats.append({"mean": mean, "std": std, "grad_std": grad_std})
        identical = width > 1 and bool(np.ptp(values, axis=1).max() < 1e-12)
        a_counts, a_lo, a_hi = _hist(values)
        g_counts, g_lo, g_hi = _hist(grad)
        yield Frame(
            "layer",
            _caption(layer, activation, init, stats[-1], last_grad, identical, _saturated(values, activation)),
            {"layer": layer, "mean": mean, "std": std, "grad_std": grad_std},
            {"std": std, "grad_std": grad_std},
            visual={"act_hist": a_counts, "act_range": (a_lo, a_hi), "grad_hist": g_counts,
                    "grad_range": (g_lo, g_hi), "layer_stats": [dict(s) for s in stats]},
        )
    return {"layer_stats": stats}
