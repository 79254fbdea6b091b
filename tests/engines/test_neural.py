"""Neural-network engine: a plain reference torch loop as the oracle, hand cases, and the issue's claims."""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

from app.catalog import Algorithm, get_algorithm
from app.core.frame import Frame, drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import neural
from app.engines.nn_model import TrainConfig, feature_map
from app.labs.neural import NeuralInputs, train_config
from app.schemas.datasets import CirclesSpec, MoonsSpec
from app.schemas.neural import NeuralParams, PlaneSpec

_LAB = get_algorithm("neural-network")
assert _LAB is not None
LAB: Algorithm = _LAB


def _lab_run(seed: int = 0, **params: Any) -> tuple[list[Frame], dict[str, Any], NeuralInputs]:
    p = NeuralParams(**params)
    inputs = LAB.prepare(p, DEFAULT_LIMITS)
    frames, result = drain(LAB.engine(inputs, p, np.random.default_rng(seed)))
    return frames, result, inputs


def _data(n: int = 60) -> neural.Data:
    X, y = MoonsSpec(n_samples=n, noise=0.2).load().X, MoonsSpec(n_samples=n, noise=0.2).load().y
    assert y is not None
    F = feature_map(X, ["x1", "x2"])
    return neural.Data(F[: n // 2], y[: n // 2], F[n // 2 :], y[n // 2 :], F[:4], F[:4], n_classes=2)


def _reference_losses(
    data: neural.Data,
    *,
    hidden: list[int],
    act: type[nn.Module],
    batch_norm: bool,
    optimizer: str,
    lr: float,
    l1: float,
    l2: float,
    schedule: str,
    batch_size: int,
    epochs: int,
    seed: int,
) -> list[float]:
    """The textbook loop: nn.Sequential, torch.optim, randperm batches; init drawn the same documented way."""
    init_seed, batch_seed, _ = (int(s) for s in np.random.default_rng(seed).integers(2**31, size=3))
    g = torch.Generator().manual_seed(init_seed)
    widths = [data.X_train.shape[1], *hidden, 2]
    layers: list[nn.Module] = []
    linears = []
    for i, (a, b) in enumerate(itertools.pairwise(widths)):
        lin = nn.Linear(a, b, dtype=torch.float64)
        w = torch.empty(b, a, dtype=torch.float64)
        nn.init.xavier_uniform_(w, generator=g)
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.zero_()
        linears.append(lin)
        layers.append(lin)
        if i < len(hidden):
            if batch_norm:
                layers.append(nn.BatchNorm1d(b, dtype=torch.float64))
            layers.append(act())
    model = nn.Sequential(*layers)
    if optimizer == "adam":
        opt: torch.optim.Optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    sched: Any = (
        torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, epochs // 4), gamma=0.5)
        if schedule == "step"
        else torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    )
    X = torch.tensor(data.X_train)
    y = torch.tensor(data.y_train)
    batches = torch.Generator().manual_seed(batch_seed)
    losses = []
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(X), generator=batches)
        for start in range(0, len(X), batch_size):
            idx = perm[start : start + batch_size]
            if batch_norm and len(idx) < 2:
                continue
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            for lin in linears:
                loss = loss + l1 * lin.weight.abs().sum() + l2 * (lin.weight**2).sum()
            loss.backward()
            opt.step()
        sched.step()
        model.eval()
        with torch.no_grad():
            losses.append(float(nn.functional.cross_entropy(model(X), y)))
    return losses


@pytest.mark.parametrize(
    ("act_name", "act", "batch_norm", "optimizer", "schedule", "l1", "l2"),
    [
        ("tanh", nn.Tanh, False, "adam", "step", 0.0, 1e-3),
        ("relu", nn.ReLU, True, "momentum", "cosine", 1e-3, 0.0),
    ],
)
def test_training_equals_a_plain_torch_loop(
    act_name: str, act: type[nn.Module], batch_norm: bool, optimizer: str, schedule: str, l1: float, l2: float
) -> None:
    data, epochs = _data(), 6
    config = TrainConfig(
        hidden_layers=(6, 5),
        activation=act_name,
        leaky_slope=0.01,
        init="xavier_uniform",
        dropout=0.0,
        batch_norm=batch_norm,
        l1=l1,
        l2=l2,
        loss="cross_entropy",
        optimizer=optimizer,
        lr=0.05,
        schedule=schedule,
        batch_size=7,
        epochs=epochs,
    )
    frames, _ = drain(
        neural.run(data, config, frame_every=1, shown=8, rng=np.random.default_rng(5), dtype=torch.float64)
    )
    ours = [f.state["train_loss"] for f in frames[1:]]
    ref = _reference_losses(
        data,
        hidden=[6, 5],
        act=act,
        batch_norm=batch_norm,
        optimizer=optimizer,
        lr=0.05,
        l1=l1,
        l2=l2,
        schedule=schedule,
        batch_size=7,
        epochs=epochs,
        seed=5,
    )
    assert len(ours) == epochs
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-6)
    assert ours[-1] < frames[0].state["train_loss"]  # and it learned something


