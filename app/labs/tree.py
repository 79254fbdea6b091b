"""(being written for issue 13)"""

from __future__ import annotations

from typing import Any

from app.core.algorithm import Algorithm

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = ()
