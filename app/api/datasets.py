"""``/api/v1/datasets``: the dataset catalog and one dataset's points.

* ``GET /api/v1/datasets`` → ``[{"name", "title", "kind", "description", "params_schema", "defaults"}]``
* ``GET /api/v1/datasets/{name}?n_samples=..&noise=..&seed=..`` → ``{"name", "X", "y", "feature_names",
  "params"}``. The query string is validated by the dataset's spec model (unknown names and bad values are
  422 with pydantic's error list, located under ``query``); an unknown dataset is 404.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.schemas.datasets import SPECS, dataset_catalog, dataset_rows, load_dataset
from app.settings import Settings, get_settings

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])

SettingsDep = Annotated[Settings, Depends(get_settings)]


def _query_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's error list, JSON-safe, each ``loc`` prefixed with ``"query"`` like FastAPI's own."""
    errors: list[dict[str, Any]] = json.loads(exc.json(include_url=False))
    for err in errors:
        err["loc"] = ["query", *err["loc"]]
    return errors


@router.get("", summary="List the datasets")
def list_datasets() -> list[dict[str, Any]]:
    """Every generator and bundled table, with the JSON Schema of its parameters and their defaults."""
    return dataset_catalog()


@router.get("/{name}", summary="Generate one dataset")
def get_dataset(
    name: Annotated[str, Path(description="Dataset name, e.g. moons (see GET /api/v1/datasets).")],
    request: Request,
    settings: SettingsDep,
) -> dict[str, Any]:
    """The points of dataset ``name`` for the parameters in the query string (defaults for the rest).

    Parameters are the fields of the dataset's ``params_schema``; classic tables take ``features=pca``
    or ``features=0,2``. ``X`` is a list of ``n`` rows of 2 numbers, ``y`` a list of ``n`` labels.
    """
    spec_cls = SPECS.get(name)
    if spec_cls is None:
        raise HTTPException(404, f"unknown dataset {name!r}; known: {', '.join(SPECS)}")
    params = request.query_params
    query: dict[str, Any] = {k: v[0] if len(v := params.getlist(k)) == 1 else v for k in params}
    if "name" in query:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ["query", "name"],
                    "msg": "the name is in the path, not the query",
                    "input": query["name"],
                }
            ]
        )
    try:
        spec = spec_cls.model_validate({**query, "name": name})
    except ValidationError as exc:
        raise RequestValidationError(_query_errors(exc)) from None
    rows = dataset_rows(spec)
    if rows > settings.max_points:
        limit = f"{settings.max_points} (the service limit STEPWISE_MAX_POINTS)"
        if "n_samples" in type(spec).model_fields:
            loc, msg = ["query", "n_samples"], f"n_samples must be at most {limit}"
        else:
            loc, msg = ["path", "name"], f"{name} has {rows} rows, more than {limit}"
        error = {"type": "less_than_equal", "loc": loc, "msg": msg, "input": rows, "ctx": {"le": settings.max_points}}
        raise RequestValidationError([error])
    data = load_dataset(spec)
    return {
        "name": name,
        "X": data.X.tolist(),
        "y": None if data.y is None else data.y.tolist(),
        "feature_names": list(data.feature_names),
        "params": spec.model_dump(mode="json"),
    }
