"""A scalar computational graph for the backpropagation lab (issue 17): parse, evaluate, differentiate, lay out.

Hand-written on purpose (DESIGN §2: the library hides the steps): ``torch.autograd`` computes every gradient at
once, while the lab shows each node's value and each node's gradient one at a time. ``tests/engines/
test_backprop_graph.py`` checks every node type and random graphs against ``torch.autograd`` in float64.

* ``parse(expression, trainable)`` reads a formula with Python's ``ast`` restricted to numbers, names,
  ``+ - * / **``, unary minus and calls of ``FUNCTIONS`` (never ``eval``): the result is a ``Graph`` whose nodes
  are in topological order (every node after its inputs), the output last. The same sub-expression written twice
  is one node (its gradient then sums over its uses); a name is one node however often it is used.
* ``apply`` / ``local`` are one node's forward value and its local derivative with respect to input ``p``, in
  plain Python float64 (the ``math`` module), with a ``Problem`` instead of NaN or infinity.
* ``layout(graph)`` places nodes left → right by depth (a leaf one column before its first consumer), each
  column ordered by where its consumers sit (the barycentre heuristic of layered graph drawing).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")
"""The functions an expression may call (one argument each)."""
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}
OPS = ("add", "sub", "mul", "div", "pow", "neg", *FUNCTIONS)
"""Every operation node type."""
MAX_NODES = 60
"""Most nodes (names, constants and operations) one graph may have: a module constant (a 422 at ``expression``)."""
MAX_EXPRESSION_CHARS = 200
"""The longest expression (the params schema's ``max_length``)."""
MAX_ABS_NUMBER = 1e6
"""The largest size of a number written in an expression or given to a name."""
SYMBOL = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "neg": "−x"}


class ExpressionError(ValueError):
    """An expression that cannot become a graph; the message says where, in words."""


@dataclass(frozen=True)
class Node:
    """One node: a name (``role`` parameter or input), a constant, or an operation on earlier nodes."""

    id: str  # a name's own name; "n1", "n2", ... for constants and operations, in topological order
    op: str  # "name", "const", or one of OPS
    role: str  # "parameter" | "input" | "constant" | "operation"
    inputs: tuple[int, ...] = ()  # indices of earlier nodes
    number: float = 0.0  # a constant's value, or pow's exponent
    text: str = ""  # the sub-expression this node computes, as written (normalised spacing)

    @property
    def label(self) -> str:
        """What the node's box says: its name, its number, or its operation."""
        if self.op == "name":
            return self.id
        if self.op == "const":
            return f"{self.number:g}"
        if self.op == "pow":
            return f"**{self.number:g}"
        return SYMBOL.get(self.op, self.op)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]  # topological order, output last
    consumers: tuple[tuple[tuple[int, int], ...], ...]  # per node: (consumer index, input position) in order

    @property
    def output(self) -> int:
        return len(self.nodes) - 1

    def index(self) -> dict[str, int]:
        return {node.id: i for i, node in enumerate(self.nodes)}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes if n.op == "name")

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes if n.role == "parameter")


def _where(node: ast.AST) -> str:
    return f"at character {getattr(node, 'col_offset', 0) + 1}"


def default_trainable(name: str) -> bool:
    """The convention when no parameters are named: names starting with x or y are the example, the rest train."""
    return not name.startswith(("x", "y"))


