"""The GAN lab (issue 17): a generator and a discriminator MLP playing the GAN game on 2-D points.

``prepare`` loads the real points (a ring of Gaussians, moons, a line, a spiral or drawn points; labels are
ignored), standardises them when a coordinate is beyond ±5 (one shift and one scale for both axes, so a ring stays
round), builds the square grid D is pictured on, the ring's mode centres (coverage is measured on the ring only:
other sets have no modes to count), and checks what needs arithmetic: the training work (a 422 at ``steps``
saying it) and the frame count (more than ``MAX_FRAMES`` frames: ``every`` is clamped, the first caption says so).
The run's seed draws both nets' weights, the evaluation noise and every batch.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count
from app.engines import gan_train as engine
from app.labs.checks import require_2d
from app.schemas.common import ParamsError
from app.schemas.frames import gan as frames
from app.schemas.gan import GanParams, RingSpec
from app.schemas.gan_data import ring_centres
from app.views.gan import GanView

GRID = 40
"""The picture of D: g × g grid points."""
MAX_FRAMES = 100
"""Frames after the init one at most: a smaller ``every`` is clamped to ⌈steps / 100⌉."""
MAX_SAMPLE_PASSES = 8_000_000
"""Most points one run pushes through a network (a schema-free work bound, ~20× the defaults' 384,000)."""
SCALE_LIMIT = 5.0
"""Data with a coordinate beyond ±this is standardised (nets learn best near unit scale)."""
HIT_SIGMAS = 3.0
"""A generated sample hits a ring mode within this many σ of its centre."""
PAD = 0.25
"""The picture extends this share of the data's span beyond it on every side."""


@dataclass(frozen=True)
class GanInputs:
    """The real points as the nets see them, the picture's grid, the ring's modes, the engine's arrays."""

    X: np.ndarray  # (n, 2) float64
    axes: tuple[np.ndarray, np.ndarray]  # (g,) x and y of the grid
    centres: np.ndarray | None  # (K, 2) ring modes, or None
    hit_radius: float
    scaled: bool
    data: engine.GanData
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def sample_passes(params: GanParams) -> int:
    """Points through a network in the whole run: each D step sees B real and B generated (and B mixed points for
    the penalty), each G step B."""
    per_d = 3 if params.loss == "wasserstein-gp" else 2
    return params.steps * params.batch_size * (per_d * params.d_steps + 1)


def _every(params: GanParams) -> tuple[Clamp, ...]:
    if math.ceil(params.steps / params.every) <= MAX_FRAMES:
        return ()
    used = math.ceil(params.steps / MAX_FRAMES)
    note = (
        f"Note: a frame every {fmt_count(params.every)} steps over {fmt_count(params.steps)} steps would be more "
        f"than {MAX_FRAMES} frames, so a frame every {fmt_count(used)} steps is used."
    )
    return (Clamp("every", used, note),)


def _prepare(params: GanParams, limits: Limits) -> GanInputs:
    data = params.dataset.load()
    require_2d(data, "the GAN lab")
    if data.X.shape[0] < 2:
        raise ParamsError(("dataset", "X"), "the GAN needs at least 2 real points to imitate; the data has 1")
    work = sample_passes(params)
    if work > MAX_SAMPLE_PASSES:
        per = 3 if params.loss == "wasserstein-gp" else 2
        raise ParamsError(
            ("steps",),
            f"{fmt_count(params.steps)} steps × {fmt_count(params.batch_size)} points × ({per} × "
            f"{params.d_steps} discriminator passes + 1 generator pass) = {fmt_count(work)} points through the "
            f"networks, more than the {fmt_count(MAX_SAMPLE_PASSES)} one run may train: fewer steps, a smaller "
            "batch or fewer discriminator steps",
        )
    X = data.X.astype(np.float64)
    centre, scale = np.zeros(2), 1.0
    if float(np.abs(X).max()) > SCALE_LIMIT:
        peak = float(np.abs(X).max())
        centre = X.mean(axis=0)
        spread = float((X / peak).std(axis=0).max()) * peak
        scale = spread if spread > 0 else peak
    Xs = (X - centre) / scale
    centres = hit = None
    if isinstance(params.dataset, RingSpec):
        ds = params.dataset
        centres = (ring_centres(ds.modes, ds.radius) - centre) / scale
        hit = HIT_SIGMAS * ds.std / scale
    lo, hi = Xs.min(axis=0), Xs.max(axis=0)
    mid = (lo + hi) / 2
    half = max(float((hi - lo).max()) / 2 * (1 + 2 * PAD), 0.5)
    ax = np.linspace(mid[0] - half, mid[0] + half, GRID)
    ay = np.linspace(mid[1] - half, mid[1] + half, GRID)
    gx, gy = np.meshgrid(ax, ay)
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    bundle = engine.GanData(
        X=Xs.astype(np.float32),
        grid=grid,
        side=GRID,
        span=2 * half,
        centres=centres,
        hit_radius=float(hit or 0.0),
    )
    return GanInputs(
        X=Xs,
        axes=(ax, ay),
        centres=centres,
        hit_radius=float(hit or 0.0),
        scaled=scale != 1.0 or bool(np.any(centre)),
        data=bundle,
        clamps=_every(params),
    )


def _run(inputs: GanInputs, params: GanParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    plan = engine.Plan(
        g_layers=tuple(params.g_layers),
        d_layers=tuple(params.d_layers),
        activation=params.activation,
        latent_dim=params.latent_dim,
        loss=params.loss,
        gp_weight=float(params.gp_weight),
        g_optimizer=params.g_optimizer,
        g_lr=float(params.g_lr),
        d_optimizer=params.d_optimizer,
        d_lr=float(params.d_lr),
        d_steps=params.d_steps,
        batch_size=params.batch_size,
        steps=params.steps,
        every=params.every,
    )
    return engine.run(inputs.data, plan, seed=int(rng.integers(0, 2**62)))


GAN: Algorithm[GanParams, GanInputs] = Algorithm(
    id="gan",
    title="GAN: generator vs discriminator",
    family="gan",
    summary=(
        "A generator turns random noise into points and a discriminator learns to tell them from real ones; each "
        "trains against the other. Watch the generated points chase a ring of Gaussians (or moons, a line, a "
        "spiral, your own drawing) over the discriminator's verdict shaded on the plane, the arrows of the "
        "generator's gradient, both losses, and how many of the ring's modes are covered — mode collapse named "
        "when it happens. Try minimax, non-saturating and Wasserstein losses."
    ),
    days=(45,),
    params_model=GanParams,
    prepare=_prepare,
    engine=_run,
    view=GanView(),
    frame_model=frames.GanFrame,
    result_model=frames.GanResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (GAN,)
