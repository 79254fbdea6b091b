"""Inputs that used to bring a request down (issue 9), through real HTTP: each is now a 4xx JSON ``detail``
that names what is wrong, and a lab's own failure is a server fault that says so."""

from __future__ import annotations

import json
import logging
from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from app import catalog
from app.catalog import Algorithm
from app.core.frame import Frame
from app.main import create_app
from app.runs import plan_run
from app.settings import Settings
from tests.conftest import parse_sse

KMEANS = "/api/v1/algorithms/kmeans/runs"
JSON_TYPE = {"Content-Type": "application/json"}


def _is_json_error(response: Any, status: int) -> Any:
    """The answer is ``status``, JSON with a ``detail``, and carries the security headers; returns the body."""
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["detail"]
    return body


@pytest.fixture
def loose(app: FastAPI) -> Iterator[TestClient]:
    """A client that shows server errors as responses (as a browser sees them) instead of raising them."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


# ---------------------------------------------------------------- 1. NaN / Infinity outside params


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ('{"seed": NaN}', ["body", "seed"]),
        ('{"seed": Infinity}', ["body", "seed"]),
        ('{"params": NaN}', ["body", "params"]),
        ("[NaN]", ["body"]),
        ('{"extra": -Infinity}', ["body", "extra"]),
        ('{"params": {"k": NaN}}', ["body", "params", "k"]),
        ('{"params": {"dataset": {"X": [[1, NaN], [2, 3]]}}}', ["body", "params", "dataset", "X", 0, 1]),
        ('{"params": {"not_a_param": Infinity}}', ["body", "params", "not_a_param"]),
    ],
)
def test_non_finite_literals_anywhere_are_422_naming_the_field(loose: TestClient, body: str, loc: list[Any]) -> None:
    detail = _is_json_error(loose.post(KMEANS, content=body, headers=JSON_TYPE), 422)["detail"]
    assert detail[0]["loc"] == loc
    assert detail[0]["input"] in ("NaN", "Infinity", "-Infinity", ["NaN"])  # echoed as text: JSON has no NaN


def test_an_unhandled_exception_is_a_json_500_with_the_headers_and_logged(
    app: FastAPI, loose: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise KeyError("no such thing")

    with caplog.at_level(logging.ERROR):
        body = _is_json_error(loose.get("/boom"), 500)
    assert "bug on our side" in body["detail"] and body["fault"] == "server"
    assert any("/boom" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- 2. labels beyond int64


@pytest.mark.parametrize("lab", ["kmeans", "logistic-regression"])
def test_labels_beyond_int64_are_422_naming_the_label(client: TestClient, lab: str) -> None:
    data = {"X": [[0, 0], [1, 1], [2, 2], [3, 3]], "y": [0, 1, 10**30, 1]}
    response = client.post(f"/api/v1/algorithms/{lab}/runs", json={"params": {"dataset": data}})
    error = _is_json_error(response, 422)["detail"][0]
    assert error["loc"][-2:] == ["y", 2] and "9223372036854775807" in error["msg"]


# ---------------------------------------------------------------- 3. values whose squares overflow

HUGE = {"X": [[0, 0], [1e308, 1], [2, 3], [3, 1], [1, 2], [2, 1]], "y": [0, 1, 0, 1, 0, 1]}


@pytest.mark.parametrize("lab", ["hierarchical", "dbscan", "neural-network", "kmeans", "svm", "pca"])
def test_values_whose_squares_overflow_are_422_naming_row_and_column(client: TestClient, lab: str) -> None:
    response = client.post(f"/api/v1/algorithms/{lab}/runs", json={"params": {"dataset": HUGE}})
    error = _is_json_error(response, 422)["detail"][0]
    assert error["loc"][-1] == "X"
    assert "row 1, column 0" in error["msg"] and "STEPWISE_MAX_ABS_VALUE" in error["msg"]


def test_the_bound_itself_is_allowed_and_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.runs import limits_of
    from app.schemas.datasets import InlineData
    from app.settings import Settings

    assert InlineData.model_validate({"X": [[1e12, -1e12]]}).X == [[1e12, -1e12]]
    assert "STEPWISE_MAX_ABS_VALUE" in InlineData.model_json_schema()["properties"]["X"]["description"]
    monkeypatch.setenv("STEPWISE_MAX_ABS_VALUE", "100")
    limits = limits_of(Settings())  # schemas read no settings: the service hands them its limits as the context
    with pytest.raises(ValueError, match="larger in size than 100"):
        InlineData.model_validate({"X": [[1, 2], [101, 0]]}, context={"limits": limits})


def test_a_csv_cell_over_the_bound_names_row_and_column(client: TestClient) -> None:
    text = "a,b,c\n1,2,x\n3,4e20,y\n5,6,x\n7,8,y\n"
    error = _is_json_error(client.post("/api/v1/datasets/parse", content=text), 422)["detail"][0]
    assert error["type"] == "csv_too_large" and error["ctx"] == {"row": 3, "column": "b"}


# ---------------------------------------------------------------- 4. -0.0 noise


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral"])
def test_negative_zero_noise_is_zero(client: TestClient, name: str) -> None:
    response = client.get(f"/api/v1/datasets/{name}?noise=-0&n_samples=20")
    assert response.status_code == 200, response.text
    assert response.json()["params"]["noise"] == 0.0
    assert response.json()["X"] == client.get(f"/api/v1/datasets/{name}?noise=0&n_samples=20").json()["X"]


@pytest.mark.parametrize(
    ("lab", "dataset"),
    [
        ("dbscan", {"name": "moons", "n_samples": 40, "noise": -0.0}),
        ("logistic-regression", {"name": "circles", "n_samples": 40, "noise": -0.0}),
        ("neural-network", {"name": "plane", "n_samples": 40, "noise": -0.0}),
    ],
)
def test_negative_zero_noise_inside_a_run(client: TestClient, lab: str, dataset: dict[str, Any]) -> None:
    body = json.dumps({"params": {"dataset": dataset, **({"epochs": 2} if lab != "dbscan" else {})}})
    assert '"noise": -0.0' in body
    response = client.post(f"/api/v1/algorithms/{lab}/runs", content=body, headers=JSON_TYPE)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["params"]["dataset"]["noise"] == 0.0


def test_negative_zero_is_the_same_run_as_zero(settings: Settings) -> None:
    dbscan = catalog.get_algorithm("dbscan")
    assert dbscan is not None
    minus = plan_run(dbscan, {"dataset": {"name": "moons", "noise": -0.0}, "eps": 0.3}, 0, False, settings)
    plus = plan_run(dbscan, {"dataset": {"name": "moons", "noise": 0.0}, "eps": 0.3}, 0, False, settings)
    assert minus.key == plus.key


# ---------------------------------------------------------------- 5. CSV fields and unparsable JSON


def _csv(client: TestClient, raw: bytes) -> Any:
    return client.post("/api/v1/datasets/parse", content=raw, headers={"Content-Type": "text/csv"})


def test_a_csv_field_over_131072_characters_is_422_naming_row_and_column(client: TestClient) -> None:
    raw = ("a,b,c\n" + "1,2,0\n" * 4 + "x" * 140_000 + ",1,1\n").encode()
    error = _is_json_error(_csv(client, raw), 422)["detail"][0]
    assert error["type"] == "csv_cell_too_long" and error["ctx"] == {"row": 6, "column": "a"}
    assert "140,000 characters" in error["msg"] and "never closed" not in error["msg"]


@pytest.mark.parametrize("count", [1_900_000, 1_900_001])
def test_a_file_of_quotes_is_422(client: TestClient, count: int) -> None:
    error = _is_json_error(_csv(client, b'"' * count), 422)["detail"][0]
    assert error["type"] == "csv_cell_too_long" and error["ctx"]["row"] == 1
    assert ("never closed" in error["msg"]) == (count % 2 == 1)  # only an odd count leaves a quote open


def test_a_quoted_newline_stays_inside_its_field(client: TestClient) -> None:
    raw = b'a,b,c\n1,2,"x\ny"\n3,4,y\n5,6,x\n7,8,y\n'
    body = _csv(client, raw).json()
    assert body["classes"] == ["x", "x\ny", "y"] and body["y"] == [1, 2, 0, 2]
    assert body["X"] == [[1, 2], [3, 4], [5, 6], [7, 8]]


def test_a_quoted_newline_in_a_numeric_column_names_the_cell(client: TestClient) -> None:
    raw = b'a,b,c\n1,2,x\n3,4,y\n"5\n6",6,x\n7,8,y\n9,9,x\n'
    error = _is_json_error(_csv(client, raw), 422)["detail"][0]
    assert error["type"] == "csv_not_a_number" and error["ctx"] == {"row": 4, "column": "a"}
    assert "'5\\n6'" in error["msg"]


def test_rows_after_a_multiline_field_keep_their_file_line_numbers(client: TestClient) -> None:
    raw = b'a,b,c\n1,2,"x\ny"\n3,4,y\n5,z,x\n7,8,y\n'
    error = _is_json_error(_csv(client, raw), 422)["detail"][0]
    assert error["ctx"] == {"row": 5, "column": "b"}  # line 5 of the file, as an editor shows it


def test_invalid_utf8_says_which_byte(loose: TestClient) -> None:
    body = _is_json_error(loose.post(KMEANS, content=b'{"seed":\n "\xff"}', headers=JSON_TYPE), 400)
    assert "not UTF-8" in body["detail"] and "byte 11 (line 2, column 3)" in body["detail"]


def test_ten_thousand_levels_of_nesting_is_a_400_not_a_crash(loose: TestClient) -> None:
    body = _is_json_error(loose.post(KMEANS, content="[" * 10_000 + "]" * 10_000, headers=JSON_TYPE), 400)
    assert "too deeply" in body["detail"]


@pytest.mark.parametrize("where", ['{"params": {"k": %s}}', '{"params": {"dataset": {"X": %s}}}', '{"seed": %s}'])
def test_deep_but_parsable_nesting_is_422(loose: TestClient, where: str) -> None:
    deep = "[" * 900 + "]" * 900
    body = _is_json_error(loose.post(KMEANS, content=where % deep, headers=JSON_TYPE), 422)
    assert len(json.dumps(body)) < 5_000  # the echoed input is cut short, not 900 levels deep


def test_malformed_json_says_what_and_where(client: TestClient) -> None:
    error = _is_json_error(client.post(KMEANS, content='{"seed": 1,\n  ,}', headers=JSON_TYPE), 422)["detail"][0]
    assert error["type"] == "json_invalid"
    assert "line 2, column 3" in error["msg"] and error["ctx"]["line"] == 2 and error["ctx"]["column"] == 3


@pytest.mark.parametrize(
    ("body", "kind"), [("false", "true or false"), ("[]", "an array"), ("1", "a number"), ('"x"', "a string")]
)
def test_a_body_that_is_not_an_object_says_so_with_its_fields(client: TestClient, body: str, kind: str) -> None:
    error = _is_json_error(client.post(KMEANS, content=body, headers=JSON_TYPE), 422)["detail"][0]
    assert error["loc"] == ["body"]
    assert error["msg"] == f"the request body must be a JSON object with params and seed, not {kind}"


# ---------------------------------------------------------------- 6. engine failures are server faults


class _NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _View:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def scene(self, inputs: Any, params: Any) -> dict[str, Any]:
        return {"data": [{}], "layout": {}}

    def render(self, frame: Frame, inputs: Any, params: Any) -> dict[str, Any]:
        if self.fail:
            raise ValueError("cannot draw this")
        return {"data": [{}], "layout": {}}

    def panels(self, result: Any, inputs: Any, params: Any) -> list[dict[str, Any]]:
        return []


def _failing(inputs: Any, params: Any, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    yield Frame("step", "fine", {}, {"loss": 1.0})
    raise ZeroDivisionError("float division by zero")


def _fine(inputs: Any, params: Any, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    yield Frame("step", "fine", {}, {"loss": 1.0})
    return {}


def _broken_prepare(params: Any, limits: Any) -> dict[str, Any]:
    raise OverflowError("Python int too large to convert to C long")


@pytest.fixture
def broken_labs(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog.get_algorithm("kmeans")  # load the real catalog first
    labs = {
        "broken-engine": Algorithm(
            "broken-engine", "Broken engine", "test", "x" * 50, (0,), _NoParams, lambda p, limits: {}, _failing, _View()
        ),
        "broken-view": Algorithm(
            "broken-view",
            "Broken view",
            "test",
            "x" * 50,
            (0,),
            _NoParams,
            lambda p, limits: {},
            _fine,
            _View(fail=True),
        ),
        "broken-prepare": Algorithm(
            "broken-prepare", "Broken prepare", "test", "x" * 50, (0,), _NoParams, _broken_prepare, _fine, _View()
        ),
    }
    for lab_id, lab in labs.items():
        monkeypatch.setitem(catalog._REGISTRY, lab_id, lab)


@pytest.mark.usefixtures("broken_labs")
@pytest.mark.parametrize("lab", ["broken-engine", "broken-prepare"])
def test_a_lab_failure_as_json_is_a_500_that_blames_the_lab(
    client: TestClient, caplog: pytest.LogCaptureFixture, lab: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="app.runs"):
        body = _is_json_error(client.post(f"/api/v1/algorithms/{lab}/runs", json={"seed": 7}), 500)
    assert body["fault"] == "server" and "bug on our side, not a problem with your settings" in body["detail"]
    assert body["error"].split(":")[0] in ("ZeroDivisionError", "OverflowError")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert lab in logged and "seed 7" in logged and "params sha256" in logged


@pytest.mark.usefixtures("broken_labs")
@pytest.mark.parametrize("lab", ["broken-engine", "broken-view"])
def test_a_lab_failure_mid_stream_is_an_error_event_that_blames_the_lab(client: TestClient, lab: str) -> None:
    response = client.post(
        f"/api/v1/algorithms/{lab}/runs?figure=true", json={}, headers={"Accept": "text/event-stream"}
    )
    events = parse_sse(response.text)
    assert events[-1]["event"] == "error"
    assert events[-1]["data"]["fault"] == "server" and "bug on our side" in events[-1]["data"]["detail"]
    lines = client.post(
        f"/api/v1/algorithms/{lab}/runs?figure=true", json={}, headers={"Accept": "application/jsonl"}
    ).text.splitlines()
    assert json.loads(lines[-1])["fault"] == "server"


def test_limits_are_the_requests_size_not_a_bug() -> None:
    small = {"params": {"dataset": {"name": "blobs", "n_samples": 40}, "k": 3}}
    with TestClient(create_app(Settings(max_frames=2, cache_entries=0))) as client:
        body = _is_json_error(client.post(KMEANS, json=small), 422)
        assert body["fault"] == "limit" and body["setting"] == "STEPWISE_MAX_FRAMES"
        assert "STEPWISE_MAX_FRAMES" in body["detail"] and "bug" not in body["detail"]
        events = parse_sse(client.post(KMEANS, json=small, headers={"Accept": "text/event-stream"}).text)
        assert events[-1]["event"] == "error" and events[-1]["data"]["fault"] == "limit"
