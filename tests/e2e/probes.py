"""JavaScript expressions the browser tests poll with ``page.evaluate`` (the page's CSP blocks
``wait_for_function``). One definition each: the player's ``data-*`` attributes, what Plotly drew, what the
form shows."""

from __future__ import annotations

_PLAYER = "document.getElementById('player').dataset"

FRAMES = f"Number({_PLAYER}.frames || 0)"
"""Frames buffered so far."""
INDEX = f"Number({_PLAYER}.index)"
"""Index of the frame on screen (-1 before the first)."""
COMPLETE = f"{_PLAYER}.complete === 'true'"
"""The stream ended: every frame is buffered."""
PLAYING = f"{_PLAYER}.playing === 'true'"
IDLE = f"{_PLAYER}.running === 'false'"
"""No request in flight."""
RUNS = f"Number({_PLAYER}.runs || 0)"
"""How many runs the page has started (each settings change starts one)."""
CAPTION = "document.getElementById('caption').textContent"
DATA = "new URLSearchParams(location.search).get('data') || ''"
TRACE_NAMES = "document.getElementById('main-plot').data.map(t => t.name)"

POINTS = "document.querySelectorAll('#main-plot .scatterlayer .point').length"
"""Markers drawn on the main plot."""
LINES = "document.querySelectorAll('#main-plot .scatterlayer .js-line').length"
HEATMAPS = "document.querySelectorAll('#main-plot .heatmaplayer image').length"
CONTOURS = "document.querySelectorAll('#main-plot .contourlayer path').length"
BARS = "document.querySelectorAll('#main-plot .barlayer .point').length"

PLAYER_MARKS = f"{POINTS} + {LINES} + {HEATMAPS} + {CONTOURS} + {BARS}"
"""Everything Plotly drew on the main plot: markers, lines, heatmap images, contour paths, bars."""
BADGE = "document.getElementById('frame-kind').textContent.trim()"
"""The caption's badge word: the frame's kind, or invalid / error / lab failed / too big (caption.js)."""
FAILED_BADGES = ("invalid", "error", "lab failed", "too big")

COUNT_DRAWS = """(() => { const gd = document.getElementById('main-plot');
  if (!gd.__drawCounter) { gd.__drawCounter = true; window.__draws = 0; gd.on('plotly_afterplot', () => { window.__draws += 1; }); }
  return window.__draws; })()"""
"""Install (once) and read a counter of the main plot's redraws (Plotly's ``plotly_afterplot``)."""

FIGURE = """(() => {
  const gd = document.getElementById('main-plot');
  const texts = (sel) => [...gd.querySelectorAll(sel)].map((n) => n.textContent.trim());
  const box = (n) => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const size = (v) => (v && typeof v.length === 'number' ? v.length : 0);
  const full = gd._fullLayout;
  const traces = (gd._fullData ?? []).filter((t) => t.visible === true);
  const withPoints = traces.filter((t) => Math.max(size(t.x), size(t.y), size(t.z), size(t.values)) > 0);
  // The axes that show data: those a trace with points is drawn on, shown with their tick labels.
  const axes = {};
  for (const t of withPoints) {
    for (const [letter, id] of [['x', t.xaxis], ['y', t.yaxis]]) {
      if (!id) continue;
      const key = letter + 'axis' + id.slice(1);
      const ax = full[key];
      if (ax && ax.visible !== false && ax.showticklabels !== false) axes[key] = (ax.title?.text ?? '').trim();
    }
  }
  const plot = gd.getBoundingClientRect();
  // Plotly draws each legend (legend, legend2, ...) as a group of the info layer.
  const legends = [...gd.querySelectorAll('.infolayer > g[class^="legend"]')].filter((g) => g.getBoundingClientRect().width > 0);
  return {
    traces: traces.length, withPoints: withPoints.length,
    names: withPoints.map((t) => t.name ?? ''),
    legend: texts('[class^="legend"] .traces'),
    axes, axisTitles: texts('[class^="g-x"][class$="title"], [class^="g-y"][class$="title"]'),
    colorbars: gd.querySelectorAll('.colorbar').length, colorbarTitles: texts('.colorbar .cbtitle'),
    box: [plot.left, plot.top, plot.right, plot.bottom],
    svgWidth: gd.querySelector('.main-svg')?.getBoundingClientRect().width ?? 0,
    subplots: gd.querySelectorAll('.cartesianlayer .subplot').length,
    drags: [...gd.querySelectorAll('.draglayer .nsewdrag')].map(box).filter((r) => r[2] > r[0] && r[3] > r[1]),
    bars: [...gd.querySelectorAll('.colorbar .cbbg')].map(box).filter((r) => r[2] > r[0] && r[3] > r[1]),
    legendBoxes: legends.map(box),
  };
})()"""
"""What the main figure shows now: traces with points, legend entries, the titles of the axes that show data
(layout and drawn), colour bars and their titles, and where the plot areas, colour bars and legend are."""

