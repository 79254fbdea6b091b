"""Activations lab: autograd derivatives vs closed forms, softmax vs SciPy, the deep stack vs hand backprop."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from scipy.special import erf, expit
from scipy.special import softmax as scipy_softmax

from app.engines import activations
from app.engines.frame import Frame, drain

X = np.linspace(-4, 4, 81) + 0.013  # off the kinks at 0


def _stack(**kw: Any) -> tuple[list[Frame], dict[str, Any]]:
    args: dict[str, Any] = {"activation": "tanh", "init": "xavier_normal", "depth": 6, "width": 32,
                            "n_samples": 400, "leaky_slope": 0.01, "rng": np.random.default_rng(0)}
    args.update(kw)
    return drain(activations.run(**args))


def test_derivatives_match_closed_forms() -> None:
    c = activations.curves(X, leaky_slope=0.1)
    s = expit(X)
    pdf = np.exp(-X**2 / 2) / np.sqrt(2 * np.pi)
    cdf = 0.5 * (1 + erf(X / np.sqrt(2)))
    expected = {
        "step": ((X > 0).astype(float), np.zeros_like(X)),
        "linear": (X, np.ones_like(X)),
        "sigmoid": (s, s * (1 - s)),
        "tanh": (np.tanh(X), 1 - np.tanh(X) ** 2),
        "relu": (np.maximum(X, 0), (X > 0).astype(float)),
        "leaky_relu": (np.where(X > 0, X, 0.1 * X), np.where(X > 0, 1.0, 0.1)),
        "elu": (np.where(X > 0, X, np.expm1(X)), np.where(X > 0, 1.0, np.exp(X))),
        "gelu": (X * cdf, cdf + X * pdf),
    }
    for name, (y, dy) in expected.items():
        np.testing.assert_allclose(c[name]["y"], y, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(c[name]["dy"], dy, atol=1e-12, err_msg=name)


def test_softmax_matches_scipy_and_sums_to_one() -> None:
    logits = [2.0, 1.0, 0.1, -1.0, 30.0]
    np.testing.assert_allclose(activations.softmax(logits), scipy_softmax(logits), rtol=1e-12)
    assert activations.softmax([0.0, 0.0]).tolist() == [0.5, 0.5]


def test_linear_stack_matches_hand_backprop() -> None:
    # Linear activation, depth 2: a1 = x W1ᵀ, a2 = a1 W2ᵀ; upstream g at a2, so dL/da1 = g W2.
    frames, result = _stack(activation="linear", init="normal", depth=2, width=5, n_samples=50)
    seeds = [int(s) for s in np.random.default_rng(0).integers(2**31, size=3)]
    x = torch.randn(50, 5, generator=torch.Generator().manual_seed(seeds[0]), dtype=torch.float64).numpy()
    gen = torch.Generator().manual_seed(seeds[1])
    W = [torch.nn.init.normal_(torch.empty(5, 5, dtype=torch.float64), generator=gen).numpy() for _ in range(2)]
    g = torch.randn(50, 5, generator=torch.Generator().manual_seed(seeds[2]), dtype=torch.float64).numpy()
    a1 = x @ W[0].T
    a2 = a1 @ W[1].T
    stats = result["layer_stats"]
    assert stats[0]["std"] == pytest.approx(a1.std(), rel=1e-12)
    assert stats[1]["std"] == pytest.approx(a2.std(), rel=1e-12)
    assert stats[0]["grad_std"] == pytest.approx((g @ W[1]).std(), rel=1e-12)
    assert stats[1]["grad_std"] == pytest.approx(g.std(), rel=1e-12)
    assert [f.kind for f in frames] == ["input", "layer", "layer"]


def test_zero_init_makes_every_neuron_the_same() -> None:
    frames, result = _stack(activation="sigmoid", init="zeros")
    assert all(s["std"] == 0 for s in result["layer_stats"])  # every output is sigmoid(0) = 0.5
    assert "same value" in frames[-1].caption


def test_xavier_suits_tanh_and_he_suits_relu_where_the_swap_fades() -> None:
    deep = {"depth": 15, "width": 128}
    tanh_xavier = _stack(activation="tanh", init="xavier_normal", **deep)[1]["layer_stats"]
    relu_he = _stack(activation="relu", init="he_normal", **deep)[1]["layer_stats"]
    relu_xavier = _stack(activation="relu", init="xavier_normal", **deep)[1]["layer_stats"]
    # He keeps ReLU's signal at scale; Xavier halves its second moment per layer: 15 layers ≈ 2⁻⁷·⁵ in std.
    assert relu_he[-1]["std"] > 0.3 and relu_xavier[-1]["std"] < 0.05
    assert tanh_xavier[-1]["std"] > 0.1


def test_sigmoid_with_normal_init_saturates() -> None:
    frames, _ = _stack(activation="sigmoid", init="normal", width=64)
    assert "flat ends" in frames[1].caption


def test_step_passes_no_gradient() -> None:
    frames, result = _stack(activation="step", init="normal")
    assert all(s["grad_std"] == 0 for s in result["layer_stats"][:-1])
    assert "slope is 0" in frames[1].caption
