"""The segmentation lab's network: a tiny fully convolutional encoder–decoder (issue 16).

Encoder: conv 3×3 + ReLU + max pool 2, twice (S → S/2 → S/4), and one more conv 3×3 + ReLU at S/4 (its context
spans the whole of a small image). Decoder: ``ConvTranspose2d`` with stride 2, twice (S/4 → S/2 → S), each
followed by a ReLU; with ``skip`` (U-Net) each upsampled map is concatenated with the encoder's map of the same
size before the next layer. A 1×1 conv gives one score per class per pixel. Every weight is drawn from a
``torch.Generator`` (PyTorch's default init), so a run is a function of its seed.

Shapes: input (b, C, S, S) with S divisible by 4, output (b, K, S, S) logits.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from app.engines.cnn_model import default_init

UP_PADDING = {2: (0, 0), 3: (1, 1), 4: (1, 0)}
"""The (padding, output_padding) that make a stride-2 transposed conv of each kernel size exactly double a side:
H_out = (H − 1)·2 − 2p + (k − 1) + output_padding + 1 = 2H."""


@dataclass(frozen=True)
class NetSpec:
    """What the params decide about the network."""

    channels: int  # C of the input
    classes: int  # K
    width: int  # w: the first conv's filters (2w after the second)
    up_kernel: int  # k of both transposed convs (2, 3 or 4)
    skip: bool  # U-Net: concatenate the encoder's maps into the decoder


class SegNet(nn.Module):
    """Encoder–decoder of ``NetSpec``; ``forward`` gives (b, K, S, S) logits."""

    def __init__(self, spec: NetSpec, generator: torch.Generator) -> None:
        super().__init__()
        w, k = spec.width, spec.up_kernel
        p, op = UP_PADDING[k]
        self.skip = spec.skip
        self.enc1 = nn.Conv2d(spec.channels, w, 3, padding=1)
        self.enc2 = nn.Conv2d(w, 2 * w, 3, padding=1)
        self.mid = nn.Conv2d(2 * w, 2 * w, 3, padding=1)
        self.up1 = nn.ConvTranspose2d(2 * w, w, k, stride=2, padding=p, output_padding=op)
        self.up2 = nn.ConvTranspose2d(w + (2 * w if spec.skip else 0), w, k, stride=2, padding=p, output_padding=op)
        self.head = nn.Conv2d(w + (w if spec.skip else 0), spec.classes, 1)
        for layer in (self.enc1, self.enc2, self.mid, self.up1, self.up2, self.head):
            default_init(layer, generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e1 = F.relu(self.enc1(x))  # (b, w, S, S)
        e2 = F.relu(self.enc2(F.max_pool2d(e1, 2)))  # (b, 2w, S/2, S/2)
        m = F.relu(self.mid(F.max_pool2d(e2, 2)))  # (b, 2w, S/4, S/4)
        d1 = F.relu(self.up1(m))  # (b, w, S/2, S/2)
        if self.skip:
            d1 = torch.cat([d1, e2], dim=1)  # (b, 3w, S/2, S/2)
        d2 = F.relu(self.up2(d1))  # (b, w, S, S)
        if self.skip:
            d2 = torch.cat([d2, e1], dim=1)  # (b, 2w, S, S)
        logits: torch.Tensor = self.head(d2)  # (b, K, S, S)
        return logits


def layer_rows(spec: NetSpec, side: int) -> list[tuple[str, tuple[int, int, int], int]]:
    """(name, output shape (C, H, W), multiply-adds per image) of each conv layer, input side first."""
    w, k, s = spec.width, spec.up_kernel, side
    cat2, cat1 = (2 * w, w) if spec.skip else (0, 0)
    return [
        ("conv 3×3", (w, s, s), s * s * w * spec.channels * 9),
        ("conv 3×3 (after pool)", (2 * w, s // 2, s // 2), (s // 2) ** 2 * 2 * w * w * 9),
        ("conv 3×3 (after pool)", (2 * w, s // 4, s // 4), (s // 4) ** 2 * 4 * w * w * 9),
        (f"transposed conv {k}×{k}, stride 2", (w, s // 2, s // 2), (s // 4) ** 2 * 2 * w * w * k * k),
        (f"transposed conv {k}×{k}, stride 2", (w, s, s), (s // 2) ** 2 * (w + cat2) * w * k * k),
        ("conv 1×1 (class scores)", (spec.classes, s, s), s * s * (w + cat1) * spec.classes),
    ]


def parameter_count(spec: NetSpec) -> int:
    """Trainable numbers of the network (what ``sum(p.numel())`` gives), without building it."""
    w, k, c, n = spec.width, spec.up_kernel, spec.channels, spec.classes
    cat2, cat1 = (2 * w, w) if spec.skip else (0, 0)
    return (
        (c * 9 + 1) * w
        + (w * 9 + 1) * 2 * w
        + (2 * w * 9 + 1) * 2 * w
        + 2 * w * w * k * k
        + w
        + (w + cat2) * w * k * k
        + w
        + (w + cat1 + 1) * n
    )
