"""The residual-network lab end to end (``app.labs.resnet``): frames and result validate against their models
(the CASES params reach every frame kind), bad input is a 422 naming the field (depth 10⁴, width 0, lr ≤ 0 or
not finite, batch norm with a batch of one, too much work), and the seed makes the run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.limits import DEFAULT_LIMITS
from app.labs.resnet import RESNET
from app.schemas.frames.resnet import ResnetFrame, ResnetResult
from app.schemas.resnet import ResnetParams
from tests.labs.lab_run import first_error, run_lab

URL = "/api/v1/algorithms/resnet/runs"
CASES: dict[str, Any] = {"dataset": {"name": "moons", "n_samples": 40}, "depth": 4, "width": 4, "epochs": 2}
"""The frame-schema test's params: tiny, reaching init, epoch and done."""


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    return run_lab(RESNET, raw, seed)


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


@pytest.mark.parametrize(
    "raw",
    [
        CASES,
        CASES | {"batch_norm": True, "activation": "sigmoid", "optimizer": "momentum"},
        CASES | {"dataset": {"name": "blobs", "n_samples": 60, "centers": 3}, "depth": 2},
        CASES | {"batch_size": 5000},
    ],
    ids=["cases", "batch-norm", "three-classes-depth-2", "clamped-batch"],
)
def test_frames_and_result_match_their_models(raw: dict[str, Any]) -> None:
    frames, result = _run(raw)
    assert [f.kind for f in frames] == ["init", "epoch", "done"]
    for i, f in enumerate(frames):
        ResnetFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
        assert len(f.state["plain"]["grad_norms"]) == raw["depth"]
    ResnetResult.model_validate(result)
    if raw.get("batch_size") == 5000:
        assert frames[0].caption.startswith("Note: ")


def test_same_seed_same_run_other_seed_other_weights() -> None:
    a, ra = _run(CASES, seed=3)
    b, rb = _run(CASES, seed=3)
    c, _ = _run(CASES, seed=4)
    assert ra == rb and [f.state for f in a] == [f.state for f in b]
    assert a[0].state != c[0].state


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"depth": 10_000}, "depth", "50"),
        ({"depth": 1}, "depth", "2"),
        ({"width": 0}, "width", "2"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"lr": -1}, "lr", "greater than 0"),
        ({"lr": "nan"}, "lr", ""),
        ({"epochs": 0}, "epochs", "1"),
        ({"activation": "step"}, "activation", ""),
        ({"model": "cnn"}, "model", "mlp"),
    ],
)
def test_bad_params_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, words: str
) -> None:
    error = _error(client, CASES | params)
    assert error["loc"][-1] == field or field in error["loc"], error
    assert words in error["msg"]


def test_rules_needing_the_data_are_422_with_the_arithmetic(client: TestClient) -> None:
    # 30 training points in batches of 29 leave a batch of 1: batch norm cannot normalise it.
    error = _error(client, CASES | {"batch_norm": True, "batch_size": 29})
    assert error["loc"][-1] == "batch_size" and "batch of 1" in error["msg"]
    error = _error(
        client, CASES | {"depth": 50, "batch_size": 1, "epochs": 500, "dataset": {"name": "moons", "n_samples": 1000}}
    )
    assert error["loc"][-1] == "epochs" and "layer-steps" in error["msg"] and "2 nets × 500 epochs" in error["msg"]
    error = _error(client, CASES | {"dataset": {"X": [[0, 0, 1], [1, 1, 0], [2, 0, 1]], "y": [0, 1, 0]}})
    assert "2 features" in error["msg"]


def test_a_run_streams_through_the_api(client: TestClient) -> None:
    response = client.post(URL, json={"params": CASES, "seed": 0})
    assert response.status_code in (200, 201, 202), response.text[:300]


def test_batch_norm_over_identical_points_is_refused_in_words() -> None:
    # the property suite's find: three copies of (0, 0), batch norm, depth 19 → gradients past float32
    from app.labs.resnet import RESNET
    from app.schemas.common import ParamsError

    params = ResnetParams(dataset={"X": [[0.0, 0.0]] * 3, "y": [0, 1, 1]}, batch_norm=True, depth=19, batch_size=2)
    with pytest.raises(ParamsError) as caught:
        RESNET.prepare(params, DEFAULT_LIMITS)
    assert caught.value.loc == ("batch_norm",) and "the same point" in str(caught.value)
    RESNET.prepare(params.model_copy(update={"batch_norm": False}), DEFAULT_LIMITS)  # without it: it runs


DIVERGING = {
    "depth": 15,
    "activation": "relu",
    "epochs": 4,
    "optimizer": "sgd",
    "lr": 1.0,
    "dataset": {"X": [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], "y": [0, 1, 1]},
}
"""The property suite's find: ReLU under SGD at lr 1 on three copies of one point; the residual net's loss is
inf by the last epoch."""


def test_a_diverging_net_ends_the_run_with_its_last_sound_state() -> None:
    frames, result = _run(DIVERGING)
    last = frames[-1]
    assert last.kind == "exploded" and [f.kind for f in frames[:-1]] == ["init"] + ["epoch"] * (len(frames) - 2)
    assert last.state == frames[-2].state  # the last sound state, unchanged (no NaN reaches the wire)
    assert all(np.isfinite(v) for v in last.metrics.values())
    assert f"By epoch {result['exploded_at']} the residual net's loss is no longer a finite number" in last.caption
    assert f"(epoch {frames[-2].state['epoch']})" in last.caption
    ResnetResult.model_validate(result)
    for i, f in enumerate(frames):
        ResnetFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    assert result["exploded_at"] == len(frames) - 1 and len(result["epochs"]) == len(frames) - 1
    assert all(np.isfinite(result[net]["step_losses"]).all() for net in ("plain", "residual"))


def test_a_sound_run_says_it_did_not_explode() -> None:
    assert _run(CASES)[1]["exploded_at"] is None
