"""A frame's figure as the player composes it, in Python: the scene merged with a frame's partial figure.

This mirrors ``static/js/plot.js`` (``deepMerge``, ``composeFigure``, ``decodeTypedArray``) so the catalog
previews (``app.previews``) draw what the player would show for that frame:

* the frame's ``figure.data[i]`` merges onto ``scene.data[i]`` key by key (plain objects merge, anything else
  in the patch — lists, typed-array specs, scalars — replaces); traces past the scene's are appended;
* a partial trace's ``"x-extend": {"x": [...], "y": [...]}`` holds the points that frame adds to a growing
  trace: the extensions of every frame up to and including this one are appended, in frame order, to the
  scene trace's list (a scene value that is not a list, e.g. a typed-array spec, is replaced by them, as in
  plot.js);
* the layouts merge like traces.

``decode_typed_arrays`` then turns every Plotly typed-array spec ``{"dtype", "bdata", "shape"?}`` into a NumPy
array of that shape (what plotly.js makes of it). No app imports: the module is pure.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

EXTEND = "x-extend"

# plotly.js's typed-array names (plot.js ARRAY_TYPES) → NumPy dtypes, little-endian as plotly.py writes them.
DTYPES: dict[str, str] = {
    "i1": "i1",
    "u1": "u1",
    "u1c": "u1",
    "i2": "<i2",
    "u2": "<u2",
    "i4": "<i4",
    "u4": "<u4",
    "f4": "<f4",
    "f8": "<f8",
    "int8": "i1",
    "uint8": "u1",
    "uint8c": "u1",
    "int16": "<i2",
    "uint16": "<u2",
    "int32": "<i4",
    "uint32": "<u4",
    "float32": "<f4",
    "float64": "<f8",
}

Figure = Mapping[str, Any]  # {"data": [trace | None, ...], "layout": {...}}: open Plotly JSON


def is_typed_array_spec(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("bdata"), str) and "dtype" in value


def deep_merge(base: Any, patch: Any) -> Any:
    """``patch`` merged onto ``base`` without mutating either (plot.js ``deepMerge``)."""
    if not isinstance(patch, dict) or is_typed_array_spec(patch):
        return patch
    if not isinstance(base, dict) or is_typed_array_spec(base):
        return patch
    out = dict(base)
    for key, value in patch.items():
        out[key] = deep_merge(base.get(key), value)
    return out


def _extensions(count: int, figures: Sequence[Figure | None]) -> list[dict[str, list[Any]] | None]:
    """Per scene trace, the concatenated ``x-extend`` values of ``figures`` in order (None where there are none)."""
    out: list[dict[str, list[Any]] | None] = [None] * count
    for figure in figures:
        for j, trace in enumerate((figure or {}).get("data") or []):
            added = trace.get(EXTEND) if isinstance(trace, dict) else None
            if not added or j >= count:
                continue
            grown = out[j]
            if grown is None:
                grown = out[j] = {}
            for key, values in added.items():
                grown.setdefault(key, []).extend(values)
    return out


def compose_figure(
    scene: Figure | None, frame_figure: Figure | None, history: Sequence[Figure | None] = ()
) -> dict[str, Any]:
    """The figure of one frame: ``scene`` with ``frame_figure`` merged on; ``history`` is the figures of the
    frames before it (only their ``x-extend`` points are used). Returns ``{"data": [...], "layout": {...}}``."""
    scene_data: list[Any] = list((scene or {}).get("data") or [])
    patch_data: list[Any] = list((frame_figure or {}).get("data") or [])
    grown = _extensions(len(scene_data), [*history, frame_figure])
    data: list[Any] = []
    for j, trace in enumerate(scene_data):
        patch = patch_data[j] if j < len(patch_data) and isinstance(patch_data[j], dict) else {}
        patch = {key: value for key, value in patch.items() if key != EXTEND}
        base = trace
        added = grown[j]
        if added:
            base = dict(trace)
            for key, values in added.items():
                before = trace.get(key) if isinstance(trace, dict) else None
                base[key] = [*(before if isinstance(before, list) else []), *values]
        data.append(deep_merge(base, patch))
    data.extend(patch_data[len(scene_data) :])
    layout = deep_merge((scene or {}).get("layout") or {}, (frame_figure or {}).get("layout") or {})
    return {"data": data, "layout": layout}


def decode_typed_array(spec: Mapping[str, Any]) -> np.ndarray[Any, Any]:
    """A typed-array spec as a NumPy array: 1-D, or of its ``shape`` ("rows,cols" or a number)."""
    dtype = DTYPES.get(str(spec["dtype"]))
    if dtype is None:
        raise ValueError(f'unknown dtype "{spec["dtype"]}"')
    flat = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(dtype))
    shape = spec.get("shape")
    if shape is None:
        return flat
    dims = [int(float(part)) for part in str(shape).split(",")]
    return flat.reshape(dims)


def decode_typed_arrays(value: Any) -> Any:
    """``value`` with every typed-array spec inside it (at any depth) decoded; nothing else changed."""
    if is_typed_array_spec(value):
        return decode_typed_array(value)
    if isinstance(value, dict):
        return {key: decode_typed_arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_typed_arrays(item) for item in value]
    return value
