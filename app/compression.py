"""gzip on the wire: a pure ASGI middleware (streams pass through it event by event, never buffered).

A logistic-regression run is 1.29 MB of JSON and 170 KB gzipped; the browser's ``fetch`` inflates gzip
natively, SSE and JSONL streams included, so every text the app sends is compressed when the client says
it takes gzip (``Accept-Encoding``), with two shapes:

* **a whole response** (its first body message is its last: JSON documents, pages, CSS, JS): compressed at
  once when it is at least ``gzip_min_bytes`` (smaller ones gain nothing), ``Content-Length`` fixed. Bodies
  of ``THREAD_MIN_BYTES`` and more are compressed in a worker thread, so a 1 MB run document (~10 ms of
  zlib) does not stall the event loop that every other client's stream is waiting on;
* **a stream** (``more_body=True``: SSE, JSONL, large files): one deflate stream over the whole response,
  with ``Z_SYNC_FLUSH`` after every message, so each SSE event reaches the client (and decodes there) the
  moment it is sent, while still being compressed against everything sent before it.

Untouched: responses that already have a ``Content-Encoding`` (the precompressed ``plotly.min.js``), partial
content (206), ``HEAD``, bodiless statuses, and media types that do not compress (images, fonts). Every
response gets ``Vary: Accept-Encoding``, so a cache between here and a client never hands gzip to a client
that did not ask for it. A strong ``ETag`` of a compressed response becomes weak (``W/"…"``): the bytes
differ from the identity representation's, the content does not (Starlette's ``If-None-Match`` check
ignores the ``W/``, so a revalidation still gets its 304).

**Compressed once, replayed to many** (``CompressedBodies``): gzip at level 6 costs ~18 ms of CPU per MB, so
200 students reading one cached 1.3 MB run would spend ~4.7 s of CPU compressing the same bytes 200 times.
A response whose bytes are a pure function of a key says so with the internal header ``BODY_KEY_HEADER``
(never sent to the client); its compressed pieces — one per body message, so a replay flushes at the same
event boundaries — are kept in a byte-bounded LRU when the response completes, and the next response with
that key sends them instead of compressing again. Each replayed message is checked against the recorded
length and CRC-32 of the message it stands for (~1 ms per MB); a mismatch means the key lied: the entry is
dropped, logged, and the response is aborted rather than sending bytes that do not match its body.
"""

from __future__ import annotations

import logging
import threading
import zlib
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

THREAD_MIN_BYTES = 256 * 1024  # a whole body this big is compressed off the event loop
BODY_KEY_HEADER = "x-stepwise-body-key"  # set by a route whose body bytes are a pure function of its value
CACHE_BYTES = 32 * 1024 * 1024  # compressed bodies kept (about 180 runs of 1.3 MB at level 6)

COMPRESSIBLE_TYPES = frozenset(
    {
        "application/json",
        "application/jsonl",
        "application/x-ndjson",
        "application/javascript",
        "application/xml",
        "application/manifest+json",
        "application/problem+json",
        "application/schema+json",
        "image/svg+xml",
    }
)
# Any text/* compresses: html, css, javascript, event-stream, plain, csv.


