"""The catalog's card images: each lab's default run, its last frame, drawn as a small SVG (``/previews/{id}.svg``).

A preview is made from the very run the player shows for a lab's defaults (seed 0, ``figure=true``): it goes
through the run service like any request, so a cached or in-flight run is reused and a preview computed first
leaves the run in the cache for the player. The last frame's figure is composed with the scene as plot.js
composes it (``app.preview_figure``) and drawn by ``app.preview_svg``, in a worker thread (decoding a run and
drawing it is CPU work the event loop must not wait on).

A run is a pure function of its request, so a preview is made once per process and kept (``_FINISHED``, shared
by every app a process makes). A lab whose preview cannot be made (its defaults fail, the run ends in an error,
nothing is drawn on its main axes) gets a neutral placeholder and a logged warning, kept too; a preview cut
short by something passing (the server shutting down, no room for the run) is a placeholder not kept, so the
next request tries again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio

from app.cache import RunEvent
from app.catalog import Algorithm
from app.preview_figure import compose_figure, decode_typed_arrays
from app.preview_svg import figure_svg, placeholder_svg
from app.runs import RunFailed, RunInputError, validate_run
from app.service import Busy, RunService
from app.settings import Settings
from app.views import theme

log = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=3600"  # with an ETag: a browser revalidates hourly, a 304 costs nothing
PLACEHOLDER_CACHE_CONTROL = "no-cache"  # a placeholder is revalidated on every use


@dataclass(frozen=True)
class Preview:
    """One lab's card image: the SVG bytes, their ETag, its alt text, and whether it is the lab's own drawing."""

    svg: bytes
    etag: str
    description: str
    drawn: bool

    @property
    def cache_control(self) -> str:
        return CACHE_CONTROL if self.drawn else PLACEHOLDER_CACHE_CONTROL


_FINISHED: dict[str, Preview] = {}  # lab id → its preview, for the life of the process


def pending_description(algorithm: Algorithm[Any, Any]) -> str:
    """The alt text of a preview not made yet (true of what it will show)."""
    return f"{algorithm.title}: a plot of the last step of its default run"


def description(algorithm: Algorithm[Any, Any]) -> str:
    """The card image's alt text: what the preview shows, once it is made (the last frame's caption)."""
    done = _FINISHED.get(algorithm.id)
    return done.description if done is not None else pending_description(algorithm)


def _preview(svg: str, description: str, drawn: bool) -> Preview:
    data = svg.encode()
    etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
    return Preview(data, etag, description, drawn)


def placeholder(algorithm: Algorithm[Any, Any]) -> Preview:
    return _preview(
        placeholder_svg(f"{algorithm.title}: no preview"), f"{algorithm.title}: no preview available", False
    )


def first_sentence(text: str) -> str:
    """Up to the first full stop, ! or ? that a capital, a bracket or the end follows."""
    match = re.match(r"(.+?[.!?])(?=\s+[A-Z(]|\s*$)", text.strip(), re.S)
    return (match[1] if match else text).strip()


def render_preview(algorithm: Algorithm[Any, Any], events: list[RunEvent]) -> Preview:
    """The preview of a finished run's events (scene, frames with figures, result), or the placeholder with a
    warning when the run failed or its last frame draws nothing on the main axes. Pure CPU work: call it in a
    thread."""
    errors = [event for event in events if event.kind == "error"]
    if errors:
        log.warning("preview of %s: its default run ended in an error: %s", algorithm.id, errors[0].data[:300])
        return placeholder(algorithm)
    scene = next((json.loads(event.data) for event in events if event.kind == "scene"), None)
    frames = [json.loads(event.data) for event in events if event.kind == "frame"]
    if scene is None or not frames:
        log.warning("preview of %s: the default run has no scene or no frames", algorithm.id)
        return placeholder(algorithm)
    figures = [frame.get("figure") for frame in frames]
    figure = decode_typed_arrays(compose_figure(scene, figures[-1], figures[:-1]))
    caption = first_sentence(str(frames[-1].get("caption") or ""))
    text = f"{algorithm.title} at the last step of its default run" + (f": {caption}" if caption else "")
    drawing = figure_svg(figure, theme.PALETTE, title=text)
    if drawing.marks == 0:
        log.warning("preview of %s: its last frame draws nothing on the main axes", algorithm.id)
        return placeholder(algorithm)
    return _preview(drawing.svg, text, True)


class PreviewMaker:
    """Makes previews for one app (its run service, its event loop): one lab at a time, each lab once; every
    request for a lab being made waits for that one computation."""

    def __init__(self, service: RunService, settings: Settings) -> None:
        self.service, self.settings = service, settings
        self._making: dict[str, asyncio.Task[Preview]] = {}
        self._one_at_a_time = asyncio.Semaphore(1)  # a class opening the catalog must not start 12 runs at once

    async def preview(self, algorithm: Algorithm[Any, Any]) -> Preview:
        done = _FINISHED.get(algorithm.id)
        if done is not None:
            return done
        task = self._making.get(algorithm.id)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._make(algorithm))
            self._making[algorithm.id] = task
            task.add_done_callback(lambda _: self._making.pop(algorithm.id, None))
        return await asyncio.shield(task)  # a client that leaves does not cancel the others' preview

    async def make_all(self, algorithms: Iterable[Algorithm[Any, Any]]) -> None:
        """Every lab's preview, one after another: for start-up (after the priming), so the first visitor to the
        catalog finds every image made."""
        for algorithm in algorithms:
            await self.preview(algorithm)

    async def _make(self, algorithm: Algorithm[Any, Any]) -> Preview:
        async with self._one_at_a_time:
            done = _FINISHED.get(algorithm.id)  # another app of this process may have made it meanwhile
            if done is not None:
                return done
            try:
                plan = validate_run(algorithm, {}, 0, True, self.settings)
                events = self.service.cached(plan)
                if events is None:
                    events = [event async for event in self.service.stream(plan)]
            except (RunInputError, RunFailed) as exc:  # the defaults do not run: the same every time
                log.warning("preview of %s: its default run cannot start: %s", algorithm.id, exc)
                return _FINISHED.setdefault(algorithm.id, placeholder(algorithm))
            except Busy:
                log.warning("preview of %s: no room for its run now; a placeholder this time", algorithm.id)
                return placeholder(algorithm)
            if not any(event.kind in ("result", "error") for event in events):
                log.warning("preview of %s: its run stopped before the end; a placeholder this time", algorithm.id)
                return placeholder(algorithm)
            if any(event.kind == "error" and '"fault":"limit"' in event.data.replace(" ", "") for event in events):
                log.warning("preview of %s: its run hit a server limit; a placeholder this time", algorithm.id)
                return placeholder(algorithm)
            try:
                made = await anyio.to_thread.run_sync(render_preview, algorithm, events)
            except Exception:  # a drawing bug must cost one card its image, not the page a 500
                log.warning("preview of %s: drawing it failed", algorithm.id, exc_info=True)
                made = placeholder(algorithm)
            return _FINISHED.setdefault(algorithm.id, made)


def maker_of(state: Any, service: RunService, settings: Settings) -> PreviewMaker:
    """The app's ``PreviewMaker`` (made on first use and kept on ``app.state``)."""
    maker = getattr(state, "preview_maker", None)
    if not isinstance(maker, PreviewMaker):
        maker = PreviewMaker(service, settings)
        state.preview_maker = maker
    return maker
