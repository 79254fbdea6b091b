"""Image data, offline: scikit-learn's bundled digits and sample photos, seeded synthetic shapes, uploads.

Every image is uint8, channels last: one image ``(H, W, C)``, a set ``(n, H, W, C)`` with ``C`` 1 (grey) or 3
(RGB). Nothing here knows pydantic or the web (``app.schemas.images`` validates and calls these); Pillow decodes
and resizes (it is what ``load_sample_images`` reads its JPEGs with).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, UnidentifiedImageError
from sklearn.datasets import load_digits, load_sample_image

PHOTOS = {"china": "china.jpg", "flower": "flower.jpg"}
"""scikit-learn's two sample photos (427 × 640 RGB each), by the name the param uses."""
SHAPE_KINDS = ("circle", "square", "triangle", "stripes")
PNG_MAGIC, JPEG_MAGIC = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


@dataclass(frozen=True)
class ImageSet:
    """Images with optional labels and per-pixel masks.

    * ``images``: uint8 ``(n, H, W, C)``;
    * ``labels``: int64 ``(n,)`` class indices into ``class_names``, or ``None`` (a photo, an upload);
    * ``masks``: uint8 ``(n, H, W)``: 0 background, ``k + 1`` where the image shows class ``k`` (shapes only);
    * ``name``: the spec's name.
    """

    images: np.ndarray
    labels: np.ndarray | None
    class_names: tuple[str, ...]
    masks: np.ndarray | None
    name: str


class ImageError(ValueError):
    """An upload that is not a usable image; ``code`` names the defect (``not_an_image``, ``too_many_pixels``,
    ``corrupt``, ``empty``), the message says it in plain words."""

    def __init__(self, code: str, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def digits() -> ImageSet:
    """scikit-learn's 1,797 handwritten digits, 8 × 8 grey: their 0–16 ink levels scaled to 0–255."""
    bunch = load_digits()
    images = np.rint(bunch.images * (255.0 / 16.0)).astype(np.uint8)[..., None]  # (1797, 8, 8, 1)
    labels = bunch.target.astype(np.int64)
    return ImageSet(images, labels, tuple(str(d) for d in range(10)), None, "digit_images")


@lru_cache(maxsize=2)
def _photo_pixels(which: str) -> np.ndarray:
    return np.asarray(load_sample_image(PHOTOS[which]), dtype=np.uint8)  # (427, 640, 3)


def resize_longest(image: np.ndarray, side: int) -> np.ndarray:
    """``image`` (H, W, C) scaled (Lanczos) so that its longer side is ``side``, the aspect kept; never enlarged
    past ``side``, and never changed when it already fits."""
    h, w = image.shape[:2]
    if max(h, w) <= side:
        return image
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # Pillow's (width, height)
    mode = "L" if image.shape[2] == 1 else "RGB"
    pil = Image.fromarray(image[..., 0] if mode == "L" else image, mode=mode)
    out = np.asarray(pil.resize(size, Image.Resampling.LANCZOS), dtype=np.uint8)
    return out[..., None] if mode == "L" else out


def photo(which: str, side: int) -> ImageSet:
    """One of the sample photos (``PHOTOS``) with its longer side at most ``side`` pixels."""
    image = resize_longest(_photo_pixels(which), side)
    return ImageSet(image[None], None, (), None, "photo")


def _inside(kind: str, u: np.ndarray, v: np.ndarray, r: float, angle: float, period: float) -> np.ndarray:
    """Which pixels (u, v: offsets from the shape's centre, (S, S) each) the shape of radius ``r`` covers."""
    c, s = np.cos(angle), np.sin(angle)
    a, b = c * u + s * v, -s * u + c * v  # the pixel in the shape's own rotated frame
    if kind == "circle":
        return np.asarray(a * a + b * b <= r * r)
    if kind == "square":
        half = r * 0.8
        return np.asarray((np.abs(a) <= half) & (np.abs(b) <= half))
    if kind == "triangle":  # equilateral, circumradius r: inside all three edges' half-planes
        inside = np.ones_like(a, dtype=bool)
        for k in range(3):
            t = 2 * np.pi * k / 3
            inside &= a * np.cos(t) + b * np.sin(t) <= r / 2
        return inside
    half = r * 0.85  # stripes: a square patch of bands across it
    patch = (np.abs(a) <= half) & (np.abs(b) <= half)
    return np.asarray(patch & (np.sin(2 * np.pi * a / period) > 0))


def shapes(n: int, size: int, *, seed: int, noise: float, kinds: tuple[str, ...] = SHAPE_KINDS) -> ImageSet:
    """``n`` grey ``size`` × ``size`` images, each one shape of ``kinds`` (classes balanced, order shuffled) at a
    random place, size, angle and brightness on a dark background with Gaussian pixel noise of std ``noise``
    (in units of full brightness). ``masks`` marks each shape's pixels with its class + 1."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(kinds)).astype(np.int64)  # (n,) balanced
    centre = (np.arange(size) + 0.5)[None, :]  # pixel centres
    images = np.empty((n, size, size), dtype=np.float64)
    masks = np.zeros((n, size, size), dtype=np.uint8)
    for i, label in enumerate(labels):
        r = rng.uniform(0.22, 0.34) * size
        cx, cy = rng.uniform(r * 0.9, size - r * 0.9, size=2)
        angle = rng.uniform(0, 2 * np.pi)
        period = rng.uniform(0.25, 0.4) * r
        u, v = centre - cx, centre.T - cy  # (1, S) and (S, 1): broadcast to (S, S)
        covered = _inside(
            kinds[label], np.broadcast_to(u, (size, size)), np.broadcast_to(v, (size, size)), r, angle, period
        )
        brightness = rng.uniform(0.65, 1.0)
        images[i] = 0.12 + covered * (brightness - 0.12) + rng.normal(0.0, noise, (size, size))
        masks[i][covered] = label + 1
    pixels = np.rint(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)[..., None]  # (n, S, S, 1)
    return ImageSet(pixels, labels, tuple(kinds), masks, "shapes")


def decode_image(raw: bytes, *, max_side: int, max_pixels: int) -> tuple[np.ndarray, tuple[int, int]]:
    """An uploaded PNG or JPEG as uint8 RGB ``(H, W, 3)`` with its longer side at most ``max_side`` (shrunk,
    aspect kept), and the (height, width) it had. The header is read first: a file whose pixel count is over
    ``max_pixels`` is refused before a single pixel is decoded (a small file may declare a huge image)."""
    if not raw:
        raise ImageError("empty", "the file is empty")
    if not (raw.startswith(PNG_MAGIC) or raw.startswith(JPEG_MAGIC)):
        raise ImageError("not_an_image", "the file is not a PNG or JPEG image (its first bytes are neither)")
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG", "JPEG"]) as pil:
            width, height = pil.size
            if width * height > max_pixels:
                raise ImageError(
                    "too_many_pixels",
                    f"the image is {width} × {height} = {width * height:,} pixels; at most {max_pixels:,} are decoded",
                )
            if pil.format == "JPEG":
                pil.draft("RGB", (max_side, max_side))  # decode at a reduced scale: faster, less memory
            rgb = np.asarray(pil.convert("RGB"), dtype=np.uint8)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, at ~89 M pixels (a warning) and twice that (an error): far past ``max_pixels``
        raise ImageError("too_many_pixels", f"the image declares more than {max_pixels:,} pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageError("corrupt", f"the image could not be decoded ({type(exc).__name__}: {exc})") from None
    return resize_longest(rgb, max_side), (height, width)
