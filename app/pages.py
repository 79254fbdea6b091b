"""HTML pages: the catalog (``/``) and the player (``/algorithms/{id}``).

Pages are thin: they pass the algorithm's identity to the template; the browser modules in
``static/js/`` fetch schemas and runs from the JSON API. ``mount_static`` serves ``static/`` and the
plotly.js bundle shipped inside the installed ``plotly`` package (no CDN: classrooms are often offline).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import os
import tempfile
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import previews
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
    "trees": "Decision trees",
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


JOURNAL_LENGTH_DAYS = 66  # the journal the labs follow (DESIGN §7; /api/v1/lessons is its 66-day path)

# One short sentence per card where the summary's first sentence is too long to scan in a grid; a lab without
# one shows its summary's first sentence. Data, not logic: the catalog stays the one list of labs.
TAGLINES = {
    "convolution": "A kernel slides over a real image: each window's products and their sum fill the output map.",
    "cnn": "Train a small CNN on digits and open it up: filters, feature maps, mistakes, and a digit you draw.",
    "resnet": "Race a deep plain network against the same one with skip connections and watch its gradients vanish.",
    "separable-conv": "Split a convolution into a per-channel k×k filter and a 1×1 mix, and count what it saves.",
    "segmentation": "Class every pixel: a transposed convolution stamps its kernel, then masks sharpen epoch by epoch.",
    "transfer-learning": "A CNN trained on digits 0–4 learns 5–9 from 50 labels: scratch, frozen, fine-tuned, thawed.",
    "backprop": "Watch backpropagation node by node: each gradient is a local derivative times the one upstream.",
    "softmax": "Turn logits into probabilities one move at a time, then watch p − onehot push the loss down.",
    "tensors": "See data become tensors: an image's channels and strides, a table's encodings, text one-hot, windows.",
    "rnn": "Race an RNN against an LSTM through time and watch the RNN's gradient vanish across the window.",
    "gan": "Pit a generator against a discriminator and watch fake points chase a ring of Gaussians, mode by mode.",
    "logistic-regression": "A linear score squashed into class probabilities, trained by gradient descent.",
    "optimizers": "SGD, momentum, Nesterov, AdaGrad, RMSProp and Adam race across one loss surface.",
    "perceptron": "Each misclassified point pulls the line towards itself, one update at a time.",
    "kmeans": "Seed centroids, give each point to the nearest, move each centroid to its mean, repeat.",
    "hierarchical": "Merge the two closest clusters again and again, and cut the dendrogram it grows.",
    "dbscan": "Clusters grow from dense core points; the points left in sparse regions are noise.",
    "svm": "Watch SMO widen the margin and pick out the support vectors, two coefficients at a time.",
    "gradient-descent": "Fit a line by gradient descent: the whole batch, mini-batches or one row per step.",
    "neural-network": "A small network learns a decision boundary; watch every neuron's output change.",
    "activations": "Activation functions side by side, and what a deep stack of them does to a signal.",
    "cross-validation": "Cut the rows into k folds, score each on a model that never saw it, read the mean ± std.",
    "bias-variance": "Fit one model to many noisy training sets: its test error splits into bias², variance and noise.",
    "regularization": "Sweep α: L1 zeroes weights one by one, L2 shrinks them all; weight decay is L2 in disguise.",
    "hyperparameter-tuning": "Grid, random or halving search of two settings; the best CV score beside its test score.",
    "learning-curves": "Learning curves, validation curves and early stopping: short of data, too simple or overfit.",
}


def day_ranges(days: tuple[int, ...] | list[int]) -> list[str]:
    """Consecutive days joined: ``(1, 56, 57)`` → ``["1", "56–57"]``."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + 1 == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [f"{a}–{b}" if a != b else f"{a}" for a, b in runs]


def compact_days(days: tuple[int, ...] | list[int]) -> str:
    """``(21, 22, 23, 50, 61)`` → "21–23, 50, 61" (the README's labs table)."""
    return ", ".join(day_ranges(days))


def journal_days(days: tuple[int, ...] | list[int]) -> str:
    """The journal days in words, for a newcomer: ``(13,)`` → "Day 13 of the 66-day journal";
    ``(1, 56, 57)`` → "Days 1 and 56–57 of the 66-day journal"; ``(21, 22, 23, 50, 61)`` →
    "Days 21–23, 50 and 61 of the 66-day journal"."""
    ranges = day_ranges(days)
    if not ranges:
        return f"Part of the {JOURNAL_LENGTH_DAYS}-day journal"
    listed = ranges[0] if len(ranges) == 1 else ", ".join(ranges[:-1]) + " and " + ranges[-1]
    word = "Day" if len(ranges) == 1 and "–" not in ranges[0] else "Days"
    return f"{word} {listed} of the {JOURNAL_LENGTH_DAYS}-day journal"


def tagline(algorithm: Algorithm[Any, Any]) -> str:
    return TAGLINES.get(algorithm.id) or previews.first_sentence(algorithm.summary)


def card(algorithm: Algorithm[Any, Any]) -> dict[str, Any]:
    return {
        "id": algorithm.id,
        "title": algorithm.title,
        "family": algorithm.family,
        "family_title": family_title(algorithm.family),
        "summary": algorithm.summary,
        "tagline": tagline(algorithm),
        "days": list(algorithm.days),
        "days_label": journal_days(algorithm.days),
        "preview_url": f"/previews/{algorithm.id}.svg",
        "preview_alt": previews.description(algorithm),
    }


