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
from app.views.theme import INK, MUTED, PALETTE, base_layout, discrete_colorscale, typed

POINTS, LINKS, CURRENT, MATRIX = range(4)

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
                    "showscale": False,
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
                "tickfont": {"size": 9 if n > 25 else 11},
                "tickangle": 0,
            }
        elif tree is None:
            dendro_axis |= {"showticklabels": False, "title": {"text": f"the {plural(slots, 'cluster')} at the cut"}}
        else:
            dendro_axis |= {"showticklabels": False, "title": {"text": f"{n} points in dendrogram order"}}
        height_title = "SSE of the split cluster" if tree is None else f"{params.linkage} distance"
        shapes = []
        if inputs.cut_height is not None:
            shapes = [self._cut_line(inputs.cut_height)]
        if matrix:
            points_dom, dendro_dom = ([0.0, 0.44], [0.54, 1.0]), ([0.0, 1.0], [0.0, 0.36])
        else:
            points_dom, dendro_dom = ([0.0, 0.44], [0.0, 0.93]), ([0.54, 1.0], [0.0, 0.93])
        layout = base_layout(
            xaxis={"domain": points_dom[0], "title": {"text": names[0]}, "zeroline": False, "anchor": "y"},
            yaxis={
                "domain": points_dom[1],
                "title": {"text": names[1] if len(names) > 1 else ""},
                "zeroline": False,
                "scaleanchor": "x",
                "scaleratio": 1,
                "anchor": "x",
            },
            xaxis2={**dendro_axis, "domain": dendro_dom[0]},
            yaxis2={
                "domain": dendro_dom[1],
                "range": [0, top],
                "title": {"text": height_title},
                "anchor": "x2",
                "fixedrange": True,
                "gridcolor": "#eef1f5",
            },
            shapes=shapes,
            margin={"l": 56, "r": 16, "t": 28, "b": 44},
            annotations=[
                _title("Points", 0.0, points_dom[1][1] + 0.01),
                _title(
                    "Dendrogram" if tree is not None else "Split tree (top down)",
                    dendro_dom[0][0],
                    dendro_dom[1][1] + 0.01,
                ),
            ],
        )
        if matrix:
            layout["xaxis3"] = {
                "domain": [0.6, 1.0],
                "anchor": "y3",
                "showgrid": False,
                "zeroline": False,
                "tickfont": {"size": 9},
                "fixedrange": True,
                "side": "top",
            }
            layout["yaxis3"] = {
                "domain": [0.54, 1.0],
                "anchor": "x3",
                "autorange": "reversed",
                "showgrid": False,
                "zeroline": False,
                "tickfont": {"size": 9},
                "fixedrange": True,
                "scaleanchor": "x3",
                "scaleratio": 1,
            }
            layout["annotations"].append(
                _title("Proximity matrix (dark = close)", 1.0, 0.5) | {"xanchor": "right", "yanchor": "top"}
            )
        return {"data": data, "layout": layout}

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
                    "colorscale": discrete_colorscale(k),
                    "cmin": -0.5,
                    "cmax": k - 0.5,
                }
            }
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
        traces[POINTS] = {"marker": {"color": typed(codes, "u1")}}
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
