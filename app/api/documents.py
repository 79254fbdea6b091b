"""Documents that never change while a process runs (the catalog, the datasets list), encoded once.

A class opening one link sends 200 × ``GET /api/v1/algorithms/{id}`` and ``GET /api/v1/datasets`` within
seconds; building the JSON Schemas and encoding them each time cost ~75 ms of CPU per student (15 s for the
class, before its one run). Here each document is built and encoded once per process, sent with a strong ETag
(a browser's revalidation gets a 304), and marked for the compression middleware, which then gzips it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi import Request, Response

from app.compression import BODY_KEY_HEADER
from app.encoding import dumps

_DOCUMENTS: dict[str, tuple[bytes, str]] = {}


def static_document(request: Request, key: str, build: Callable[[], Any]) -> Response:
    """The JSON of ``build()`` (called once per ``key`` in this process), or a 304 if the client has it."""
    found = _DOCUMENTS.get(key)
    if found is None:
        body = dumps(build()).encode()
        found = _DOCUMENTS[key] = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
    body, etag = found
    headers = {"ETag": etag, "Cache-Control": "no-cache"}  # no-cache: revalidate each time (a 304 is cheap)
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers={**headers, BODY_KEY_HEADER: f"document:{key}"})
