"""``/api/v1/datasets``: the dataset catalog and one dataset's points.

* ``GET /api/v1/datasets`` → ``[{"name", "title", "kind", "description", "params_schema", "defaults"}]``: the
  shared 2-D datasets (``app.schemas.datasets``), then the ones only some labs take, so that every dataset a lab
  offers has points to draw in its picker: PCA's correlated Gaussian clouds (2 and 3 features) and the digits
  (as the other tables: its first two principal components, ``features=pca``), and the regression sets of the
  trees, boosting and gradient descent (``line``, ``two_scales``, ``sine``: y a number).
* ``GET /api/v1/datasets/{name}?n_samples=..&noise=..&seed=..`` → ``{"name", "X", "y", "feature_names",
  "params"}``: ``X`` rows of the dataset's features (2; 3 for ``gaussian3d``; 1 for ``line`` and ``sine``, whose
  points are (x, y)), ``y`` a label per row (a number for a regression set). The query string is validated
  by the dataset's spec model against the service's limits (unknown names, bad values and too many rows are
  422 with pydantic's error list, located under ``query``, or under ``path`` for a bundled table whose fixed
  size is over ``STEPWISE_MAX_POINTS``); an unknown dataset is 404. The router validates and loads: the rules
  are the spec's.
* An image set (``digit_images``, ``photo``, ``shapes``) answers with typed arrays of pixels instead of ``X``:
  see ``app.api.images``, which also takes uploads (``POST /api/v1/datasets/image``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio
import anyio.to_process
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ConfigDict, ValidationError

from app.api.deps import LimitsDep, SettingsDep
from app.api.documents import static_document
from app.api.images import image_payload
from app.datasets.csv_parse import CsvError, ParseOptions, parse_upload
from app.schemas.datasets import SPECS, DigitsTable, TwoFeatureSpec, dataset_catalog
from app.schemas.gan import RingSpec, SegmentSpec
from app.schemas.images import IMAGE_SPECS, ImageSpec, image_catalog
from app.schemas.pca import Gaussian2DSpec, Gaussian3DSpec
from app.schemas.regression import LineSpec, SineSpec, TwoScalesSpec
from app.schemas.spec import DatasetSpec, catalog_entries
from app.settings import Settings

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])


class DigitsSpec(DigitsTable, TwoFeatureSpec):
    """Handwritten digits: 1,797 8×8 images of the digits 0–9, 64 pixel features (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Digits")


ServedSpec = type[DatasetSpec] | type[LineSpec] | type[TwoScalesSpec] | type[SineSpec]
"""A spec model the endpoints serve: each has ``load()`` giving ``X``, ``y`` and ``feature_names``."""
_LAB_SPECS: tuple[ServedSpec, ...] = (
    Gaussian2DSpec,
    Gaussian3DSpec,
    DigitsSpec,
    LineSpec,
    TwoScalesSpec,
    SineSpec,
    RingSpec,
    SegmentSpec,
)
"""Datasets only some labs take (PCA's, the regression sets), served after the shared ones."""
ALL_SPECS: dict[str, ServedSpec] = {
    **SPECS,
    **{cls.model_fields["name"].default: cls for cls in _LAB_SPECS},
}
"""Every dataset these endpoints serve, by name (a name is one dataset: the lab ones add names, never reuse one)."""
assert len(ALL_SPECS) == len(SPECS) + len(_LAB_SPECS), "a lab's dataset name is already a shared one"
assert not set(ALL_SPECS) & set(IMAGE_SPECS), "an image set's name is already a 2-D one"


def catalog() -> list[dict[str, Any]]:
    """``GET /api/v1/datasets``: the shared datasets (in their order), then the lab ones, then the image sets
    (``kind: "images"``, with their ``shape`` (n, H, W, C) at the defaults)."""
    entries: list[dict[str, Any]] = [*dataset_catalog(), *catalog_entries(_LAB_SPECS), *image_catalog()]
    return entries


def _query_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's error list, JSON-safe, each ``loc`` prefixed like FastAPI's own: ``"path"`` for the
    ``name`` (it comes from the path: a table too large for the limit is refused there), else ``"query"``."""
    errors: list[dict[str, Any]] = json.loads(exc.json(include_url=False))
    for err in errors:
        err["loc"] = ["path" if err["loc"][:1] == ["name"] else "query", *err["loc"]]
    return errors


@router.get("", summary="List the datasets", response_model=list[dict[str, Any]])
def list_datasets(request: Request) -> Response:
    """Every generator and bundled table (and the lab-only sets: PCA's, the regression ones), with the JSON
    Schema of its parameters and their defaults."""
    return static_document(request, "datasets", catalog)


@router.get("/{name}", summary="Generate one dataset")
def get_dataset(
    name: Annotated[str, Path(description="Dataset name, e.g. moons (see GET /api/v1/datasets).")],
    request: Request,
    limits: LimitsDep,
) -> dict[str, Any]:
    """The points of dataset ``name`` for the parameters in the query string (defaults for the rest).

    Parameters are the fields of the dataset's ``params_schema``; classic tables take ``features=pca``
    or ``features=0,2``. ``X`` is a list of ``n`` rows (2 numbers; 3 for ``gaussian3d``, 1 for ``line`` and
    ``sine``), ``y`` a list of ``n`` labels (numbers for a regression set).
    """
    spec_cls: ServedSpec | type[ImageSpec] | None = ALL_SPECS.get(name) or IMAGE_SPECS.get(name)
    if spec_cls is None:
        raise HTTPException(404, f"unknown dataset {name!r}; known: {', '.join([*ALL_SPECS, *IMAGE_SPECS])}")
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
        spec = spec_cls.model_validate({**query, "name": name}, context={"limits": limits})
    except ValidationError as exc:
        raise RequestValidationError(_query_errors(exc)) from None
    if isinstance(spec, ImageSpec):
        return image_payload(name, spec)
    data = spec.load()
    return {
        "name": name,
        "X": data.X.tolist(),
        "y": None if data.y is None else data.y.tolist(),
        "feature_names": list(data.feature_names),
        "params": spec.model_dump(mode="json"),
    }


_PARSE_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}, "text": {"type": "string"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    },
}


def _csv_error(exc: CsvError) -> RequestValidationError:
    ctx = {k: v for k, v in (("row", exc.row), ("column", exc.column)) if v is not None}
    return RequestValidationError(
        [{"type": f"csv_{exc.code}", "loc": ["body", "csv"], "msg": exc.msg, "input": None, "ctx": ctx}]
    )


async def _csv_bytes(request: Request, limit: int) -> bytes:
    """The CSV from a multipart upload (``file`` or ``text`` field) or the raw body (text/csv, text/plain)."""
    too_big = HTTPException(413, f"the CSV is over the limit of {limit:,} bytes (STEPWISE_CSV_MAX_BYTES)")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + 64_000:  # room for the multipart envelope
        raise too_big
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        # The context manager closes the spooled upload files (else a ResourceWarning per upload).
        async with request.form(max_files=1, max_fields=8, max_part_size=limit + 1) as form:
            part = form.get("file", form.get("text"))
            if part is None:
                raise RequestValidationError(
                    [
                        {
                            "type": "missing",
                            "loc": ["body", "file"],
                            "input": None,
                            "msg": "upload the CSV as a 'file' field (or paste it as 'text')",
                        }
                    ]
                )
            raw = part.encode() if isinstance(part, str) else await part.read()
    else:
        raw = await request.body()
    if len(raw) > limit:
        raise too_big
    return raw


# Uploads up to STEPWISE_CSV_THREAD_MAX_BYTES (64 KB) are parsed in a thread of this process: a few ms of work,
# the longest single C call (the csv module parses one record holding the GIL) ~3 ms. Larger ones are parsed in
# a worker process, where neither their GIL holds (about 50 ms per MB of one record) nor the garbage collections
# their allocations set off (0.5 s for a full collection of this process's objects, measured) stall the loop.


def _limiter(request: Request, name: str, tokens: int) -> anyio.CapacityLimiter:
    """A limiter kept on the app, made on first use (inside the app's event loop)."""
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, name, None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(tokens)
        setattr(request.app.state, name, limiter)
    return limiter


async def _parse(request: Request, raw: bytes, options: ParseOptions, settings: Settings) -> dict[str, Any]:
    """Parse off the event loop, at most half the CPU slots at a time (uploads beyond wait their turn instead
    of taking the threads and cores runs need): small uploads in a thread, larger ones in worker processes
    (started on the first large upload, ~0.5 s, then kept by anyio for reuse)."""
    slots = settings.csv_parse_slots
    if len(raw) <= settings.csv_thread_max_bytes:
        return await anyio.to_thread.run_sync(
            parse_upload, raw, options, limiter=_limiter(request, "csv_threads", slots)
        )
    result: dict[str, Any] = await anyio.to_process.run_sync(
        parse_upload, raw, options, limiter=_limiter(request, "csv_processes", slots)
    )
    return result


@router.post("/parse", summary="Parse a CSV into X and y", openapi_extra=_PARSE_BODY)
async def parse_csv(
    request: Request,
    settings: SettingsDep,
    features: Annotated[
        str | None,
        Query(
            description="Feature columns, comma-separated names or 0-based "
            "indices (default: the first two numeric columns)."
        ),
    ] = None,
    label: Annotated[
        str | None,
        Query(description="Label column, a name or 0-based index (default: the last column when there are 3 or more)."),
    ] = None,
    no_label: Annotated[bool, Query(description="Unlabelled data: no y (for clustering).")] = False,
) -> dict[str, Any]:
    """Sniff the delimiter (from the first ``STEPWISE_CSV_SNIFF_BYTES``) and the header of an uploaded CSV
    (multipart ``file`` or a ``text/csv`` body) and return its ``columns`` with ``X`` and ``y`` for the chosen
    feature and label columns. Limits (413/422): ``STEPWISE_CSV_MAX_BYTES``, ``_MAX_ROWS``, ``_MAX_COLUMNS``,
    ``_MAX_CLASSES``. Every defect is a 422 whose ``type`` names it (``csv_not_a_number``, ``csv_missing_value``,
    ``csv_ragged_row``, ``csv_not_utf8``, ``csv_one_class``, ``csv_too_few_rows``, ``csv_too_large``,
    ``csv_cell_too_long``, ``csv_bad_quoting``, ...) and whose ``msg`` gives the row and column. Rows are the
    file's line numbers (1-based, header included); a quoted field may hold delimiters and newlines (it stays
    one value). Every value of X is at most ``STEPWISE_MAX_ABS_VALUE`` in size, the rule inline data follows.
    Parsing runs in a worker thread and is linear in the file's size."""
    raw = await _csv_bytes(request, settings.csv_max_bytes)
    options = ParseOptions(
        features=[f.strip() for f in features.split(",") if f.strip()] if features else None,
        label=label,
        no_label=no_label,
        max_rows=settings.csv_max_rows,
        max_columns=settings.csv_max_columns,
        max_classes=settings.csv_max_classes,
        max_abs=settings.max_abs_value,
        sniff_bytes=settings.csv_sniff_bytes,
    )
    try:
        return await _parse(request, raw, options, settings)
    except CsvError as exc:
        raise _csv_error(exc) from None
