"""Issue 9 for the neural-network lab: it never fails, divergence ends on a "diverged" frame with finite
state, captions say what the frame's own numbers show (symmetry, how the run ended), batches are clamped."""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

import numpy as np
import pytest
import torch

from app.catalog import Algorithm, get_algorithm
from app.core.frame import Frame, drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import neural, nn_model
from app.labs.neural import NeuralInputs
from app.schemas.common import ParamsError
from app.schemas.datasets import InlineData, XorSpec
from app.schemas.neural import NeuralParams, PlaneSpec

_LAB = get_algorithm("neural-network")
assert _LAB is not None
LAB: Algorithm = _LAB
TINY: dict[str, Any] = {"dataset": XorSpec(n_samples=40), "hidden_layers": [4, 4], "epochs": 6, "frame_every": 3}


def _run(seed: int = 0, **params: Any) -> tuple[list[Frame], dict[str, Any], NeuralInputs]:
    p = NeuralParams(**params)
    inputs = LAB.prepare(p, DEFAULT_LIMITS)
    frames, result = drain(LAB.engine(inputs, p, np.random.default_rng(seed)))
    return frames, result, inputs


def _finite(x: Any) -> bool:
    """No NaN/inf anywhere in a state/result tree (None is fine: it is JSON null)."""
    if isinstance(x, dict):
        return all(_finite(v) for v in x.values())
    if isinstance(x, list | tuple):
        return all(_finite(v) for v in x)
    if isinstance(x, np.ndarray):
        return x.dtype.kind != "f" or bool(np.isfinite(x).all())
    if isinstance(x, float):
        return math.isfinite(x)
    return True


def _check_frames(frames: list[Frame], result: dict[str, Any]) -> None:
    """What the service needs: finite metrics and state, JSON without NaN, honest plurals, an ending frame."""
    assert frames[-1].kind in ("done", "diverged")
    for f in frames:
        assert _finite(f.state) and _finite(f.metrics), f.kind
        assert "NaN" not in encode({"state": f.state, "metrics": f.metrics})
        assert "nan" not in f.caption.replace("NaN or infinite", ""), f.caption
        assert not re.search(
            r"(?<![\d.,])1 (epochs|steps|parameters|layers|neurons|points|training points)\b", f.caption
        ), f.caption
    assert _finite(result)


# Item 1: the first layer's gradient exactly 0 used to divide by zero.


@pytest.mark.parametrize(
    "params",
    [
        {"optimizer": "adam", "lr": 3.0, "epochs": 30},
        {"activation": "relu", "optimizer": "rmsprop", "lr": 0.3, "epochs": 50},
    ],
)
def test_issue_repros_with_a_zero_first_layer_gradient_run_to_the_end(params: dict[str, Any]) -> None:
    frames, result, _ = _run(**params)
    _check_frames(frames, result)
    zero = [f for f in frames if f.state.get("grad_norms") and f.state["grad_norms"][0] == 0]
    assert zero, "the repro is meant to reach an exactly-0 first-layer gradient"
    said = [f for f in zero if "exactly 0" in f.caption]
    assert said  # said at least once (an unchanged note is not repeated on every frame)


def test_gradient_note_with_zero_gradients_names_the_cause() -> None:
    stats = [
        {"mean": 0.0, "std": 0.0, "dead": 1.0, "saturated": 1.0},
        {"mean": 0.1, "std": 0.3, "dead": 0.0, "saturated": 0.0},
    ]
    key, text = neural._gradient_note([0.0, 0.2, 1.0], stats, [False, False, False], False, "relu", "in the last step")
    assert key == "zero" and "exactly 0" in text and "layer 1" in text
    key, text = neural._gradient_note([0.0, 0.0, 0.0], stats, [True, True, True], False, "relu", "here")
    assert key == "all-zero" and "no weight changes" in text
    key, text = neural._gradient_note([1e-4, 0.5, 1.0], stats, [False] * 3, False, "tanh", "here")
    assert key == "vanish" and "10,000× smaller" in text


@pytest.mark.parametrize("optimizer", nn_model.OPTIMIZERS)
def test_small_lr_activation_grid_never_fails(optimizer: str) -> None:
    # The issue's sweep (3 learning rates × every optimiser × every activation), on a tiny config.
    for lr, activation in itertools.product((0.3, 3.0, 10.0), nn_model.ACTIVATIONS):
        frames, result, _ = _run(optimizer=optimizer, lr=lr, activation=activation, **TINY)
        _check_frames(frames, result)
        assert result["diverged"] == (frames[-1].kind == "diverged")


# Item 2: NaN weights after a finite mini-batch loss used to crash in torch.histc.


def test_issue_divergence_repro_ends_on_a_diverged_frame_with_finite_state() -> None:
    frames, result, _ = _run(
        dataset=PlaneSpec(), activation="relu", optimizer="sgd", lr=10.0, init="normal", hidden_layers=[8, 8, 8]
    )
    _check_frames(frames, result)
    last = frames[-1]
    assert last.kind == "diverged" and result["diverged"] is True and last.metrics == {}
    assert last.state["diverged_what"] in ("loss", "gradient", "weights", "activations", "outputs", "exploded")
    assert "lr 10" in last.caption and "ReLU" in last.caption and "normal init" in last.caption
    assert result["epochs_run"] == last.state["epoch"]