def compressible(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media.startswith("text/") or media in COMPRESSIBLE_TYPES or media.endswith("+json")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip: named (or ``*``) with a q-value above 0."""
    allowed: dict[str, bool] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.partition(";")
        name = name.strip()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        allowed[name] = quality > 0
    if "gzip" in allowed:
        return allowed["gzip"]
    return allowed.get("x-gzip", allowed.get("*", False))


def gzip_whole(body: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    return compressor.compress(body) + compressor.flush(zlib.Z_FINISH)


@dataclass(frozen=True, slots=True)
class CompressedBody:
    """One body compressed: ``pieces[i]`` is what body message ``i`` became (``b""`` for an empty message
    that was not sent), ``checks[i]`` the (length, CRC-32) of that message's uncompressed bytes."""

    level: int
    pieces: tuple[bytes, ...]
    checks: tuple[tuple[int, int], ...]

    @property
    def size(self) -> int:
        return sum(map(len, self.pieces)) + 64 * len(self.pieces)


class CompressedBodies:
    """A byte-bounded LRU of compressed bodies by key (thread-safe: whole bodies are compressed in threads)."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CompressedBody] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = self.mismatches = 0

    def get(self, key: str, level: int) -> CompressedBody | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.level != level:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, entry: CompressedBody) -> None:
        if entry.size > self.max_bytes // 4:  # one huge body must not flush everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def drop(self, key: str) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self.mismatches += 1

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
                "mismatches": self.mismatches,
            }


class BodyKeyMismatch(RuntimeError):
    """A replayed compressed body did not match the body the route sent under the same key."""


def _check(body: bytes) -> tuple[int, int]:
    return len(body), zlib.crc32(body)


def _add_vary(headers: MutableHeaders) -> None:
    vary = headers.get("vary")
    if vary is None:
        headers["vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower() and vary.strip() != "*":
        headers["vary"] = f"{vary}, Accept-Encoding"


def _mark_compressed(headers: MutableHeaders) -> None:
    headers["content-encoding"] = "gzip"
    etag = headers.get("etag")
    if etag is not None and not etag.startswith("W/"):
        headers["etag"] = f"W/{etag}"


class GzipMiddleware:
    """Compresses what the client accepts and what compresses; see the module docstring for the rules."""

    def __init__(self, app: ASGIApp, *, min_bytes: int, level: int, bodies: CompressedBodies | None = None) -> None:
        self.app = app
        self.min_bytes = min_bytes
        self.level = level
        self.bodies = bodies if bodies is not None else CompressedBodies()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD" or not accepts_gzip(Headers(scope=scope).get("accept-encoding", "")):
            await self.app(scope, receive, _VarySender(send))
            return
        extensions: MutableMapping[str, Any] = scope.get("extensions") or {}
        if "http.response.pathsend" in extensions:  # a file sent by path would bypass us: have its bytes instead
            scope = {**scope, "extensions": {k: v for k, v in extensions.items() if k != "http.response.pathsend"}}
        await self.app(scope, receive, _GzipSender(send, self.min_bytes, self.level, self.bodies))


class _VarySender:
    """Adds ``Vary: Accept-Encoding`` to the response start and passes everything else on."""

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            headers = MutableHeaders(scope=message)
            _add_vary(headers)
            if BODY_KEY_HEADER in headers:
                del headers[BODY_KEY_HEADER]
        await self.send(message)


class _GzipSender:
    """The ``send`` of one response to a client that takes gzip: holds the start until the first body
    message says whether it is whole or streamed, then compresses (or replays, or passes on) the rest."""

    def __init__(self, send: Send, min_bytes: int, level: int, bodies: CompressedBodies) -> None:
        self.send = send
        self.min_bytes = min_bytes
        self.level = level
        self.bodies = bodies
        self.start: Message | None = None
        self.mode = "undecided"  # → "identity" | "stream" | "done"
        self.compressor: Any = None  # zlib.Compress of a stream
        self.key: str | None = None  # the body key, when the route gave one
        self.replay: CompressedBody | None = None  # the cached compression being replayed
        self.pieces: list[bytes] = []  # recorded for the cache (a keyed miss)
        self.checks: list[tuple[int, int]] = []
        self.count = 0  # body messages seen

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            message.setdefault("headers", [])
            headers = MutableHeaders(scope=message)
            _add_vary(headers)
            self.key = headers.get(BODY_KEY_HEADER)
            if self.key is not None:
                del headers[BODY_KEY_HEADER]
            status = int(message.get("status", 200))
            if (
                "content-encoding" in headers
                or status in (204, 206, 304)
                or status < 200
                or not compressible(headers.get("content-type", ""))
            ):
                self.mode = "identity"
                await self.send(message)
            else:
                self.start = message
                if self.key is not None and status == 200:
                    self.replay = self.bodies.get(self.key, self.level)
                else:
                    self.key = None
            return
        if kind != "http.response.body" or self.mode == "identity":
            await self.send(message)
            return
        if self.mode == "undecided":
            await self._first_body(message)
        elif self.mode == "stream":
            await self._stream_body(message)
        else:  # a body after the last one: not ours to judge
            await self.send(message)

    def _replayed(self, body: bytes, last: bool) -> bytes:
        """The cached piece standing for this message, after checking it is the message it was made from
        (and the last one exactly when the recorded body ended there)."""
        assert self.replay is not None and self.key is not None
        index, checks = self.count, self.replay.checks
        if index >= len(checks) or (index == len(checks) - 1) != last or checks[index] != _check(body):
            self.bodies.drop(self.key)
            log.error("compressed body %r did not match its route's body at message %d; dropped", self.key, index)
            raise BodyKeyMismatch(self.key)
        return self.replay.pieces[index]

    def _record(self, body: bytes, piece: bytes, last: bool) -> None:
        if self.key is None:
            return
        self.pieces.append(piece)
        self.checks.append(_check(body))
        if last:
            self.bodies.put(self.key, CompressedBody(self.level, tuple(self.pieces), tuple(self.checks)))

    async def _first_body(self, message: Message) -> None:
        assert self.start is not None
        body: bytes = message.get("body", b"")
        headers = MutableHeaders(scope=self.start)
        if not message.get("more_body", False):
            self.mode = "done"
            if len(body) < self.min_bytes:
                await self.send(self.start)
                await self.send(message)
                return
            if self.replay is not None:
                packed = self._replayed(body, last=True)
            elif len(body) >= THREAD_MIN_BYTES:
                packed = await anyio.to_thread.run_sync(gzip_whole, body, self.level)
            else:
                packed = gzip_whole(body, self.level)
            self._record(body, packed, last=True)
            _mark_compressed(headers)
            headers["content-length"] = str(len(packed))
            await self.send(self.start)
            await self.send({**message, "body": packed})
            return
        self.mode = "stream"
        _mark_compressed(headers)
        if "content-length" in headers:
            del headers["content-length"]
        if self.replay is None:
            self.compressor = zlib.compressobj(self.level, zlib.DEFLATED, 31)
        await self.send(self.start)
        await self._stream_body(message)

    async def _stream_body(self, message: Message) -> None:
        body: bytes = message.get("body", b"")
        more = bool(message.get("more_body", False))
        if not more:
            self.mode = "done"
        if self.replay is not None:
            packed = self._replayed(body, last=not more)
        elif more and not body:
            packed = b""  # nothing to flush; an empty sync block would only cost bytes
        else:
            packed = self.compressor.compress(body) + self.compressor.flush(
                zlib.Z_SYNC_FLUSH if more else zlib.Z_FINISH
            )
        self._record(body, packed, last=not more)
        self.count += 1
        if packed or not more:
            await self.send({"type": "http.response.body", "body": packed, "more_body": more})
