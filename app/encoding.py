"""Deterministic JSON for frames and results: same value → same bytes, in any process."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np


def to_jsonable(value: Any) -> Any:
    """NumPy arrays and scalars → plain lists and numbers; NaN and ±inf → ``None`` (JSON has neither)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            return to_jsonable(value.astype(object))
        if value.dtype == object:
            return [to_jsonable(v) for v in value.tolist()]
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


MAX_ECHO_DEPTH = 6  # nesting of an echoed ``input`` kept in an error (deeper is "…")
MAX_ECHO_ITEMS = 100  # items of one echoed list / object kept (the rest is "…")
MAX_ECHO_CHARS = 1_000  # characters of one echoed string kept


def json_safe(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON: non-finite floats as their JavaScript names, other objects as text, and
    big or deep inputs cut short (an error echoing a 2 MB dataset helps nobody). For error messages, not frames."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return value if len(value) <= MAX_ECHO_CHARS else value[:MAX_ECHO_CHARS] + "…"
    if isinstance(value, bytes):
        return json_safe(value.decode("utf-8", "replace"), depth)
    if isinstance(value, dict):
        if depth >= MAX_ECHO_DEPTH:
            return "{…}"
        items = list(value.items())
        out = {str(k): json_safe(v, depth + 1) for k, v in items[:MAX_ECHO_ITEMS]}
        if len(items) > MAX_ECHO_ITEMS:
            out["…"] = f"{len(items) - MAX_ECHO_ITEMS} more"
        return out
    if isinstance(value, (list, tuple)):
        if depth >= MAX_ECHO_DEPTH:
            return "[…]"
        out_list = [json_safe(v, depth + 1) for v in value[:MAX_ECHO_ITEMS]]
        if len(value) > MAX_ECHO_ITEMS:
            out_list.append(f"… {len(value) - MAX_ECHO_ITEMS} more")
        return out_list
    return str(value)


def dumps(value: Any) -> str:
    """Compact JSON; callers pass values already made JSON-able (or plain Python)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode(value: Any) -> str:
    return dumps(to_jsonable(value))
