"""The CNN lab's network (issue 15): a list of layer specs built into ``torch.nn`` modules, with each layer's output
shape and parameter count known before anything is trained — the layer table a learner reads.

Layer specs are plain dicts (the schema validates them): ``{"type": "conv", "filters", "kernel", "padding",
"stride"}``, ``{"type": "relu" | "tanh" | "sigmoid"}``, ``{"type": "maxpool" | "avgpool", "size", "stride"}``,
``{"type": "batchnorm"}``, ``{"type": "dropout", "p"}``, ``{"type": "flatten"}``, ``{"type": "dense", "units"}``.
The output layer (a dense layer with one unit per class) is appended, and a ``flatten`` before the first dense
layer when the list has none. Weights are drawn from an explicit ``torch.Generator`` with PyTorch's own default
rule (Kaiming-uniform, a = √5; bias uniform ±1/√fan_in), so a run is a pure function of its seed; dropout masks
too come from a generator (``nn.Dropout`` would use the global RNG, shared by every run in the process).

Shapes: inputs ``(n, C, H, W)`` float32; a conv layer's weight ``(filters, C_in, k, k)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
POOLS: dict[str, type[nn.Module]] = {"maxpool": nn.MaxPool2d, "avgpool": nn.AvgPool2d}


class LayerError(ValueError):
    """A layer list that cannot be built: ``index`` is the layer at fault (its place in the list)."""

    def __init__(self, index: int, msg: str) -> None:
        super().__init__(msg)
        self.index = index
        self.msg = msg


@dataclass(frozen=True)
class LayerInfo:
    """One row of the layer table: ``name`` ("conv 8 × 3×3"), output shape without the batch axis, parameters."""

    name: str
    output_shape: tuple[int, ...]
    params: int


class SeededDropout(nn.Module):
    """Dropout whose masks come from ``generator`` (inverted dropout: kept values scaled by 1/(1 − p))."""

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, dtype=x.dtype) >= self.p
        return x * keep / (1.0 - self.p)


def default_init(layer: nn.Conv2d | nn.ConvTranspose2d | nn.Linear, generator: torch.Generator) -> None:
    """PyTorch's ``reset_parameters`` for Conv2d, ConvTranspose2d and Linear, drawn from ``generator``
    (``weight[0].numel()`` is torch's fan_in for all three: in-features, or in-channels·k² per output)."""
    with torch.no_grad():
        nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
        if layer.bias is not None:
            fan_in = layer.weight[0].numel()
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            nn.init.uniform_(layer.bias, -bound, bound, generator=generator)


def _conv_out(length: int, k: int, padding: int, stride: int) -> int:
    return (length + 2 * padding - k) // stride + 1


def _with_head(layers: Sequence[Mapping[str, Any]], n_classes: int) -> list[dict[str, Any]]:
    """The layers as built: a flatten before the first dense layer if none came earlier, then the output layer."""
    out: list[dict[str, Any]] = []
    flat = False
    for spec in layers:
        if spec["type"] == "dense" and not flat:
            out.append({"type": "flatten"})
            flat = True
        flat = flat or spec["type"] == "flatten"
        out.append(dict(spec))
    if not flat:
        out.append({"type": "flatten"})
    out.append({"type": "dense", "units": n_classes, "output": True})
    return out


def build(
    layers: Sequence[Mapping[str, Any]], in_shape: tuple[int, int, int], n_classes: int, generator: torch.Generator
) -> tuple[nn.Sequential, list[LayerInfo]]:
    """The network for inputs of ``in_shape`` (C, H, W) and its layer table (one row per module, the output layer
    last). Raises ``LayerError`` naming the layer whose output would be empty or which comes in the wrong place."""
    modules: list[nn.Module] = []
    table: list[LayerInfo] = []
    shape: tuple[int, ...] = in_shape
    given = len(layers)
    for index, spec in enumerate(_with_head(layers, n_classes)):
        where = min(index, given - 1)  # an added flatten / output layer is blamed on the last given layer
        kind = spec["type"]
        module: nn.Module
        if kind == "conv":
            if len(shape) != 3:
                raise LayerError(where, f"layer {where + 1}: a convolution needs an image, but the input here is flat")
            c, h, w = shape
            k, pad, stride = int(spec["kernel"]), int(spec.get("padding", 0)), int(spec.get("stride", 1))
            oh, ow = _conv_out(h, k, pad, stride), _conv_out(w, k, pad, stride)
            if oh <= 0 or ow <= 0:
                raise LayerError(
                    where,
                    f"layer {where + 1}: a {k}×{k} kernel with padding {pad} and stride {stride} on {h}×{w} gives "
                    f"⌊({h} + 2·{pad} − {k})/{stride}⌋ + 1 = {oh} rows: the output would be empty",
                )
            # Made on the meta device then given empty storage: nothing is drawn from the process-wide RNG.
            conv = nn.Conv2d(c, int(spec["filters"]), k, stride=stride, padding=pad, device="meta")
            conv = conv.to_empty(device="cpu")
            default_init(conv, generator)
            module = conv
            shape, name = (int(spec["filters"]), oh, ow), f"conv {spec['filters']} × {k}×{k}"
        elif kind in POOLS:
            if len(shape) != 3:
                raise LayerError(where, f"layer {where + 1}: pooling needs an image, but the input here is flat")
            c, h, w = shape
            size, stride = int(spec["size"]), int(spec.get("stride", spec["size"]))
            oh, ow = _conv_out(h, size, 0, stride), _conv_out(w, size, 0, stride)
            if oh <= 0 or ow <= 0:
                raise LayerError(where, f"layer {where + 1}: a {size}×{size} pooling window does not fit {h}×{w}")
            module = POOLS[kind](size, stride)
            shape, name = (c, oh, ow), f"{kind[:3]} pool {size}×{size}"
        elif kind in ACTIVATIONS:
            module, name = ACTIVATIONS[kind](), kind
        elif kind == "batchnorm":
            module = nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0])
            name = "batch norm"
        elif kind == "dropout":
            module, name = SeededDropout(float(spec["p"]), generator), f"dropout {spec['p']}"
        elif kind == "flatten":
            module, shape, name = nn.Flatten(), (math.prod(shape),), "flatten"
        elif kind == "dense":
            if len(shape) != 1:  # _with_head puts a flatten first: only reachable by a bug
                raise LayerError(where, f"layer {where + 1}: a dense layer needs a flat input")
            dense = nn.Linear(shape[0], int(spec["units"]), device="meta").to_empty(device="cpu")
            default_init(dense, generator)
            module = dense
            shape = (int(spec["units"]),)
            name = "output (classes)" if spec.get("output") else f"dense {spec['units']}"
        else:
            raise LayerError(where, f"layer {where + 1}: unknown layer type {kind!r}")
        modules.append(module)
        table.append(LayerInfo(name, tuple(shape), sum(p.numel() for p in module.parameters())))
    return nn.Sequential(*modules), table


def feature_maps(model: nn.Sequential, x: torch.Tensor) -> list[torch.Tensor]:
    """Every module's output for ``x`` (n, C, H, W), in eval mode and without gradients: what the page draws
    layer by layer (conv → relu → pool → ... → the output layer's scores)."""
    outs: list[torch.Tensor] = []
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for module in model:
            x = module(x)
            outs.append(x)
    model.train(was_training)
    return outs


def probabilities(model: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """Softmax of the output layer: (n, n_classes)."""
    return F.softmax(feature_maps(model, x)[-1], dim=1)
