"""Ready before it says so: a worker primes every lab at start-up, and ``/readyz`` says ok only after.

A fresh worker's first request used to pay for everything lazy: importing every lab, torch and the theme
(~4 s), then per lab its own first-use costs — torch.optim's first ``step`` imports ``torch._dynamo``
(seconds), a numba kernel compiles on its first call, scikit-learn and SciPy load submodules on first use.
``prime`` pays them up front, in a thread (the event loop keeps answering ``/healthz``): for each lab in the
catalog it validates the defaults, prepares the inputs, renders the scene and the first two frames with
figures and encodes them, exactly the path a request takes.

Priming is per process (imports and JIT caches are), so ``PROCESS`` is shared by every app a process makes
(tests make many: they prime once, not once per app). A lab whose priming raises is logged and listed in
``failed``; the worker still becomes ready when the others are primed — one broken lab fails its own requests
whether primed or not, and keeping the worker unready for it would take every other lab off the replica. A
lab stuck past ``LAB_BUDGET_S`` is stopped by its engine's ``checkpoint()``; and if priming as a whole takes
longer than ``STEPWISE_PRIME_GIVE_UP_S`` (a lab looping without checkpoints), the worker says ready anyway,
naming the lab it gave up waiting for, so a slow lab cannot hold a replica out of its load balancer forever.
"""

from __future__ import annotations

import atexit
import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.budget import RunStopped, StopToken, stopping_at
from app.encoding import encode
from app.settings import Settings

log = logging.getLogger(__name__)

PRIMED_FRAMES = 2  # the first frames rendered per lab: the first step is where lazy imports and JITs hide
BUSY_WAIT_S = 5.0  # the longest priming waits, before one lab, for the worker to stop computing runs
LAB_BUDGET_S = 30.0  # compute seconds one lab's priming may take before its checkpoint() stops it


def prime_lab(algorithm: Any, settings: Settings, stop: StopToken | None = None) -> None:
    """One lab through the request path: defaults validated, inputs prepared, scene and first frames drawn
    and encoded. Raises whatever the lab raises (``RunStopped`` past its budget or when ``stop`` is cancelled)."""
    from app.runs import validate_run  # the service layer's own validation and keying

    plan = validate_run(algorithm, {}, 0, True, settings)
    inputs, params = plan.prepare(), plan.params
    encode(algorithm.view.scene(inputs, params))
    engine = algorithm.engine(inputs, params, np.random.default_rng(0))
    try:
        token = stop if stop is not None else StopToken()
        token.deadline = time.monotonic() + LAB_BUDGET_S
        with stopping_at(token):
            for index in range(PRIMED_FRAMES):
                try:
                    frame = next(engine)
                except StopIteration:
                    break
                encode({"index": index, "state": frame.state, "metrics": frame.metrics})
                encode(algorithm.view.render(frame, inputs, params))
    finally:
        engine.close()


