"""Voting page: click a point to see each model's vote and the result, following the timeline; stacking page: the
level-1 table fills fold by fold. Real Chromium; three page loads. Every test also fails on any console error."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.probes import COMPLETE, IDLE, INDEX

pytestmark = pytest.mark.e2e

BOX = "document.getElementById('inspect-box')"
SHOWN = f"{BOX} && !{BOX}.hidden"


def _ready(page: Any, wait_until: Any, lab: str, params: dict[str, Any]) -> dict[str, Any]:
    """Open the lab with ``params`` in the URL, let the run finish, show the last frame; the run's result (the same
    request again: served from the cache)."""
    query = "&".join(f"{k}={quote(v if isinstance(v, str) else json.dumps(v))}" for k, v in params.items())
    page.goto(f"/algorithms/{lab}" + (f"?{query}" if query else ""))
    wait_until(f"{COMPLETE} && {IDLE}", message="(the run should finish)")
    if page.evaluate("document.getElementById('player').dataset.playing === 'true'"):
        page.click("#btn-play")
    page.click("#btn-last")
    result: dict[str, Any] = page.evaluate(
        """async ([lab, params]) => {
        const r = await fetch(`/api/v1/algorithms/${lab}/runs`, {method: 'POST',
            headers: {'content-type': 'application/json'}, body: JSON.stringify({params, seed: 0})});
        return (await r.json()).result;
    }""",
        [lab, params],
    )
    return result


def _click(page: Any, point: list[float]) -> None:
    x, y = page.evaluate(
        """([x, y]) => {
        const gd = document.getElementById('main-plot');
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.left + xa.d2p(x), r.top + ya.d2p(y)];
    }""",
        point,
    )
    page.mouse.click(x + 2, y - 2)


def _member_rows(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#inspect-box .inspect-members li").all_inner_texts()]


def _split_vote(result: dict[str, Any]) -> int:
    """A test point the models disagree on (the interesting kind to click), else the first test point."""
    for row in result["test_indices"]:
        if len(set(result["votes"][row])) > 1:
            return int(row)
    return int(result["test_indices"][0])


def test_click_a_point_shows_every_vote_and_follows_the_frame(page: Any, wait_until: Any) -> None:
    result = _ready(page, wait_until, "voting", {})
    row = _split_vote(result)
    votes = result["votes"][row]
    _click(page, result["points"][row])
    wait_until(SHOWN, message="(clicking a point opens the vote box)")
    box = page.locator("#inspect-box")
    assert box.get_attribute("data-row") == str(row) and box.get_attribute("data-shown") == "4"
    rows = _member_rows(page)
    assert len(rows) == 4
    for text, name, vote in zip(rows, result["models"], votes, strict=True):
        assert name in text and text.endswith(f"class {vote}"), text  # the model and the class it votes for
    counts = sorted((votes.count(c) for c in set(votes)), reverse=True)
    tally = [int(v) for v in re.findall(r"(\d+) votes?", box.locator(".inspect-bars").nth(1).inner_text())]
    assert tally == counts
    assert box.get_attribute("data-predicted") == str(result["predicted"][row])
    assert f"→ class {result['predicted'][row]}" in box.inner_text() and "all 4 models" in box.inner_text()

    page.click("#btn-first")  # the first frame: only the first model has voted
    wait_until(f"{INDEX} === 0 && {BOX}.dataset.shown === '1'", message="(the box follows the frame)")
    assert len(_member_rows(page)) == 1 and "so far" in box.inner_text()
    assert box.get_attribute("data-predicted") == str(votes[0])
    page.locator("#scrub").fill("2")  # the third model's frame
    wait_until(f"{BOX}.dataset.shown === '3'")
    page.keyboard.press("Escape")
    wait_until(f"{BOX}.hidden", message="(Escape clears it)")


def test_soft_weighted_votes_show_probabilities_and_the_weighted_average(page: Any, wait_until: Any) -> None:
    weights = [1, 3, 1, 1]
    result = _ready(page, wait_until, "voting", {"voting": "soft", "weights": weights})
    row = _split_vote(result)
    _click(page, result["points"][row])
    wait_until(SHOWN)
    text = page.locator("#inspect-box").inner_text()
    assert "Soft vote" in text and "Average probability" in text and "×3" in text
    probabilities = result["probabilities"][row]  # (m, K)
    winner = result["predicted"][row]
    average = sum(w * p[winner] for w, p in zip(weights, probabilities, strict=True)) / sum(weights)
    tally = page.locator("#inspect-box .inspect-bars").nth(1).locator("li.is-winner").inner_text()
    assert f"{average:.2f}" in tally, (tally, average)
    # An empty corner of the plot clears it.
    drag = page.locator("#main-plot .nsewdrag").first.bounding_box()
    page.mouse.click(drag["x"] + 2, drag["y"] + 2)
    wait_until(f"{BOX}.hidden", message="(a click on empty space clears it)")


def test_stacking_table_fills_fold_by_fold(page: Any, wait_until: Any) -> None:
    result = _ready(page, wait_until, "stacking", {"cv": 3})
    table = "document.getElementById('main-plot').data.find((t) => t.name === 'level-1 table')"
    rows = f"({table}.z || []).length"
    n_train = len(result["train_indices"])
    wait_until(f"{rows} === {n_train}", message="(the last frame shows the whole table)")
    weights = "document.getElementById('main-plot').data.find((t) => t.name === 'meta-model weights').z"
    assert page.evaluate(f"{weights}.length") == 1 and page.evaluate(f"{weights}[0].length") == 5
    page.click("#btn-first")
    first_fold = result["folds"].count(1)
    wait_until(f"{INDEX} === 0 && {rows} === {first_fold}", message="(fold 1 shows only its own rows)")
    assert page.evaluate(f"{weights}.length") == 0, "no meta-model before the folds are done"
    assert page.evaluate("!document.getElementById('inspect-box')"), "stacking declares no click view"
