"""``POST /api/v1/algorithms/{id}/runs``: one run, as JSON, SSE or JSONL by ``Accept``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Body, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from app.api.deps import AlgorithmDep, ServiceDep, SettingsDep
from app.api.shared_sse import gzipped_from_start, sse_bytes
from app.api.wire import ErrorDetail, RunRequest
from app.cache import RunEvent
from app.compression import BODY_KEY_HEADER, accepts_gzip
from app.runs import RunFailed, RunInputError, RunPlan, error_status, json_document, jsonl_line, validate_run
from app.service import Busy, RunStream

router = APIRouter(prefix="/api/v1/algorithms", tags=["runs"])

SSE, JSONL, JSON = "text/event-stream", "application/jsonl", "application/json"
_STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _negotiate(accept: str | None) -> str:
    """The first of SSE / JSONL / JSON named in ``Accept`` (JSON when none is)."""
    accept = (accept or "").lower()
    found = {media: accept.find(media) for media in (SSE, JSONL, "application/x-ndjson") if media in accept}
    if not found:
        return JSON
    first = min(found, key=lambda m: found[m])
    return JSONL if first == "application/x-ndjson" else first


def _after(last_event_id: str | None) -> int:
    if last_event_id is None or last_event_id.strip() == "":
        return -1
    try:
        return int(last_event_id)
    except ValueError:
        error = {
            "type": "int_parsing",
            "loc": ["header", "last-event-id"],
            "msg": "Last-Event-ID must be a frame index",
            "input": last_event_id,
        }
        raise RequestValidationError([error]) from None


class _RunResponse(StreamingResponse):
    """A stream that detaches from its run however it ends (even if it never started), so a run nobody
    watches any more is stopped."""

    def __init__(
        self, content: AsyncIterator[bytes], stream: RunStream, media_type: str, body_key: str, gzipped: bool = False
    ) -> None:
        headers = dict(_STREAM_HEADERS)
        if gzipped:  # already compressed (shared_sse): the middleware leaves it alone
            headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        elif stream.finished:  # the same bytes for everyone: the compression middleware compresses them once
            headers[BODY_KEY_HEADER] = body_key
        super().__init__(content, media_type=media_type, headers=headers)
        self._stream = stream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._stream.close()


async def _sse(events: AsyncIterator[RunEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        yield sse_bytes(event)


async def _jsonl(events: AsyncIterator[RunEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        yield (jsonl_line(event) + "\n").encode()


async def _json(plan: RunPlan, stream: RunStream, request: Request) -> Response:
    """The whole run as one document; a client that hangs up before it is ready detaches from the run."""
    collected: list[RunEvent] = []
    async with anyio.create_task_group() as group:

        async def hang_up() -> None:
            while (await request.receive())["type"] != "http.disconnect":
                pass
            group.cancel_scope.cancel()

        group.start_soon(hang_up)
        try:
            collected = [event async for event in stream.events()]
        finally:
            stream.close()
        group.cancel_scope.cancel()
    for event in collected:
        if event.kind == "error":  # nothing was sent yet, so a failure is still an HTTP status
            return JSONResponse(json.loads(event.data), status_code=error_status(event))
    return Response(json_document(plan, collected), media_type=JSON)


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The run: JSON (all at once), SSE or JSONL (streamed), by `Accept`.",
        "content": {JSON: {}, SSE: {"schema": {"type": "string"}}, JSONL: {"schema": {"type": "string"}}},
    },
    404: {"model": ErrorDetail, "description": "Unknown algorithm."},
    413: {"model": ErrorDetail, "description": "Body over the size limit."},
    422: {
        "model": ErrorDetail,
        "description": "Invalid params (pydantic's field-located list), or a valid run "
        'that needs more than this server\'s limits (`{detail, fault: "limit", setting}`).',
    },
    500: {
        "model": ErrorDetail,
        "description": 'The lab failed on valid params (`{detail, fault: "server"}`): '
        "a bug on our side, logged. Streams report it as an `error` event with the same data.",
    },
    503: {
        "model": ErrorDetail,
        "description": "Every place to compute and to wait is taken; retry after `Retry-After` seconds. "
        "(Before that, an SSE stream starts with `event: queued` `{position}` while it waits.)",
    },
}


@router.post("/{algorithm_id}/runs", responses=_RESPONSES, response_class=Response)
async def create_run(
    request: Request,
    algorithm: AlgorithmDep,
    service: ServiceDep,
    settings: SettingsDep,
    body: Annotated[RunRequest | None, Body()] = None,
    figure: Annotated[bool, Query(description="Add Plotly figures: a scene, one per frame, result panels.")] = False,
    accept: Annotated[str | None, Header()] = None,
    accept_encoding: Annotated[str | None, Header(include_in_schema=False)] = None,
    last_event_id: Annotated[str | None, Header(description="SSE resume: skip frames up to this index.")] = None,
) -> Response:
    run_request = body or RunRequest()
    after = _after(last_event_id)
    try:
        plan = await anyio.to_thread.run_sync(
            validate_run, algorithm, run_request.params, run_request.seed, figure, settings
        )
        stream = await service.open(plan)  # a miss builds its data first: data that does not fit is a 422
    except RunInputError as exc:
        raise RequestValidationError(exc.errors) from None
    except RunFailed as exc:
        return JSONResponse(exc.payload, status_code=500)
    except Busy:
        limit = settings.max_concurrent_runs + settings.max_queued_runs
        raise HTTPException(
            503,
            f"this server is computing and queueing as many runs as it takes ({limit}); retry shortly",
            headers={"Retry-After": str(settings.retry_after_s)},
        ) from None
    media = _negotiate(accept)
    if media == JSON:
        return await _json(plan, stream, request)
    body_key = f"{plan.key}:{media}:{after}"
    live = stream.live
    if media == SSE and live is not None and live.position == 0 and after < 0 and accepts_gzip(accept_encoding or ""):
        shared = gzipped_from_start(stream.events(), live, settings.gzip_level)  # one gzip for all its readers
        return _RunResponse(shared, stream, SSE, body_key, gzipped=True)
    if media == SSE:
        return _RunResponse(_sse(stream.events(after, queued=True)), stream, SSE, body_key)
    return _RunResponse(_jsonl(stream.events(after)), stream, JSONL, body_key)
