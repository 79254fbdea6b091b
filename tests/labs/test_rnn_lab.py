"""The recurrent-network lab end to end (``app.labs.rnn``): frames and result validate against their models (the
CASES params reach every frame kind, every cell, both tasks, every series), bad input is a 422 naming the field
in words (window ≥ the series' length, bptt > window, too much work, 10⁶ epochs, hidden size 0, your own values
too few), the shipped sunspot series is the statsmodels one, and the seed makes the run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.limits import DEFAULT_LIMITS
from app.datasets.series import load_series
from app.labs.rnn import RNN
from app.schemas.frames.rnn import RnnFrame, RnnResult
from app.schemas.rnn import RnnParams
from tests.labs.lab_run import first_error, run_lab

URL = "/api/v1/algorithms/rnn/runs"
CASES: dict[str, Any] = {"length": 60, "window": 8, "hidden_size": 4, "epochs": 2}
"""The frame-schema test's params: tiny, reaching init, epoch and done."""


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    return run_lab(RNN, raw, seed)


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


@pytest.mark.parametrize(
    "raw",
    [
        CASES,
        CASES | {"task": "classify", "series": "square", "bptt": 3},
        CASES | {"compare": False, "cell": "gru", "series": "sum_of_sines", "num_layers": 2},
        CASES | {"compare": False, "cell": "rnn", "series": "sunspots", "optimizer": "momentum"},
        CASES | {"series": "values", "values": [float(v % 7) for v in range(40)], "batch_size": 5000},
    ],
    ids=["cases", "classify-truncated", "gru-2-layers", "rnn-sunspots", "own-values-clamped-batch"],
)
def test_frames_and_result_match_their_models(raw: dict[str, Any]) -> None:
    frames, result = _run(raw)
    assert [f.kind for f in frames] == ["init", "epoch", "done"]
    for i, f in enumerate(frames):
        RnnFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
        for net in f.state["nets"].values():
            assert len(net["grad_norms"]) == raw["window"]
            assert net["hidden"]["shape"] == [raw["window"], raw["hidden_size"]]
    RnnResult.model_validate(result)
    expected = ("rnn", "lstm") if raw.get("compare", True) else (raw["cell"],)
    assert tuple(frames[0].state["nets"]) == expected
    if raw.get("batch_size") == 5000:
        assert frames[0].caption.startswith("Note: batch size = 5000 is more than the ")


def test_same_seed_same_run_other_seed_other_weights() -> None:
    a, ra = _run(CASES, seed=3)
    b, rb = _run(CASES, seed=3)
    c, _ = _run(CASES, seed=4)
    assert ra == rb and [f.state for f in a] == [f.state for f in b]
    assert a[0].state != c[0].state


def test_the_split_is_in_time_and_standardised_by_the_training_part() -> None:
    params = RnnParams.model_validate(CASES)
    inputs = RNN.prepare(params, DEFAULT_LIMITS)
    assert inputs.split == 45 and inputs.test_index.tolist() == list(range(45, 60))
    assert abs(float(inputs.z[:45].mean())) < 1e-12 and abs(float(inputs.z[:45].std()) - 1) < 1e-12
    assert inputs.data.X_train.shape == (45 - 8, 8, 1)
    assert np.allclose(inputs.data.X_test[0, :, 0], inputs.z[37:45])  # the first test window ends at the split
    assert np.allclose(inputs.data.y_test, inputs.z[45:])


def test_the_sunspots_are_the_statsmodels_series() -> None:
    values = load_series("sunspots")
    assert values.size == 309 and values[:3].tolist() == [5.0, 11.0, 16.0] and values[-1] == 2.9
    assert abs(float(values.mean()) - 49.752) < 1e-3


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"window": 60}, "window", "this one has 60"),
        ({"window": 50}, "window", "leaves no training window"),
        ({"series": "values", "values": [1, 2, 3, 4, 5], "window": 5}, "window", "this one has 5"),
        ({"window": 1_000}, "window", "200"),
        ({"bptt": 9}, "bptt", "longer than the window of 8"),
        ({"epochs": 1_000_000}, "epochs", "500"),
        ({"hidden_size": 0}, "hidden_size", "1"),
        ({"num_layers": 4}, "num_layers", "3"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"lr": "nan"}, "lr", ""),
        ({"cell": "transformer"}, "cell", ""),
        ({"series": "values"}, "values", "at least 3 numbers"),
        ({"series": "values", "values": [1, "x"]}, "values", ""),
        ({"series": "values", "values": list(range(2_001))}, "values", "2000"),
        ({"length": 10}, "length", "20"),
    ],
)
def test_bad_params_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, words: str
) -> None:
    error = _error(client, CASES | params)
    assert error["loc"][-1] == field or field in error["loc"], error
    assert words in error["msg"], error


def test_too_much_work_is_422_at_epochs_with_the_arithmetic(client: TestClient) -> None:
    error = _error(client, {"length": 2_000, "window": 200, "hidden_size": 128, "epochs": 500})
    assert error["loc"][-1] == "epochs"
    assert "2 nets × 500 epochs × 1,300 windows × 200 steps × 1 layer × 128² units" in error["msg"], error
    assert "more than the 5,000,000,000" in error["msg"]


def test_a_run_streams_through_the_api(client: TestClient) -> None:
    response = client.post(URL, json={"params": CASES, "seed": 0})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert [f["kind"] for f in body["frames"]] == ["init", "epoch", "done"]
    assert set(body["frames"][-1]["metrics"]) == {
        f"{c}_{m}" for c in ("rnn", "lstm") for m in ("train_loss", "test_loss", "first_step_gradient")
    }
