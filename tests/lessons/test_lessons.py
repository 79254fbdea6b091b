"""The path's contract (issue 18): every day 1–65 has a lesson; every preset and prompt is params of its lab;
every preset runs to a result within the run budget; every lab is in some lesson; a day whose lab does not
list it says which lab is nearest; the warm list holds every preset."""

from __future__ import annotations

from typing import Any

import pytest

from app.catalog import all_algorithms
from app.lessons import FIRST_DAY, LAST_DAY, all_lessons, get_lesson, lesson_document, query, resolved
from app.runs import validate_run
from app.service import RunService
from app.settings import Settings
from app.warm import warm_list
from tests import aio

LESSONS = all_lessons()


def test_every_day_has_one_lesson_in_order() -> None:
    assert [lesson.day for lesson in LESSONS] == list(range(FIRST_DAY, LAST_DAY + 1))
    assert get_lesson(0) is None and get_lesson(LAST_DAY + 1) is None


def test_every_lab_appears_in_at_least_one_lesson() -> None:
    used = {lesson.lab for lesson in LESSONS}
    missing = [a.id for a in all_algorithms() if a.id not in used]
    assert not missing, f"labs no lesson opens: {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"day{lesson.day}")
def test_a_day_its_lab_does_not_list_says_which_lab_is_nearest(lesson: Any) -> None:
    own = lesson.day in lesson.algorithm.days
    assert own == (lesson.nearest is None), f"day {lesson.day} opens {lesson.lab} (days {lesson.algorithm.days}): " + (
        "it covers the day, so no 'nearest' note" if own else "say which lab is nearest and why"
    )
    assert lesson.nearest is None or len(lesson.nearest) > 30


def test_every_preset_and_prompt_is_params_of_its_lab() -> None:
    for lesson in LESSONS:
        resolved(lesson.algorithm, lesson.preset)
        changes = []
        for prompt in lesson.prompts:
            params = resolved(lesson.algorithm, lesson.prompt_params(prompt))
            assert prompt.change, f"day {lesson.day}: a prompt that changes nothing"
            changes.append(params)
        base = resolved(lesson.algorithm, lesson.preset)
        assert all(c != base for c in changes), f"day {lesson.day}: a prompt runs the preset itself"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"day{lesson.day}")
def test_every_preset_runs_to_a_result_within_the_budget(lesson: Any) -> None:
    settings = Settings(cache_entries=0)
    plan = validate_run(lesson.algorithm, dict(lesson.preset), lesson.seed, False, settings)

    async def run() -> list[Any]:
        service = RunService(settings)
        try:
            return [event async for event in service.stream(plan)]
        finally:
            await service.close()

    events = aio.run(run())
    kinds = [e.kind for e in events]
    assert kinds[-1] == "result" and "error" not in kinds, f"day {lesson.day}: {events[-1]}"


def test_the_api_document_links_the_preset_and_each_prompt() -> None:
    doc = lesson_document(LESSONS[12])  # day 13
    assert doc["href"] == "/lessons/13?seed=0" and doc["previous"] == 12 and doc["next"] == 14
    assert doc["params"] == resolved(LESSONS[12].algorithm, {})
    assert doc["prompts"][0]["href"].startswith("/lessons/13?seed=0&init=random")


def test_the_query_is_the_players_url_state() -> None:
    # static/js/state.js toQuery: a named dataset as dataset.<field>, lists and objects as compact JSON
    q = query({"dataset": {"name": "blobs", "centers": 3}, "hidden_layers": [8, 8], "flag": True, "x": None}, 2)
    assert q == "seed=2&dataset.name=blobs&dataset.centers=3&hidden_layers=%5B8%2C8%5D&flag=true&x=null"


def test_the_warm_list_holds_every_lesson_preset_once() -> None:
    settings = Settings()
    keys = [plan.key for plan in warm_list(settings)]
    assert len(keys) == len(set(keys))
    for lesson in LESSONS:
        assert validate_run(lesson.algorithm, dict(lesson.preset), lesson.seed, True, settings).key in keys
