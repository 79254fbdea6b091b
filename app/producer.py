"""One run's engine, advanced one frame per call and encoded: the unit of work the run hub schedules.

``Producer.step`` runs in a worker thread. Inside it the engine may ``checkpoint()`` (``app.core.budget``): the
step installs the run's ``StopToken`` with a deadline of whatever is left of the run's compute budget
(``STEPWISE_RUN_TIMEOUT_S``: time spent computing, not waiting behind other runs), so a frame that would take
45 s stops at the budget, and a cancelled run (nobody watches it) stops within one checkpoint.

Who is at fault decides the last event (see ``app.runs``): a budget or frame limit is a ``"limit"`` error naming
its setting; anything the lab raises is a ``"server"`` error, logged; a cancelled run just ends.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.cache import RunEvent
from app.core.budget import RunStopped, StopToken, checkpoint, stopping_at
from app.core.frame import Frame
from app.encoding import dumps, encode
from app.runs import RunPlan, params_hash, server_fault
from app.settings import Settings

log = logging.getLogger(__name__)


_limited: list[object] = []  # the threadpoolctl limiter, kept alive once made


def _one_thread_per_run() -> None:
    """One intra-op thread per run, for torch and for BLAS: runs scale across cores (the CPU gate), not within
    one (a BLAS pool per run on a busy 2-core box made a 500 × 2 × 500 product 40× slower)."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    if not _limited:
        from threadpoolctl import threadpool_limits

        _limited.append(threadpool_limits(limits=1, user_api="blas"))


@dataclass
class Producer:
    """Advances one engine. ``done`` once it has ended; ``complete`` if it ended normally (cacheable)."""

    plan: RunPlan
    settings: Settings
    token: StopToken = field(default_factory=StopToken)
    done: bool = False
    complete: bool = False
    index: int = 0  # frames emitted so far
    _engine: Generator[Frame, None, dict[str, Any]] | None = None
    _budget_s: float = -1.0  # compute seconds left (set on the first step)

    def step(self) -> list[RunEvent]:
        """The next events (the scene comes with the first frame); sets ``done`` after the last."""
        out: list[RunEvent] = []
        if self._budget_s < 0:
            self._budget_s = self.settings.run_timeout_s
        started = time.monotonic()
        self.token.deadline = started + self._budget_s
        try:
            with stopping_at(self.token):
                self._advance(out)
        except RunStopped as stop:
            self._stopped(stop.reason, out)
        except Exception as exc:  # a bug in the lab must end the run with a message, not a broken stream
            plan = self.plan
            payload = server_fault(plan.algorithm, plan.params, plan.seed, exc, f"frame {self.index}")
            self.done, self.complete = True, False
            out.append(RunEvent("error", dumps(payload)))
        finally:
            self._budget_s -= time.monotonic() - started
        if not self.done and self._budget_s <= 0:
            self._stopped("budget", out)
        return out

    def _advance(self, out: list[RunEvent]) -> None:
        plan = self.plan
        if self._engine is None:
            _one_thread_per_run()
            self._engine = plan.algorithm.engine(plan.inputs, plan.params, np.random.default_rng(plan.seed))
            if plan.figure:
                out.append(RunEvent("scene", encode(plan.algorithm.view.scene(plan.inputs, plan.params))))
        checkpoint()  # between frames too, for engines whose frames are short and never check themselves
        try:
            frame = next(self._engine)
        except StopIteration as stop:
            out.extend(self._finish(stop.value or {}))
            return
        out.append(self._encode_frame(frame))
        self.index += 1
        if not all(np.isfinite(v) for v in frame.metrics.values()):
            out.extend(self._diverged(frame))
        elif self.index >= self.settings.max_frames:
            out.append(
                self._limit(
                    f"the run was stopped after {self.index} frames, the most this server gives "
                    "one run (STEPWISE_MAX_FRAMES); ask for fewer steps",
                    "STEPWISE_MAX_FRAMES",
                )
            )

    def _stopped(self, reason: str, out: list[RunEvent]) -> None:
        if reason == "cancelled":  # nobody is watching: end quietly, nothing is cached
            self.done, self.complete = True, False
            return
        out.append(
            self._limit(
                f"the run was stopped after {self.settings.run_timeout_s:g} s of computing, the time budget "
                f"of one run on this server (STEPWISE_RUN_TIMEOUT_S), at frame {self.index}; "
                "ask for fewer steps or points",
                "STEPWISE_RUN_TIMEOUT_S",
            )
        )

    def _encode_frame(self, frame: Frame) -> RunEvent:
        payload: dict[str, Any] = {
            "index": self.index,
            "kind": frame.kind,
            "caption": frame.caption,
            "state": frame.state,
            "metrics": frame.metrics,
        }
        if self.plan.figure:
            payload["figure"] = self.plan.algorithm.view.render(frame, self.plan.inputs, self.plan.params)
        return RunEvent("frame", encode(payload), self.index)

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
            f"The run diverged: {bad} became NaN or infinite at frame {self.index - 1}. "
            "Try a smaller step size or gentler settings."
        )
        last = Frame("diverged", caption, {}, {})
        out = [self._encode_frame(last)]
        self.index += 1
        self.done = self.complete = True
        out.append(RunEvent("result", encode({"diverged": True, "detail": caption})))
        return out

    def _limit(self, detail: str, setting: str) -> RunEvent:
        """Valid params that need more than one run may take here: the request's size, not a bug."""
        self.done, self.complete = True, False
        log.info(
            "run of %s stopped by %s (params sha256 %s, seed %d)",
            self.plan.algorithm.id,
            setting,
            params_hash(self.plan.resolved_params),
            self.plan.seed,
        )
        return RunEvent("error", dumps({"detail": detail, "fault": "limit", "setting": setting}))

    def close(self) -> None:
        """Unwind the engine's generator (its ``finally`` blocks) if it has not ended. If a step is still running
        in its thread (the task awaiting it was cancelled at shutdown), cancel it instead: it stops at its next
        checkpoint."""
        if self._engine is not None:
            try:
                self._engine.close()
            except ValueError:  # "generator already executing": the step in flight ends at its checkpoint
                self.token.cancel()
