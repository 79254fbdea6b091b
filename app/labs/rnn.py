"""The `rnn` lab (issue 17): filled in by its own change; listed in app/catalog.py from the start so the
catalog-wide tests pick it up the moment it holds an Algorithm."""

from __future__ import annotations

from typing import Any

from app.core.algorithm import Algorithm

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = ()
