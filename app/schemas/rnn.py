"""Params of the recurrent-network lab (issue 17): a series, the task on its windows, the nets, the training.

The rules the params alone decide live here (hidden size 1–128, 1–3 layers, window 2–200, a positive finite
learning rate, at most ``MAX_VALUES`` values of your own); the ones that need the series (a window as long as the
series, truncation longer than the window, too much work) are the lab's ``prepare`` (``app.labs.rnn``), which
says the arithmetic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from app.schemas import fields
from app.schemas.common import OPTIMIZER_LABELS, FiniteFloat, form

MAX_HIDDEN = 128
MAX_WINDOW = 200
MAX_LENGTH = 2_000
MAX_VALUES = 2_000
GENERATED = ["sine", "noisy_sine", "sum_of_sines", "square"]

Series = Literal["sine", "noisy_sine", "sum_of_sines", "square", "sunspots", "values"]
Cell = Literal["rnn", "lstm", "gru"]
CELL_LABELS: JsonDict = {"rnn": "Plain RNN (tanh)", "lstm": "LSTM", "gru": "GRU"}


class RnnParams(BaseModel):
    """Recurrent nets (torch.nn.RNN / LSTM / GRU) on windows of a series, trained with backpropagation through
    time."""

    model_config = form(
        "Recurrent network params",
        {
            "data": ("series", "length", "period", "noise", "data_seed", "values", "test_fraction", "task", "window"),
            "model": ("compare", "cell", "hidden_size", "num_layers", "forget_bias"),
            "training": ("bptt", "optimizer", "lr", "batch_size", "epochs"),
        },
        visible_when={
            "length": {"series": GENERATED},
            "period": {"series": GENERATED},
            "data_seed": {"series": GENERATED},
            "noise": {"series": ["noisy_sine"]},
            "values": {"series": ["values"]},
            "cell": {"compare": [False]},
        },
    )

    series: Series = fields.choice(
        "noisy_sine",
        "Series",
        "The sequence to learn: a generated wave, the yearly sunspot numbers 1700–2008, or your own values.",
        {
            "sine": "Sine",
            "noisy_sine": "Noisy sine",
            "sum_of_sines": "Sum of two sines",
            "square": "Square wave",
            "sunspots": "Sunspots (yearly, 1700–2008)",
            "values": "My own values",
        },
    )
    length: int = fields.slider(
        300, "Length", f"How many values to generate (20–{MAX_LENGTH}).", 10, ge=20, le=MAX_LENGTH, x_max=1_000
    )
    period: FiniteFloat = fields.slider(
        25.0, "Period", "Time steps of one full wave (2–500).", 1, ge=2.0, le=500.0, x_max=100.0
    )
    noise: FiniteFloat = fields.slider(
        0.1, "Noise", "Standard deviation of the Gaussian noise added to every value.", 0.01, ge=0.0, le=2.0, x_max=1.0
    )
    data_seed: int = fields.seed()
    values: Annotated[list[FiniteFloat], Field(max_length=MAX_VALUES)] | None = Field(
        None,
        title="Your values",
        description=f"Your own series as a JSON list of numbers in time order (a CSV column; at most {MAX_VALUES}).",
    )
    test_fraction: FiniteFloat = fields.slider(
        0.25,
        "Test share",
        "The last share of the series held out to test on, never trained on.",
        0.05,
        ge=0.1,
        le=0.5,
    )
    task: Literal["forecast", "classify"] = fields.choice(
        "forecast",
        "What to predict",
        "What a window's last output predicts: the next value, or whether the next value rises (two classes).",
        {"forecast": "Forecast the next value", "classify": "Classify: does it rise?"},
    )
    window: int = fields.slider(
        50,
        "Window (time steps)",
        f"Values each sequence reads before its prediction (2–{MAX_WINDOW}).",
        1,
        ge=2,
        le=MAX_WINDOW,
    )
    compare: bool = Field(
        True,
        title="Compare RNN and LSTM",
        description="Train a plain RNN and an LSTM side by side from the same batches (off: one net of your cell).",
    )
    cell: Cell = fields.choice(
        "lstm",
        "Recurrent cell",
        "The recurrent layer: torch.nn.RNN (tanh), torch.nn.LSTM or torch.nn.GRU.",
        CELL_LABELS,
    )
    hidden_size: int = fields.slider(
        32, "Hidden units", f"Size of the hidden state h_t (1–{MAX_HIDDEN}).", 1, ge=1, le=MAX_HIDDEN, x_max=64
    )
    num_layers: int = fields.slider(1, "Layers", "Recurrent layers stacked (1–3).", 1, ge=1, le=3)
    forget_bias: FiniteFloat = fields.slider(
        1.0,
        "LSTM forget-gate bias",
        "Added to the LSTM's forget-gate bias at initialisation (1 is the usual choice: the cell starts by keeping "
        "its memory).",
        0.1,
        ge=0.0,
        le=5.0,
    )
    bptt: int = fields.slider(
        0,
        "Truncated BPTT (steps)",
        "Backpropagate through only the last this-many steps of each window (0: through the whole window).",
        1,
        ge=0,
        le=MAX_WINDOW,
    )
    optimizer: Literal["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] = fields.choice(
        "adam", "Optimiser", "torch.optim's update rule (the same for every net).", OPTIMIZER_LABELS
    )
    lr: FiniteFloat = Field(
        0.01,
        gt=0.0,
        le=10.0,
        title="Learning rate (η)",
        description="How far each optimiser step moves the weights (a positive number).",
        json_schema_extra={"x-log": True, "x-step": 0.001, "x-max": 1.0},
    )
    batch_size: int = fields.slider(
        32, "Batch size", "Windows per step (more than there are: all of them).", 1, ge=1, le=10_000, x_max=256
    )
    epochs: int = fields.slider(20, "Epochs", "Passes over the training windows.", 1, ge=1, le=500, x_max=200)
