"""List-valued params get real controls, not a JSON textarea (static/js/list-controls.js), in real Chromium.

Checkbox groups (gradient descent's variants), a number list (the network's hidden layers) and a repeated
sub-form over a tagged union (the optimizer race's runs): each edit re-runs, lands in the URL, and a reload
restores the same controls. Every test also fails on any console error (see conftest).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.probes import COMPLETE, HEATMAPS, IDLE, RUNS, TRACE_NAMES

pytestmark = pytest.mark.e2e


def query(page: Any, key: str) -> Any:
    raw = parse_qs(urlparse(page.url).query).get(key)
    return json.loads(raw[0]) if raw else None


def settle(page: Any, wait_until: Any, runs_before: int) -> None:
    """Wait out the 300 ms debounce, then for the newest run to finish."""
    wait_until(f"{RUNS} > {runs_before}", message="(the edit should re-run)")
    time.sleep(0.45)
    wait_until(f"{COMPLETE} && {IDLE}", message="(the re-run should end)")


def no_textarea(page: Any, name: str) -> None:
    assert page.locator(f'[data-path="{name}"] textarea').count() == 0, f"{name} should not need typed JSON"


def test_variants_are_checkboxes_and_one_always_stays(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/gradient-descent?epochs=10")
    wait_until(f"{COMPLETE} && {IDLE}")
    no_textarea(page, "variants")
    assert "stochastic" in page.evaluate(TRACE_NAMES)

    runs = page.evaluate(RUNS)
    page.locator('[data-path="variants"] label.check-chip', has_text="stochastic").click()
    settle(page, wait_until, runs)
    assert query(page, "variants") == ["batch", "mini-batch"]
    names = page.evaluate(TRACE_NAMES)
    assert "stochastic" not in names and "batch" in names, names

    page.locator('[data-path="variants"] label.check-chip', has_text="mini-batch").click()
    wait_until("new URLSearchParams(location.search).get('variants') === '[\"batch\"]'")
    last = page.locator('[data-path="variants"] input[value="batch"]')
    assert last.is_checked() and last.is_disabled(), "minItems = 1: the last variant cannot be unchecked"

    page.reload()
    wait_until(f"{COMPLETE} && {IDLE}")
    checked = page.evaluate(
        "[...document.querySelectorAll('[data-path=\"variants\"] input:checked')].map(b => b.value)"
    )
    assert checked == ["batch"]


def test_add_a_hidden_layer_and_change_its_width(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/neural-network?epochs=20&frame_every=4")
    wait_until(f"{COMPLETE} && {IDLE}")
    no_textarea(page, "hidden_layers")
    assert page.locator('[data-path="hidden_layers"] .num-row').count() == 2

    runs = page.evaluate(RUNS)
    page.locator('[data-path="hidden_layers"] .list-add').click()
    assert page.locator('[data-path="hidden_layers"] .num-row').count() == 3
    width = page.locator('[data-path="hidden_layers"] .num-row[data-index="2"] input[type="number"]')
    width.fill("5")
    width.press("Tab")  # a number box commits on change
    wait_until("new URLSearchParams(location.search).get('hidden_layers') === '[8,8,5]'")
    settle(page, wait_until, runs)
    page.click("#btn-last")
    # 2 inputs + 8 + 8 + 5 neuron thumbnails + the boundary: the network that ran has the new layer.
    wait_until(f"{HEATMAPS} >= 24", message="(the 3-layer network should be drawn)")

    page.reload()
    wait_until(f"{COMPLETE} && {IDLE}")
    values = page.evaluate(
        "[...document.querySelectorAll('[data-path=\"hidden_layers\"] .num-row input[type=number]')]"
        ".map(i => Number(i.value))"
    )
    assert values == [8, 8, 5]


def test_optimizer_racers_remove_switch_and_tune(page: Any, wait_until: Any) -> None:
    bodies: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            bodies.append(json.loads(r.post_data))
            if r.method == "POST" and "/api/v1/algorithms/optimizers/runs" in r.url
            else None
        ),
    )
    page.goto("/algorithms/optimizers?steps=40")
    wait_until(f"{COMPLETE} && {IDLE}")
    no_textarea(page, "runs")
    items = page.locator('[data-path="runs"] .obj-item')
    assert items.count() == 6

    runs = page.evaluate(RUNS)
    items.nth(1).locator(".obj-head .list-remove").click()  # drop the momentum racer
    assert items.count() == 5
    page.select_option('select[name="runs.0.optimizer"]', "adam")
    first = items.nth(0)
    assert first.get_attribute("data-tag") == "adam"
    assert first.locator('[data-name="betas"] input').count() == 2, "adam shows its betas as two numbers"
    lr = page.locator('input[type="number"][name="runs.0.lr"]')
    lr.fill("0.05")
    lr.press("Tab")
    settle(page, wait_until, runs)

    expected = {"optimizer": "adam", "lr": 0.05}  # betas/eps untouched: omitted, the library defaults apply
    # Under load the lr edit's debounced run can start after an earlier edit's run ended: wait for the request
    # that carries the URL's config (polled: the page CSP blocks wait_for_function), then for it to finish.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (
        bodies and query(page, "runs")[:1] == [expected] and bodies[-1]["params"]["runs"] == query(page, "runs")
    ):
        page.wait_for_timeout(100)
    wait_until(f"{COMPLETE} && {IDLE}", message="(the re-run should end)")
    url_runs = query(page, "runs")
    assert len(url_runs) == 5 and url_runs[0] == expected
    assert [r["optimizer"] for r in url_runs] == ["adam", "nesterov", "adagrad", "rmsprop", "adam"]
    assert bodies[-1]["params"]["runs"] == url_runs, "the streamed run used the controls' config"
    assert "adam lr=0.05" in page.evaluate(TRACE_NAMES)

    page.reload()
    wait_until(f"{COMPLETE} && {IDLE}")
    assert items.count() == 5
    assert page.eval_on_selector('select[name="runs.0.optimizer"]', "s => s.value") == "adam"
    assert page.input_value('input[type="number"][name="runs.0.lr"]') == "0.05"
    assert [
        float(v) for v in first.locator('[data-name="betas"] input').evaluate_all("xs => xs.map(x => x.value)")
    ] == [0.9, 0.999]
    assert bodies[-1]["params"]["runs"] == url_runs, "the reloaded page runs the same config"


def test_bad_lr_in_a_racer_shows_the_422_next_to_the_runs(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")  # Chromium logs every non-2xx fetch as a console error
    page.goto("/algorithms/optimizers?steps=20")
    wait_until(f"{COMPLETE} && {IDLE}")
    page.select_option('select[name="runs.0.optimizer"]', "adam")
    lr = page.locator('input[type="number"][name="runs.0.lr"]')
    lr.fill("0")
    lr.press("Tab")
    wait_until(
        "document.querySelector('[data-path=\"runs\"]').classList.contains('invalid')",
        message="(the 422 should mark the runs control)",
    )
    error = page.locator('[data-path="runs"] > .field-error')
    assert error.is_visible()
    text = error.inner_text()
    assert re.search(r"of (run|racer) 1 must be more than 0 \(allowed: more than 0", text), text  # item named
    assert "Input should" not in text, text
    assert page.locator('[data-path="runs"] .obj-item[data-index="0"] .field.invalid[data-name="lr"]').count() == 1
    assert page.locator('[data-path="runs"] .obj-item[data-index="1"] .field.invalid').count() == 0
    assert (
        "must be more than 0"
        in page.locator('[data-path="runs"] .obj-item[data-index="0"] [data-name="lr"] .field-error').inner_text()
    )

    lr.fill("0.1")  # fixing it clears the message and runs again
    lr.press("Tab")
    wait_until("!document.querySelector('[data-path=\"runs\"]').classList.contains('invalid')")
    wait_until(f"{COMPLETE} && {IDLE}")
    assert not error.is_visible()


def run_bodies(page: Any, lab: str) -> list[dict[str, Any]]:
    """Every run request the page POSTs for `lab`, in order (filled as they are sent)."""
    bodies: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            bodies.append(json.loads(r.post_data))
            if r.method == "POST" and f"/api/v1/algorithms/{lab}/runs" in r.url
            else None
        ),
    )
    return bodies


def wait_for_sent(page: Any, bodies: list[dict[str, Any]], key: str, expected: Any) -> None:
    """Poll (the page CSP blocks wait_for_function) until the newest run request carries `expected`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (bodies and bodies[-1]["params"].get(key) == expected):
        page.wait_for_timeout(100)
    assert bodies and bodies[-1]["params"].get(key) == expected, bodies[-1:] if bodies else "no run sent"


