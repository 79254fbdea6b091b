"""The checks every lab's page passes in test_every_lab_page, on its one page load (each takes the page as it
is and leaves it usable for the next): the stage, the figure, the run's timeline / chapters / plugins, the form,
the keys, axe-core, a valid and a refused value, a dataset list that follows a sibling param."""

from __future__ import annotations

import itertools
import json
import math
import time
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.axe import serious_violations
from tests.e2e.probes import (
    BADGE,
    CAPTION,
    CHAPTERS,
    COMPLETE,
    COUNT_DRAWS,
    DATA,
    DATASET_CHOSEN,
    DATASETS_OFFERED,
    FAILED_BADGES,
    FIGURE,
    FORM_LABELS,
    FRAMES,
    IDLE,
    INDEX,
    METRIC_CHARTS,
    NUMERIC_FIELDS,
    PLAYER_MARKS,
    PLAYING,
    PLUGINS,
    RUN_FACTS,
    RUN_METRICS,
    RUNS,
    SNIPPET_FIT,
    SPARK,
    SPARK_TITLE,
    UNNAMED_CONTROLS,
)

SMALL = (1024, 768)
LAPTOP = (1440, 900)


@dataclass(frozen=True)
class Look:
    """What a learner must find in the main figure at one frame of the default run (issue 12, items 3 and 6).
    A legend entry matches a drawn one that equals it or is it with a note in brackets ("point (colour: ...)")."""

    frame: int | None = None  # None: the last frame
    legend: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()  # axis titles drawn
    colorbars: tuple[str, ...] = ()  # colour-bar titles drawn (each a part of one)
    colorbar: bool = False  # at least one colour bar is drawn
    hero: bool = False  # the first plot area alone (the boundary plane) fills 70 % of the box each way
    area: bool = False  # plot areas and colour bars fill 70 % of the box's area
    every_axis_titled: bool = False  # every subplot drawn has both its axis titles


def until(page: Any, expression: str, timeout: float = 30.0, message: str = "") -> Any:
    """Poll a JS expression every 50 ms until truthy (the page's CSP blocks wait_for_function)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression!r} (last value {value!r}) {message}")
        time.sleep(0.05)


def show(page: Any, frame: int | None) -> None:
    """Show `frame` (None: the last), paused, and wait for the main plot's redraw of it."""
    target = page.evaluate(f"{FRAMES} - 1") if frame is None else frame
    if page.evaluate(INDEX) == target:
        return
    draws = page.evaluate(COUNT_DRAWS)
    page.evaluate(
        "(i) => { const s = document.getElementById('scrub'); s.value = String(i);"
        " s.dispatchEvent(new Event('input', {bubbles: true})); }",
        target,
    )
    until(page, f"{INDEX} === {target} && window.__draws > {draws}", message=f"(frame {target} drawn)")


def box(page: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right}; }",
        selector,
    )
    return found


def check_stage(page: Any, lab: str, width: int, height: int, *, opened: bool = False) -> None:
    """Run / Reset, play and the scrubber in the first screen; Run reachable however far the settings scroll;
    the figure whole in the first screen, filling the stage (issue 12, items 4 and 5). `opened`: the page has
    just loaded, and must not have scrolled by itself."""
    if opened:
        assert page.evaluate("window.scrollY") == 0, f"{lab} at {width}: the page opens unscrolled"
    page.evaluate("window.scrollTo(0, 0)")
    for selector in ("#run-button", "#reset-button", "#btn-play", "#scrub"):
        b = box(page, selector)
        assert b["height"] > 0 and b["y"] >= 0 and b["bottom"] <= height, (lab, width, selector, b)
        assert b["x"] >= 0 and b["right"] <= width, (lab, width, selector, b)
    page.evaluate("document.querySelector('.controls-scroll').scrollTop = 1e6")
    run = box(page, "#run-button")
    centre = [run["x"] + run["width"] / 2, run["y"] + run["height"] / 2]
    assert run["bottom"] <= height, (lab, width, "Run scrolls away with the settings", run)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('#run-button') !== null", centre)
    page.evaluate("document.querySelector('.controls-scroll').scrollTop = 0")
    plot = box(page, "#main-plot")
    if width >= LAPTOP[0]:
        assert plot["width"] >= 0.55 * width, (lab, width, plot)
    assert plot["height"] >= 0.5 * height and plot["bottom"] <= height, (lab, width, "the figure fills the stage", plot)


