"""The data rules of the schemas read their limits from the validation context, once, before any data is built.

Every dataset model (generators, bundled tables, inline data, PCA's, the neural network's and gradient
descent's specs) refuses more rows than ``Limits.max_points`` with pydantic's ``less_than_equal`` error
located at the field that sets the size (``n_samples``, the table's ``name``, inline ``X``), in words that
name the setting. Without a context the defaults apply.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from app.api.datasets import router
from app.core.limits import DEFAULT_LIMITS, Limits
from app.datasets import classic, multivariate
from app.schemas.datasets import (
    SPECS,
    BreastCancerSpec,
    BreastCancerTable,
    GeneratedSpec,
    InlineData,
    IrisSpec,
    IrisTable,
    WineSpec,
    WineTable,
    parse_dataset,
)
from app.schemas.hierarchical import HierarchicalParams
from app.schemas.neural import NeuralParams
from app.schemas.optimization import SURFACE_NAMES, GradientDescentParams, OptimizersParams
from app.schemas.pca import PCAParams
from app.settings import Settings, get_settings

SMALL = {"limits": Limits(max_points=100, max_points_hierarchical=50, max_abs_value=10.0)}


def _error(model: type[BaseModel], value: dict[str, Any], context: dict[str, Any] | None = SMALL) -> Any:
    with pytest.raises(ValidationError) as info:
        model.model_validate(value, context=context)
    errors = info.value.errors(include_url=False)
    assert len(errors) == 1, errors
    return errors[0]


def _is_row_limit(error: Any, last: str, limit: int = 100) -> None:
    assert error["type"] == "less_than_equal" and error["ctx"] == {"le": limit}, error
    assert error["loc"][-1] == last, error["loc"]
    assert "STEPWISE_MAX_POINTS" in error["msg"] and f"more than {limit:,}" in error["msg"], error["msg"]


@pytest.mark.parametrize(
    ("model", "dataset", "last"),
    [
        (HierarchicalParams, {"name": "moons", "n_samples": 101}, "n_samples"),
        (NeuralParams, {"name": "plane", "n_samples": 101}, "n_samples"),
        (NeuralParams, {"name": "breast_cancer"}, "name"),  # 569 rows
        (PCAParams, {"name": "gaussian3d", "n_samples": 101}, "n_samples"),
        (PCAParams, {"name": "wine"}, "name"),  # 178 rows, every column
        (PCAParams, {"X": [[1.0, 2.0]] * 101}, "X"),
        (GradientDescentParams, {"name": "line", "n_samples": 101}, "n_samples"),
        (GradientDescentParams, {"X": [[1.0]] * 101, "y": [0.0] * 101}, "X"),
    ],
)
def test_every_dataset_model_refuses_rows_over_the_context_limit(
    model: type[BaseModel], dataset: dict[str, Any], last: str
) -> None:
    limit = 50 if model is HierarchicalParams and last != "n_samples" else 100
    _is_row_limit(_error(model, {"dataset": dataset}), last, limit)


def test_the_limit_itself_passes_and_no_context_means_the_defaults() -> None:
    assert parse_dataset({"name": "moons", "n_samples": 100}, SMALL["limits"]).n_rows == 100
    assert parse_dataset({"name": "moons", "n_samples": DEFAULT_LIMITS.max_points}).n_rows == 5_000
    with pytest.raises(ValidationError) as info:
        parse_dataset({"name": "moons", "n_samples": DEFAULT_LIMITS.max_points + 1})
    _is_row_limit(info.value.errors()[0], "n_samples", DEFAULT_LIMITS.max_points)
    assert "5,001" in info.value.errors()[0]["msg"]


def test_a_defaulted_n_samples_is_checked_too() -> None:
    for name, spec in SPECS.items():
        if "n_samples" in spec.model_fields:  # the blobs' default is 300, the others' 200: all over 100
            _is_row_limit(_error(spec, {"name": name}), "n_samples")


def test_a_fixed_table_is_refused_by_name_and_says_its_size() -> None:
    error = _error(BreastCancerSpec, {"name": "breast_cancer"})
    _is_row_limit(error, "name")
    assert error["msg"].startswith("breast_cancer has 569 rows")
    assert IrisSpec.model_validate({"name": "iris"}, context={"limits": Limits(max_points=150)}).n_rows == 150
    _is_row_limit(_error(IrisTable, {}, {"limits": Limits(max_points=149)}), "name", 149)  # a defaulted name too


def test_inline_data_rows_and_values_follow_the_context() -> None:
    error = _error(InlineData, {"X": [[0.0, 1.0]] * 101})
    _is_row_limit(error, "X")
    assert error["msg"].startswith("X has 101 rows")
    error = _error(InlineData, {"X": [[0.0, 1.0], [11.0, 0.0]]})
    assert error["type"] == "data_value_too_large" and "larger in size than 10" in error["msg"]
    assert InlineData.model_validate({"X": [[1e12]]}).X == [[1e12]]  # the default bound without a context
    error = _error(GradientDescentParams, {"dataset": {"X": [[0.0], [1.0]], "y": [0.0, 11.0]}})
    assert error["loc"][-1] == "y" and "larger in size than 10" in error["msg"]


def test_hierarchical_takes_its_own_limit_from_the_context() -> None:
    error = _error(HierarchicalParams, {"dataset": {"name": "blobs", "n_samples": 51}})
    assert error["type"] == "less_than_equal" and error["loc"] == ("dataset",) and error["ctx"] == {"le": 50}
    assert "at most 50 points" in error["msg"] and "STEPWISE_MAX_POINTS_HIERARCHICAL" in error["msg"]
    assert "this dataset has 51" in error["msg"]
    assert HierarchicalParams.model_validate({"dataset": {"name": "blobs", "n_samples": 50}}, context=SMALL)
    error = _error(HierarchicalParams, {}, {"limits": Limits(max_points_hierarchical=39)})  # the default: 40 points
    assert error["loc"] == ("dataset",) and "at most 39 points" in error["msg"]


def test_the_router_validates_against_its_settings_and_builds_nothing_oversized(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: GeneratedSpec) -> Any:
        raise AssertionError("an oversized dataset was built")

    monkeypatch.setattr(GeneratedSpec, "load", refuse)
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_settings] = lambda: Settings(max_points=100)
    with TestClient(app) as client:
        response = client.get("/api/v1/datasets/moons?n_samples=101")
        assert response.status_code == 422
        (error,) = response.json()["detail"]
        assert error["loc"] == ["query", "n_samples"] and error["type"] == "less_than_equal"
        assert error["ctx"] == {"le": 100} and error["input"] == "101" and "STEPWISE_MAX_POINTS" in error["msg"]
        (error,) = client.get("/api/v1/datasets/wine").json()["detail"]  # 178 rows
        assert error["loc"] == ["path", "name"] and error["msg"].startswith("wine has 178 rows")


# ---------------------------------------------------------------- one definition of each thing


def test_each_bundled_table_is_defined_once() -> None:
    """The 2-feature spec of a table is that table's class plus the reduction: same name, size and kind."""
    for two, whole in ((IrisSpec, IrisTable), (WineSpec, WineTable), (BreastCancerSpec, BreastCancerTable)):
        assert issubclass(two, whole) and two.kind == whole.kind == "classic"
        assert two().n_rows == whole().n_rows == multivariate.N_ROWS[whole().name]
        assert two().load().X.shape == (whole().n_rows, 2)
        assert whole().load().X.shape == (whole().n_rows, multivariate.N_FEATURES[whole().name])
    assert {name: multivariate.N_ROWS[name] for name in classic.CLASSIC_NAMES} == classic.N_ROWS
    assert {name: multivariate.N_FEATURES[name] for name in classic.CLASSIC_NAMES} == classic.N_FEATURES


def test_the_surface_names_of_the_schema_are_the_engines() -> None:
    from app.engines.surfaces import SURFACES

    assert tuple(SURFACES) == SURFACE_NAMES
    assert OptimizersParams.model_json_schema()["properties"]["surface"]["enum"] == list(SURFACES)
