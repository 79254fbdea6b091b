"""The segmentation lab's training (``app.engines.segmentation_train``): every step's loss equals a plain torch loop
with the same seed and batch order; IoU and pixel accuracy equal scikit-learn's; captions say the state's numbers;
and (slow) the defaults reach a test mean IoU of at least 0.8 within 20 s on three seeds."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, confusion_matrix, jaccard_score
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.core.typed_array import from_typed_array
from app.engines.segmentation_model import SegNet, parameter_count
from app.engines.segmentation_train import confusion, iou_per_class
from app.labs.segmentation import SEGMENTATION
from app.schemas.segmentation import SegmentationParams

TINY: dict[str, Any] = {"n_samples": 48, "side": 8, "width": 3, "epochs": 3, "batch_size": 8, "shown": 2}


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any], Any, SegmentationParams]:
    params = SegmentationParams.model_validate(raw)
    inputs = SEGMENTATION.prepare(params, DEFAULT_LIMITS)
    frames, result = drain(SEGMENTATION.engine(inputs, params, np.random.default_rng(seed)))
    return frames, result, inputs, params


def _plain_loop(inputs: Any, params: SegmentationParams, seed: int) -> tuple[list[float], SegNet]:
    """The textbook loop on the same data, the torch seed drawn as the lab's adapter draws it."""
    rng = np.random.default_rng(seed)
    gen = torch.Generator().manual_seed(int(rng.integers(0, 2**62)))
    model = SegNet(inputs.net, gen)
    opt = torch.optim.Adam(model.parameters(), lr=params.lr)
    X, Y = torch.from_numpy(inputs.data.X_train), torch.from_numpy(inputs.data.Y_train)
    losses = []
    for _ in range(params.epochs):
        order = torch.randperm(len(Y), generator=gen)
        for start in range(0, len(Y), params.batch_size):
            idx = order[start : start + params.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), Y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
    return losses, model


@pytest.mark.parametrize("extra", [{}, {"skip": False, "up_kernel": 3}, {"up_kernel": 4}])
def test_losses_equal_a_plain_torch_loop(extra: dict[str, Any]) -> None:
    frames, result, inputs, params = _run(TINY | extra, seed=3)
    losses, model = _plain_loop(inputs, params, 3)
    np.testing.assert_allclose(result["step_losses"], losses, rtol=0, atol=1e-6)
    assert result["parameters"] == sum(p.numel() for p in model.parameters()) == parameter_count(inputs.net)
    # the end metrics equal scikit-learn's on the plain loop's predictions
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(inputs.data.X_test)).argmax(1).numpy()
    y_true, y_pred = inputs.data.Y_test.ravel(), predicted.ravel()
    labels = list(range(4))
    sk = jaccard_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    np.testing.assert_allclose(result["iou"], sk, atol=1e-6)
    assert abs(result["pixel_accuracy"] - accuracy_score(y_true, y_pred)) <= 1e-9
    assert result["confusion"] == confusion_matrix(y_true, y_pred, labels=labels).tolist()
    shown = from_typed_array(frames[-1].state["predicted"])
    np.testing.assert_array_equal(shown, predicted[: params.shown])


def test_iou_and_accuracy_equal_sklearn_including_an_absent_class() -> None:
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, size=(5, 6, 6))  # class 3 in neither
    y_pred = np.where(rng.random((5, 6, 6)) < 0.7, y_true, rng.integers(0, 3, size=(5, 6, 6)))
    matrix = confusion(y_true, y_pred, 4)
    sk = jaccard_score(y_true.ravel(), y_pred.ravel(), labels=[0, 1, 2, 3], average=None, zero_division=0)
    np.testing.assert_allclose(iou_per_class(matrix), sk, atol=1e-12)
    assert np.trace(matrix) / matrix.sum() == pytest.approx(accuracy_score(y_true.ravel(), y_pred.ravel()))


def test_same_seed_same_frames_and_states_agree() -> None:
    a, ra, _, _ = _run(TINY, seed=5)
    b, rb, _, _ = _run(TINY, seed=5)
    assert [f.caption for f in a] == [f.caption for f in b] and ra == rb
    for f in a:
        if f.kind in ("init", "epoch", "done"):
            matrix = np.array(f.state["confusion"])
            np.testing.assert_allclose(f.state["iou"], iou_per_class(matrix), atol=1e-6)
            assert f.state["mean_iou"] == pytest.approx(np.mean(f.state["iou"]), abs=1e-6)
            assert f.state["pixel_accuracy"] == pytest.approx(np.trace(matrix) / matrix.sum(), abs=1e-6)
            assert f.metrics["mean_iou"] == pytest.approx(f.state["mean_iou"], abs=1e-6)


def test_captions_say_the_state_numbers() -> None:
    frames, result, inputs, _ = _run(TINY)
    names = inputs.class_names
    init = next(f for f in frames if f.kind == "init")
    assert f"{result['parameters']:,} parameters" in init.caption
    assert f"{init.state['pixel_accuracy']:.1%} of the test pixels" in init.caption
    previous = init.state["mean_iou"]
    for f in frames:
        if f.kind != "epoch":
            continue
        for name, v in zip(names, f.state["iou"], strict=True):
            assert f"{name} {v:.2f}" in f.caption
        assert f"mean IoU {f.state['mean_iou']:.3f}" in f.caption and f"from {previous:.3f}" in f.caption
        assert f"{f.state['pixel_accuracy']:.1%} of the pixels" in f.caption
        assert f"mean training loss {f.metrics['train_loss']:.4f}" in f.caption
        previous = f.state["mean_iou"]
    done = frames[-1]
    assert f"{len(result['step_losses']):,} Adam steps" in done.caption
    assert f"mean IoU {result['mean_iou']:.3f}" in done.caption
    worst = int(np.argmin(result["iou"]))
    assert f"hardest class is {names[worst]} (IoU {result['iou'][worst]:.2f})" in done.caption
    match = re.search(r"of its ([\d,]+) test pixels? ([\d,]+) (?:is|are) read as (\w+)", done.caption)
    if match:
        row = result["confusion"][worst]
        assert int(match[1].replace(",", "")) == sum(row)
        assert int(match[2].replace(",", "")) == row[names.index(match[3])]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_defaults_reach_mean_iou_0_8(seed: int) -> None:
    # The time half of the claim (≤ 20 s) is the benchmark's (tests/perf/bench_segmentation.py): a timed
    # assertion here would fail on a loaded CI box, not on a slow engine.
    _, result, _, _ = _run({}, seed=seed)
    assert result["mean_iou"] >= 0.8, result["iou"]
