"""Logistic regression and perceptron captions tell the truth (issue 9): "settled" is a stopping test, growing
weights on separable data are named, steps are counted over every epoch a frame covers, and the perceptron's lr
only rescales w from w = 0."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons

from app.core.frame import drain
from app.datasets import generators
from app.engines import boundary, linear, perceptron
from app.schemas.boundary import LogisticRegressionParams, PerceptronParams


def _logistic(X: np.ndarray, y: np.ndarray, test_fraction: float = 0.3, **kw: object) -> tuple[list, dict]:
    parts = boundary.split(y, test_fraction, np.random.default_rng(0))
    args: dict = {
        "n_classes": int(y.max()) + 1,
        "lr": 0.5,
        "epochs": 100,
        "batch_size": 32,
        "l2": 0.001,
        "polynomial_degree": 1,
        "grid_size": 20,
        "feature_names": ("x1", "x2"),
        "rng": np.random.default_rng(0),
    }
    args.update(kw)
    return drain(linear.logistic_regression(X, y, parts, **args))


def test_tiny_learning_rate_is_not_called_settled() -> None:
    X, y = make_moons(200, noise=0.2, random_state=0)
    frames, result = _logistic(X, y, lr=1e-4)
    assert not any("Settled:" in f.caption or "has settled" in f.caption or "settled at" in f.caption for f in frames)
    assert "Crawling" in frames[1].caption and "may be too small" in frames[1].caption
    assert not any(f.state.get("settled") for f in frames) and result["settled_epoch"] is None
    assert frames[-1].state["gradient_norm"] > linear.GRAD_TOL and "has not settled" in frames[-1].caption


def test_settled_only_when_the_stopping_test_holds() -> None:
    X, y = make_moons(100, noise=0.2, random_state=0)
    frames, result = _logistic(X, y, lr=1.0, epochs=600, batch_size=10_000)
    settled = [f for f in frames if "Settled:" in f.caption]
    assert settled and result["settled_epoch"] is not None
    for f in frames[:-1]:
        says = "Settled:" in f.caption
        assert says == (f.state["gradient_norm"] < linear.GRAD_TOL and f.state["settled"]), f.caption
    assert f"settled at epoch {result['settled_epoch']}" in frames[-1].caption


def test_separable_data_says_the_weights_keep_growing() -> None:
    X, y = make_blobs(60, centers=[[-3, 0], [3, 0]], cluster_std=0.5, random_state=0)
    frames, result = _logistic(X, y, test_fraction=0.0, l2=0.0, epochs=200)
    growing = [f for f in frames if "‖W‖ grew" in f.caption]
    assert growing and all("never settles" in f.caption for f in growing)
    norms = [f.state["weight_norm"] for f in frames]
    assert norms[-1] > norms[len(norms) // 2] > norms[1]  # it really does keep growing
    assert result["train_accuracy"] == 1.0 and "never will" in frames[-1].caption


def test_thinned_frames_count_every_step_they_cover_and_no_minus_zero() -> None:
    X, y = make_moons(100, noise=0.2, random_state=0)  # 70 training rows, batches of 32: 3 steps per epoch
    frames, _ = _logistic(X, y, epochs=400)
    total = 0
    for f in frames[1:-1]:
        match = re.match(r"Epochs? (\d+)(?:–(\d+))? of 400 \(([\d,]+) gradient steps?", f.caption)
        assert match, f.caption
        first, last = int(match[1]), int(match[2] or match[1])
        assert int(match[3].replace(",", "")) == 3 * (last - first + 1)
        total += 3 * (last - first + 1)
        assert "-0.0000" not in f.caption and "+0.0000" not in f.caption
    assert total == 3 * 400 and "(1,200 gradient steps)" in frames[-1].caption


def test_batch_larger_than_the_data_is_clamped_and_said() -> None:
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    y = np.array([0, 0, 1, 1])
    frames, _ = _logistic(X, y, test_fraction=0.0, batch_size=32, epochs=3)
    assert "A batch size of 32 is more than the 4 training points" in frames[0].caption
    assert "on batches of 4" in frames[1].caption


def _perceptron(lr: float, epochs: int = 30, data: str = "blobs") -> tuple[list, dict]:
    X, y = generators.blobs(80, centers=2, seed=2) if data == "blobs" else generators.xor(60)
    parts = boundary.split(y, 0.25, np.random.default_rng(0))
    return drain(
        perceptron.perceptron(
            X, y, parts, lr=lr, epochs=epochs, shuffle=True, grid_size=20, rng=np.random.default_rng(4)
        )
    )


def test_perceptron_lr_only_rescales_the_weights() -> None:
    (small, r_small), (big, r_big) = _perceptron(0.01), _perceptron(7.0)
    assert [f.state["misclassified"] for f in small] == [f.state["misclassified"] for f in big]
    assert r_small["errors_per_epoch"] == r_big["errors_per_epoch"]
    assert r_big["weights"] == pytest.approx(r_small["weights"] * 700) and r_big["bias"] == pytest.approx(
        r_small["bias"] * 700
    )
    assert "only scales w and b" in small[0].caption and "same mistakes" in small[0].caption
    assert "same mistakes" in (PerceptronParams.model_fields["lr"].description or "")


def test_perceptron_allows_1000_epochs_and_says_what_a_thinned_frame_covers() -> None:
    assert PerceptronParams(epochs=1000).epochs == 1000
    frames, result = _perceptron(1.0, epochs=1000, data="xor")
    updates = [f for f in frames if f.kind == "update"]
    assert len(result["errors_per_epoch"]) == 1000 and len(updates) <= perceptron.MAX_UPDATE_FRAMES
    covered = 0
    for f in updates:
        match = re.search(r"this is update ([\d,]+) of ([\d,]+), standing for the ([\d,]+) updates?", f.caption)
        assert match, f.caption
        covered += int(match[3].replace(",", ""))
        assert int(match[2].replace(",", "")) == result["n_updates"]
    assert covered == result["n_updates"] == sum(result["errors_per_epoch"])  # every update is accounted for
    assert int(re.search(r"update ([\d,]+) of", updates[-1].caption)[1].replace(",", "")) == result["n_updates"]
    assert "1,000 epochs" in frames[-1].caption


def test_logistic_params_default_is_unchanged() -> None:
    assert LogisticRegressionParams().batch_size == 32


def test_weights_flipped_by_a_large_penalty_end_on_a_diverged_frame() -> None:
    # lr·l2 = 3.5: each step multiplies W by −2.5; the loss stayed finite (1e154) while ‖∇‖ overflowed.
    X, y = make_moons(200, noise=0.2, random_state=0)
    with np.errstate(over="ignore", invalid="ignore"):
        frames, result = _logistic(X, y, l2=7.0)
    assert frames[-1].kind == "diverged" and result["diverged"]
    assert "1 − lr·l2 = -2.5" in frames[-1].caption
    assert all(np.isfinite(f.state["gradient_norm"]) and f.state["loss"] < linear.DIVERGED_LOSS for f in frames[:-1])
