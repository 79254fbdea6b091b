"""``POST /api/v1/algorithms/cnn/predict`` through the app: the answer equals the run's own network (rebuilt
here from ``result.model`` with plain torch), the cached run is reused (the stats endpoint's cache hits, no new
engine), and bad images, bad params and hostile bodies are 4xx naming the field, never a 500."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient

from app.core.typed_array import from_typed_array

RUNS = "/api/v1/algorithms/cnn/runs"
PREDICT = "/api/v1/algorithms/cnn/predict"
# Digits (8 × 8), one small conv block, one epoch: trains in a fraction of a second.
TINY: dict[str, Any] = {
    "epochs": 1,
    "layers": [{"type": "conv", "filters": 2, "kernel": 3}, {"type": "relu"}, {"type": "maxpool", "size": 2}],
}


def _image(pixels: np.ndarray) -> dict[str, Any]:
    return {"dtype": "u1", "shape": list(pixels.shape), "bdata": base64.b64encode(pixels.tobytes()).decode()}


def _seven() -> np.ndarray:
    pixels = np.zeros((8, 8), dtype=np.uint8)  # (H, W)
    pixels[1, 1:7] = 255
    for row in range(2, 7):
        pixels[row, 7 - row] = 255
    return pixels


def _stats(client: TestClient) -> dict[str, Any]:
    stats: dict[str, Any] = client.get("/api/v1/stats").json()
    return stats


def test_predict_reuses_the_played_run_and_equals_its_network(client: TestClient) -> None:
    played = client.post(f"{RUNS}?figure=true", json={"params": TINY, "seed": 3})
    assert played.status_code == 200
    result = played.json()["result"]
    started = _stats(client)["runs_started"]

    answer = client.post(PREDICT, json={"params": TINY, "seed": 3, "image": _image(_seven())})
    assert answer.status_code == 200, answer.text[:400]
    body = answer.json()
    stats = _stats(client)
    assert stats["runs_started"] == started  # not trained again: the page's cached run (figure=true)
    assert stats["cache"]["hits"] >= 1

    # The oracle: the downloaded state_dict in a plain torch network of the same layers.
    state = torch.load(io.BytesIO(base64.b64decode(result["model"]["base64"])), weights_only=True)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(2 * 4 * 4, 10),
    )
    net.load_state_dict(state)
    x = torch.from_numpy(_seven().astype(np.float32) / 255.0)[None, None]  # (1, 1, 8, 8)
    with torch.no_grad():
        expected = torch.softmax(net(x)[0], dim=0).numpy()
        conv = net[0](x)[0].numpy()  # (2, 8, 8)
    np.testing.assert_allclose(body["probabilities"], expected, atol=1e-6)
    assert body["predicted"] == int(expected.argmax())
    assert body["class_names"] == [str(d) for d in range(10)]
    first = body["layers"][0]
    assert first["shape"] == [2, 8, 8] and np.isclose(first["min"], conv.min(), atol=1e-5)
    maps = from_typed_array(first["values"])  # (2, 8, 8) uint8, scaled per layer
    assert maps.shape == (2, 8, 8) and maps.dtype == np.uint8
    assert int(maps.min()) == 0 and int(maps.max()) == 255
    assert int(np.argmax(maps)) == int(np.argmax(conv))  # the same picture, quantised


def test_predict_on_a_run_not_yet_made_computes_it_once(client: TestClient) -> None:
    before = _stats(client)["runs_started"]
    request = {"params": TINY, "seed": 11, "image": _image(_seven())}
    first = client.post(PREDICT, json=request)
    second = client.post(PREDICT, json=request)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert _stats(client)["runs_started"] == before + 1
    # The run it computed is the page's (with figures): playing it now is a cache hit, not a second training.
    assert client.post(f"{RUNS}?figure=true", json={"params": TINY, "seed": 11}).status_code == 200
    assert _stats(client)["runs_started"] == before + 1


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ({"dtype": "u1", "shape": [8, 8], "bdata": "not base64!"}, "not base64"),
        ({"dtype": "f4", "shape": [8, 8], "bdata": base64.b64encode(bytes(256)).decode()}, "uint8"),
        ({"dtype": "u1", "shape": [8, 8], "bdata": base64.b64encode(bytes(10)).decode()}, "holds 10 bytes"),
        ({"dtype": "u1", "shape": [4, 4], "bdata": base64.b64encode(bytes(16)).decode()}, "reads 8 × 8"),
        ({"dtype": "u1", "shape": [0, 8], "bdata": ""}, "sides from 1"),
        ({"dtype": "u1", "shape": [8, 8, 9], "bdata": ""}, "channels"),
    ],
)
def test_a_bad_image_is_a_422_at_body_image(client: TestClient, image: dict[str, Any], words: str) -> None:
    response = client.post(PREDICT, json={"params": TINY, "seed": 0, "image": image})
    assert response.status_code == 422, response.text[:300]
    detail = response.json()["detail"][0]
    assert detail["loc"][:2] == ["body", "image"]
    assert words in detail["msg"]


def test_bad_params_are_the_run_requests_422s(client: TestClient) -> None:
    response = client.post(PREDICT, json={"params": {**TINY, "epochs": 0}, "image": _image(_seven())})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "params", "epochs"]
    missing = client.post(PREDICT, json={"params": TINY})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "image"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"params": {"lr": NaN}, "image": {"dtype": "u1", "shape": [8, 8], "bdata": ""}}',
        b'{"params": {}, "seed": -1, "image": {"dtype": "u1", "shape": [8, 8], "bdata": ""}}',
        b'{"params": {}, "image": {"dtype": "u1", "shape": [8, 8], "bdata": "' + b"A" * 100_000 + b'"}}',
        b'{"params": {}, "image": {"dtype": "u1", "shape": [99999999999, 8], "bdata": ""}}',
        b"[" * 5_000,
        b"not json",
        json.dumps({"params": [], "image": None}).encode(),
    ],
)
def test_hostile_bodies_are_4xx(client: TestClient, raw: bytes) -> None:
    response = client.post(PREDICT, content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text[:300]
    assert "detail" in response.json()


def test_openapi_documents_the_route(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"][PREDICT]["post"]
    assert op["summary"] and "example" in op["requestBody"]["content"]["application/json"]
