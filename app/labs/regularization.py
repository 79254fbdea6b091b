"""Stub: filled by issue 14's regularization lab."""

from __future__ import annotations

from typing import Any

from app.core.algorithm import Algorithm

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = ()
