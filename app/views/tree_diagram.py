"""The growing tree drawing of the decision-tree figure, and the depth-sweep chart that takes its place.

The drawing is laid out from the whole tree the chapter draws (the grown tree, or in the pruning chapter the
tree grown without ccp_alpha), so a node keeps its place while the tree grows: each leaf (or each node at the
deepest level drawn, ``MAX_LEVELS``) takes one column in left-to-right order, a split node sits midway between
its two children, depth runs downwards. Left branches are the "yes" answers (value ≤ threshold).

A node is a box of text — its question, impurity, samples and class — with as many lines as its column and
its level leave room for at the size the labels are planned for (``PLAN_PX``: the panel on a 1024 px laptop);
a node with no room for any text is only a marker (class shape and colour; hover for its numbers). So no two
labels overlap however many nodes there are.

Shapes: the drawing's table has N nodes (the frame's ``visual["diagram"]``: ``left``, ``right``, ``feature``,
``threshold``, ``impurity``, ``n_samples`` (N,), ``value`` (N, K), ``status`` N words, ``ids`` (N,)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from app.views.markers import class_symbols
from app.views.theme import INK, MUTED, PALETTE, typed

MAX_LEVELS = 7
"""Levels drawn (depth 0 .. 6): deeper nodes are left out (the panel says so)."""
PLAN_PX = (300.0, 330.0)
"""Width and height in px of the panel the labels are sized for (a 1024 × 768 laptop)."""
FONT_PX = 10
CHAR_PX = 5.6  # average width of a character at FONT_PX
LINE_PX = 12.5
COLOUR_CODES = 11  # up to 10 classes, then the pruned grey
FOCUS = PALETTE[5]
PRUNED = "#cbd2d9"  # the node being split / collapsed, everywhere in the figure
AXES = ("x5", "y5")
CRITERION = {"gini": "gini", "entropy": "entropy", "log_loss": "entropy", "squared_error": "MSE"}
SHORT = {"x1": "x₁", "x2": "x₂"}


def layout_positions(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(N,) x and (N,) depth of each node (x NaN below the deepest level drawn), and the number of columns."""
    n = left.size
    x = np.full(n, np.nan)
    depth = np.zeros(n, dtype=np.int64)
    column = 0

    def place(node: int, d: int) -> float:
        nonlocal column
        depth[node] = d
        if left[node] < 0 or d == MAX_LEVELS - 1:
            x[node] = column
            column += 1
            return float(x[node])
        a, b = place(int(left[node]), d + 1), place(int(right[node]), d + 1)
        x[node] = (a + b) / 2
        return float(x[node])

    place(0, 0)  # recursion no deeper than MAX_LEVELS
    return x, depth, max(column, 1)


def _rule(feature_names: Sequence[str], feature: int, threshold: float, short: bool = False) -> str:
    name = feature_names[feature] if feature < len(feature_names) else f"x{feature + 1}"
    name = SHORT.get(name, name)
    if short:
        text = f"{threshold:.2g}"
        return f"{name}≤{text.replace('0.', '.', 1) if text.startswith('0.') else text}"
    return f"{name} ≤ {threshold:.3g}"


def _what(value: np.ndarray, classes: Sequence[str], task: str) -> tuple[str, str]:
    """(long, short) words for what a node predicts: "class 0 (81 %)" / "0", or "y 1.23" / "1.2"."""
    if task == "classification":
        top = int(np.argmax(value))
        name = classes[top] if top < len(classes) else str(top)
        return f"class {name} ({round(100 * float(value[top]))} %)", name
    return f"y {float(value[0]):.3g}", f"{float(value[0]):.2g}"


def _label(
    node: int, diagram: dict[str, Any], names: Sequence[str], classes: Sequence[str], task: str, criterion: str
) -> list[list[str]]:
    """The node's label variants, richest first (each a list of lines)."""
    crit = CRITERION.get(criterion, "MAE")
    n = int(diagram["n_samples"][node])
    impurity = f"{crit} {float(diagram['impurity'][node]):.2f}"
    what, short = _what(np.asarray(diagram["value"][node]), classes, task)
    if diagram["status"][node] in ("split", "current"):
        rule = _rule(names, int(diagram["feature"][node]), float(diagram["threshold"][node]))
        tiny = _rule(names, int(diagram["feature"][node]), float(diagram["threshold"][node]), short=True)
        return [[rule, impurity, f"{n} samples", what], [rule, f"{n} · {short}"], [rule], [tiny]]
    return [[impurity, f"{n} samples", what], [f"{n} · {short}"], [f"{n}"]]


def _fits(lines: list[str], width_px: float, height_px: float) -> bool:
    wide = max(len(line) for line in lines) * CHAR_PX + 8
    return wide <= width_px and len(lines) * LINE_PX + 6 <= height_px


