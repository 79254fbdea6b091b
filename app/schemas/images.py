"""The image datasets' params: digits, the sample photos, synthetic shapes (and their catalog entries).

Each spec validates its sizes against the context's limits (``Limits.max_images``, ``Limits.max_image_side``)
before anything is drawn, knows the ``shape`` of what it loads without loading it (``GET /api/v1/datasets`` lists
it), and ``load()`` gives an ``app.datasets.images.ImageSet``. Names never reuse a 2-D dataset's: the 2-D
``digits`` table is the same digits as 64 pixel features, ``digit_images`` are the pictures.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag, ValidationInfo, field_validator, model_validator

from app.core.limits import limits_in
from app.datasets import images
from app.schemas import fields

DIGITS_COUNT, DIGITS_SIDE = 1_797, 8
PHOTO_SHAPE = (427, 640)  # the sample photos' (height, width) as scikit-learn ships them


class ImageSpec(BaseModel):
    """Base of every image dataset spec: ``name`` is the discriminator."""

    model_config = ConfigDict(extra="forbid", revalidate_instances="always")
    kind: ClassVar[str] = "images"
    name: str = fields.name("")

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(n, H, W, C) of what ``load()`` returns."""
        raise NotImplementedError

    def load(self) -> images.ImageSet:
        raise NotImplementedError


def _side(default: int, description: str) -> Any:
    return fields.slider(default, "Image size", description, 8, ge=8, le=4_096, x_max=256, validate_default=True)


def _check_side(side: int, info: ValidationInfo, what: str) -> int:
    limit = limits_in(info.context).max_image_side
    if side > limit:
        raise ValueError(f"{what} is {side} pixels; at most {limit} are allowed (STEPWISE_MAX_IMAGE_SIDE)")
    return side


class DigitImagesSpec(ImageSpec):
    """Handwritten digits as pictures: 1,797 grey 8 × 8 images of 0–9 (bundled with scikit-learn)."""

    model_config = ConfigDict(title="Digits (images)")
    name: Literal["digit_images"] = fields.name("digit_images")

    @model_validator(mode="after")
    def _within_limit(self, info: ValidationInfo) -> DigitImagesSpec:
        limit = limits_in(info.context).max_images
        if limit < DIGITS_COUNT:
            raise ValueError(
                f"the digits are {DIGITS_COUNT:,} images; at most {limit:,} are allowed (STEPWISE_MAX_IMAGES)"
            )
        return self

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return (DIGITS_COUNT, DIGITS_SIDE, DIGITS_SIDE, 1)

    def load(self) -> images.ImageSet:
        return images.digits()


class PhotoSpec(ImageSpec):
    """A colour photo (scikit-learn's sample images: a Chinese temple or a flower), shrunk to the size asked."""

    model_config = ConfigDict(title="Photo")
    name: Literal["photo"] = fields.name("photo")
    which: Literal["china", "flower"] = fields.choice(
        "china", "Photo", "Which of the two bundled photos.", {"china": "Temple in China", "flower": "Flower"}
    )
    side: int = _side(128, "Longer side in pixels (the photo is 640 × 427; shrunk, its aspect kept, never enlarged).")

    @field_validator("side")
    @classmethod
    def _side_within_limit(cls, side: int, info: ValidationInfo) -> int:
        return _check_side(side, info, "side")

    @property
    def shape(self) -> tuple[int, int, int, int]:
        h, w = PHOTO_SHAPE
        if max(h, w) <= self.side:
            return (1, h, w, 3)
        scale = self.side / max(h, w)
        return (1, max(1, round(h * scale)), max(1, round(w * scale)), 3)

    def load(self) -> images.ImageSet:
        return images.photo(self.which, self.side)


class ShapesSpec(ImageSpec):
    """Synthetic shapes: circles, squares, triangles and stripes on noise, one per grey image, each with a mask
    of its pixels (seeded: the same seed draws the same images)."""

    model_config = ConfigDict(title="Shapes")
    name: Literal["shapes"] = fields.name("shapes")
    n_samples: int = fields.slider(
        400,
        "Images",
        "Number of images to draw (the four shapes equally often).",
        4,
        ge=4,
        le=100_000,
        x_max=2_000,
        validate_default=True,
    )
    side: int = _side(32, "Width and height of each image in pixels.")
    noise: float = fields.noise(0.1, "Standard deviation of the pixel noise, in units of full brightness.")
    seed: int = fields.seed()

    @field_validator("n_samples")
    @classmethod
    def _count_within_limit(cls, n: int, info: ValidationInfo) -> int:
        limit = limits_in(info.context).max_images
        if n > limit:
            raise ValueError(f"n_samples is {n:,} images; at most {limit:,} are allowed (STEPWISE_MAX_IMAGES)")
        return n

    @field_validator("side")
    @classmethod
    def _side_within_limit(cls, side: int, info: ValidationInfo) -> int:
        return _check_side(side, info, "side")

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return (self.n_samples, self.side, self.side, 1)

    def load(self) -> images.ImageSet:
        return images.shapes(self.n_samples, self.side, seed=self.seed, noise=self.noise)


ImageParam = Annotated[
    Annotated[DigitImagesSpec, Tag("digit_images")]
    | Annotated[PhotoSpec, Tag("photo")]
    | Annotated[ShapesSpec, Tag("shapes")],
    Discriminator("name"),
]
"""An image dataset param of a lab (``{"name": "shapes", ...}``)."""
IMAGE_SPECS: dict[str, type[ImageSpec]] = {"digit_images": DigitImagesSpec, "photo": PhotoSpec, "shapes": ShapesSpec}


def image_catalog() -> list[dict[str, Any]]:
    """``GET /api/v1/datasets`` entries of the image sets: as the 2-D ones', plus ``shape`` (n, H, W, C) at the
    defaults and the ``class_names`` a labelled set has."""
    out: list[dict[str, Any]] = []
    for name, cls in IMAGE_SPECS.items():
        schema = cls.model_json_schema()
        default = cls.model_validate({})
        out.append(
            {
                "name": name,
                "title": schema.get("title", cls.__name__),
                "kind": cls.kind,
                "description": schema.get("description", ""),
                "params_schema": schema,
                "defaults": default.model_dump(mode="json"),
                "shape": list(default.shape),
                "class_names": list(_CLASS_NAMES.get(name, ())),
            }
        )
    return out


_CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "digit_images": tuple(str(d) for d in range(10)),
    "shapes": images.SHAPE_KINDS,
}
