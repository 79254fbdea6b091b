"""The regularization lab over HTTP: bad input is a 422 naming the field, a degree above the points is fine for a
penalised fit, frames and result match the published models in both modes, each frame's figure stays within
16 KB, and the figure draws the fit, the constraint region, the coefficient paths and the errors."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas.frames.regularization import RegularizationFrame, RegularizationResult
from tests.conftest import parse_sse

URL = "/api/v1/algorithms/regularization/runs"
# Settings beside the defaults that reach every frame kind of both modes (proposed for tests/test_frame_schemas.py).
CASES: list[dict[str, Any]] = [
    {"penalty": "elasticnet", "l1_ratio": 0.3, "degree": 6, "n_alphas": 8, "grid_size": 20},
    {"penalty": "l2", "degree": 15, "n_points": 10, "truth": "step", "n_alphas": 5},  # degree above the points
    {"mode": "weight_decay", "n_steps": 30, "weight_decay": 0.5, "degree": 4, "truth": "cubic"},
    {"task": "classification", "penalty": "elasticnet", "class_degree": 3, "n_alphas": 6, "grid_size": 20},
]


def _run(client: TestClient, params: dict[str, Any], figure: bool = False, seed: int = 1) -> dict[str, Any]:
    response = client.post(URL + ("?figure=true" if figure else ""), json={"params": params, "seed": seed})
    assert response.status_code == 200, response.text[:2000]
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("params", "loc", "words"),
    [
        ({"n_alphas": 10**6}, "n_alphas", "less than or equal to 40"),
        ({"alpha_min": 5.0, "alpha_max": 1.0}, "alpha_min", "must be below the strongest α"),
        ({"alpha_min": 1.0, "alpha_max": 1.0}, "alpha_min", "must be below the strongest α"),
        ({"degree": 16}, "degree", "less than or equal to 15"),
        ({"alpha_max": 0}, "alpha_max", "greater than 0"),
        ({"l1_ratio": 1.0}, "l1_ratio", "less than 1"),
        ({"n_steps": 10**6}, "n_steps", "less than or equal to 2000"),
        ({"penalty": "l3"}, "penalty", "l1"),
        ({"noise": "NaN"}, "noise", "finite number"),
        ({"task": "classification", "mode": "weight_decay"}, "mode", "regression only"),
        # the lab is binary: it sends three classes to a lab that takes them, never to "logistic regression" (itself)
        ({"task": "classification", "dataset": {"name": "blobs", "centers": 3}}, "dataset", "logistic-regression lab"),
        ({"task": "classification", "class_degree": 9}, "class_degree", "less than or equal to 8"),
        ({"task": "classification", "alpha_min": 5.0}, "alpha_min", "must be below the strongest α"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, params: dict[str, Any], loc: str, words: str) -> None:
    response = client.post(URL, json={"params": params})
    assert response.status_code == 422, response.text[:500]
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == loc or loc in e["loc"] for e in errors), errors
    assert any(words in e["msg"] for e in errors), errors


@pytest.mark.parametrize(
    "params", CASES, ids=["elasticnet", "l2-degree-above-points", "weight-decay", "classification-elasticnet"]
)
def test_frames_and_result_match_the_published_models(client: TestClient, params: dict[str, Any]) -> None:
    body = _run(client, params, figure=True)
    for frame in body["frames"]:
        RegularizationFrame.model_validate(frame)
        assert len(json.dumps(frame["figure"], separators=(",", ":"))) <= 16_384
    RegularizationResult.model_validate(body["result"])
    kinds = [f["kind"] for f in body["frames"]]
    if params.get("mode") == "weight_decay":
        assert kinds[0] == "start" and kinds[-1] == "end" and set(kinds[1:-1]) == {"step"}
        assert body["result"]["steps"][-1] == params["n_steps"]
    elif params.get("task") == "classification":
        assert kinds == ["class_data"] + ["class_alpha"] * params["n_alphas"] + ["class_summary"]
        coefficients = np.array(body["result"]["coefficients"])
        assert coefficients.shape == (params["n_alphas"], 9) and len(body["result"]["feature_names"]) == 9
        assert body["result"]["best_alpha"] in body["result"]["alphas"]
    else:
        assert kinds[0] == "data" and kinds[-1] == "summary" and kinds.count("alpha") == params["n_alphas"]
        coefficients = np.array(body["result"]["coefficients"])
        assert coefficients.shape == (params["n_alphas"], params["degree"])
        assert np.isfinite(coefficients).all()


def test_the_schema_shows_each_control_only_where_it_applies(client: TestClient) -> None:
    schema = client.get("/api/v1/algorithms/regularization").json()["params_schema"]["properties"]
    assert schema["l1_ratio"]["x-visible-when"] == {"mode": ["path"], "penalty": ["elasticnet"]}
    assert schema["weight_decay"]["x-visible-when"] == {"mode": ["weight_decay"]}
    assert schema["n_alphas"]["x-visible-when"] == {"mode": ["path"]}
    assert schema["penalty"]["x-labels"]["l1"].startswith("L1")
    assert "standardised" in schema["degree"]["description"]


def _composed(scene: dict[str, Any], frames: list[dict[str, Any]], upto: int) -> list[dict[str, Any]]:
    """The scene's traces with frames 0..upto merged on (x-extend appended), as the player composes them."""
    traces = [dict(t) for t in scene["data"]]
    for frame in frames[: upto + 1]:
        for trace, patch in zip(traces, frame["figure"]["data"], strict=False):
            for axis, points in patch.get("x-extend", {}).items():
                trace[axis] = list(trace.get(axis) or []) + points
    for trace, patch in zip(traces, frames[upto]["figure"]["data"], strict=False):
        trace.update({k: v for k, v in patch.items() if k != "x-extend"})
    return traces


