"""Liveness and service counters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import ServiceDep
from app.api.wire import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    return Health()


@router.get("/api/v1/stats")
def stats(service: ServiceDep) -> dict[str, Any]:
    """Active runs (a disconnected client's run leaves this within one frame) and cache counters."""
    return service.stats()
