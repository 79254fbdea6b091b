"""Drawing your own data on the boundary labs (on k-means too), CSV upload, and the SVM's kernel panel, in real
Chromium. That each boundary page streams and draws its boundary is test_every_lab_page's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.probes import COMPLETE, DATA, FRAMES, IDLE, POINTS, RUNS

pytestmark = pytest.mark.e2e


def _open(page: Any, wait_until: Any, path: str) -> None:
    page.goto(path)
    wait_until(f"{FRAMES} >= 1 && {COMPLETE}", message=f"({path} should stream to the end)")


def _click(page: Any, fx: float, fy: float, **kw: Any) -> None:
    box = page.locator("#main-plot .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, **kw)


def test_draw_points_then_the_link_reproduces_them(page: Any, wait_until: Any, console: Any) -> None:
    console.allow("status of 422")
    _open(page, wait_until, "/algorithms/knn?k=3&dataset.n_samples=40")
    page.click("#draw-toggle")
    wait_until("!document.querySelector('.draw-box').hidden")
    page.click("#draw-from-data")  # a drawing starts empty; this brings the 40 generated points in on purpose
    wait_until("document.querySelector('.data-status').textContent.includes('40 points')")
    runs = page.evaluate(RUNS)
    page.click('.class-swatch[data-class="1"]')
    _click(page, 0.1, 0.1)
    wait_until(f"{DATA}.startsWith('d1.')", message="(the drawn data goes in the link)")
    wait_until(f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", message="(drawing re-runs)")
    assert "41 points" in page.locator(".data-status").inner_text()
    dataset = page.evaluate(
        "JSON.parse(document.querySelector('#snippet-curl').textContent.match(/-d '(.*)'/s)[1]).params.dataset"
    )
    assert len(dataset["X"]) == 41 and dataset["y"][-1] == 1
    page.keyboard.down("Shift")
    _click(page, 0.1, 0.1)  # Shift-click removes the nearest point: the one just added
    page.keyboard.up("Shift")
    wait_until("document.querySelector('.data-status').textContent.includes('40 points')")
    # The link follows the drawing once the clicks pause (debounced with the run): wait for the 40-point one.
    snippet_rows = (
        "JSON.parse(document.querySelector('#snippet-curl').textContent.match(/-d '(.*)'/s)[1]).params.dataset.X.length"
    )
    wait_until(f"{snippet_rows} === 40 && {IDLE}", message="(the link should hold the 40 points)")
    link = page.url
    page.goto(link)
    wait_until(f"{FRAMES} >= 1 && {COMPLETE}")
    yours = '.dataset-thumb[data-name="__inline__"]'
    assert page.get_attribute(yours, "aria-checked") == "true"
    assert "40 points" in (page.get_attribute(yours, "aria-label") or "")


def test_draw_points_on_kmeans(page: Any, wait_until: Any) -> None:
    _open(page, wait_until, "/algorithms/kmeans?k=2&dataset.n_samples=30")
    page.click("#draw-toggle")
    wait_until("!document.querySelector('.draw-box').hidden")
    page.click("#draw-from-data")
    wait_until("document.querySelector('.data-status').textContent.includes('30 points')")
    runs = page.evaluate(RUNS)
    _click(page, 0.5, 0.5)
    wait_until(f"{DATA}.startsWith('d1.') && {RUNS} > {runs} && {COMPLETE} && {IDLE}")
    assert page.evaluate(POINTS) >= 31


def test_csv_upload_picks_columns(page: Any, wait_until: Any, tmp_path: Path) -> None:
    rows = ["height;weight;kind"] + [f"{i % 7}.{i};{(i * 3) % 11}.5;{'ab'[i % 2]}" for i in range(30)]
    csv_file = tmp_path / "animals.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    _open(page, wait_until, "/algorithms/logistic-regression")
    runs = page.evaluate(RUNS)
    page.set_input_files("#csv-file", str(csv_file))
    wait_until("!document.querySelector('.csv-pickers').hidden", message="(the column pickers should appear)")
    assert page.locator('.csv-pickers select[name="label column"]').input_value() == "kind"
    wait_until(f"{RUNS} > {runs} && {COMPLETE} && {IDLE}", message="(the CSV data should run)")
    assert "30 rows from animals.csv" in page.locator(".data-status").inner_text()
    assert page.evaluate(DATA).startswith("d1.")


def test_csv_defect_is_shown(page: Any, wait_until: Any, tmp_path: Path, console: Any) -> None:
    console.allow("status of 422")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,0\n3,oops,1\n5,6,0\n7,8,1\n")
    _open(page, wait_until, "/algorithms/svm")
    page.set_input_files("#csv-file", str(bad))
    wait_until("!document.querySelector('.csv-error').hidden")
    text = page.locator(".csv-error").inner_text()
    assert "row 3" in text and "'b'" in text


@pytest.mark.parametrize(
    ("query", "title"), [("kernel=poly&degree=2", "3-d feature space φ(x)"), ("", "similarity to support vectors")]
)
def test_svm_kernel_panel_shows_the_real_feature_space(page: Any, wait_until: Any, query: str, title: str) -> None:
    _open(page, wait_until, f"/algorithms/svm?{query}")
    panel = '[data-panel="kernel-trick"]'
    wait_until(
        f"document.querySelector('{panel} .panel-plot')?.data?.length > 0",
        message="(the kernel-trick panel should be drawn)",
    )
    heading = page.locator(f"{panel} .panel-title").inner_text().lower()
    assert title in heading and "on the wrong side" in heading  # the count, never "a flat plane separates"
