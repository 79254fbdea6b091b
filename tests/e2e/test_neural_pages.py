"""The neural labs' player pages in real Chromium: frames stream, the figure is drawn, no console errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.probes import BARS, CAPTION, COMPLETE, FRAMES, HEATMAPS, LINES, POINTS

pytestmark = pytest.mark.e2e


def test_playground_streams_and_draws_network_boundary_and_curves(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/neural-network?epochs=40&frame_every=4")
    wait_until(f"{FRAMES} > 1", message="(frames should stream in)")
    wait_until(COMPLETE, message="(the run should end)")
    page.click("#btn-last")
    caption = page.evaluate(CAPTION)
    assert caption.startswith("Epochs 37–40 of 40") and "Test accuracy" in caption, caption
    # 2 input + 16 hidden neuron thumbnails + the boundary (+ the activation histogram).
    wait_until(f"{HEATMAPS} >= 19", message="(neuron thumbnails and the boundary should be drawn)")
    assert page.evaluate(POINTS) >= 100, "train and test points should be drawn"
    assert page.evaluate(LINES) >= 6, "edges and the loss / accuracy / gradient curves should be drawn"
    assert page.locator('.metric[data-metric="test_accuracy"] .metric-plot .scatterlayer .trace').count() > 0


def test_playground_says_kindly_when_it_diverges(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/neural-network?optimizer=sgd&lr=0.3&l2=10&epochs=20")
    wait_until(COMPLETE, message="(the run should end)")
    page.click("#btn-last")
    assert "diverged" in page.evaluate(CAPTION).lower()
    assert page.evaluate(HEATMAPS) >= 3, "the last good picture stays on screen"


def test_activations_page_steps_through_the_layers(page: Any, wait_until: Any) -> None:
    page.goto("/algorithms/activations?depth=5")
    wait_until(COMPLETE, message="(the run should end)")
    assert page.evaluate(FRAMES) == 6
    page.click("#btn-last")
    assert page.evaluate(CAPTION).startswith("Layer 5")
    assert page.evaluate(LINES) >= 16, "each activation and its derivative should be drawn"
    wait_until(f"{BARS} > 20", message="(softmax and the histograms should be drawn)")
