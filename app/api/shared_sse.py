"""One gzip stream per live run, shared by every client that reads that run's SSE from its first event.

200 students on one link attach to one live run; each used to format the run's events as SSE and gzip them
for itself (about 11 ms of event-loop CPU per student for a neural-network run: over a second for a class,
while the run computes). Those 200 streams are byte for byte the same, so they are made once: the first
follower to need event ``i`` formats and compresses it (``Z_SYNC_FLUSH`` after each event, so it goes out at
once), and the others send the same bytes. Finished runs are compressed once by the middleware instead
(``BODY_KEY_HEADER``); a resumed stream or a queued one (its ``queued`` events are its own) is compressed per
client by the middleware as before.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from weakref import WeakKeyDictionary

from fastapi.sse import format_sse_event

from app.cache import RunEvent
from app.hub import LiveRun


def sse_bytes(event: RunEvent) -> bytes:
    ident = None if event.index is None else str(event.index)
    return format_sse_event(data_str=event.data, event=event.kind, id=ident)


class SharedGzip:
    """The gzip member of one live run's SSE from its start: ``pieces[i]`` ends with event ``i``."""

    def __init__(self, run: LiveRun, level: int) -> None:
        self._run = run
        self._zlib = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16 +: a gzip header and trailer
        self.pieces: list[bytes] = []
        self._trailer: bytes | None = None

    def piece(self, index: int) -> bytes:
        while len(self.pieces) <= index:
            event = self._run.events[len(self.pieces)]
            self.pieces.append(self._zlib.compress(sse_bytes(event)) + self._zlib.flush(zlib.Z_SYNC_FLUSH))
        return self.pieces[index]

    def trailer(self) -> bytes:
        """The end of the member (the CRC and length), once every event is in."""
        if self._trailer is None:
            if self._run.events:
                self.piece(len(self._run.events) - 1)
            self._trailer = self._zlib.flush(zlib.Z_FINISH)
        return self._trailer


_SHARED: WeakKeyDictionary[LiveRun, SharedGzip] = WeakKeyDictionary()


def shared_gzip(run: LiveRun, level: int) -> SharedGzip:
    found = _SHARED.get(run)
    if found is None:
        found = _SHARED[run] = SharedGzip(run, level)
    return found


async def gzipped_from_start(events: AsyncIterator[RunEvent], run: LiveRun, level: int) -> AsyncIterator[bytes]:
    """``events`` (every event of ``run`` from its first, no ``queued`` ones) as gzip pieces shared with the
    run's other readers; ends with the gzip trailer."""
    shared = shared_gzip(run, level)
    count = 0
    async for _ in events:
        yield shared.piece(count)
        count += 1
    if run.done and count == len(run.events):
        yield shared.trailer()
