"""Properties every lab keeps on random small data and random valid params (issue 9), over the whole catalog.

For each algorithm: params drawn from its own JSON Schema (enums, booleans, numbers inside their bounds,
integer counts near their lower end so runs stay small) and, where it takes a ``dataset``, tiny inline data
(n = 2..6, duplicates, collinear rows, constant columns). The run must then either be refused with a
``RunInputError`` (a 4xx naming a field) or run to its end, and every frame must hold:

* no exception from the engine or its view (an engine bug is a 5xx);
* no NaN or infinity anywhere in ``state`` or ``metrics`` (JSON has neither; the wire would show ``null``);
* a caption that is non-empty, has no "nan"/"inf" and no "1 <plural>" ("1 iterations");
* at most ``max_frames`` frames.

Every future lab gets these checks for free. ``STEPWISE_PROPERTY_EXAMPLES`` sets the examples per lab
(``scripts/property_soak.py`` runs thousands).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from app.catalog import Algorithm, all_algorithms
from app.encoding import encode
from app.runs import RunInputError, plan_run
from app.settings import Settings

ALGORITHMS = all_algorithms()
EXAMPLES = int(os.environ.get("STEPWISE_PROPERTY_EXAMPLES", "20"))
RANDOM = os.environ.get("STEPWISE_PROPERTY_RANDOM") == "1"  # the soak script draws fresh examples each time
SETTINGS = Settings(cache_entries=0)

# The largest value drawn for an integer param above its minimum: counts (epochs, steps, k) stay small so a
# few hundred runs take seconds, while every lower bound (1 epoch, k = 1) is reached often.
INT_SPAN = 40
# Training epochs multiply the cost of a network lab's whole run (dozens of forward/backward passes per frame
# on a fixed dataset such as the 1,797 digits): a few are enough to reach every frame kind.
EPOCHS_SPAN = 6

NAN_WORD = re.compile(r"(?<![\w-])(nan|-?inf)\b")  # a number printed raw; the word "NaN" may be explained
# "1 iterations": a lone 1 (not 0.1, 21, 1.5, 1,000 or x1) before a plural noun. Singulars ending in s are allowed.
ONE_PLURAL = re.compile(r"(?<![\w.,×^-])1 ([a-z]+s)\b")
SINGULAR_S = {
    "class",
    "loss",
    "bias",
    "axis",
    "less",
    "plus",
    "minus",
    "was",
    "is",
    "has",
    "does",
    "goes",
    "this",
    "its",
    "thus",
    "process",
    "miss",
    "pass",
    "gas",
    "focus",
    "status",
    "as",
    "versus",
    "radius",
    "us",
    "yes",
    "always",
    "across",
    "lies",
    "sits",
    "stays",
    "means",
    "gets",
    "keeps",
    "holds",
    "moves",
    "falls",
    "rises",
    "remains",
    "makes",
    "takes",
    "gives",
    "needs",
    "covers",
    "becomes",
    "points",
    "equals",
    "reaches",
    "wins",
    "ties",
    "votes",
    "splits",
    "contains",
}


LABEL_NOUNS = {
    "cluster",
    "layer",
    "point",
    "class",
    "epoch",
    "step",
    "frame",
    "fold",
    "neuron",
    "component",
    "pc",
    "feature",
    "racer",
    "iteration",
    "merge",
    "round",
    "row",
    "column",
    "node",
    "pick",
    "update",
    "index",
    "number",
    "group",
    "degree",
    "unit",
    "channel",
    "filter",
    "tree",
    "model",
    "sample",
}


def _bounds(spec: Mapping[str, Any]) -> tuple[float | None, float | None]:
    lo = spec.get("minimum", spec.get("exclusiveMinimum"))
    hi = spec.get("x-max", spec.get("maximum", spec.get("exclusiveMaximum")))
    if "maximum" in spec and hi is not None:
        hi = min(hi, spec["maximum"])
    return lo, hi


def _field_strategy(spec: Mapping[str, Any], span: int = INT_SPAN) -> st.SearchStrategy[Any] | None:
    """A strategy for one top-level param from its JSON Schema (integers at most ``span`` above their
    minimum), or None to keep the default."""
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if "const" in spec:
        return st.just(spec["const"])
    kind = spec.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        lo, hi = _bounds(spec)
        lo_i = math.ceil(lo) if lo is not None else 0
        if spec.get("exclusiveMinimum") is not None and lo_i == spec["exclusiveMinimum"]:
            lo_i += 1
        hi_i = int(hi) if hi is not None else lo_i + span
        return st.integers(lo_i, max(lo_i, min(hi_i, lo_i + span)))
    if kind == "number":
        lo, hi = _bounds(spec)
        lo_f = float(lo) if lo is not None else -10.0
        hi_f = float(hi) if hi is not None else lo_f + 10.0
        exclude_lo = "exclusiveMinimum" in spec
        return st.floats(
            lo_f, max(lo_f, hi_f), exclude_min=exclude_lo and hi_f > lo_f, allow_nan=False, allow_infinity=False
        )
    if "anyOf" in spec:  # Optional[X]: null or a value of X
        options = [_field_strategy(option) for option in spec["anyOf"]]
        usable = [o for o in options if o is not None]
        if any(option.get("type") == "null" for option in spec["anyOf"]):
            usable.append(st.none())
        return st.one_of(usable) if usable else None
    if kind == "null":
        return st.none()
    return None  # arrays and nested objects (layer lists, racers): their defaults


@st.composite
def tiny_data(draw: st.DrawFn) -> dict[str, Any]:
    """Inline 2-D data with the shapes that break engines: n = 2..6, duplicates, collinear, constant columns."""
    n = draw(st.integers(2, 6))
    shape = draw(st.sampled_from(["random", "duplicates", "collinear", "constant", "identical"]))
    value = st.integers(-3, 3).map(float) | st.floats(-5, 5, allow_nan=False, width=32)
    X = [[draw(value), draw(value)] for _ in range(n)]
    if shape == "duplicates":
        X[-1] = list(X[0])
    elif shape == "collinear":
        X = [[x1, 2 * x1 + 1] for x1, _ in X]
    elif shape == "constant":
        X = [[x1, 1.0] for x1, _ in X]
    elif shape == "identical":
        X = [list(X[0]) for _ in X]
    labels = draw(st.lists(st.integers(0, draw(st.integers(1, 2))), min_size=n, max_size=n))
    labels[0], labels[-1] = 0, 1  # at least two classes, so supervised labs can run
    return {"X": X, "y": labels}


def tiny_images(draw: st.DrawFn) -> dict[str, Any]:
    """A tiny synthetic-shapes image set: 8..24 grey images of 8..12 pixels (the image labs' small data)."""
    n = draw(st.integers(8, 24))
    return {"name": "shapes", "n_samples": n, "side": draw(st.integers(8, 12)), "seed": draw(st.integers(0, 3))}


def _takes_shapes(spec: Mapping[str, Any]) -> bool:
    """Whether a dataset param's schema offers the synthetic shapes (an image lab's dataset union)."""
    mapping = (spec.get("discriminator") or {}).get("mapping") or {}
    return "shapes" in mapping or any(_takes_shapes(b) for b in spec.get("oneOf", []) + spec.get("anyOf", []))


def _params_strategy(algorithm: Algorithm) -> st.SearchStrategy[dict[str, Any]]:
    schema = algorithm.params_model.model_json_schema()
    fields: dict[str, st.SearchStrategy[Any]] = {}
    always: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in schema["properties"].items():
        if name == "dataset":
            # An image lab trains on images: always a tiny set (its default, 1,797 digits, is no small run).
            if _takes_shapes(spec):
                always[name] = st.composite(tiny_images)()
            else:
                fields[name] = tiny_data()
            continue
        strategy = _field_strategy(spec, EPOCHS_SPAN if name == "epochs" else INT_SPAN)
        if strategy is None:
            continue
        lo = spec.get("minimum", 0)
        heavy = (
            spec.get("type") == "integer" and isinstance(spec.get("default"), int) and spec["default"] > lo + INT_SPAN
        )
        (always if heavy else fields)[name] = strategy  # a large default count (500 steps) is always drawn small
    # Each other field is drawn or left at its default, so single-param changes from the defaults are common.
    return st.fixed_dictionaries(always, optional=fields)


def _non_finite(value: Any, path: str = "") -> str | None:
    """The path of the first NaN/inf inside a frame's state or metrics, or None."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.isfinite(value).all():
            return path
        if value.dtype == object:
            return next((p for i, v in enumerate(value.ravel()) if (p := _non_finite(v, f"{path}[{i}]"))), None)
        return None
    if isinstance(value, Mapping):
        return next((p for k, v in value.items() if (p := _non_finite(v, f"{path}.{k}"))), None)
    if isinstance(value, (list, tuple)):
        return next((p for i, v in enumerate(value) if (p := _non_finite(v, f"{path}[{i}]"))), None)
    if isinstance(value, (float, np.floating)) and not math.isfinite(float(value)):
        return path
    return None


def caption_problems(caption: str) -> list[str]:
    """What is wrong with a caption's words (empty, "nan", "1 iterations")."""
    problems = []
    if not caption.strip():
        problems.append("empty caption")
    if match := NAN_WORD.search(caption):
        problems.append(f"caption says {match.group(0)!r}")
    for match in ONE_PLURAL.finditer(caption):
        before = caption[: match.start()].rstrip().rsplit(" ", 1)[-1].lower().strip("(")
        if before in LABEL_NOUNS or before.endswith("="):
            continue  # "cluster 1 starts", "k = 1 means": a name or a setting, not a count
        if match.group(1) not in SINGULAR_S:
            problems.append(f"caption says {match.group(0)!r}")
    return problems


def claim_problems(state: Mapping[str, Any]) -> list[str]:
    """Claims a frame makes that its own state can refute, for every lab that carries the fields."""
    problems = []
    if "labels" in state and isinstance(state.get("n_clusters"), (int, np.integer)):
        labels = np.asarray(state["labels"])
        distinct = len(np.unique(labels[labels >= 0]))  # -1 is noise (DBSCAN), not a cluster
        if distinct != state["n_clusters"]:
            problems.append(f"n_clusters = {state['n_clusters']} but the labels hold {distinct} clusters")
    return problems


def check_run(algorithm: Algorithm, params: dict[str, Any], seed: int) -> bool:
    """Run one request through the engine and its view; assert the properties. False when refused (4xx)."""
    try:
        plan = plan_run(algorithm, params, seed, True, SETTINGS)
    except RunInputError as exc:
        assert exc.errors and all(e["loc"][:2] == ["body", "params"] and e["msg"] for e in exc.errors)
        return False
    view, inputs, model = algorithm.view, plan.inputs, plan.params
    encode(view.scene(inputs, model))
    engine = algorithm.engine(inputs, model, np.random.default_rng(seed))
    count = 0
    try:
        while True:
            try:
                frame = next(engine)
            except StopIteration as stop:
                result = stop.value or {}
                break
            count += 1
            where = f"frame {count - 1} ({frame.kind}): {frame.caption!r}"
            assert count <= SETTINGS.max_frames, f"more than {SETTINGS.max_frames} frames"
            assert not (bad := _non_finite(frame.state, "state")), f"{bad} is not finite in {where}"
            assert not (bad := _non_finite(frame.metrics, "metrics")), f"{bad} is not finite in {where}"
            assert not (problems := caption_problems(frame.caption)), f"{problems} in {where}"
            assert not (problems := claim_problems(frame.state)), f"{problems} in {where}"
            encode(view.render(frame, inputs, model))
    finally:
        engine.close()
    assert count >= 1, "a run must yield at least one frame"
    encode(result)
    encode(view.panels(result, inputs, model))
    return True


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=[a.id for a in ALGORITHMS])
def test_random_small_runs_keep_the_properties(algorithm: Algorithm) -> None:
    outcomes = {"ran": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(params=_params_strategy(algorithm), seed=st.integers(0, 2**31 - 1))
    def check(params: dict[str, Any], seed: int) -> None:
        note(f"params={params!r} seed={seed}")
        try:
            algorithm.params_model.model_validate(params)
        except ValidationError:
            outcomes["refused"] += 1  # a cross-field rule of the model: a plain 422, nothing to run
            return
        outcomes["ran" if check_run(algorithm, params, seed) else "refused"] += 1

    check()
    assert outcomes["ran"] > 0, f"every random request was refused: {outcomes}"


def test_caption_checker_catches_the_known_slips() -> None:
    assert caption_problems("after 1 iterations") and caption_problems("where 1 clusters remain")
    assert caption_problems("correlation nan") and caption_problems("")
    assert not caption_problems("after 1 iteration, 0.1 points, 21 steps, 1,000 epochs, x1 and 1 class")


def _model_fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_the_strategy_covers_every_lab_with_data() -> None:
    with_data = [a.id for a in ALGORITHMS if "dataset" in _model_fields(a.params_model)]
    assert len(with_data) >= 8
