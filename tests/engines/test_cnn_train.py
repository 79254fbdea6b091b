"""The CNN lab's training loop (``app.engines.cnn_train``): every step's loss equals a plain, hand-written torch
loop with the same seed, data order and initial weights (float32, ≤ 1e-6); augmentation is an exact shift at
whole pixels; frame marks; the quantised pictures; a feature-map frame ≤ 64 KB at defaults; and (slow) the
defaults reach ≥ 0.95 test accuracy on the digits."""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix
from torch import nn
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.datasets.images import digits
from app.encoding import encode
from app.engines import cnn_model, cnn_train
from app.labs.cnn import CNN
from app.schemas.cnn import CnnParams

LAYERS: list[dict[str, Any]] = [
    {"type": "conv", "filters": 4, "kernel": 3, "padding": 1, "stride": 1},
    {"type": "relu"},
    {"type": "maxpool", "size": 2, "stride": 2},
    {"type": "dense", "units": 12},
    {"type": "tanh"},
]


def _data(n: int = 120) -> cnn_train.CnnData:
    images = digits()
    X = (images.images[:n].astype(np.float32) / 255).transpose(0, 3, 1, 2).copy()  # (n, 1, 8, 8)
    y = images.labels[:n]
    cut = (3 * n) // 4
    return cnn_train.CnnData(X[:cut], y[:cut], X[cut:], y[cut:], images.class_names)


def _plan(optimizer: str, **kw: Any) -> cnn_train.TrainPlan:
    base: dict[str, Any] = dict(layers=LAYERS, optimizer=optimizer, lr=0.05, batch_size=16, epochs=3, augment=False)
    return cnn_train.TrainPlan(**(base | {"sample": 0} | kw))