def draw(
    diagram: dict[str, Any] | None,
    feature_names: Sequence[str],
    classes: Sequence[str],
    task: str,
    criterion: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """(trace patches for EDGES, PRUNED_EDGES, NODES, RING; the label annotations; the axes' ranges and
    ``truncated``: some drawn-tree nodes lie below the deepest level drawn)."""
    if diagram is None:
        empty: dict[str, Any] = {"x": [], "y": []}
        return [empty, empty, empty | {"text": []}, empty], [], {}
    left, right = np.asarray(diagram["left"]), np.asarray(diagram["right"])
    status: list[str] = list(diagram["status"])
    x, depth, columns = layout_positions(left, right)
    drawn = [i for i in range(left.size) if status[i] != "hidden" and not math.isnan(x[i])]
    levels = int(depth[drawn].max()) + 1 if drawn else 1
    unit = PLAN_PX[0] / columns
    level_px = PLAN_PX[1] / max(levels, 2)
    edges: tuple[list[float | None], list[float | None]] = ([], [])
    cut_edges: tuple[list[float | None], list[float | None]] = ([], [])
    parent = np.full(left.size, -1)
    for i in range(left.size):
        if left[i] >= 0:
            parent[left[i]] = parent[right[i]] = i
    for i in drawn:
        p = int(parent[i])
        if p < 0:
            continue
        target = cut_edges if status[i] == "pruned" else edges
        target[0].extend([float(x[p]), float(x[i]), None])
        target[1].extend([-int(depth[p]), -int(depth[i]), None])  # levels are whole numbers: short JSON
    annotations: list[dict[str, Any]] = []
    marks: list[int] = []
    texts: list[str] = []
    for i in drawn:
        if status[i] == "pruned":
            marks.append(i)
            texts.append("pruned away")
            continue
        same = [j for j in drawn if depth[j] == depth[i] and j != i and status[j] != "pruned"]
        gap = min((abs(float(x[j] - x[i])) for j in same), default=columns) * unit
        lines = next(
            (v for v in _label(i, diagram, feature_names, classes, task, criterion) if _fits(v, gap, level_px)), None
        )
        marks.append(i)
        # A boxed node's hover names it only (its box says the rest; bytes: a frame carries every node's text).
        texts.append(_hover(i, diagram, feature_names, classes, task, criterion, full=lines is None))
        if lines is not None:
            annotations.append(_box(i, float(x[i]), -float(depth[i]), lines, diagram, status[i], task))
    ring = [i for i in drawn if status[i] in ("current", "collapsed")]
    values = np.asarray(diagram["value"])
    cls = np.argmax(values, axis=1) if task == "classification" else np.zeros(left.size, dtype=np.int64)
    nodes = {
        "x": typed(x[marks], "f4"),
        "y": typed(-depth[marks], "i1"),  # levels: whole numbers
        "text": texts,
        "marker": {
            "symbol": [class_symbols([int(cls[i])], status[i] in ("waiting", "pruned"))[0] for i in marks],
            # Colour codes into the scene's scale: the class (0 for regression: ink), or the last, grey: pruned.
            "color": typed([COLOUR_CODES - 1 if status[i] == "pruned" else int(cls[i]) for i in marks], "u1"),
        },
    }
    patches: list[dict[str, Any]] = [
        {"x": edges[0], "y": edges[1]},
        {"x": cut_edges[0], "y": cut_edges[1]},
        nodes,
        {"x": [float(x[i]) for i in ring], "y": [-int(depth[i]) for i in ring]},
    ]
    deeper = any(status[i] != "hidden" and math.isnan(x[i]) for i in range(left.size))
    ranges = {"x": [-0.6, columns - 0.4], "y": [-(levels - 1) - 0.45, 0.6], "truncated": deeper}
    return patches, annotations, ranges


def node_colours(n_classes: int) -> dict[str, Any]:
    """The nodes trace's colour scale: code c < K is class c's colour (K = 0, regression: code 0 is ink), code
    ``COLOUR_CODES − 1`` is the grey of pruned nodes; codes between are unused."""
    colours = [PALETTE[c % len(PALETTE)] for c in range(n_classes)] or [INK]
    colours += [colours[-1]] * (COLOUR_CODES - 1 - len(colours)) + [PRUNED]
    return {"colorscale": discrete_colorscale_of(colours), "cmin": -0.5, "cmax": COLOUR_CODES - 0.5}


def discrete_colorscale_of(colours: list[str]) -> list[list[float | str]]:
    """A stepped colour scale: integer i in [0, n) maps to ``colours[i]`` with cmin −0.5, cmax n − 0.5."""
    n = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _hover(
    i: int,
    diagram: dict[str, Any],
    names: Sequence[str],
    classes: Sequence[str],
    task: str,
    criterion: str,
    full: bool,
) -> str:
    """The node's id and, when ``full``, everything its richest box would say."""
    node_id = int(diagram["ids"][i])
    head = f"node {node_id}" if node_id >= 0 else "node"
    if not full:
        return head
    return "<br>".join([head, *_label(i, diagram, names, classes, task, criterion)[0]])


def _tint(colour: str, white: float) -> str:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * white) for c in (r, g, b)))


