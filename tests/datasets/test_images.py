"""The image datasets (``app.datasets.images``): digits and photos equal scikit-learn's, shapes are seeded,
balanced and masked truthfully, uploads decode (PNG, JPEG, grey, alpha) or fail with the defect named."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits, load_sample_image

from app.datasets import images


def _png(array: np.ndarray, mode: str | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _declared_png(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with no pixel data: what a decompression bomb's
    header looks like (the pixels would only be read on decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return images.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_digits_are_sklearns_scaled_to_bytes() -> None:
    data = images.digits()
    bunch = load_digits()
    assert data.images.shape == (1797, 8, 8, 1) and data.images.dtype == np.uint8
    assert np.array_equal(data.images[..., 0], np.rint(bunch.images * 255 / 16).astype(np.uint8))
    assert np.array_equal(data.labels, bunch.target) and data.class_names == tuple("0123456789")


def test_photo_is_the_sample_image_shrunk_by_pillow_with_its_aspect() -> None:
    data = images.photo("flower", 160)
    assert data.images.shape == (1, 107, 160, 3) and data.labels is None
    expected = Image.fromarray(load_sample_image("flower.jpg")).resize((160, 107), Image.Resampling.LANCZOS)
    assert np.array_equal(data.images[0], np.asarray(expected))
    assert images.photo("china", 4_000).images.shape == (1, 427, 640, 3), "never enlarged"


def test_shapes_are_seeded_balanced_and_their_masks_cover_the_bright_pixels() -> None:
    a = images.shapes(40, 24, seed=3, noise=0.0)
    b = images.shapes(40, 24, seed=3, noise=0.0)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, images.shapes(40, 24, seed=4, noise=0.0).images)
    assert np.bincount(a.labels).tolist() == [10, 10, 10, 10]
    assert a.images.shape == (40, 24, 24, 1) and a.masks is not None and a.masks.shape == (40, 24, 24)
    for image, mask, label in zip(a.images[..., 0], a.masks, a.labels, strict=True):
        assert set(np.unique(mask)) == {0, label + 1}, "one shape per image, marked with its class + 1"
        background = round(0.12 * 255)
        assert np.all(image[mask == 0] == background) and np.all(image[mask > 0] > background + 100)
    noisy = images.shapes(40, 24, seed=3, noise=0.2)
    assert np.array_equal(noisy.masks, a.masks), "noise changes pixels, not where the shapes are"
    assert np.abs(noisy.images.astype(int) - a.images.astype(int)).mean() > 10


def test_each_kind_covers_about_the_area_its_geometry_says() -> None:
    """Circle πr², square (1.6r)², triangle (3√3/4)r² (circumradius r), stripes about half of (1.7r)²."""
    u = np.arange(200) + 0.5 - 100.0
    uu, vv = np.meshgrid(u, u)
    r = 60.0
    expected = {"circle": np.pi * r**2, "square": (1.6 * r) ** 2, "triangle": 3 * np.sqrt(3) / 4 * r**2}
    for kind, area in expected.items():
        got = images._inside(kind, uu, vv, r, angle=0.3, period=10.0).sum()
        assert got == pytest.approx(area, rel=0.01), kind
    stripes = images._inside("stripes", uu, vv, r, angle=0.3, period=10.0).sum()
    assert stripes == pytest.approx((1.7 * r) ** 2 / 2, rel=0.05)


def test_png_and_jpeg_uploads_decode_to_rgb_shrunk_to_the_side() -> None:
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (300, 200, 3), dtype=np.uint8)
    pixels, original = images.decode_image(_png(rgb), max_side=100, max_pixels=10**6)
    assert original == (300, 200) and pixels.shape == (100, 67, 3) and pixels.dtype == np.uint8
    small, _ = images.decode_image(_png(rgb[:50, :40]), max_side=100, max_pixels=10**6)
    assert np.array_equal(small, rgb[:50, :40]), "a PNG that fits comes back exactly"
    grey, _ = images.decode_image(_png(rgb[:20, :20, 0], "L"), max_side=100, max_pixels=10**6)
    assert grey.shape == (20, 20, 3) and np.array_equal(grey[..., 0], rgb[:20, :20, 0])
    rgba = np.dstack([rgb[:20, :20], np.full((20, 20), 255, np.uint8)])
    assert images.decode_image(_png(rgba, "RGBA"), max_side=100, max_pixels=10**6)[0].shape == (20, 20, 3)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=95)
    jpeg, original = images.decode_image(buffer.getvalue(), max_side=150, max_pixels=10**6)
    assert original == (300, 200) and max(jpeg.shape[:2]) == 150 and jpeg.shape[2] == 3


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty"),
        (b"x,y\n1,2\n", "not_an_image"),
        (b"GIF89a" + bytes(40), "not_an_image"),
        (images.PNG_MAGIC + b"\x00\x00\x00\x0dIHDR garbage", "corrupt"),
        (images.JPEG_MAGIC + bytes(64), "corrupt"),
    ],
)
def test_what_is_not_an_image_is_named(raw: bytes, code: str) -> None:
    with pytest.raises(images.ImageError) as info:
        images.decode_image(raw, max_side=64, max_pixels=10**6)
    assert info.value.code == code and info.value.msg


def test_a_truncated_png_is_corrupt() -> None:
    raw = _png(np.zeros((64, 64, 3), np.uint8) + 7)
    with pytest.raises(images.ImageError) as info:
        images.decode_image(raw[: len(raw) // 2], max_side=64, max_pixels=10**6)
    assert info.value.code == "corrupt"


@pytest.mark.parametrize("side", [3_000, 20_000])  # over max_pixels; the second over Pillow's own bomb guard too
def test_a_huge_declared_image_is_refused_before_decoding(side: int) -> None:
    with pytest.raises(images.ImageError) as info:
        images.decode_image(_declared_png(side, side), max_side=64, max_pixels=1_000_000)
    assert info.value.code == "too_many_pixels" and "pixels" in info.value.msg
