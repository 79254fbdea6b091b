"""The journal's path as data: one lesson per day (``app/lessons.toml``), validated by the models below.

A lesson names its day, theme, title, the one-line question it answers, the lab it opens, that lab's preset
(params that differ from the lab's defaults, and a seed), a short text, what to watch for, and two or three
"try this" prompts — each a change on top of the preset. A day whose topic has no lab of its own says which
lab is nearest in ``nearest``. Presets and prompts are params of their lab: ``resolved`` validates them with the
lab's params model (the contract test runs every one), and ``query`` writes them the way the player's URL does
(static/js/state.js ``toQuery``): a link that opens the player at that state.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.catalog import Algorithm, get_algorithm

LESSONS_FILE = Path(__file__).with_name("lessons.toml")
FIRST_DAY, LAST_DAY = 1, 65

Theme = Literal["classic", "ensembles", "clustering", "evaluation", "neural", "convolutions", "sequences"]
THEME_TITLES: dict[str, str] = {
    "classic": "Classic machine learning",
    "ensembles": "Ensembles",
    "clustering": "Clustering and dimensionality reduction",
    "evaluation": "Evaluating models",
    "neural": "Neural networks",
    "convolutions": "Convolutions",
    "sequences": "Sequences and generative models",
}
"""The path's sections, in the order the path shows them."""


class Prompt(BaseModel):
    """A "try this": a sentence and the params it changes on top of the lesson's preset."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=8, description="What to try and what to look for, in one or two sentences.")
    change: dict[str, Any] = Field(
        default_factory=dict,
        description="Params changed on top of the lesson's preset (a `dataset` here replaces the preset's).",
    )
    seed: int | None = Field(None, ge=0, description="Another seed, or null to keep the lesson's.")


class Lesson(BaseModel):
    """One day of the path."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    day: int = Field(ge=FIRST_DAY, le=LAST_DAY, description="The journal day, 1–65.")
    theme: Theme = Field(description="The path section the day belongs to.")
    title: str = Field(min_length=3, description="The day's topic.")
    question: str = Field(min_length=8, description="The one question the day answers.")
    lab: str = Field(description="The id of the lab the lesson opens.")
    nearest: str | None = Field(
        None, description="Set when the topic has no lab of its own: which lab is nearest and what it shows of it."
    )
    preset: dict[str, Any] = Field(default_factory=dict, description="The lab's params for this day (changes only).")
    seed: int = Field(0, ge=0, description="The run's seed.")
    text: list[str] = Field(min_length=1, description="The lesson: short paragraphs in the project's own words.")
    watch: str = Field(min_length=8, description="What to watch for while the run plays.")
    prompts: list[Prompt] = Field(min_length=2, max_length=4, description="Two to four things to try.")

    @model_validator(mode="after")
    def _lab_exists(self) -> Lesson:
        if get_algorithm(self.lab) is None:
            raise ValueError(f"day {self.day}: no lab called {self.lab!r}")
        return self

    @property
    def algorithm(self) -> Algorithm[Any, Any]:
        found = get_algorithm(self.lab)
        assert found is not None  # checked on load
        return found

    def prompt_params(self, prompt: Prompt) -> dict[str, Any]:
        return {**self.preset, **prompt.change}

    def prompt_seed(self, prompt: Prompt) -> int:
        return self.seed if prompt.seed is None else prompt.seed


class LessonFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lesson: list[Lesson]

    @model_validator(mode="after")
    def _every_day_once(self) -> LessonFile:
        days = [lesson.day for lesson in self.lesson]
        expected = list(range(FIRST_DAY, LAST_DAY + 1))
        if sorted(days) != expected:
            missing = sorted(set(expected) - set(days))
            repeated = sorted({d for d in days if days.count(d) > 1})
            raise ValueError(f"every day {FIRST_DAY}–{LAST_DAY} needs one lesson: missing {missing}, twice {repeated}")
        return self


@cache
def all_lessons() -> tuple[Lesson, ...]:
    """Every lesson, by day (read and validated once per process)."""
    data = tomllib.loads(LESSONS_FILE.read_text(encoding="utf-8"))
    return tuple(sorted(LessonFile.model_validate(data).lesson, key=lambda lesson: lesson.day))


def get_lesson(day: int) -> Lesson | None:
    lessons = all_lessons()
    return lessons[day - FIRST_DAY] if FIRST_DAY <= day <= LAST_DAY else None


def resolved(algorithm: Algorithm[Any, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``params`` validated by the lab's params model, defaults filled (raises pydantic's ValidationError)."""
    dumped: dict[str, Any] = algorithm.params_model.model_validate(params).model_dump(mode="json")
    return dumped


def _encode(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def query(params: dict[str, Any], seed: int) -> str:
    """The player's query string for these params (static/js/state.js ``toQuery``: a named dataset as
    ``dataset.name`` and ``dataset.<field>``, lists and objects as JSON, the seed always)."""
    pairs: list[tuple[str, str]] = [("seed", str(seed))]
    for key, value in params.items():
        if key == "dataset" and isinstance(value, dict) and "name" in value and "X" not in value:
            pairs += [(f"dataset.{f}", _encode(v)) for f, v in value.items()]
        else:
            pairs.append((key, _encode(value)))
    return urlencode(pairs)


def lesson_href(day: int, params: dict[str, Any] | None = None, seed: int = 0) -> str:
    return f"/lessons/{day}" if params is None else f"/lessons/{day}?{query(params, seed)}"


def lesson_document(lesson: Lesson) -> dict[str, Any]:
    """A lesson as the API gives it: the preset and each prompt also as full resolved params and a link."""
    algorithm = lesson.algorithm
    return {
        "day": lesson.day,
        "theme": lesson.theme,
        "theme_title": THEME_TITLES[lesson.theme],
        "title": lesson.title,
        "question": lesson.question,
        "lab": lesson.lab,
        "lab_title": algorithm.title,
        "nearest": lesson.nearest,
        "preset": {"params": dict(lesson.preset), "seed": lesson.seed},
        "params": resolved(algorithm, lesson.preset),
        "href": lesson_href(lesson.day, lesson.preset, lesson.seed),
        "text": list(lesson.text),
        "watch": lesson.watch,
        "prompts": [
            {
                "text": p.text,
                "change": dict(p.change),
                "seed": lesson.prompt_seed(p),
                "params": resolved(algorithm, lesson.prompt_params(p)),
                "href": lesson_href(lesson.day, lesson.prompt_params(p), lesson.prompt_seed(p)),
            }
            for p in lesson.prompts
        ],
        "previous": lesson.day - 1 if lesson.day > FIRST_DAY else None,
        "next": lesson.day + 1 if lesson.day < LAST_DAY else None,
    }
