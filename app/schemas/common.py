"""Building blocks shared by every params model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

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
