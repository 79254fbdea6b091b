"""Form controls of a lab's own are declared by its params schema, not special-cased by the page.

A param whose JSON Schema carries ``"x-plugin": "<name>"`` is drawn by ``static/js/widgets/<name>.js``
(widgets/registry.js imports it on demand). Here: every such hint of every lab names a plugin file that exists
and exports ``create``, and the form module names no plugin (a lab's new control touches no existing JS file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.catalog import all_algorithms

STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"
WIDGETS = STATIC_JS / "widgets"
NAME = re.compile(r"^[a-z][a-z-]*$")  # the registry's own check (widgets/registry.js PLUGIN)


def _hints(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "x-plugin" in node:
            yield node["x-plugin"]
        for value in node.values():
            yield from _hints(value)
    elif isinstance(node, list):
        for value in node:
            yield from _hints(value)


def declared() -> dict[str, set[str]]:
    return {a.id: set(_hints(a.params_model.model_json_schema())) for a in all_algorithms()}


def test_every_declared_widget_is_a_plugin_file() -> None:
    for lab, names in declared().items():
        for name in names:
            assert isinstance(name, str) and NAME.match(name), f"{lab}: x-plugin {name!r} is not a file name"
            plugin = WIDGETS / f"{name}.js"
            assert plugin.is_file(), f"{lab} declares x-plugin {name!r} but static/js/widgets/{name}.js is missing"
            assert re.search(r"^export function create\(", plugin.read_text(), re.M), f"{plugin.name}: no create()"


def test_the_form_names_no_plugin() -> None:
    plugins = {p.stem for p in WIDGETS.glob("*.js")} - {"registry"}
    for module in ("controls.js", "schema.js", "algorithm-page.js"):
        text = (STATIC_JS / module).read_text()
        for name in plugins:
            assert f'"{name}"' not in text and f"'{name}'" not in text, f"{module} names the widget {name}"
