"""The optimisation labs over HTTP: contract fields, and bad input → 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

RACE = "/api/v1/algorithms/optimizers/runs"
GD = "/api/v1/algorithms/gradient-descent/runs"
SMALL_RACE = {
    "params": {
        "surface": "himmelblau",
        "steps": 30,
        "runs": [{"optimizer": "adam", "lr": 0.1}, {"optimizer": "momentum", "lr": 0.002}],
    }
}


def test_race_contract_fields(client: TestClient) -> None:
    body = client.post(RACE, json=SMALL_RACE).json()
    assert body["params"]["runs"][0] == {"optimizer": "adam", "lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-8}
    frames = body["frames"]
    assert len(frames) == 31 and frames[0]["kind"] == "start" and frames[-1]["kind"] == "end"
    for run in frames[-1]["state"]["runs"]:
        assert {"optimizer", "position", "loss", "gradient"} <= set(run)
        assert len(run["position"]) == 2 and len(run["gradient"]) == 2
    paths = body["result"]["paths"]
    assert [p["optimizer"] for p in paths] == ["adam", "momentum"]
    for p in paths:
        assert {"optimizer", "lr", "points", "losses", "diverged"} <= set(p)
        assert len(p["points"]) == 31 and len(p["losses"]) == 31
        assert p["points"][0] == [-0.5, -4.5]  # the surface's default start


def test_race_defaults_and_frame_size(client: TestClient) -> None:
    lines = client.post(RACE + "?figure=true", headers={"Accept": "application/jsonl"}).text.splitlines()
    scene = json.loads(lines[0])["scene"]
    assert scene["data"][0]["type"] == "contour" and scene["data"][0]["z"]["dtype"] == "f4"
    frames = [json.loads(line) for line in lines[1:] if line.startswith('{"index"')]
    assert len({r["optimizer"] for r in frames[0]["state"]["runs"]}) == 6
    for frame in frames[1:]:  # the contour went once, in the scene; frames carry positions, arrows, new points
        assert "contour" not in json.dumps(frame["figure"])
        assert len(json.dumps(frame["figure"], separators=(",", ":"))) < 2_048


def test_gradient_descent_contract_fields(client: TestClient) -> None:
    params = {
        "dataset": {"name": "two_scales", "n_samples": 40},
        "epochs": 5,
        "scaling": "standardize",
        "lr": 0.05,
        "batch_size": 8,
    }
    body = client.post(GD, json={"params": params}).json()
    row = body["frames"][-1]["state"]["variants"][0]
    assert {"variant", "w", "b", "loss"} <= set(row) and len(row["w"]) == 2
    result = body["result"]
    assert result["scaling"] == "standardize" and set(result["exact"]) >= {"w", "b"}
    assert [v["variant"] for v in result["variants"]] == ["batch", "mini-batch", "stochastic"]
    for v in result["variants"]:
        assert {"variant", "w", "b", "losses", "path"} <= set(v) and len(v["path"][0]) == 3


def test_inline_regression_data(client: TestClient) -> None:
    data = {"X": [[0.0], [1.0], [2.0], [3.0]], "y": [1.0, 3.1, 4.9, 7.0]}
    body = client.post(GD, json={"params": {"dataset": data, "batch_size": 2, "epochs": 3}}).json()
    assert body["result"]["exact"]["w"][0] == pytest.approx(1.98)


def _loc(response: Any) -> list[Any]:
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["detail"]]


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"surface": "moon"}, "surface", ""),
        ({"runs": [{"optimizer": "lbfgs", "lr": 0.1}]}, "runs", "optimizer must be one of"),
        ({"runs": [{"optimizer": "sgd", "lr": 0}]}, "runs", ""),
        ({"runs": [{"optimizer": "adam", "lr": -1}]}, "runs", ""),
        ({"runs": [{"optimizer": "sgd", "lr": 0.1}] * 7}, "runs", ""),
        ({"runs": []}, "runs", ""),
        ({"start": [7, 0]}, "start", "x ∈ [-2, 2], y ∈ [-1, 3]"),
        ({"steps": 0}, "steps", ""),
        ({"steps": 1_000_000}, "steps", ""),
        ({"gradient_noise": -1}, "gradient_noise", ""),
        ({"kappa": 1000}, "kappa", ""),
    ],
)
def test_race_bad_input_is_a_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, says: str
) -> None:
    response = client.post(RACE, json={"params": params})
    assert ["body", "params", field] == _loc(response)[0][:3]
    assert says in response.text


def test_nan_lr_is_a_422(client: TestClient) -> None:
    body = '{"params": {"runs": [{"optimizer": "sgd", "lr": NaN}]}}'
    response = client.post(RACE, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"epochs": 20_001}, "epochs"),
        ({"lr": 0}, "lr"),
        ({"variants": ["newton"]}, "variants"),
        ({"schedule": "cosine"}, "schedule"),
        ({"dataset": {"name": "moons"}}, "dataset"),
        ({"dataset": {"X": [[1.0], [2.0, 3.0]], "y": [1.0, 2.0]}}, "dataset"),
        ({"dataset": {"X": [[1.0], [2.0]], "y": [1.0]}}, "dataset"),
        ({"epochs": 20_000, "dataset": {"name": "line", "n_samples": 2000}}, "epochs"),  # 40 million SGD updates
    ],
)
def test_gradient_descent_bad_input(client: TestClient, params: dict[str, Any], field: str) -> None:
    assert ["body", "params", field] == _loc(client.post(GD, json={"params": params}))[0][:3]


def test_batch_size_above_the_rows_is_clamped_not_a_422(client: TestClient) -> None:
    # issue 9: the default batch_size 16 on 4 rows is full-batch mini-batch, said in the first caption.
    data = {"X": [[0.0], [1.0], [2.0], [3.0]], "y": [1.0, 3.1, 4.9, 7.0]}
    response = client.post(GD, json={"params": {"dataset": data, "variants": ["batch", "mini-batch"]}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"]["batch_size"] == 4
    assert body["frames"][0]["caption"].startswith("Note: batch size = 16 is more than the 4 rows, so batch size = 4")
    batch, mini = body["result"]["variants"]
    assert batch["path"] == mini["path"]


def test_too_many_updates_names_the_most_epochs(client: TestClient) -> None:
    response = client.post(GD, json={"params": {"epochs": 20_000, "dataset": {"name": "line", "n_samples": 2000}}})
    assert response.status_code == 422
    assert "at most 2,116 epochs here" in response.text
