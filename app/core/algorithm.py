"""The plug-in contract every lab fills in: params → ``prepare`` → inputs → engine frames → view figures.

``Algorithm[P, I]`` is generic over the lab's params model ``P`` (a pydantic model: the service validates
the request into it) and its inputs ``I``: the frozen dataclass ``prepare(params, limits)`` builds once per
run (the data, the split, the grid) and that the engine adapter and the view both read. Views sit below
the schemas and the labs, so they cannot name ``P`` or ``I``: each view declares ``Protocol``s of the fields
it reads, and mypy checks the lab's concrete types against them where the ``Algorithm`` is built.

Nothing here validates or draws: pydantic is named for the type checker only (no runtime import), so the
bottom layer stays NumPy-only.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias

import numpy as np
from typing_extensions import TypeVar  # default= (PEP 696; typing's own from Python 3.13): pydantic depends on it

from app.core.frame import Frame
from app.core.limits import Limits

if TYPE_CHECKING:
    from pydantic import BaseModel

Figure = dict[str, Any]
"""A Plotly figure as plain data: ``{"data": [trace, ...], "layout": {...}}``."""

# Defaults of Any: a bare ``Algorithm`` (the catalog's, the service's) is any lab, ``Algorithm[Any, Any]``.
ParamsT = TypeVar("ParamsT", bound="BaseModel", default=Any)
InputsT = TypeVar("InputsT", default=Any)
ParamsT_contra = TypeVar("ParamsT_contra", contravariant=True, default=Any)
InputsT_contra = TypeVar("InputsT_contra", contravariant=True, default=Any)


class View(Protocol[ParamsT_contra, InputsT_contra]):
    """A family's renderer. Pure: it draws what the engine computed, it computes nothing."""

    def scene(self, inputs: InputsT_contra, params: ParamsT_contra) -> Figure:
        """The static part of the figure (data points, surfaces, full layout), sent once per run."""
        ...

    def render(self, frame: Frame, inputs: InputsT_contra, params: ParamsT_contra) -> Figure:
        """The per-frame part: ``data[i]`` is merged onto ``scene["data"][i]``, ``layout`` onto its layout."""
        ...

    def panels(self, result: Mapping[str, Any], inputs: InputsT_contra, params: ParamsT_contra) -> list[dict[str, Any]]:
        """Extra figures drawn from the final result (``[{"id", "title", "figure"}]``)."""
        ...


Engine: TypeAlias = Callable[[InputsT, ParamsT, np.random.Generator], Generator[Frame, None, dict[str, Any]]]
"""A lab's engine adapter: ``(inputs, params, rng)`` → frames, returning the result."""


@dataclass(frozen=True)
class Algorithm(Generic[ParamsT, InputsT]):
    """One lab: its catalog entry and the three functions a run goes through."""

    id: str
    title: str
    family: str
    summary: str
    days: tuple[int, ...]
    """The journal days it covers; the catalog is ordered by the first of them (the curriculum's order)."""
    params_model: type[ParamsT]
    prepare: Callable[[ParamsT, Limits], InputsT]
    """Checks that need the data (raising ``ParamsError``, a 422) and the inputs, built once per run."""
    engine: Engine[InputsT, ParamsT]
    view: View[ParamsT, InputsT]
    frame_model: type[BaseModel] | None = None
    """The model of a frame's ``state``, published as the algorithm's ``frame_schema``."""
    result_model: type[BaseModel] | None = None
    """The model of the run's result, published as ``result_schema``."""
