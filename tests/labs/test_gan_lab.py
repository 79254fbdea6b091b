"""The GAN lab end to end (``app.labs.gan``): frames and result validate against their models for every real
distribution and loss, drawn points are taken (labels or none), big coordinates are standardised with the ring's
modes, bad input is a 422 naming the field (latent_dim 0, 10⁶ steps with the arithmetic, lr ≤ 0, a 3-column
drawing), ``every`` is clamped to at most 100 frames, and the seed makes the run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.limits import DEFAULT_LIMITS
from app.labs.gan import GAN, MAX_FRAMES, MAX_SAMPLE_PASSES
from app.schemas.frames.gan import GanFrame, GanResult
from app.schemas.gan import GanParams
from tests.labs.lab_run import first_error, run_lab

URL = "/api/v1/algorithms/gan/runs"
SMALL: dict[str, Any] = {
    "dataset": {"name": "ring", "n_samples": 64},
    "g_layers": [8],
    "d_layers": [8],
    "steps": 6,
    "every": 3,
    "batch_size": 16,
}
DRAWN = {"X": [[0, 0], [0.5, 0.2], [1, 1], [1.2, 0.8], [-1, 0.5]], "y": [0, 0, 1, 1, 0]}


def _run(raw: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    return run_lab(GAN, raw, seed)


def _error(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    return first_error(client, URL, params)


@pytest.mark.parametrize(
    "raw",
    [
        SMALL,
        SMALL | {"loss": "minimax", "d_steps": 2, "activation": "relu"},
        SMALL | {"loss": "wasserstein-gp", "activation": "leaky_relu", "g_optimizer": "rmsprop"},
        SMALL | {"dataset": {"name": "moons", "n_samples": 40}},
        SMALL | {"dataset": {"name": "segment", "n_samples": 40}, "activation": "elu"},
        SMALL | {"dataset": {"name": "spiral", "n_samples": 40}, "d_optimizer": "sgd"},
        SMALL | {"dataset": DRAWN, "latent_dim": 1},
        SMALL | {"dataset": {"X": DRAWN["X"]}},
    ],
    ids=["ring", "minimax", "wasserstein", "moons", "line", "spiral", "drawn", "drawn-no-labels"],
)
def test_frames_and_result_match_their_models(raw: dict[str, Any]) -> None:
    frames, result = _run(raw)
    assert [f.kind for f in frames] == ["init", "step", "done"]
    for i, f in enumerate(frames):
        GanFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    GanResult.model_validate(result)
    ring = raw["dataset"].get("name") == "ring"
    assert ("modes" in frames[-1].state) is ring and ("modes_covered" in frames[-1].metrics) is ring
    assert frames[0].state["real"]["shape"] == [len(raw["dataset"].get("X", [])) or raw["dataset"]["n_samples"], 2]


def test_a_game_that_blows_up_ends_with_an_exploded_frame() -> None:
    raw = {
        "dataset": {"X": [[0.0, 0.0], [0.0, 0.0]], "y": [0, 1]},
        "loss": "wasserstein-gp",
        "activation": "relu",
        "latent_dim": 1,
        "batch_size": 1,
        "d_optimizer": "sgd",
        "d_lr": 0.09375,
        "g_lr": 0.03125,
        "steps": 4,
        "every": 1,
    }
    frames, result = _run(raw, seed=1)
    assert frames[-1].kind == "exploded" and result["exploded_at"] is not None
    assert "blew up at step" in frames[-1].caption and "the last sound frame" in frames[-1].caption
    for i, f in enumerate(frames):
        GanFrame.model_validate(
            {"index": i, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
        )
    GanResult.model_validate(result)
    assert all(np.isfinite(v) for v in result["d_losses"] + result["g_losses"])


def test_big_coordinates_are_standardised_with_the_modes() -> None:
    raw = SMALL | {"dataset": {"name": "ring", "n_samples": 64, "radius": 9.0, "std": 0.5}}
    inputs = GAN.prepare(GanParams.model_validate(raw), DEFAULT_LIMITS)
    assert inputs.scaled and float(np.abs(inputs.X).max()) < 3
    assert inputs.centres is not None
    radii = np.linalg.norm(inputs.centres - inputs.centres.mean(axis=0), axis=1)
    assert np.allclose(radii, radii[0], rtol=1e-6)  # still a ring: one scale for both axes
    assert np.isclose(inputs.hit_radius, 3 * 0.5 * radii[0] / 9.0)
    plain = GAN.prepare(GanParams.model_validate(SMALL), DEFAULT_LIMITS)
    assert not plain.scaled and plain.hit_radius == pytest.approx(0.3)


def test_every_is_clamped_to_at_most_100_frames() -> None:
    frames, _ = _run(SMALL | {"steps": 300, "every": 1})
    assert len(frames) == MAX_FRAMES + 1
    assert frames[0].caption.startswith("Note: a frame every 1 steps over 300 steps") or frames[0].caption.startswith(
        "Note: "
    )


def test_same_seed_same_run_other_seed_other_weights() -> None:
    a, ra = _run(SMALL, seed=3)
    b, rb = _run(SMALL, seed=3)
    c, _ = _run(SMALL, seed=4)
    assert ra == rb and [f.state for f in a] == [f.state for f in b]
    assert a[0].state["fake"] != c[0].state["fake"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"latent_dim": 0}, "latent_dim", "1"),
        ({"latent_dim": 100}, "latent_dim", "16"),
        ({"g_lr": 0}, "g_lr", "greater than 0"),
        ({"d_lr": "nan"}, "d_lr", ""),
        ({"d_steps": 0}, "d_steps", "1"),
        ({"g_layers": []}, "g_layers", "at least 1"),
        ({"d_layers": [0]}, "d_layers", "1"),
        ({"loss": "hinge"}, "loss", ""),
        ({"activation": "step"}, "activation", ""),
        ({"dataset": {"name": "ring", "modes": 1}}, "modes", "2"),
        ({"dataset": {"name": "ring", "std": 0}}, "std", "greater than 0"),
    ],
)
def test_bad_params_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str, words: str
) -> None:
    error = _error(client, SMALL | params)
    assert error["loc"][-1] == field or field in error["loc"], error
    assert words in error["msg"]


def test_rules_needing_the_arithmetic_are_422_with_it(client: TestClient) -> None:
    error = _error(client, SMALL | {"steps": 1_000_000})
    assert error["loc"][-1] == "steps"
    assert "1,000,000 steps × 16 points" in error["msg"] and f"{MAX_SAMPLE_PASSES:,}" in error["msg"]
    error = _error(client, SMALL | {"steps": 2_000_000})
    assert error["loc"][-1] == "steps"
    error = _error(client, SMALL | {"dataset": {"X": [[0, 0, 1], [1, 1, 0]]}})
    assert "2 features" in error["msg"]
    error = _error(client, SMALL | {"dataset": {"X": [[0, 0]]}})
    assert "at least 2 real points" in error["msg"]


BLOWS_UP: dict[str, Any] = {
    "dataset": {"name": "moons", "n_samples": 40},
    "loss": "wasserstein-gp",
    "gp_weight": 0,
    "d_optimizer": "sgd",
    "d_lr": 1,
    "g_optimizer": "sgd",
    "g_lr": 1,
    "steps": 100,
    "every": 20,
    "g_layers": [8],
    "d_layers": [8],
    "activation": "relu",
    "batch_size": 16,
}
"""An unpenalised critic under SGD at lr 1: the frame-schema test's CASES entry that reaches `exploded` (seed 3)."""


def test_an_unpenalised_critic_blows_up_through_the_api(client: TestClient) -> None:
    body = client.post(URL, json={"params": BLOWS_UP, "seed": 3}).json()
    assert body["frames"][-1]["kind"] == "exploded" and body["result"]["exploded_at"] is not None


def test_a_run_streams_through_the_api(client: TestClient) -> None:
    response = client.post(URL, json={"params": SMALL, "seed": 0})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert [f["kind"] for f in body["frames"]] == ["init", "step", "done"]
    assert body["frames"][1]["metrics"]["modes_covered"] >= 0