def _syntax(expression: str) -> ast.Expression:
    if not expression.strip():
        raise ExpressionError("the expression is empty: write a formula such as (w*x + b - y)**2")
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"the expression has {len(expression)} characters, more than {MAX_EXPRESSION_CHARS}")
    try:
        return ast.parse(expression.strip(), mode="eval")
    except SyntaxError as err:
        at = f" at character {err.offset}" if err.offset else " at its end (something is missing)"
        what = (err.msg or "invalid syntax").replace("invalid syntax", "the formula cannot be read")
        raise ExpressionError(f"{what}{at}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("the expression cannot be read (too deeply nested?)") from None


class _Builder:
    def __init__(self, trainable: frozenset[str] | None) -> None:
        self.trainable = trainable
        self.nodes: list[Node] = []
        self.keys: dict[tuple[object, ...], int] = {}
        self.ops = 0

    def add(self, key: tuple[object, ...], make: tuple[str, str, tuple[int, ...], float, str], at: ast.AST) -> int:
        if key in self.keys:
            return self.keys[key]
        if len(self.nodes) >= MAX_NODES:
            raise ExpressionError(f"the graph would have more than {MAX_NODES} nodes ({_where(at)}): shorten it")
        op, role, inputs, number, text = make
        node_id = text if op == "name" else f"n{len(self.nodes) + 1 - sum(n.op == 'name' for n in self.nodes)}"
        self.nodes.append(Node(node_id, op, role, inputs, number, text))
        self.keys[key] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def number(self, node: ast.AST) -> float | None:
        """The value of a literal number (a unary minus or plus on one included), else None."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.number(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ExpressionError(f"{value!r} {_where(node)} is not a number")
            number = float(value)
            if not math.isfinite(number) or abs(number) > MAX_ABS_NUMBER:
                raise ExpressionError(f"the number {_where(node)} is larger in size than {MAX_ABS_NUMBER:g}")
            return number
        return None

    def build(self, node: ast.AST) -> int:
        text = ast.unparse(node)
        literal = self.number(node)
        if literal is not None:
            return self.add(("const", literal), ("const", "constant", (), literal, f"{literal:g}"), node)
        if isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                raise ExpressionError(f"{node.id} {_where(node)} is a function: call it, as in {node.id}(x)")
            if node.id[0] == "n" and node.id[1:].isdigit():
                raise ExpressionError(f"the name {node.id} {_where(node)} is kept for the graph's own nodes: rename it")
            trained = default_trainable(node.id) if self.trainable is None else node.id in self.trainable
            role = "parameter" if trained else "input"
            return self.add(("name", node.id), ("name", role, (), 0.0, node.id), node)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                exponent = self.number(node.right)
                if exponent is None:
                    power = ast.unparse(node.right)
                    raise ExpressionError(
                        f"the power {_where(node.right)} must be a number (as in x**2 or x**0.5), not {power}"
                    )
                base = self.build(node.left)
                return self.add(("pow", base, exponent), ("pow", "operation", (base,), exponent, text), node)
            kind = BINARY.get(type(node.op))
            if kind is None:
                raise ExpressionError(f"the operator in '{text}' {_where(node)} is not allowed: use + - * / and **")
            a, b = self.build(node.left), self.build(node.right)
            return self.add((kind, a, b), (kind, "operation", (a, b), 0.0, text), node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand)
            if isinstance(node.op, ast.USub):
                a = self.build(node.operand)
                return self.add(("neg", a), ("neg", "operation", (a,), 0.0, text), node)
            raise ExpressionError(f"the operator in '{text}' {_where(node)} is not allowed: use + - * / and **")
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            if name not in FUNCTIONS:
                raise ExpressionError(f"unknown function '{name}' {_where(node)}; allowed: {', '.join(FUNCTIONS)}")
            if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                raise ExpressionError(f"{name} {_where(node)} takes exactly one argument, as in {name}(x)")
            a = self.build(node.args[0])
            return self.add((name, a), (name, "operation", (a,), 0.0, text), node)
        raise ExpressionError(
            f"'{text}' {_where(node)} is not allowed: use numbers, names, + - * / ** and calls of "
            f"{', '.join(FUNCTIONS)}"
        )


def parse(expression: str, trainable: Sequence[str] | None = None) -> Graph:
    """The graph of ``expression``; ``trainable`` names its parameters (None: names not starting with x or y)."""
    tree = _syntax(expression)
    builder = _Builder(None if trainable is None else frozenset(trainable))
    try:
        builder.build(tree.body)
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply") from None
    nodes = tuple(builder.nodes)
    used: list[list[tuple[int, int]]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for p, j in enumerate(node.inputs):
            used[j].append((i, p))
    return Graph(nodes, tuple(tuple(u) for u in used))


@dataclass(frozen=True)
class Problem:
    """Why a node has no finite value (or gradient): said in words for a caption or a 422."""

    node: int
    message: str


def _sigmoid(a: float) -> float:
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def apply(node: Node, args: Sequence[float]) -> float:
    """One operation's value from its inputs' values (may raise ValueError / OverflowError / ZeroDivisionError,
    or return a non-finite float: ``evaluate`` turns both into a ``Problem``)."""
    op = node.op
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "pow":
        return math.pow(args[0], node.number)
    if op == "neg":
        return -args[0]
    if op == "exp":
        return math.exp(args[0])
    if op == "log":
        return math.log(args[0])
    if op == "tanh":
        return math.tanh(args[0])
    if op == "sigmoid":
        return _sigmoid(args[0])
    if op == "relu":
        return args[0] if args[0] > 0 else 0.0
    raise ValueError(f"not an operation: {op}")


def local(node: Node, p: int, args: Sequence[float], out: float) -> float:
    """∂node/∂(input p) at these values (``out`` is the node's own value)."""
    op = node.op
    if op == "add":
        return 1.0
    if op == "sub":
        return 1.0 if p == 0 else -1.0
    if op == "mul":
        return args[1 - p]
    if op == "div":
        return 1.0 / args[1] if p == 0 else -args[0] / (args[1] * args[1])
    if op == "pow":
        return node.number * math.pow(args[0], node.number - 1.0)
    if op == "neg":
        return -1.0
    if op == "exp":
        return out
    if op == "log":
        return 1.0 / args[0]
    if op == "tanh":
        return 1.0 - out * out
    if op == "sigmoid":
        return out * (1.0 - out)
    if op == "relu":
        return 1.0 if args[0] > 0 else 0.0
    raise ValueError(f"not an operation: {op}")


def _domain(node: Node, args: Sequence[float], ref: str) -> str:
    """Why ``apply`` failed for these inputs, in words."""
    a = args[0] if args else 0.0
    if node.op == "log":
        return f"log needs a positive number, but its input {ref} = {_short(a)}"
    if node.op == "div":
        return f"{node.text} divides by {ref} = 0"
    if node.op == "pow" and a < 0 and not float(node.number).is_integer():
        return f"a negative number ({ref} = {_short(a)}) to the power {node.number:g} is not a real number"
    if node.op == "pow" and a == 0 and node.number < 0:
        return f"0 to the power {node.number:g} is infinite ({ref} = 0)"
    return f"{node.text} = {node.label} of {_short(a)} is too large for a float (it overflows)"


def _short(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else ("infinity" if value > 0 else "minus infinity")


def evaluate(graph: Graph, leaves: Mapping[str, float]) -> tuple[list[float], Problem | None]:
    """Every node's value in order (a prefix when a node fails, and the ``Problem``)."""
    values: list[float] = []
    for i, node in enumerate(graph.nodes):
        if node.op == "name":
            values.append(float(leaves[node.id]))
            continue
        if node.op == "const":
            values.append(node.number)
            continue
        args = [values[j] for j in node.inputs]
        ref = _ref(graph, node.inputs[-1] if node.op == "div" else node.inputs[0])
        try:
            value = apply(node, args)
        except (ValueError, OverflowError, ZeroDivisionError):
            return values, Problem(i, _domain(node, args, ref))
        if not math.isfinite(value):
            return values, Problem(i, f"{node.text} = {_short(value)} is too large for a float (it overflows)")
        values.append(value)
    return values, None


def _ref(graph: Graph, j: int) -> str:
    return graph.nodes[j].id


def terms(graph: Graph, values: Sequence[float], grads: Sequence[float], i: int) -> list[tuple[int, int, float, float]]:
    """The chain-rule terms of node ``i``'s gradient: (consumer, position, local derivative, upstream gradient)."""
    out = []
    for c, p in graph.consumers[i]:
        node = graph.nodes[c]
        args = [values[j] for j in node.inputs]
        out.append((c, p, local(node, p, args, values[c]), grads[c]))
    return out


def gradient(graph: Graph, values: Sequence[float], grads: Sequence[float], i: int) -> tuple[float, Problem | None]:
    """∂L/∂node i = Σ over its uses of local derivative × upstream gradient (1 for the output itself); every
    consumer's gradient (``grads``) must already be known: reverse topological order guarantees it."""
    if i == graph.output:
        return 1.0, None
    total = 0.0
    try:
        for _, _, d, up in terms(graph, values, grads, i):
            total += d * up
    except (ValueError, OverflowError, ZeroDivisionError):
        return 0.0, Problem(i, f"the local derivative at {graph.nodes[i].id} is infinite (a power below 1 at 0)")
    if not math.isfinite(total):
        return 0.0, Problem(i, f"∂L/∂{graph.nodes[i].id} is too large for a float (it overflows)")
    return total, None


def backward(graph: Graph, values: Sequence[float]) -> tuple[list[float], Problem | None]:
    """Every node's gradient ∂L/∂node (node order), computed output first; zeros where a problem stopped it."""
    grads = [0.0] * len(graph.nodes)
    for i in reversed(range(len(graph.nodes))):
        g, problem = gradient(graph, values, grads, i)
        if problem is not None:
            return grads, problem
        grads[i] = g
    return grads, None


def depths(graph: Graph) -> list[int]:
    """Each node's column: an operation one after its deepest input; a leaf one before its first consumer."""
    depth = [0] * len(graph.nodes)
    for i, node in enumerate(graph.nodes):
        if node.inputs:
            depth[i] = 1 + max(depth[j] for j in node.inputs)
    for i, node in enumerate(graph.nodes):
        if not node.inputs and graph.consumers[i]:
            depth[i] = min(depth[c] for c, _ in graph.consumers[i]) - 1
    return depth


def layout(graph: Graph) -> tuple[list[float], list[float]]:
    """(x, y) of every node: x its column, y its row (first inputs above), columns centred on the output."""
    depth = depths(graph)
    y = [0.0] * len(graph.nodes)
    for column in sorted(set(depth), reverse=True):
        members = [i for i in range(len(graph.nodes)) if depth[i] == column]
        wanted: list[tuple[float, int]] = []
        for i in members:
            uses = graph.consumers[i]
            if not uses:
                wanted.append((0.0, i))
                continue
            spots = []
            for c, p in uses:
                k = len(graph.nodes[c].inputs)
                spots.append(y[c] + 0.5 * ((k - 1) / 2 - p))
            wanted.append((sum(spots) / len(spots), i))
        wanted.sort(key=lambda t: (-t[0], t[1]))
        placed: list[float] = []
        for want, _ in wanted:
            placed.append(min(want, placed[-1] - 1.0) if placed else want)
        shift = sum(w for w, _ in wanted) / len(wanted) - sum(placed) / len(placed)
        for (_, i), row in zip(wanted, placed, strict=True):
            y[i] = row + shift
    return [float(d) for d in depth], y
