"""A finished run is compressed once for every reader; a live or resumed one is compressed per stream."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests import aio

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


def test_readers_of_one_live_run_share_one_gzip_stream() -> None:
    """Identical SSE readers from the first event get the same compressed bytes (made once), which inflate
    to exactly what an uncompressed reader gets."""
    import asyncio

    import httpx

    app = create_app(Settings(cache_entries=0))
    body = {"params": {"epochs": 30, "frame_every": 1}, "seed": 3}
    url = "/api/v1/algorithms/neural-network/runs?figure=true"

    async def read(encoding: str) -> tuple[bytes, str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            headers = {"Accept": "text/event-stream", "Accept-Encoding": encoding}
            async with client.stream("POST", url, json=body, headers=headers) as response:
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
                return raw, response.headers.get("content-encoding", "")

    async def together() -> list[tuple[bytes, str]]:
        return await asyncio.gather(read("gzip"), read("gzip"), read("gzip"), read("identity"))

    (a, enc_a), (b, _), (c, _), (plain, enc_plain) = aio.run(together())
    assert enc_a == "gzip" and enc_plain == ""
    assert a == b == c  # one compression, three readers
    assert gzip.decompress(a) == plain