def test_zero_init_logistic_regression_starts_at_ln2() -> None:
    # No hidden layer, all weights and biases 0: both logits are 0, so p = 1/2 and the loss is ln 2 exactly.
    frames, _, _ = _lab_run(hidden_layers=[], init="zeros", epochs=1)
    assert frames[0].state["train_loss"] == pytest.approx(math.log(2), abs=1e-6)
    assert frames[0].state["train_accuracy"] in (0.5, pytest.approx(0.5, abs=0.1))


def test_zero_init_mse_regression_starts_at_mean_square_target() -> None:
    frames, _, inputs = _lab_run(dataset=PlaneSpec(), hidden_layers=[4], init="zeros", epochs=1)
    y = inputs.y[inputs.train]
    assert frames[0].state["train_loss"] == pytest.approx(float(np.mean(y**2)), rel=1e-5)
    assert "train_accuracy" not in frames[0].state


def test_constant_init_keeps_the_neurons_of_a_layer_identical() -> None:
    frames, _, _ = _lab_run(init="constant", epochs=20, hidden_layers=[4, 4])
    thumbs = frames[-1].visual["thumbs"][0]  # (shown neurons, t·t): the first layer's outputs
    np.testing.assert_allclose(thumbs, np.broadcast_to(thumbs[0], thumbs.shape), atol=1e-5)


@pytest.mark.parametrize("data_seed", [0, 7, 21])
def test_defaults_on_circles_reach_test_accuracy_090(data_seed: int) -> None:
    _, result, _ = _lab_run(seed=data_seed, dataset=CirclesSpec(noise=0.1, seed=data_seed))
    assert result["test_accuracy"] >= 0.9 and not result["diverged"]
    assert result["epochs_run"] == 100


@pytest.mark.parametrize("seed", [0, 1])
def test_sigmoid_stack_vanishes_relu_he_does_not(seed: int) -> None:
    deep = {"hidden_layers": [16] * 8, "epochs": 1}
    frames, _, _ = _lab_run(seed=seed, activation="sigmoid", init="normal", **deep)
    norms = frames[0].state["grad_norms"]
    assert len(norms) == 9 and norms[0] * 100 <= norms[-1]
    assert "vanishes" in frames[0].caption
    frames, _, _ = _lab_run(seed=seed, activation="relu", init="he_normal", **deep)
    norms = frames[0].state["grad_norms"]
    assert 0.1 <= norms[0] / norms[-1] <= 10


def test_lr_03_with_l2_10_diverges_with_a_kind_caption() -> None:
    frames, result, _ = _lab_run(optimizer="sgd", lr=0.3, l2=10.0, epochs=50)
    assert frames[-1].kind == "diverged" and result["diverged"] is True
    assert "L2" in frames[-1].caption and "learning rate below" in frames[-1].caption
    assert result["epochs_run"] < 50 and result["test_accuracy"] is None
    assert all(math.isfinite(v) for f in frames for v in f.metrics.values())


def test_frames_are_bounded_and_keep_first_and_last() -> None:
    assert neural.frame_epochs(10, 3) == [0, 3, 6, 9, 10]
    marks = neural.frame_epochs(2000, 1)
    assert len(marks) <= neural.MAX_FRAMES and marks[0] == 0 and marks[-1] == 2000


def test_state_carries_contract_fields_and_drawn_weights() -> None:
    frames, result, _ = _lab_run(hidden_layers=[12, 3], epochs=4, frame_every=2, dropout=0.2, batch_norm=True)
    assert [f.kind for f in frames] == ["init", "epoch", "done"]
    state = frames[-1].state
    assert {
        "epoch",
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
        "grad_norms",
        "weights",
        "activation_stats",
    } <= set(state)
    assert [np.shape(w) for w in state["weights"]] == [(8, 2), (3, 8), (2, 3)]  # 12 wide: 8 drawn
    assert [np.shape(w) for w in result["weights"]] == [(12, 2), (3, 12), (2, 3)]
    assert set(state["activation_stats"][0]) == {"mean", "std", "dead", "saturated"}
    assert {"train_accuracy", "test_accuracy", "final_train_loss", "final_test_loss", "epochs_run", "diverged"} <= set(
        result
    )


def test_same_seed_same_frames_and_dead_relus_are_reported() -> None:
    a, _, _ = _lab_run(seed=3, epochs=3, frame_every=1, dropout=0.3)
    b, _, _ = _lab_run(seed=3, epochs=3, frame_every=1, dropout=0.3)
    assert [f.state["train_loss"] for f in a] == [f.state["train_loss"] for f in b]
    frames, _, _ = _lab_run(activation="relu", init="constant", epochs=1, hidden_layers=[8])
    assert frames[0].state["activation_stats"][0]["dead"] in (0.0, 1.0)


def test_every_hyperparameter_of_the_engine_is_a_param_of_the_lab() -> None:
    # TrainConfig is the engine's one spelling of them; the lab builds it from NeuralParams' fields of the same name.
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    assert fields <= set(NeuralParams.model_fields)
    inputs = LAB.prepare(NeuralParams(), DEFAULT_LIMITS)
    config = train_config(NeuralParams(batch_size=10_000), inputs)
    assert config.batch_size == inputs.train.size and config.loss == inputs.loss == "cross_entropy"
    defaults, engine_defaults = NeuralParams(), TrainConfig()
    assert engine_defaults.hidden_layers == tuple(defaults.hidden_layers)
    assert all(getattr(engine_defaults, f) == getattr(defaults, f) for f in fields - {"hidden_layers", "loss"})
