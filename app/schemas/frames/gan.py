"""Frames and result of the GAN lab: `init` (the untrained generator), `step` × (≤ 99, every N generator steps),
`done`; or `exploded` (a loss beyond 10⁶ in size or not finite) in place of the rest.

Shapes: N = 300 evaluation samples (the same noise vectors every frame), m = 50 arrows, g × g the picture's grid
(row-major, y outer, x inner; its axes are the figure's), K the ring's modes. Coordinates are the ones the nets
see (the data as given, or standardised when a coordinate is beyond ±5). Typed arrays are
`{dtype, shape, bdata}` (little-endian float32, base64).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class TypedF4(Wire):
    """A NumPy float32 array as bytes: `dtype` `f4`, `shape` (C order), `bdata` (base64 of the little-endian bytes)."""

    dtype: Literal["f4"] = Field(description="`f4`: float32.")
    shape: Indices = Field(description="The array's shape.")
    bdata: str = Field(description="The raw little-endian bytes, base64-encoded.")


class Arrows(Wire):
    at: TypedF4 = Field(description="(m, 2) the generated samples the arrows start from (the first m of `fake`).")
    push: TypedF4 = Field(
        description="(m, 2) −∂ℓ_G/∂x at each of them: the direction (and size) the generator's loss pushes that "
        "sample, ℓ_G being one sample's generator loss."
    )
    scale: float = Field(gt=0, description="Display scale: an arrow is drawn from x to x + scale · push.")


class Modes(Wire):
    """Mode coverage of a ring: a sample hits its nearest centre when within `radius` (3σ) of it; a mode is
    covered when at least `min_hits` samples hit it (a quarter of its fair share N / K)."""

    hits: Indices = Field(description="(K,) evaluation samples hitting each mode, mode 0 on the positive x axis.")
    covered: int = Field(ge=0, description="Modes with at least `min_hits` hits.")
    total: int = Field(ge=2, description="K, the ring's modes.")
    min_hits: int = Field(ge=1, description="Hits a mode needs to count as covered: ⌈N / K / 4⌉.")
    radius: float = Field(gt=0, description="3σ: how near a centre a sample must be to hit it.")
    quality: float = Field(ge=0, le=1, description="Share of the samples within `radius` of some centre.")


class GanState(Wire):
    step: int = Field(ge=0, description="Generator steps taken so far.")
    d_loss: float = Field(
        description="The discriminator's (critic's) loss: mean over the training steps since the last frame "
        "(init: on the evaluation set at the initial weights)."
    )
    g_loss: float = Field(description="The generator's loss, averaged the same way.")
    d_real: float = Field(
        description="Mean D output over N real points: a probability (minimax, non-saturating) or a critic score."
    )
    d_fake: float = Field(description="Mean D output over the N generated samples.")
    fake: TypedF4 = Field(description="(N, 2) the generator's samples G(z) of the fixed evaluation noise.")
    d_grid: TypedF4 = Field(
        description="(g, g) D evaluated on the grid: σ(logit) for minimax / non-saturating, the critic's value for "
        "wasserstein-gp."
    )
    arrows: Arrows = Field(description="The generator's gradient at some of its samples.")
    real: TypedF4 | MISSING = Field(MISSING, description="(n, 2) the real points (init frame only: they never move).")
    modes: Modes | MISSING = Field(MISSING, description="Mode coverage (the ring only: other sets have no modes).")


class GanMetrics(Wire):
    d_loss: float = Field(description="The discriminator's loss.")
    g_loss: float = Field(description="The generator's loss.")
    d_real: float = Field(description="Mean D output on real points.")
    d_fake: float = Field(description="Mean D output on generated samples.")
    modes_covered: float | MISSING = Field(MISSING, ge=0, description="Modes covered (the ring only).")


class InitFrame(FrameBase):
    kind: Literal["init"] = Field(description="init: the untrained generator's samples over the real points.")
    state: GanState = Field(description=STATE)
    metrics: GanMetrics = Field(description=METRICS)


class StepFrame(FrameBase):
    kind: Literal["step"] = Field(description="step: the game after N more generator steps.")
    state: GanState = Field(description=STATE)
    metrics: GanMetrics = Field(description=METRICS)


class DoneFrame(FrameBase):
    kind: Literal["done"] = Field(description="done: the game after the last generator step.")
    state: GanState = Field(description=STATE)
    metrics: GanMetrics = Field(description=METRICS)


class ExplodedFrame(FrameBase):
    kind: Literal["exploded"] = Field(
        description="exploded: a loss left the finite range (beyond 10⁶ in size); the run stops, the state is the last "
        "sound frame's."
    )
    state: GanState = Field(description=STATE)
    metrics: GanMetrics = Field(description=METRICS)


class GanDone(Wire):
    d_losses: Vector = Field(description="The loss of every discriminator update, in order (steps × d_steps).")
    g_losses: Vector = Field(description="The loss of every generator update, in order.")
    steps: Indices = Field(description="The generator step of every frame (0 = init).")
    modes_covered: Indices = Field(description="Modes covered at every frame (empty: not a ring).")
    first_all_covered: int | None = Field(description="The first frame's step with every mode covered (null: never).")
    final_d_loss: float = Field(description="The last frame's discriminator loss.")
    final_g_loss: float = Field(description="The last frame's generator loss.")
    exploded_at: int | None = Field(description="The generator step at which the game blew up (null: it did not).")


class GanFrame(
    RootModel[
        Annotated[InitFrame | StepFrame | DoneFrame | ExplodedFrame | ServiceDivergedFrame, Field(discriminator="kind")]
    ]
):
    """One frame of a GAN run."""


class GanResult(RootModel[GanDone | ServiceDivergedResult]):
    """The result of a GAN run."""