def _box(
    i: int, x: float, y: float, lines: list[str], diagram: dict[str, Any], status: str, task: str
) -> dict[str, Any]:
    """One node's label: a box at its place, tinted by its class, outlined by what it is."""
    values = np.asarray(diagram["value"][i])
    colour = PALETTE[int(np.argmax(values)) % len(PALETTE)] if task == "classification" else MUTED
    border = {"current": FOCUS, "collapsed": FOCUS, "split": INK, "waiting": MUTED}.get(status, colour)
    box: dict[str, Any] = {
        "x": round(x, 3),
        "y": y,
        "text": "<br>".join(lines),
        "bgcolor": _tint(colour, 0.82),
        "bordercolor": border,
        **LABEL,
    }
    if status in ("current", "collapsed"):
        box["borderwidth"] = 2
    return box


LABEL: dict[str, Any] = {"xref": AXES[0], "yref": AXES[1], "showarrow": False, "font": {"size": FONT_PX}}
"""What every node label shares. Labels alone use xref "x5" (headings use "x5 domain"), so a narrow layout can
leave them out by that reference (the scene's ``x-narrow`` ``annotations_off``)."""


def line_trace(name: str, axes: tuple[str, str], line: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An empty line trace on ``axes`` (a frame fills its x and y)."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": axes[0],
        "yaxis": axes[1],
        "line": line,
        "hoverinfo": "skip",
        **extra,
    }


def marks_trace(name: str, axes: tuple[str, str], marker: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An empty marker trace on ``axes`` (a frame fills its x and y)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [],
        "y": [],
        "xaxis": axes[0],
        "yaxis": axes[1],
        "marker": marker,
        **extra,
    }


def scene_traces(n_classes: int) -> list[dict[str, Any]]:
    """The right column's traces, empty until a frame fills them: the drawing's branches, pruned branches,
    nodes and focus ring (axes x5/y5), and the depth chart's train, test, current depth and max_depth line
    (axes x6/y6)."""
    return [
        line_trace("branches", AXES, {"color": MUTED, "width": 1.5}, showlegend=False),
        line_trace("pruned away", AXES, {"color": PRUNED, "width": 1.5, "dash": "dot"}),
        marks_trace(
            "tree nodes",
            AXES,
            {"size": 9, "line": {"width": 1, "color": INK}, **node_colours(n_classes)},
            showlegend=False,
            hovertemplate="%{text}<extra></extra>",
            text=[],
        ),
        marks_trace(
            "node being split",
            AXES,
            {"symbol": "circle-open", "size": 26, "color": FOCUS, "line": {"width": 3}},
            legendgroup="focus",
            showlegend=False,
            hoverinfo="skip",
        ),
        line_trace(
            "train",
            ("x6", "y6"),
            {"color": PALETTE[0], "width": 2},
            mode="lines+markers",
            hovertemplate="depth %{x}: train %{y:.3g}<extra></extra>",
        ),
        line_trace(
            "test",
            ("x6", "y6"),
            {"color": PALETTE[1], "width": 2, "dash": "dash"},
            mode="lines+markers",
            hovertemplate="depth %{x}: test %{y:.3g}<extra></extra>",
        ),
        marks_trace(
            "this frame's depth",
            ("x6", "y6"),
            {"symbol": "circle-open", "size": 16, "color": FOCUS, "line": {"width": 3}},
            hoverinfo="skip",
        ),
        line_trace("your max_depth", ("x6", "y6"), {"color": INK, "width": 1.5, "dash": "dot"}),
    ]


def depth_patches(curve: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The depth chart of a ``depth`` frame: train and test score by max_depth, this frame's depth, the
    learner's max_depth (``curve``: the frame's ``visual["depth_curve"]``)."""
    points = curve["curve"]
    depths = [p["depth"] for p in points]
    train = {"x": depths, "y": [p["train_score"] for p in points]}
    test: dict[str, Any] = {"x": [], "y": []}
    if points and points[0]["test_score"] is not None:
        test = {"x": depths, "y": [p["test_score"] for p in points]}
    here = points[curve["depth"] - 1]
    held = here["test_score"] if here["test_score"] is not None else here["train_score"]
    scores = [p["train_score"] for p in points] + [p["test_score"] for p in points if p["test_score"] is not None]
    limit = {"x": [curve["chosen"], curve["chosen"]], "y": [min(scores), max(scores)]}
    return [train, test, {"x": [curve["depth"]], "y": [held]}, limit]
