"""A finished run is compressed once for every reader; a live or resumed one is compressed per stream."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

URL = "/api/v1/algorithms/pca/runs?figure=true"
SSE = {"Accept": "text/event-stream", "Accept-Encoding": "gzip"}


def test_a_cached_run_is_compressed_once_and_every_reader_gets_the_same_bytes() -> None:
    with TestClient(create_app(Settings())) as client:
        first = client.post(URL, json={"seed": 5}, headers=SSE)  # computed: a live stream, compressed as it goes
        replays = [client.post(URL, json={"seed": 5}, headers=SSE) for _ in range(3)]
        counters = client.get("/api/v1/stats").json()
    assert first.headers["content-encoding"] == "gzip"
    assert all(r.headers["content-encoding"] == "gzip" for r in replays)
    assert "x-stepwise-body-key" not in replays[0].headers  # internal: never sent
    assert all(r.text == first.text for r in replays)  # httpx inflates: the same events, byte for byte
    assert counters["compressed"]["hits"] >= 2 and counters["runs_replayed"] == 3


def test_a_resumed_replay_is_its_own_body() -> None:
    with TestClient(create_app(Settings())) as client:
        whole = client.post(URL, json={"seed": 6}, headers=SSE).text
        resumed = client.post(URL, json={"seed": 6}, headers={**SSE, "Last-Event-ID": "2"}).text
    whole_lines, resumed_lines = whole.splitlines(), resumed.splitlines()
    assert "id: 2" in whole_lines and "id: 2" not in resumed_lines
    start = resumed_lines.index("id: 3")
    assert resumed_lines[start:] == whole_lines[whole_lines.index("id: 3") :]


def test_without_accept_encoding_nothing_is_compressed() -> None:
    with TestClient(create_app(Settings())) as client:
        response = client.post(URL, json={"seed": 7}, headers={"Accept": "text/event-stream", "Accept-Encoding": ""})
    assert "content-encoding" not in response.headers
    assert not response.content.startswith(gzip.compress(b"")[:2])
