"""The registry: one entry per algorithm. API, pages, CLI and contract tests all iterate it."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel

from app.core.frame import Frame

Figure = dict[str, Any]
Inputs = Mapping[str, Any]
"""What ``prepare`` resolves from params once per run (e.g. ``{"X": (n, d) array, "y": (n,) or None}``)."""


class View(Protocol):
    """A family's renderer. Pure: it draws what the engine computed, it computes nothing."""

    def scene(self, inputs: Inputs, params: Any) -> Figure:
        """The static part of the figure (data points, surfaces, full layout), sent once per run."""

    def render(self, frame: Frame, inputs: Inputs, params: Any) -> Figure:
        """The per-frame part: ``data[i]`` is merged onto ``scene["data"][i]``, ``layout`` onto its layout."""

    def panels(self, result: Mapping[str, Any], inputs: Inputs, params: Any) -> list[dict[str, Any]]:
        """Extra figures drawn from the final result (``[{"id", "title", "figure"}]``)."""


Engine = Callable[[Inputs, Any, np.random.Generator], Generator[Frame, None, dict[str, Any]]]


@dataclass(frozen=True)
class Algorithm:
    id: str
    title: str
    family: str
    summary: str
    days: tuple[int, ...]
    params_model: type[BaseModel]
    prepare: Callable[[Any], dict[str, Any]]
    engine: Engine
    view: View


_REGISTRY: dict[str, Algorithm] = {}


def register(algorithm: Algorithm) -> Algorithm:
    if algorithm.id in _REGISTRY:
        raise ValueError(f"duplicate algorithm id {algorithm.id!r}")
    _REGISTRY[algorithm.id] = algorithm
    return algorithm


def all_algorithms() -> list[Algorithm]:
    _load_labs()
    return list(_REGISTRY.values())


def get_algorithm(algorithm_id: str) -> Algorithm | None:
    _load_labs()
    return _REGISTRY.get(algorithm_id)


def _load_labs() -> None:
    # Importing a lab module registers it; one import line per lab is the whole wiring.
    from app import labs  # noqa: F401
