"""Every param of every lab reads in human words on the form and in the API (issue 12, shared contract 1).

One check over the catalog, scikit-learn style, so a new lab or a new field gets it for free:

* every field of the params model and of every model nested in it (dataset specs, inline data, the race's
  optimiser entries) has a title set by hand, not pydantic's ``name.title().replace("_", " ")`` ("Lr",
  "Max Iter", "Coef0"), and a one-line description;
* the published JSON Schema (``params_schema``) carries them: every property, recursively through ``$defs``,
  has a ``title`` and a ``description``;
* every top-level property has an ``x-group`` of the four, the dataset in ``data``;
* every ``x-visible-when`` names a real sibling and only values that sibling can take;
* ``x-labels`` (how enum options read) label only options that exist.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.catalog import Algorithm, all_algorithms
from app.main import create_app
from app.schemas.common import GROUPS

ALGORITHMS = all_algorithms()
IDS = [a.id for a in ALGORITHMS]


def _auto_title(name: str) -> str:
    """The title pydantic makes up for a field without one."""
    return name.title().replace("_", " ")


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation mentions (through Annotated, unions, lists, tuples, Literal-free)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        if isinstance(arg, (type, types.UnionType)) or typing.get_origin(arg) is not None:
            yield from _models_in(arg)


def _all_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo.extend(_models_in(info.annotation))
    return seen


def _needs_own_words(name: str) -> bool:
    """A name whose made-up title is code, not a word: snake_case, digits, or short (lr, tol, eps, init, p, C)."""
    return "_" in name or any(c.isdigit() for c in name) or len(name) <= 4


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_every_field_has_a_hand_written_title_and_a_description(algorithm: Algorithm[Any, Any]) -> None:
    models = _all_models(algorithm.params_model)
    assert len(models) >= 1
    for model in models:
        for name, info in model.model_fields.items():
            where = f"{model.__name__}.{name}"
            assert info.title, f"{where} has no title: pydantic would show {_auto_title(name)!r}"
            if _needs_own_words(name):
                assert info.title != _auto_title(name), f"{where}: {info.title!r} is the made-up title"
            assert info.description and info.description.strip(), f"{where} has no description"
            assert "\n" not in info.description and len(info.description) <= 300, f"{where}: one line of help"


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(model title, property name, property schema) for the top level and every ``$defs`` model."""
    for owner in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in owner.get("properties", {}).items():
            yield owner.get("title", "?"), name, prop


@pytest.fixture(scope="module")
def published() -> dict[str, dict[str, Any]]:
    """``GET /api/v1/algorithms`` by id: what other tools and the page read."""
    with TestClient(create_app()) as client:
        return {entry["id"]: entry for entry in client.get("/api/v1/algorithms").json()}


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_the_api_publishes_titles_descriptions_and_groups(
    algorithm: Algorithm[Any, Any], published: dict[str, dict[str, Any]]
) -> None:
    schema = published[algorithm.id]["params_schema"]
    assert schema == algorithm.params_model.model_json_schema()
    for owner, name, prop in _properties(schema):
        title = prop.get("title")
        assert (title and title != _auto_title(name)) or not _needs_own_words(name), f"{owner}.{name}: {title!r}"
        assert prop.get("description"), f"{owner}.{name} has no description in params_schema"
    top = schema["properties"]
    for name, prop in top.items():
        assert prop.get("x-group") in GROUPS, f"{algorithm.id}.{name}: x-group {prop.get('x-group')!r}"
    if "dataset" in top:
        assert top["dataset"]["x-group"] == "data"
        assert next(iter(top)) == "dataset"  # the form (and the schema) start with the data
    nested = [(o, n) for o, n, p in _properties(schema) if "x-group" in p and p is not top.get(n)]
    assert nested == [], "x-group belongs on top-level properties only"


