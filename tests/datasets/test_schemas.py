"""Dataset specs, InlineData and DatasetParam: defaults, validation errors, JSON Schema, load_dataset."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ValidationError

from app.datasets import Dataset
from app.schemas.datasets import (
    SPECS,
    BlobsSpec,
    DatasetParam,
    InlineData,
    IrisSpec,
    MoonsSpec,
    SpiralSpec,
    dataset_catalog,
    dataset_field,
    dataset_rows,
    load_dataset,
    parse_dataset,
)


class KMeansLikeParams(BaseModel):
    """What an algorithm's params model looks like with a dataset field."""

    k: int = 3
    dataset: DatasetParam = dataset_field()


def errors(value: Any) -> list[Any]:
    """Pydantic's error list for ``KMeansLikeParams(dataset=value)``."""
    with pytest.raises(ValidationError) as info:
        KMeansLikeParams(dataset=value)
    return list(info.value.errors(include_url=False))


# ---------------------------------------------------------------- defaults and loading


def test_default_dataset_is_the_kmeans_blobs() -> None:
    p = KMeansLikeParams()
    assert p.dataset == BlobsSpec(n_samples=300, centers=4, cluster_std=1.0, seed=0)
    assert KMeansLikeParams().dataset is not p.dataset  # a fresh default per instance


def test_default_factory_form_also_works() -> None:
    from pydantic import Field

    class P(BaseModel):
        dataset: DatasetParam = Field(default_factory=lambda: BlobsSpec())

    assert P().dataset == BlobsSpec()
    assert isinstance(P(dataset={"X": [[1, 2]]}).dataset, InlineData)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_spec_loads_at_defaults(name: str) -> None:
    spec = parse_dataset({"name": name})
    ds = load_dataset(spec)
    assert isinstance(ds, Dataset) and ds.name == name
    assert ds.X.shape == (dataset_rows(spec), 2) and ds.X.dtype == np.float64
    assert ds.y is not None and ds.y.shape == (ds.n_samples,) and ds.y.dtype == np.int64
    assert len(ds.feature_names) == 2
    defaults = SPECS[name].model_validate({}).model_dump()
    assert defaults.get("n_samples", dataset_rows(spec)) == (300 if name == "blobs" else dataset_rows(spec))


def test_generator_defaults_are_200_except_blobs() -> None:
    for name, cls in SPECS.items():
        if "n_samples" in cls.model_fields:
            assert cls.model_validate({}).n_samples == (300 if name == "blobs" else 200)  # type: ignore[attr-defined]


def test_data_seed_controls_the_data() -> None:
    a = load_dataset(MoonsSpec(seed=1))
    b = load_dataset(MoonsSpec(seed=1))
    c = load_dataset(MoonsSpec(seed=2))
    assert a.X.tobytes() == b.X.tobytes()
    assert not np.array_equal(a.X, c.X)


def test_params_reach_the_generator() -> None:
    ds = load_dataset(parse_dataset({"name": "spiral", "n_samples": 50, "n_classes": 5}))
    assert ds.n_samples == 50 and ds.n_classes == 5
    ds = load_dataset(parse_dataset({"name": "blobs", "centers": 7, "n_samples": 70}))
    assert ds.n_classes == 7


def test_classic_features_pca_and_columns() -> None:
    pca = load_dataset(IrisSpec())
    assert pca.feature_names == ("PC1", "PC2")
    cols = load_dataset(parse_dataset({"name": "iris", "features": [0, 2]}))
    assert cols.feature_names == ("sepal length (cm)", "petal length (cm)")
    assert parse_dataset({"name": "wine", "features": "0,2"}).features == (0, 2)  # type: ignore[union-attr]
    assert parse_dataset({"name": "wine", "features": " PCA "}).features == "pca"  # type: ignore[union-attr]
    assert dataset_rows(IrisSpec()) == 150


def test_inline_data_loads() -> None:
    p = KMeansLikeParams(dataset={"X": [[0, 1], [2.5, 3]], "y": [0, 1]})
    ds = load_dataset(p.dataset)
    assert ds.name == "inline" and ds.X.dtype == np.float64 and ds.X.shape == (2, 2)
    assert ds.y is not None and ds.y.tolist() == [0, 1] and ds.y.dtype == np.int64
    unlabelled = load_dataset(InlineData(X=[[1.0, 2.0, 3.0]]))
    assert unlabelled.y is None and unlabelled.feature_names == ("x1", "x2", "x3")
    assert dataset_rows(InlineData(X=[[1.0]] * 4)) == 4


def test_round_trip_through_json() -> None:
    for value in ({"name": "iris", "features": [1, 3]}, {"name": "spiral", "turns": 2.0}, {"X": [[1, 2]], "y": [1]}):
        p = KMeansLikeParams(dataset=value)
        assert KMeansLikeParams.model_validate_json(p.model_dump_json()) == p


# ---------------------------------------------------------------- validation errors


def test_nan_and_inf_rejected_with_location_in_X() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        errs = errors({"X": [[0.0, 1.0], [2.0, bad]]})
        assert len(errs) == 1 and errs[0]["type"] == "finite_number"
        assert errs[0]["loc"] == ("dataset", "inline", "X", 1, 1)


def test_nan_rejected_from_json_too() -> None:
    with pytest.raises(ValidationError) as info:
        KMeansLikeParams.model_validate_json('{"dataset": {"X": [[1, NaN]]}}')
    assert "X" in info.value.errors()[0]["loc"]


def test_ragged_rows_name_the_row() -> None:
    errs = errors({"X": [[0, 1], [2, 3], [4]]})
    assert errs[0]["loc"] == ("dataset", "inline", "X")
    assert "row 2" in errs[0]["msg"]