def _cover(fig: dict[str, Any], rects: list[list[float]]) -> tuple[float, float]:
    """The share of the figure's box, across and down, that the bounding box of `rects` covers."""
    left, top, right, bottom = fig["box"]
    across = (max(r[2] for r in rects) - min(r[0] for r in rects)) / (right - left)
    down = (max(r[3] for r in rects) - min(r[1] for r in rects)) / (bottom - top)
    return across, down


def check_figure(page: Any, lab: str, look: Look, size: tuple[int, int]) -> None:
    """The main figure at the frame on screen: not blank, keyed, titled, filling its box, legend off the plane."""
    where = f"{lab} at {size[0]}×{size[1]}, frame {page.evaluate(INDEX) + 1}"
    until(page, "document.querySelectorAll('#main-plot .nsewdrag').length > 0", message=f"({where}: axes drawn)")
    fig: dict[str, Any] = page.evaluate(FIGURE)
    assert fig["withPoints"] > 0 and page.evaluate(PLAYER_MARKS) > 0, f"{where}: the figure is blank"
    assert fig["legend"] and all(fig["legend"]), f"{where}: a legend with named entries ({fig['legend']})"
    untitled = [axis for axis, title in fig["axes"].items() if not title]
    assert not untitled, f"{where}: axes showing data without a title: {untitled} (titled: {fig['axes']})"
    assert all(fig["axisTitles"]), f"{where}: an empty axis title is drawn ({fig['axisTitles']})"
    assert fig["colorbars"] == len([t for t in fig["colorbarTitles"] if t]), f"{where}: colour bars untitled {fig}"
    missing = [e for e in look.legend if not any(t == e or t.startswith(e + " (") for t in fig["legend"])]
    assert not missing, f"{where}: legend {fig['legend']} lacks {missing}"
    missing = [t for t in look.axes if t not in fig["axisTitles"]]
    assert not missing, f"{where}: no axis titled {missing} (drawn: {fig['axisTitles']})"
    bars = " | ".join(fig["colorbarTitles"])
    missing = [t for t in look.colorbars if t not in bars]
    assert not missing, f"{where}: no colour bar titled {missing} (drawn: {bars})"
    assert fig["colorbars"] >= (1 if look.colorbar or look.colorbars else 0), f"{where}: no colour bar"
    if look.every_axis_titled:
        assert len(fig["axisTitles"]) >= 2 * fig["subplots"], f"{where}: {fig['axisTitles']} for {fig['subplots']}"
    wide, tall = _cover(fig, fig["drags"][:1] if look.hero else fig["drags"])
    assert wide >= 0.7 and tall >= 0.7, f"{where}: the plot areas cover {wide:.0%} × {tall:.0%} of their box"
    if look.area:
        wide, tall = _cover(fig, fig["drags"] + fig["bars"])
        assert wide * tall >= 0.7, f"{where}: plot areas and colour bars fill {wide * tall:.0%} of the box"
    right, left = fig["box"][2], fig["box"][0]
    assert fig["svgWidth"] >= right - left - 2, f"{where}: plotly draws the whole box"
    plane = fig["drags"][0]
    for legend in fig["legendBoxes"]:
        overlap_w = max(0.0, min(plane[2], legend[2]) - max(plane[0], legend[0]))
        overlap_h = max(0.0, min(plane[3], legend[3]) - max(plane[1], legend[1]))
        assert overlap_w * overlap_h < 1, f"{where}: a legend covers {overlap_w * overlap_h:.0f} px² of the first plot"


def timeline_xs(frames: list[dict[str, Any]], key: str | None, metric: str) -> list[float]:
    """Where a metric's points go along the run's timeline: frame i at its state's `key` (an epoch, a depth;
    a frame without one stays where the frame before it was), or at i + 1 without a key; frames without
    a finite value of the metric have no point."""
    xs: list[float] = []
    at = 0.0
    for i, f in enumerate(frames):
        value = f["state"].get(key) if key else i + 1
        at = float(value) if isinstance(value, (int, float)) and math.isfinite(value) else at
        metric_value = f["metrics"].get(metric)
        if isinstance(metric_value, (int, float)) and math.isfinite(metric_value):
            xs.append(at)
    return xs


