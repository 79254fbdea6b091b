"""Params of the softmax lab (issue 17): K logits (typed in, or the "big logits" preset), the target class,
the temperature, and gradient descent on the logits.

The rules the params alone decide live here (2–10 finite logits each within ±``MAX_LOGIT``, a temperature in
[0.01, 100], a positive learning rate, at most ``MAX_STEPS`` steps); the ones that need K (the target below K,
one name per class) are the lab's ``prepare`` (``app.labs.softmax``), which names K.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form

MAX_CLASSES = 10
MAX_LOGIT = 10_000.0
"""Largest size of a typed logit: e^10,000 overflows float64 just as e^1,000 does, which is the lesson; the bound
keeps z / T and the steps' sums far inside float64."""
MAX_STEPS = 200
IRIS_FLOWERS = 150
"""Rows of scikit-learn's iris table (the small model's examples)."""
BIG_LOGITS = (1000.0, 1001.0, 999.0)
"""The "big logits" preset: their naive exps overflow float64 to infinity; the max-subtracted ones do not."""

Logit = Annotated[
    float,
    Field(
        ge=-MAX_LOGIT,
        le=MAX_LOGIT,
        allow_inf_nan=False,
        title="Logit",
        description=f"One class's raw score (finite, at most {MAX_LOGIT:,.0f} in size).",
        json_schema_extra={"x-widget": "slider", "x-step": 0.1, "x-min": -10.0, "x-max": 10.0},
    ),
]


class SoftmaxParams(BaseModel):
    """Softmax, log-softmax, cross-entropy and NLL of one example's logits, then gradient steps on them."""

    model_config = form(
        "Softmax params",
        {
            "data": ("source", "logits", "class_names", "target", "flower"),
            "model": ("temperature",),
            "training": ("lr", "steps"),
        },
        visible_when={
            "logits": {"source": ["typed"]},
            "class_names": {"source": ["typed", "big"]},
            "target": {"source": ["typed", "big"]},
            "flower": {"source": ["model"]},
        },
    )

    source: Literal["typed", "big", "model"] = fields.choice(
        "typed",
        "Logits from",
        "Your own numbers; the big-logits preset [1000, 1001, 999] whose naive exps overflow to infinity; or a "
        "small linear model z = W·x + b on one iris flower (random W from the seed), whose steps move W and b.",
        {"typed": "Typed in", "big": "Big logits (1000, 1001, 999)", "model": "A small model (one iris flower)"},
    )
    logits: list[Logit] = Field(
        [2.0, 1.0, 0.1, -1.0],
        min_length=2,
        max_length=MAX_CLASSES,
        title="Scores (logits)",
        description=f"One raw score per class, 2 to {MAX_CLASSES} of them (used when the logits are typed in).",
    )
    class_names: str = Field(
        "",
        max_length=400,
        title="Class names",
        description="Optional names of the classes, separated by commas, one per logit (empty: class 0, class 1, …).",
    )
    target: int = Field(
        0,
        ge=0,
        le=MAX_CLASSES - 1,
        title="Target class",
        description="The index of the true class (from 0, below the number of logits): the loss is −log p of it.",
        json_schema_extra={"x-widget": "number"},
    )
    flower: int = Field(
        0,
        ge=0,
        le=IRIS_FLOWERS - 1,
        title="Iris flower",
        description=f"Which of the {IRIS_FLOWERS} iris flowers the small model scores (its species is the target).",
        json_schema_extra={"x-widget": "number"},
    )
    temperature: FiniteFloat = Field(
        1.0,
        ge=0.01,
        le=100.0,
        title="Temperature (T)",
        description="Softmax of z / T: below 1 sharpens the probabilities, above 1 flattens them.",
        json_schema_extra={"x-log": True, "x-step": 0.01, "x-min": 0.05, "x-max": 20.0},
    )
    lr: FiniteFloat = Field(
        1.0,
        gt=0.0,
        le=100.0,
        title="Learning rate (η)",
        description="How far each gradient step moves the logits: z ← z − η · ∂loss/∂z.",
        json_schema_extra={"x-log": True, "x-step": 0.01, "x-min": 0.01, "x-max": 10.0},
    )
    steps: int = fields.slider(
        20,
        "Gradient steps",
        f"Gradient-descent steps on the logits after the explanation (0–{MAX_STEPS}).",
        1,
        ge=0,
        le=MAX_STEPS,
        x_max=100,
    )
