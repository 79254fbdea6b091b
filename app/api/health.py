"""Liveness (``/healthz``), readiness (``/readyz``) and service counters."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.deps import ServiceDep
from app.api.wire import Health
from app.readiness import Readiness

router = APIRouter(tags=["health"])


class ReadyStatus(BaseModel):
    status: Literal["ready", "starting"]
    detail: str | None = Field(None, description="What priming did, or is doing now.")
    primed: int | None = Field(None, description="Labs primed so far.")
    failed: dict[str, str] | None = Field(
        None, description="Labs whose priming failed (logged; the worker is ready without them)."
    )


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """Liveness: 200 whenever the process answers at all (readiness is ``/readyz``)."""
    return Health()


@router.get(
    "/readyz",
    response_model=ReadyStatus,
    responses={503: {"model": ReadyStatus, "description": "Still priming its labs: send traffic elsewhere."}},
)
def readyz(request: Request) -> JSONResponse:
    """Readiness: 200 ``{"status": "ready"}`` once this worker has imported and primed every lab (it answers
    at full speed), 503 ``{"status": "starting", "detail"}`` until then. For a load balancer's readiness probe."""
    readiness: Readiness = request.app.state.readiness
    ready, body = readiness.status()
    return JSONResponse(body, status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})


@router.get("/api/v1/stats")
async def stats(service: ServiceDep, request: Request) -> dict[str, Any]:
    """This worker's counters: ``worker`` (its pid), ``active_runs`` / ``queued_runs`` (distinct runs computing /
    waiting; a run nobody watches leaves within a second), ``runs_started`` (engines started here),
    ``runs_joined`` (requests that attached to a run in flight), ``runs_replayed`` (served from the cache),
    ``cache``, ``compressed`` (finished runs' gzip bodies kept for replay) and ``redis`` (``status`` off | ok |
    down; with it ``runs_computed`` over every replica, ``takeovers``)."""
    counters = await service.stats()
    bodies = getattr(request.app.state, "compressed_bodies", None)
    if bodies is not None:
        counters["compressed"] = bodies.stats()
    return counters
