"""The neural labs over HTTP: contract field names, streams, frame size, and bad input → 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse

NN = "/api/v1/algorithms/neural-network/runs"
ACT = "/api/v1/algorithms/activations/runs"
SMALL = {
    "params": {"dataset": {"name": "xor", "n_samples": 80}, "hidden_layers": [4, 4], "epochs": 6, "frame_every": 2},
    "seed": 2,
}


def test_neural_run_has_contract_fields(client: TestClient) -> None:
    body = client.post(NN, json=SMALL).json()
    assert body["algorithm"] == "neural-network" and body["params"]["activation"] == "tanh"
    frames = body["frames"]
    assert [f["kind"] for f in frames] == ["init", "epoch", "epoch", "done"]
    assert [f["state"]["epoch"] for f in frames] == [0, 2, 4, 6]
    for frame in frames:
        assert {
            "epoch",
            "train_loss",
            "test_loss",
            "train_accuracy",
            "test_accuracy",
            "grad_norms",
            "weights",
            "activation_stats",
        } <= set(frame["state"])
        assert len(frame["state"]["grad_norms"]) == 3 and len(frame["state"]["weights"]) == 3
        assert set(frame["metrics"]) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy"}
    result = body["result"]
    assert {"train_accuracy", "test_accuracy", "final_train_loss", "final_test_loss", "epochs_run", "diverged"} <= set(
        result
    )
    assert result["epochs_run"] == 6 and result["diverged"] is False


def test_regression_on_the_sine_streams_without_accuracy(client: TestClient) -> None:
    params = {
        "dataset": {"name": "sine", "n_samples": 60},
        "features": ["x1", "sin_x1"],
        "hidden_layers": [3],
        "epochs": 4,
        "frame_every": 2,
    }
    response = client.post(NN + "?figure=true", json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    frames = [e["data"] for e in events if e["event"] == "frame"]
    assert events[-1]["event"] == "result" and events[-1]["data"]["test_accuracy"] is None
    assert set(frames[-1]["metrics"]) == {"train_loss", "test_loss"}
    assert "train_accuracy" not in frames[-1]["state"]


def test_default_frame_with_boundary_thumbnails_and_curves_is_under_40kb(client: TestClient) -> None:
    body = client.post(NN + "?figure=true", json={"params": {}, "seed": 0}).json()
    sizes = [len(json.dumps(f, separators=(",", ":"))) for f in body["frames"]]
    assert max(sizes) <= 40_000, sizes
    assert body["scene"]["data"] and "template" not in body["scene"]["layout"]


def test_diverging_run_ends_with_a_kind_frame(client: TestClient) -> None:
    params = {"optimizer": "sgd", "lr": 0.3, "l2": 10, "epochs": 30}
    body = client.post(NN, json={"params": params}).json()
    assert body["frames"][-1]["kind"] == "diverged" and body["result"]["diverged"] is True
    assert "learning rate" in body["frames"][-1]["caption"]


def test_activations_run_has_layer_stats(client: TestClient) -> None:
    body = client.post(ACT, json={"params": {"depth": 4, "width": 16}}).json()
    assert [f["kind"] for f in body["frames"]] == ["input"] + ["layer"] * 4
    stats = body["result"]["layer_stats"]
    assert len(stats) == 4 and all(set(s) == {"mean", "std", "grad_std"} for s in stats)


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"hidden_layers": [8] * 9}, ["hidden_layers"]),
        ({"hidden_layers": [8, 0]}, ["hidden_layers", 1]),
        ({"hidden_layers": [1_000_000]}, ["hidden_layers", 0]),
        ({"dropout": 1.0}, ["dropout"]),
        ({"activation": "swish"}, ["activation"]),
        ({"init": "orthogonal"}, ["init"]),
        ({"optimizer": "lbfgs"}, ["optimizer"]),
        ({"batch_size": 0}, ["batch_size"]),
        ({"features": []}, ["features"]),
        ({"features": ["x3"]}, ["features", 0]),
        ({"epochs": 2001}, ["epochs"]),
        ({"schedule": "warmup"}, ["schedule"]),
        ({"dataset": {"name": "blobs", "centers": 3}, "loss": "mse"}, ["loss"]),
        ({"dataset": {"name": "plane"}, "loss": "cross_entropy"}, ["loss"]),
        ({"dataset": {"name": "sine"}, "features": ["x1", "x2"]}, ["features"]),
        (
            {"batch_size": 500, "batch_norm": True, "dataset": {"X": [[0.0, 1.0], [1.0, 0.0]], "y": [0, 1]}},
            ["batch_size"],
        ),
        ({"dataset": {"X": [[0.0, 1.0], [1.0, 0.0]]}}, ["dataset"]),
    ],
)
def test_bad_neural_params_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], where: list[Any]
) -> None:
    response = client.post(NN, json={"params": params})
    assert response.status_code == 422, response.text
    locs = [e["loc"] for e in response.json()["detail"]]
    assert any(loc[: 2 + len(where)] == ["body", "params", *where] for loc in locs), locs


def test_batch_larger_than_the_training_set_is_clamped_not_refused(client: TestClient) -> None:
    # Issue 9: the default batch_size 10 on 6 rows (3 training points) runs full-batch and says so.
    params = {
        "dataset": {"X": [[0, 0], [1, 1], [0, 1], [1, 0], [2, 2], [3, 1]], "y": [0, 1, 1, 0, 1, 0]},
        "epochs": 2,
        "frame_every": 1,
    }
    response = client.post(NN, json={"params": params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["params"]["batch_size"] == 10 and body["frames"][0]["state"]["batch_size"] == 3
    assert "full-batch" in body["frames"][0]["caption"]


def test_diverging_repro_streams_a_diverged_frame_and_a_result(client: TestClient) -> None:
    # Issue 9: NaN weights after a finite mini-batch loss used to end in an error event from torch.histc.
    params = {
        "dataset": {"name": "plane"},
        "activation": "relu",
        "optimizer": "sgd",
        "lr": 10,
        "init": "normal",
        "hidden_layers": [8, 8, 8],
    }
    response = client.post(NN, json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    assert [e["event"] for e in events if e["event"] not in ("frame",)] == ["result"]
    frames = [e["data"] for e in events if e["event"] == "frame"]
    assert frames[-1]["kind"] == "diverged" and events[-1]["data"]["diverged"] is True
    assert "NaN" not in response.text.replace("NaN or infinite", "")


def test_mse_on_three_classes_says_why(client: TestClient) -> None:
    response = client.post(NN, json={"params": {"dataset": {"name": "spiral", "n_classes": 3}, "loss": "mse"}})
    assert "names, not amounts" in response.json()["detail"][0]["msg"]


def test_nan_learning_rate_is_422(client: TestClient) -> None:
    response = client.post(NN, content='{"params": {"lr": NaN}}', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "params", "lr"]


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"depth": 21}, ["depth"]),
        ({"width": 0}, ["width"]),
        ({"init": "nope"}, ["init"]),
        ({"logits": [1.0]}, ["logits"]),
    ],
)
def test_bad_activations_params_are_422(client: TestClient, params: dict[str, Any], where: list[Any]) -> None:
    response = client.post(ACT, json={"params": params})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][: 2 + len(where)] == ["body", "params", *where]
