"""The backpropagation view: the graph drawn from the lab's layout, a frame's node texts and colours, the ring on
the current node, the edges it highlights (into the node forward, out of it backward), the loss line, and the
inspect-node declaration carrying every node."""

from __future__ import annotations

from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.backprop import BACKPROP
from app.schemas.backprop import BackpropParams
from app.views import backprop as view


def _run(raw: dict[str, Any]) -> tuple[Any, Any, list[Any]]:
    params = BackpropParams.model_validate(raw)
    inputs = BACKPROP.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(BACKPROP.engine(inputs, params, np.random.default_rng(0)))
    return inputs, params, frames


def test_scene_declares_every_node_for_the_inspector_and_keys_the_marks() -> None:
    inputs, params, _ = _run({"graph": "net-221", "steps": 2})
    scene = BACKPROP.view.scene(inputs, params)
    (declaration,) = scene["x-interactions"]
    assert declaration["kind"] == "inspect-node"
    assert [n["id"] for n in declaration["nodes"]] == list(inputs.ids)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in declaration["nodes"])
    names = {t.get("name") for t in scene["data"] if t.get("showlegend")}
    assert {"parameter (trained)", "input or constant", "operation", "current node", "loss L"} <= names
    assert scene["x-timeline"] == {"key": "updates", "title": "updates made"}
    assert set(scene["x-phases"]) == {"forward", "backward", "update", "step", "done", "stopped"}
    size, font, _ = view.sizing(inputs)
    assert view.MIN_NODE_PX <= size <= view.MAX_NODE_PX and font >= 9


def test_frames_patch_texts_ring_edges_and_loss() -> None:
    inputs, params, frames = _run({})
    n = len(inputs.ids)
    forward = frames[4]  # n2 = n1 + b
    fig = BACKPROP.view.render(forward, inputs, params)
    nodes = fig["data"][view.T_NODES]
    assert len(nodes["text"]) == n and nodes["marker"]["color"][4] == view.CURRENT
    assert nodes["marker"]["color"][5] == view.PENDING  # y: not computed yet
    assert fig["data"][view.T_CURRENT]["x"] == [inputs.x[4]]
    assert len(fig["data"][view.T_ACTIVE]["x"]) == 3 * 2  # two edges into a sum
    backward = frames[n]  # the loss node first
    fig = BACKPROP.view.render(backward, inputs, params)
    assert fig["data"][view.T_ACTIVE]["x"] == []  # the output feeds nothing
    assert "∂ 1" in fig["data"][view.T_NODES]["text"][-1]
    update = frames[2 * n]
    fig = BACKPROP.view.render(update, inputs, params)
    assert "→0.845" in fig["data"][view.T_NODES]["text"][0]
    done = frames[-1]
    fig = BACKPROP.view.render(done, inputs, params)
    assert fig["data"][view.T_LOSS]["x"] == list(range(11))
    assert fig["data"][view.T_LOSS_NOW]["x"] == [10]