def check_run_extras(page: Any, lab: str) -> None:
    """The metric charts' x is the scene's timeline (or the frame number); the chapters are the scene's phases;
    the plugins loaded are the ones the scene declares."""
    facts: dict[str, Any] = page.evaluate(RUN_FACTS)
    frames = facts["frames"]
    assert len(frames) == page.evaluate(FRAMES), f"{lab}: the page holds every frame of the run"
    if any(f["metrics"] for f in frames):
        timeline = facts["timeline"] or {}
        until(page, f"{SPARK_TITLE} !== null", message=f"({lab}: a metric chart is drawn)")
        assert page.evaluate(SPARK_TITLE) == (timeline.get("title") or "frame"), lab
        spark = page.evaluate(SPARK)
        assert spark["xs"] == pytest.approx(timeline_xs(frames, timeline.get("key"), spark["name"])), lab
    phases = {k: v for k, v in (facts["phases"] or {}).items() if isinstance(v, str) and v.strip()}
    chapters: list[list[Any]] = []
    for i, f in enumerate(frames):
        title = phases.get(f["kind"])
        if title and (not chapters or chapters[-1][1] != title):
            chapters.append([i, title])
    until(page, f"document.querySelectorAll('.chapter-label').length === {len(chapters)}", message=lab)
    assert page.evaluate(CHAPTERS) == chapters, f"{lab}: chapter marks follow x-phases"
    drawn = page.evaluate(f"[...document.querySelectorAll('{DRAWN_TITLE}')].map((b) => Number(b.dataset.index))")
    later = [index for index in drawn if index > 0]
    if later:  # a title drawn (the shorter chapters' may be dropped on a narrow track): a click jumps there
        page.click(f"{DRAWN_TITLE}[data-index='{later[0]}']")
        until(page, f"{INDEX} === {later[0]}", message=f"({lab}: a chapter title jumps to its first frame)")
        assert page.evaluate(PLAYING) is False
    kinds = sorted(set(facts["interactions"]))
    until(page, f"({PLUGINS}).length >= {len(kinds)}", message=f"({lab}: the declared plugins load)")
    assert page.evaluate(PLUGINS) == kinds, f"{lab}: plugins loaded = plugins the scene declares"


GROUP_ORDER = ["Data", "Model", "Training", "Display"]


def check_form(page: Any, lab: str) -> None:
    """The form (issue 12, items 4 and 7): groups under their headings in order, the dataset's first; every
    control labelled in words (no snake_case, no bare name) and named for assistive tech; the auto pace fits
    the run in about 12 s; the curl snippet wraps instead of being cut."""
    headings = page.evaluate(
        "[...document.querySelectorAll('#controls-fields > fieldset.control-group:not([hidden]) > legend')]"
        ".map((l) => l.textContent)"
    )
    assert headings and headings == [g for g in GROUP_ORDER if g in headings], f"{lab}: groups {headings}"
    assert len(headings) >= 2, f"{lab}: the settings come under more than one heading ({headings})"
    if page.locator('#controls-fields .field[data-kind="dataset"]').count():
        assert headings[0] == "Data", f"{lab}: {headings}"
    fields: list[dict[str, str]] = page.evaluate(FORM_LABELS)
    assert fields, lab
    for f in fields:
        name, label = f["name"], f["label"]
        assert label, f"{lab}.{name} has a label"
        if "_" in name or len(name) <= 3:  # "max_iter", "tol", "lr", "k": the name is no word of its own
            assert label not in (" ".join(w.capitalize() for w in name.split("_")), name), f"{lab}.{name}: {label!r}"
        assert "_" not in label, f"{lab}.{name}: snake_case in {label!r}"
    assert page.evaluate(UNNAMED_CONTROLS) == [], f"{lab}: controls without a label"
    n = page.evaluate(FRAMES)
    assert page.input_value("#speed") == "auto"
    fps = float(page.evaluate("document.getElementById('player').dataset.fps"))
    assert fps == pytest.approx(max(0.5, min(30, n / 12)), abs=0.01), f"{lab}: {n} frames at {fps} frames/s"
    page.evaluate("document.getElementById('reproduce').open = true")
    width, room, last_line = page.evaluate(SNIPPET_FIT)
    assert last_line > 20 and width <= room, f"{lab}: the curl snippet is cut off or scrolls sideways"
    page.evaluate("document.getElementById('reproduce').open = false")


