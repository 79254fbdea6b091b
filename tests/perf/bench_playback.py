"""Playback in real headless Chromium: frames the player shows per second vs plain Plotly.react of the same figures.

Run: ``.venv/bin/python tests/perf/bench_playback.py`` (or ``python -m tests.perf.bench_playback``; ``make perf``
runs every bench). Options: ``--rounds N`` (default 3), ``--labs kmeans-300,neural`` (a subset by name).

Per lab the page is opened, the run is left to finish buffering, and then, interleaved over the rounds:

* **player fps**: the top entry of the speed menu is chosen, the timeline is sent to frame 1 and Play is
  pressed; frames shown per second = frames drawn while playing / (time of the last draw − time Play was
  pressed). A draw is counted when ``#player[data-index]`` changes (the player sets it after the frame's
  draw returns), so this works on any version of the player.
* **plotly fps**: in the same page and plot div, every frame's fully composed figure (``composeFigure`` of
  plot.js, precomposed before timing from the same run fetched again, a cache hit) is given to
  ``Plotly.react`` back to back (the config only with the first: the fastest way to call it); frames / elapsed
  time. This measures Plotly alone, without paints between frames.
* **plotly+paint fps**: the same, one ``Plotly.react`` per animation-frame callback, so every frame is also
  painted, as a player must (the browser's paint is not in the plotly column).

Columns: the best round of each rate (as tests/perf/timing.py: the least disturbed run; the machine is shared);
``ratio`` = player / plotly; ``goal`` = min(30, 0.9 × plotly) and whether the player met it; ``load`` =
``os.getloadavg()`` (1 min, median over the rounds) when the lab was measured: read the numbers beside it.
It prints; it asserts nothing (no timed assertions in the test suite).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

if __package__ in (None, ""):  # run as a script: make `app` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.main import create_app
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

# name -> page path (the lab's page with its URL state)
LABS: dict[str, str] = {
    "kmeans-300": "/algorithms/kmeans",
    "kmeans-2000": "/algorithms/kmeans?dataset.n_samples=2000",
    "neural": "/algorithms/neural-network",
    "logistic": "/algorithms/logistic-regression",
    "dbscan": "/algorithms/dbscan",
    "optimizers": "/algorithms/optimizers",
    "gradient-descent": "/algorithms/gradient-descent",
}
FRAMES = "Number(document.getElementById('player').dataset.frames || 0)"
DONE = (
    "document.getElementById('player').dataset.complete === 'true'"
    " && document.getElementById('player').dataset.running === 'false'"
)

# (a) Play the buffered run from frame 1 at the top speed; resolve with what was shown and when.
PLAY_JS = """async () => {
  const root = document.getElementById('player');
  const $ = (id) => document.getElementById(id);
  if (root.dataset.playing === 'true') $('btn-play').click();
  const sel = $('speed');
  const top = [...sel.options].map((o) => o.value).filter((v) => Number.isFinite(Number(v)))
    .sort((a, b) => Number(b) - Number(a))[0];
  sel.value = top;
  sel.dispatchEvent(new Event('change'));
  $('btn-first').click();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)));
  const total = Number(root.dataset.frames);
  let last = root.dataset.index, shown = 0, tLast = 0;
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (root.dataset.index !== last) { last = root.dataset.index; shown += 1; tLast = performance.now(); }
      if (root.dataset.playing === 'false') { obs.disconnect(); resolve(); }
    });
    obs.observe(root, { attributes: true, attributeFilter: ['data-index', 'data-playing'] });
  });
  const t0 = performance.now();
  $('btn-play').click();
  await Promise.race([done, new Promise((r) => setTimeout(r, 180000))]);
  return { speed: top, total, shown, seconds: (tLast - t0) / 1000, end: Number(root.dataset.index) };
}"""

# Fetch the same run again (a cache hit) and precompose every frame's figure once; kept on window.
PREPARE_JS = """async (request) => {
  const plot = await import('/static/js/plot.js');
  const r = await fetch(request.url, { method: 'POST', body: request.body,
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' } });
  const text = await r.text();
  let scene = null; const frames = [];
  for (const block of text.split('\\n\\n')) {
    let event = 'message'; const data = [];
    for (const line of block.split('\\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!data.length) continue;
    if (event === 'scene') scene = JSON.parse(data.join('\\n'));
    else if (event === 'frame') frames.push(JSON.parse(data.join('\\n')));
  }
  const figures = frames.map((f, i) => {
    const fig = plot.composeFigure(scene, f.figure, frames.slice(0, i).map((g) => g.figure));
    const layout = { ...fig.layout, autosize: true, uirevision: 'bench' };
    delete layout.width; delete layout.height;
    return { data: fig.data, layout };
  });
  window.__benchFigures = { figures, config: plot.PLOT_CONFIG };
  return figures.length;
}"""

# (b) Plotly.react of every precomposed figure, back to back or one per animation frame.
PLOTLY_JS = """async (perFrame) => {
  const { figures, config } = window.__benchFigures;
  const gd = document.getElementById('main-plot');
  const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
  await Plotly.react(gd, figures[0].data, figures[0].layout, config);
  if (perFrame) await nextFrame();
  const t0 = performance.now();
  for (let i = 1; i < figures.length; i += 1) {
    if (perFrame) await nextFrame();
    await Plotly.react(gd, figures[i].data, figures[i].layout); // the config stays from the first react
  }
  return (figures.length - 1) / ((performance.now() - t0) / 1000);
}"""


def _serve() -> tuple[str, uvicorn.Server]:
    """The app on a free loopback port in a daemon thread (as tests/perf/bench_http.py does)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            httpx.get(base + "/healthz")
            return base, server
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def _wait(page: Any, expression: str, timeout: float = 120.0) -> None:
    """Poll a JS expression until truthy (the page's CSP blocks wait_for_function)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {expression}")
        time.sleep(0.1)


def bench_lab(browser: Any, base: str, name: str, path: str, rounds: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)
    page = context.new_page()
    requests: list[dict[str, str]] = []
    page.on(
        "request",
        lambda r: requests.append({"url": r.url, "body": r.post_data or ""}) if "/runs" in r.url else None,
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path)
        _wait(page, f"{FRAMES} > 0 && {DONE}")
        if not requests:
            raise RuntimeError("the page sent no run request")
        n = page.evaluate(PREPARE_JS, requests[-1])
        player: list[float] = []
        plotly: list[float] = []
        painted: list[float] = []
        loads: list[float] = []
        speed = ""
        for _ in range(rounds):
            loads.append(os.getloadavg()[0])
            played = page.evaluate(PLAY_JS)
            speed = str(played["speed"])
            if played["end"] != played["total"] - 1 or played["shown"] != played["total"] - 1:
                print(f"  ! {name}: played {played}", file=sys.stderr)
            player.append(played["shown"] / played["seconds"] if played["seconds"] > 0 else float("nan"))
            plotly.append(page.evaluate(PLOTLY_JS, False))
            painted.append(page.evaluate(PLOTLY_JS, True))
        if errors:
            print(f"  ! {name}: page errors {errors[:3]}", file=sys.stderr)
        return {
            "lab": name,
            "frames": n,
            "speed": speed,
            "player": max(player),
            "plotly": max(plotly),
            "painted": max(painted),
            "load": statistics.median(loads),
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--labs", default=",".join(LABS), help="comma-separated subset of: " + ", ".join(LABS))
    args = parser.parse_args()
    names = [n.strip() for n in args.labs.split(",") if n.strip()]
    from playwright.sync_api import sync_playwright

    base, server = _serve()
    print(
        f"{'lab':17s} {'frames':>6s} {'top speed':>9s} {'player fps':>10s} {'plotly fps':>10s} "
        f"{'ratio':>6s} {'goal':>11s} {'plotly+paint':>12s} {'load':>5s}"
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name in names:
                    r = bench_lab(browser, base, name, LABS[name], args.rounds)
                    goal = min(30.0, 0.9 * r["plotly"])
                    met = "met" if r["player"] >= goal else "MISSED"
                    print(
                        f"{r['lab']:17s} {r['frames']:6d} {r['speed']:>9s} {r['player']:10.1f} {r['plotly']:10.1f} "
                        f"{r['player'] / r['plotly']:6.2f} {goal:5.1f} {met:>5s} {r['painted']:12.1f} {r['load']:5.2f}",
                        flush=True,
                    )
            finally:
                browser.close()
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()
