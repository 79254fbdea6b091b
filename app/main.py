"""``create_app()``: routers, middleware, error handlers, the run service, and the start-up priming."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sklearn.exceptions import ConvergenceWarning

from app import __version__, learning_pages, pages, previews
from app.api import algorithms, cnn, datasets, docs, errors, health, images, lessons, runs
from app.body_limit import BodyLimitMiddleware
from app.catalog import all_algorithms
from app.compression import CompressedBodies, GzipMiddleware
from app.readiness import PROCESS
from app.security import SecurityHeadersMiddleware
from app.service import RunService
from app.settings import Settings, get_settings
from app.warm import warm, warm_list

DESCRIPTION = (
    "Step-by-step runs of machine-learning algorithms. A run is a pure function of (algorithm, params, seed): "
    "the same request gives the same frames, byte for byte. `POST /api/v1/algorithms/{id}/runs` answers JSON, "
    "SSE (`Accept: text/event-stream`) or JSONL (`Accept: application/jsonl`)."
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up: prime this worker in a thread (``/readyz`` turns 200 when it is done; ``/healthz`` answers
    throughout). The process's priming is shared, so a second app in one process does not prime again."""
    settings: Settings = app.state.settings
    service: RunService = app.state.run_service
    app.state.readiness.start(settings, extra=[pages.plotly_js_gz], busy=lambda: service.hub.running > 0)
    tasks: list[asyncio.Task[Any]] = []
    if settings.previews_on_start:  # the catalog's card images, so the first visitor finds them drawn
        tasks.append(asyncio.get_running_loop().create_task(_previews_after_priming(app)))
    if settings.warm_on_start:  # precompute the warm list into this worker's cache (with Redis: the shared log)
        tasks.append(asyncio.get_running_loop().create_task(warm(service, warm_list(settings))))
    yield
    for task in tasks:
        task.cancel()
    await service.close()  # stop every run in flight; give the runs it computes for other replicas back


async def _previews_after_priming(app: FastAPI) -> None:
    """Every lab's catalog preview (``app.previews``), one at a time, once the worker's priming is over (so
    they do not slow the first runs' imports), or after ``prime_give_up_s`` at the latest."""
    settings: Settings = app.state.settings
    waited = 0.0
    while not app.state.readiness.status()[0] and waited < settings.prime_give_up_s:
        await asyncio.sleep(0.5)
        waited += 0.5
    await previews.maker_of(app.state, app.state.run_service, settings).make_all(all_algorithms())


def quiet_known_warnings() -> None:
    """Silence, process-wide and once, the two warnings a run may raise that say nothing to a learner or a
    teacher's log: scikit-learn 1.9's deprecation of ``SVC(probability=True)`` (the ensembles' SVM base model
    still uses it, so its probabilities are the ones VotingClassifier computes) and lbfgs stopping at
    ``max_iter`` on hostile data (the run still stands, as in scikit-learn). Installed before any worker thread
    exists: ``warnings.catch_warnings`` inside a thread would swap the filters of every other run too."""
    warnings.filterwarnings("ignore", message="The `probability` parameter was deprecated", category=FutureWarning)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    quiet_known_warnings()
    # docs_url / redoc_url off: app.api.docs serves both from local assets (FastAPI's load from a CDN).
    app = FastAPI(
        title="Stepwise",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.readiness = PROCESS
    app.state.run_service = RunService(settings)
    app.dependency_overrides[get_settings] = lambda: settings
    errors.install(app)  # every error JSON {"detail"}, saying what and where

    for module in (health, algorithms, runs, datasets, images, cnn, lessons):
        app.include_router(module.router)
    docs.mount(app)
    app.include_router(pages.router)
    app.include_router(learning_pages.router)
    pages.mount_static(app)

    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # gzip inside the security headers: a fault in it is still a JSON 500 with the headers.
    # responses marked with BODY_KEY_HEADER (finished runs), compressed once for every reader
    app.state.compressed_bodies = CompressedBodies(settings.gzip_cache_bytes)
    app.add_middleware(
        GzipMiddleware,
        min_bytes=settings.gzip_min_bytes,
        level=settings.gzip_level,
        bodies=app.state.compressed_bodies,
    )
    app.add_middleware(SecurityHeadersMiddleware)  # outside the body limit: its 413 gets the headers too
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    return app
