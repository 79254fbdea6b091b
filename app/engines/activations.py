"""The activations lab: each activation and its derivative (by autograd), softmax, and a signal pushed
through a deep stack layer by layer with the backward gradient at each layer.

Shapes: curves over ``x`` (m,); the stack's activations ``(n_samples, width)`` per layer. The stack has no
biases (so the picture is about the weights' scale), weight ``(width, width)`` per layer, filled by
``torch.nn.init`` with a generator seeded from the run's rng. The backward pass starts from an upstream
gradient ``g ~ N(0, 1)`` at the last layer (``out.backward(g)``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

import numpy as np
import torch

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, percent, plural
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
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):  # (near-)equal values: bins narrower than float spacing fail
        mid = (lo + hi) / 2
        lo, hi = mid - 0.5, mid + 0.5
    counts = np.histogram(values, bins=HIST_BINS, range=(lo, hi))[0] / values.size
    return counts.astype(np.float64), lo, hi


def _saturated(values: np.ndarray, activation: str) -> float:
    """Fraction of outputs where sigmoid / tanh is flat (slope under 1 % of its peak); 0 for the others."""
    if activation == "sigmoid":
        return float((values * (1 - values) < 0.0025).mean())
    if activation == "tanh":
        return float((1 - values * values < 0.01).mean())
    return 0.0


NAMES = {
    "step": "step",
    "linear": "linear",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
}
WEIGHT_STD = {"normal": 1.0, "uniform": 1 / 3**0.5}
"""The std of one weight under the inits whose scale ignores the layer width."""
ORDERS = 100.0
"""A signal or gradient that grew or shrank by this factor (two orders of magnitude) explodes or vanishes."""


def _times(x: float) -> str:
    """A ratio for "N× the gradient": "787", "10,000", "1.35×10^14" (separators up to a million, then powers)."""
    return f"{x:,.0f}" if 100 <= x < 1e6 else num(x, 3)


def _caption(
    layer: int,
    depth: int,
    width: int,
    activation: str,
    init: str,
    stat: dict[str, float],
    input_std: float,
    ratio: float | None,
    identical: bool,
    saturated: float,
) -> str:
    """What this layer's activations and backward gradient look like, and the one effect that explains them.
    ``ratio`` is this layer's gradient std over the last layer's (None when that is 0)."""
    std, grad_std = stat["std"], stat["grad_std"]
    text = (
        f"Layer {layer} of {depth}: activations have mean {num(stat['mean'], 3)} and std {num(std, 3)}; the "
        f"backward gradient here has std {num(grad_std, 3)}"
    )
    if activation == "step":
        text += "."
    elif layer == depth:
        text += " (the backward pass starts here, from a N(0, 1) gradient)."
    elif ratio is not None:
        text += f" ({_times(ratio)}× the gradient arriving at the last layer)."
    else:
        text += "."
    growth = std / input_std if input_std > 0 else 1.0
    per_layer = growth ** (1 / layer) if growth > 0 else 0.0
    he = activation in ("relu", "leaky_relu", "elu", "gelu")
    fix = (
        f"He init (weight std √(2/{width}) = {num((2 / width) ** 0.5, 3)})"
        if he
        else f"Xavier init (weight std √(1/{width}) = {num((1 / width) ** 0.5, 3)})"
    )
    grad_note = ""
    if ratio is not None and (ratio > ORDERS or 0 < ratio < 1 / ORDERS):
        step = ratio ** (1 / (depth - layer))  # the gradient's mean growth per layer on its way back
        grad_note = (
            f" The gradient explodes too on its way back (about ×{num(step, 3)} per layer), so the early "
            "layers would take huge steps."
            if ratio > ORDERS
            else f" The gradient vanishes too on its way back (about ×{num(step, 3)} per layer), so the early "
            "layers would barely learn."
        )
    if activation == "step":
        return text + (
            " The step function's slope is 0 everywhere (and undefined at the jump), so no gradient flows "
            "back and gradient descent cannot train it: that is why networks use smooth activations."
        )
    if identical:
        zero = " and the all-zero weights pass no gradient back" if grad_std == 0 and layer < depth else ""
        return text + (
            f" With {init} init every neuron of the layer computes the same value and gets the same "
            f"gradient{zero}: the layer acts like one neuron (the symmetry problem)."
        )
    if growth > ORDERS:
        why = (
            f" because weights of std {num(WEIGHT_STD[init], 3)} are too large for {width} inputs"
            if init in WEIGHT_STD
            else ""
        )
        return text + (
            f" The activations are exploding: their std grew from {num(input_std, 3)} to {num(std, 3)} "
            f"in {plural(layer, 'layer')} (about ×{num(per_layer, 3)} per layer){why}; {fix} keeps "
            f"a {NAMES[activation]} signal steady.{grad_note}"
        )
    if growth < 1 / ORDERS:
        return text + (
            f" The signal is vanishing: its std fell from {num(input_std, 3)} to {num(std, 3)} in "
            f"{plural(layer, 'layer')} (about ×{num(per_layer, 3)} per layer); {fix} keeps a "
            f"{NAMES[activation]} signal steady.{grad_note}"
        )
    if saturated > 0.2:
        text += f" {percent(saturated)} of the {NAMES[activation]} outputs sit on its flat ends, where the slope is ≈ 0"
        if ratio is not None and ratio < 0.1:
            return text + f": little gradient gets through, only {_times(ratio)}× the last layer's reaches here."
        if ratio is not None and ratio > 1:
            return text + (
                f"; yet the gradient here is {_times(ratio)}× the last layer's: the large weights "
                "amplify it more than the flat slopes damp it."
            )
        return text + "."
    return text + grad_note.replace(" too ", " ")


CHUNK_WORK = 2**26
"""Multiply-adds of one layer over all rows (n_samples × width²) above which the rows go through it in
chunks of at most this much work (~10-20 ms), a checkpoint before each. Rows never interact, so a chunk's
numbers are those of one pass up to BLAS's summation order (which can change with the row count); every
stack up to 2^26 (the defaults are 2^21) is one chunk, the very products of an unchunked pass."""


Chunks = list[torch.Tensor]
"""One layer's ``(n, width)`` values as consecutive row chunks (a single chunk below ``CHUNK_WORK``)."""


