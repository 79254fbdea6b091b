"""JavaScript expressions the browser tests poll with ``page.evaluate`` (the page's CSP blocks
``wait_for_function``). One definition each: the player's ``data-*`` attributes and what Plotly drew."""

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