@dataclass
class Readiness:
    """The priming of one process: ``start`` it once (later calls do nothing), ask ``status``."""

    extra: Sequence[Callable[[], object]] = ()
    """More start-up work to finish before ready, after the labs (``start`` adds the app's: the precompressed
    ``plotly.min.js``)."""
    started_at: float | None = None
    finished_at: float | None = None
    current: str = "imports"
    primed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    give_up_s: float = 180.0  # STEPWISE_PRIME_GIVE_UP_S, from the settings ``start`` gets
    _stop: StopToken = field(default_factory=StopToken, repr=False)
    _busy: Callable[[], bool] | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(
        self,
        settings: Settings,
        extra: Sequence[Callable[[], object]] = (),
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """Prime in a thread. ``busy`` (e.g. "the worker is computing runs") pauses priming between labs, so a
        class arriving at a worker that has just started gets the CPU before the labs nobody asked for yet."""
        with self._lock:
            if self.started_at is not None:
                return
            self._busy = busy
            self.started_at = time.monotonic()
            self.give_up_s = settings.prime_give_up_s
            self.extra = (*self.extra, *extra)
        self._thread = threading.Thread(target=self._prime, args=(settings,), name="stepwise-prime", daemon=True)
        self._thread.start()
        atexit.register(self.stop)

    def _wait_while_busy(self, most_s: float = BUSY_WAIT_S) -> None:
        """Let requests have the CPU: wait while the worker computes runs (at most ``most_s`` per lab)."""
        waited = 0.0
        while self._busy is not None and self._busy() and waited < most_s and not self._stop.cancelled:
            time.sleep(0.05)
            waited += 0.05

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop priming at its next checkpoint and wait for the thread: a process that exits while the thread
        is inside torch aborts ("terminate called without an active exception", exit code 134)."""
        self._stop.cancel()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout_s)

    def _prime(self, settings: Settings) -> None:
        try:
            import torch

            torch.set_num_threads(1)  # what every run uses (the service sets it too): one intra-op thread

            from app.catalog import all_algorithms
            from app.views import theme

            theme.tokens()
            for algorithm in all_algorithms():
                self._wait_while_busy()
                if self._stop.cancelled:
                    return
                self.current = algorithm.id
                started = time.perf_counter()
                try:
                    prime_lab(algorithm, settings, self._stop)
                except RunStopped:
                    if self._stop.cancelled:
                        return
                    self.failed[algorithm.id] = f"stopped after {LAB_BUDGET_S:g} s"
                    log.warning("priming %s stopped after %g s", algorithm.id, LAB_BUDGET_S)
                except Exception as exc:  # a broken lab must not keep the worker unready
                    self.failed[algorithm.id] = f"{type(exc).__name__}: {exc}"[:300]
                    log.exception("priming %s failed; the worker becomes ready without it", algorithm.id)
                else:
                    self.primed.append(algorithm.id)
                    log.debug("primed %s in %.2f s", algorithm.id, time.perf_counter() - started)
            for task in self.extra:
                if self._stop.cancelled:
                    return
                self.current = getattr(task, "__name__", "start-up task")
                try:
                    task()
                except Exception:
                    self.failed[self.current] = "failed"
                    log.exception("start-up task %s failed", self.current)
        except Exception:  # importing the catalog or torch failed: nothing will work, but say ready to stop waiting
            log.exception("priming failed before the labs")
            self.failed["imports"] = "failed"
        finally:
            # What start-up made lives as long as the process: move it out of the collector's way, so a request
            # that allocates a lot does not set off a full collection over it (0.5 s measured, loop stalled).
            gc.collect()
            gc.freeze()
            self.finished_at = time.monotonic()
            assert self.started_at is not None
            log.info(
                "worker ready: %d labs primed in %.1f s%s",
                len(self.primed),
                self.finished_at - self.started_at,
                f"; failed: {', '.join(self.failed)}" if self.failed else "",
            )

    def status(self) -> tuple[bool, dict[str, Any]]:
        """``(ready, body)``: body is ``{"status": "ready" | "starting", "detail", ...}``."""
        now = time.monotonic()
        if self.finished_at is not None:
            assert self.started_at is not None
            body: dict[str, Any] = {
                "status": "ready",
                "detail": f"{len(self.primed)} labs primed in {self.finished_at - self.started_at:.1f} s",
                "primed": len(self.primed),
            }
            if self.failed:
                body["failed"] = dict(self.failed)
            return True, body
        if self.started_at is None:
            return False, {"status": "starting", "detail": "priming has not started"}
        waited = now - self.started_at
        if waited > self.give_up_s:
            return True, {
                "status": "ready",
                "detail": f"gave up waiting for priming after {self.give_up_s:g} s (still on {self.current})",
                "primed": len(self.primed),
            }
        return False, {
            "status": "starting",
            "detail": f"priming {self.current} ({len(self.primed)} labs done, {waited:.1f} s so far)",
            "primed": len(self.primed),
        }


PROCESS = Readiness()
"""The priming of this process, shared by every app it makes."""
