"""The backpropagation lab's hand-written graph against torch.autograd in float64 (issue 17).

Oracles: every node's gradient equals ``torch.autograd``'s (the same graph built of torch ops, ``retain_grad`` on
every node) to 1e-12 (|ours − torch| ≤ 1e-12 · max(1, |torch|)), for every node type on random inputs and on
random expressions; the loss and the names' gradients equal those of the expression evaluated by torch directly
(so the parser builds the formula it was given); a run's parameters after S updates equal ``torch.optim.SGD``'s.
Plus the parser's refusals, a node used twice, and the layout.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch

from app.core.frame import drain
from app.engines import backprop_graph as bg
from app.engines.backprop_run import Plan, run

TOL = 1e-12
TORCH_OPS: dict[str, Any] = {
    "add": torch.add,
    "sub": torch.sub,
    "mul": torch.mul,
    "div": torch.div,
    "neg": torch.neg,
    "exp": torch.exp,
    "log": torch.log,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
}
NAMESPACE = {
    name: (lambda f: lambda t: f(torch.as_tensor(t, dtype=torch.float64)))(getattr(torch, name))
    for name in ("exp", "log", "tanh", "sigmoid", "relu")
}


def close(ours: float, theirs: float) -> bool:
    return abs(ours - theirs) <= TOL * max(1.0, abs(theirs))


def torch_node_grads(graph: bg.Graph, leaves: dict[str, float]) -> tuple[list[float], list[float]]:
    """Every node's value and ∂L/∂node by torch.autograd, on the same graph built of torch float64 ops."""
    ts: list[torch.Tensor] = []
    for node in graph.nodes:
        if node.op in ("name", "const"):
            number = leaves[node.id] if node.op == "name" else node.number
            t = torch.tensor(number, dtype=torch.float64, requires_grad=True)
        else:
            args = [ts[j] for j in node.inputs]
            t = torch.pow(args[0], node.number) if node.op == "pow" else TORCH_OPS[node.op](*args)
            t.retain_grad()
        ts.append(t)
    torch.autograd.backward(ts[-1])
    return [float(t.detach()) for t in ts], [float(t.grad) if t.grad is not None else 0.0 for t in ts]


def torch_direct(expression: str, leaves: dict[str, float]) -> tuple[float, dict[str, float]]:
    """The loss and every name's gradient with the expression evaluated by torch itself (test code: our strings)."""
    tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in leaves.items()}
    loss = eval(expression, {"__builtins__": {}}, {**NAMESPACE, **tensors})
    torch.autograd.backward(loss)
    return float(loss.detach()), {k: float(t.grad) if t.grad is not None else 0.0 for k, t in tensors.items()}


def check(expression: str, leaves: dict[str, float]) -> bg.Graph:
    graph = bg.parse(expression)
    leaves = {k: v for k, v in leaves.items() if k in graph.names}
    values, problem = bg.evaluate(graph, leaves)
    assert problem is None, problem
    grads, problem = bg.backward(graph, values)
    assert problem is None, problem
    t_values, t_grads = torch_node_grads(graph, leaves)
    for node, v, tv, g, tg in zip(graph.nodes, values, t_values, grads, t_grads, strict=True):
        assert close(v, tv), (expression, node.id, v, tv)
        assert close(g, tg), (expression, node.id, node.op, g, tg)
    loss, named = torch_direct(expression, leaves)
    assert close(values[-1], loss), (expression, values[-1], loss)
    index = graph.index()
    for name, tg in named.items():
        assert close(grads[index[name]], tg), (expression, name, grads[index[name]], tg)
    return graph


NODE_TYPES = {
    "add": "a + b",
    "sub": "a - b",
    "mul": "a * b",
    "div": "a / b",
    "pow": "a ** 3",
    "pow-fraction": "exp(a) ** 0.5",
    "pow-negative": "b ** -2",
    "neg": "-(a * b)",
    "exp": "exp(a)",
    "log": "log(exp(a) + b * b)",
    "tanh": "tanh(a)",
    "sigmoid": "sigmoid(a)",
    "relu": "relu(a) + relu(-b)",
}


@pytest.mark.parametrize("op", list(NODE_TYPES))
def test_every_node_type_matches_torch_autograd_on_random_inputs(op: str) -> None:
    rng = np.random.default_rng(len(op))
    for _ in range(25):
        a, b = (float(v) for v in rng.uniform(-3, 3, 2))
        if abs(b) < 0.1:
            b = 0.5
        graph = check(NODE_TYPES[op], {"a": a, "b": b})
    kinds = {n.op for n in graph.nodes}
    assert op.split("-")[0] in kinds


def _random_expression(rng: np.random.Generator, depth: int) -> str:
    """A random formula over a, b, c with every node type; log and fractional powers only of positive values."""
    if depth == 0 or rng.random() < 0.2:
        return str(rng.choice(["a", "b", "c", "a", "b", "1.5", "2"]))
    kind = rng.integers(0, 11)
    x = _random_expression(rng, depth - 1)
    if kind <= 3:
        y = _random_expression(rng, depth - 1)
        return f"({x} {'+-*'[kind % 3]} {y})"
    if kind == 4:
        return f"({x}) / (1 + exp({_random_expression(rng, depth - 1)}))"
    if kind == 5:
        return f"({x}) ** {int(rng.integers(2, 4))}"
    if kind == 6:
        return f"log(1 + exp({x}))"
    if kind == 7:
        return f"sigmoid({x}) ** 0.5"
    return f"{['tanh', 'sigmoid', 'relu'][kind - 8]}({x})"


