"""The catalog and the player, driven through real headless Chromium (Debian's /usr/bin/chromium).

The keys, the auto pace, the metric charts' timeline, the chapter marks and the curl snippet are checked for
every lab on its one page load in test_every_lab_page; here: the buttons, the URL and a reload, shared links,
clicks on the plot, bad settings, the 404, the CSP, the exports, a failed run.
Every test also fails on any browser console error, uncaught page error or CSP violation (see conftest).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.probes import CAPTION, COMPLETE, FRAMES, IDLE, INDEX, PLAYING, POINTS, RUNS

pytestmark = pytest.mark.e2e


def open_player(page: Any, wait_until: Any, path: str = "/algorithms/kmeans") -> None:
    page.goto(path)
    wait_until(f"{FRAMES} > 1", message="(frames should stream in)")


def finish(page: Any, wait_until: Any) -> None:
    wait_until(COMPLETE, message="(the stream should end)")


def test_catalog_search_filters_and_links_to_the_player(page: Any, wait_until: Any) -> None:
    page.goto("/")
    assert "Stepwise" in page.locator(".site-header").inner_text()
    card = page.locator('[data-testid="card-kmeans"]')
    assert card.is_visible()
    assert "day 13" in card.inner_text().lower()

    page.fill("#search", "no-such-algorithm-xyz")
    assert not card.is_visible()
    assert page.locator("#no-results").is_visible()
    assert "0 algorithms" in page.locator("#search-count").inner_text()

    page.fill("#search", "elbow")  # matches the summary, not the title
    assert card.is_visible()
    page.fill("#search", "clustering")  # the family
    assert card.is_visible()
    assert not page.locator("#no-results").is_visible()

    card.click()
    page.wait_for_url("**/algorithms/kmeans**")
    wait_until(f"{FRAMES} > 1")


def test_player_streams_pauses_steps_and_scrubs(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until)
    page.click("#btn-play")  # playing starts by itself; this pauses
    assert page.evaluate(PLAYING) is False
    finish(page, wait_until)

    page.click("#btn-last")
    n = page.evaluate(FRAMES)
    assert page.evaluate(INDEX) == n - 1
    last_caption = page.evaluate(CAPTION)
    assert "Converged" in last_caption
    assert page.locator("#frame-kind").inner_text().strip().lower() == "converged"
    assert page.locator("#frame-counter").inner_text() == f"frame {n} / {n}"

    page.click("#btn-back")
    assert page.evaluate(INDEX) == n - 2
    assert page.evaluate(CAPTION) != last_caption
    page.click("#btn-forward")
    assert page.evaluate(CAPTION) == last_caption

    page.locator("#scrub").fill("0")
    assert page.evaluate(INDEX) == 0
    assert page.locator("#frame-kind").inner_text().strip().lower() == "init"
    page.locator("#scrub").fill(str(n - 1))
    assert page.evaluate(CAPTION) == last_caption

    assert page.evaluate(POINTS) > 0, "the main plot should draw the data points"
    wait_until(
        "document.querySelectorAll('#panel-elbow .scatterlayer .point').length > 0",
        message="(the elbow panel should be drawn)",
    )
    assert "elbow" in page.locator('[data-panel="elbow"] .panel-title').text_content().lower()
    assert page.locator('.metric[data-metric="wcss"] .metric-plot .scatterlayer .trace').count() > 0


def test_controls_write_the_url_and_a_reload_reproduces_the_run(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until)
    finish(page, wait_until)
    runs = page.evaluate(RUNS)
    page.fill("#ctl-k", "3")
    page.press("#ctl-k", "Tab")  # "change" → URL + debounced re-run
    wait_until("new URLSearchParams(location.search).get('k') === '3'", message="(k=3 in the URL)")
    wait_until(f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", message="(the change should re-run)")
    page.click("#btn-last")
    caption = page.evaluate(CAPTION)
    assert "Converged" in caption
    query = parse_qs(urlparse(page.url).query)
    assert query["k"] == ["3"]
    assert "init" not in query, "defaults are not written to the URL"

    page.reload()
    wait_until(f"{FRAMES} > 1")
    assert page.input_value("#ctl-k") == "3"
    finish(page, wait_until)
    page.click("#btn-last")
    assert page.evaluate(CAPTION) == caption
    assert page.locator('[data-panel="elbow"]').count() == 1


# The dataset picked: a thumbnail picker (radio buttons) or a select, whichever the controls render.
DATASET_CHOSEN = """(() => { const e = document.getElementById('ctl-dataset');
  return e.tagName === 'SELECT' ? e.value : e.querySelector('[aria-checked="true"]')?.dataset.name; })()"""


def test_dataset_from_a_shared_link(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until, "/algorithms/kmeans?seed=3&k=2&dataset.name=moons&dataset.noise=0.2")
    finish(page, wait_until)
    assert page.evaluate(DATASET_CHOSEN) == "moons"
    assert page.input_value("#ctl-dataset-noise") == "0.2"
    assert page.input_value("#ctl-seed") == "3"
    assert page.input_value("#ctl-k") == "2"
    snippet = page.locator("#snippet-curl").text_content()
    assert "/api/v1/algorithms/kmeans/runs" in snippet
    assert '"noise":0.2' in snippet and '"seed":3' in snippet


def test_manual_init_by_clicking_the_plot(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until, "/algorithms/kmeans?k=2")
    finish(page, wait_until)
    page.select_option("#ctl-init", "__manual__")
    assert page.locator("#click-hint").is_visible()
    box = page.locator("#main-plot .nsewdrag").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    assert "1 / 2" in page.locator('[data-path="init"] .click-status').inner_text()
    runs = page.evaluate(RUNS)
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.6)
    wait_until(
        "(new URLSearchParams(location.search).get('init') || '').startsWith('[[')",
        message="(two placed points become init=[[x,y],[x,y]])",
    )
    wait_until(f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", message="(placing the last point re-runs)")
    init = page.evaluate("JSON.parse(new URLSearchParams(location.search).get('init'))")
    assert len(init) == 2 and all(len(p) == 2 for p in init)
    page.click("#btn-last")
    assert "Converged" in page.evaluate(CAPTION)

    page.click(".clear-points")
    assert "0 / 2" in page.locator('[data-path="init"] .click-status').inner_text()


def test_invalid_setting_is_shown_next_to_its_control(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")  # Chromium logs every non-2xx fetch as a console error
    page.goto("/algorithms/kmeans?k=999")  # past the schema's bound (k <= 20): refused, not clamped
    wait_until("document.querySelector('[data-path=\"k\"] .field-error')?.hidden === false")
    assert "20" in page.locator('[data-path="k"] .field-error').inner_text()
    assert page.locator("#frame-kind").inner_text().strip().lower() == "invalid"
    assert page.is_disabled("#btn-play"), "nothing to play"


def test_a_clamp_note_starts_the_first_caption_and_moves_nothing(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until, "/algorithms/kmeans?k=8&dataset.n_samples=5")
    finish(page, wait_until)
    page.click("#btn-first")
    note = page.locator("#caption .caption-note")
    assert note.inner_text().startswith("Note: k = 8 is more than the 5 points, so k = 5 is used")
    assert page.evaluate(CAPTION).startswith(note.inner_text()), "the caption's words are unchanged"
    play = page.locator("#btn-play").bounding_box()
    page.click("#btn-forward")
    assert page.locator("#caption .caption-note").count() == 0, "later frames carry no note"
    assert page.locator("#btn-play").bounding_box() == play


def test_unknown_algorithm_is_a_404_page(page: Any, console: Any) -> None:
    console.allow("status of 404")
    response = page.goto("/algorithms/no-such-lab")
    assert response is not None and response.status == 404
    assert "no-such-lab" in page.locator("h1").inner_text()
    assert page.locator('a[href="/"]').count() >= 1


def test_pages_send_the_csp_and_load_plotly_locally(page: Any, base_url: str) -> None:
    response = page.goto("/algorithms/kmeans")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("typeof window.Plotly.react") == "function"
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert all(src.startswith("/static/") for src in scripts)


def test_exports_png_and_frames_json(page: Any, wait_until: Any) -> None:
    open_player(page, wait_until)
    finish(page, wait_until)
    n = page.evaluate(FRAMES)

    with page.expect_download() as info:
        page.click("#export-json")
    download = info.value
    assert download.suggested_filename == "stepwise-kmeans-seed0.json"
    body = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert body["algorithm"] == "kmeans" and body["seed"] == 0
    assert len(body["frames"]) == n
    assert body["result"]["converged"] is True
    assert [f["index"] for f in body["frames"]] == list(range(n))

    with page.expect_download() as info:
        page.click("#export-png")
    png = info.value
    assert png.suggested_filename.endswith(".png")
    assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.click("#reproduce summary")
    curl = page.locator("#snippet-curl").inner_text()
    assert curl.startswith("curl ") and "/api/v1/algorithms/kmeans/runs" in curl
    page.click('.snippet-tabs .tab[data-tab="python"]')
    python = page.locator("#snippet-python").inner_text()
    assert "import httpx" in python and '"seed": 0' in python


def test_play_and_step_are_disabled_while_there_are_no_frames(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("net::ERR_FAILED")  # the run request below is made to fail: no frame ever arrives
    page.route("**/api/v1/algorithms/kmeans/runs**", lambda route: route.abort("failed"))
    page.goto("/algorithms/kmeans")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'error'", message="(the run fails)")
    assert page.evaluate(FRAMES) == 0
    for button in ("#btn-play", "#btn-back", "#btn-forward", "#btn-first", "#btn-last"):
        assert page.is_disabled(button), f"{button} does nothing at 0 / 0 frames"
    assert page.locator("#frame-counter").inner_text() == "frame 0 / 0"
    page.unroute("**/api/v1/algorithms/kmeans/runs**")
    page.click("#run-button")
    wait_until(f"{FRAMES} > 0")
    assert not page.is_disabled("#btn-play") and not page.is_disabled("#btn-forward")


AXIS_TITLE = "document.querySelector('.metric .metric-plot')?._fullLayout?.xaxis?.title?.text ?? null"


def test_without_a_scene_timeline_the_sparklines_count_frames(page: Any, wait_until: Any) -> None:
    def strip_extras(route: Any) -> None:
        response = route.fetch()
        head, sep, rest = response.text().partition("\n\n")
        scene = json.loads(head.split("data: ", 1)[1])
        scene.pop("x-timeline", None)
        scene.pop("x-phases", None)
        head = head.split("data: ", 1)[0] + "data: " + json.dumps(scene)
        route.fulfill(status=200, headers=dict(response.headers), body=head + sep + rest)

    page.route("**/api/v1/algorithms/kmeans/runs**", strip_extras)
    open_player(page, wait_until)
    finish(page, wait_until)
    wait_until(f"{AXIS_TITLE} === 'frame'", message="(the fallback axis title)")
    n = page.evaluate(FRAMES)
    assert page.evaluate("document.querySelector('.metric .metric-plot').data[0].x") == list(range(1, n + 1))
    assert page.locator(".chapter-label").count() == 0, "one phase: no chapter marks"
