"""Typed arrays on the wire: the bytes are the array's, little-endian, in C order, with its shape."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from app.core.typed_array import from_typed_array, typed_array


@pytest.mark.parametrize("dtype", ["u1", "i4", "f4", "f8"])
def test_round_trip_keeps_values_shape_and_dtype(dtype: str) -> None:
    values = (np.arange(24).reshape(2, 3, 4) * 3 % 17).astype(dtype)
    wire = typed_array(values, dtype)
    assert wire["dtype"] == dtype and wire["shape"] == [2, 3, 4]
    back = from_typed_array(wire)
    assert back.dtype == np.dtype(dtype) and np.array_equal(back, values)


def test_the_bytes_are_little_endian_c_order() -> None:
    wire = typed_array(np.array([[1, 256]], dtype=np.uint16).T, "u2")  # a (2, 1) view of a transposed array
    assert wire["shape"] == [2, 1] and base64.b64decode(wire["bdata"]) == b"\x01\x00\x00\x01"


def test_an_unknown_dtype_is_refused() -> None:
    with pytest.raises(ValueError, match="dtype"):
        typed_array([1, 2], "u8")