DRAWN_TITLE = ".chapter-label:not(.dropped)"
"""A chapter title drawn on the scrubber (chapters.js drops the shorter chapters' where there is no room)."""
TITLE_LAYOUT = """(() => { const layer = document.getElementById('chapter-marks'); const box = layer.getBoundingClientRect();
  const drawn = [...layer.querySelectorAll('.chapter-label:not(.dropped)')].map((b) => {
    const r = b.getBoundingClientRect();
    return {left: r.left, right: r.right, cut: b.scrollWidth > b.clientWidth + 1, text: b.textContent}; });
  const dropped = [...layer.querySelectorAll('.chapter-label.dropped')].map((b) => b.textContent);
  const bare = [...layer.querySelectorAll('.chapter-tick.bare')].map((t) => t.title.split(':')[0]);
  return {track: [box.left, box.right], drawn: drawn.sort((a, b) => a.left - b.left), dropped, bare}; })()"""
"""The chapter titles drawn (their spans, and whether each is cut short), the ones dropped, and the titles of
the bare ticks' tooltips."""
MIN_TITLE_PX = 30
"""The narrowest title drawn must still show a few letters (chapters.js: 4.4 em of its font, ~52 px)."""


def _title_problems(layout: dict[str, Any]) -> list[str]:
    problems = []
    drawn = layout["drawn"]
    left, right = layout["track"]
    for a, b in itertools.pairwise(drawn):
        if a["right"] > b["left"] + 1:
            problems.append(f"{a['text']!r} overlaps {b['text']!r}")
    for title in drawn:
        if title["left"] < left - 2 or title["right"] > right + 2:
            problems.append(f"{title['text']!r} runs past the track")
        if title["cut"] and title["right"] - title["left"] < MIN_TITLE_PX:
            problems.append(f"{title['text']!r} is cut to {title['right'] - title['left']:.0f} px")
    if sorted(layout["dropped"]) != sorted(layout["bare"]):
        problems.append(f"dropped titles {layout['dropped']} are not the bare ticks' tooltips {layout['bare']}")
    return problems


def check_chapter_titles(page: Any, lab: str, size: tuple[int, int]) -> None:
    """The chapter titles drawn on the scrubber neither overlap nor run past its track, and each shows enough to
    read; a title dropped for want of room is its tick's tooltip. Titles are placed when the track's width
    changes (a ResizeObserver): after a resize, wait for the layout to settle."""
    if not page.locator(".chapter-label").count():
        return
    deadline = time.monotonic() + 5
    while True:
        layout = page.evaluate(TITLE_LAYOUT)
        problems = _title_problems(layout)
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not problems, f"{lab} at {size[0]}×{size[1]}: {problems} ({layout})"


def check_keys(page: Any, lab: str) -> None:
    """→ ← Home End step and change the caption; space plays and pauses; keys typed in a field are left alone."""
    n = page.evaluate(FRAMES)
    assert n > 1, f"{lab}: a step-by-step lab has more than one frame"
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("Home")
    assert page.evaluate(INDEX) == 0
    first = page.evaluate(CAPTION).strip()
    assert first, f"{lab}: the first frame has a caption"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(INDEX) == 1
    second = page.evaluate(CAPTION).strip()
    assert second and second != first, f"{lab}: stepping changes the caption ({first!r})"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(INDEX) == 0 and page.evaluate(CAPTION).strip() == first
    page.keyboard.press("End")
    assert page.evaluate(INDEX) == n - 1
    last = page.evaluate(CAPTION).strip()
    assert last and last != first, f"{lab}: the last caption says something new"
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    assert page.evaluate(PLAYING) is True, f"{lab}: space plays"
    page.keyboard.press("Space")
    assert page.evaluate(PLAYING) is False, f"{lab}: space pauses"
    page.keyboard.press("Space")
    until(page, f"{INDEX} >= 1", message=f"({lab}: playing moves on)")
    if page.evaluate(PLAYING):  # (a short run may have played to its end meanwhile)
        page.keyboard.press("Space")
        assert page.evaluate(PLAYING) is False, f"{lab}: space pauses"
    page.focus("#ctl-seed")
    at = page.evaluate(INDEX)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(INDEX) == at, f"{lab}: an arrow typed in a field moves the caret, not the frame"
    page.evaluate("document.activeElement?.blur()")


