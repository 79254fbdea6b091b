"""HTML pages: the catalog (``/``) and the player (``/algorithms/{id}``).

Pages are thin: they pass the algorithm's identity to the template; the browser modules in
``static/js/`` fetch schemas and runs from the JSON API. ``mount_static`` serves ``static/`` and the
plotly.js bundle shipped inside the installed ``plotly`` package (no CDN: classrooms are often offline).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.catalog import Algorithm, all_algorithms, get_algorithm
from app.views import theme

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = REPO_ROOT / "templates"
STATIC_DIR = REPO_ROOT / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# Every page (base.html) renders the theme once: CSS custom properties for app.css, JSON for static/js/theme.js.
templates.env.globals["theme_css"] = theme.css_variables()
templates.env.globals["theme_tokens"] = theme.tokens()

router = APIRouter(include_in_schema=False)

FAMILY_TITLES = {
    "optimization": "Optimisation",
    "linear": "Linear models",
    "neighbors": "Neighbours",
    "svm": "Support vector machines",
    "trees": "Trees and ensembles",
    "ensembles": "Ensembles",
    "clustering": "Clustering",
    "decomposition": "Dimensionality reduction",
    "evaluation": "Model evaluation",
    "neural": "Neural networks",
    "cnn": "Convolutional networks",
    "rnn": "Recurrent networks",
    "gan": "Generative models",
}


def family_title(family: str) -> str:
    return FAMILY_TITLES.get(family, family.replace("_", " ").replace("-", " ").capitalize())


def journal_days(days: tuple[int, ...] | list[int]) -> str:
    """``(13,)`` → "Journal day 13"; ``(21, 22, 23, 50, 51, 61)`` → "Journal days 21–23, 50–51, 61"."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + 1 == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    text = ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in runs)
    return f"Journal day {text}" if len(days) == 1 else f"Journal days {text}"


def _card(algorithm: Algorithm[Any, Any]) -> dict[str, Any]:
    return {
        "id": algorithm.id,
        "title": algorithm.title,
        "family": algorithm.family,
        "family_title": family_title(algorithm.family),
        "summary": algorithm.summary,
        "days": list(algorithm.days),
        "days_label": journal_days(algorithm.days),
    }


@router.get("/", response_class=HTMLResponse)
def catalog_page(request: Request) -> Response:
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for algorithm in all_algorithms():
        groups.setdefault(algorithm.family, []).append(_card(algorithm))
    families = [{"id": family, "title": family_title(family), "cards": cards} for family, cards in groups.items()]
    count = sum(len(f["cards"]) for f in families)
    return templates.TemplateResponse(request, "index.html", {"families": families, "count": count, "page": "catalog"})


@router.get("/algorithms/{algorithm_id}", response_class=HTMLResponse)
def algorithm_page(request: Request, algorithm_id: str) -> Response:
    algorithm = get_algorithm(algorithm_id)
    if algorithm is None:
        return templates.TemplateResponse(
            request,
            "404.html",
            {"missing": algorithm_id, "page": "missing"},
            status_code=404,
        )
    return templates.TemplateResponse(request, "algorithm.html", {"algorithm": _card(algorithm), "page": "player"})


def plotly_js_path() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def mount_static(app: FastAPI) -> None:
    """Serve ``/static`` and the installed plotly.js at ``/static/vendor/plotly.min.js``.

    The vendor route is registered before the mount so it wins the match.
    """
    plotly_js = plotly_js_path()

    async def plotly_bundle() -> FileResponse:
        return FileResponse(
            plotly_js,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.add_api_route("/static/vendor/plotly.min.js", plotly_bundle, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