def test_the_figure_grows_the_paths_and_marks_the_best_alpha(client: TestClient) -> None:
    params = {"degree": 5, "n_alphas": 6}
    response = client.post(URL + "?figure=true", json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    scene = next(e["data"] for e in events if e["event"] == "scene")
    frames = [e["data"] for e in events if e["event"] == "frame"]
    result = next(e["data"] for e in events if e["event"] == "result")
    traces = _composed(scene, frames, len(frames) - 1)
    named = {t["name"]: t for t in traces if t.get("xaxis") != "x4" or t["name"] == "best α"}  # x4 shares names
    for name in (
        "true f(x)",
        "training: points, error",
        "validation: points, error",
        "the fit",
        "diamond, this α",
        "penalised optimum",
        "best α",
    ):
        assert name in named, name
    assert (
        named["validation: points, error"]["marker"]["symbol"] != named["training: points, error"]["marker"]["symbol"]
    )
    coefficient_lines = [t for t in traces if t.get("xaxis") == "x3"]
    assert len(coefficient_lines) == 5
    alphas = frames[0]["state"]["alphas"]
    for i, line in enumerate(coefficient_lines):
        assert line["x"] == alphas
        assert line["y"] == [row[i] for row in result["coefficients"]]
    validation = next(t for t in traces if t.get("xaxis") == "x4" and t["name"].startswith("validation"))
    assert validation["y"] == frames[-1]["state"]["validation_mse"]
    assert named["best α"]["x"] == [frames[-1]["state"]["best_alpha"]]
    assert scene["layout"]["xaxis3"]["type"] == "log"
    assert scene["layout"]["xaxis3"]["range"][0] > scene["layout"]["xaxis3"]["range"][1], "strong α at the left"
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2", "xaxis3", "yaxis3", "xaxis4", "yaxis4"):
        assert scene["layout"][axis]["title"]["text"], axis


def test_weight_decay_frames_show_the_shrink_then_the_step(client: TestClient) -> None:
    params = {"mode": "weight_decay", "n_steps": 20, "weight_decay": 0.5, "learning_rate": 0.1, "degree": 4}
    body = _run(client, params, figure=True)
    lr, decay = 0.1, 0.5
    for frame in body["frames"]:
        if frame["kind"] != "step":
            continue
        state = frame["state"]
        np.testing.assert_allclose(state["shrunk"], (1 - lr * decay) * np.array(state["before"]), rtol=1e-12)
        step = frame["figure"]["data"][5]  # before → shrunk → after in the 2-weight view
        assert step["x"] == [state["before"][0], state["shrunk"][0], state["weights"][0]]
        assert frame["figure"]["data"][7]["y"] == state["weights"]  # the weight bars
        assert frame["caption"].startswith(f"Step {state['step']}: the shrink moved the weights by")


def test_the_classification_figure_draws_the_plane_the_named_paths_and_both_losses(client: TestClient) -> None:
    params = {"task": "classification", "class_degree": 2, "n_alphas": 5, "grid_size": 20}
    response = client.post(URL + "?figure=true", json={"params": params}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    scene = next(e["data"] for e in events if e["event"] == "scene")
    frames = [e["data"] for e in events if e["event"] == "frame"]
    result = next(e["data"] for e in events if e["event"] == "result")
    traces = _composed(scene, frames, len(frames) - 1)
    heat, boundary = traces[0], traces[1]
    assert heat["type"] == "heatmap" and heat["colorbar"]["title"]["text"].startswith("P(")
    assert heat["z"]["shape"] == "20,20" and boundary["z"] == heat["z"]
    symbols = {t["marker"]["symbol"] for t in traces[2:6]}
    assert len(symbols) == 4, "class by shape, validation open"
    paths = [t for t in traces if t.get("xaxis") == "x3"]
    assert [t["hovertemplate"].split(":")[0] for t in paths] == result["feature_names"]
    assert result["feature_names"] == ["x₁", "x₂", "x₁²", "x₁·x₂", "x₂²"]
    for i, line in enumerate(paths):
        assert line["y"] == [row[i] for row in result["coefficients"]]
    losses = [t for t in traces if t.get("xaxis") == "x4" and t["name"].endswith("log-loss")]
    assert [t["y"] for t in losses] == [result["train_log_loss"], result["validation_log_loss"]]
    accuracy = [t for t in traces if t.get("xaxis") == "x2"]
    assert [t["y"] for t in accuracy] == [result["train_accuracy"], result["validation_accuracy"]]
    star = next(t for t in traces if t["name"] == "best α")
    assert star["x"] == [result["best_alpha"]]
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2", "xaxis3", "yaxis3", "xaxis4", "yaxis4"):
        assert scene["layout"][axis]["title"]["text"], axis
