"""Precompute the runs a class is about to open, so the first student's click is a cache hit.

The warm list is every lab's defaults as the page asks for them (``figure=true``) and as other tools do
(``figure=false``), seed 0, then every lesson's preset (``app/lessons.toml``) as its page asks for it: a class
opening ``/lessons/{day}`` hits the cache. ``python -m app warm``
fills the shared frame log (with ``STEPWISE_REDIS_URL``: every replica then replays them); with
``STEPWISE_WARM_ON_START=true`` each worker warms its own cache when it starts (with Redis, the first worker
computes and the others read the log).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from app.catalog import all_algorithms
from app.lessons import all_lessons
from app.runs import RunFailed, RunInputError, RunPlan, validate_run
from app.service import RunService
from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Warmed:
    """How one warm-list run went: ``outcome`` is ``"result"``, ``"error"`` or why it could not run."""

    algorithm: str
    figure: bool
    outcome: str
    events: int
    seconds: float


def warm_list(settings: Settings) -> list[RunPlan]:
    """Every lab at its defaults, seed 0, with figures (the page) and without (the API's default); then each
    lesson's preset with figures (its page), once per distinct run (a preset equal to the defaults is not
    repeated: plans are keyed by their cache key)."""
    plans = [
        validate_run(algorithm, {}, 0, figure, settings) for algorithm in all_algorithms() for figure in (True, False)
    ]
    for lesson in all_lessons():
        plans.append(validate_run(lesson.algorithm, dict(lesson.preset), lesson.seed, True, settings))
    unique: dict[str, RunPlan] = {}
    for plan in plans:
        unique.setdefault(plan.key, plan)
    return list(unique.values())


async def warm(service: RunService, plans: list[RunPlan]) -> list[Warmed]:
    """Run each plan through ``service`` to its end (into its cache and, with Redis, the shared log)."""
    report = []
    for plan in plans:
        start = time.monotonic()
        outcome, count = "result", 0
        try:
            async for event in service.stream(plan):
                count += 1
                if event.kind == "error":
                    outcome = "error"
        except (RunInputError, RunFailed) as exc:  # a lab whose defaults do not run: its own test fails too
            outcome = f"could not run: {exc}"
        report.append(Warmed(plan.algorithm.id, plan.figure, outcome, count, time.monotonic() - start))
        log.info("warmed %s (figure=%s): %s, %d events", plan.algorithm.id, plan.figure, outcome, count)
    return report
