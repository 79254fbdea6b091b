"""Figures for the hierarchical lab: the points, the growing dendrogram with its cut line, the proximity matrix.

One figure, subplots by domain: the scatter (``x``/``y``), the dendrogram (``x2``/``y2``) and, for n ≤ 40,
the proximity matrix (``x3``/``y3``). The whole dendrogram is in the scene (sent once); each frame lays a
translucent "fog" over the part above the current merge height, so the tree appears to grow while a frame
carries only a rectangle, the highlighted link and the point colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from app.core.frame import Frame
from app.core.text import plural
from app.views.inputs import HierarchicalData
from app.views.keys import TICK_FONT, colour_bar, legend_entry, symbol_codes, timeline, top_legend
from app.views.theme import INK, MUTED, PALETTE, base_layout, discrete_colorscale, typed

POINTS, LINKS, CURRENT, MATRIX = range(4)
MERGE_SYMBOLS = (0, 0, 1, 2)  # Plotly codes per merge code: circle (alone / grouped), square (a), diamond (b)
MERGE_KEYS = (
    ("alone", "#cbd2d9", "circle"),
    ("in a cluster", "#616e7c", "circle"),
    ("merging (1st)", PALETTE[0], "square"),
    ("merging (2nd)", PALETTE[1], "diamond"),
)
PHASES = {"merge": "Merges", "start": "Start", "split": "Splits", "cut": "Cut"}

# Point colour codes in merge frames: still alone, already in a cluster, the two clusters being merged.
MERGE_SCALE = [
    [0.0, "#cbd2d9"],
    [0.25, "#cbd2d9"],
    [0.25, "#616e7c"],
    [0.5, "#616e7c"],
    [0.5, PALETTE[0]],
    [0.75, PALETTE[0]],
    [0.75, PALETTE[1]],
    [1.0, PALETTE[1]],
]
MATRIX_SCALE = [[0.0, "#08306b"], [0.35, "#2171b5"], [0.7, "#9ecae1"], [1.0, "#f7fbff"]]
FOG = "rgba(255,255,255,0.86)"
CUT = PALETTE[5]


class HierarchicalDrawn(Protocol):
    """The params the hierarchical view reads."""

    @property
    def linkage(self) -> str: ...

    @property
    def n_clusters(self) -> int | None: ...


def _marker_size(n: int) -> int:
    return 10 if n <= 60 else 8 if n <= 300 else 5


def _xy(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return X[:, 0], X[:, 1] if X.shape[1] > 1 else np.zeros(X.shape[0])


def _links(link_x: np.ndarray, link_y: np.ndarray) -> tuple[dict[str, str], dict[str, str]]:
    """(m, 4) ∩ shapes as one polyline, NaN between links (plotly breaks the line there)."""
    gap = np.full((link_x.shape[0], 1), np.nan)
    return (typed(np.hstack([link_x, gap]).ravel(), "f4"), typed(np.hstack([link_y, gap]).ravel(), "f4"))


def _title(text: str, x: float, y: float) -> dict[str, Any]:
    return {
        "text": f"<b>{text}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13, "color": INK},
    }


class HierarchicalView:
    """Scene: points, the full dendrogram, empty matrix; frames: colours, fog, the merged link and rows."""

    def scene(self, inputs: HierarchicalData, params: HierarchicalDrawn) -> dict[str, Any]:
        X = inputs.X
        n = X.shape[0]
        names = inputs.feature_names or ("x1", "x2")
        tree = inputs.tree
        matrix = inputs.proximity
        x, y = _xy(X)
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "points",
                "showlegend": False,
                "x": typed(x, "f4"),
                "y": typed(y, "f4"),
                "marker": {
                    "size": _marker_size(n),
                    "color": MUTED,
                    "colorscale": MERGE_SCALE,
                    "cmin": -0.5,
                    "cmax": 3.5,
                    "line": {"width": 0.5, "color": "#ffffff"},
                },
                "hovertemplate": "point %{pointNumber}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "dendrogram",
                "showlegend": False,
                "x": [],
                "y": [],
                "xaxis": "x2",
                "yaxis": "y2",
                "line": {"color": "#3e4c59", "width": 1.2 if n > 300 else 1.6},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "this merge",
                "showlegend": True,
                "x": [],
                "y": [],
                "xaxis": "x2",
                "yaxis": "y2",
                "line": {"color": CUT, "width": 3.5},
                "hoverinfo": "skip",
            },
        ]
        if matrix:
            data.append(
                {
                    "type": "heatmap",
                    "name": "proximity",
                    "z": [],
                    "xaxis": "x3",
                    "yaxis": "y3",
                    "colorscale": MATRIX_SCALE,
                    "zmin": 0,
                    "zmax": 255,
                    "showscale": True,
                    "colorbar": colour_bar(
                        "distance",
                        tickvals=[0, 255],
                        ticktext=["0 (close)", "far"],
                        x=0.92,
                        xanchor="left",
                        len=0.4,
                        y=1.0,
                        yanchor="top",
                    ),
                    "hoverinfo": "skip",
                    "xgap": 1,
                    "ygap": 1,
                }
            )
        if tree is not None:
            data[LINKS]["x"], data[LINKS]["y"] = _links(tree.link_x, tree.link_y)
            top = float(tree.Z[:, 2].max()) * 1.08 or 1.0
            slots = n
        else:
            top = float(inputs.total_sse) * 1.08 or 1.0
            slots = min(int(params.n_clusters or 1), inputs.n_distinct)  # divisive mode always has n_clusters
        dendro_axis: dict[str, Any] = {
            "range": [-0.6, slots - 0.4],
            "zeroline": False,
            "showgrid": False,
            "anchor": "y2",
            "fixedrange": True,
        }
        if tree is not None and matrix:  # few enough points to label every leaf
            dendro_axis |= {
                "tickvals": list(range(n)),
                "ticktext": [str(p) for p in tree.leaves.tolist()],
                "tickfont": {"size": TICK_FONT},
                "tickangle": -90 if n > 25 else 0,
                "title": {"text": "point (leaves in dendrogram order)", "standoff": 4},
            }
        elif tree is None:
            dendro_axis |= {"showticklabels": False, "title": {"text": f"the {plural(slots, 'cluster')} at the cut"}}
        else:
            dendro_axis |= {"showticklabels": False, "title": {"text": f"{n} points in dendrogram order"}}
        height_title = "SSE of the split cluster" if tree is None else f"{params.linkage} distance"
        shapes = []
        if inputs.cut_height is not None:
            shapes = [self._cut_line(inputs.cut_height)]
        # The dendrogram is the hero: every merge and the cut line live there, and the scatter only shows what
        # a merge or the cut means for the points. With the matrix: the tree along the bottom, full width, and
        # the points and the matrix above it; without: the points beside a tree that takes 60 % of the width.
        if matrix:
            points_dom, dendro_dom = ([0.0, 0.4], [0.66, 1.0]), ([0.0, 1.0], [0.0, 0.46])
        else:
            points_dom, dendro_dom = ([0.0, 0.32], [0.0, 1.0]), ([0.42, 1.0], [0.0, 0.94])
        layout = base_layout(
            xaxis={
                "domain": points_dom[0],
                "title": {"text": names[0]},
                "zeroline": False,
                "anchor": "y",
                "tickfont": {"size": TICK_FONT},
            },
            yaxis={
                "domain": points_dom[1],
                "title": {"text": names[1] if len(names) > 1 else ""},
                "zeroline": False,
                "anchor": "x",
                "tickfont": {"size": TICK_FONT},
            },
            xaxis2={**dendro_axis, "domain": dendro_dom[0]},
            yaxis2={
                "domain": dendro_dom[1],
                "range": [0, top],
                "title": {"text": height_title},
                "anchor": "x2",
                "fixedrange": True,
                "gridcolor": "#eef1f5",
                "tickfont": {"size": TICK_FONT},
            },
            shapes=shapes,
            showlegend=True,
            legend=top_legend(font={"size": 11, "color": INK}, tracegroupgap=0),  # one row at 1024 px
            margin={"l": 52, "r": 12, "t": 30, "b": 40},  # Plotly grows b for the rotated leaf ids
            annotations=[
                _title(
                    "Dendrogram" if tree is not None else "Split tree (top down)",
                    dendro_dom[0][0] + (0.42 if matrix else 0.0),  # clear of the points' x-axis title
                    dendro_dom[1][1] + 0.01,
                ),
            ],
        )
        if matrix:
            layout["xaxis3"] = {
                "domain": [0.52, 0.9],
                "anchor": "y3",
                "showgrid": False,
                "zeroline": False,
                "showticklabels": False,  # 35 ids would be 7 px: the highlighted rows and the hover name them
                "title": {"text": "proximity of the clusters (dark = close)", "font": {"size": 12}, "standoff": 4},
                "fixedrange": True,
            }
            layout["yaxis3"] = {
                "domain": [0.66, 1.0],
                "anchor": "x3",
                "autorange": "reversed",
                "showgrid": False,
                "zeroline": False,
                "showticklabels": False,
                "title": {"text": "cluster", "font": {"size": 12}},
                "fixedrange": True,
                "scaleanchor": "x3",
                "scaleratio": 1,
            }

        if tree is not None:  # the merge frames' point colours (divisive frames colour by cluster)
            for name, colour, shape in MERGE_KEYS:
                data.append(legend_entry(name, colour=colour, symbol=shape, size=9))
        data.append(legend_entry("cut height", colour=CUT, dash="dash"))
        return {
            "data": data,
            "layout": layout,
            "x-timeline": timeline(None, "step (one merge or split each, then the cut)"),
            "x-phases": PHASES,
        }

    @staticmethod
    def _cut_line(height: float) -> dict[str, Any]:
        return {
            "type": "line",
            "xref": "x2 domain",
            "yref": "y2",
            "x0": 0,
            "x1": 1,
            "y0": height,
            "y1": height,
            "line": {"color": CUT, "width": 2, "dash": "dash"},
            "layer": "above",
        }

    def render(self, frame: Frame, inputs: HierarchicalData, params: HierarchicalDrawn) -> dict[str, Any]:
        n_traces = 4 if inputs.proximity else 3
        traces: list[dict[str, Any]] = [{} for _ in range(n_traces)]
        tree = inputs.tree
        if tree is None or inputs.cut_height is None:  # divisive mode
            return self._render_divisive(frame, traces)
        shapes = [self._cut_line(inputs.cut_height)]
        if frame.kind == "cut":
            k = int(frame.state["n_clusters"])
            traces[POINTS] = {
                "marker": {
                    "color": typed(frame.state["labels"], "u2"),
                    "symbol": symbol_codes(frame.state["labels"]),
                    "colorscale": discrete_colorscale(k),
                    "cmin": -0.5,
                    "cmax": k - 0.5,
                }
            }
            traces += [{"visible": False} for _ in MERGE_KEYS]  # the cut colours clusters, not merges
            layout: dict[str, Any] = {"shapes": shapes}
            if n_traces == 4 and "proximity" in frame.visual:
                traces[MATRIX], _, axes = self._matrix(frame.visual, [])
                layout |= axes
            elif n_traces == 4:
                layout |= {"xaxis3": {"visible": False}, "yaxis3": {"visible": False}}
            return {"data": traces, "layout": layout}
        visual = frame.visual
        codes = visual["grouped"].astype(np.uint8)  # 0 alone, 1 already in a cluster
        codes[visual["members_a"]] = 2
        codes[visual["members_b"]] = 3
        shape = np.asarray(MERGE_SYMBOLS, dtype=np.uint8)[codes]
        traces[POINTS] = {"marker": {"color": typed(codes, "u1"), "symbol": typed(shape, "u1")}}
        i = int(frame.state["merge"]) - 1
        traces[CURRENT] = {"x": [round(float(v), 4) for v in tree.link_x[i]], "y": [float(v) for v in tree.link_y[i]]}
        top = float(tree.Z[:, 2].max()) * 1.1 + 1e-9
        fog = {
            "type": "rect",
            "xref": "x2 domain",
            "yref": "y2",
            "x0": 0,
            "x1": 1,
            "y0": visual["reveal"],
            "y1": top,
            "fillcolor": FOG,
            "line": {"width": 0},
            "layer": "above",
        }
        shapes.insert(0, fog)
        if n_traces == 4:
            traces[MATRIX], matrix_shapes, axes = self._matrix(visual, frame.state["merged"])
            shapes += matrix_shapes
            return {"data": traces, "layout": {"shapes": shapes, **axes}}
        return {"data": traces, "layout": {"shapes": shapes}}

    @staticmethod
    def _matrix(
        visual: Mapping[str, Any], merged: list[int]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        ids = np.asarray(visual["proximity_ids"])
        D = np.asarray(visual["proximity"])
        m = ids.size
        level = np.round(255 * D / max(float(visual["proximity_max"]), 1e-300)).astype(np.uint8)  # (m, m)
        trace = {"z": {**typed(level, "u1"), "shape": f"{m}, {m}"}, "x": list(range(m)), "y": list(range(m))}
        shapes = []
        for colour, cluster in zip((PALETTE[0], PALETTE[1]), merged, strict=False):
            r = int(np.flatnonzero(ids == cluster)[0])
            for x0, x1, y0, y1 in ((-0.5, m - 0.5, r - 0.5, r + 0.5), (r - 0.5, r + 0.5, -0.5, m - 0.5)):
                shapes.append(
                    {
                        "type": "rect",
                        "xref": "x3",
                        "yref": "y3",
                        "x0": x0,
                        "x1": x1,
                        "y0": y0,
                        "y1": y1,
                        "line": {"color": colour, "width": 2},
                        "layer": "above",
                    }
                )
        labels = [str(c) for c in ids.tolist()]
        axis = {"tickvals": list(range(m)), "ticktext": labels, "range": [-0.5, m - 0.5]}
        return trace, shapes, {"xaxis3": axis, "yaxis3": {**axis, "range": [m - 0.5, -0.5]}}

    @staticmethod
    def _render_divisive(frame: Frame, traces: list[dict[str, Any]]) -> dict[str, Any]:
        labels = np.asarray(frame.state["labels"])
        k = max(int(frame.state["n_clusters"]), 1)
        traces[POINTS] = {
            "marker": {
                "color": typed(labels, "u2"),
                "symbol": symbol_codes(labels),
                "colorscale": discrete_colorscale(k),
                "cmin": -0.5,
                "cmax": k - 0.5,
            }
        }
        links = np.asarray(frame.visual["links"])  # (s, 2, 4)
        if links.size:
            traces[LINKS] = dict(zip(("x", "y"), _links(links[:, 0], links[:, 1]), strict=True))
        if "current" in frame.visual:
            last = links[-1]
            traces[CURRENT] = {"x": [float(v) for v in last[0]], "y": [float(v) for v in last[1]]}
        return {"data": traces, "layout": {}}

    def panels(
        self, result: Mapping[str, Any], inputs: HierarchicalData, params: HierarchicalDrawn
    ) -> list[dict[str, Any]]:
        return []
