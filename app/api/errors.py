"""Error bodies: every error of the API is JSON ``{"detail": ...}`` that says what is wrong and where.

* Validation errors (422) keep pydantic's field-located list, made JSON-safe: a NaN or ±Infinity the client
  sent is echoed as the string ``"NaN"`` / ``"Infinity"`` (JSON has no such numbers, and rendering them used
  to crash the handler into a plain-text 500), and echoed inputs are cut to a bounded size and depth.
* A body that is JSON but not an object (``false``, ``[]``, ``1``) is located at the whole ``["body"]``; its
  message says so in words and names the fields the object takes (pydantic's is "Input should be a valid
  dictionary or object to extract fields from").
* A body that is not JSON says why and at which line and column (FastAPI's own messages are
  "JSON decode error" and, for invalid UTF-8 or nesting too deep to parse, a bare "There was an error
  parsing the body").
* Unhandled exceptions become a JSON 500 in ``app.security`` (which also adds the security headers).
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.encoding import json_safe

_PARSE_FAILED = "There was an error parsing the body"


def line_column(text: str | bytes, pos: int) -> tuple[int, int]:
    """1-based (line, column) of character (or byte) offset ``pos`` in ``text``."""
    newline: Any = b"\n" if isinstance(text, bytes) else "\n"
    line = text.count(newline, 0, pos) + 1
    return line, pos - (text.rfind(newline, 0, pos) + 1) + 1


def _describe_json_error(error: dict[str, Any], body: Any) -> dict[str, Any]:
    """FastAPI's ``json_invalid`` error with a message that says what and where."""
    pos = error["loc"][1] if len(error["loc"]) > 1 and isinstance(error["loc"][1], int) else 0
    reason = (error.get("ctx") or {}).get("error", "not valid JSON")
    where = ""
    if isinstance(body, (str, bytes)):
        line, column = line_column(body, pos)
        where = f" at line {line}, column {column}"
        error["ctx"] = {**(error.get("ctx") or {}), "line": line, "column": column, "position": pos}
    error["msg"] = f"the body is not valid JSON: {reason}{where}"
    return error


_NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})
_JSON_KINDS = {bool: "true or false", list: "an array", str: "a string", int: "a number", float: "a number"}


def _describe_whole_body_error(error: dict[str, Any], request: Request) -> dict[str, Any]:
    """A body that is not a JSON object: say so, with the fields the route's body takes."""
    route = request.scope.get("route")
    annotation = getattr(getattr(getattr(route, "body_field", None), "field_info", None), "annotation", None)
    models = [t for t in (annotation, *get_args(annotation)) if hasattr(t, "model_fields")]  # `Body | None` too
    fields = list(models[0].model_fields) if models else []
    takes = f" with {', '.join(fields[:-1])} and {fields[-1]}" if len(fields) > 1 else ""
    got = _JSON_KINDS.get(type(error.get("input")), "something else")
    error["msg"] = f"the request body must be a JSON object{takes or ' (/openapi.json lists its fields)'}, not {got}"
    return error


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        error = dict(error)
        if error.get("type") == "json_invalid":
            error = _describe_json_error(error, exc.body)
        elif tuple(error.get("loc", ())) == ("body",) and error.get("type") in _NOT_AN_OBJECT:
            error = _describe_whole_body_error(error, request)
        errors.append(json_safe(error, depth=-1))  # depth 0 is the error's own values (loc, input, ctx)
    return JSONResponse({"detail": errors}, status_code=422)


def _parse_failure(cause: BaseException | None) -> str:
    """Why a JSON body could not be parsed, in words, with the place when it is known."""
    if isinstance(cause, UnicodeDecodeError):
        line, column = line_column(cause.object, cause.start)
        bad = cause.object[cause.start : cause.start + 1].hex()
        return (
            f"the body is not UTF-8 text: byte {cause.start} (line {line}, column {column}) is 0x{bad}, which "
            "cannot be decoded; send the JSON encoded as UTF-8"
        )
    if isinstance(cause, RecursionError):
        return (
            "the body nests arrays or objects inside each other too deeply to parse (hundreds of levels); "
            "params need only a few"
        )
    if cause is not None:
        return f"the body could not be parsed as JSON ({type(cause).__name__}: {cause})"
    return "the body could not be parsed as JSON"


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _PARSE_FAILED:
        return JSONResponse({"detail": _parse_failure(exc.__cause__)}, status_code=400)
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