def check_axe(page: Any, lab: str, size: tuple[int, int]) -> None:
    until(
        page,
        "document.querySelectorAll('#metrics .metric-plot .main-svg').length > 0 || !document.querySelector('#metrics .metric')",
    )
    found = serious_violations(page)
    assert found == [], f"{lab} at {size[0]}×{size[1]}:\n" + "\n".join(found)


@dataclass(frozen=True)
class NumberField:
    name: str
    integer: bool
    value: float
    good: float
    bad: float


def _bounds(prop: dict[str, Any]) -> tuple[float | None, float | None, bool, bool]:
    """(low, high, low exclusive, high exclusive) of a number schema."""
    low, high = prop.get("minimum"), prop.get("maximum")
    ex_low, ex_high = "exclusiveMinimum" in prop, "exclusiveMaximum" in prop
    return (
        prop.get("exclusiveMinimum", low),
        prop.get("exclusiveMaximum", high),
        ex_low and low is None,
        ex_high and high is None,
    )


def _within(v: float, low: float | None, high: float | None, ex_low: bool, ex_high: bool) -> bool:
    return (low is None or (v > low if ex_low else v >= low)) and (high is None or (v < high if ex_high else v <= high))


def pick_number(page: Any, schema: dict[str, Any]) -> NumberField:
    """The first numeric control on show (integers first) with a bound, a new valid value and one past a bound."""
    shown: list[list[Any]] = page.evaluate(NUMERIC_FIELDS)
    found: list[NumberField] = []
    for name, text in shown:
        prop = schema["properties"].get(name, {})
        branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:  # a nullable number: its number branch holds the bounds
            prop = {**prop, **branches[0]}
        if prop.get("type") not in ("integer", "number") or text == "":
            continue
        low, high, ex_low, ex_high = _bounds(prop)
        integer = prop["type"] == "integer"
        value = float(text)
        step = 1.0 if integer else float(prop.get("x-step") or 10 ** math.floor(math.log10(abs(value) or 1)) / 10)
        up, down = round(value + step, 6), round(value - step, 6)
        good = up if _within(up, low, high, ex_low, ex_high) else down
        if not _within(good, low, high, ex_low, ex_high) or good == value:
            continue
        if high is not None:
            bad = high if ex_high else high + (1 if integer else abs(high) + 1)
        elif low is not None:
            bad = low if ex_low else low - (1 if integer else abs(low) + 1)
        else:
            continue
        found.append(NumberField(name, integer, value, good, bad))
    assert found, f"no numeric control with a bound on show: {shown}"
    return sorted(found, key=lambda f: not f.integer)[0]


def text_of(v: float, integer: bool) -> str:
    return str(int(v)) if integer else repr(float(v)).removesuffix(".0")


