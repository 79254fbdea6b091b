"""Where the neural-network figure puts things: the drawn neurons per column, every trace's index, colours.

The view draws at most ``SHOWN`` neurons per hidden layer; the lab passes the same number to the engine,
so a frame's ``weights`` and thumbnails hold exactly the drawn part (DESIGN §2: views own drawing sizes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from app.views.inputs import NeuralData
from app.views.theme import PALETTE, typed

SHOWN = 8
"""Neurons drawn per hidden layer (TensorFlow Playground's maximum); wider layers say "+n more"."""
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1_sq": "x₁²",
    "x2_sq": "x₂²",
    "x1_x2": "x₁x₂",
    "sin_x1": "sin x₁",
    "sin_x2": "sin x₂",
}
"""How each input feature is written on its thumbnail."""
POS, NEG = PALETTE[0], PALETTE[1]  # TensorFlow Playground: blue positive, orange negative
DIVERGING = [[0.0, NEG], [0.5, "#f7f7f7"], [1.0, POS]]
EDGE_WIDTHS = (0.6, 1.5, 3.0)
THUMB_W, THUMB_H = 0.62, 0.8  # a thumbnail's size in network-axis units (columns 1 apart, rows 1 apart)
LAYER_RAMP = ("#0b3d91", "#2a6fb5", "#4aa3c8", "#7cc6b8", "#b5d98b", "#e3c75f", "#e58f3c", "#c4452c", "#7a1f1f")


def typed2d(z: np.ndarray, dtype: str) -> dict[str, str]:
    spec = typed(z.ravel(), dtype)  # (rows·cols,) with its shape for the player
    spec["shape"] = f"{z.shape[0]},{z.shape[1]}"
    return spec


def u1_symmetric(v: np.ndarray) -> np.ndarray:
    """Values to 0..255 with 0 at 127.5, scaled by the largest |v| (a thumbnail's own range)."""
    peak = float(np.abs(v).max()) if v.size else 0.0
    return np.round(127.5 + 127.5 * v / peak) if peak > 0 else np.full(v.shape, 128.0)


def class_scale(k: int) -> list[list[float | str]]:
    """For K > 2: segment c of [c/K, (c+1)/K] runs from a pale tint to class c's colour (confidence)."""
    scale: list[list[float | str]] = []
    for c in range(k):
        colour = PALETTE[c % len(PALETTE)]
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        pale = f"rgb({(r + 3 * 255) // 4},{(g + 3 * 255) // 4},{(b + 3 * 255) // 4})"
        scale += [[c / k, pale], [(c + 1) / k - 1e-6, colour]]
    scale[-1][0] = 1.0
    return scale


class NeuralDrawn(Protocol):
    """The params the neural-network view reads."""

    @property
    def features(self) -> Sequence[str]: ...

    @property
    def hidden_layers(self) -> Sequence[int]: ...


class Layout:
    """Where every neuron, edge and trace of one run sits (derived from inputs + params only)."""

    def __init__(self, inputs: NeuralData, params: NeuralDrawn) -> None:
        self.features = list(params.features)
        self.full_hidden = list(params.hidden_layers)
        self.hidden = [min(w, SHOWN) for w in self.full_hidden]
        n_classes = inputs.n_classes
        self.n_out = n_classes if inputs.loss == "cross_entropy" else 1
        self.cols = [len(self.features), *self.hidden, self.n_out]  # drawn neurons per column
        self.two_d = inputs.X.shape[1] == 2
        self.n_classes = n_classes
        self.n_weight_layers = len(params.hidden_layers) + 1
        # trace indices
        self.edges = list(range(6))  # (sign, width bucket) pairs: pos×3, neg×3
        self.edge_dots = 6
        self.inputs0 = 7
        self.hidden0 = self.inputs0 + len(self.features)
        self.outputs = self.hidden0 + sum(self.hidden)
        self.boundary = self.outputs + 1
        self.curve = self.boundary + 1
        self.train_pts = self.curve + 1
        self.test_pts = self.train_pts + 1
        self.loss0 = self.test_pts + 1  # train, test
        self.acc0 = self.loss0 + 2  # train, test
        self.grad0 = self.acc0 + 2  # one per weight layer
        self.hist = self.grad0 + self.n_weight_layers
        self.count = self.hist + 1

    def y(self, col: int, j: int) -> float:
        return (self.cols[col] - 1) / 2 - j

    def edge_list(self) -> list[tuple[int, int, int]]:
        """(column, from j, to j) for every drawn edge, layer by layer."""
        return [
            (c, i, j) for c in range(len(self.cols) - 1) for j in range(self.cols[c + 1]) for i in range(self.cols[c])
        ]
