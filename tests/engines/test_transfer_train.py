"""The transfer-learning race against plain torch loops: each mode's every step loss equals a hand-written loop of
it (same seed, same data order) to 1e-6; frozen blocks stay bit-identical to the backbone; captions' numbers are
the frames'; frames and result match their wire models."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.engines import transfer_model as tm
from app.engines import transfer_train as tt
from app.labs.transfer_learning import split_target
from app.schemas.frames.transfer_learning import TransferFrame, TransferResult

TINY = {"epochs": 4, "lr": 0.01, "fine_tune_lr_factor": 0.1, "unfreeze_every": 1, "batch_size": 4}


def _data(labelled: int = 10, seed: int = 0) -> tt.TargetData:
    X, y = tm.digit_task(tm.TARGET_DIGITS)
    train, test = split_target(y, labelled, seed)
    return tt.TargetData(X[train], y[train], X[test[:60]], y[test[:60]])


def _race(modes: tuple[str, ...] = tt.MODES, seed: int = 3, **over: Any) -> tuple[list[Any], dict[str, Any]]:
    plan = tt.RacePlan(modes=modes, backbone=tm.backbone().state, source_accuracy=0.9, **(TINY | over))
    return drain(tt.run(_data(), plan, seed=seed))


def _plain_loop(mode: str, data: tt.TargetData, seed: int) -> list[float]:
    """The mode written out by hand: build, copy the backbone's convolutions, Adam groups, freeze, train."""
    backbone = tm.backbone().state
    g = torch.Generator().manual_seed(seed)
    model, _ = tm.new_network(g)
    if mode != "scratch":
        with torch.no_grad():
            for i in (0, 3):  # conv1, conv2
                model[i].weight.copy_(backbone[f"{i}.weight"])
                model[i].bias.copy_(backbone[f"{i}.bias"])
    convs = [*model[0].parameters(), *model[3].parameters()]
    new = [*model[7].parameters(), *model[9].parameters()]
    body_lr = TINY["lr"] * TINY["fine_tune_lr_factor"] if mode in ("fine_tune", "gradual") else TINY["lr"]
    opt = torch.optim.Adam([{"params": convs, "lr": body_lr}, {"params": new, "lr": TINY["lr"]}])
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    losses = []
    for epoch in range(TINY["epochs"]):
        conv1_on = mode in ("scratch", "fine_tune") or (mode == "gradual" and epoch >= 2)
        conv2_on = mode in ("scratch", "fine_tune") or (mode == "gradual" and epoch >= 1)
        for p in model[0].parameters():
            p.requires_grad_(conv1_on)
        for p in model[3].parameters():
            p.requires_grad_(conv2_on)
        order = torch.randperm(len(y), generator=g)
        for s in range(0, len(y), TINY["batch_size"]):
            idx = order[s : s + TINY["batch_size"]]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
    return losses


@pytest.mark.parametrize("mode", tt.MODES)
def test_each_mode_equals_a_plain_torch_loop(mode: str) -> None:
    _, result = _race((mode,), seed=5)
    expected = _plain_loop(mode, _data(), 5)
    assert len(result["step_losses"][0]) == len(expected) == 4 * 3
    np.testing.assert_allclose(result["step_losses"][0], expected, rtol=0, atol=1e-6)


def test_frozen_blocks_are_bit_identical_to_the_backbone() -> None:
    backbone = tm.backbone().state
    plan = tt.RacePlan(modes=("feature_extraction",), backbone=backbone, **TINY)
    data = _data()
    model, _ = tt.start_model("feature_extraction", 1, backbone)
    frames, result = drain(tt.run(data, plan, seed=1))
    assert result["frozen_unchanged"] == [True]
    last = frames[-1].state
    assert last["frozen"] == [[True, True, False, False]]
    assert last["moved"][0][:2] == [0.0, 0.0] and min(last["moved"][0][2:]) > 0
    assert torch.equal(model[0].weight, backbone["0.weight"])  # the start is the backbone itself


def test_frozen_weights_equal_after_training_with_torch_equal() -> None:
    backbone = tm.backbone().state
    data = _data()
    model, gen = tt.start_model("feature_extraction", 2, backbone)
    racer = tt._Racer("feature_extraction", model, gen, tt.make_optimizer("feature_extraction", model, 0.01, 0.1), {})
    tt.set_frozen(model, tt.frozen_blocks("feature_extraction", 0, 1))
    for _ in range(3):
        tt.train_epoch(racer, torch.from_numpy(data.X_train), torch.from_numpy(data.y_train), 4)
    state = model.state_dict()
    for key in ("0.weight", "0.bias", "3.weight", "3.bias"):
        assert torch.equal(state[key], backbone[key]), key
    assert not torch.equal(state["9.weight"], tt.start_model("feature_extraction", 2, backbone)[0][9].weight)


def test_gradual_unfreezes_from_the_top() -> None:
    assert [tt.frozen_blocks("gradual", e, 2) for e in (0, 1, 2, 3, 4, 9)] == [
        (True, True, False, False),
        (True, True, False, False),
        (True, False, False, False),
        (True, False, False, False),
        (False, False, False, False),
        (False, False, False, False),
    ]


def test_frames_match_their_models_and_captions_say_the_state() -> None:
    frames, result = _race()
    assert [f.kind for f in frames] == ["init"] + ["epoch"] * 4 + ["done"]
    for i, f in enumerate(frames):
        TransferFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
        accs = [c[-1] for c in f.state["curves"]]
        for acc in accs:
            assert f"{100 * acc:.1f} %" in f.caption
    TransferResult.model_validate(result)
    done = frames[-1]
    a = result["test_accuracy"]
    for mode, name in (("feature_extraction", "feature extraction"), ("fine_tune", "fine-tuning")):
        gap = (a[tt.MODES.index(mode)] - a[0]) * 100
        assert f"{name} {'+' if gap >= 0 else '−'}{abs(gap):.1f}" in done.caption
    assert "bit-identical to the backbone" in done.caption
    assert round(frames[0].metrics["test_accuracy_scratch"], 6) == frames[0].state["curves"][0][0]


def test_same_seed_same_frames() -> None:
    a, _ = _race(("scratch", "fine_tune"), seed=9)
    b, _ = _race(("scratch", "fine_tune"), seed=9)
    assert [f.state for f in a] == [f.state for f in b]
