"""The voting lab's figure: the boundary view's plane (one member's boundary per frame, then the vote) above a strip
of every member's own small picture (``ensemble_strip``), and a result panel of each member's accuracy beside
the vote's.

In a member's frame the plane is that model alone; in the last frame it is the vote: for hard voting the tint is
the winning class's share of the (weighted) votes, for soft voting its averaged probability. A click on a point
opens every member's vote on it (``static/js/interactions/inspect-votes.js``, reading the result's ``votes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from app.core.frame import Frame
from app.views.boundary import BoundaryView
from app.views.ensemble_strip import Strip, StripData, base_annotations, held_word, raise_plane
from app.views.theme import PALETTE, base_layout

PHASES = {"model": "Each model alone", "ensemble": "The vote"}


class VotingDrawn(Protocol):
    """The params the voting view reads."""

    @property
    def grid_size(self) -> int: ...


class VotingView:
    """Composes ``BoundaryView("probability")``: its traces first, then the strip's pictures."""

    def __init__(self) -> None:
        self.base = BoundaryView(
            "probability",
            interactions=({"kind": "inspect-votes"},),  # click a point: every member's vote
            timeline={"key": None, "title": "model, then the vote"},
        )

    def scene(self, inputs: StripData, params: VotingDrawn) -> dict[str, Any]:
        scene = self.base.scene(inputs, params)
        strip = Strip(inputs, first=3)
        scene["data"] += strip.traces()
        layout = scene["layout"]
        raise_plane(layout)
        layout.update(strip.axes())
        layout["annotations"] = base_annotations(inputs) + strip.titles()
        layout["shapes"] = strip.frames()
        scene["x-phases"] = dict(PHASES)
        return scene

    def render(self, frame: Frame, inputs: StripData, params: VotingDrawn) -> dict[str, Any]:
        patch = self.base.render(frame, inputs, params)
        data = patch["data"] + [{}] * (self.base.n_scene_traces(inputs) - len(patch["data"]))
        strip = Strip(inputs, first=3)
        data += strip.patches(frame.visual)
        titles = strip.titles(frame.visual.get("thumbnail_scores", ()), held_word(inputs))
        return {"data": data, "layout": {"annotations": base_annotations(inputs) + titles}}

    def panels(self, result: Mapping[str, Any], inputs: StripData, params: VotingDrawn) -> list[dict[str, Any]]:
        if "models" not in result:
            return []
        return [member_accuracy_panel(result["models"], result, "the vote", "accuracy-by-model")]


def member_accuracy_panel(
    names: list[str],
    result: Mapping[str, Any],
    ensemble: str,
    panel_id: str,
    scores: tuple[str, str] = ("test_accuracy", "train_accuracy"),
) -> dict[str, Any]:
    """Bars of each member's accuracy alone and the ensemble's (training and test), the ensemble last."""
    labels = [*names, ensemble]
    test_key, train_key = scores
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "training",
            "x": labels,
            "y": [*result["member_train_accuracy"], result[train_key]],
            "marker": {"color": PALETTE[4]},
            "hovertemplate": "%{x}: training %{y:.1%}<extra></extra>",
        }
    ]
    if result[test_key] is not None:
        data.append(
            {
                "type": "bar",
                "name": "test",
                "x": labels,
                "y": [*result["member_test_accuracy"], result[test_key]],
                "marker": {"color": PALETTE[0]},
                "hovertemplate": "%{x}: test %{y:.1%}<extra></extra>",
            }
        )
    low = min(min(t["y"]) for t in data)
    layout = base_layout(
        barmode="group",
        xaxis={"title": {"text": "model"}, "tickfont": {"size": 11}},
        yaxis={"title": {"text": "accuracy"}, "tickformat": ".0%", "range": [max(0.0, low - 0.1), 1.0]},
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    return {
        "id": panel_id,
        "title": f"Each model alone, and {ensemble}",
        "figure": {"data": data, "layout": layout},
    }