CATALOG_COLUMNS = 4  # catalog.css's widest grid
PACKING_LOOKAHEAD = 8  # families considered for filling one row (2**8 subsets at most)


def row_pieces(families: list[dict[str, Any]], columns: int) -> list[dict[str, Any]]:
    """Each family cut into pieces of at most ``columns`` cards, the later ones titled "… (continued)".

    A family is one grid item (catalog.css), so a family of six cards in a row of four would leave two holes
    in its last row that no other family can fill; its pieces can share rows like small families do."""
    pieces: list[dict[str, Any]] = []
    for family in families:
        cards = family["cards"]
        for start in range(0, max(len(cards), 1), columns):
            n = start // columns
            pieces.append(
                {
                    **family,
                    "cards": cards[start : start + columns],
                    "title": family["title"] if n == 0 else f"{family['title']} (continued)",
                    "anchor": family["id"] if n == 0 else f"{family['id']}-{n + 1}",
                    "piece": n,
                }
            )
    return pieces


def pack_families(families: list[dict[str, Any]], columns: int) -> list[dict[str, Any]]:
    """The families' row pieces (`row_pieces`) in an order whose rows of ``columns`` cards come out full (each
    piece spans one column per card). Row by row: the first piece left that starts a row which can be filled
    (a piece that cannot waits for a later row: one card of a small family does not strand a row), then the later
    pieces that fill the rest of the row best — most cards, then moving pieces the least far forward. A family's
    pieces keep their order. Narrower grids fill their holes themselves (``grid-auto-flow: dense``)."""
    left = row_pieces(families, columns)
    ordered: list[dict[str, Any]] = []

    def ready(piece: dict[str, Any], placed: list[dict[str, Any]]) -> bool:  # its family's earlier pieces are placed
        return not any(
            p["id"] == piece["id"] and p["piece"] < piece["piece"] and not any(p is q for q in placed) for p in left
        )

    def fill(first: dict[str, Any]) -> list[dict[str, Any]]:
        """The later pieces that fill the row ``first`` starts best."""
        room = columns - len(first["cards"])
        window = [piece for piece in left[:PACKING_LOOKAHEAD] if piece is not first and ready(piece, [first])]
        sizes = [len(piece["cards"]) for piece in window]
        best: tuple[int, ...] = ()
        best_key = (0, 0)
        for size in range(1, len(window) + 1):
            for chosen in itertools.combinations(range(len(window)), size):
                filled = sum(sizes[i] for i in chosen)
                key = (filled, -max(chosen))
                if filled <= room and key > best_key:
                    best, best_key = chosen, key
        return [window[i] for i in best]

    while left:
        starters = [piece for piece in left[:PACKING_LOOKAHEAD] if ready(piece, [])]
        rows = ((first, fill(first)) for first in starters)
        full = (row for row in rows if len(row[0]["cards"]) + sum(len(p["cards"]) for p in row[1]) == columns)
        first, picked = next(full, None) or (left[0], fill(left[0]))
        ordered.extend([first, *picked])
        left = [piece for piece in left if not any(piece is p for p in (first, *picked))]
    return ordered


@router.get("/", response_class=HTMLResponse)
def catalog_page(request: Request) -> Response:
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for algorithm in all_algorithms():
        groups.setdefault(algorithm.family, []).append(card(algorithm))
    families = [{"id": family, "title": family_title(family), "cards": cards} for family, cards in groups.items()]
    families = pack_families(families, CATALOG_COLUMNS)
    count = sum(len(f["cards"]) for f in families)
    return templates.TemplateResponse(request, "index.html", {"families": families, "count": count, "page": "catalog"})


@router.get("/algorithms/{algorithm_id}", response_class=HTMLResponse)
def algorithm_page(request: Request, algorithm_id: str) -> Response:
    algorithm = get_algorithm(algorithm_id)
    if algorithm is None:
        return templates.TemplateResponse(
            request,
            "404.html",
            {
                "missing": algorithm_id,
                "page": "missing",
                "labs": [{"id": a.id, "title": a.title} for a in all_algorithms()],
            },
            status_code=404,
        )
    return templates.TemplateResponse(request, "algorithm.html", {"algorithm": card(algorithm), "page": "player"})


@router.api_route("/previews/{algorithm_id}.svg", methods=["GET", "HEAD"])
async def preview_image(request: Request, algorithm_id: str) -> Response:
    """A lab's card image (``app.previews``): made once per process, with an ETag (a match gets a 304)."""
    algorithm = get_algorithm(algorithm_id)
    if algorithm is None:
        detail = f"no algorithm called {algorithm_id!r}: GET /api/v1/algorithms lists them"
        return JSONResponse({"detail": detail}, status_code=404)  # every error is JSON {"detail"}
    state = request.app.state
    preview = await previews.maker_of(state, state.run_service, state.settings).preview(algorithm)
    headers = {"ETag": preview.etag, "Cache-Control": preview.cache_control}
    if _not_modified(preview.etag, request):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else preview.svg
    response = Response(body, media_type="image/svg+xml", headers=headers)
    response.headers["content-length"] = str(len(preview.svg))
    return response


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
