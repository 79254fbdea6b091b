"""A run request made valid: its params validated, its cache key, its inputs; and how failures are reported.

``plan_run`` turns (algorithm, raw params, seed) into a ``RunPlan`` or raises ``RunInputError`` (a 422
with pydantic-style locations) or ``RunFailed`` (the lab itself broke: a 500). It is ``validate_run`` (params
validated, the run keyed) and then ``RunPlan.prepare()`` (the lab's inputs built); the service calls the two
apart and looks the key up in the cache and among the runs in flight between them, so a cached or shared run
never builds its data twice. Computing a plan is ``app.producer``; sharing it is ``app.service``.

Who is at fault decides how a failure is reported (``error`` events carry ``fault``):

* ``"input"``: the params are invalid → ``RunInputError`` before anything runs (422).
* ``"limit"``: valid params asked for more than this server gives one run (``STEPWISE_MAX_FRAMES``,
  ``STEPWISE_RUN_TIMEOUT_S``) → an ``error`` event ``{"detail", "fault": "limit", "setting"}`` (422 as JSON):
  the message names the setting, and asking for less fixes it.
* ``"server"``: the lab raised on valid params (engine, view or encoding) → an ``error`` event
  ``{"detail", "fault": "server"}`` (500 as JSON), logged with the algorithm, the params hash and the seed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from app import __version__
from app.cache import RunEvent
from app.core.algorithm import Algorithm
from app.core.limits import Limits
from app.encoding import dumps, json_safe
from app.schemas.common import ParamsError
from app.settings import Settings

log = logging.getLogger(__name__)


class RunInputError(Exception):
    """Invalid params: ``errors`` is a pydantic-style list whose ``loc`` starts with ("body", "params")."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class RunFailed(Exception):
    """The lab raised while preparing valid params: a server fault. ``payload`` is the JSON error body."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload["detail"])
        self.payload = payload


_UNPREPARED: Any = object()


@dataclass(frozen=True)
class RunPlan:
    """A validated run and its cache key. Its inputs are built on first need (``prepare``), so a run served
    from the cache never builds its data (for hierarchical clustering, the whole SciPy tree)."""

    algorithm: Algorithm[Any, Any]
    params: BaseModel
    seed: int
    figure: bool
    key: str
    limits: Limits
    _inputs: Any = field(default=_UNPREPARED, init=False, repr=False, compare=False)

    @property
    def resolved_params(self) -> dict[str, Any]:
        return self.params.model_dump(mode="json")

    def prepare(self) -> Any:
        """The lab's inputs, built now unless they are already: raises ``RunInputError`` (the data does not
        fit the params: a 422) or ``RunFailed`` (the lab broke on valid params: a 500)."""
        if self._inputs is _UNPREPARED:
            object.__setattr__(self, "_inputs", _prepare_inputs(self))  # once: a frozen plan caches its inputs
        return self._inputs

    @property
    def inputs(self) -> Any:
        return self.prepare()


def limits_of(settings: Settings) -> Limits:
    """The data limits schemas and labs check against, from the service's settings (DESIGN §2: only the
    service reads settings)."""
    return Limits(
        max_points=settings.max_points,
        max_points_hierarchical=settings.max_points_hierarchical,
        max_abs_value=settings.max_abs_value,
        max_search_fits=settings.max_search_fits,
        max_search_fits_mlp=settings.max_search_fits_mlp,
        max_images=settings.max_images,
        max_image_side=settings.max_image_side,
        max_model_bytes=settings.max_model_bytes,
        max_cnn_parameters=settings.max_cnn_parameters,
        max_cnn_work=settings.max_cnn_work,
    )


def _error(loc: tuple[str | int, ...], msg: str, kind: str = "value_error", value: Any = None) -> dict[str, Any]:
    return {"type": kind, "loc": ["body", "params", *loc], "msg": msg, "input": json_safe(value)}


def scrub_numbers(value: Any) -> list[dict[str, Any]]:
    """Make raw JSON params canonical in place: ``-0.0`` becomes ``0.0`` (the same run, one cache key; NumPy
    rejects a scale of ``-0.0``), and every NaN / ±Infinity literal (Python's JSON parser accepts them, JSON
    has none) is an error at its location. Iterative, so deeply nested input cannot exhaust the stack."""
    errors: list[dict[str, Any]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, loc = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, item in items:
            if isinstance(item, float):
                if not math.isfinite(item):
                    literal = "NaN" if math.isnan(item) else "Infinity" if item > 0 else "-Infinity"
                    errors.append(
                        _error(
                            (*loc, key),
                            f"{literal} is not a finite number (JSON has no NaN or Infinity)",
                            "finite_number",
                            literal,
                        )
                    )
                elif item == 0.0:
                    node[key] = 0.0
            elif isinstance(item, (dict, list)):
                stack.append((item, (*loc, key)))
    return errors


def params_hash(params: dict[str, Any]) -> str:
    """A short hash of resolved params, for logs (the full params of inline data can be megabytes)."""
    return hashlib.sha256(dumps(params).encode()).hexdigest()[:16]


def server_fault(
    algorithm: Algorithm[Any, Any], params: dict[str, Any] | BaseModel, seed: int, exc: BaseException, stage: str
) -> dict[str, Any]:
    """Log a lab's failure on valid params with the request, and return the error payload that says so."""
    resolved = params.model_dump(mode="json") if isinstance(params, BaseModel) else params
    shown = dumps(resolved)
    log.error(
        "lab %s failed in %s (params sha256 %s, seed %d): %s: %s; params %s",
        algorithm.id,
        stage,
        params_hash(resolved),
        seed,
        type(exc).__name__,
        exc,
        shown if len(shown) <= 2_000 else shown[:2_000] + "…",
        exc_info=exc,
    )
    reason = f"{type(exc).__name__}: {exc}"
    reason = reason if len(reason) <= 300 else reason[:300] + "…"
    return {
        "detail": f"The {algorithm.title} lab failed ({reason}). This is a bug on our side, not a problem "
        "with your settings; it has been logged.",
        "fault": "server",
        "error": reason,
    }


