"""Building blocks shared by every params model, and the two data rules of the service.

The rules (rows per dataset, size of a data value) read their limits from pydantic's validation context
(``model_validate(value, context={"limits": Limits(...)})``, built by the service from its settings), never
from the settings themselves; without a context the defaults of ``app.core.limits.Limits`` apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import ConfigDict, Field
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from app.core.text import fmt_count, num

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
"""A finite number param (lr, eps, ...). Lax like every param: ``"0.5"`` and ``1`` are accepted."""
DataValue = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""One cell of inline data: a finite JSON number (an int or a float), never a string or a bool."""
Point = Annotated[list[FiniteFloat], Field(min_length=1, max_length=64)]

PARAMS_CONFIG = ConfigDict(extra="forbid", validate_default=True)
"""Unknown param names are a 422, never silently ignored."""

Group = Literal["data", "model", "training", "display"]
"""Where a control goes on the form (headings Data / Model / Training / Display, in this order)."""
GROUPS: tuple[str, ...] = get_args(Group)


def form(
    title: str,
    groups: Mapping[Group, Sequence[str]],
    visible_when: Mapping[str, Mapping[str, Sequence[Any]]] | None = None,
) -> ConfigDict:
    """A params model's config: ``PARAMS_CONFIG``, its ``title``, and the form hints of its JSON Schema.

    ``groups`` lists every field under its group: ``{"data": ("dataset", "test_fraction"), "model": ("k",)}``
    writes ``"x-group": "data"`` on those properties. ``visible_when`` maps a field to the sibling values it
    applies to: ``{"p": {"metric": ["minkowski"]}}`` writes ``"x-visible-when"`` on ``p`` (the form shows and
    sends ``p`` only while ``metric`` is ``"minkowski"``). A property without a group is a bug, raised when
    the schema is built (the API's ``params_schema``), so a new field cannot land on the form unplaced.
    """
    group_of = {name: group for group, names in groups.items() for name in names}
    shown_when = {name: {k: list(v) for k, v in when.items()} for name, when in (visible_when or {}).items()}

    def hints(schema: dict[str, Any]) -> None:
        properties: dict[str, dict[str, Any]] = schema.get("properties", {})
        for name, prop in properties.items():
            if name not in group_of:
                raise ValueError(f"{title}: field {name!r} has no x-group (add it to the model's form groups)")
            prop["x-group"] = group_of[name]
            if name in shown_when:
                prop["x-visible-when"] = shown_when[name]

    return PARAMS_CONFIG | ConfigDict(title=title, json_schema_extra=hints)


OPTIMIZER_LABELS: JsonDict = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}
"""How torch.optim's optimisers read on the form (``x-labels``), in the race and in the network lab."""

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
