"""``POST /api/v1/datasets/parse``: sniffing, column choice, and a named 4xx for every defect of issue 4."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/datasets/parse"
IRISH = (
    "sepal;petal;width;species\n5.1;1.4;0.2;setosa\n4.9;1.4;0.2;setosa\n6.3;4.9;1.5;virginica\n7.0;4.7;1.4;virginica\n"
)


def _upload(client: TestClient, text: str | bytes, query: str = "") -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return client.post(URL + query, files={"file": ("data.csv", raw, "text/csv")})


def _defect(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "csv"]
    return error


def test_upload_sniffs_delimiter_and_header_and_defaults_columns(client: TestClient) -> None:
    body = _upload(client, IRISH).json()
    assert body["delimiter"] == ";" and body["header"] is True
    assert body["columns"] == ["sepal", "petal", "width", "species"]
    assert body["features"] == ["sepal", "petal"] and body["label"] == "species"
    assert body["X"] == [[5.1, 1.4], [4.9, 1.4], [6.3, 4.9], [7.0, 4.7]]
    assert body["y"] == [0, 0, 1, 1] and body["classes"] == ["setosa", "virginica"]


def test_text_body_and_chosen_columns(client: TestClient) -> None:
    text = "1\t2\t0\n3\t4\t1\n5\t6\t0\n7\t8\t1\n9\t1\t1\n"
    body = client.post(URL + "?features=2,1&label=0", content=text, headers={"content-type": "text/csv"}).json()
    assert body["header"] is False and body["delimiter"] == "\t"
    assert body["features"] == ["column 3", "column 2"] and body["label"] == "column 1"
    assert body["X"][0] == [0.0, 2.0] and body["classes"] == ["1", "3", "5", "7", "9"]
    unlabelled = client.post(URL + "?no_label=true", content=text, headers={"content-type": "text/plain"}).json()
    assert unlabelled["y"] is None and unlabelled["features"] == ["column 1", "column 2"]


@pytest.mark.parametrize(
    ("text", "query", "kind", "words"),
    [
        ("a,b,c\n1,2,0\n3,x,1\n5,6,0\n7,8,1\n", "", "csv_not_a_number", ["row 3", "'b'", "'x'"]),
        ("a,b,c\n1,2,0\n3,,1\n5,6,0\n7,8,1\n", "", "csv_missing_value", ["row 3", "'b'"]),
        ("a,b,c\n1,2,0\n3,4,0\n5,6,0\n7,8,0\n", "", "csv_one_class", ["'c'"]),
        ("a,b,c\n1,2,0\n3,4,1\n", "", "csv_too_few_rows", ["2 data rows"]),
        ("a,b,c\n1,2,0\n3,4\n5,6,0\n7,8,1\n", "", "csv_ragged_row", ["row 3", "2 fields"]),
        ("a,b,c\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "?features=a,zz", "csv_unknown_column", ["'zz'"]),
        ("a,b,c\n1,2,0\n3,inf,1\n5,6,0\n7,8,1\n", "", "csv_not_finite", ["row 3"]),
    ],
)
def test_each_defect_is_named(client: TestClient, text: str, query: str, kind: str, words: list[str]) -> None:
    error = _defect(_upload(client, text, query))
    assert error["type"] == kind
    assert all(w in error["msg"] for w in words), error["msg"]


def test_not_utf8(client: TestClient) -> None:
    error = _defect(_upload(client, "a,b,c\n1,2,é\n3,4,0\n5,6,1\n7,8,0\n".encode("latin-1")))
    assert error["type"] == "csv_not_utf8" and "UTF-8" in error["msg"]


def test_label_with_500_distinct_values(client: TestClient) -> None:
    text = "a,b,id\n" + "".join(f"{i},{i * 2},{i}\n" for i in range(500))
    error = _defect(_upload(client, text, "?label=id"))
    assert error["type"] == "csv_too_many_classes" and "500 distinct" in error["msg"]


def test_row_and_column_limits(client: TestClient) -> None:
    rows = "a,b,c\n" + "1,2,0\n3,4,1\n" * 2_600
    assert _defect(_upload(client, rows))["type"] == "csv_too_many_rows"
    wide = ",".join(f"c{i}" for i in range(60)) + "\n" + ("1," * 59 + "1\n") * 5
    assert _defect(_upload(client, wide))["type"] == "csv_too_many_columns"


def test_a_20_mb_csv_is_a_413(client: TestClient) -> None:
    big = b"1,2,0\n" * (20_000_000 // 6)
    response = client.post(URL, content=big, headers={"content-type": "text/csv"})
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    response = _upload(client, big)
    assert response.status_code == 413


def test_multipart_without_a_file(client: TestClient) -> None:
    response = client.post(URL, data={"nothing": "here"}, files={"other": ("x", b"1", "text/plain")})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "file"]