def _hand_model() -> nn.Sequential:
    """The same network written out by hand (the builder adds a flatten and the output layer)."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 12),
        nn.Tanh(),
        nn.Linear(12, 10),
    )


def _plain_loop(data: cnn_train.CnnData, plan: cnn_train.TrainPlan, seed: int) -> list[float]:
    generator = torch.Generator().manual_seed(seed)
    built, _ = cnn_model.build(LAYERS, (1, 8, 8), 10, generator)  # draws the initial weights from generator
    model = _hand_model()
    model.load_state_dict(built.state_dict())
    if plan.optimizer == "adam":
        opt: torch.optim.Optimizer = torch.optim.Adam(model.parameters(), lr=plan.lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=plan.lr, momentum=0.9 if plan.optimizer == "momentum" else 0)
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    losses = []
    for _ in range(plan.epochs):
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y), plan.batch_size):
            idx = order[start : start + plan.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            losses.append(loss.item())
    return losses


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_every_step_loss_equals_a_plain_torch_loop(optimizer: str) -> None:
    data = _data()
    plan = _plan(optimizer)
    frames, result = drain(cnn_train.run(data, plan, seed=123))
    expected = _plain_loop(data, plan, 123)
    assert len(result["step_losses"]) == len(expected) == 3 * math.ceil(90 / 16)
    np.testing.assert_allclose(result["step_losses"], expected, rtol=0, atol=1e-6)
    assert frames[0].kind == "init" and frames[-1].kind == "done"


def test_result_counts_confusion_and_model_file() -> None:
    data = _data()
    frames, result = drain(cnn_train.run(data, _plan("adam"), seed=5))
    model, table = cnn_model.build(LAYERS, (1, 8, 8), 10, torch.Generator().manual_seed(0))
    assert [r["params"] for r in result["layers"]] == [r.params for r in table]
    assert result["parameters"] == sum(p.numel() for p in model.parameters())
    # The file loads (weights only) into the network and reproduces the last frame's test predictions.
    state = torch.load(io.BytesIO(base64.b64decode(result["model"]["base64"])), weights_only=True)
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(data.X_test)).argmax(1).numpy()
    assert result["confusion"] == confusion_matrix(data.y_test, predicted, labels=range(10)).tolist()
    last = frames[-1].state
    assert last["grid_predicted"] == predicted[:24].tolist()
    assert last["grid_wrong"] == np.flatnonzero(predicted[:24] != data.y_test[:24]).tolist()
    assert math.isclose(result["test_accuracy"], float((predicted == data.y_test).mean()), abs_tol=1e-6)
    assert result["model"]["bytes"] == len(base64.b64decode(result["model"]["base64"]))


def test_feature_maps_are_every_modules_output_quantised() -> None:
    data = _data()
    frames, _ = drain(cnn_train.run(data, _plan("sgd", epochs=1), seed=0))
    maps = frames[0].state["maps"]
    _, table = cnn_model.build(LAYERS, (1, 8, 8), 10, torch.Generator().manual_seed(0))
    assert [m["name"] for m in maps] == [r.name for r in table]
    assert [tuple(m["shape"]) for m in maps] == [r.output_shape for r in table]
    conv = maps[0]
    raw = np.frombuffer(base64.b64decode(conv["values"]["bdata"]), dtype=np.uint8)
    assert raw.size == 4 * 8 * 8 and raw.min() == 0 and raw.max() == 255
    np.testing.assert_allclose(sum(frames[0].state["probabilities"]), 1.0, atol=1e-5)


def test_scaled_u1_by_hand() -> None:
    pixels, lo, hi = cnn_train.scaled_u1(np.array([-1.0, 0.0, 1.0]))
    assert pixels.tolist() == [0, 128, 255] and (lo, hi) == (-1.0, 1.0)
    flat, lo, hi = cnn_train.scaled_u1(np.full((2, 2), 3.0))
    assert flat.tolist() == [[0, 0], [0, 0]] and lo == hi == 3.0


def test_a_whole_pixel_shift_is_exact_and_augmentation_is_seeded() -> None:
    x = torch.arange(2 * 1 * 5 * 5, dtype=torch.float32).reshape(2, 1, 5, 5)
    moved = cnn_train.shift_rotate(x, torch.zeros(2), torch.tensor([[1.0, 0.0], [0.0, -1.0]]))
    right = torch.zeros_like(x[0])
    right[:, :, 1:] = x[0, :, :, :-1]  # one pixel right, zeros in from the left
    up = torch.zeros_like(x[1])
    up[:, :-1, :] = x[1, :, 1:, :]  # one pixel up
    torch.testing.assert_close(moved[0], right, atol=1e-5, rtol=0)
    torch.testing.assert_close(moved[1], up, atol=1e-5, rtol=0)
    a = cnn_train.augment_batch(x, torch.Generator().manual_seed(3))
    b = cnn_train.augment_batch(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, b) and a.shape == x.shape


def test_short_runs_get_about_ten_frames_and_long_ones_are_capped() -> None:
    assert cnn_train.frame_steps(1, 45) == [round(v) for v in np.linspace(0, 45, 11)[1:]]
    assert cnn_train.frame_steps(12, 45) == [45 * e for e in range(1, 13)]
    assert cnn_train.frame_steps(2, 3)[-1] == 6 and len(cnn_train.frame_steps(2, 3)) == 6
    capped = cnn_train.frame_steps(200, 1, max_frames=50)
    assert len(capped) == 50 and capped[-1] == 200


def test_a_feature_map_frame_is_at_most_64_kb_at_defaults() -> None:
    params = CnnParams(epochs=1)
    inputs = CNN.prepare(params, DEFAULT_LIMITS)
    frames = CNN.engine(inputs, params, np.random.default_rng(0))
    first = next(frames)
    size = len(encode({"kind": first.kind, "caption": first.caption, "state": first.state, "metrics": first.metrics}))
    assert size <= 64_000, size


@pytest.mark.slow
def test_defaults_reach_95_percent_test_accuracy_on_digits() -> None:
    """The issue's claim at the defaults (whole default run: a few seconds)."""
    params = CnnParams()
    for seed in (0, 1, 2):
        _, result = drain(CNN.engine(CNN.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(seed)))
        assert result["test_accuracy"] >= 0.95, (seed, result["test_accuracy"])
