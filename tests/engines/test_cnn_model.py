"""The CNN builder (``app.engines.cnn_model``): parameter counts equal ``sum(p.numel())`` and the hand count,
output shapes equal a forward pass, the seeded init equals PyTorch's own default init, bad layer lists name the
layer at fault, and seeded dropout is reproducible."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from app.engines import cnn_model

DEFAULT = [
    {"type": "conv", "filters": 8, "kernel": 3, "padding": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2},
    {"type": "conv", "filters": 16, "kernel": 3, "padding": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2},
    {"type": "dense", "units": 32},
    {"type": "relu"},
]


def _gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_the_layer_table_by_hand_and_against_torch() -> None:
    model, table = cnn_model.build(DEFAULT, (1, 8, 8), 10, _gen())
    shapes = [row.output_shape for row in table]
    assert shapes == [
        (8, 8, 8), (8, 8, 8), (8, 4, 4), (16, 4, 4), (16, 4, 4), (16, 2, 2), (64,), (32,), (32,), (10,),
    ]  # fmt: skip
    params = [row.params for row in table]
    assert params == [8 * 9 + 8, 0, 0, 16 * 8 * 9 + 16, 0, 0, 0, 64 * 32 + 32, 0, 32 * 10 + 10]
    assert sum(params) == sum(p.numel() for p in model.parameters())
    x = torch.zeros(5, 1, 8, 8)
    for row, out in zip(table, cnn_model.feature_maps(model, x), strict=True):
        assert tuple(out.shape[1:]) == row.output_shape, row.name
    assert table[6].name == "flatten" and table[-1].name.startswith("output")


@pytest.mark.parametrize("layer", ["conv", "dense"])
def test_the_seeded_init_is_pytorchs_default_rule(layer: str) -> None:
    """PyTorch initialises a fresh Conv2d / Linear from the global RNG (weight, then bias); ours draws the same
    numbers from a generator with the same seed."""
    spec = {"type": "conv", "filters": 4, "kernel": 3} if layer == "conv" else {"type": "dense", "units": 6}
    in_shape = (3, 6, 6) if layer == "conv" else (1, 2, 5)
    model, _ = cnn_model.build([{"type": "flatten"}, spec] if layer == "dense" else [spec], in_shape, 2, _gen(11))
    ours = next(m for m in model if isinstance(m, nn.Conv2d | nn.Linear))
    torch.manual_seed(11)
    ref = nn.Conv2d(3, 4, 3) if layer == "conv" else nn.Linear(10, 6)
    assert torch.equal(ours.weight, ref.weight) and torch.equal(ours.bias, ref.bias)


def test_same_seed_same_network_and_dropout_masks() -> None:
    layers = [*DEFAULT[:3], {"type": "dropout", "p": 0.5}, {"type": "batchnorm"}, {"type": "dense", "units": 8}]
    a, _ = cnn_model.build(layers, (1, 8, 8), 3, _gen(4))
    b, _ = cnn_model.build(layers, (1, 8, 8), 3, _gen(4))
    x = torch.randn(6, 1, 8, 8, generator=_gen(9))
    a.train(), b.train()
    assert torch.equal(a(x), b(x)), "the same seed draws the same weights and the same dropout masks"
    assert cnn_model.probabilities(a, x).sum(dim=1).allclose(torch.ones(6))


@pytest.mark.parametrize(
    ("layers", "index", "words"),
    [
        ([{"type": "conv", "filters": 2, "kernel": 9}], 0, "empty"),
        ([{"type": "maxpool", "size": 2}, {"type": "maxpool", "size": 2}, {"type": "maxpool", "size": 4}], 2, "fit"),
        ([{"type": "flatten"}, {"type": "conv", "filters": 2, "kernel": 1}], 1, "flat"),
        ([{"type": "softmax"}], 0, "unknown"),
    ],
)
def test_a_layer_list_that_cannot_be_built_names_the_layer(layers: list, index: int, words: str) -> None:
    with pytest.raises(cnn_model.LayerError) as info:
        cnn_model.build(layers, (1, 8, 8), 10, _gen())
    assert info.value.index == index and words in info.value.msg and f"layer {index + 1}" in info.value.msg