def _whole(chunks: Chunks) -> torch.Tensor:
    """The chunks as one ``(n, width)`` tensor: made a layer at a time, as the frames need it (all 20 layers of
    the largest stack at once would be 0.8 GB of copies between two checkpoints)."""
    return chunks[0].detach() if len(chunks) == 1 else torch.cat([c.detach() for c in chunks])


def _passes(
    x: torch.Tensor, weights: Sequence[torch.Tensor], act: Callable[[torch.Tensor], torch.Tensor], grad_seed: int
) -> tuple[list[Chunks], list[Chunks | None]]:
    """Each layer's outputs and the gradient of Σ upstream·(last outputs) at each (None where the step
    function cut the graph), upstream ~ N(0, 1) drawn from ``grad_seed``.

    The largest stack (20 layers of 512, 5,000 rows) is seconds of work, so both passes go a layer (and for
    large layers a chunk of rows, see ``CHUNK_WORK``) at a time with a checkpoint before each: forward, then
    backward layer by layer with ``autograd.grad`` (the products of one ``backward`` call, minus the weights'
    gradients, which nothing reads)."""
    n, width = x.shape
    rows = n if n * width * width <= CHUNK_WORK else max(1, CHUNK_WORK // (width * width))
    starts = range(0, n, rows)
    layers: list[Chunks] = []  # per layer, per chunk: (≤ rows, width)
    below = [x[s : s + rows] for s in starts]
    for w in weights:
        outputs = []
        for part in below:
            checkpoint()
            outputs.append(act(part @ w.T))
        layers.append(outputs)
        below = outputs
    upstream = torch.randn(x.shape, generator=torch.Generator().manual_seed(grad_seed), dtype=torch.float64)
    grads: list[Chunks | None] = [None] * len(weights)
    if layers[-1][0].requires_grad:  # the step function cuts the graph: no gradient flows through it
        grads[-1] = [upstream[s : s + rows] for s in starts]
        for i in range(len(weights) - 1, 0, -1):
            above = grads[i]
            if above is None or not layers[i - 1][0].requires_grad:
                break
            back = []
            for top, bottom, g in zip(layers[i], layers[i - 1], above, strict=True):
                checkpoint()
                back.append(torch.autograd.grad(top, bottom, grad_outputs=g)[0])
            grads[i - 1] = back
    return layers, grads


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
        checkpoint()  # drawing 20 weights of 512 × 512 (and x before them) is ~0.3 s in all
        w = torch.empty(width, width, dtype=torch.float64)
        init_weight(w, init, init_gen)
        weights.append(w.requires_grad_(True))
    acts, grads = _passes(x, weights, activation_fn(activation, leaky_slope), grad_seed)

    counts, lo, hi = _hist(x.numpy())
    x_mean, x_std = float(x.mean()), float(x.std(correction=0))  # population std, as for every layer
    yield Frame(
        "input",
        f"The input: {plural(n_samples, 'vector')} of {plural(width, 'value')} drawn from N(0, 1) "
        f"(mean {num(x_mean, 3)}, std {num(x_std, 3)}). Step forward to push them through "
        f"{plural(depth, NAMES[activation] + ' layer')} with {init} init.",
        {"layer": 0, "mean": x_mean, "std": x_std, "grad_std": None},
        {"std": x_std},
        visual={"act_hist": counts, "act_range": (lo, hi)},
    )
    stats: list[dict[str, float]] = []
    last = grads[-1]
    last_grad = float(_whole(last).std()) if last is not None else 0.0
    for layer, (a, g) in enumerate(zip(acts, grads, strict=True), start=1):
        checkpoint()
        values = _whole(a).numpy()
        grad = _whole(g).numpy() if g is not None else np.zeros_like(values)
        mean, std, grad_std = float(values.mean()), float(values.std()), float(grad.std())
        stats.append({"mean": mean, "std": std, "grad_std": grad_std})
        identical = width > 1 and bool(np.ptp(values, axis=1).max() < 1e-12)
        checkpoint()  # each statistic of 5,000 × 512 values takes tens of ms
        saturated = _saturated(values, activation)
        ratio = grad_std / last_grad if last_grad > 0 else None
        a_counts, a_lo, a_hi = _hist(values)
        checkpoint()
        g_counts, g_lo, g_hi = _hist(grad)
        yield Frame(
            "layer",
            _caption(layer, depth, width, activation, init, stats[-1], x_std, ratio, identical, saturated),
            {
                "layer": layer,
                "mean": mean,
                "std": std,
                "grad_std": grad_std,
                "grad_ratio": ratio,
                "growth": std / x_std,
                "identical_neurons": identical,
                "saturated": saturated,
            },
            {"std": std, "grad_std": grad_std},
            visual={
                "act_hist": a_counts,
                "act_range": (a_lo, a_hi),
                "grad_hist": g_counts,
                "grad_range": (g_lo, g_hi),
                "layer_stats": [dict(s) for s in stats],
            },
        )
    return {"layer_stats": stats}
