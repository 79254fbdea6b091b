"""The transfer-learning lab's backbone (issue 16): a small CNN trained on the source task, digits 0–4, by one
deterministic function, shipped as a state_dict file that ``scripts/make_transfer_backbone.py`` regenerates.

The network is ``cnn_model.build`` of ``BACKBONE_LAYERS`` (8 × 8 grey digits → conv 8 → pool → conv 16 → pool →
dense 32 → output of 5 classes). Its four weighted layers are the *blocks* a mode freezes or trains: ``conv1``,
``conv2``, ``dense`` (the transferred body) and ``head`` (the output layer, always new for the target task).

``train_backbone`` is a pure function of its constants: single-threaded torch, a fixed-seed ``torch.Generator``
for the initial weights and the batch order, the source digits split with a fixed ``random_state``. Running it
again gives bit-identical tensors (a test checks them with ``torch.equal`` against the shipped file; the file's
*bytes* are not compared, as ``torch.save``'s zip layout may differ between torch versions).

Shapes: inputs (n, 1, 8, 8) float32 in 0–1, labels (n,) int64 in 0..4.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn import functional as F

from app.datasets.images import digits
from app.engines.cnn_model import LayerInfo, build

BACKBONE_LAYERS: tuple[dict[str, Any], ...] = (
    {"type": "conv", "filters": 8, "kernel": 3, "padding": 1, "stride": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2, "stride": 2},
    {"type": "conv", "filters": 16, "kernel": 3, "padding": 1, "stride": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2, "stride": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 32},
    {"type": "relu"},
)
IN_SHAPE = (1, 8, 8)
N_CLASSES = 5
BLOCKS: tuple[str, ...] = ("conv1", "conv2", "dense", "head")
"""The weighted layers, input side first; ``head`` is the output layer."""
BLOCK_MODULES: tuple[int, ...] = (0, 3, 7, 9)
"""Index in the ``nn.Sequential`` of each block (the table's rows: conv, relu, pool, conv, relu, pool, flatten,
dense, relu, output)."""
BODY = BLOCKS[:2]
"""The blocks a transferred mode copies from the backbone: the convolutions (digits 0–4's dense layer is too
specific to them to help read 5–9)."""
NEW = BLOCKS[2:]
"""The blocks every mode draws at random and trains at ``lr``: a new dense layer and a new head."""
SOURCE_DIGITS = (0, 1, 2, 3, 4)
TARGET_DIGITS = (5, 6, 7, 8, 9)
SOURCE_SEED = 0
SOURCE_EPOCHS = 20
SOURCE_LR = 0.01
SOURCE_BATCH = 32
SOURCE_TEST_SHARE = 0.2
WEIGHTS_PATH = Path(__file__).resolve().parents[1] / "datasets" / "weights" / "transfer_backbone.pt"


@dataclass(frozen=True)
class Backbone:
    """The source-task network's weights, and how well it reads held-out source digits."""

    state: Mapping[str, torch.Tensor]  # the state_dict of build(BACKBONE_LAYERS, IN_SHAPE, 5)
    source_accuracy: float
    n_source_train: int
    n_source_test: int
    from_file: bool


