"""The one thing every engine yields."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Frame:
    """A frozen snapshot of one step.

    ``state`` holds copies (never a buffer the engine keeps mutating); ``metrics`` holds plain floats
    that the player charts over frame index. ``visual`` holds per-point arrays only the view draws (the
    k-means++ D² weights as a colour): they never go on the wire, which keeps a frame small. The run
    service numbers frames, so engines do not.
    """

    kind: str
    caption: str
    state: dict[str, Any]
    metrics: dict[str, float] = field(default_factory=dict)
    visual: dict[str, Any] = field(default_factory=dict)


def drain(generator: Generator[T, None, R]) -> tuple[list[T], R]:
    """Everything a generator yields, and what it returns (an engine's frames and its result)."""
    items: list[T] = []
    while True:
        try:
            items.append(next(generator))
        except StopIteration as stop:
            return items, stop.value
