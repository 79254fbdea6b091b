"""Params of the GAN lab (issue 17): a real 2-D distribution, the two networks, the game's loss and its training.

The rules the params alone decide live here (widths 1–128, at most 4 hidden layers, latent_dim ≥ 1, positive
finite learning rates, 1–10 critic steps per generator step); the ones that need the arithmetic of the whole run
(the training work, the frame count) are the lab's ``prepare`` (``app.labs.gan``), which says it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from pydantic.config import JsonDict

from app.datasets import Dataset
from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetSpec, InlineData, MoonsSpec, SpiralSpec, catalog_entries, dataset_tag
from app.schemas.gan_data import ring, segment

MAX_WIDTH = 128
MAX_HIDDEN = 4
MAX_LATENT = 16
MAX_STEPS = 1_000_000
"""The schema's bound on ``steps``; the real bound is the lab's work limit (``app.labs.gan.MAX_SAMPLE_PASSES``)."""


class RingSpec(DatasetSpec):
    """Gaussians evenly spaced on a circle: the classic test of mode collapse (does the generator hit every one?)."""

    model_config = ConfigDict(title="Ring of Gaussians")
    name: Literal["ring"] = fields.name("ring")
    n_samples: int = fields.n_samples(512, minimum=2)
    modes: int = fields.slider(8, "Modes", "How many Gaussians sit on the ring (2–16).", 1, ge=2, le=16)
    radius: float = fields.slider(2.0, "Radius", "Radius of the circle the centres sit on.", 0.1, gt=0.0, le=10.0)
    std: float = fields.slider(
        0.1, "Spread (σ)", "Standard deviation of each Gaussian, on both axes.", 0.01, gt=0.0, le=2.0, x_max=0.5
    )
    seed: int = fields.seed()

    def load(self) -> Dataset:
        X, y = ring(self.n_samples, modes=self.modes, radius=self.radius, std=self.std, seed=self.seed)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


class SegmentSpec(DatasetSpec):
    """Points along a straight line segment through the origin, a little noise across it: a 1-D shape in 2-D."""

    model_config = ConfigDict(title="A line")
    name: Literal["segment"] = fields.name("segment")
    n_samples: int = fields.n_samples(512, minimum=2)
    length: float = fields.slider(4.0, "Length", "Length of the segment.", 0.1, gt=0.0, le=20.0, x_max=10.0)
    angle: float = fields.slider(30.0, "Angle (degrees)", "Direction of the segment.", 5.0, ge=-180.0, le=180.0)
    noise: float = fields.noise(0.05, "Standard deviation of the Gaussian noise added to each point.")
    seed: int = fields.seed()

    def load(self) -> Dataset:
        X, y = segment(self.n_samples, length=self.length, angle=self.angle, noise=self.noise, seed=self.seed)
        return Dataset(X=X, y=y, feature_names=("x1", "x2"), name=self.name)

    @property
    def n_rows(self) -> int:
        return self.n_samples


GAN_SPECS: tuple[type[DatasetSpec], ...] = (RingSpec, MoonsSpec, SegmentSpec, SpiralSpec)
_Named = Annotated[RingSpec | MoonsSpec | SegmentSpec | SpiralSpec, Field(discriminator="name")]

GanDataset = Annotated[
    Annotated[_Named, Tag("named")] | Annotated[InlineData, Tag("inline")],
    Discriminator(
        dataset_tag,
        custom_error_type="invalid_dataset",
        custom_error_message="dataset must be an object: a named dataset {'name': 'ring', ...} or your own points "
        "{'X': [[x, y], ...]}",
    ),
]
"""The real distribution: a ring of Gaussians, two moons, a line, a spiral, or drawn points (labels ignored)."""

Activation = Literal["tanh", "relu", "leaky_relu", "elu"]
ACTIVATION_LABELS: JsonDict = {"tanh": "tanh", "relu": "ReLU", "leaky_relu": "Leaky ReLU (slope 0.2)", "elu": "ELU"}
Optimizer = Literal["adam", "rmsprop", "sgd"]
OPTIMIZER_LABELS: JsonDict = {"adam": "Adam (β₁ 0.5, β₂ 0.999)", "rmsprop": "RMSProp", "sgd": "SGD"}
Loss = Literal["non-saturating", "minimax", "wasserstein-gp"]
LOSS_LABELS: JsonDict = {
    "non-saturating": "Non-saturating (G maximises log D(G(z)))",
    "minimax": "Minimax (G minimises log(1 − D(G(z))))",
    "wasserstein-gp": "Wasserstein with gradient penalty",
}

Widths = list[Annotated[int, Field(ge=1, le=MAX_WIDTH)]]


def _layers(default: list[int], who: str) -> Any:
    return Field(
        default,
        min_length=1,
        max_length=MAX_HIDDEN,
        title=f"{who} hidden layers",
        description=f"Neurons in each hidden layer of the {who.lower()}: 1–{MAX_HIDDEN} layers of 1–{MAX_WIDTH} "
        "neurons.",
    )


def _lr(default: float, who: str) -> Any:
    return Field(
        default,
        gt=0.0,
        le=1.0,
        title=f"{who} learning rate",
        description=f"How far each of the {who.lower()}'s optimiser steps moves its weights (a positive number).",
        json_schema_extra={"x-log": True, "x-step": 0.0001, "x-max": 0.1},
    )


def _optimizer(who: str) -> Any:
    return fields.choice(
        "adam", f"{who} optimiser", f"torch.optim's update rule for the {who.lower()}.", OPTIMIZER_LABELS
    )


class GanParams(BaseModel):
    """A generator and a discriminator playing the GAN game on points in the plane."""

    model_config = form(
        "GAN params",
        {
            "data": ("dataset",),
            "model": ("g_layers", "d_layers", "activation", "latent_dim"),
            "training": (
                "loss",
                "gp_weight",
                "g_optimizer",
                "g_lr",
                "d_optimizer",
                "d_lr",
                "d_steps",
                "batch_size",
                "steps",
            ),
            "display": ("every",),
        },
        visible_when={"gp_weight": {"loss": ["wasserstein-gp"]}},
    )

    dataset: GanDataset = Field(
        default_factory=RingSpec,
        title="Real distribution",
        description="The points the generator must learn to imitate: a ring of Gaussians, two moons, a line, a "
        "spiral, or points you draw (their classes are ignored).",
        json_schema_extra={
            "default": RingSpec().model_dump(mode="json"),
            "x-widget": "dataset",
            "x-datasets": catalog_entries(GAN_SPECS),
        },
    )
    g_layers: Widths = _layers([64, 64], "Generator")
    d_layers: Widths = _layers([64, 64], "Discriminator")
    activation: Activation = fields.choice(
        "tanh", "Activation", "The function after every hidden layer of both networks.", ACTIVATION_LABELS
    )
    latent_dim: int = fields.slider(
        2,
        "Noise dimensions",
        f"Length of the random noise vector z ~ N(0, I) the generator turns into a point (1–{MAX_LATENT}).",
        1,
        ge=1,
        le=MAX_LATENT,
    )
    loss: Loss = fields.choice(
        "non-saturating",
        "Game (loss)",
        "The game: minimax (the original, whose generator gradient vanishes when D wins), non-saturating (the "
        "usual fix) or Wasserstein with a gradient penalty (a critic with no sigmoid).",
        LOSS_LABELS,
    )
    gp_weight: FiniteFloat = fields.slider(
        10.0,
        "Gradient penalty (λ)",
        "Weight of the penalty λ·(‖∇D(x̂)‖ − 1)² at points between real and generated ones (Wasserstein only).",
        0.5,
        ge=0.0,
        le=100.0,
        x_max=50.0,
    )
    g_optimizer: Optimizer = _optimizer("Generator")
    g_lr: FiniteFloat = _lr(1e-3, "Generator")
    d_optimizer: Optimizer = _optimizer("Discriminator")
    d_lr: FiniteFloat = _lr(1e-3, "Discriminator")
    d_steps: int = fields.slider(
        1, "Discriminator steps", "Discriminator updates before each generator update (1–10).", 1, ge=1, le=10
    )
    batch_size: int = fields.slider(
        64,
        "Batch size",
        "Real points (drawn with replacement) and noise vectors per update.",
        16,
        ge=1,
        le=4096,
        x_max=1024,
    )
    steps: int = fields.slider(
        2000,
        "Generator steps",
        "Generator updates in the run (each after its discriminator steps).",
        100,
        ge=1,
        le=MAX_STEPS,
        x_max=10_000,
    )
    every: int = fields.slider(
        20,
        "Frame every",
        "Generator steps between two frames (at most 100 frames: more steps draw fewer).",
        10,
        ge=1,
        le=MAX_STEPS,
        x_max=500,
    )