def plan_run(
    algorithm: Algorithm[Any, Any], params: dict[str, Any], seed: int, figure: bool, settings: Settings
) -> RunPlan:
    """Validate params (defaults filled), key the run by its canonical request, and build the inputs."""
    plan = validate_run(algorithm, params, seed, figure, settings)
    plan.prepare()
    return plan


def validate_run(
    algorithm: Algorithm[Any, Any], params: dict[str, Any], seed: int, figure: bool, settings: Settings
) -> RunPlan:
    """Validate params (defaults filled, against the limits of ``settings``) and key the run by its canonical
    request; the inputs are left to ``RunPlan.prepare`` (after a cache lookup)."""
    if not 0 <= seed <= 2**32 - 1:  # the API's RunRequest checks it too; the CLI and tests come straight here
        raise RunInputError(
            [
                {
                    "type": "seed_range",
                    "loc": ["body", "seed"],
                    "input": seed,
                    "msg": f"the seed must be a whole number from 0 to {2**32 - 1}, got {seed}",
                }
            ]
        )
    bad_numbers = scrub_numbers(params)
    if bad_numbers:
        raise RunInputError(bad_numbers)
    limits = limits_of(settings)
    try:
        model = algorithm.params_model.model_validate(params, context={"limits": limits})
    except ValidationError as exc:
        raise RunInputError(
            [
                {**e, "loc": ["body", "params", *e["loc"]], "input": json_safe(e.get("input"))}
                for e in exc.errors(include_url=False, include_context=False)
            ]
        ) from None
    canonical = dumps(
        {
            "v": __version__,
            "algorithm": algorithm.id,
            "params": model.model_dump(mode="json"),
            "seed": seed,
            "figure": figure,
        }
    )
    key = hashlib.sha256(canonical.encode()).hexdigest()
    return RunPlan(algorithm, model, seed, figure, key, limits)


def _prepare_inputs(plan: RunPlan) -> Any:
    """``prepare`` of the plan's lab, its failures sorted by fault. (The row limit is the dataset spec's:
    it refused an oversized dataset in validation, before any data was built.)"""
    algorithm, model = plan.algorithm, plan.params
    try:
        inputs = algorithm.prepare(model, plan.limits)
    except ParamsError as exc:
        raise RunInputError([_error(exc.loc, exc.msg, value=exc.value)]) from None
    except Exception as exc:  # valid params the lab cannot prepare: its bug, not the user's input
        raise RunFailed(server_fault(algorithm, model, plan.seed, exc, "prepare")) from exc
    return inputs


def error_status(event: RunEvent) -> int:
    """The HTTP status of an ``error`` event when nothing was sent yet: 500 for a lab's fault, else 422."""
    return 500 if json.loads(event.data).get("fault") == "server" else 422


def jsonl_line(event: RunEvent) -> str:
    """A frame is its own line; the scene, panels and result are wrapped in their name; an error is
    ``{"detail", "fault", ...}``."""
    if event.kind in ("frame", "error"):
        return event.data
    return f'{{"{event.kind}":{event.data}}}'


def json_document(plan: RunPlan, events: list[RunEvent]) -> str:
    """``{"algorithm", "seed", "params", "frames", "result"}`` (+ ``scene``, ``panels`` with figures),
    spliced from the already-encoded events so cached runs are served without re-encoding."""
    frames = [e.data for e in events if e.kind == "frame"]
    named = {e.kind: e.data for e in events if e.kind in ("result", "scene", "panels")}
    head = dumps({"algorithm": plan.algorithm.id, "seed": plan.seed, "params": plan.resolved_params})
    body = head[:-1] + ',"frames":[' + ",".join(frames) + "]"
    for name in ("result", "scene", "panels"):
        if name in named:
            body += f',"{name}":{named[name]}'
    return body + "}"