def test_bagging_base_model_is_a_model_select_with_its_fields(page: Any, wait_until: Any) -> None:
    bodies = run_bodies(page, "bagging")
    page.goto("/algorithms/bagging?n_estimators=5")
    wait_until(f"{COMPLETE} && {IDLE}")
    no_textarea(page, "estimator")
    select = page.locator('select[name="estimator.model"]')
    assert select.input_value() == "decision_tree"
    assert page.locator('[data-path="estimator"] > label').inner_text() == "Base model"
    assert page.input_value('input[type="number"][name="estimator.max_depth"]') == "6"

    runs = page.evaluate(RUNS)
    select.select_option(label="k-nearest neighbours")
    assert page.locator('[data-path="estimator"] [data-name="max_depth"]').count() == 0
    neighbours = page.locator('input[type="number"][name="estimator.n_neighbors"]')
    assert neighbours.input_value() == "5", "a field the value does not set shows the schema's default"
    neighbours.fill("7")
    neighbours.press("Tab")
    expected = {"model": "knn", "n_neighbors": 7}
    wait_until(
        f"new URLSearchParams(location.search).get('estimator') === '{json.dumps(expected, separators=(',', ':'))}'"
    )
    settle(page, wait_until, runs)
    wait_for_sent(page, bodies, "estimator", expected)
    wait_until(f"{COMPLETE} && {IDLE}")
    assert query(page, "estimator") == expected

    page.reload()  # the URL restores the widget
    wait_until(f"{COMPLETE} && {IDLE}")
    assert page.locator('select[name="estimator.model"]').input_value() == "knn"
    assert page.input_value('input[type="number"][name="estimator.n_neighbors"]') == "7"
    assert bodies[-1]["params"]["estimator"] == expected


