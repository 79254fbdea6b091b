"""``Annotated`` dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from app.catalog import Algorithm, all_algorithms, get_algorithm
from app.core.limits import Limits
from app.runs import limits_of
from app.service import RunService
from app.settings import Settings, get_settings


def _service(request: Request) -> RunService:
    service: RunService = request.app.state.run_service
    return service


def _algorithm(algorithm_id: Annotated[str, Path(description="Algorithm id, e.g. kmeans")]) -> Algorithm:
    algorithm = get_algorithm(algorithm_id)
    if algorithm is None:
        known = ", ".join(a.id for a in all_algorithms())
        raise HTTPException(404, f"unknown algorithm {algorithm_id!r}; known: {known}")
    return algorithm


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[RunService, Depends(_service)]
AlgorithmDep = Annotated[Algorithm, Depends(_algorithm)]


def _limits(settings: SettingsDep) -> Limits:
    """The limits a router validates against (``context={"limits": ...}``), as the run service builds them."""
    return limits_of(settings)


LimitsDep = Annotated[Limits, Depends(_limits)]
