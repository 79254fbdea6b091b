"""Interactions are declared by the labs, not special-cased by the page (issue 10, item 4).

A scene may carry ``"x-interactions": [{"kind": ..., <options>}]``; the player loads the plugin
``static/js/interactions/<kind>.js`` for each. Here: every declaration of every lab names a plugin that exists
(and is one: it exports ``create``), the params a declaration names exist in the lab's params schema, and the
page module itself names no lab and no kind (so a new lab with its own click touches no existing JS file).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app.catalog import Algorithm, all_algorithms
from app.encoding import to_jsonable
from app.runs import plan_run
from app.settings import Settings

ALGORITHMS = all_algorithms()
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"
PLUGINS = STATIC_JS / "interactions"
KIND = re.compile(r"^[a-z][a-z-]*$")  # the registry's own check (interactions/registry.js)


def _declarations(algorithm: Algorithm[Any, Any]) -> list[Any]:
    plan = plan_run(algorithm, {}, 0, True, Settings())
    scene = to_jsonable(algorithm.view.scene(plan.inputs, plan.params))
    declared = scene.get("x-interactions", [])
    assert isinstance(declared, list), f"{algorithm.id}: x-interactions must be a list"
    return declared


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=[a.id for a in ALGORITHMS])
def test_declared_interactions_exist_and_name_real_params(algorithm: Algorithm[Any, Any]) -> None:
    properties = algorithm.params_model.model_json_schema().get("properties", {})
    for declaration in _declarations(algorithm):
        assert isinstance(declaration, dict) and isinstance(declaration.get("kind"), str), declaration
        kind = declaration["kind"]
        assert KIND.match(kind), f"{algorithm.id}: kind {kind!r} is not a plugin file name"
        plugin = PLUGINS / f"{kind}.js"
        assert plugin.is_file(), f"{algorithm.id} declares {kind!r} but static/js/interactions/{kind}.js is missing"
        assert re.search(r"^export function create\(", plugin.read_text(), re.M), f"{plugin.name} exports no create()"
        for key, value in declaration.items():
            if key == "param" or key.endswith("_param"):
                assert value in properties, f"{algorithm.id}: {kind}.{key} = {value!r} is not a param of the lab"


def test_the_labs_that_need_a_click_declare_it() -> None:
    kinds = {a.id: [d["kind"] for d in _declarations(a)] for a in ALGORITHMS}
    assert kinds["knn"] == ["inspect-neighbors"]
    assert kinds["kmeans"] == ["place-points"]
    assert kinds["optimizers"] == ["set-point"]
    assert kinds["voting"] == ["inspect-votes"]  # click a point: every member's vote on it
    assert kinds["backprop"] == ["inspect-node"]  # click a node: its value and gradient
    assert not kinds["logistic-regression"], "a lab without a click declares nothing"


def test_click_params_carry_their_widget_hint() -> None:
    """place-points and set-point params keep the schema's x-click hint (the controls build their widgets from it)."""
    for algorithm in ALGORITHMS:
        properties = algorithm.params_model.model_json_schema().get("properties", {})
        for declaration in _declarations(algorithm):
            if declaration["kind"] in ("place-points", "set-point"):
                assert "x-click" in properties[declaration["param"]], (algorithm.id, declaration)


def test_the_page_names_no_lab_and_no_kind() -> None:
    page = (STATIC_JS / "algorithm-page.js").read_text()
    kinds = [p.stem for p in PLUGINS.glob("*.js") if p.stem != "registry"]
    assert {"inspect-neighbors", "inspect-votes", "inspect-node", "place-points", "set-point"} <= set(kinds)
    for name in [a.id for a in ALGORITHMS] + kinds:
        assert not re.search(rf"[\"'`]{re.escape(name)}[\"'`/]", page), f"algorithm-page.js special-cases {name!r}"
    assert "clickState" not in page and "Inspector" not in page, "click routing belongs to the plugins"
