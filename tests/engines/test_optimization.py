"""Optimisation engines: torch.optim's race against the textbook update rules, GD against lstsq."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from app.core.frame import drain
from app.engines import optimization as opt
from app.engines.surfaces import SURFACES

STEPS = 50
SETTINGS: dict[str, dict[str, Any]] = {
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.8},
    "adagrad": {"eps": 1e-10},
    "rmsprop": {"alpha": 0.9, "eps": 1e-8},
    "adam": {"betas": (0.9, 0.99), "eps": 1e-8},
}
LR = {"sgd": 1e-3, "momentum": 5e-4, "nesterov": 5e-4, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.05}


def _grad(surface: str, p: np.ndarray) -> np.ndarray:
    """∇f by autograd on a fresh tensor (the same formula, no optimiser involved)."""
    t = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    SURFACES[surface].formula(t[0], t[1], 10.0).backward()
    assert t.grad is not None
    return t.grad.numpy().copy()


def _textbook(name: str, surface: str, start: tuple[float, float], lr: float, s: dict[str, Any]) -> np.ndarray:
    """The update rules written out: returns the (STEPS + 1, 2) path."""
    p = np.array(start, dtype=float)
    path = [p.copy()]
    b = np.zeros(2)  # momentum buffer / Adam's m
    v = np.zeros(2)  # AdaGrad's sum / RMSProp's and Adam's second moment
    for t in range(1, STEPS + 1):
        g = _grad(surface, p)
        if name == "sgd":
            p = p - lr * g
        elif name == "momentum":  # heavy ball: b ← μb + g (b₁ = g), p ← p − lr·b
            b = g if t == 1 else s["momentum"] * b + g
            p = p - lr * b
        elif name == "nesterov":  # look-ahead form: p ← p − lr·(g + μb)
            b = g if t == 1 else s["momentum"] * b + g
            p = p - lr * (g + s["momentum"] * b)
        elif name == "adagrad":
            v = v + g * g
            p = p - lr * g / (np.sqrt(v) + s["eps"])
        elif name == "rmsprop":
            v = s["alpha"] * v + (1 - s["alpha"]) * g * g
            p = p - lr * g / (np.sqrt(v) + s["eps"])
        else:  # Adam with bias correction
            beta1, beta2 = s["betas"]
            b = beta1 * b + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            m_hat, v_hat = b / (1 - beta1**t), v / (1 - beta2**t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + s["eps"])
        path.append(p.copy())
    return np.array(path)


def _race(
    surface: str,
    specs: list[opt.RunSpec],
    steps: int = STEPS,
    noise: float = 0.0,
    start: tuple[float, float] | None = None,
) -> tuple[list[Any], dict[str, Any]]:
    s = SURFACES[surface]
    return drain(
        opt.run(
            s,
            kappa=10.0,
            start=start or s.start,
            steps=steps,
            gradient_noise=noise,
            runs=specs,
            rng=np.random.default_rng(0),
        )
    )


@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.parametrize("surface", ["rosenbrock", "beale"])
def test_path_equals_the_textbook_rule(name: str, surface: str) -> None:
    start = SURFACES[surface].start
    _, result = _race(surface, [opt.RunSpec(name, LR[name], SETTINGS[name], name)])
    path = result["paths"][0]
    assert not path["diverged"] and path["points"].shape == (STEPS + 1, 2)
    np.testing.assert_allclose(
        path["points"], _textbook(name, surface, start, LR[name], SETTINGS[name]), rtol=0, atol=1e-9
    )


def test_quadratic_sgd_by_hand() -> None:
    # f = ½(x² + 10y²): ∇f = (x, 10y); one SGD step of lr 0.1 from (1, 1) gives (0.9, 0.0).
    _, result = _race("quadratic", [opt.RunSpec("sgd", 0.1, {}, "sgd")], steps=1, start=(1.0, 1.0))
    np.testing.assert_allclose(result["paths"][0]["points"], [[1.0, 1.0], [0.9, 0.0]], atol=1e-15)
    np.testing.assert_allclose(result["paths"][0]["losses"], [5.5, 0.405])


def test_state_holds_torch_optim_moments_and_frames_are_thinned() -> None:
    frames, result = _race(
        "rosenbrock",
        [opt.RunSpec("adam", 0.05, SETTINGS["adam"], "adam"), opt.RunSpec("sgd", 1e-3, {}, "sgd")],
        steps=500,
    )
    assert len(frames) == opt.FRAME_CAP + 1 and frames[-1].state["step"] == 500
    assert [f.kind for f in frames[:2]] == ["start", "step"] and frames[-1].kind == "end"
    adam, sgd = frames[3].state["runs"]
    assert set(sgd) >= {"optimizer", "position", "loss", "gradient"} and "moment" not in sgd
    assert adam["moment"].shape == (2,) and np.isfinite(adam["moment"]).all()
    # The path segments of all frames put together are the whole path.
    joined = np.concatenate([f.visual["segments"][0] for f in frames])
    np.testing.assert_array_equal(joined, result["paths"][0]["points"])


def test_a_diverging_run_stops_and_the_others_go_on() -> None:
    frames, result = _race(
        "rosenbrock",
        [opt.RunSpec("sgd", 0.05, {}, "sgd"), opt.RunSpec("adam", 0.05, SETTINGS["adam"], "adam")],
        steps=100,
    )
    bad, good = result["paths"]
    assert bad["diverged"] and not good["diverged"]
    assert len(good["points"]) == 101 and len(bad["points"]) < 101
    assert np.isfinite(bad["points"]).all()
    assert any("sgd diverged at step" in f.caption for f in frames)
    assert all(np.isfinite(v) for f in frames for v in f.metrics.values())


def test_gradient_noise_is_seeded_and_shared() -> None:
    specs = [opt.RunSpec("sgd", 1e-3, {}, "a"), opt.RunSpec("sgd", 1e-3, {}, "b")]
    _, one = _race("rosenbrock", specs, noise=5.0)
    _, two = _race("rosenbrock", specs, noise=5.0)
    _, clean = _race("rosenbrock", specs)
    np.testing.assert_array_equal(one["paths"][0]["points"], two["paths"][0]["points"])
    np.testing.assert_array_equal(one["paths"][0]["points"], one["paths"][1]["points"])  # same noise for all
    assert not np.allclose(one["paths"][0]["points"], clean["paths"][0]["points"])


# ------------------------------------------------------------------------------------------- gradient descent


def _data(d: int = 1, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, d))
    return X, X @ np.arange(1.0, d + 1) + 0.5 + 0.1 * rng.normal(size=n)


def test_batch_gd_lands_on_least_squares() -> None:
    X, y = _data(2)
    _, result = drain(
        opt.run_gd(
            X, y, variants=["batch"], batch_size=8, rates=[0.2] * 400, scaling="none", rng=np.random.default_rng(0)
        )
    )
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    np.testing.assert_allclose(result["exact"]["w"], theta[:2], atol=1e-12)
    np.testing.assert_allclose(result["variants"][0]["w"], theta[:2], atol=1e-6)
    assert result["variants"][0]["b"] == pytest.approx(theta[2], abs=1e-6)


def test_one_batch_step_is_w_minus_lr_grad() -> None:
    X, y = _data(1)
    lr = 0.1
    _, result = drain(
        opt.run_gd(X, y, variants=["batch"], batch_size=8, rates=[lr], scaling="none", rng=np.random.default_rng(0))
    )
    r = -y  # residual at w = 0, b = 0
    w1 = 0 - lr * 2 / len(y) * (X.T @ r)
    b1 = 0 - lr * 2 / len(y) * r.sum()
    # The engine writes the same step with the Gram matrix (θ − s(Gθ − c)): equal up to rounding.
    np.testing.assert_allclose(result["variants"][0]["w"], w1, rtol=1e-13)
    assert result["variants"][0]["b"] == pytest.approx(b1, rel=1e-13)


def test_variants_count_their_updates_and_scaling_is_said() -> None:
    X, y = _data(1, n=50)
    frames, result = drain(
        opt.run_gd(
            opt.scale(X, "standardize"),
            y,
            variants=["batch", "mini-batch", "stochastic"],
            batch_size=10,
            rates=[0.01] * 3,
            scaling="standardize",
            rng=np.random.default_rng(0),
        )
    )
    assert [v["updates"] for v in result["variants"]] == [3, 15, 150]
    assert result["scaling"] == "standardize"
    assert len(frames) == opt.GD_FRAME_CAP + 1
    assert {row["variant"] for row in frames[-1].state["variants"]} == {"batch", "mini-batch", "stochastic"}


@pytest.mark.parametrize("how", ["minmax", "standardize"])
def test_scaling(how: str) -> None:
    X = np.array([[0.0, 5.0], [10.0, 5.0], [5.0, 5.0]])
    Xs = opt.scale(X, how)
    assert np.isfinite(Xs).all()
    if how == "minmax":
        np.testing.assert_allclose(Xs[:, 0], [0.0, 1.0, 0.5])
    else:
        assert Xs[:, 0].mean() == pytest.approx(0.0) and Xs[:, 0].std() == pytest.approx(1.0)


def test_schedules() -> None:
    assert opt.learning_rate(1.0, "step", 25, 0.1, 0.5, 10) == 0.25
    assert opt.learning_rate(1.0, "inverse-time", 10, 0.1, 0.5, 10) == pytest.approx(0.5)
    assert opt.learning_rate(1.0, "exponential", 10, 0.1, 0.5, 10) == pytest.approx(np.exp(-1.0))
