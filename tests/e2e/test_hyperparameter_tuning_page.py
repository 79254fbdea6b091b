"""The hyperparameter-tuning page in real Chromium: what only this lab draws (one page load).

Stepping candidate by candidate lights one more cell of the score map each frame, rings the candidate being
scored and keeps the best-so-far line from ever falling; the winner frame draws the winner's held-out test score
beside the CV curve, and the ring is gone. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

SCORES = """(() => { const t = document.getElementById('main-plot')._fullData.find((d) => d.name === 'mean CV accuracy');
  return t ? t.z.flat().filter((v) => v !== null && v !== undefined && !Number.isNaN(v)).length : -1; })()"""
TRACE = """((name) => { const t = document.getElementById('main-plot')._fullData.find((d) => d.name === name);
  return t ? Array.from(t.y ?? []).filter((v) => v !== null) : null; })"""


def _ys(page: Any, name: str) -> list[float]:
    found: list[float] = page.evaluate(f"{TRACE}({name!r})")
    return found


def test_each_candidate_lights_its_cell_and_the_winner_meets_the_test_rows(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/hyperparameter-tuning?n_first=3&n_second=3&k=3")
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.keyboard.press("Home")
    wait_until(f"{INDEX} === 0")
    assert wait_until(f"{SCORES} === 0")  # the setup frame: nothing scored yet
    for evaluation in (1, 2, 3, 4):
        page.keyboard.press("ArrowRight")
        wait_until(f"{INDEX} === {evaluation}")
        assert wait_until(f"{SCORES} === {evaluation}")
        assert len(_ys(page, "this candidate")) == 1
        curve = _ys(page, "best CV so far")
        assert len(curve) == evaluation and curve == sorted(curve)
    page.keyboard.press("End")
    wait_until("document.getElementById('frame-kind').dataset.kind === 'winner'")
    assert wait_until(f"{SCORES} === 9")
    test_score = wait_until(f'{TRACE}("winner\'s test score")')
    assert len(test_score) == 1 and 0 < test_score[0] <= 1
    assert _ys(page, "this candidate") == []
    caption = page.evaluate("document.getElementById('caption').textContent")
    assert f"{test_score[0]:.3f}" in caption
