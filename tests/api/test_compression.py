"""gzip on the wire (``app.compression``): whole responses, per-event flushed streams, precompressed plotly.js.

The streaming tests go through a real HTTP server (uvicorn in a thread) and read the raw compressed bytes
with httpx, inflating them here, so they see exactly what a browser's ``fetch`` would."""

from __future__ import annotations

import gzip
import random
import socket
import threading
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response, StreamingResponse

from app.compression import (
    BODY_KEY_HEADER,
    BodyKeyMismatch,
    CompressedBodies,
    GzipMiddleware,
    accepts_gzip,
    compressible,
)
from app.main import create_app
from app.security import HEADERS
from app.settings import Settings

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
SSE = {"Accept": "text/event-stream"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Served:
    """An ASGI app served by uvicorn in a thread, for as long as the ``with`` block lasts."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _security_headers_present(headers: httpx.Headers) -> None:
    for name, value in HEADERS:
        assert headers[name.decode()] == value.decode()
    assert "content-security-policy" in headers


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("deflate, *;q=0.1", True),
        ("GZIP", True),
        ("gzip;q=nonsense", False),
    ],
)
def test_accept_encoding(header: str, ok: bool) -> None:
    assert accepts_gzip(header) is ok


def test_compressible_types() -> None:
    for media in ("application/json", "application/jsonl", "text/event-stream; charset=utf-8", "text/html",
                  "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/problem+json"):  # fmt: skip
        assert compressible(media), media
    for media in ("image/png", "font/woff2", "application/octet-stream", "application/gzip", ""):
        assert not compressible(media), media


def test_json_run_is_gzipped_with_its_length_and_the_same_bytes(client: TestClient) -> None:
    url = "/api/v1/algorithms/logistic-regression/runs?figure=true"
    plain = client.post(url, headers=IDENTITY)
    packed = client.post(url, headers=GZIP)
    assert plain.headers.get("content-encoding") is None
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(plain.content) / 4  # 1.3 MB of JSON → about 180 KB
    assert packed.content == plain.content  # httpx inflated it: the same document, byte for byte
    _security_headers_present(packed.headers)


def test_small_responses_stay_plain_but_vary(client: TestClient, settings: Settings) -> None:
    response = client.get("/healthz", headers=GZIP)
    assert len(response.content) < settings.gzip_min_bytes
    assert response.headers.get("content-encoding") is None
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) == len(response.content)


def test_no_gzip_without_accept_encoding(client: TestClient) -> None:
    response = client.get("/", headers=IDENTITY)
    assert response.status_code == 200
    assert response.headers.get("content-encoding") is None
    assert "Accept-Encoding" in response.headers["vary"]


def test_pages_and_static_files_are_gzipped_with_weak_etags_that_revalidate(client: TestClient) -> None:
    page = client.get("/", headers=GZIP)
    assert page.headers["content-encoding"] == "gzip"
    js = client.get("/static/js/player.js", headers=GZIP)
    assert js.headers["content-encoding"] == "gzip"
    etag = js.headers["etag"]
    assert etag.startswith('W/"')  # the gzip bytes are not the file's bytes: a weak validator
    again = client.get("/static/js/player.js", headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304
    assert "Accept-Encoding" in again.headers["vary"]
    plain = client.get("/static/js/player.js", headers=IDENTITY)
    assert plain.content == js.content
    assert not plain.headers["etag"].startswith("W/")


def test_range_and_head_are_left_alone(client: TestClient) -> None:
    part = client.get("/static/js/player.js", headers={**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.headers.get("content-encoding") is None
    assert len(part.content) == 100
    head = client.head("/static/js/player.js", headers=GZIP)
    assert head.headers.get("content-encoding") is None


def test_plotly_is_sent_precompressed_with_its_own_length_etag_and_304(client: TestClient) -> None:
    url = "/static/vendor/plotly.min.js"
    packed = client.get(url, headers=GZIP)
    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["cache-control"] == "public, max-age=86400"
    assert packed.headers["content-type"].startswith("text/javascript")
    assert "Accept-Encoding" in packed.headers["vary"]
    length = int(packed.headers["content-length"])
    assert length < 2_000_000  # 4.8 MB → about 1.5 MB
    plain = client.get(url, headers=IDENTITY)
    assert plain.headers.get("content-encoding") is None
    assert int(plain.headers["content-length"]) == len(plain.content) > 4_000_000
    assert packed.content == plain.content  # inflated: the very file
    assert packed.headers["etag"] != plain.headers["etag"]  # two representations, two validators
    for response in (packed, plain):
        headers = {**(GZIP if response is packed else IDENTITY), "If-None-Match": response.headers["etag"]}
        again = client.get(url, headers=headers)
        assert again.status_code == 304
        assert again.content == b""
    _security_headers_present(packed.headers)


def test_plotly_raw_bytes_are_the_gz_file() -> None:
    """Read with a real server: the wire carries the ``.gz`` once (not compressed again by the middleware)."""
    with (
        _Served(create_app(Settings())) as url,
        httpx.stream("GET", f"{url}/static/vendor/plotly.min.js", headers=GZIP) as r,
    ):
        raw = b"".join(r.iter_raw())
    assert len(raw) == int(r.headers["content-length"])
    assert gzip.decompress(raw).startswith(b"/**")  # one gzip layer, then plotly's licence comment


def _gated_app(gate: threading.Event) -> Any:
    """An SSE stream that sends one event, then waits for the test to say it decoded it, then ends."""
    inner = FastAPI()

    @inner.get("/events")
    async def events() -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b'event: frame\nid: 0\ndata: {"index":0}\n\n'
            deadline = time.monotonic() + 10
            while not gate.is_set() and time.monotonic() < deadline:
                await anyio.sleep(0.01)
            yield b'event: result\ndata: {"gate":' + (b"true" if gate.is_set() else b"false") + b"}\n\n"

        return StreamingResponse(body(), media_type="text/event-stream")

    return GzipMiddleware(inner, min_bytes=1_024, level=6)


def test_each_sse_event_reaches_the_client_before_the_stream_goes_on() -> None:
    """Proof of the per-event flush: the server holds the stream open until the client has inflated the
    first event. If the middleware buffered (or zlib held bytes back), the first event would never arrive
    and the result would say ``"gate":false``."""
    gate = threading.Event()
    inflater = zlib.decompressobj(31)
    text = b""
    with _Served(_gated_app(gate)) as url, httpx.stream("GET", f"{url}/events", headers=GZIP, timeout=15) as r:
        assert r.headers["content-encoding"] == "gzip"
        assert "content-length" not in r.headers
        for chunk in r.iter_raw():
            text += inflater.decompress(chunk)
            if text.endswith(b"\n\n") and not gate.is_set():
                assert text == b'event: frame\nid: 0\ndata: {"index":0}\n\n'
                gate.set()  # only now does the server send the rest
    text += inflater.flush()
    assert gate.is_set()
    assert text.endswith(b'event: result\ndata: {"gate":true}\n\n')
    assert inflater.eof  # a complete gzip member: Z_FINISH after the last message


def test_a_real_sse_run_streams_compressed_frame_by_frame_and_inflates_to_the_identity_stream() -> None:
    """The gradient-descent lab (150 frames) over SSE through a real server: the first frame decodes while
    most of the compressed stream is still to come, and the whole inflates to the uncompressed stream."""
    url_path = "/api/v1/algorithms/gradient-descent/runs?figure=true"
    with _Served(create_app(Settings(cache_entries=0))) as url:
        plain = httpx.post(url + url_path, headers={**SSE, **IDENTITY}, timeout=60)
        assert plain.headers.get("content-encoding") is None
        with httpx.stream("POST", url + url_path, headers={**SSE, **GZIP}, timeout=60) as r:
            assert r.headers["content-encoding"] == "gzip"
            assert r.headers["vary"] == "Accept-Encoding"
            _security_headers_present(r.headers)
            raw: list[bytes] = []
            inflater = zlib.decompressobj(31)
            text = b""
            first_frame_at = None
            for chunk in r.iter_raw():
                raw.append(chunk)
                text += inflater.decompress(chunk)
                if first_frame_at is None and b"event: frame\n" in text and text.count(b"\n\n") >= 2:
                    first_frame_at = sum(map(len, raw))
            text += inflater.flush()
    assert first_frame_at is not None
    total = sum(map(len, raw))
    assert first_frame_at < total / 4, (first_frame_at, total)  # decoded with most of the stream still to come
    assert len(raw) > 10  # many flushed pieces, not one buffered body
    assert text == plain.content
    assert total < len(plain.content) / 2  # 367 KB → 125 KB (base64 typed arrays compress less than JSON)


def test_jsonl_run_is_gzipped_as_a_stream(client: TestClient) -> None:
    url = "/api/v1/algorithms/kmeans/runs"
    plain = client.post(url, headers={"Accept": "application/jsonl", **IDENTITY})
    packed = client.post(url, headers={"Accept": "application/jsonl", **GZIP})
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-length" not in packed.headers
    assert packed.content == plain.content
    assert plain.content.count(b"\n") > 5


# --- compressed once, replayed to many: BODY_KEY_HEADER -------------------------------------------------


def _keyed_app(bodies: list[list[bytes]], key: str | None = "run-1:sse", media: str = "text/event-stream") -> Any:
    """Each call sends the next body of ``bodies`` as its messages (one message: a whole body)."""
    calls = iter(bodies)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        messages = next(calls)
        headers = [(b"content-type", media.encode())]
        if key is not None:
            headers.append((BODY_KEY_HEADER.encode(), key.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, body in enumerate(messages):
            await send({"type": "http.response.body", "body": body, "more_body": i < len(messages) - 1})

    return app


def _inflate_all(chunks: list[bytes]) -> bytes:
    inflater = zlib.decompressobj(31)
    out = b"".join(inflater.decompress(c) for c in chunks) + inflater.flush()
    assert inflater.eof  # one complete gzip member
    return out


def _call(app: Any, accept_encoding: str = "gzip") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", accept_encoding.encode())]}
    anyio.run(app, scope, receive, send)
    return sent


EVENTS = [f'event: frame\nid: {i}\ndata: {{"x": [{i}, {i * 2}, {i * 3}]}}\n\n'.encode() * 40 for i in range(20)]


def test_a_keyed_stream_is_compressed_once_and_replayed_piece_by_piece() -> None:
    bodies = CompressedBodies()
    app = GzipMiddleware(_keyed_app([[*EVENTS, b""]] * 3), min_bytes=1_024, level=6, bodies=bodies)
    first, second = _call(app), _call(app)
    assert bodies.stats()["hits"] == 1 and bodies.stats()["misses"] == 1
    for sent in (first, second):
        headers = dict(sent[0]["headers"])
        assert headers[b"content-encoding"] == b"gzip"
        assert BODY_KEY_HEADER.encode() not in headers  # internal: never on the wire
    pieces = [m["body"] for m in first[1:]]
    assert pieces == [m["body"] for m in second[1:]]  # the same pieces, flushed at the same events
    assert len(pieces) == len(EVENTS) + 1
    assert _inflate_all(pieces) == b"".join(EVENTS)
    plain = _call(app, accept_encoding="identity")  # a client without gzip: the body as it is, no key header
    assert BODY_KEY_HEADER.encode() not in dict(plain[0]["headers"])
    assert b"".join(m["body"] for m in plain[1:]) == b"".join(EVENTS)


def test_a_keyed_whole_body_is_compressed_once() -> None:
    bodies = CompressedBodies()
    document = b'{"frames":[' + b",".join(b'{"i":%d}' % i for i in range(2_000)) + b"]}"
    app = GzipMiddleware(_keyed_app([[document]] * 2, key="run-1:json", media="application/json"), min_bytes=1_024,
                         level=6, bodies=bodies)  # fmt: skip
    first, second = _call(app), _call(app)
    assert first[1]["body"] == second[1]["body"]
    assert dict(second[0]["headers"])[b"content-length"] == str(len(second[1]["body"])).encode()
    assert gzip.decompress(second[1]["body"]) == document
    assert bodies.stats()["hits"] == 1


def test_a_key_that_lies_aborts_the_response_and_is_dropped() -> None:
    bodies = CompressedBodies()
    other = [*EVENTS[:5], b"event: queued\ndata: {}\n\n", *EVENTS[6:], b""]
    app = GzipMiddleware(_keyed_app([[*EVENTS, b""], other, [*EVENTS, b""]]), min_bytes=1_024, level=6,
                         bodies=bodies)  # fmt: skip
    _call(app)
    with pytest.raises(BodyKeyMismatch):
        _call(app)
    assert bodies.stats()["mismatches"] == 1
    third = _call(app)  # compressed afresh, and right
    assert _inflate_all([m["body"] for m in third[1:]]) == b"".join(EVENTS)


def test_a_keyed_body_at_another_level_is_not_replayed() -> None:
    bodies = CompressedBodies()
    _call(GzipMiddleware(_keyed_app([[*EVENTS, b""]]), min_bytes=1_024, level=6, bodies=bodies))
    _call(GzipMiddleware(_keyed_app([[*EVENTS, b""]]), min_bytes=1_024, level=1, bodies=bodies))
    assert bodies.stats()["hits"] == 0


def test_the_cache_keeps_to_its_byte_budget() -> None:
    bodies = CompressedBodies(max_bytes=40_000)
    for n in range(20):
        noise = [bytes(random.Random(n * 100 + i).randbytes(1_000)) for i in range(8)]
        _call(GzipMiddleware(_keyed_app([[*noise, b""]], key=f"k{n}"), min_bytes=1_024, level=6, bodies=bodies))
    assert bodies.stats()["bytes"] <= 40_000
    assert 0 < bodies.stats()["entries"] < 20
