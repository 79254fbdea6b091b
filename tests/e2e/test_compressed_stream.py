"""The browser's own ``fetch`` reads a gzipped SSE run frame by frame (the player's path, through
``app.compression``), and the page's assets arrive compressed."""

from __future__ import annotations

import random
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# Reads an SSE run with fetch's stream reader; says when (in reader chunks) the first frame was whole.
READ_RUN = """async (seed) => {
  const response = await fetch(`/api/v1/algorithms/neural-network/runs?figure=true`, {
    method: "POST",
    headers: {"Accept": "text/event-stream", "Content-Type": "application/json"},
    body: JSON.stringify({seed}),
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "", chunks = 0, firstFrameAt = -1;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    chunks += 1;
    text += decoder.decode(value, {stream: true});
    if (firstFrameAt < 0 && /event: frame\\n[^]*?\\n\\n/.test(text)) firstFrameAt = chunks;
  }
  return {
    encoding: response.headers.get("content-encoding"),
    frames: (text.match(/^event: frame$/gm) || []).length,
    result: text.includes("event: result"),
    chunks, firstFrameAt,
  };
}"""


def test_the_browser_reads_a_gzipped_sse_run_event_by_event(page: Any) -> None:
    page.goto("/")
    seed = random.Random().randrange(10_000, 2**31)  # a run nobody has cached: computed frame by frame
    got = page.evaluate(READ_RUN, seed)
    assert got["encoding"] == "gzip"
    assert got["result"]
    assert got["frames"] > 5
    assert 0 < got["firstFrameAt"] < got["chunks"], got  # the first frame was readable before the stream ended


def test_plotly_and_the_page_arrive_compressed(page: Any) -> None:
    encodings: dict[str, str | None] = {}

    def on_response(response: Any) -> None:
        if response.url.endswith(("plotly.min.js", "/algorithms/kmeans", "app.css")):
            encodings[response.url.rsplit("/", 1)[-1]] = response.headers.get("content-encoding")

    page.on("response", on_response)
    page.goto("/algorithms/kmeans")
    page.wait_for_load_state("networkidle")
    assert encodings == {"plotly.min.js": "gzip", "kmeans": "gzip", "app.css": "gzip"}, encodings
