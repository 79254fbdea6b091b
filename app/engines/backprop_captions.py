"""Captions of the backpropagation lab: every frame says its arithmetic with this run's numbers (the forward value
from the inputs' values; the local derivative × the upstream gradient = this node's gradient; w ← w − η·g)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.core.text import num, plural
from app.engines.backprop_graph import Graph, Node

MAX_TEXT = 44
"""A sub-expression longer than this is not repeated in a caption (its node id is)."""
PLAIN = str.maketrans({"×": "*", "−": "-", "÷": "/", "^": "*", " ": ""})
"""A caption's formula in the expression's own symbols (to see when it says the same as the sub-expression)."""
MAX_LISTED = 4
"""Parameter updates spelled out in one caption; the rest are counted."""


def n(value: float) -> str:
    """A number for a caption (4 significant figures), a negative one in brackets (0.5 × (-2.3))."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def formula(graph: Graph, node: Node, values: Sequence[float] | None = None) -> str:
    """The node's operation on its inputs: by id (``n1 + b``) or, with ``values``, by their numbers."""
    ids = [graph.nodes[j].id if values is None else n(values[j]) for j in node.inputs]
    op = node.op
    if op in ("add", "sub", "mul", "div"):
        sign = {"add": "+", "sub": "−", "mul": "×", "div": "÷"}[op]
        return f"{ids[0]} {sign} {ids[1]}"
    if op == "pow":
        return f"{ids[0]}^{node.number:g}"
    if op == "neg":
        return f"−{ids[0]}"
    return f"{op}({ids[0]})"


def _what(node: Node, said: str) -> str:
    """The sub-expression the node computes, unless it is long or the formula already says it."""
    plain = said.translate(PLAIN)
    same = node.text.replace(" ", "").replace("**", "*") in (plain, node.id)
    return f" (that is {node.text})" if len(node.text) <= MAX_TEXT and not same else ""


def forward(graph: Graph, i: int, values: Sequence[float], step: int) -> str:
    """Forward pass, node ``i``: its value from its inputs' values."""
    node = graph.nodes[i]
    head = f"Step {step}, forward pass: "
    if node.op == "name" and node.role == "parameter":
        return f"{head}{node.id} = {num(values[i])} is a parameter: the updates will change it."
    if node.op == "name":
        return f"{head}{node.id} = {num(values[i])} is an input, part of the example: it is never trained."
    if node.op == "const":
        return f"{head}the constant {num(values[i])}."
    loss = " This is the output: the loss L." if i == graph.output else ""
    said = formula(graph, node)
    return f"{head}{node.id} = {said}{_what(node, said)} = {formula(graph, node, values)} = {num(values[i])}.{loss}"


def local_words(graph: Graph, c: int, p: int, values: Sequence[float], d: float) -> str:
    """The local derivative ∂c/∂(input p) in words, with the numbers."""
    node = graph.nodes[c]
    ins = [graph.nodes[j].id for j in node.inputs]
    a = values[node.inputs[0]]
    out = values[c]
    op = node.op
    if op == "mul":
        return f"the other input {ins[1 - p]} = {num(d)}"
    if op == "div":
        return f"1 ÷ {ins[1]} = {num(d)}" if p == 0 else f"−{ins[0]} ÷ {ins[1]}² = {num(d)}"
    if op == "pow":
        power = "" if node.number == 2 else f"^{node.number - 1:g}"
        return f"{node.number:g} × {ins[0]}{power} = {node.number:g} × {n(a)}{power} = {num(d)}"
    if op == "exp":
        return f"exp({ins[0]}) itself = {num(d)}"
    if op == "log":
        return f"1 ÷ {ins[0]} = 1 ÷ {n(a)} = {num(d)}"
    if op == "tanh":
        return f"1 − tanh² = 1 − {n(out)}² = {num(d)}"
    if op == "sigmoid":
        return f"σ·(1 − σ) = {num(out)} × {n(1 - out)} = {num(d)}"
    if op == "relu":
        return f"1, as {ins[0]} = {num(a)} > 0" if d else f"0, as {ins[0]} = {num(a)} ≤ 0 (no gradient flows)"
    return num(d)  # add, sub, neg: ±1


