"""The plug-in contract every lab fills in: params → ``prepare`` → inputs → engine frames → view figures.

``Algorithm[P, I]`` is generic over the lab's params model ``P`` (a pydantic model: the service validates
the request into it) and its inputs ``I``: the frozen dataclass ``prepare(params, limits)`` builds once per
run (the data, the split, the grid) and that the engine adapter and the view both read. Views sit below
the schemas and the labs, so they cannot name ``P`` or ``I``: each view declares ``Protocol``s of the fields
it reads, and mypy checks the lab's concrete types against them where the ``Algorithm`` is built.

A count the data contradicts (k-means' k above the number of points, a batch above the training rows) is
clamped, not refused: ``prepare`` puts a ``Clamp`` per such count in its inputs' ``clamps`` field, and the
``Algorithm`` hands the engine and the view params with the used values, and begins the first frame's caption
with the clamps' notes. Engines and views never learn that a value was clamped; a run stays a pure function of
(params, seed), as the clamps are.

Nothing here validates or draws: pydantic is named for the type checker only (no runtime import), so the
bottom layer stays NumPy-only.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, replace
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
class Clamp:
    """A count param the data contradicts, and the value the run uses instead.

    ``note`` is the sentence the first frame's caption begins with, in words: "Note: k = 15 is more than the
    8 points, so k = 8 is used." (empty for a value that follows another's clamp, said in that one's note).
    A lab's inputs list them in a ``clamps: tuple[Clamp, ...]`` field.
    """

    param: str  # the params field ("k", "batch_size")
    used: Any  # the value the engine and the view see
    note: str


def clamps_of(inputs: object) -> tuple[Clamp, ...]:
    """The inputs' ``clamps`` field (``()`` for inputs without one)."""
    clamps: tuple[Clamp, ...] = getattr(inputs, "clamps", ())
    return clamps


def used_params(params: ParamsT, clamps: tuple[Clamp, ...]) -> ParamsT:
    """``params`` with each clamped field set to its used value (the same object when nothing was clamped)."""
    if not clamps:
        return params
    return params.model_copy(update={c.param: c.used for c in clamps})


def _noted(frames: Generator[Frame, None, dict[str, Any]], notes: str) -> Generator[Frame, None, dict[str, Any]]:
    """``frames`` with ``notes`` in front of the first frame's caption; the rest (and close/throw) pass through."""
    try:
        first = next(frames)
    except StopIteration as stop:
        result: dict[str, Any] = stop.value
        return result
    yield replace(first, caption=f"{notes} {first.caption}")
    return (yield from frames)


class ClampedEngine(Generic[InputsT, ParamsT]):
    """A lab's engine adapter run with the used params, its first caption prefixed by the clamps' notes."""

    def __init__(self, engine: Engine[InputsT, ParamsT]) -> None:
        self.engine = engine

    def __call__(
        self, inputs: InputsT, params: ParamsT, rng: np.random.Generator
    ) -> Generator[Frame, None, dict[str, Any]]:
        clamps = clamps_of(inputs)
        frames = self.engine(inputs, used_params(params, clamps), rng)
        notes = " ".join(c.note for c in clamps if c.note)
        return _noted(frames, notes) if notes else frames


class ClampedView(Generic[ParamsT, InputsT]):
    """A lab's view drawing with the used params (the k the run used, not the k asked for)."""

    def __init__(self, view: View[ParamsT, InputsT]) -> None:
        self.view = view

    def scene(self, inputs: InputsT, params: ParamsT) -> Figure:
        return self.view.scene(inputs, used_params(params, clamps_of(inputs)))

    def render(self, frame: Frame, inputs: InputsT, params: ParamsT) -> Figure:
        return self.view.render(frame, inputs, used_params(params, clamps_of(inputs)))

    def panels(self, result: Mapping[str, Any], inputs: InputsT, params: ParamsT) -> list[dict[str, Any]]:
        return self.view.panels(result, inputs, used_params(params, clamps_of(inputs)))


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

    def __post_init__(self) -> None:
        """Route ``engine`` and ``view`` through the clamps of the inputs (once: ``dataclasses.replace`` passes
        the wrapped ones back in)."""
        if not isinstance(self.engine, ClampedEngine):
            object.__setattr__(self, "engine", ClampedEngine(self.engine))
        if not isinstance(self.view, ClampedView):
            object.__setattr__(self, "view", ClampedView(self.view))
