"""/lessons and /lessons/{day} in real Chromium (issue 18): the path, a lesson playing its preset, a "try this"
prompt setting its params, previous/next, and the visited days ticked (localStorage)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.lab_checks import until
from tests.e2e.probes import CAPTION, COMPLETE, IDLE

pytestmark = pytest.mark.e2e


def test_a_lesson_plays_its_preset_and_its_prompts_and_the_path_ticks_it(page: Any) -> None:
    page.goto("/lessons")
    assert page.locator(".lesson-card").count() == 65
    assert page.locator(".lesson-card.visited").count() == 0
    page.click('[data-testid="lesson-32"]')
    until(page, "location.pathname === '/lessons/32' && location.search.includes('kappa=50')")
    until(page, "document.getElementById('player')?.dataset.ready === 'true'")  # the player page has loaded
    until(page, f"{COMPLETE} && {IDLE}", timeout=60, message="(the preset's run)")
    assert page.evaluate("document.getElementById('frame-kind').textContent.trim()") not in ("error", "invalid")
    assert "Momentum" in page.locator("#lesson-title").inner_text()
    assert page.evaluate("document.getElementById('ctl-kappa').value") == "50"
    assert page.evaluate(f"{CAPTION}.length") > 10
    page.click('[data-testid="prompt-1"]')
    until(page, "location.search.includes('0.99')", message="(the prompt's momentum)")
    until(page, f"{COMPLETE} && {IDLE}", timeout=60)
    assert "0.99" in page.evaluate(
        "JSON.stringify([...document.querySelectorAll('#controls-fields input')].map(i => i.value))"
    )
    page.click("a[rel=next]")
    until(page, "location.pathname === '/lessons/33' && document.getElementById('player')?.dataset.ready === 'true'")
    until(page, f"{COMPLETE} && {IDLE}", timeout=60)
    page.goto("/lessons")
    until(page, "document.querySelectorAll('.lesson-card.visited').length === 2")
    visited = page.evaluate("[...document.querySelectorAll('.lesson-card.visited')].map(c => c.dataset.day)")
    assert visited == ["32", "33"]
    assert "2 of 65" in page.locator("#lessons-progress").inner_text()
