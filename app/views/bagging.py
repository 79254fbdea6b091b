"""The bagging lab's figure: the vote of the members so far on the main plane, the newest member's own boundary
in the small panel, and the training markers sized by how often that member drew each row (ensemble_growth.py).
"""

from __future__ import annotations

from typing import Any, Protocol

from app.core.frame import Frame
from app.views.ensemble_growth import EnsembleGrowthView
from app.views.keys import legend_entry
from app.views.theme import MUTED


class BaggingDrawn(Protocol):
    """The params the bagging view reads."""

    @property
    def grid_size(self) -> int: ...

    @property
    def bootstrap(self) -> bool: ...

    @property
    def max_samples(self) -> float: ...


class BaggingView(EnsembleGrowthView):
    """Members are "estimators"; the size keys follow the draws the params allow."""

    def __init__(self) -> None:
        super().__init__("estimator", {"key": "estimator", "title": "estimators voting"})

    def size_keys(self, params: BaggingDrawn, size: int) -> list[dict[str, Any]]:
        if params.bootstrap:
            return super().size_keys(params, size)
        faded = legend_entry("not drawn (faded)", colour=MUTED, size=max(size - 4, 3))
        if params.max_samples == 1:
            return [legend_entry("every training row, once", colour=MUTED, size=size)]
        return [legend_entry("drawn by this estimator", colour=MUTED, size=size), faded]

    def panel_heading(self, frame: Frame | None) -> str:
        if frame is None or "estimator" not in frame.state:
            return "The newest<br>estimator alone"
        features = {int(c) for c in frame.state.get("features", ())}
        sees = "alone" if len(features) != 1 else "alone, x₁ only" if 0 in features else "alone, x₂ only"
        return f"Estimator {frame.state['estimator']}<br>{sees}"
