"""The run service: validate a request, run its engine under limits in a worker thread, encode, cache.

``plan_run`` turns (algorithm, raw params, seed) into a ``RunPlan`` or raises ``RunInputError`` (a 422
with pydantic-style locations) or ``RunFailed`` (the lab itself broke: a 500). It is ``validate_run`` (params
validated, the run keyed) and then ``RunPlan.prepare()`` (the lab's inputs built); the API calls the two apart
and looks the key up in the cache between them, so a cached run never builds its data. ``RunService.acquire`` takes a
run slot (or raises ``Busy``: a 503); ``RunService.events`` yields encoded ``RunEvent``s: the scene, one per
frame, the panels, the result. The engine advances one frame per worker-thread hop, so a cancelled stream
stops it within one frame.

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
import sys
import threading
import time
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass, field
from typing import Any

import anyio
import numpy as np
from pydantic import BaseModel, ValidationError

from app import __version__
from app.cache import MemoryRunCache, RedisRunCache, RunCache, RunEvent
from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.encoding import dumps, encode, json_safe
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


class Busy(Exception):
    """Every run slot is taken."""


class Slot:
    """One taken run slot; ``release`` is idempotent, so both the stream and the response may call it."""

    def __init__(self, service: RunService) -> None:
        self._service = service
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._service._release()


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


@dataclass
class _Producer:
    """Advances one engine, one frame per call, and encodes what it yields. Lives in worker threads."""

    plan: RunPlan
    settings: Settings
    events: list[RunEvent] = field(default_factory=list)
    done: bool = False
    complete: bool = False
    _engine: Generator[Frame, None, dict[str, Any]] | None = None
    _index: int = 0
    _deadline: float = 0.0

    def step(self) -> list[RunEvent]:
        """The next events (the scene comes with the first frame). Sets ``done`` after the last.

        Whatever the lab raises (engine, view, encoding) ends the run with a server-fault ``error`` event."""
        out: list[RunEvent] = []
        try:
            return self._emit(self._advance(out))
        except Exception as exc:  # a bug in the lab must end the run with a message, not a broken stream
            plan = self.plan
            payload = server_fault(plan.algorithm, plan.params, plan.seed, exc, f"frame {self._index}")
            self.done, self.complete = True, False
            return self._emit([*out, RunEvent("error", dumps(payload))])

    def _advance(self, out: list[RunEvent]) -> list[RunEvent]:
        plan = self.plan
        if self._engine is None:
            if "torch" in sys.modules:  # one intra-op thread per run: runs scale across cores, not within
                sys.modules["torch"].set_num_threads(1)
            self._deadline = time.monotonic() + self.settings.run_timeout_s
            self._engine = plan.algorithm.engine(plan.inputs, plan.params, np.random.default_rng(plan.seed))
            if plan.figure:
                out.append(RunEvent("scene", encode(plan.algorithm.view.scene(plan.inputs, plan.params))))
        try:
            frame = next(self._engine)
        except StopIteration as stop:
            out.extend(self._finish(stop.value or {}))
            return out
        out.append(self._encode_frame(frame))
        self._index += 1
        if not all(np.isfinite(v) for v in frame.metrics.values()):
            out.extend(self._diverged(frame))
        elif self._index >= self.settings.max_frames:
            out.append(
                self._limit(
                    f"the run was stopped after {self._index} frames, the most this server gives "
                    "one run (STEPWISE_MAX_FRAMES); ask for fewer steps",
                    "STEPWISE_MAX_FRAMES",
                )
            )
        elif time.monotonic() > self._deadline:
            out.append(
                self._limit(
                    f"the run was stopped after {self.settings.run_timeout_s:g} s, the time budget "
                    f"of one run on this server (STEPWISE_RUN_TIMEOUT_S), at frame {self._index}; "
                    "ask for fewer steps or points",
                    "STEPWISE_RUN_TIMEOUT_S",
                )
            )
        return out

    def _emit(self, out: list[RunEvent]) -> list[RunEvent]:
        self.events.extend(out)
        return out

    def _encode_frame(self, frame: Frame) -> RunEvent:
        payload: dict[str, Any] = {
            "index": self._index,
            "kind": frame.kind,
            "caption": frame.caption,
            "state": frame.state,
            "metrics": frame.metrics,
        }
        if self.plan.figure:
            payload["figure"] = self.plan.algorithm.view.render(frame, self.plan.inputs, self.plan.params)
        return RunEvent("frame", encode(payload), self._index)

    def _finish(self, result: dict[str, Any]) -> list[RunEvent]:
        self.done = self.complete = True
        out = []
        if self.plan.figure:
            panels = self.plan.algorithm.view.panels(result, self.plan.inputs, self.plan.params)
            out.append(RunEvent("panels", encode(panels)))
        out.append(RunEvent("result", encode(result)))
        return out

    def _diverged(self, frame: Frame) -> list[RunEvent]:
        bad = ", ".join(name for name, v in frame.metrics.items() if not np.isfinite(v))
        caption = (
            f"The run diverged: {bad} became NaN or infinite at frame {self._index - 1}. "
            "Try a smaller step size or gentler settings."
        )
        last = Frame("diverged", caption, {}, {})
        out = [self._encode_frame(last)]
        self._index += 1
        self.done = self.complete = True
        out.append(RunEvent("result", encode({"diverged": True, "detail": caption})))
        return out

    def _limit(self, detail: str, setting: str) -> RunEvent:
        """Valid params that need more than one run may take here: the request's size, not a bug."""
        self.done = True
        log.info(
            "run of %s stopped by %s (params sha256 %s, seed %d)",
            self.plan.algorithm.id,
            setting,
            params_hash(self.plan.resolved_params),
            self.plan.seed,
        )
        return RunEvent("error", dumps({"detail": detail, "fault": "limit", "setting": setting}))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()


