"""A stream that breaks mid-run is resumed with Last-Event-ID, and the player ends with every frame."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_player import COMPLETE, FRAMES

pytestmark = pytest.mark.e2e


def test_a_broken_stream_resumes_from_the_last_frame(page: Any, wait_until: Any, base_url: str) -> None:
    seen: list[str | None] = []

    def cut_the_first_stream(route: Any) -> None:
        seen.append(route.request.headers.get("last-event-id"))
        if len(seen) > 1:
            route.continue_()
            return
        response = route.fetch()
        body = response.text()
        blocks = body.split("\n\n")
        # Keep the scene and the first five frames, then end the body as a dropped connection would.
        kept = "\n\n".join(blocks[:6]) + "\n\n"
        route.fulfill(status=200, headers=dict(response.headers), body=kept)

    page.route("**/api/v1/algorithms/kmeans/runs**", cut_the_first_stream)
    page.goto("/algorithms/kmeans?seed=7")
    wait_until(COMPLETE, message="(the resumed stream should finish)")
    assert seen[:2] == [None, "4"], seen
    full = page.request.post(f"{base_url}/api/v1/algorithms/kmeans/runs", data={"seed": 7}).json()
    assert page.evaluate(FRAMES) == len(full["frames"])
    page.click("#btn-last")
    assert "Converged" in page.locator("#caption").inner_text()
