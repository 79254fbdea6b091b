"""``POST /api/v1/datasets/parse`` parses off the event loop: small uploads in a thread, large ones (over
``STEPWISE_CSV_THREAD_MAX_BYTES``) in a worker process. Where it ran changes nothing in the answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.datasets.csv_parse import ParseOptions, parse_upload
from app.settings import Settings

URL = "/api/v1/datasets/parse"


def _options(settings: Settings) -> ParseOptions:
    return ParseOptions(
        features=None,
        label=None,
        no_label=False,
        max_rows=settings.csv_max_rows,
        max_columns=settings.csv_max_columns,
        max_classes=settings.csv_max_classes,
        max_abs=settings.max_abs_value,
        sniff_bytes=settings.csv_sniff_bytes,
    )


def _csv(rows: int) -> bytes:
    return b"x;y;kind\n" + b"".join(
        b"%d.125;%d.75;%s\n" % (i, (i * 7) % 11, b"abc"[i % 3 : i % 3 + 1]) for i in range(rows)
    )


def test_small_and_large_uploads_give_what_the_parser_gives(client: TestClient, settings: Settings) -> None:
    small, large = _csv(200), _csv(4_900)
    assert len(small) <= Settings().csv_thread_max_bytes < len(large)  # one of each path
    for raw in (small, large):
        response = client.post(URL, content=raw, headers={"content-type": "text/csv"})
        assert response.status_code == 200, response.text[:300]
        assert response.json() == parse_upload(raw, _options(settings))
    multipart = client.post(URL, files={"file": ("big.csv", large, "text/csv")})
    assert multipart.json()["n_rows"] == 4_900 and multipart.json()["delimiter"] == ";"


def test_a_defect_of_a_large_upload_is_named_like_a_small_ones(client: TestClient) -> None:
    for rows in (200, 4_900):
        raw = _csv(rows).replace(b"\n17.125;", b"\n17.125x;", 1)
        response = client.post(URL, content=raw, headers={"content-type": "text/csv"})
        assert response.status_code == 422
        (error,) = response.json()["detail"]
        assert error["type"] == "csv_not_a_number" and error["ctx"] == {"row": 19, "column": "x"}
