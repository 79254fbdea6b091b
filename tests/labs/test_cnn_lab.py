"""The CNN lab end to end (``app.labs.cnn``): save → load round trip, bad weights files and bad layer lists are
422s naming the field, the budgets, and ``predict`` against the trained network run by hand."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import cnn_model
from app.labs.cnn import CNN, predict
from app.main import create_app
from app.schemas.cnn import CnnParams
from app.schemas.common import ParamsError
from app.schemas.frames.cnn import CnnFrame, CnnResult
from app.settings import Settings
from tests.labs.lab_run import first_error

URL = "/api/v1/algorithms/cnn/runs"
SMALL: dict[str, Any] = {
    "dataset": {"name": "shapes", "n_samples": 48, "side": 8, "noise": 0.05},
    "layers": [{"type": "conv", "filters": 3, "kernel": 3}, {"type": "relu"}, {"type": "maxpool", "size": 2}],
    "epochs": 2,
    "batch_size": 8,
}


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any], CnnParams]:
    params = CnnParams.model_validate(raw)
    frames, result = drain(CNN.engine(CNN.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(seed)))
    return frames, result, params


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


def test_frames_and_result_match_their_models_with_every_layer_kind() -> None:
    layers = [
        {"type": "conv", "filters": 2, "kernel": 3, "padding": 1},
        {"type": "batchnorm"},
        {"type": "dropout", "p": 0.5},
        {"type": "avgpool", "size": 2},
        {"type": "sigmoid"},
        {"type": "flatten"},
        {"type": "dense", "units": 5},
        {"type": "tanh"},
    ]
    frames, result, _ = _run(SMALL | {"layers": layers, "augment": True, "optimizer": "momentum"})
    kinds = [f.kind for f in frames]
    assert kinds[0] == "init" and kinds[-1] == "done" and kinds.count("epoch") >= 10  # a short run: every N steps
    for f in frames:
        CnnFrame.model_validate(
            {"index": 0, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    CnnResult.model_validate(result)
    # No conv layer: no filters in the frames.
    frames, _, _ = _run(SMALL | {"layers": [{"type": "dense", "units": 4}]})
    assert all("filters" not in f.state for f in frames)


def test_save_then_load_gives_identical_predictions() -> None:
    frames, result, params = _run(SMALL)
    loaded, _, again = _run(SMALL | {"initial_weights": result["model"]["base64"]}, seed=7)
    before, after = frames[-1].state, loaded[0].state
    assert after["probabilities"] == before["probabilities"]
    assert after["grid_predicted"] == before["grid_predicted"] and after["confusion"] == before["confusion"]
    assert after["maps"] == before["maps"]
    image = np.random.default_rng(0).integers(0, 256, (8, 8), dtype=np.uint8)
    twin = dict(result) | {"model": dict(result["model"])}
    assert predict(params, result, image) == predict(again, twin, image)
    assert "the weights of the file" in loaded[0].caption


def test_predict_equals_the_trained_network_run_by_hand() -> None:
    _, result, params = _run(SMALL)
    image = np.random.default_rng(1).integers(0, 256, (8, 8, 1), dtype=np.uint8)
    body = predict(params, result, image)
    model, _ = cnn_model.build([layer.model_dump() for layer in params.layers], (1, 8, 8), 4, torch.Generator())
    raw = base64.b64decode(result["model"]["base64"])
    model.load_state_dict(torch.load(io.BytesIO(raw), weights_only=True))
    model.eval()
    x = torch.from_numpy(image.transpose(2, 0, 1)[None].astype(np.float32) / 255)  # (1, 1, 8, 8)
    with torch.no_grad():
        expected = torch.softmax(model(x), dim=1)[0].numpy()
    np.testing.assert_allclose(body["probabilities"], expected, atol=1e-6)
    assert body["predicted"] == int(expected.argmax())
    assert body["class_names"] == result["class_names"] == ["circle", "square", "triangle", "stripes"]
    assert [layer["name"] for layer in body["layers"]] == [row["name"] for row in result["layers"]]
    assert [layer["shape"] for layer in body["layers"]] == [row["output_shape"] for row in result["layers"]]
    assert body["layers"][0]["values"]["dtype"] == "u1"
    with pytest.raises(ParamsError) as err:
        predict(params, result, np.zeros((28, 28), dtype=np.uint8))
    assert err.value.loc == ("image",) and "8 × 8" in err.value.msg


def _torch_file(obj: Any) -> str:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return base64.b64encode(buffer.getvalue()).decode()


class _NotWeights:
    pass


@pytest.mark.parametrize(
    "weights",
    [
        "!!! not base64",
        base64.b64encode(b"just some bytes").decode(),
        _torch_file(_NotWeights()),  # a pickled object: weights_only refuses it
        _torch_file([1, 2, 3]),
    ],
    ids=["not-base64", "not-torch", "pickled-object", "not-a-state-dict"],
)
def test_a_file_that_is_no_model_is_a_422(client: TestClient, weights: str) -> None:
    error = _error(client, SMALL | {"initial_weights": weights})
    assert error["loc"] == ["body", "params", "initial_weights"]
    assert "not a Stepwise model file" in error["msg"]


def test_a_file_for_another_network_names_the_layer_and_shapes(client: TestClient) -> None:
    _, result, _ = _run(SMALL)
    other = SMALL | {"layers": [{"type": "conv", "filters": 5, "kernel": 3}, *SMALL["layers"][1:]]}
    error = _error(client, other | {"initial_weights": result["model"]["base64"]})
    assert error["loc"] == ["body", "params", "initial_weights"]
    assert (
        "layer 1 (conv 5 × 3×3)" in error["msg"] and "(5, 1, 3, 3)" in error["msg"] and "(3, 1, 3, 3)" in error["msg"]
    )


def test_bad_layer_lists_and_budgets_are_422s_with_the_numbers(client: TestClient) -> None:
    error = _error(
        client, SMALL | {"layers": [{"type": "maxpool", "size": 2}, {"type": "conv", "filters": 2, "kernel": 7}]}
    )
    assert error["loc"] == ["body", "params", "layers", 1] and "⌊(4 + 2·1 − 7)/1⌋ + 1 = 0" in error["msg"]
    error = _error(client, SMALL | {"layers": [{"type": "conv", "filters": 1_000_000, "kernel": 3}]})
    assert error["loc"][:4] == ["body", "params", "layers", 0] and "256" in error["msg"]
    wide = [{"type": "dense", "units": 4096}, {"type": "dense", "units": 4096}]
    error = _error(client, SMALL | {"layers": wide})
    assert error["loc"] == ["body", "params", "layers"] and "parameters" in error["msg"]
    big = {"name": "shapes", "n_samples": 2000, "side": 64}
    heavy = [{"type": "conv", "filters": 64, "kernel": 5, "padding": 2}]
    error = _error(client, {"dataset": big, "layers": heavy, "epochs": 200})
    assert error["loc"] == ["body", "params", "epochs"] and "200 epochs × 1,500 training images" in error["msg"]
    error = _error(client, SMALL | {"sample": 500})
    assert error["loc"] == ["body", "params", "sample"] and "12 images" in error["msg"]


def test_the_cnn_budgets_are_settings_named_in_their_messages() -> None:
    """STEPWISE_MAX_CNN_PARAMETERS, STEPWISE_MAX_CNN_WORK and STEPWISE_MAX_MODEL_BYTES reach the lab's checks."""
    _, result, _ = _run(SMALL)
    weights = result["model"]["base64"]
    tight = Settings(cache_entries=0, max_cnn_parameters=50, max_cnn_work=1e6, max_model_bytes=1_000)
    with TestClient(create_app(tight)) as small:
        error = _error(small, SMALL)
        assert error["loc"] == ["body", "params", "layers"] and "STEPWISE_MAX_CNN_PARAMETERS" in error["msg"]
        error = _error(small, SMALL | {"initial_weights": weights})
        assert error["loc"] == ["body", "params", "initial_weights"] and "STEPWISE_MAX_MODEL_BYTES" in error["msg"]
    with TestClient(create_app(Settings(cache_entries=0, max_cnn_work=1e5))) as slow:
        error = _error(slow, SMALL)
        assert error["loc"] == ["body", "params", "epochs"] and "STEPWISE_MAX_CNN_WORK" in error["msg"]