def test_empty_X_and_empty_row() -> None:
    assert errors({"X": []})[0]["type"] == "too_short"
    assert errors({"X": [[]]})[0]["loc"] == ("dataset", "inline", "X", 0)


def test_y_length_must_match() -> None:
    errs = errors({"X": [[0, 1], [2, 3]], "y": [0]})
    assert errs[0]["loc"] == ("dataset", "inline", "y")
    assert "1 labels" in errs[0]["msg"] and "2 rows" in errs[0]["msg"]


@pytest.mark.parametrize(
    ("value", "loc_tail"),
    [
        ({"X": [["a", 1]]}, ("X", 0, 0)),
        ({"X": [["1.5", 1]]}, ("X", 0, 0)),  # inline data is strict: JSON numbers only
        ({"X": [[True, 1]]}, ("X", 0, 0)),
        ({"X": [[1, 1]], "y": ["a"]}, ("y", 0)),
        ({"X": [[1, 1]], "y": [0.5]}, ("y", 0)),
        ({"name": "moons", "n_samples": "many"}, ("moons", "n_samples")),
        ({"name": "moons", "noise": "loud"}, ("moons", "noise")),
    ],
)
def test_strings_where_numbers_go(value: dict[str, Any], loc_tail: tuple[Any, ...]) -> None:
    errs = errors(value)
    assert errs[0]["loc"][-len(loc_tail) :] == loc_tail


def test_unknown_fields_rejected() -> None:
    errs = errors({"name": "moons", "noise": 0.1, "factor": 0.3})
    assert errs[0]["type"] == "extra_forbidden" and errs[0]["loc"] == ("dataset", "named", "moons", "factor")
    errs = errors({"X": [[1, 2]], "labels": [0]})
    assert errs[0]["type"] == "extra_forbidden" and errs[0]["loc"][-1] == "labels"


def test_unknown_name_and_non_object() -> None:
    errs = errors({"name": "swissroll"})
    assert errs[0]["type"] == "union_tag_invalid" and "moons" in errs[0]["msg"]
    assert errors("moons")[0]["type"] == "invalid_dataset"
    assert errors({})[0]["type"] == "union_tag_not_found"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"name": "blobs", "n_samples": 0}, "n_samples"),
        ({"name": "blobs", "n_samples": 100_001}, "n_samples"),
        ({"name": "blobs", "centers": 11}, "centers"),
        ({"name": "blobs", "cluster_std": 0}, "cluster_std"),
        ({"name": "moons", "noise": -0.1}, "noise"),
        ({"name": "circles", "factor": 1.0}, "factor"),
        ({"name": "spiral", "n_classes": 1}, "n_classes"),
        ({"name": "spiral", "n_classes": 6}, "n_classes"),
        ({"name": "xor", "seed": -1}, "seed"),
        ({"name": "iris", "features": [0, 4]}, "features"),
        ({"name": "iris", "features": [1, 1]}, "features"),
        ({"name": "iris", "features": "0;2"}, "features"),
        ({"name": "iris", "features": [0, 1, 2]}, "features"),
    ],
)
def test_ranges(value: dict[str, Any], field: str) -> None:
    assert field in errors(value)[0]["loc"]


def test_varied_density_order() -> None:
    errs = errors({"name": "varied_density", "std_min": 3.0, "std_max": 1.0})
    assert "std_min" in errs[0]["msg"]
    assert parse_dataset({"name": "varied_density", "std_min": 2.0, "std_max": 2.0})


# ---------------------------------------------------------------- JSON Schema and catalog


def test_params_json_schema_has_tagged_union_and_default() -> None:
    schema = KMeansLikeParams.model_json_schema()
    json.dumps(schema)
    prop = schema["properties"]["dataset"]
    assert prop["default"] == {"name": "blobs", "n_samples": 300, "centers": 4, "cluster_std": 1.0, "seed": 0}
    named, inline = prop["oneOf"]
    assert inline == {"$ref": "#/$defs/InlineData"}
    assert named["discriminator"]["propertyName"] == "name"
    assert set(named["discriminator"]["mapping"]) == set(SPECS)
    for ref in named["discriminator"]["mapping"].values():
        assert ref.split("/")[-1] in schema["$defs"]
    inline_schema = schema["$defs"]["InlineData"]
    assert inline_schema["required"] == ["X"] and inline_schema["additionalProperties"] is False


def test_ui_hints_in_schema() -> None:
    props = MoonsSpec.model_json_schema()["properties"]
    assert props["noise"]["x-step"] == 0.01 and props["noise"]["x-widget"] == "slider"
    assert props["noise"]["minimum"] == 0 and props["n_samples"]["maximum"] == 100_000
    assert all("title" in p and "description" in p for k, p in props.items() if k != "name")
    assert SpiralSpec.model_json_schema()["properties"]["n_classes"]["minimum"] == 2


def test_dataset_catalog() -> None:
    cat = dataset_catalog()
    json.dumps(cat)
    assert [c["name"] for c in cat] == list(SPECS)
    kinds = {c["name"]: c["kind"] for c in cat}
    assert kinds["moons"] == "generator" and kinds["iris"] == "classic" and kinds["breast_cancer"] == "classic"
    for entry in cat:
        assert set(entry) == {"name", "title", "kind", "description", "params_schema", "defaults"}
        assert entry["title"] and entry["description"]
        assert entry["defaults"]["name"] == entry["name"]
        assert set(entry["defaults"]) == set(entry["params_schema"]["properties"])
        assert parse_dataset(entry["defaults"]) == SPECS[entry["name"]].model_validate({})
    blobs = next(c for c in cat if c["name"] == "blobs")
    assert blobs["defaults"] == {"name": "blobs", "n_samples": 300, "centers": 4, "cluster_std": 1.0, "seed": 0}
