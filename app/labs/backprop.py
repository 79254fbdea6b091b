"""The backpropagation lab (issue 17): a small expression drawn as a computational graph, its forward pass and
backward pass node by node, the update, then more steps.

``prepare`` reads the expression (a preset's, or the custom one) with the engine's safe ``ast`` parser, the
``numbers`` ("w=0.5, x=1.5") and the ``trainable`` names, and refuses with a 422 naming the field: a formula
that does not parse or calls an unknown function (``expression``), a name with no number (``expression``), a
number for a name the expression does not use or a number that is not one (``numbers``), an unknown or missing
parameter (``trainable``), numbers whose loss or gradients are already not finite (``numbers``). It lays the
graph out (columns by depth) once, for the view. The run uses no randomness: the seed changes nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import backprop_graph as bg
from app.engines import backprop_run as engine
from app.schemas.backprop import PRESETS, BackpropParams
from app.schemas.common import ParamsError
from app.schemas.frames import backprop as frames
from app.views.backprop import BackpropView

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class BackpropInputs:
    """The parsed graph, every name's starting number, and the drawing's layout (node order = the graph's)."""

    graph: bg.Graph
    expression: str
    start: dict[str, float]
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    roles: tuple[str, ...]
    texts: tuple[str, ...]
    edges: tuple[tuple[int, int], ...]  # (input node, consumer node)
    x: tuple[float, ...]
    y: tuple[float, ...]


def parse_numbers(text: str) -> dict[str, float]:
    """``"w=0.5, x = 1.5; y=2"`` → ``{"w": 0.5, "x": 1.5, "y": 2.0}`` (raises ParamsError at ``numbers``)."""
    out: dict[str, float] = {}
    for piece in re.split(r"[,;\n]+", text):
        if not piece.strip():
            continue
        name, eq, value = piece.partition("=")
        name, value = name.strip(), value.strip()
        if not eq or not _NAME.fullmatch(name):
            raise ParamsError(("numbers",), f"'{piece.strip()}' should read name=number, as in w=0.5", text)
        try:
            number = float(value)
        except ValueError:
            raise ParamsError(("numbers",), f"'{value}' (the number of {name}) is not a number", text) from None
        if not math.isfinite(number) or abs(number) > bg.MAX_ABS_NUMBER:
            raise ParamsError(
                ("numbers",), f"{name} = {value} is larger in size than {bg.MAX_ABS_NUMBER:g}, the limit", text
            )
        if name in out:
            raise ParamsError(("numbers",), f"{name} is given two numbers", text)
        out[name] = number
    return out


def parse_names(text: str) -> list[str]:
    """``"w, b"`` → ``["w", "b"]`` (raises ParamsError at ``trainable``)."""
    names = [t for t in re.split(r"[,;\s]+", text) if t]
    for name in names:
        if not _NAME.fullmatch(name):
            raise ParamsError(("trainable",), f"'{name}' is not a name (list names like w, b)", text)
    return names


def _prepare(params: BackpropParams, limits: Limits) -> BackpropInputs:
    preset = PRESETS[params.graph]
    expression = params.expression if params.graph == "custom" else preset.expression
    try:
        trainable = parse_names(params.trainable) or None
        graph = bg.parse(expression, trainable)
    except bg.ExpressionError as err:
        raise ParamsError(("expression",), str(err), expression) from None
    used = list(graph.names)  # in the order the forward pass meets them
    given = parse_numbers(params.numbers)
    extra = [k for k in given if k not in used]
    if extra:
        raise ParamsError(
            ("numbers",),
            f"'{extra[0]}' is not a name in the expression (its names: {', '.join(used) or 'none'})",
            params.numbers,
        )
    if trainable is not None:
        unknown = [k for k in trainable if k not in used]
        if unknown:
            raise ParamsError(
                ("trainable",),
                f"'{unknown[0]}' is not a name in the expression (its names: {', '.join(used) or 'none'})",
                params.trainable,
            )
    start = {k: given.get(k, preset.numbers.get(k, math.nan)) for k in used}
    missing = [k for k, v in start.items() if math.isnan(v)]
    if missing:
        raise ParamsError(
            ("expression",),
            f"name '{missing[0]}' has no value: give it one in Numbers, as in {missing[0]}=1",
            expression,
        )
    if not graph.parameters:
        raise ParamsError(
            ("trainable",),
            f"no name of the expression is trained ({', '.join(used) or 'it has no names'}): list the parameters "
            "the updates change, as in w, b",
            params.trainable,
        )
    values, problem = bg.evaluate(graph, start)
    if problem is None:
        _, problem = bg.backward(graph, values)
    if problem is not None:
        raise ParamsError(("numbers",), f"with these numbers {problem.message}: change the numbers", params.numbers)
    x, y = bg.layout(graph)
    nodes = graph.nodes
    return BackpropInputs(
        graph=graph,
        expression=expression,
        start=start,
        ids=tuple(n.id for n in nodes),
        labels=tuple(n.label for n in nodes),
        roles=tuple(n.role for n in nodes),
        texts=tuple(n.text for n in nodes),
        edges=tuple((j, i) for i, n in enumerate(nodes) for j in n.inputs),
        x=tuple(x),
        y=tuple(y),
    )


def _run(
    inputs: BackpropInputs, params: BackpropParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(engine.Plan(inputs.graph, inputs.start, float(params.lr), params.steps))


BACKPROP: Algorithm[BackpropParams, BackpropInputs] = Algorithm(
    id="backprop",
    title="Backpropagation, node by node",
    family="neural",
    summary=(
        "A small loss — a line's squared error, a sigmoid neuron, a 2-2-1 network on one example, or your own "
        "formula — drawn as a computational graph. Step through the forward pass node by node, then the backward "
        "pass: each gradient is the local derivative times the upstream gradient, with the numbers. Then the "
        "update w ← w − η·∂L/∂w and the loss falling step by step; click a node to read its value and gradient."
    ),
    days=(22,),
    params_model=BackpropParams,
    prepare=_prepare,
    engine=_run,
    view=BackpropView(),
    frame_model=frames.BackpropFrame,
    result_model=frames.BackpropResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (BACKPROP,)