def test_random_graphs_match_torch_autograd_node_by_node() -> None:
    rng = np.random.default_rng(17)
    checked = 0
    for _ in range(60):
        expression = _random_expression(rng, 4)
        leaves = {k: float(v) for k, v in zip("abc", rng.uniform(-1.5, 1.5, 3), strict=True)}
        try:
            graph = bg.parse(expression)
        except bg.ExpressionError as err:
            assert "more than" in str(err)  # only the node limit may refuse these
            continue
        if not graph.names or not any(n.inputs for n in graph.nodes):
            continue  # a bare number or name: nothing to differentiate through
        check(expression, leaves)
        checked += 1
    assert checked >= 40


def test_a_node_used_twice_accumulates_both_paths() -> None:
    graph = check("x*x + x", {"x": 1.5})  # ∂/∂x = 2x + 1
    values, _ = bg.evaluate(graph, {"x": 1.5})
    grads, _ = bg.backward(graph, values)
    assert grads[graph.index()["x"]] == pytest.approx(4.0)
    assert len(graph.consumers[graph.index()["x"]]) == 3  # both inputs of the product, and the sum


def test_the_same_sub_expression_is_one_node() -> None:
    graph = bg.parse("-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))")
    assert sum(n.op == "sigmoid" for n in graph.nodes) == 1
    check("-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))", {"w": 0.5, "b": 0.1, "x": 1.5, "y": 1.0})


def test_relu_at_zero_passes_no_gradient_as_torch() -> None:
    check("relu(a - b) * 3", {"a": 1.0, "b": 1.0})


def test_sgd_steps_equal_torch_optim_sgd() -> None:
    expression = "(sigmoid(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c) - y)**2"
    graph = bg.parse(expression)
    rng = np.random.default_rng(3)
    start = {name: float(v) for name, v in zip(graph.names, rng.uniform(-1, 1, len(graph.names)), strict=True)}
    frames, result = drain(run(Plan(graph, start, lr=0.5, steps=12)))
    tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in start.items()}
    params = [tensors[p] for p in graph.parameters]
    optimizer = torch.optim.SGD(params, lr=0.5)
    losses = []
    for _ in range(12):
        optimizer.zero_grad()
        loss = eval(expression, {"__builtins__": {}}, {**NAMESPACE, **tensors})
        torch.autograd.backward(loss)
        losses.append(float(loss.detach()))
        optimizer.step()
    assert all(close(a, b) for a, b in zip(result["losses"][:12], losses, strict=True))
    for name, tensor in zip(graph.parameters, params, strict=True):
        assert close(result["parameters"][name], float(tensor.detach())), name
    assert result["updates"] == 12 and not result["stopped"]
    assert [f.kind for f in frames].count("forward") == len(graph.nodes)


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("(w*x + b))", "unmatched ')' at character 10"),
        ("sin(x)", "unknown function 'sin' at character 1; allowed: exp, log, tanh, sigmoid, relu"),
        ("x ** y", "must be a number"),
        ("x // 2", "is not allowed"),
        ("exp", "is a function"),
        ("x.y + 1", "is not allowed"),
        ("w +", "cannot be read"),
        ("", "empty"),
        ("n3 * 2", "kept for the graph's own nodes"),
        ("tanh(x, y)", "exactly one argument"),
        ("1e400 * x", "larger in size"),
        ("+".join(f"a{i}" for i in range(40)), "more than 60 nodes"),
    ],
)
def test_bad_expressions_say_where_and_why(expression: str, words: str) -> None:
    with pytest.raises(bg.ExpressionError, match=None) as err:
        bg.parse(expression)
    assert words in str(err.value)


def test_domain_problems_are_words_not_nan() -> None:
    graph = bg.parse("log(x - 2)")
    _, problem = bg.evaluate(graph, {"x": 1.5})
    assert problem is not None and "log needs a positive number" in problem.message and "-0.5" in problem.message
    _, problem = bg.evaluate(bg.parse("(x - 2) ** 0.5"), {"x": 1.5})
    assert problem is not None and "not a real number" in problem.message
    _, problem = bg.evaluate(bg.parse("exp(x)"), {"x": 1000.0})
    assert problem is not None and "overflows" in problem.message
    _, problem = bg.evaluate(bg.parse("w / x"), {"w": 1.0, "x": 0.0})
    assert problem is not None and "divides by" in problem.message


def test_layout_runs_left_to_right_without_overlaps() -> None:
    graph = bg.parse("(sigmoid(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c) - y)**2")
    x, y = bg.layout(graph)
    for i, node in enumerate(graph.nodes):
        for j in node.inputs:
            assert x[j] < x[i]
    spots = {(a, round(b, 6)) for a, b in zip(x, y, strict=True)}
    assert len(spots) == len(graph.nodes)
    assert all(math.isfinite(v) for v in x + y)
