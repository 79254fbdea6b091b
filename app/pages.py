"""HTML pages: the catalog (``/``) and the player (``/algorithms/{id}``).

Pages are thin: they pass the algorithm's identity to the template; the browser modules in
``static/js/`` fetch schemas and runs from the JSON API. ``mount_static`` serves ``static/`` and the
plotly.js bundle shipped inside the installed ``plotly`` package (no CDN: classrooms are often offline).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.catalog import Algorithm, all_algorithms, get_algorithm
from app.compression import accepts_gzip
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


PLOTLY_CACHE_CONTROL = "public, max-age=86400"
_gzipped_lock = threading.Lock()


@cache
def plotly_js_gz() -> Path | bytes:
    """``plotly.min.js`` gzipped at level 9, made once (4.8 MB → ~1.4 MB, ~0.5 s of CPU): a file in
    ``<temp dir>/stepwise-static/``, named by the source's size and mtime so a new plotly makes a new one and
    several workers share it (written to a temporary name, then renamed: a reader never sees half a file).
    Where the temp dir is not writable (a read-only image without a tmpfs), the bytes are kept in memory.
    The readiness priming calls this at start-up, so no request waits for it."""
    source = plotly_js_path()
    stat = source.stat()
    folder = Path(tempfile.gettempdir()) / "stepwise-static"
    target = folder / f"plotly-{stat.st_size}-{stat.st_mtime_ns}.min.js.gz"
    with _gzipped_lock:
        if target.is_file():
            return target
        packed = gzip.compress(source.read_bytes(), compresslevel=9, mtime=0)  # mtime 0: the same bytes each time
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{target.name}.{os.getpid()}.tmp"
            partial.write_bytes(packed)
            os.replace(partial, target)
        except OSError:
            return packed
        return target


def _not_modified(etag: str, request: Request) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    return wanted.strip() == "*" or etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]


def _etag_of(path: Path) -> str:
    stat = path.stat()
    return '"' + hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False).hexdigest() + '"'


def plotly_bundle(request: Request) -> Response:
    """``plotly.min.js``: its precompressed ``.gz`` to a client that takes gzip (``Content-Encoding: gzip``,
    the ``.gz``'s own length and ETag), the file itself to one that does not; a matching ``If-None-Match``
    gets a 304. The compression middleware leaves a response with a ``Content-Encoding`` alone."""
    headers = {"Cache-Control": PLOTLY_CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        packed = plotly_js_gz()
        headers["Content-Encoding"] = "gzip"
        if isinstance(packed, bytes):  # kept in memory (no writable temp dir)
            etag = '"' + hashlib.md5(packed, usedforsecurity=False).hexdigest() + '-gz"'
            if _not_modified(etag, request):
                return Response(status_code=304, headers={**headers, "ETag": etag})
            body = b"" if request.method == "HEAD" else packed
            response = Response(body, media_type="text/javascript", headers={**headers, "ETag": etag})
            response.headers["content-length"] = str(len(packed))
            return response
        path = packed
        if not path.is_file():  # a temp cleaner removed it: make it again
            plotly_js_gz.cache_clear()
            return plotly_bundle(request)
    else:
        path = plotly_js_path()
    etag = _etag_of(path)
    if _not_modified(etag, request):
        return Response(status_code=304, headers={**headers, "ETag": etag})
    return FileResponse(path, media_type="text/javascript", headers={**headers, "ETag": etag})


def mount_static(app: FastAPI) -> None:
    """Serve ``/static`` and the installed plotly.js at ``/static/vendor/plotly.min.js`` (precompressed).

    The vendor route is registered before the mount so it wins the match. The other static files are
    compressed on the way out by ``app.compression``."""
    app.add_api_route("/static/vendor/plotly.min.js", plotly_bundle, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