@lru_cache(maxsize=2)
def digit_task(wanted: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The digits of classes ``wanted`` as (n, 1, 8, 8) float32 in 0–1 and labels 0..len(wanted)−1 (read-only,
    cached: index them, which copies, before handing them to ``torch.from_numpy``)."""
    images = digits()
    assert images.labels is not None
    keep = np.isin(images.labels, wanted)
    X = images.images[keep].astype(np.float32).transpose(0, 3, 1, 2) / np.float32(255.0)  # (n,8,8,1) → (n,1,8,8)
    y = np.searchsorted(np.asarray(wanted), images.labels[keep]).astype(np.int64)
    X = np.ascontiguousarray(X)
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def new_network(generator: torch.Generator) -> tuple[nn.Sequential, list[LayerInfo]]:
    """The architecture with weights drawn from ``generator`` (PyTorch's default rule, ``cnn_model.build``)."""
    return build(list(BACKBONE_LAYERS), IN_SHAPE, N_CLASSES, generator)


def block_params(model: nn.Sequential, block: str) -> list[nn.Parameter]:
    """The weight and bias of one block."""
    return list(model[BLOCK_MODULES[BLOCKS.index(block)]].parameters())


def block_weight(model: nn.Sequential | Mapping[str, torch.Tensor], block: str) -> torch.Tensor:
    """One block's weight tensor (of a model or of a state_dict)."""
    key = f"{BLOCK_MODULES[BLOCKS.index(block)]}.weight"
    state = model if isinstance(model, Mapping) else model.state_dict()
    return state[key]


@contextmanager
def one_thread() -> Iterator[None]:
    """torch on one thread inside the block (the service already runs so; a script or a test may not)."""
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)


def _source_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, y = digit_task(SOURCE_DIGITS)
    train, test = train_test_split(np.arange(y.size), test_size=SOURCE_TEST_SHARE, stratify=y, random_state=SOURCE_SEED)
    return X[train], y[train], X[test], y[test]


def accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Share of ``X`` (n, 1, 8, 8) whose largest score is its label."""
    with torch.no_grad():
        logits = model(torch.from_numpy(X))  # (n, K)
    return float((logits.argmax(1) == torch.from_numpy(y)).float().mean())


def train_backbone() -> tuple[dict[str, torch.Tensor], float]:
    """The source run: Adam (lr 0.01) for 20 epochs of batches of 32 on 80 % of digits 0–4, seed 0; returns the
    state_dict and the accuracy on the other 20 %. Bit-for-bit the same on every call (one thread, fixed seeds)."""
    X_train, y_train, X_test, y_test = _source_split()
    with one_thread():
        generator = torch.Generator().manual_seed(SOURCE_SEED)
        model, _ = new_network(generator)
        optimizer = torch.optim.Adam(model.parameters(), lr=SOURCE_LR)
        X, y = torch.from_numpy(X_train), torch.from_numpy(y_train)
        n = int(y.numel())
        model.train()
        for _ in range(SOURCE_EPOCHS):
            order = torch.randperm(n, generator=generator)  # (n,) this epoch's order
            for start in range(0, n, SOURCE_BATCH):
                idx = order[start : start + SOURCE_BATCH]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(X[idx]), y[idx])
                torch.autograd.backward(loss)
                optimizer.step()
        model.eval()
        state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        return state, accuracy(model, X_test, y_test)


def load_shipped(path: Path = WEIGHTS_PATH) -> dict[str, torch.Tensor] | None:
    """The shipped state_dict (``torch.load(weights_only=True)``), or None when the file is absent."""
    if not path.is_file():
        return None
    state = torch.load(path, map_location="cpu", weights_only=True)
    return {str(k): v for k, v in state.items()}


@lru_cache(maxsize=1)
def backbone() -> Backbone:
    """The backbone every run starts from: the shipped file if present (else the source run, trained once per
    process), with its source accuracy measured on the held-out source digits."""
    state = load_shipped()
    from_file = state is not None
    if state is None:
        state, _ = train_backbone()
    _, y_train, X_test, y_test = _source_split()
    model, _ = new_network(torch.Generator().manual_seed(0))
    model.load_state_dict(state)
    model.eval()
    return Backbone(state, accuracy(model, X_test, y_test), int(y_train.size), int(y_test.size), from_file)


def relative_move(now: torch.Tensor, start: torch.Tensor) -> float:
    """‖now − start‖ / ‖start‖ (Frobenius), 0 when ``start`` is all zeros."""
    base = float(torch.linalg.vector_norm(start))
    gap = float(torch.linalg.vector_norm(now - start))
    return gap / base if base > 0 and math.isfinite(base) else 0.0
