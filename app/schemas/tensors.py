"""Params of the tensors lab (issue 17): one ``topic`` per run, each with its own few settings.

``image``: a picture (the convolution lab's image picker: a photo, a digit, a shape, an upload) as (H, W, C),
permuted to (C, H, W), its channels, scaled to 0–1 and normalised per channel. ``reshape``: ``arange`` shaped
(d₀, d₁, d₂) through view / transpose / contiguous / permute / flatten. ``table``: rows of scikit-learn's iris
table turned into numbers. ``text``: characters → ASCII codes → a vocabulary → one-hot. ``series``: a sine cut
into windows of ``window`` inputs and ``horizon`` targets. Only the chosen topic's fields are shown on the form;
the others keep their defaults and are ignored. The rule that needs three fields (window + horizon ≤ length) is
the lab's ``prepare`` (a 422 at ``window`` naming the length).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.schemas import fields
from app.schemas.common import form
from app.schemas.convolution import ImageParam, PhotoImage

Topic = Literal["image", "reshape", "table", "text", "series"]
TOPIC_WORDS = {
    "image": "An image as a tensor (H, W, C) → (C, H, W)",
    "reshape": "Shapes and strides: view, transpose, permute",
    "table": "A table: categories, order, scaling",
    "text": "Text: characters → codes → one-hot",
    "series": "A time series cut into windows",
}
MAX_TEXT = 200
"""The longest text (characters): its one-hot matrix is at most 200 × 95."""
MAX_LENGTH = 300
"""The longest series: its windows array is at most 300 × 60 numbers."""
FIRST_PRINTABLE, LAST_PRINTABLE = 32, 126  # space … tilde: the 95 printable ASCII characters

ON = {"topic": ["image"]}
RESHAPE = {"topic": ["reshape"]}
TABLE = {"topic": ["table"]}
TEXT = {"topic": ["text"]}
SERIES = {"topic": ["series"]}


class TensorsParams(BaseModel):
    """How data becomes tensors, one topic at a time: images, shapes and strides, tables, text, time series."""

    model_config = form(
        "Tensors params",
        {
            "data": ("topic", "image", "pixel_x", "pixel_y", "text", "rows", "series", "length", "period", "noise"),
            "model": ("normalise", "dim0", "dim1", "dim2", "window", "horizon"),
        },
        visible_when={
            "image": ON,
            "pixel_x": ON,
            "pixel_y": ON,
            "normalise": ON,
            "dim0": RESHAPE,
            "dim1": RESHAPE,
            "dim2": RESHAPE,
            "rows": TABLE,
            "text": TEXT,
            "series": SERIES,
            "length": SERIES,
            "period": SERIES,
            "noise": {"topic": ["series"], "series": ["noisy_sine"]},
            "window": SERIES,
            "horizon": SERIES,
        },
    )
    topic: Topic = fields.choice("image", "Topic", "Which kind of data to turn into a tensor.", dict(TOPIC_WORDS))
    image: ImageParam = Field(
        default_factory=PhotoImage,
        title="Image",
        description="The picture to read as a tensor: a photo, a digit, a shape, or your own upload.",
        json_schema_extra={"x-plugin": "image-picker"},
    )
    pixel_x: int = fields.slider(
        50,
        "Pixel across (%)",
        "Where the pixel whose numbers are shown sits: 0 is the left edge, 100 the right.",
        5,
        ge=0,
        le=100,
    )
    pixel_y: int = fields.slider(
        50,
        "Pixel down (%)",
        "Where the pixel whose numbers are shown sits: 0 is the top edge, 100 the bottom.",
        5,
        ge=0,
        le=100,
    )
    normalise: Literal["own", "imagenet"] = fields.choice(
        "own",
        "Normalise with",
        "The per-channel mean and standard deviation to subtract and divide by.",
        {"own": "This image's own mean and std", "imagenet": "ImageNet's mean and std (pretrained models)"},
    )
    dim0: int = fields.slider(2, "First size", "Size of the tensor's first dimension (d₀).", 1, ge=1, le=6)
    dim1: int = fields.slider(3, "Second size", "Size of the tensor's second dimension (d₁).", 1, ge=1, le=6)
    dim2: int = fields.slider(4, "Third size", "Size of the tensor's third dimension (d₂).", 1, ge=1, le=6)
    rows: int = fields.slider(
        8, "Rows shown", "How many of iris' 150 rows to show (drawn with the run's seed).", 1, ge=3, le=20
    )
    text: str = Field(
        "hello world",
        min_length=1,
        max_length=MAX_TEXT,
        title="Your text",
        description=f"Up to {MAX_TEXT} printable ASCII characters (letters, digits, spaces, punctuation).",
    )
    series: Literal["sine", "noisy_sine"] = fields.choice(
        "noisy_sine", "Series", "The values over time.", {"sine": "Sine", "noisy_sine": "Sine with noise"}
    )
    length: int = fields.slider(40, "Series length", "How many time steps the series has.", 1, ge=4, le=MAX_LENGTH)
    period: int = fields.slider(16, "Period", "Time steps per cycle of the sine.", 1, ge=2, le=100)
    noise: float = fields.slider(
        0.1,
        "Noise",
        "Standard deviation of the noise added to each value (the sine's amplitude is 1).",
        0.01,
        ge=0.0,
        le=1.0,
    )
    window: int = fields.slider(6, "Window", "Inputs per example: the past values a model reads.", 1, ge=1, le=60)
    horizon: int = fields.slider(
        2, "Horizon", "Targets per example: the next values a model must predict.", 1, ge=1, le=20
    )

    @field_validator("text")
    @classmethod
    def _printable_ascii(cls, text: str) -> str:
        for place, char in enumerate(text, start=1):
            code = ord(char)
            if not FIRST_PRINTABLE <= code <= LAST_PRINTABLE:
                shown = repr(char) if code < FIRST_PRINTABLE or code == 127 else f"'{char}'"
                raise ValueError(
                    f"character {place}, {shown} (code {code}), is not printable ASCII (codes 32–126): "
                    "this lab reads one byte per character, so use plain letters, digits and punctuation"
                )
        return text
