"""Deterministic JSON for frames and results: same value → same bytes, in any process.

``encode`` is orjson with its NumPy support: arrays are written straight from their buffers instead of a
recursive Python walk turning them into lists first (that walk was 57 % of a DBSCAN run). The text is a pure
function of the value: orjson keeps dict insertion order, has no locale, no hash-order dependence and writes
each float by its shortest round-trip repr, so the same value gives the same bytes in every process.

What ``encode`` writes (the wire contract, checked against the old walk over every lab in
``tests/test_encoding.py``):

* NaN and ±inf → ``null`` (JSON has neither), in arrays and as scalars;
* NumPy bools / ints / floats (scalars or arrays of any shape) → JSON booleans / numbers / nested lists;
  tuples → lists; dict keys → strings (``1`` → ``"1"``); non-ASCII kept as UTF-8; compact (no spaces);
* float64 values by their shortest repr: ``1e-05`` is written ``0.00001`` (other text, the same value);
* float32 / float16 values by *their own* shortest repr: ``np.float32(0.1)`` is written ``0.1``, where the
  old walk widened it to float64 first and wrote ``0.10000000149011612``. Deliberate: the seventeen digits
  were an artefact of the widening, not information — ``0.1`` parsed back as a float32 gives exactly the
  same bits, and it is half the bytes. No lab puts a float32 in a frame's ``state``, ``metrics``, scene,
  panels or result at its defaults (the figures carry float32 grids as Plotly typed arrays: base64 text);
* arrays orjson does not take natively (not C-contiguous, non-native byte order, 0-d, strings, objects)
  and other ``Mapping``s go through ``_default``; what orjson refuses outright (dicts keyed by NumPy
  scalars, byte-swapped arrays) goes through ``_plain`` first (rare: no lab does either today). Python ints
  beyond 64 bits are refused (a ``TypeError``; the old walk wrote them): no lab has one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
_NUMERIC = "biuf"  # dtype kinds orjson writes natively (when C-contiguous, native byte order, ≥ 1-d)


def _default(value: Any) -> Any:
    """What orjson asks about: returns something it can write (it calls this again on nested values)."""
    if isinstance(value, np.ndarray):
        if value.ndim and value.dtype.kind in _NUMERIC:
            native = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
            if native is not value:  # a strided view (a transpose, a slice): a C-contiguous copy orjson takes
                return native
        return value.tolist()  # 0-d, strings, objects (their items come back here), float128...
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _plain(value: Any) -> Any:
    """``value`` with what orjson refuses outright instead of asking ``_default`` (dict keys that are NumPy
    scalars, arrays in non-native byte order) made plain: the slow path, taken only when the fast one raised."""
    if isinstance(value, Mapping):
        return {(k.item() if isinstance(k, np.generic) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return _plain(value.tolist())
        if not value.dtype.isnative:
            return value.astype(value.dtype.newbyteorder("="))
    return value


def encode(value: Any) -> str:
    """Compact JSON of a frame, scene, panels or result: NumPy arrays and scalars as numbers, NaN as null."""
    try:
        return orjson.dumps(value, default=_default, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return orjson.dumps(_plain(value), default=_default, option=_OPTIONS).decode()


def dumps(value: Any) -> str:
    """Compact JSON of plain Python values (cache keys, error payloads, the run document's head): the same
    text ``encode`` would write. A NaN is written ``null`` (``json_safe`` spells it out for errors)."""
    return encode(value)


def to_jsonable(value: Any) -> Any:
    """``value`` as plain Python (lists, dicts, numbers): what a client gets back from ``encode``."""
    return orjson.loads(encode(value))


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