def check_controls(page: Any, lab: str, schema: dict[str, Any]) -> None:
    """A valid value re-runs and goes to the URL; a value past its bound is a 422 named next to its control."""
    field = pick_number(page, schema)
    box_id = f"#ctl-{field.name}"
    runs = page.evaluate(RUNS)
    good = text_of(field.good, field.integer)
    page.fill(box_id, good)
    page.press(box_id, "Tab")
    until(page, f"new URLSearchParams(location.search).get({field.name!r}) === {good!r}", message=f"({lab}: URL)")
    until(page, f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", timeout=60, message=f"({lab}: {field.name}={good} runs)")
    assert page.evaluate(BADGE) not in FAILED_BADGES, f"{lab} {field.name}={good}: {page.evaluate(CAPTION)}"
    assert page.evaluate(FRAMES) >= 1
    bad = text_of(field.bad, field.integer)
    page.fill(box_id, bad)
    page.press(box_id, "Tab")
    selector = f'[data-path="{field.name}"]'
    until(page, f"document.querySelector('{selector}').classList.contains('invalid')", message=f"({lab}: 422)")
    error = page.locator(f"{selector} > .field-error")
    assert error.is_visible(), f"{lab}: the error shows next to {field.name}"
    text = error.inner_text()
    assert text and "Input should" not in text and not text.startswith("Value error"), f"{lab}: {text!r}"
    assert page.evaluate(BADGE) == "invalid", f"{lab} {field.name}={bad}: {page.evaluate(CAPTION)}"


def settled_run(page: Any, lab: str, runs: int, what: str) -> None:
    """Exactly one new run (the edit's), finished and not failed."""
    until(page, f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", timeout=60, message=f"({lab}: {what} runs)")
    assert page.evaluate(RUNS) == runs + 1, f"{lab}: {what} started one run, not {page.evaluate(RUNS) - runs}"
    assert page.evaluate(BADGE) not in FAILED_BADGES, f"{lab} after {what}: {page.evaluate(CAPTION)}"


def check_followed_datasets(page: Any, lab: str, info: dict[str, Any]) -> None:
    """A dataset list that follows a sibling param (``x-datasets-by``: a ``task`` switch): the picker offers the
    sibling's datasets; a new sibling value whose list leaves the dataset out switches it to the hinted default
    (``x-default-by``), in the URL, with one run; your own drawn points suit every value and stay."""
    dataset = info["params_schema"]["properties"]["dataset"]
    default_name = info["defaults"]["dataset"]["name"]
    for sibling, lists in dataset["x-datasets-by"].items():
        start = str(info["defaults"][sibling])
        assert sorted(page.evaluate(DATASETS_OFFERED)) == sorted(lists[start]), f"{lab}: offered for {start}"
        other = next(v for v, names in lists.items() if default_name not in names)
        expected = dataset["x-default-by"][sibling][other]["name"]
        runs = page.evaluate(RUNS)
        page.select_option(f"#ctl-{sibling}", other)
        settled_run(page, lab, runs, f"{sibling}={other}")
        query = f"new URLSearchParams(location.search).get({sibling!r})"
        assert page.evaluate(query) == other and page.evaluate(DATASET_CHOSEN) == expected, lab
        named = page.evaluate("new URLSearchParams(location.search).get('dataset.name')")
        assert named == (None if expected == default_name else expected), f"{lab}: dataset.name={named} in the URL"
        assert sorted(page.evaluate(DATASETS_OFFERED)) == sorted(lists[other]), f"{lab}: offered for {other}"
        metrics = page.evaluate(RUN_METRICS)  # the metrics panel follows too: the old task's charts go
        wanted = json.dumps(json.dumps(metrics, separators=(",", ":")))  # a JS string of the JSON list
        until(page, f"JSON.stringify({METRIC_CHARTS}) === {wanted}", message=f"({lab}: the metric charts follow)")
        if page.locator("#draw-toggle").count():  # drawn points: inline data, which every value takes
            page.click("#draw-toggle")
            until(page, "!document.getElementById('draw-box').hidden")
            box_ = page.locator("#main-plot .nsewdrag").first.bounding_box()
            runs = page.evaluate(RUNS)
            for i in range(10):
                if i == 5:
                    page.click('.class-swatch[data-class="1"]')
                fx, fy = 0.15 + 0.07 * i, 0.3 + 0.4 * (i % 2)
                page.mouse.click(box_["x"] + box_["width"] * fx, box_["y"] + box_["height"] * fy)
            until(page, f"{DATA}.startsWith('d1.') && {RUNS} > {runs} && {COMPLETE} && {IDLE}", timeout=60)
            assert page.evaluate(BADGE) not in FAILED_BADGES, f"{lab} drawn, {other}: {page.evaluate(CAPTION)}"
            page.click("#draw-toggle")  # done drawing
            runs = page.evaluate(RUNS)
            page.select_option(f"#ctl-{sibling}", start)
            settled_run(page, lab, runs, f"{sibling}={start} with drawn points")
            assert page.evaluate(DATA).startswith("d1."), f"{lab}: the drawn points stay for {start}"
            assert page.evaluate(DATASET_CHOSEN) == "__inline__", lab
        else:
            runs = page.evaluate(RUNS)
            page.select_option(f"#ctl-{sibling}", start)
            settled_run(page, lab, runs, f"{sibling}={start}")
            assert page.evaluate(DATASET_CHOSEN) == default_name, lab
