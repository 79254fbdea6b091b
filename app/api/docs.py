"""The interactive API docs, offline: Swagger UI at ``/docs`` and ReDoc at ``/redoc``.

FastAPI's own pages load both from a CDN (a blank page in an offline classroom) and start Swagger UI with an
inline script. Here their assets come from the installed ``fastapi-offline`` package (mounted at
``/docs-assets``), and Swagger UI is started by ``static/js/swagger-init.js``, which reads the schema URL from
the page, so ``/docs`` runs under the same strict CSP as every other page (no inline script).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[2] / "templates"))

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str) -> HTMLResponse:
    app = request.app
    return TEMPLATES.TemplateResponse(
        request, template, {"title": f"{app.title} API", "openapi_url": app.openapi_url or "/openapi.json"}
    )


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, "docs_swagger.html")


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return _page(request, "docs_redoc.html")


def mount(app: FastAPI) -> None:
    """The docs routes and their assets (Swagger UI's bundle and CSS, ReDoc's standalone bundle)."""
    app.include_router(router)
    app.mount("/docs-assets", StaticFiles(directory=str(ASSETS)), name="docs-assets")
