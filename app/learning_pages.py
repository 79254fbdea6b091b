"""Pages for following the journal: the path (``/lessons``), one day's lesson (``/lessons/{day}``), and two
player states side by side (``/compare``).

A lesson page is the player page (templates/algorithm.html) with the lesson above it: the same modules run the
lab. Its state is in the URL as on the player, so ``/lessons/{day}`` without a query redirects to the day's
preset, and each "try this" prompt is a link to the same page with that state.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalog import all_algorithms
from app.lessons import LAST_DAY, THEME_TITLES, all_lessons, get_lesson, lesson_document
from app.pages import card, templates

router = APIRouter(include_in_schema=False)


@router.get("/lessons", response_class=HTMLResponse)
def lessons_page(request: Request) -> Response:
    documents = [lesson_document(lesson) for lesson in all_lessons()]
    themes = [
        {"id": theme, "title": title, "lessons": [d for d in documents if d["theme"] == theme]}
        for theme, title in THEME_TITLES.items()
    ]
    context: dict[str, Any] = {"themes": [t for t in themes if t["lessons"]], "last_day": LAST_DAY, "page": "lessons"}
    return templates.TemplateResponse(request, "lessons.html", context)


@router.get("/lessons/{day}", response_class=HTMLResponse)
def lesson_page(request: Request, day: str) -> Response:
    lesson = get_lesson(int(day)) if day.isdigit() else None
    if lesson is None:
        context = {
            "missing": f"day {day}",
            "heading": f"There is no lesson for day {day}.",
            "pitch": f"The path runs from day 1 to day {LAST_DAY}.",
            "lessons_link": True,
            "page": "missing",
            "labs": [{"id": a.id, "title": a.title} for a in all_algorithms()],
        }
        return templates.TemplateResponse(request, "404.html", context, status_code=404)
    document = lesson_document(lesson)
    if not request.url.query:  # the player reads its state from the URL: open the day at its preset
        return RedirectResponse(document["href"], status_code=307)
    context = {"algorithm": card(lesson.algorithm), "lesson": document, "last_day": LAST_DAY, "page": "player"}
    return templates.TemplateResponse(request, "lesson.html", context)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request) -> Response:
    """Two player states side by side (static/js/compare-page.js reads ``a`` and ``b`` from the URL)."""
    context = {"default_lab": all_algorithms()[0].id, "page": "compare"}
    return templates.TemplateResponse(request, "compare.html", context)
