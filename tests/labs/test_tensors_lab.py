"""The tensors lab end to end (``app.labs.tensors``): every topic's frames and result validate against their models
through the API, bad input is a 422 naming the field in words (a series too short for one window, names the
length; non-ASCII text; a size of 0; 10⁶ time steps; a text over 200 characters), the default run's claims, and
the seed makes the run (only the table's rows and the noisy series draw from it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.labs.tensors import TENSORS
from app.schemas.frames.tensors import TensorsFrame, TensorsResult
from tests.labs.lab_run import first_error, run_lab

URL = "/api/v1/algorithms/tensors/runs"
TOPICS: list[dict[str, Any]] = [
    {},
    {"topic": "image", "image": {"name": "digit", "index": 7}, "normalise": "imagenet"},
    {"topic": "image", "image": {"name": "shape", "side": 8}},
    {"topic": "image", "image": {"name": "inline", "shape": [2, 2, 3], "bdata": "AAECAwQFBgcICQoL"}},
    {"topic": "image", "image": {"name": "inline", "shape": [2, 3], "bdata": "AAECAwQF"}, "pixel_x": 0},
    {"topic": "reshape", "dim0": 3, "dim1": 2, "dim2": 2},
    {"topic": "table", "rows": 3},
    {"topic": "text", "text": "Hi, there!"},
    {"topic": "series", "series": "sine", "length": 10, "window": 8, "horizon": 2},
]


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    return run_lab(TENSORS, raw, seed)


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


@pytest.mark.parametrize("raw", TOPICS, ids=lambda raw: str(raw.get("topic", "default")))
def test_every_topic_runs_through_the_api_and_matches_its_models(client: TestClient, raw: dict[str, Any]) -> None:
    response = client.post(URL + "?figure=true", json={"params": raw, "seed": 2})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    for frame in body["frames"]:
        TensorsFrame.model_validate(frame)
        assert frame["figure"]["data"]
    TensorsResult.model_validate(body["result"])
    assert body["result"]["topic"] == body["params"]["topic"]


def test_an_inline_picture_is_read_channels_last() -> None:
    frames, result = _run(TOPICS[3])
    assert frames[0].state["shape"] == [2, 2, 3] and frames[0].state["pixel_values"] == [9, 10, 11]
    assert result["chw_strides"] == [1, 6, 3]
    frames, result = _run(TOPICS[4])  # grey (H, W): one channel; the pixel at 0 % across, 50 % down
    assert frames[0].state["shape"] == [2, 3, 1] and frames[0].state["pixel"] == [1, 0]
    assert frames[0].state["pixel_values"] == [3] and frames[1].state["contiguous"] is True


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"topic": "series", "length": 10, "window": 9, "horizon": 2}, "window", "series length 10"),
        ({"topic": "series", "length": 10**6}, "length", "less than or equal to 300"),
        ({"topic": "text", "text": "naïve"}, "text", "character 3, 'ï' (code 239), is not printable ASCII"),
        ({"topic": "text", "text": "tab\there"}, "text", "code 9"),
        ({"topic": "text", "text": "x" * 201}, "text", "at most 200 characters"),
        ({"topic": "text", "text": ""}, "text", "at least 1 character"),
        ({"topic": "reshape", "dim0": 0}, "dim0", "greater than or equal to 1"),
        ({"topic": "reshape", "dim2": 7}, "dim2", "less than or equal to 6"),
        ({"topic": "table", "rows": 21}, "rows", "less than or equal to 20"),
        ({"topic": "words"}, "topic", "image"),
        ({"topic": "image", "image": {"name": "photo", "side": 10**6}}, "image", "4096"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, words: str
) -> None:
    error = _error(client, params)
    assert error["loc"][:3] == ["body", "params", field], error
    assert words in error["msg"], error["msg"]


def test_a_window_that_fits_only_just_is_fine_and_makes_one_example() -> None:
    frames, _ = _run({"topic": "series", "length": 10, "window": 8, "horizon": 2})
    assert frames[-1].state["inputs_shape"] == [1, 8] and "Example 1 of 1" in frames[1].caption


def test_the_default_run_claims() -> None:
    """The default: the flower photo, 48 pixels on its longer side: five frames, in the lesson's order."""
    frames, result = _run({})
    assert [f.kind for f in frames] == ["hwc", "chw", "channels", "to_float", "normalise"]
    assert result["hwc_shape"] == [32, 48, 3] and result["chw_shape"] == [3, 32, 48]
    assert result["hwc_strides"] == [144, 3, 1] and result["chw_strides"] == [1, 144, 3]
    assert "(32, 48, 3)" in frames[0].caption and "strides (144, 3, 1)" in frames[0].caption
    assert "(1, 144, 3)" in frames[1].caption and "(1,536, 48, 1)" in frames[1].caption
    assert np.allclose(frames[-1].state["new_mean"], 0, atol=1e-9) and np.allclose(frames[-1].state["new_std"], 1)


def test_only_the_table_and_the_noisy_series_draw_from_the_seed() -> None:
    for raw in ({}, {"topic": "reshape"}, {"topic": "text"}, {"topic": "series", "series": "sine"}):
        assert [f.state for f in _run(raw, 1)[0]] == [f.state for f in _run(raw, 2)[0]]
    assert _run({"topic": "table"}, 1)[0][0].state["rows"] != _run({"topic": "table"}, 2)[0][0].state["rows"]
    noisy = {"topic": "series", "series": "noisy_sine"}
    assert _run(noisy, 1)[1]["values"] != _run(noisy, 2)[1]["values"]
    assert _run(noisy, 1)[1]["values"] == _run(noisy, 1)[1]["values"]
