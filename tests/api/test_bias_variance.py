"""The bias–variance lab over HTTP: bad input is a 422 naming the field, counts the data contradicts are clamped
(and said in the first caption), frames and result match the published models at settings beside the defaults,
each frame's figure stays within 16 KB, and the figure draws the fan, the bars and the growing U-curves."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas.frames.bias_variance import BiasVarianceFrame, BiasVarianceResult
from tests.conftest import parse_sse

URL = "/api/v1/algorithms/bias-variance/runs"
# Settings beside the defaults that reach every frame kind and the clamps (proposed for tests/test_frame_schemas.py).
CASES: list[dict[str, Any]] = [
    {"model": "tree", "max_depth": 3, "n_datasets": 10, "grid_size": 20},
    {"model": "knn", "max_k": 40, "n_points": 10, "n_datasets": 5, "noise": 0},  # k clamped to 10; no noise floor
    {"model": "polynomial", "max_degree": 15, "n_points": 8, "n_datasets": 3, "truth": "step"},  # degree clamped
]


def _run(client: TestClient, params: dict[str, Any], figure: bool = False, seed: int = 1) -> dict[str, Any]:
    response = client.post(URL + ("?figure=true" if figure else ""), json={"params": params, "seed": seed})
    assert response.status_code == 200, response.text[:2000]
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("params", "loc", "words"),
    [
        ({"n_datasets": 10**6}, "n_datasets", "less than or equal to 500"),
        ({"n_datasets": 1}, "n_datasets", "greater than or equal to 2"),
        ({"max_degree": 16}, "max_degree", "less than or equal to 15"),
        ({"max_depth": 0}, "max_depth", "greater than or equal to 1"),
        ({"max_k": 0}, "max_k", "greater than or equal to 1"),
        ({"n_points": 2}, "n_points", "greater than or equal to 5"),
        ({"noise": -1}, "noise", "greater than or equal to 0"),
        ({"noise": "NaN"}, "noise", "finite number"),
        ({"truth": "moons"}, "truth", "sine"),
        ({"model": "svm"}, "model", "polynomial"),
        ({"dataset": {"name": "moons"}}, "dataset", "Extra inputs"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, params: dict[str, Any], loc: str, words: str) -> None:
    response = client.post(URL, json={"params": params})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == loc or loc in e["loc"] for e in errors), errors
    assert any(words in e["msg"] for e in errors), errors


@pytest.mark.parametrize("params", CASES, ids=["tree", "knn-clamped", "polynomial-clamped"])
def test_frames_and_result_match_the_published_models(client: TestClient, params: dict[str, Any]) -> None:
    body = _run(client, params, figure=True)
    for frame in body["frames"]:
        BiasVarianceFrame.model_validate(frame)
        assert len(json.dumps(frame["figure"], separators=(",", ":"))) <= 16_384
    BiasVarianceResult.model_validate(body["result"])
    kinds = [f["kind"] for f in body["frames"]]
    assert kinds[0] == "data" and kinds[-1] == "summary" and set(kinds[1:-1]) == {"complexity"}
    result = body["result"]
    assert len(result["bias2"]) == len(result["variance"]) == len(result["test_mse"]) == len(result["complexity"])


def test_counts_the_data_contradicts_are_clamped_and_said_first(client: TestClient) -> None:
    body = _run(client, {"model": "polynomial", "max_degree": 15, "n_points": 8, "n_datasets": 3})
    assert body["result"]["complexity"] == list(range(8))  # degrees 0..7: 8 coefficients through 8 points at most
    assert body["frames"][0]["caption"].startswith("Note: degree 15 needs at least 16 points")
    knn = _run(client, {"model": "knn", "max_k": 40, "n_points": 10, "n_datasets": 3})
    assert knn["result"]["complexity"] == list(range(10, 0, -1))
    assert knn["frames"][0]["caption"].startswith("Note: k = 40 is more than the 10 points per set")
    many = _run(client, {"model": "knn", "max_k": 100, "n_points": 100, "n_datasets": 2})
    ks = many["result"]["complexity"]
    assert ks[0] == 100 and ks[-1] == 1 and len(ks) <= 16 and ks == sorted(ks, reverse=True)


def test_the_schema_shows_each_sweep_end_only_for_its_model(client: TestClient) -> None:
    schema = client.get("/api/v1/algorithms/bias-variance").json()["params_schema"]["properties"]
    assert schema["max_degree"]["x-visible-when"] == {"model": ["polynomial"]}
    assert schema["max_depth"]["x-visible-when"] == {"model": ["tree"]}
    assert schema["max_k"]["x-visible-when"] == {"model": ["knn"]}
    assert schema["truth"]["x-labels"]["sine"].startswith("Sine")
    assert {schema[name]["x-group"] for name in ("truth", "noise", "n_points")} == {"data"}


def _composed(scene: dict[str, Any], frames: list[dict[str, Any]], upto: int) -> list[dict[str, Any]]:
    """The scene's traces with frames 0..upto merged on (x-extend appended), as the player composes them."""
    traces = [dict(t) for t in scene["data"]]
    for frame in frames[: upto + 1]:
        for trace, patch in zip(traces, frame["figure"]["data"], strict=False):
            for key, value in patch.items():
                if key == "x-extend":
                    for axis, points in value.items():
                        trace[axis] = list(trace.get(axis) or []) + points
    last = frames[upto]["figure"]["data"]
    for trace, patch in zip(traces, last, strict=False):
        trace.update({k: v for k, v in patch.items() if k != "x-extend"})
    return traces


def test_the_figure_draws_the_fan_the_bars_and_the_u_curves(client: TestClient) -> None:
    params = {"model": "polynomial", "max_degree": 5, "n_datasets": 30}
    response = client.post(URL + "?figure=true", json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    scene = next(e["data"] for e in events if e["event"] == "scene")
    frames = [e["data"] for e in events if e["event"] == "frame"]
    last = len(frames) - 1
    traces = {t["name"]: t for t in _composed(scene, frames, last)}
    for name in ("true f(x)", "mean of all 30 fits", "training set 1", "bias²", "variance", "noise σ²", "sweet spot"):
        assert name in traces, name
    u_curve = next(t for t in _composed(scene, frames, last) if t.get("xaxis") == "x3" and t["name"] == "variance")
    assert u_curve["x"] == list(range(6))  # one point per complexity frame
    assert np.allclose(u_curve["y"], frames[-1]["state"]["variance"])
    assert traces["sweet spot"]["x"] == [frames[-1]["state"]["best_complexity"]]
    assert scene["layout"]["yaxis3"]["type"] == "log" and scene["layout"]["barmode"] == "stack"
    assert scene["x-timeline"] == {
        "key": "complexity",
        "title": "degree",
        "log_metrics": ["bias2", "variance", "test_mse"],
    }
    for axis in ("xaxis", "yaxis", "yaxis2", "xaxis3", "yaxis3"):
        assert scene["layout"][axis]["title"]["text"], axis
