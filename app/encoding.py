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


def dumps(value: Any) -> str:
    """Compact JSON; callers pass values already made JSON-able (or plain Python)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode(value: Any) -> str:
    return dumps(to_jsonable(value))
