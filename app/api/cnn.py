"""``POST /api/v1/algorithms/cnn/predict``: the trained network of a CNN run reads one image (a drawn digit).

The body is the run's own request (``params`` and ``seed``, validated exactly as a run's: 422s at
``["body", "params", ...]``) plus ``image``, a typed array ``{"dtype": "u1", "shape": [H, W], "bdata"}``.
The run comes from the run service, so the run the page just played is reused, not trained again:

1. the finished run from the cache, as the page asked for it (``figure=true``) or as an API client did;
2. otherwise the service's ordinary path (join the run in flight, or compute it under the normal limits and
   budget), with figures, so the page's later requests of it hit the cache too. A run that ends in an error
   answers as a run request would: 422 for a limit, 500 (``fault: "server"``) for the lab's own failure.

Then ``app.labs.cnn.predict`` runs in a worker thread: the probabilities, the predicted class and every layer's
output. A bad image is a 422 at ``["body", "image"]`` saying what is wrong in words (and, for a wrong size, the
size the run reads).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import OrderedDict
from typing import Annotated, Any

import anyio
import numpy as np
from fastapi import APIRouter, Body, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.deps import ServiceDep, SettingsDep
from app.api.wire import ErrorDetail
from app.cache import RunEvent
from app.catalog import get_algorithm
from app.labs import cnn
from app.runs import RunFailed, RunInputError, error_status, validate_run
from app.schemas.cnn import CnnParams
from app.schemas.common import ParamsError
from app.service import Busy

router = APIRouter(prefix="/api/v1/algorithms", tags=["runs"])

MAX_IMAGE_SIDE = 64
"""Longest side of an image to read: the lab's inputs are 8×8 digits or small shapes (the size check is the
run's; this only bounds the work of decoding a hostile body before it)."""
_MAX_BDATA = 4 * math.ceil(MAX_IMAGE_SIDE * MAX_IMAGE_SIDE * 4 / 3) + 4  # base64 of the largest (H, W, C≤4) image
_RESULTS = 16
"""Parsed results kept per run key: a result carries the model (tens of KB of base64), parsed once."""


class ImageIn(BaseModel):
    """The image to read: uint8 pixels as a typed array, (H, W) or (H, W, C), 0 = black, 255 = white."""

    model_config = ConfigDict(extra="forbid")

    dtype: str = Field("u1", description='Must be "u1" (uint8 pixels).')
    shape: list[int] = Field(..., min_length=2, max_length=3, description="[H, W] or [H, W, C].")
    bdata: str = Field(..., max_length=_MAX_BDATA, description="The pixels' bytes, base64, rows first.")


class PredictRequest(BaseModel):
    """A CNN run's request (``params``, ``seed``: the same as ``POST .../cnn/runs``) and an image."""

    model_config = ConfigDict(extra="forbid")

    params: dict[str, Any] = Field(default_factory=dict, description="The run's params; see the cnn params_schema.")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="The run's seed.")
    image: ImageIn

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        """A body that is not a JSON object (a list, a number) is read as an empty one, so the 422 names the
        missing field (``image``) instead of the bare body."""
        return value if isinstance(value, dict) else {}


_EXAMPLE = {
    "params": {"epochs": 2},
    "seed": 0,
    "image": {"dtype": "u1", "shape": [8, 8], "bdata": base64.b64encode(bytes(64)).decode("ascii")},
}

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`probabilities` (one per class), `predicted` (a class index), `class_names`, and "
        "`layers`: each layer's output for the image (`name`, `shape`, `values` a u1 typed array scaled per "
        "layer to 0–255, `min`, `max`)."
    },
    422: {
        "model": ErrorDetail,
        "description": "Invalid params (as for a run), or a bad image at `body.image` (not base64, not uint8, "
        "or not the size the network reads), or a run over this server's limits.",
    },
    500: {"model": ErrorDetail, "description": 'The lab failed on valid params (`{detail, fault: "server"}`).'},
    503: {"model": ErrorDetail, "description": "The run is not cached and every place to compute it is taken."},
}

_parsed: OrderedDict[str, dict[str, Any]] = OrderedDict()


def _image_error(msg: str, value: Any = None) -> RequestValidationError:
    return RequestValidationError([{"type": "image", "loc": ["body", "image"], "msg": msg, "input": value}])


