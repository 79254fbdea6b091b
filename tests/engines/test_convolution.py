"""The convolution written out (``app.engines.convolution``) against torch: ``conv2d`` equals
``torch.nn.functional.conv2d`` (same padding, stride, dilation, the sum over channels) for every preset and random
kernels; each window's products sum to that position's output; pooling equals ``max_pool2d`` / ``avg_pool2d``."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from app.engines import convolution as conv


def _torch_conv(image: np.ndarray, kernel: np.ndarray, padding: str | int, stride: int, dilation: int) -> np.ndarray:
    x = torch.from_numpy(image)[None]  # (1, C, H, W)
    w = torch.from_numpy(kernel)[None]  # (1, C, k, k): one output channel summing the input channels
    out = F.conv2d(x, w, padding=padding, stride=stride, dilation=dilation)
    return out[0, 0].numpy()


@pytest.mark.parametrize("preset", sorted(conv.KERNEL_PRESETS))
@pytest.mark.parametrize("padding", ["valid", "same", 2])
def test_every_preset_equals_torch_conv2d_on_a_colour_image(preset: str, padding: str | int) -> None:
    image = np.random.default_rng(0).integers(0, 256, (3, 17, 23)).astype(np.float64)
    kernel = np.repeat(conv.KERNEL_PRESETS[preset][None], 3, axis=0)  # (3, 3, 3)
    pad = conv.resolve_padding(padding, 3, 1)
    ours = conv.conv2d(image, kernel, pad, 1, 1)
    assert np.allclose(ours, _torch_conv(image, kernel, padding, 1, 1), atol=1e-9)
    assert ours.shape == conv.output_shape(17, 23, 3, pad, 1, 1)


@pytest.mark.parametrize("seed", range(12))
def test_random_kernels_strides_dilations_and_paddings_equal_torch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    c, k = int(rng.choice([1, 3])), int(rng.choice([1, 3, 5, 7]))
    stride, dilation = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    padding: str | int = "same" if stride == 1 and seed % 3 == 0 else int(rng.integers(0, 4))
    h, w = int(rng.integers(dilation * (k - 1) + 1, 30)), int(rng.integers(dilation * (k - 1) + 1, 30))
    image = rng.normal(size=(c, h, w))
    kernel = rng.normal(size=(c, k, k))
    pad = conv.resolve_padding(padding, k, dilation)
    ours = conv.conv2d(image, kernel, pad, stride, dilation)
    assert ours.shape == conv.output_shape(h, w, k, pad, stride, dilation)
    assert np.allclose(ours, _torch_conv(image, kernel, padding, stride, dilation), atol=1e-9)
    padded = conv.pad_image(image, pad)
    for row, col in [(0, 0), (ours.shape[0] - 1, ours.shape[1] - 1), (ours.shape[0] // 2, ours.shape[1] // 3)]:
        window, products, total = conv.conv_window(padded, kernel, row, col, stride, dilation)
        assert window.shape == products.shape == (c, k, k)
        assert np.allclose(products, window * kernel) and total == pytest.approx(ours[row, col], abs=1e-9)


def test_the_output_size_arithmetic_by_hand() -> None:
    assert conv.output_length(28, 5, 0, 1, 1) == 24  # valid: 28 − 5 + 1
    assert conv.output_length(28, 3, 2, 2, 1) == 14  # ⌊(28 + 2 − 2 − 1)/2⌋ + 1
    assert conv.output_length(7, 3, 0, 1, 3) == 1  # a dilated 3-tap window spans 7
    assert conv.output_length(5, 3, 0, 1, 3) <= 0  # ... and does not fit in 5
    assert conv.resolve_padding("same", 4, 1) == conv.Padding(1, 2, 1, 2)  # even span: the extra at the end


@pytest.mark.parametrize(("size", "stride"), [(2, 2), (3, 1), (3, 2)])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_equals_torch(size: int, stride: int, kind: str) -> None:
    feature = np.random.default_rng(size * 10 + stride).normal(size=(13, 11))
    x = torch.from_numpy(feature)[None, None]
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    expected = pool(x, size, stride)[0, 0].numpy()
    ours = conv.pool2d(feature, size, stride, kind)
    assert ours.shape == expected.shape and np.allclose(ours, expected, atol=1e-12)
    window, value = conv.pool_window(feature, 1, 2, size, stride, kind)
    assert window.shape == (size, size) and value == pytest.approx(expected[1, 2])


def test_relu_and_strides() -> None:
    assert conv.relu(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 2.0]
    assert conv.strides_of((3, 4, 5), 1) == np.empty((3, 4, 5), np.uint8).strides == (20, 5, 1)
    assert conv.strides_of((3, 4, 5), 4) == np.empty((3, 4, 5), np.float32).strides