def _values_of(model: type[BaseModel], name: str) -> list[Any] | None:
    """Every value a field can take when it is a closed set (Literal, bool, optional), else None."""
    annotation = model.model_fields[name].annotation
    values: list[Any] = []
    todo = [annotation]
    while todo:
        a = todo.pop()
        if a is bool:
            values += [True, False]
        elif a is type(None):
            values.append(None)
        elif typing.get_origin(a) is typing.Literal:
            values += list(typing.get_args(a))
        elif typing.get_origin(a) in (typing.Union, types.UnionType, typing.Annotated):
            todo += list(typing.get_args(a))[: None if typing.get_origin(a) is not typing.Annotated else 1]
        else:
            return None  # an open set (numbers, datasets): nothing to check the values against
    return values


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_visible_when_names_real_siblings_and_their_real_values(algorithm: Algorithm[Any, Any]) -> None:
    model = algorithm.params_model
    top = model.model_json_schema()["properties"]
    for name, prop in top.items():
        when = prop.get("x-visible-when")
        if when is None:
            continue
        assert isinstance(when, dict) and when, f"{algorithm.id}.{name}: x-visible-when must be a non-empty object"
        for sibling, allowed in when.items():
            assert sibling in top and sibling != name, f"{algorithm.id}.{name}: no sibling {sibling!r}"
            assert isinstance(allowed, list) and allowed, f"{algorithm.id}.{name}: {sibling} needs a list of values"
            possible = _values_of(model, sibling)
            assert possible is not None, f"{algorithm.id}.{name}: {sibling} is not a choice, so cannot gate it"
            assert set(allowed) <= set(possible), f"{algorithm.id}.{name}: {set(allowed) - set(possible)}"
            default = model.model_fields[sibling].default
            shown = default in allowed
            assert shown or len(set(possible) - set(allowed)) < len(possible)  # some value shows it


def _enum_of(prop: dict[str, Any], schema: dict[str, Any]) -> set[Any]:
    """The option values of an enum-like property (enum, const, anyOf of them, array items, $ref)."""
    if "$ref" in prop:
        return _enum_of(schema["$defs"][prop["$ref"].rsplit("/", 1)[-1]], schema)
    out = set(prop.get("enum", []))
    if "const" in prop:
        out.add(prop["const"])
    for branch in prop.get("anyOf", []) + prop.get("oneOf", []):
        out |= _enum_of(branch, schema)
    if "items" in prop:
        out |= _enum_of(prop["items"], schema)
    return out


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_option_labels_label_real_options(algorithm: Algorithm[Any, Any]) -> None:
    schema = algorithm.params_model.model_json_schema()
    for owner, name, prop in _properties(schema):
        labels = prop.get("x-labels")
        if labels is None:
            continue
        options = _enum_of(prop, schema)
        assert set(labels) <= options, f"{owner}.{name}: x-labels for {set(labels) - options}"
        assert all(isinstance(v, str) and v for v in labels.values())


def test_the_examples_the_issue_names_now_read_as_words() -> None:
    """The labels a learner saw in issue 12 ("Lr", "Tol", "Max iter", "Coef0", "N components", "x1_sq")."""
    by_id = {a.id: a.params_model.model_json_schema()["properties"] for a in ALGORITHMS}
    assert by_id["logistic-regression"]["lr"]["title"] == "Learning rate (η)"
    assert by_id["kmeans"]["tol"]["title"] == "Tolerance"
    assert by_id["kmeans"]["max_iter"]["title"] == "Max iterations"
    assert by_id["kmeans"]["k"]["title"] == "Number of clusters (k)"
    assert by_id["svm"]["coef0"]["title"] == "Polynomial offset (coef0)"
    assert by_id["svm"]["gamma"]["title"] == "Kernel coefficient (γ)"
    assert by_id["pca"]["n_components"]["title"] == "Number of components"
    assert by_id["neural-network"]["features"]["x-labels"]["x1_sq"] == "x₁²"
    assert by_id["knn"]["p"]["x-visible-when"] == {"metric": ["minkowski"]}
    assert by_id["optimizers"]["kappa"]["x-visible-when"] == {"surface": ["quadratic"]}
    assert by_id["svm"]["degree"]["x-visible-when"] == {"kernel": ["poly"]}