class RunService:
    """Owns the run slots, the cache and the count of active runs."""

    def __init__(self, settings: Settings, cache: RunCache | None = None) -> None:
        self.settings = settings
        self.cache: RunCache = cache or self._default_cache(settings)
        self._lock = threading.Lock()
        self.active_runs = 0
        self.runs_started = 0

    @staticmethod
    def _default_cache(settings: Settings) -> RunCache:
        if settings.redis_url:
            return RedisRunCache(settings.redis_url)
        return MemoryRunCache(settings.cache_entries, settings.cache_bytes)

    def cached(self, plan: RunPlan) -> list[RunEvent] | None:
        return self.cache.get(plan.key)

    def acquire(self) -> Slot:
        """Take a run slot or raise ``Busy``. Call before the response starts, so a 503 can still be sent."""
        with self._lock:
            if self.active_runs >= self.settings.max_concurrent_runs:
                raise Busy
            self.active_runs += 1
            self.runs_started += 1
        return Slot(self)

    def _release(self) -> None:
        with self._lock:
            self.active_runs -= 1

    async def events(
        self, plan: RunPlan, slot: Slot | None, after: int = -1, cached: list[RunEvent] | None = None
    ) -> AsyncIterator[RunEvent]:
        """Encoded events, frames with index ≤ ``after`` skipped (SSE resume).

        With ``cached`` the events are replayed. Otherwise ``slot`` (from ``acquire()``) is released when
        the engine ends, fails or the consumer stops iterating (a disconnect cancels the stream). A plan not
        prepared yet is prepared first (its ``RunInputError`` / ``RunFailed`` raised from here, before any event).
        """
        if cached is not None or slot is None:
            for event in cached or []:
                if event.index is None or event.index > after:
                    yield event
            return
        producer = _Producer(plan, self.settings)
        try:
            await anyio.to_thread.run_sync(plan.prepare)  # a no-op when the caller prepared it (the API does)
            while not producer.done:
                for event in await anyio.to_thread.run_sync(producer.step):
                    if event.index is None or event.index > after:
                        yield event
        finally:
            producer.close()
            slot.release()
        if producer.complete:
            self.cache.put(plan.key, producer.events)

    def stats(self) -> dict[str, Any]:
        return {
            "active_runs": self.active_runs,
            "runs_started": self.runs_started,
            "max_concurrent_runs": self.settings.max_concurrent_runs,
            "cache": self.cache.stats(),
        }


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