def backward(
    graph: Graph,
    i: int,
    values: Sequence[float],
    terms: Sequence[tuple[int, int, float, float]],
    grad: float,
    step: int,
) -> str:
    """Backward pass, node ``i``: local derivative × upstream gradient (summed over its uses) = its gradient."""
    node = graph.nodes[i]
    head = f"Step {step}, backward pass: "
    if i == graph.output:
        return f"{head}it starts at the loss {node.id} = L, with ∂L/∂L = 1."
    tail = " The update will use it." if node.role == "parameter" else ""
    if not terms:
        return f"{head}{node.id} is used by no node, so ∂L/∂{node.id} = 0.{tail}"
    ids = [graph.nodes[c].id for c, _, _, _ in terms]
    if len(terms) == 1:
        c, p, d, up = terms[0]
        cn = graph.nodes[c]
        return (
            f"{head}{node.id} feeds {ids[0]} = {formula(graph, cn)}, whose local derivative ∂{ids[0]}/∂{node.id} is "
            f"{local_words(graph, c, p, values, d)}; times the upstream gradient ∂L/∂{ids[0]} = {num(up)} that gives "
            f"∂L/∂{node.id} = {n(d)} × {n(up)} = {num(grad)}.{tail}"
        )
    parts = " + ".join(f"{n(d)} × {n(up)}" for _, _, d, up in terms)
    uses = ", ".join(dict.fromkeys(ids))
    return (
        f"{head}{node.id} is used {len(terms)} times ({uses}), so the gradients of its paths add up: ∂L/∂{node.id} "
        f"= Σ local derivative × upstream = {parts} = {num(grad)}.{tail}"
    )


def _updates(old: Mapping[str, float], new: Mapping[str, float], grads: Mapping[str, float], lr: float) -> str:
    names = list(new)
    shown = [f"{k} ← {n(old[k])} − {num(lr)} × {n(grads[k])} = {num(new[k])}" for k in names[:MAX_LISTED]]
    rest = len(names) - len(shown)
    more = f", and {plural(rest, 'other parameter')} the same way" if rest else ""
    return "; ".join(shown) + more


def update(step: int, old: Mapping[str, float], new: Mapping[str, float], grads: Mapping[str, float], lr: float) -> str:
    """The update: every parameter moves against its gradient, w ← w − η·∂L/∂w, with the numbers."""
    return (
        f"Step {step}, update: each parameter takes a step against its gradient, w ← w − η·∂L/∂w with learning "
        f"rate η = {num(lr)}: {_updates(old, new, grads, lr)}."
    )


def step(
    k: int,
    steps: int,
    loss: float,
    before: float,
    moves: tuple[Mapping[str, float], Mapping[str, float], Mapping[str, float]],
    lr: float,
) -> str:
    """A later step in one frame: its loss, the change from the step before, its updates."""
    old, new, grads = moves
    trend = "lower" if loss < before else "higher" if loss > before else "the same"
    return (
        f"Step {k} of {steps} (forward, backward and update as in step 1, in one frame): the loss is {num(loss)}, "
        f"{trend} than {num(before)} a step before; {_updates(old, new, grads, lr)}."
    )


def done(steps: int, first: float, last: float, parameters: Mapping[str, float], lr: float) -> str:
    """The loss after the last update."""
    listed = ", ".join(f"{k} = {num(v)}" for k, v in list(parameters.items())[:MAX_LISTED])
    moved = (
        f"fell from {num(first)} to" if last < first else f"rose from {num(first)} to" if last > first else "stayed at"
    )
    still = " (the updates did not change it)" if last == first else ""
    return (
        f"After {plural(steps, 'update')} with learning rate {num(lr)} the loss {moved} {num(last)}{still} (the "
        f"forward pass at the new numbers): {listed}."
    )


def stopped(k: int, message: str, where: str) -> str:
    """The run cannot go on: a value or a gradient is not a finite number."""
    return (
        f"Step {k}, {where}: {message}, so the run stops here. The updates moved the numbers to where this "
        "expression has no finite value: try a smaller learning rate or other starting numbers."
    )