def decode_image(image: ImageIn) -> np.ndarray:
    """The pixels of ``image`` as uint8 (H, W) or (H, W, C), or a 422 at ``body.image`` saying what is wrong."""
    if image.dtype not in ("u1", "uint8"):
        raise _image_error(f'the image must be uint8 pixels (dtype "u1"), not dtype {image.dtype!r}', image.dtype)
    shape = tuple(image.shape)
    if any(s < 1 or s > MAX_IMAGE_SIDE for s in shape[:2]) or (len(shape) == 3 and not 1 <= shape[2] <= 4):
        raise _image_error(
            f"the image shape {list(shape)} is not [H, W] or [H, W, C] with sides from 1 to {MAX_IMAGE_SIDE} and "
            "1 to 4 channels",
            list(shape),
        )
    try:
        raw = base64.b64decode(image.bdata, validate=True)
    except (binascii.Error, ValueError):
        raise _image_error("the image's bdata is not base64 text (A–Z, a–z, 0–9, +, / and = padding)") from None
    if len(raw) != math.prod(shape):
        raise _image_error(
            f"the image's bdata holds {len(raw)} bytes, but a uint8 image of shape {list(shape)} has "
            f"{math.prod(shape)}",
            len(raw),
        )
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape).copy()  # (H, W) or (H, W, C)


def _failure(events: list[RunEvent]) -> JSONResponse | None:
    for event in events:
        if event.kind == "error":
            return JSONResponse(json.loads(event.data), status_code=error_status(event))
    return None


def _result_of(key: str, events: list[RunEvent]) -> dict[str, Any] | None:
    """The run's parsed result (kept for the next drawing of the same run)."""
    hit = _parsed.get(key)
    if hit is not None:
        _parsed.move_to_end(key)
        return hit
    data = next((e.data for e in events if e.kind == "result"), None)
    if data is None:
        return None
    result: dict[str, Any] = json.loads(data)
    _parsed[key] = result
    while len(_parsed) > _RESULTS:
        _parsed.popitem(last=False)
    return result


@router.post(
    "/cnn/predict",
    summary="Read an image with a CNN run's trained network",
    responses=_RESPONSES,
    response_model=None,
    openapi_extra={"requestBody": {"content": {"application/json": {"example": _EXAMPLE}}}},
)
async def predict(
    service: ServiceDep, settings: SettingsDep, body: Annotated[PredictRequest | None, Body()] = None
) -> dict[str, Any] | JSONResponse:
    """The probabilities, predicted class and feature maps the trained network of the run ``(params, seed)``
    gives ``image``. The run is the cached one when it is (the page's own, just played); otherwise it is
    computed first under the normal limits, as ``POST /api/v1/algorithms/cnn/runs`` would."""
    algorithm = get_algorithm("cnn")
    if algorithm is None:  # the catalog always lists it; a build without it says so instead of a 500
        raise HTTPException(404, "this server has no cnn lab")
    if body is None:  # no body at all: say which field is missing rather than pydantic's bare "body"
        raise _image_error("send a JSON body with the run's params and seed and the image to read")
    pixels = decode_image(body.image)
    try:
        plan = validate_run(algorithm, json.loads(json.dumps(body.params)), body.seed, True, settings)
        events = service.cached(plan)
        if events is None:
            plain = validate_run(algorithm, json.loads(json.dumps(body.params)), body.seed, False, settings)
            events = service.cached(plain)
            plan = plan if events is None else plain
        if events is None:
            stream = await service.open(plan)  # joins the run in flight, or computes it within the run limits
            events = [event async for event in stream.events()]
    except RunInputError as exc:
        raise RequestValidationError(exc.errors) from None
    except RunFailed as exc:
        return JSONResponse(exc.payload, status_code=500)
    except Busy:
        raise HTTPException(
            503,
            "this server is computing as many runs as it takes and this run is not cached; retry shortly",
            headers={"Retry-After": str(settings.retry_after_s)},
        ) from None
    failed = _failure(events)
    if failed is not None:
        return failed
    result = _result_of(plan.key, events)
    if result is None:
        raise HTTPException(409, "the run ended without a result (it was stopped); run it again")
    try:
        params = plan.params
        assert isinstance(params, CnnParams)  # the cnn lab's params model validated it
        answer: dict[str, Any] = await anyio.to_thread.run_sync(cnn.predict, params, result, pixels)
        return answer
    except ParamsError as exc:
        loc = ["body", *exc.loc] if exc.loc[:1] == ("image",) else ["body", "params", *exc.loc]
        raise RequestValidationError([{"type": "value_error", "loc": loc, "msg": exc.msg, "input": None}]) from None
