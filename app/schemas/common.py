"""Building blocks shared by every params model, and the two data rules of the service.

The rules (rows per dataset, size of a data value) read their limits from pydantic's validation context
(``model_validate(value, context={"limits": Limits(...)})``, built by the service from its settings), never
from the settings themselves; without a context the defaults of ``app.core.limits.Limits`` apply.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.core.text import fmt_count, num

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
"""A finite number param (lr, eps, ...). Lax like every param: ``"0.5"`` and ``1`` are accepted."""
DataValue = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""One cell of inline data: a finite JSON number (an int or a float), never a string or a bool."""
Point = Annotated[list[FiniteFloat], Field(min_length=1, max_length=64)]

PARAMS_CONFIG = ConfigDict(extra="forbid", validate_default=True)
"""Unknown param names are a 422, never silently ignored."""

MAX_POINTS_SETTING = "STEPWISE_MAX_POINTS"
"""The env name of ``Limits.max_points``, named in every row-limit message."""


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


def check_rows(rows: int, limit: int, msg: str) -> None:
    """Raise pydantic's ``less_than_equal`` error (``ctx.le = limit``) with ``msg`` when ``rows > limit``.

    The one row-limit check: every dataset spec and inline-data model calls it from a validator, with
    the limit from the validation context, so an oversized dataset is refused before it is built.
    ``msg`` says it in plain words and names the setting (see ``rows_message``).
    """
    if rows > limit:
        # pydantic fills only "{le}" in the template (plain replacement), so a formatted msg passes as it is.
        raise PydanticCustomError("less_than_equal", msg, {"le": limit})


def rows_message(head: str, limit: int, setting: str = MAX_POINTS_SETTING) -> str:
    """``head`` ("n_samples is 6,000", "breast_cancer has 569 rows") and why that is too many, naming the setting."""
    return f"{head}, more than {fmt_count(limit)}, the most points a dataset may have (the service limit {setting})"


def check_magnitude(X: np.ndarray, bound: float, what: str = "X") -> None:
    """Raise ``PydanticCustomError`` naming the first cell of ``X`` (n, d) whose size is over ``bound``.

    The one data-value rule of the service (inline data; CSV uploads apply the same bound): beyond it,
    squares and sums of squares overflow float64 (1e308² = inf) and distance-based labs compute nonsense or
    crash. ``bound`` is ``Limits.max_abs_value`` from the validation context. A custom error type, so the
    message reads without pydantic's "Value error, " prefix.
    """
    over = np.abs(X) > bound
    if over.any():
        i, j = (int(v) for v in np.argwhere(over)[0])
        msg = (
            f"row {i}, column {j} of {what} (counting from 0) is {num(float(X[i, j]))}, larger in size "
            f"than {num(bound)}, the limit of a data value (STEPWISE_MAX_ABS_VALUE): squared distances "
            "would overflow; rescale the data"
        )
        raise PydanticCustomError("data_value_too_large", msg)
