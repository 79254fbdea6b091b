"""Building blocks shared by every params model."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import ConfigDict, Field

from app.core.text import num
from app.settings import get_settings

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Point = Annotated[list[FiniteFloat], Field(min_length=1, max_length=64)]

PARAMS_CONFIG = ConfigDict(extra="forbid", validate_default=True)
"""Unknown param names are a 422, never silently ignored."""


class ParamsError(ValueError):
    """A params problem that needs the data to see (k > number of points, init of the wrong width).

    ``loc`` is the path inside ``params`` (e.g. ``("k",)``); the service reports it like pydantic's errors.
    """

    def __init__(self, loc: tuple[str | int, ...], msg: str, value: Any = None) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg
        self.value = value


VALUE_RULE = (
    "Every value must be a finite number no larger in size than STEPWISE_MAX_ABS_VALUE (default 1e12), so "
    "that squared distances and sums of squares stay finite; rescale larger data (e.g. to thousands)."
)


def check_magnitude(X: np.ndarray, what: str = "X") -> None:
    """Raise ``ValueError`` naming the first cell of ``X`` (n, d) whose size is over ``max_abs_value``.

    The one data-value rule of the service (inline data, CSV uploads): beyond it, squares and sums of
    squares overflow float64 (1e308² = inf) and distance-based labs compute nonsense or crash.
    """
    bound = get_settings().max_abs_value
    over = np.abs(X) > bound
    if over.any():
        i, j = (int(v) for v in np.argwhere(over)[0])
        raise ValueError(
            f"row {i}, column {j} of {what} (counting from 0) is {num(float(X[i, j]))}, larger in size "
            f"than {num(bound)}, the limit of a data value (STEPWISE_MAX_ABS_VALUE): squared distances "
            "would overflow; rescale the data"
        )
