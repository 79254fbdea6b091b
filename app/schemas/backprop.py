"""Params of the backpropagation lab (issue 17): a preset graph or your own expression, its numbers, which names
train, the learning rate and the number of steps.

The rules the params alone decide live here (steps 1–50, a positive finite learning rate at most 10, the lengths
of the text fields); what needs the parsed expression (a formula that does not parse, an unknown function, a name
with no number, a name given a number that the expression does not use, more than 60 nodes, numbers that already
have no finite loss) is the lab's ``prepare`` (``app.labs.backprop``), a 422 at ``expression``, ``numbers`` or
``trainable`` naming what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form

MAX_STEPS = 50
MAX_EXPRESSION_CHARS = 200  # kept equal to app.engines.backprop_graph.MAX_EXPRESSION_CHARS by a test
MAX_NUMBERS_CHARS = 400


@dataclass(frozen=True)
class Preset:
    expression: str
    numbers: dict[str, float]


PRESETS: dict[str, Preset] = {
    "line": Preset("(w*x + b - y)**2", {"w": 0.5, "b": 0.1, "x": 1.5, "y": 2.0}),
    "neuron-mse": Preset("(sigmoid(w*x + b) - y)**2", {"w": 0.5, "b": 0.1, "x": 1.5, "y": 1.0}),
    "neuron-ce": Preset(
        "-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))", {"w": 0.5, "b": 0.1, "x": 1.5, "y": 1.0}
    ),
    "net-221": Preset(
        "(sigmoid(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c) - y)**2",
        {
            "w11": 0.5,
            "w12": -0.3,
            "w21": 0.2,
            "w22": 0.8,
            "b1": 0.1,
            "b2": -0.1,
            "v1": 0.7,
            "v2": -0.4,
            "c": 0.05,
            "x1": 1.0,
            "x2": -0.5,
            "y": 1.0,
        },
    ),
    "custom": Preset("(tanh(w*x + b) - y)**2", {"w": 0.5, "b": 0.1, "x": 1.5, "y": 1.0}),
}
"""Each graph's expression and its default numbers (a custom expression's names w, b, x, y default to these)."""

GRAPH_LABELS = {
    "line": "Squared error of a line: (w·x + b − y)²",
    "neuron-mse": "Sigmoid neuron, squared error",
    "neuron-ce": "Sigmoid neuron, cross-entropy",
    "net-221": "2-2-1 network on one example",
    "custom": "My own expression",
}


class BackpropParams(BaseModel):
    """A scalar expression as a graph: its forward and backward passes node by node, then gradient steps."""

    model_config = form(
        "Backpropagation params",
        {
            "model": ("graph", "expression", "numbers", "trainable"),
            "training": ("lr", "steps"),
        },
        visible_when={"expression": {"graph": ["custom"]}},
    )

    graph: Literal["line", "neuron-mse", "neuron-ce", "net-221", "custom"] = fields.choice(
        "line",
        "Graph",
        "The expression drawn as a graph: a preset, or your own (the next field).",
        dict(GRAPH_LABELS),
    )
    expression: str = Field(
        PRESETS["custom"].expression,
        max_length=MAX_EXPRESSION_CHARS,
        title="Expression",
        description="Your loss as a formula: numbers, names, + - * / ** (a number as the power), unary minus, and "
        "exp, log, tanh, sigmoid, relu.",
    )
    numbers: str = Field(
        "",
        max_length=MAX_NUMBERS_CHARS,
        title="Numbers",
        description="Starting values by name, like w=0.5, x=1.5; names left out keep the graph's defaults "
        "(w=0.5, b=0.1, x=1.5, y=1 for your own expression).",
    )
    trainable: str = Field(
        "",
        max_length=MAX_NUMBERS_CHARS,
        title="Trained parameters",
        description="Names the updates change, like w, b; empty: every name not starting with x or y (those are "
        "the example's input and target).",
    )
    lr: FiniteFloat = Field(
        0.1,
        gt=0.0,
        le=10.0,
        title="Learning rate (η)",
        description="How far each update moves a parameter against its gradient: w ← w − η·∂L/∂w.",
        json_schema_extra={"x-log": True, "x-step": 0.01, "x-max": 2.0},
    )
    steps: int = fields.slider(
        10,
        "Steps",
        f"Rounds of forward pass, backward pass and update (1–{MAX_STEPS}); the first is drawn node by node.",
        1,
        ge=1,
        le=MAX_STEPS,
    )
