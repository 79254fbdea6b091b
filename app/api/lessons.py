"""The 66-day journal's path as data (``app/lessons.toml``): the same lessons ``/lessons`` shows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from app.api.documents import static_document
from app.api.wire import ErrorDetail
from app.lessons import FIRST_DAY, LAST_DAY, all_lessons, get_lesson, lesson_document

router = APIRouter(prefix="/api/v1/lessons", tags=["lessons"])


class PromptInfo(BaseModel):
    text: str = Field(description="What to try and what to look for.")
    change: dict[str, Any] = Field(description="The params it changes on top of the lesson's preset.")
    seed: int
    params: dict[str, Any] = Field(description="The full params of that run (the lab's defaults filled in).")
    href: str = Field(description="The page that opens it: /lessons/{day}?<player state>.")


class PresetInfo(BaseModel):
    params: dict[str, Any] = Field(description="The params this lesson sets (the rest are the lab's defaults).")
    seed: int


class LessonInfo(BaseModel):
    day: int
    theme: str = Field(description="The path section: classic, ensembles, clustering, evaluation, neural, …")
    theme_title: str
    title: str
    question: str = Field(description="The one question the day answers.")
    lab: str = Field(description="The lab the lesson opens (an id of GET /api/v1/algorithms).")
    lab_title: str
    nearest: str | None = Field(description="Set when the day's topic has no lab of its own: which lab is nearest.")
    preset: PresetInfo
    params: dict[str, Any] = Field(description="The preset's full params: POST them to the lab's runs.")
    href: str
    text: list[str]
    watch: str
    prompts: list[PromptInfo]
    previous: int | None
    next: int | None


Day = Annotated[int, Path(description=f"The journal day, {FIRST_DAY}–{LAST_DAY}.")]


@router.get("", response_model=list[LessonInfo])
def list_lessons(request: Request) -> Response:
    return static_document(request, "lessons", lambda: [lesson_document(lesson) for lesson in all_lessons()])


@router.get("/{day}", response_model=LessonInfo, responses={404: {"model": ErrorDetail}})
def read_lesson(day: Day, request: Request) -> Response:
    lesson = get_lesson(day)
    if lesson is None:
        raise HTTPException(404, f"no lesson for day {day}: the path runs from day {FIRST_DAY} to day {LAST_DAY}")
    return static_document(request, f"lesson:{day}", lambda: lesson_document(lesson))
