"""The image datasets on the wire: one set's pixels, and an uploaded PNG/JPEG decoded and shrunk.

* ``GET /api/v1/datasets/{name}`` for an image set (``digit_images``, ``photo``, ``shapes``; the datasets router
  hands it here) → ``{"name", "images", "labels", "class_names", "masks", "params"}``: ``images`` a typed array
  (``{"dtype": "u1", "shape": [n, H, W, C], "bdata": base64}``, channels last), ``labels`` a typed ``i4`` array
  ``(n,)`` or null, ``masks`` ``u1`` ``(n, H, W)`` (0 background, class + 1 on the shape) or null. Never nested
  lists: a 400-image set is 400 KB of pixels as base64, several MB as JSON numbers.
* ``POST /api/v1/datasets/image`` (multipart ``file``, or the raw bytes as ``image/png`` / ``image/jpeg``) →
  ``{"image": u1 (H, W, 3), "shape", "original_shape"}``: anything that is not a PNG or JPEG, a corrupt file or one
  declaring more than ``STEPWISE_IMAGE_MAX_PIXELS`` is a 422 at ``body.file`` saying which; over
  ``STEPWISE_IMAGE_MAX_BYTES`` a 413. Decoding runs in a worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from app.api.deps import SettingsDep
from app.core.typed_array import typed_array
from app.datasets.images import ImageError, decode_image
from app.schemas.images import ImageSpec

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])


def image_payload(name: str, spec: ImageSpec) -> dict[str, Any]:
    """The body of ``GET /api/v1/datasets/{name}`` for an image set."""
    data = spec.load()
    return {
        "name": name,
        "images": typed_array(data.images, "u1"),
        "labels": None if data.labels is None else typed_array(data.labels, "i4"),
        "class_names": list(data.class_names),
        "masks": None if data.masks is None else typed_array(data.masks, "u1"),
        "params": spec.model_dump(mode="json"),
    }


def _file_error(code: str, msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": f"image_{code}", "loc": ["body", "file"], "msg": msg, "input": None}])


async def _image_bytes(request: Request, limit: int) -> bytes:
    """The upload from a multipart ``file`` field or the raw body."""
    too_big = HTTPException(413, f"the image is over the limit of {limit:,} bytes (STEPWISE_IMAGE_MAX_BYTES)")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + 64_000:  # room for the multipart envelope
        raise too_big
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=4, max_part_size=limit + 1) as form:
            part = form.get("file")
            if part is None or isinstance(part, str):
                raise _file_error("missing", "upload the image as a 'file' field (a PNG or JPEG)")
            raw = await part.read()
    else:
        raw = await request.body()
    if len(raw) > limit:
        raise too_big
    return raw


_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        },
    },
}


@router.post("/image", summary="Decode an uploaded image", openapi_extra=_UPLOAD_BODY)
async def upload_image(
    request: Request,
    settings: SettingsDep,
    max_side: Annotated[
        int | None,
        Query(ge=1, description="Shrink the longer side to at most this many pixels (a small image fits a link)."),
    ] = None,
) -> dict[str, Any]:
    """A PNG or JPEG (≤ ``STEPWISE_IMAGE_MAX_BYTES``) as RGB pixels, its longer side shrunk to at most
    ``max_side`` (when given) and ``STEPWISE_MAX_IMAGE_SIDE``: ``image`` is a typed array
    ``{"dtype": "u1", "shape": [H, W, 3], "bdata"}``, ``original_shape`` the [height, width] the file had."""
    raw = await _image_bytes(request, settings.image_max_bytes)
    side = settings.max_image_side if max_side is None else min(max_side, settings.max_image_side)
    try:
        pixels, original = await anyio.to_thread.run_sync(
            lambda: decode_image(raw, max_side=side, max_pixels=settings.image_max_pixels)
        )
    except ImageError as exc:
        raise _file_error(exc.code, exc.msg) from None
    return {"image": typed_array(pixels, "u1"), "shape": list(pixels.shape), "original_shape": list(original)}
