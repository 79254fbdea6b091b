"""Every lab's figures are valid Plotly: the scene, each frame's figure merged onto it, and the result panels,
checked by plotly's own ``graph_objects.Figure`` validation (DESIGN §2: views return Plotly figures)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from app.catalog import Algorithm, all_algorithms
from app.core.frame import drain
from app.encoding import to_jsonable
from app.runs import plan_run
from app.settings import Settings
from tests.small_runs import small_params

ALGORITHMS = all_algorithms()


def _plotly_only(value: Any) -> Any:
    """Drop the wire's own extensions (``x-extend``, ``x-click``, ...): plotly.js ignores them, plotly.py does not."""
    if isinstance(value, dict):
        return {k: _plotly_only(v) for k, v in value.items() if not str(k).startswith("x-")}
    if isinstance(value, list):
        return [_plotly_only(v) for v in value]
    return value


def _merge(scene: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A frame's figure as the player composes it: ``data[i]`` onto ``scene.data[i]``, layout onto layout."""
    figure = copy.deepcopy(scene)
    for i, trace in enumerate(patch.get("data", [])):
        if i < len(figure["data"]):
            figure["data"][i].update(trace)
        else:
            figure["data"].append(trace)
    figure["layout"].update(patch.get("layout", {}))
    return figure


def _valid(figure: dict[str, Any], what: str) -> None:
    clean = _plotly_only(to_jsonable(figure))
    try:
        go.Figure(data=clean.get("data", []), layout=clean.get("layout", {}))
    except (ValueError, TypeError) as exc:
        pytest.fail(f"{what} is not a valid Plotly figure: {str(exc)[:600]}")


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=[a.id for a in ALGORITHMS])
def test_scene_frames_and_panels_are_valid_plotly(algorithm: Algorithm) -> None:
    plan = plan_run(algorithm, small_params(algorithm.id), 0, True, Settings())  # small: heavy labs
    view, inputs, params = algorithm.view, plan.inputs, plan.params
    scene = to_jsonable(view.scene(inputs, params))
    _valid(scene, "the scene")
    frames, result = drain(algorithm.engine(inputs, params, np.random.default_rng(0)))
    picks = sorted({0, len(frames) // 2, len(frames) - 1})  # first, middle, last: every kind shows up cheaply
    for i in picks:
        _valid(_merge(scene, to_jsonable(view.render(frames[i], inputs, params))), f"frame {i} ({frames[i].kind})")
    for panel in view.panels(result, inputs, params):
        _valid(panel["figure"], f"panel {panel['id']}")


def test_the_check_rejects_what_plotly_js_would_not_draw() -> None:
    with pytest.raises(pytest.fail.Exception):
        _valid({"data": [{"type": "scatter", "markr": {"size": 3}}], "layout": {}}, "a typo")
    _valid({"data": [{"type": "scatter", "x-extend": {"x": [1]}}], "layout": {}}, "an extension")


def _deep_merge(base: Any, patch: Any) -> Any:
    """static/js/compose.js deepMerge: objects merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        return {**base, **{k: _deep_merge(base.get(k), v) for k, v in patch.items()}}
    return copy.deepcopy(patch)


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=[a.id for a in ALGORITHMS])
def test_the_phone_layout_of_a_scene_is_valid_plotly_and_fits(algorithm: Algorithm) -> None:
    """A scene's ``x-narrow`` (static/js/narrow.js) patches traces it has, into a valid figure whose colour-bar
    titles are short lines (the right column of a phone is about 70 px wide)."""
    plan = plan_run(algorithm, small_params(algorithm.id), 0, True, Settings())  # small: heavy labs
    scene = to_jsonable(algorithm.view.scene(plan.inputs, plan.params))
    narrow = scene.get("x-narrow")
    if narrow is None:
        return
    assert isinstance(narrow["width"], int | float) and 300 < narrow["width"] < 900
    patches = narrow.get("data", {})
    assert all(0 <= int(j) < len(scene["data"]) for j in patches), (list(patches), len(scene["data"]))
    data = [_deep_merge(t, patches.get(str(j), {})) for j, t in enumerate(scene["data"])]
    layout = _deep_merge(scene["layout"], narrow.get("layout", {}))
    off = set(narrow.get("annotations_off", []))
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("xref") not in off]
    _valid({"data": data, "layout": layout}, "the phone layout of the scene")
    for trace in data:
        title = (trace.get("colorbar") or {}).get("title", {}).get("text") if trace.get("showscale", True) else None
        for line in (title or "").split("<br>"):
            assert len(line) <= 11 or " " not in line, f"{algorithm.id}: colour-bar title line {line!r} on a phone"
