"""``create_app()``: routers, middleware, error handlers and the run service."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__, pages
from app.api import algorithms, datasets, errors, health, runs
from app.body_limit import BodyLimitMiddleware
from app.runs import RunService
from app.security import SecurityHeadersMiddleware
from app.settings import Settings, get_settings

DESCRIPTION = (
    "Step-by-step runs of machine-learning algorithms. A run is a pure function of (algorithm, params, seed): "
    "the same request gives the same frames, byte for byte. `POST /api/v1/algorithms/{id}/runs` answers JSON, "
    "SSE (`Accept: text/event-stream`) or JSONL (`Accept: application/jsonl`)."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Stepwise", version=__version__, description=DESCRIPTION)
    app.state.settings = settings
    app.state.run_service = RunService(settings)
    app.dependency_overrides[get_settings] = lambda: settings
    errors.install(app)  # every error JSON {"detail"}, saying what and where

    for module in (health, algorithms, runs, datasets):
        app.include_router(module.router)
    app.include_router(pages.router)
    pages.mount_static(app)

    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)  # outside the body limit: its 413 gets the headers too
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    return app