def test_forest_max_features_takes_a_word_or_a_number(page: Any, wait_until: Any) -> None:
    bodies = run_bodies(page, "random-forest")
    page.goto("/algorithms/random-forest?n_estimators=5")
    wait_until(f"{COMPLETE} && {IDLE}")
    no_textarea(page, "max_features")
    select = page.locator('select[name="max_features"]')
    assert select.input_value() == "sqrt"
    box = page.locator('input[type="number"][name="max_features.number"]')
    assert not box.is_visible(), "a word needs no number box"

    runs = page.evaluate(RUNS)
    select.select_option(label="a number…")
    assert box.is_visible()
    box.fill("0.5")
    box.press("Tab")
    wait_until("new URLSearchParams(location.search).get('max_features') === '0.5'")
    settle(page, wait_until, runs)
    wait_for_sent(page, bodies, "max_features", 0.5)
    wait_until(f"{COMPLETE} && {IDLE}")

    page.reload()
    wait_until(f"{COMPLETE} && {IDLE}")
    assert page.locator('select[name="max_features"]').input_value() == "__number__"
    assert page.input_value('input[type="number"][name="max_features.number"]') == "0.5"
    page.locator('select[name="max_features"]').select_option("log2")  # back to a word: the box goes
    wait_until("new URLSearchParams(location.search).get('max_features') === 'log2'")
    assert not box.is_visible()
    wait_for_sent(page, bodies, "max_features", "log2")