RUN_FACTS = """async () => {
  // The page's own default run again (same request → the same frames, from the cache): the scene's extras and
  // each frame's kind, metrics and state, as the player got them.
  const r = await fetch(location.pathname.replace('/algorithms/', '/api/v1/algorithms/') + '/runs?figure=true', {
    method: 'POST', headers: {'Accept': 'text/event-stream', 'Content-Type': 'application/json'}, body: '{}'});
  const text = await r.text();
  const events = text.split('\\n\\n').map((block) => {
    const lines = block.split('\\n');
    const event = (lines.find((l) => l.startsWith('event: ')) ?? '').slice(7);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
    return {event, data};
  }).filter((e) => e.data);
  const scene = JSON.parse(events.find((e) => e.event === 'scene')?.data ?? '{}');
  const frames = events.filter((e) => e.event === 'frame').map((e) => JSON.parse(e.data));
  return {
    timeline: scene['x-timeline'] ?? null, phases: scene['x-phases'] ?? null,
    interactions: (scene['x-interactions'] ?? []).map((d) => d.kind),
    frames: frames.map((f) => ({kind: f.kind, metrics: f.metrics ?? {}, state: f.state})),
  };
}"""
"""The default run's scene extras (``x-timeline``, ``x-phases``, ``x-interactions``) and its frames."""

PLUGINS = """performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
    .filter((p) => p.startsWith('/static/js/interactions/') && !p.includes('/lib/') && !p.endsWith('/registry.js'))
    .map((p) => p.split('/').pop().replace(/\\.js$/, '')).sort()"""
"""The interaction plugins the page loaded (static/js/interactions/<kind>.js), by kind."""
SPARK_TITLE = "document.querySelector('.metric .metric-plot')?._fullLayout?.xaxis?.title?.text ?? null"
SPARK = """(() => { const m = document.querySelector('.metric');
  return {name: m.dataset.metric, xs: [...(m.querySelector('.metric-plot')?.data?.[0]?.x ?? [])]}; })()"""
"""The first metric chart: its metric and the x of its line (metrics.js: the timeline's value per frame)."""
CHAPTERS = "[...document.querySelectorAll('.chapter-label')].map((b) => [Number(b.dataset.index), b.textContent])"

DATASET_CHOSEN = """(() => { const e = document.getElementById('ctl-dataset');
  return e.tagName === 'SELECT' ? e.value : e.querySelector('[aria-checked="true"]')?.dataset.name; })()"""
"""The dataset the picker shows as chosen (thumbnails or a select, whichever the form drew)."""
DATASETS_OFFERED = """(() => { const e = document.getElementById('ctl-dataset');
  const names = e.tagName === 'SELECT' ? [...e.options].map((o) => o.value)
    : [...e.querySelectorAll('.dataset-thumb')].map((b) => b.dataset.name);
  return names.filter((n) => n !== '__inline__'); })()"""
"""The named datasets the picker offers (your own drawn / uploaded data left out)."""
FORM_LABELS = """[...document.querySelectorAll('#controls-fields > fieldset > .field[data-path]')].map((f) => {
  const l = f.querySelector(':scope > label, :scope > .field-label, :scope > label.check span');
  return {name: f.dataset.path, label: (l ? l.textContent : '').trim()};
})"""
"""Every top-level control of the form and the words of its label."""
UNNAMED_CONTROLS = """[...document.querySelectorAll('#controls-fields input, #controls-fields select,'
    + ' #controls-fields button, #controls-fields textarea')]
  .filter((e) => !e.closest('[hidden]'))
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                 && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
  .map((e) => e.id || e.name || e.outerHTML.slice(0, 60))"""
"""Form controls on show that assistive tech could not name (no label, aria-label(ledby) or text)."""
SNIPPET_FIT = """(() => { const p = document.getElementById('snippet-curl');
  return [p.scrollWidth, p.clientWidth, p.textContent.split('\\n').pop().length]; })()"""
"""The curl snippet's scroll width, its box's width and the length of its last (-d) line."""
NUMERIC_FIELDS = """[...document.querySelectorAll('#controls-fields > fieldset > .field[data-path]')]
  .filter((f) => !f.closest('[hidden]') && ['range', 'number'].includes(f.dataset.kind))
  .map((f) => [f.dataset.path, document.getElementById('ctl-' + f.dataset.path)?.value ?? ''])"""
"""The top-level number controls on show, each with the text of its number box."""
METRIC_CHARTS = "[...document.querySelectorAll('#metrics .metric')].map((m) => m.dataset.metric).sort()"
"""The metrics the metrics panel draws a chart of, by name."""
RUN_METRICS = """async () => {
  // The run on show again, from the request the curl snippet holds (the same request: from the cache).
  const body = document.querySelector('#snippet-curl').textContent.match(/-d '(.*)'/s)[1];
  const r = await fetch(location.pathname.replace('/algorithms/', '/api/v1/algorithms/') + '/runs', {
    method: 'POST', headers: {'content-type': 'application/json'}, body});
  return [...new Set((await r.json()).frames.flatMap((f) => Object.keys(f.metrics ?? {})))].sort();
}"""
"""The metric names of the run on show."""
