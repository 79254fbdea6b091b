"""The separable-convolution lab's engines against independent oracles.

Identities tested (each to float32 rounding, ≤ 1e-6):
* the depthwise stage (channel by channel) equals ``F.conv2d(x, K, groups=C_in)``;
* the pointwise stage (Σ_c mix[o, c]·D_c) equals ``F.conv2d(D, mix as (C_out, C_in, 1, 1))``;
* depthwise then pointwise equals the standard ``F.conv2d(x, W)`` with ``W[o, c] = mix[o, c]·K_c``, and for a
  RANDOM standard filter of that form (W[o, c] = a[o, c]·K_c, K_c random) a depthwise conv with K_c then a
  pointwise conv with a reproduces it: the standard filters a separable conv can express;
* spatial separability: for a rank-1 kernel K = u vᵀ (random u, v), ``conv2d(x, K)`` equals ``conv2d(conv2d(x,
  u as k×1), v as 1×k)``;
* parameter counts equal ``sum(p.numel())`` of the torch modules, multiply-adds equal torch's FLOP counter / 2;
* each trained network's every step loss equals a plain torch loop (same seed, same batches) to 1e-6.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from app.datasets.images import digits, photo
from app.engines import separable_captions as captions
from app.engines import separable_explain as ex
from app.engines import separable_train as st
from app.engines.cnn_train import CnnData, make_optimizer


def _photo(side: int = 24) -> np.ndarray:
    pixels = photo("flower", side).images[0]  # (H, W, 3) uint8
    return np.ascontiguousarray(pixels.transpose(2, 0, 1), dtype=np.float32) / np.float32(255.0)


@pytest.mark.parametrize("k,c_out", [(2, 1), (3, 4), (5, 7)])
def test_stages_equal_torch_functional(k: int, c_out: int) -> None:
    x = _photo()
    out = ex.explain(x, k, c_out)
    t = torch.from_numpy(x)[None]  # (1, 3, H, W)
    kernels = torch.from_numpy(out.kernels)
    grouped = F.conv2d(t, kernels, groups=3)[0].numpy()
    assert np.abs(out.depthwise - grouped).max() <= 1e-6
    one = F.conv2d(torch.from_numpy(out.depthwise)[None], torch.from_numpy(out.mix)[:, :, None, None])[0].numpy()
    assert np.abs(out.pointwise - one).max() <= 1e-6
    assert np.abs(out.standard - out.pointwise).max() <= 1e-6
    assert out.groups_diff <= 1e-6 and out.pointwise_diff <= 1e-6 and out.standard_diff <= 1e-6
    assert max(out.rank1_diffs) <= 1e-6
    assert out.depthwise.shape == (3, x.shape[1] - k + 1, x.shape[2] - k + 1)


def test_kernels_are_rank_one_and_the_mix_is_documented() -> None:
    for k in (2, 3, 5, 9):
        kernels = ex.depthwise_kernels(k)[:, 0].astype(np.float64)
        for kernel in kernels:
            assert np.linalg.matrix_rank(kernel, tol=1e-6) == 1
        assert abs(kernels[2].sum() - 1) < 1e-6  # the blur sums to 1, the edges to 0
        assert abs(kernels[0].sum()) < 1e-6 and abs(kernels[1].sum()) < 1e-6
    assert ex.binomial(3).tolist() == [0.25, 0.5, 0.25] and ex.difference(3).tolist() == [0.5, 0.0, -0.5]
    assert ex.pointwise_mix(4)[3].tolist() == pytest.approx(np.roll(ex.BASE_MIX[0], 1).tolist())


def test_random_rank1_kernel_is_spatially_separable() -> None:
    gen = torch.Generator().manual_seed(3)
    x = torch.rand(1, 1, 20, 17, generator=gen, dtype=torch.float64)  # float64: exact to rounding (1e-12)
    for k in (2, 3, 5):
        u, v = torch.randn(k, generator=gen, dtype=torch.float64), torch.randn(k, generator=gen, dtype=torch.float64)
        full = F.conv2d(x, torch.outer(u, v)[None, None])
        two = F.conv2d(F.conv2d(x, u.reshape(1, 1, k, 1)), v.reshape(1, 1, 1, k))
        assert (full - two).abs().max() <= 1e-12


def test_a_standard_filter_a_times_k_is_depthwise_then_pointwise() -> None:
    """W[o, c] = a[o, c]·K_c (random a and K): the standard conv equals depthwise K then pointwise a."""
    gen = torch.Generator().manual_seed(5)
    c_in, c_out, k = 4, 6, 3
    f64 = torch.float64  # exact to rounding: 1e-12
    x = torch.rand(2, c_in, 11, 13, generator=gen, dtype=f64)
    K = torch.randn(c_in, k, k, generator=gen, dtype=f64)
    a = torch.randn(c_out, c_in, generator=gen, dtype=f64)
    W = a[:, :, None, None] * K[None]  # (C_out, C_in, k, k)
    standard = F.conv2d(x, W)
    separable = F.conv2d(F.conv2d(x, K[:, None], groups=c_in), a[:, :, None, None])
    assert (standard - separable).abs().max() <= 1e-12
    # Through torch.nn modules with the weights set, as the lab's classifier builds them.
    dw = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False, dtype=f64)
    pw = nn.Conv2d(c_in, c_out, 1, bias=False, dtype=f64)
    with torch.no_grad():
        dw.weight.copy_(K[:, None])
        pw.weight.copy_(a[:, :, None, None])
        assert (pw(dw(x)) - standard).abs().max() <= 1e-12


@pytest.mark.parametrize("k,c_in,c_out", [(1, 3, 1), (3, 3, 4), (5, 8, 16), (7, 2, 3)])
@pytest.mark.parametrize("bias", [False, True])
def test_costs_equal_numel_and_the_flop_counter(k: int, c_in: int, c_out: int, bias: bool) -> None:
    cost = ex.costs(k, c_in, c_out, 12, 10, bias=bias)
    standard = nn.Conv2d(c_in, c_out, k, bias=bias)
    depth = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=bias)
    point = nn.Conv2d(c_in, c_out, 1, bias=bias)
    assert cost["standard"]["params_formula"] == sum(p.numel() for p in standard.parameters())
    assert cost["separable"]["params_formula"] == sum(p.numel() for m in (depth, point) for p in m.parameters())
    for part in ("standard", "separable"):
        assert cost[part]["params_formula"] == cost[part]["params_measured"]
        assert cost[part]["macs_formula"] == cost[part]["macs_measured"]
    ho, wo = 12 - k + 1, 10 - k + 1
    assert cost["standard"]["macs_formula"] == ho * wo * c_out * c_in * k * k


def test_sweep_ratio_is_the_formula() -> None:
    sweep = ex.sweep(3)
    assert np.allclose(sweep["ratio_measured"], sweep["ratio_formula"], atol=1e-12)
    row = ex.SWEEP_KERNELS.index(3)
    assert sweep["ratio_formula"][row][0] == pytest.approx(1 + 1 / 9)


def _data(n: int = 160) -> CnnData:
    images = digits()
    X = (images.images[:n].astype(np.float32) / 255).transpose(0, 3, 1, 2).copy()  # (n, 1, 8, 8)
    y = images.labels[:n]
    cut = (3 * n) // 4
    return CnnData(X[:cut], y[:cut], X[cut:], y[cut:], images.class_names)


def test_parameter_counts_and_tables_equal_numel() -> None:
    plan = st.PairPlan(conv1=8, conv2=16, optimizer="adam", lr=0.01, batch_size=32, epochs=1)
    standard = st.build_model("standard", plan, (1, 8, 8), 10, 0)
    separable = st.build_model("separable", plan, (1, 8, 8), 10, 0)
    assert st.parameter_count(standard) == (9 * 8 + 8) + (9 * 8 * 16 + 16) + (16 * 4 * 10 + 10) == 1898
    assert st.parameter_count(separable) == (9 * 8 + 8) + (9 * 8 + 8) + (8 * 16 + 16) + (16 * 4 * 10 + 10) == 954
    for model in (standard, separable):
        assert sum(r["params"] for r in st.layer_rows(model)) == sum(p.numel() for p in model.parameters())
    assert [m.groups for m in separable.modules() if isinstance(m, nn.Conv2d)] == [1, 8, 1]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_losses_equal_a_plain_torch_loop(optimizer: str) -> None:
    data = _data()
    plan = st.PairPlan(conv1=3, conv2=5, optimizer=optimizer, lr=0.05, batch_size=16, epochs=2)
    seed = 11
    gen = st.train(data, plan, seed=seed)
    frames = []
    try:
        while True:
            frames.append(next(gen))
    except StopIteration as stop:
        result = stop.value
    assert [f.kind for f in frames] == ["epoch", "epoch", "done"]
    # The plain loop: both networks from the same seed, one shared order generator seeded seed + 1.
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    models = {name: st.build_model(name, plan, (1, 8, 8), 10, seed) for name in st.MODELS}
    opts = {name: make_optimizer(optimizer, m.parameters(), plan.lr) for name, m in models.items()}
    order_gen = torch.Generator().manual_seed(seed + 1)
    expected: dict[str, list[float]] = {name: [] for name in st.MODELS}
    for _ in range(plan.epochs):
        order = torch.randperm(len(y), generator=order_gen)
        for name in st.MODELS:
            for start in range(0, len(y), plan.batch_size):
                idx = order[start : start + plan.batch_size]
                opts[name].zero_grad()
                loss = F.cross_entropy(models[name](X[idx]), y[idx])
                loss.backward()
                opts[name].step()
                expected[name].append(float(loss.detach()))
    steps = math.ceil(len(y) / plan.batch_size) * plan.epochs
    for name in st.MODELS:
        got = result[name]["step_losses"]
        assert len(got) == steps
        assert np.abs(np.array(got) - np.array(expected[name])).max() <= 1e-6
        models[name].eval()
        with torch.no_grad():
            acc = float(
                (models[name](torch.from_numpy(data.X_test)).argmax(1) == torch.from_numpy(data.y_test)).float().mean()
            )
        assert frames[-1].state[name]["test_accuracy"] == pytest.approx(acc, abs=1e-9)


def test_captions_say_the_frame_numbers() -> None:
    cost = {"k": 3, "c_in": 3, "c_out": 4, "h_out": 41, "w_out": 62, **ex.costs(3, 3, 4, 43, 64)}
    text = captions.cost(cost)
    assert "3²·3·4 = 108" in text and "27 + 12 = 39" in text and "274,536" in text and "99,138" in text
    assert "ratio 0.3611" in text and "1/4 + 1/9" in text
    assert captions._sum([1.0, 0.0, -1.0]) == "1.000·D1 − 1.000·D3"
    evals = {
        "standard": {"test_accuracy": 0.9, "train_loss": 0.5},
        "separable": {"test_accuracy": 0.8, "train_loss": 0.7},
    }
    line = captions.epoch(2, 5, evals, {"standard": 100, "separable": 40}, 50, done=False)
    assert line.startswith("Epoch 2 of 5") and "90.0 %" in line and "80.0 %" in line and "40.0 %" in line
    assert "5 of 50 test digits wrong" in line and "10 wrong" in line
