"""Activations lab: autograd derivatives vs closed forms, softmax vs SciPy, the deep stack vs hand backprop."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import torch
from scipy.special import erf, expit
from scipy.special import softmax as scipy_softmax

from app.core.frame import Frame, drain
from app.engines import activations

X = np.linspace(-4, 4, 81) + 0.013  # off the kinks at 0


def _stack(**kw: Any) -> tuple[list[Frame], dict[str, Any]]:
    args: dict[str, Any] = {
        "activation": "tanh",
        "init": "xavier_normal",
        "depth": 6,
        "width": 32,
        "n_samples": 400,
        "leaky_slope": 0.01,
        "rng": np.random.default_rng(0),
    }
    args.update(kw)
    return drain(activations.run(**args))


def test_derivatives_match_closed_forms() -> None:
    c = activations.curves(X, leaky_slope=0.1)
    s = expit(X)
    pdf = np.exp(-(X**2) / 2) / np.sqrt(2 * np.pi)
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


# Issue 9: the captions must agree with the numbers of their own frame.


def test_tanh_normal_does_not_claim_little_gradient_where_it_grew() -> None:
    frames, _ = _stack(activation="tanh", init="normal", depth=10, width=64, n_samples=500)
    first = frames[1]
    assert first.state["grad_ratio"] > 100 and first.state["saturated"] > 0.2
    assert "little gradient gets through" not in first.caption
    assert "yet the gradient here is" in first.caption


def test_relu_normal_at_depth_20_is_called_exploding() -> None:
    frames, _ = _stack(activation="relu", init="normal", depth=20, width=64, n_samples=500)
    last = frames[-1]
    assert last.state["growth"] > 1e10
    assert "exploding" in last.caption and "He init" in last.caption
    assert "gradient explodes" in frames[3].caption  # and the gradient grows going back, too


@pytest.mark.parametrize(
    ("activation", "init", "depth"),
    [
        ("sigmoid", "normal", 10),
        ("tanh", "normal", 10),
        ("relu", "normal", 20),
        ("relu", "xavier_normal", 20),
        ("sigmoid", "xavier_normal", 20),
        ("linear", "uniform", 10),
        ("relu", "he_normal", 10),
        ("tanh", "zeros", 4),
    ],
)
def test_every_caption_claim_matches_its_frame(activation: str, init: str, depth: int) -> None:
    frames, _ = _stack(activation=activation, init=init, depth=depth, width=64, n_samples=200)
    for f in frames[1:]:
        s, text = f.state, f.caption
        ratio = s["grad_ratio"]
        if s["identical_neurons"]:
            assert "same value" in text and "symmetry" in text
            continue
        if "little gradient gets through" in text:
            assert ratio is not None and ratio < 0.1
        if "activations are exploding" in text:
            assert s["growth"] > 100
        elif s["growth"] > 100:
            raise AssertionError(f"layer {s['layer']} grew ×{s['growth']:.3g} and nobody said so: {text}")
        if "signal is vanishing" in text:
            assert s["growth"] < 0.01
        if "gradient explodes" in text:
            assert ratio is not None and ratio > 100
        if "gradient vanishes" in text:
            assert ratio is not None and ratio < 0.01
        assert "nan" not in text and not re.search(r"\b1 layers\b", text)


def test_zero_init_state_marks_identical_neurons() -> None:
    frames, _ = _stack(activation="relu", init="zeros", depth=3)
    assert all(f.state["identical_neurons"] for f in frames[1:])
    assert "no gradient back" in frames[1].caption and "symmetry" in frames[1].caption


def test_equal_activations_draw_a_histogram_not_a_crash() -> None:
    # sigmoid + constant init: every unit of a layer holds the same value (to float round-off)
    from app.engines.activations import _hist

    counts, lo, hi = _hist(np.full(500, 0.7310585786300049) + np.arange(500) * 1e-17)
    assert counts.sum() == pytest.approx(1.0) and lo < 0.731 < hi
