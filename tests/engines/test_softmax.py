"""The softmax lab's hand-written NumPy float64 math against torch in float64 (the oracle), to 1e-12:
``torch.softmax``, ``torch.log_softmax``, ``F.nll_loss``, ``F.cross_entropy`` and autograd's gradient, on random
logits, K, targets and temperatures, huge logits included; plus the naive softmax's overflow and underflow, the
frames' story (every kind, in order) and the gradient steps against torch.optim.SGD on the same logits."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from app.core.frame import drain
from app.engines import softmax as sm
from app.engines import softmax_run

TOL = {"rtol": 1e-12, "atol": 1e-12}


def _cases(n: int = 60) -> list[tuple[np.ndarray, int, float]]:
    rng = np.random.default_rng(17)
    cases = []
    for i in range(n):
        k = int(rng.integers(2, 11))
        scale = [1.0, 10.0, 1000.0, 1e4][i % 4]  # up to the schema's ±10,000: naive exp overflows
        z = rng.normal(0.0, scale, k)
        if i % 5 == 0:
            z += 1000.0  # every logit huge
        temperature = float(np.exp(rng.uniform(np.log(0.01), np.log(100.0))))
        cases.append((z, int(rng.integers(0, k)), temperature))
    cases.append((np.array([1000.0, 1001.0, 999.0]), 0, 1.0))  # the preset
    cases.append((np.array([-1000.0, -1001.0]), 1, 1.0))  # every exp underflows
    return cases


@pytest.mark.parametrize("case", range(len(_cases())))
def test_every_number_equals_torch_in_float64(case: int) -> None:
    z, target, temperature = _cases()[case]
    s = sm.softmax(z, temperature)
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    scaled = zt / temperature
    np.testing.assert_allclose(s.probabilities, torch.softmax(scaled, 0).detach().numpy(), **TOL)
    log_p = torch.log_softmax(scaled, 0)
    np.testing.assert_allclose(s.log_probs, log_p.detach().numpy(), **TOL)
    y = torch.tensor([target])
    nll = F.nll_loss(log_p.unsqueeze(0), y)
    ce = F.cross_entropy(scaled.unsqueeze(0), y)
    loss = sm.nll(s.log_probs, target)
    assert math.isclose(loss, nll.item(), rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(loss, ce.item(), rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(sm.cross_entropy(z, target, temperature), ce.item(), rel_tol=1e-12, abs_tol=1e-12)
    (grad,) = torch.autograd.grad(ce, zt)
    ours = sm.grad_logits(s.probabilities, target, temperature)
    np.testing.assert_allclose(ours, grad.numpy(), **TOL)  # (p − onehot) / T
    assert abs(ours.sum()) <= 1e-12 * max(1.0, 1 / temperature)
    assert ours[target] <= 0 and (np.delete(ours, target) >= 0).all()


def test_the_gradient_wrt_a_linear_layer_is_the_outer_product_autograd_gives() -> None:
    rng = np.random.default_rng(3)
    for _ in range(10):
        k, d = int(rng.integers(2, 8)), int(rng.integers(1, 6))
        W, b, x = rng.normal(size=(k, d)), rng.normal(size=k), rng.normal(size=d)
        target, temperature = int(rng.integers(0, k)), float(rng.uniform(0.2, 5))
        Wt = torch.tensor(W, requires_grad=True)
        bt = torch.tensor(b, requires_grad=True)
        logits = (Wt @ torch.tensor(x) + bt) / temperature
        gW, gb = torch.autograd.grad(F.cross_entropy(logits.unsqueeze(0), torch.tensor([target])), (Wt, bt))
        s = sm.softmax(W @ x + b, temperature)
        ours_W, ours_b = sm.grad_linear(sm.grad_logits(s.probabilities, target, temperature), x)
        np.testing.assert_allclose(ours_W, gW.numpy(), **TOL)
        np.testing.assert_allclose(ours_b, gb.numpy(), **TOL)


def test_subtracting_the_max_changes_no_probability_where_naive_works() -> None:
    for z, _, temperature in _cases():
        naive = sm.naive(z, temperature)
        if naive.problem == "none":
            np.testing.assert_allclose(naive.probabilities, sm.softmax(z, temperature).probabilities, **TOL)


def test_the_big_logits_overflow_naively_and_come_out_right_when_shifted() -> None:
    z = np.array([1000.0, 1001.0, 999.0])
    naive = sm.naive(z)
    assert naive.problem == "overflow" and np.isinf(naive.exp).all() and np.isnan(naive.probabilities).all()
    s = sm.softmax(z)
    assert s.shift == 1001.0 and s.exp.max() == 1.0
    np.testing.assert_allclose(s.exp, np.exp([-1.0, 0.0, -2.0]), rtol=1e-15)
    np.testing.assert_allclose(s.probabilities, torch.softmax(torch.tensor(z), 0).numpy(), **TOL)
    under = sm.naive(np.array([-1000.0, -1001.0]))
    assert under.problem == "underflow" and under.exp_sum == 0.0
    assert sm.naive(np.array([2.0, 1.0])).problem == "none"


def test_hand_computed_small_case() -> None:
    s = sm.softmax(np.array([0.0, math.log(3.0)]))  # exps 1 and 3: p = 1/4, 3/4
    np.testing.assert_allclose(s.probabilities, [0.25, 0.75], rtol=1e-15)
    assert math.isclose(sm.nll(s.log_probs, 0), math.log(4.0), rel_tol=1e-15)
    np.testing.assert_allclose(sm.grad_logits(s.probabilities, 0, 2.0), [-0.375, 0.375], rtol=1e-15)


def test_the_frames_tell_the_story_in_order_and_the_steps_are_torch_sgd() -> None:
    z = np.array([2.0, 1.0, 0.1, -1.0])
    frames, result = drain(
        softmax_run.run(z, target=2, temperature=0.5, lr=0.3, steps=7, class_names=["a", "b", "c", "d"])
    )
    kinds = [f.kind for f in frames]
    assert kinds == [
        "logits",
        "exp",
        "normalise",
        "stability",
        "loss",
        "log-softmax",
        "gradient",
        "temperature",
        *["step"] * 7,
        "done",
    ]
    zt = torch.tensor(z, requires_grad=True)
    opt = torch.optim.SGD([zt], lr=0.3)
    losses = []
    for _ in range(8):
        opt.zero_grad()
        loss = F.cross_entropy((zt / 0.5).unsqueeze(0), torch.tensor([2]))
        losses.append(loss.item())
        loss.backward()
        opt.step()
    np.testing.assert_allclose(result["losses"], losses, **TOL)
    np.testing.assert_allclose(frames[-1].state["logits"], frames[-2].state["logits"])
    assert np.all(np.diff(result["losses"]) < 0), "every step lowers the loss"
    means = [float(np.mean(f.state["logits"])) for f in frames]
    np.testing.assert_allclose(means, means[0], atol=1e-12)  # the gradient sums to 0
    temps = frames[7].state["temperatures"]
    np.testing.assert_allclose(temps, [0.125, 0.25, 0.5, 1.0, 2.0])
    sharp, flat = frames[7].state["probabilities_by_temperature"][[0, -1]]
    assert sharp.max() > flat.max()


def test_many_steps_are_grouped_into_at_most_the_frame_cap() -> None:
    frames, result = drain(
        softmax_run.run(np.array([0.0, 1.0]), target=0, temperature=1.0, lr=0.1, steps=200, class_names=["x", "y"])
    )
    steps = [f for f in frames if f.kind == "step"]
    assert len(steps) == softmax_run.MAX_STEP_FRAMES and steps[-1].state["step"] == 200
    assert len(result["losses"]) == 201


def test_a_small_models_steps_are_torch_sgd_on_its_weights_and_bias() -> None:
    rng = np.random.default_rng(4)
    W, b, x = rng.normal(0, 0.5, (3, 4)), np.zeros(3), rng.normal(size=4)
    model = softmax_run.Linear(W.copy(), b.copy(), x)
    frames, result = drain(
        softmax_run.run(
            np.zeros(3), target=1, temperature=2.0, lr=0.5, steps=5, class_names=["a", "b", "c"], model=model
        )
    )
    Wt, bt = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
    opt = torch.optim.SGD([Wt, bt], lr=0.5)
    losses, grads = [], []
    for _ in range(6):
        opt.zero_grad()
        loss = F.cross_entropy(((Wt @ torch.tensor(x) + bt) / 2.0).unsqueeze(0), torch.tensor([1]))
        losses.append(loss.item())
        loss.backward()
        assert Wt.grad is not None
        grads.append(Wt.grad.numpy().copy())
        opt.step()
    np.testing.assert_allclose(result["losses"], losses, **TOL)
    np.testing.assert_allclose(frames[0].state["model"]["grad_weights"], grads[0], **TOL)
    np.testing.assert_allclose(frames[0].state["logits"], W @ x + b, **TOL)
    np.testing.assert_allclose(frames[-1].state["model"]["weights"], Wt.detach().numpy() + 0.5 * grads[-1], **TOL)
