"""The image datasets over HTTP: listed with their shapes, served as typed uint8 arrays equal to what the spec
loads, sizes past the limits refused naming the field, and uploads decoded or refused with the defect named."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.core.typed_array import from_typed_array
from app.main import create_app
from app.schemas.images import IMAGE_SPECS, PhotoSpec, ShapesSpec
from app.settings import Settings


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_catalog_lists_the_image_sets_with_their_shapes(client: TestClient) -> None:
    entries = {e["name"]: e for e in client.get("/api/v1/datasets").json()}
    assert entries["digit_images"]["shape"] == [1797, 8, 8, 1] and entries["digits"]["kind"] == "classic"
    assert entries["photo"]["shape"] == [1, 85, 128, 3] and entries["shapes"]["shape"] == [400, 32, 32, 1]
    assert entries["shapes"]["class_names"] == ["circle", "square", "triangle", "stripes"]
    for name in IMAGE_SPECS:
        assert entries[name]["kind"] == "images" and entries[name]["defaults"]["name"] == name
        assert entries[name]["params_schema"]["properties"]["name"]["const"] == name


def test_a_set_comes_as_typed_arrays_equal_to_the_spec_and_of_the_listed_shape(client: TestClient) -> None:
    response = client.get("/api/v1/datasets/shapes?n_samples=12&side=16&seed=5&noise=0.05")
    assert response.status_code == 200
    body = response.json()
    expected = ShapesSpec(n_samples=12, side=16, seed=5, noise=0.05).load()
    assert body["images"]["dtype"] == "u1" and body["images"]["shape"] == [12, 16, 16, 1]
    assert np.array_equal(from_typed_array(body["images"]), expected.images)
    assert np.array_equal(from_typed_array(body["masks"]), expected.masks)
    assert from_typed_array(body["labels"]).tolist() == expected.labels.tolist()
    assert '"images":{"dtype"' in response.text and "[[" not in response.text, "never nested lists"
    photo = client.get("/api/v1/datasets/photo?which=flower&side=64").json()
    assert photo["labels"] is None and photo["masks"] is None
    assert from_typed_array(photo["images"]).shape == PhotoSpec(which="flower", side=64).shape
    digits = client.get("/api/v1/datasets/digit_images").json()
    assert from_typed_array(digits["images"]).shape == (1797, 8, 8, 1) and len(digits["class_names"]) == 10


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("shapes?side=4096", "side", "STEPWISE_MAX_IMAGE_SIDE"),
        ("shapes?n_samples=5000", "n_samples", "STEPWISE_MAX_IMAGES"),
        ("shapes?n_samples=many", "n_samples", "integer"),
        ("shapes?noise=nan", "noise", ""),
        ("photo?which=moon", "which", "china"),
        ("photo?side=99999", "side", "4096"),
    ],
)
def test_bad_sizes_are_422_naming_the_field(client: TestClient, query: str, field: str, words: str) -> None:
    response = client.get(f"/api/v1/datasets/{query}")
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert errors[0]["loc"] == ["query", field] and words in errors[0]["msg"]


def test_the_digits_refuse_a_limit_below_their_count() -> None:
    with TestClient(create_app(Settings(max_images=1000))) as small:
        response = small.get("/api/v1/datasets/digit_images")
    assert response.status_code == 422 and "1,797" in json.dumps(response.json())


def test_an_upload_is_decoded_and_shrunk(client: TestClient) -> None:
    rgb = np.random.default_rng(1).integers(0, 256, (512, 300, 3), dtype=np.uint8)
    response = client.post("/api/v1/datasets/image", files={"file": ("a.png", _png(rgb), "image/png")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["shape"] == [256, 150, 3] and body["original_shape"] == [512, 300]
    assert from_typed_array(body["image"]).shape == (256, 150, 3)
    raw = client.post("/api/v1/datasets/image", content=_png(rgb[:10, :10]), headers={"content-type": "image/png"})
    assert raw.status_code == 200 and np.array_equal(from_typed_array(raw.json()["image"]), rgb[:10, :10])


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"file": ("a.csv", b"x,y\n1,2\n", "text/csv")}, "image_not_an_image"),
        ({"file": ("a.png", b"\x89PNG\r\n\x1a\n" + bytes(30), "image/png")}, "image_corrupt"),
        ({"file": ("a.png", b"", "image/png")}, "image_empty"),
        ({"other": ("a.png", b"abc", "image/png")}, "image_missing"),
    ],
)
def test_what_is_not_an_image_is_a_422_at_the_file(client: TestClient, files: dict, code: str) -> None:
    response = client.post("/api/v1/datasets/image", files=files)
    assert response.status_code == 422, response.text
    error = response.json()["detail"][0]
    assert error["type"] == code and error["loc"] == ["body", "file"] and error["msg"]


def test_an_image_over_the_byte_limit_is_a_413() -> None:
    with TestClient(create_app(Settings(image_max_bytes=2_000))) as small:
        big = _png(np.random.default_rng(2).integers(0, 256, (64, 64, 3), dtype=np.uint8))
        response = small.post("/api/v1/datasets/image", files={"file": ("a.png", big, "image/png")})
    assert response.status_code == 413 and "STEPWISE_IMAGE_MAX_BYTES" in response.json()["detail"]
