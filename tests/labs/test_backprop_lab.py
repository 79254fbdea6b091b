"""The backpropagation lab end to end (``app.labs.backprop``): every preset runs and validates against its
models, the default run's claims hold (the loss falls, every node gets one forward and one backward frame, the
frames stay bounded), bad input is a 422 naming the field in words (an expression that does not parse, an unknown
function, a name with no value, 10⁶ steps, numbers that are not numbers or name nothing, numbers with no finite
loss at the start), and an update that leads where the expression has no value ends in a ``stopped`` frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import backprop_graph
from app.labs.backprop import BACKPROP
from app.schemas import backprop as schema
from app.schemas.frames.backprop import BackpropFrame, BackpropResult
from tests.labs.lab_run import first_error

URL = "/api/v1/algorithms/backprop/runs"


def _run(raw: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    params = schema.BackpropParams.model_validate(raw)
    return drain(BACKPROP.engine(BACKPROP.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(0)))


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


@pytest.mark.parametrize("graph", list(schema.PRESETS))
def test_every_preset_runs_and_matches_the_models(graph: str) -> None:
    frames, result = _run({"graph": graph, "steps": 3})
    n = len(BACKPROP.prepare(schema.BackpropParams(graph=graph), DEFAULT_LIMITS).ids)  # type: ignore[call-arg]
    assert [f.kind for f in frames] == ["forward"] * n + ["backward"] * n + ["update", "step", "step", "done"]
    for i, f in enumerate(frames):
        BackpropFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    BackpropResult.model_validate(result)
    assert len(result["losses"]) == 4 and result["updates"] == 3


def test_the_default_run_teaches_what_it_claims() -> None:
    """Defaults: the line's squared error; every node once forward, once backward (output first), the loss falls."""
    frames, result = _run({})
    ids = BACKPROP.prepare(schema.BackpropParams(), DEFAULT_LIMITS).ids
    forward = [f.state["node"] for f in frames if f.kind == "forward"]
    backward = [f.state["node"] for f in frames if f.kind == "backward"]
    assert forward == list(ids) and backward == list(reversed(ids))
    assert result["losses"][-1] < 1e-3 * result["losses"][0]  # (w·x + b − y)² on one example: fitted
    assert len(frames) == 2 * len(ids) + 1 + (10 - 1) + 1
    first = frames[0]
    assert first.state["values"] == {"w": 0.5} and first.state["grads"] == {}
    last_backward = [f for f in frames if f.kind == "backward"][-1]
    assert "∂L/∂w = 1.5 × (-2.3) = -3.45" in last_backward.caption  # local derivative x × upstream, the numbers
    update = next(f for f in frames if f.kind == "update")
    assert "w ← 0.5 − 0.1 × (-3.45) = 0.845" in update.caption
    assert update.state["parameters"] == pytest.approx({"w": 0.845, "b": 0.33})


def test_a_node_used_twice_says_its_paths_add_up() -> None:
    frames, _ = _run({"graph": "custom", "expression": "w*x + w", "numbers": "w=2, x=3", "steps": 1})
    w = next(f for f in frames if f.kind == "backward" and f.state["node"] == "w")
    assert "used 2 times" in w.caption and "add up" in w.caption and w.state["grads"]["w"] == pytest.approx(4.0)


def test_an_update_into_a_log_of_a_negative_number_ends_in_a_stopped_frame() -> None:
    frames, result = _run({"graph": "custom", "expression": "log(w)", "numbers": "w=0.5", "lr": 1, "steps": 5})
    last = frames[-1]
    assert last.kind == "stopped" and "log needs a positive number" in last.caption and "-1.5" in last.caption
    assert result["stopped"] and result["updates"] == 1 and result["parameters"] == {"w": -1.5}
    BackpropResult.model_validate(result)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"graph": "custom", "expression": "(w*x + b))"}, "expression", "unmatched ')' at character 10"),
        ({"graph": "custom", "expression": "sin(w*x)"}, "expression", "unknown function 'sin'"),
        ({"graph": "custom", "expression": "q*w + b"}, "expression", "name 'q' has no value"),
        ({"graph": "custom", "expression": "w ** b"}, "expression", "must be a number"),
        ({"graph": "custom", "expression": "x" * 201}, "expression", "at most 200 characters"),
        ({"steps": 1_000_000}, "steps", "less than or equal to 50"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"numbers": "w=abc"}, "numbers", "'abc' (the number of w) is not a number"),
        ({"numbers": "q=1"}, "numbers", "'q' is not a name in the expression (its names: w, x, b, y)"),
        ({"numbers": "w 1"}, "numbers", "should read name=number"),
        ({"trainable": "q"}, "trainable", "'q' is not a name in the expression"),
        ({"trainable": "w", "graph": "custom", "expression": "exp(z) * w"}, "expression", "name 'z' has no value"),
        ({"graph": "custom", "expression": "exp(x)", "numbers": "x=1"}, "trainable", "no name of the expression"),
        ({"graph": "custom", "expression": "log(x - 2) * w", "numbers": "x=1"}, "numbers", "log needs a positive"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, words: str
) -> None:
    error = _error(client, params)
    assert error["loc"] == ["body", "params", field], error
    assert words in error["msg"], error["msg"]


def test_limits_stay_in_step() -> None:
    assert schema.MAX_EXPRESSION_CHARS == backprop_graph.MAX_EXPRESSION_CHARS
    bound = schema.BackpropParams.model_json_schema()["properties"]["steps"]["maximum"]
    assert bound == schema.MAX_STEPS == 50