def test_nan_weights_with_a_finite_loss_are_caught_before_any_picture() -> None:
    # The exact failure: a finite mini-batch loss, then the parameters are NaN. Every frame-feeding tensor counts.
    data = LAB.prepare(NeuralParams(**TINY), DEFAULT_LIMITS).data
    config = nn_model.TrainConfig(
        hidden_layers=(4, 4), activation="relu", init="normal", optimizer="sgd", lr=0.1, batch_size=10, epochs=2
    )
    t = nn_model.Trainer(config, data, rng=np.random.default_rng(0), shown=8, dtype=torch.float32)
    t.epoch()
    assert math.isfinite(t.worst_objective) and t.blowup() is None
    with torch.no_grad():
        t.model.weights[1][0, 0] = math.nan
    assert t.blowup() == ("weights", 2)
    assert t.evaluate() == {"blowup": ("activations", 2)}  # no torch.histc on NaN


def test_untrained_overflow_says_so_instead_of_blaming_the_learning_rate() -> None:
    text = neural._diverged_caption(
        0,
        ("activations", 3),
        4,
        worst=math.nan,
        start=math.nan,
        lr=0.03,
        l2=0.0,
        optimizer="adam",
        activation="relu",
        init="normal",
    )
    assert "untrained" in text and "lr " not in text and "learning rate" not in text


# Item 3: symmetry, not vanishing gradients; and the last frame says how the run ended.


@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_constant_and_zero_init_are_called_symmetry_and_state_shows_it(init: str) -> None:
    frames, _, _ = _run(init=init, **TINY)
    for f in frames:
        assert f.state["identical_neurons"] == [True, True]
    assert "identical gradients" in frames[0].caption and "symmetry" in frames[0].caption
    assert not any("vanish" in f.caption for f in frames)
    for w in frames[-1].state["weights"][:-1]:  # the drawn rows of each hidden layer are equal
        np.testing.assert_allclose(w, np.broadcast_to(w[0], w.shape), atol=1e-6)


def test_random_init_has_no_identical_neurons() -> None:
    frames, _, _ = _run(**TINY)
    assert frames[-1].state["identical_neurons"] == [False, False]
    assert not any("symmetry" in f.caption for f in frames)


def test_a_run_stuck_at_chance_says_so() -> None:
    frames, result, inputs = _run(init="zeros", activation="relu", **TINY)
    data = inputs.data
    chance = float(np.mean(data.y_test == np.bincount(data.y_train).argmax()))
    assert result["test_accuracy"] <= chance + 0.02
    assert "stuck at chance" in frames[-1].caption and "Done" not in frames[-1].caption


def test_a_good_run_compares_with_chance_and_says_how_the_loss_ended() -> None:
    frames, result, _ = _run(dataset=XorSpec(n_samples=80), epochs=40, frame_every=10)
    text = frames[-1].caption
    assert result["test_accuracy"] > 0.8 and "stuck" not in text
    assert re.search(r"against \d+ % for always answering the most common class", text)
    assert any(phrase in text for phrase in ("still falling", "levelled off", "rose at the end", "barely moved"))


def test_trend_is_judged_against_the_starting_loss() -> None:
    # Mini-batch noise at a tiny loss is not "rising"; a slow steady fall is "still falling".
    assert "levelled off" in neural._trend([0, 90, 100], [0.69, 0.0035, 0.0062], 100)
    assert "still falling" in neural._trend([0, 25, 30], [0.69, 0.60, 0.55], 30)
    assert "ended above where it started" in neural._trend([0, 25, 30], [0.69, 4.2, 3.8], 30)
    crawl = neural._trend([0, 25, 30], [0.6949, 0.6899, 0.6891], 30)  # sgd at lr 0.001: not "levelled off"
    assert "barely moved" in crawl and "still falling slowly" in crawl and "levelled" not in crawl


def test_regression_ends_against_predicting_the_mean() -> None:
    frames, _, _ = _run(dataset=PlaneSpec(n_samples=60), hidden_layers=[4], epochs=10, frame_every=5)
    assert "for always predicting the mean training target" in frames[-1].caption
    assert "R² =" in frames[-1].caption


def test_overfitting_needs_a_gap_beyond_sampling_noise() -> None:
    assert not neural._overfits(1.0, 0.67, 3, 3)  # 3 test points cannot show it
    assert not neural._overfits(0.59, 0.45, 50, 50)
    assert neural._overfits(1.0, 0.7, 100, 100)


# Item 4: a batch larger than the training set is clamped, not a 422.


def test_default_batch_size_is_clamped_to_a_small_dataset() -> None:
    tiny = InlineData(X=[[0, 0], [1, 1], [0, 1], [1, 0], [2, 2], [3, 1]], y=[0, 1, 1, 0, 1, 0])
    frames, result, inputs = _run(dataset=tiny, epochs=3, frame_every=1)
    n_train = inputs.train.size
    assert n_train == 3 and NeuralParams().batch_size == 10
    assert all(f.state["batch_size"] == n_train for f in frames)
    assert frames[0].caption.startswith("Note: batch size = 10 is more than the 3 training points")
    assert "full-batch" in frames[0].caption
    _check_frames(frames, result)


def test_batch_norm_on_a_single_training_point_is_still_refused() -> None:
    with pytest.raises(ParamsError) as err:
        LAB.prepare(NeuralParams(dataset=InlineData(X=[[0, 0], [1, 1]], y=[0, 1]), batch_norm=True), DEFAULT_LIMITS)
    assert err.value.loc == ("batch_size",) and "1 training point)" in err.value.msg


def test_huge_inline_coordinates_are_standardised_without_overflow() -> None:
    X = np.array([[1e308, 0.0], [-1e308, 1.0], [0.0, 2.0]])
    scaled, standardised = nn_model.scale_inputs(X)
    assert standardised and np.isfinite(scaled).all()
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1, atol=1e-12)
