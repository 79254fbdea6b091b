"""Cooperative stopping inside an engine's loops: ``checkpoint()``.

The run service advances an engine one frame at a time, but one frame can be long (a neural network trained
for 200 epochs at batch size 1 between two frames). So engines call ``checkpoint()`` in their inner loops
(per mini-batch, per SMO pass, per Lloyd iteration): outside a run it does nothing; inside one it raises
``RunStopped`` when the run's client has gone or its compute budget is spent, which unwinds the engine's
generator at once and frees the CPU (the service turns it into the run's last event).

Engines stay pure: they never read a clock or a setting; the service installs a ``StopToken`` around each
step with ``stopping_at(token)``. The token lives in a thread-local because a step runs in a worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class RunStopped(Exception):
    """Raised by ``checkpoint()``: the run was cancelled (``reason == "cancelled"``) or ran out of its compute
    budget (``reason == "budget"``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class StopToken:
    """What ``checkpoint()`` checks: ``cancelled`` (set from any thread when nobody watches the run any more)
    and ``deadline`` (``time.monotonic()`` past which the current step must stop; ``inf`` for none)."""

    cancelled: bool = False
    deadline: float = float("inf")

    def cancel(self) -> None:
        self.cancelled = True


_local = threading.local()


def checkpoint() -> None:
    """Raise ``RunStopped`` if the run being computed on this thread must stop now; otherwise return at once.

    Cheap (a thread-local read and a clock read): call it once per mini-batch or pass, not per element."""
    token: StopToken | None = getattr(_local, "token", None)
    if token is None:
        return
    if token.cancelled:
        raise RunStopped("cancelled")
    if time.monotonic() > token.deadline:
        raise RunStopped("budget")


@contextmanager
def stopping_at(token: StopToken) -> Iterator[StopToken]:
    """Make ``checkpoint()`` on this thread check ``token`` until the block ends."""
    previous = getattr(_local, "token", None)
    _local.token = token
    try:
        yield token
    finally:
        _local.token = previous
