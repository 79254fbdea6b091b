"""The tensors lab's engine against its oracles (issue 17): torch.permute / .stride() / .is_contiguous() for the
image and the strides helpers, OneHotEncoder / OrdinalEncoder / StandardScaler / MinMaxScaler for the table,
OneHotEncoder on the characters and torch's one_hot for text, sliding_window_view for the series — plus a tiny
hand-checked case for each topic."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import torch
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from app.core.frame import Frame, drain
from app.core.typed_array import from_typed_array
from app.datasets.multivariate import table
from app.engines import tensors_data
from app.engines.tensors import IrisTable, TensorsSetup, c_strides, image_frames, is_contiguous, reshape_frames


def _by_kind(frames: list[Frame]) -> dict[str, Frame]:
    return {f.kind: f for f in frames}


def _image(pixels: np.ndarray, normalise: str = "own") -> tuple[dict[str, Frame], dict[str, Any]]:
    names = ("red", "green", "blue") if pixels.shape[2] == 3 else ("grey",)
    middle = (pixels.shape[0] // 2, pixels.shape[1] // 2)
    setup = TensorsSetup("image", pixels=pixels, channel_names=names, pixel=middle, normalise=normalise)
    frames, result = drain(image_frames(setup))
    return _by_kind(frames), result


def test_strides_and_contiguity_follow_torch() -> None:
    for shape in [(2, 3, 4), (1, 5, 1), (3, 1, 2), (4,), (2, 2)]:
        x = torch.zeros(shape)
        assert c_strides(shape) == list(x.stride())
        for order in itertools.permutations(range(len(shape))):
            p = x.permute(*order)
            assert is_contiguous(p.shape, p.stride()) == p.is_contiguous(), (shape, order)


def test_a_two_by_two_picture_by_hand() -> None:
    pixels = np.array([[[0, 10, 20], [30, 40, 50]], [[60, 70, 80], [90, 100, 255]]], dtype=np.uint8)  # (2, 2, 3)
    frames, _ = _image(pixels)
    hwc, chw = frames["hwc"].state, frames["chw"].state
    assert hwc["shape"] == [2, 2, 3] and hwc["strides"] == [6, 3, 1]
    assert hwc["pixel"] == [1, 1] and hwc["pixel_values"] == [90, 100, 255]
    assert chw["shape"] == [3, 2, 2] and chw["strides"] == [1, 6, 3] and chw["contiguous"] is False
    assert chw["copy_strides"] == [4, 2, 1]
    red = np.array([0, 30, 60, 90]) / 255
    assert frames["normalise"].state["mean"][0] == pytest.approx(red.mean())
    assert frames["normalise"].state["std"][0] == pytest.approx(red.std())
    assert frames["to_float"].state["max"] == pytest.approx(1.0)
    assert "red 90, green 100, blue 255" in frames["hwc"].caption
    assert "(1, 6, 3)" in frames["chw"].caption and "not contiguous" in frames["chw"].caption


@pytest.mark.parametrize("normalise", ["own", "imagenet"])
def test_the_image_equals_torch_permute_and_a_torch_normalisation(normalise: str) -> None:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    frames, result = _image(pixels, normalise)
    t = torch.from_numpy(pixels).permute(2, 0, 1)
    assert frames["chw"].state["shape"] == list(t.shape)
    assert frames["chw"].state["strides"] == list(t.stride())
    assert frames["chw"].state["contiguous"] == t.is_contiguous()
    assert frames["chw"].state["copy_strides"] == list(t.contiguous().stride())
    assert np.array_equal(from_typed_array(frames["chw"].state["array"]), t.contiguous().numpy())
    x = t.to(torch.float32) / 255  # ToTensor
    assert np.array_equal(from_typed_array(frames["to_float"].state["array"]), x.numpy())
    x64 = x.to(torch.float64)
    if normalise == "own":
        mean, std = x64.mean(dim=(1, 2)), x64.std(dim=(1, 2), correction=0)
    else:
        mean, std = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float64), torch.tensor([0.229, 0.224, 0.225])
    expected = (x64 - mean[:, None, None]) / std.to(torch.float64)[:, None, None]  # torchvision's Normalize
    assert np.allclose(from_typed_array(result["normalised"]), expected.numpy(), atol=1e-12)
    if normalise == "own":
        assert np.allclose(frames["normalise"].state["new_mean"], 0, atol=1e-12)
        assert np.allclose(frames["normalise"].state["new_std"], 1)


def test_a_grey_picture_is_one_contiguous_channel_and_a_flat_one_is_only_shifted() -> None:
    frames, _ = _image(np.full((3, 4, 1), 7, dtype=np.uint8))
    assert frames["chw"].state["contiguous"] is True and frames["chw"].state["strides"] == [1, 4, 1]
    assert frames["normalise"].state["new_std"] == [0.0] and "only shifted" in frames["normalise"].caption


def test_reshape_by_hand_and_against_numpy() -> None:
    frames = _by_kind(drain(reshape_frames(TensorsSetup("reshape", dims=(2, 3, 4))))[0])
    s = {k: f.state for k, f in frames.items()}
    assert s["arange"]["strides"] == [12, 4, 1] and s["arange"]["contiguous"]
    assert s["view"]["shape"] == [6, 4] and s["view"]["strides"] == [4, 1] and s["view"]["shares_storage"]
    assert s["transpose"]["shape"] == [2, 4, 3] and s["transpose"]["strides"] == [12, 1, 4]
    assert not s["transpose"]["contiguous"] and s["transpose"]["shares_storage"]
    assert s["transpose"]["values"][:6] == [0, 4, 8, 1, 5, 9]
    assert "view size is not compatible" in s["view_fails"]["error"]
    assert s["contiguous"]["strides"] == [12, 3, 1] and not s["contiguous"]["shares_storage"]
    assert s["contiguous"]["storage"] == s["transpose"]["values"]
    assert s["permute"]["shape"] == [4, 2, 3] and s["permute"]["strides"] == [1, 12, 4]
    assert s["flatten"]["values"][:6] == [0, 4, 8, 12, 16, 20] and not s["flatten"]["shares_storage"]
    x = np.arange(24).reshape(2, 3, 4)
    for kind, array in (("transpose", x.transpose(0, 2, 1)), ("permute", x.transpose(2, 0, 1))):
        assert s[kind]["strides"] == [st // x.itemsize for st in array.strides]
        assert s[kind]["values"] == array.ravel().tolist()


def test_a_transpose_of_a_size_one_axis_stays_contiguous_and_its_view_works() -> None:
    frames = _by_kind(drain(reshape_frames(TensorsSetup("reshape", dims=(2, 1, 3))))[0])
    assert frames["transpose"].state["contiguous"] is True
    assert frames["view_fails"].state["error"] == "" and "works" in frames["view_fails"].caption


def _iris() -> tuple[TensorsSetup, np.ndarray, np.ndarray, np.ndarray]:
    X, y, _, names = table("iris")
    species = np.array([names[int(c)] for c in y], dtype=object)
    iris = IrisTable(X[:, 0].copy(), X[:, 2].copy(), tuple(species))
    return TensorsSetup("table", table=iris, rows=6), X[:, 0], X[:, 2], species


def test_the_table_equals_scikit_learns_encoders_and_a_hand_encoding() -> None:
    setup, sepal, petal, species = _iris()
    frames, result = drain(tensors_data.table_frames(setup, np.random.default_rng(3)))
    by = _by_kind(frames)
    rows = by["table"].state["rows"]
    assert len(rows) == 6 and rows == sorted(rows) and all(f.state["rows"] == rows for f in frames)
    sizes = np.where(petal < 2.5, "small", np.where(petal < 5.0, "medium", "large")).astype(object)
    size_codes = OrdinalEncoder(categories=[["small", "medium", "large"]]).fit_transform(sizes.reshape(-1, 1))[:, 0]
    assert by["ordinal"].state["size_codes"] == size_codes[rows].astype(int).tolist()
    assert by["ordinal"].state["size_codes"] == [{"small": 0, "medium": 1, "large": 2}[s] for s in sizes[rows]]
    assert by["ordinal"].state["species_categories"] == ["setosa", "versicolor", "virginica"]
    one_hot = OneHotEncoder(sparse_output=False).fit_transform(species.reshape(-1, 1))
    assert by["one_hot"].state["one_hot"] == one_hot[rows].astype(int).tolist()
    by_hand = [[int(s == name) for name in ("setosa", "versicolor", "virginica")] for s in species[rows]]
    assert by["one_hot"].state["one_hot"] == by_hand
    z = StandardScaler().fit_transform(sepal.reshape(-1, 1))[:, 0]
    unit = MinMaxScaler().fit_transform(sepal.reshape(-1, 1))[:, 0]
    assert np.allclose(by["scaling"].state["standardised"], z[rows])
    assert np.allclose(by["scaling"].state["standardised"], (sepal[rows] - sepal.mean()) / sepal.std())
    assert np.allclose(by["scaling"].state["min_max"], unit[rows])
    assert by["scaling"].state["min"] == 4.3 and by["scaling"].state["max"] == 7.9
    expected = np.column_stack([z, size_codes, one_hot])
    assert result["shape"] == [150, 5] and np.allclose(result["matrix"], expected)
    assert np.allclose(by["matrix"].state["matrix"], expected[rows])
    assert by["matrix"].state["kinds"] == ["encoded"] * 5
    assert by["table"].state["kinds"] == ["continuous", "continuous", "ordinal", "categorical"]


def test_text_by_hand_and_against_one_hot_encoders() -> None:
    frames, _ = drain(tensors_data.text_frames(TensorsSetup("text", text="abba c")))
    by = _by_kind(frames)
    assert by["codes"].state["codes"] == [97, 98, 98, 97, 32, 99]
    assert by["vocabulary"].state["vocabulary"] == [" ", "a", "b", "c"]
    assert by["indices"].state["indices"] == [1, 2, 2, 1, 0, 3]
    one_hot = from_typed_array(by["char_one_hot"].state["one_hot"])
    chars = np.array(list("abba c"), dtype=object).reshape(-1, 1)
    assert np.array_equal(one_hot, OneHotEncoder(sparse_output=False).fit_transform(chars))
    expected = torch.nn.functional.one_hot(torch.tensor([1, 2, 2, 1, 0, 3]))
    assert np.array_equal(one_hot, expected.numpy()) and by["char_one_hot"].state["shape"] == [6, 4]
    assert "'a' is 97, 'b' is 98" in by["codes"].caption and "(6,)" in by["codes"].caption


def _series(**kw: Any) -> TensorsSetup:
    settings: dict[str, Any] = {"series": "sine", "length": 6, "period": 4, "window": 3, "horizon": 1} | kw
    return TensorsSetup("series", **settings)


def test_series_windows_by_hand() -> None:
    frames, _ = drain(tensors_data.series_frames(_series(), np.random.default_rng(0)))
    by = _by_kind(frames)
    assert np.allclose(by["series"].state["values"], [0, 1, 0, -1, 0, 1], atol=1e-12)
    inputs, targets = from_typed_array(by["windows"].state["inputs"]), from_typed_array(by["windows"].state["targets"])
    assert np.allclose(inputs, [[0, 1, 0], [1, 0, -1], [0, -1, 0]], atol=1e-12)
    assert np.allclose(targets, [[-1], [0], [1]], atol=1e-12)
    assert by["windows"].state["inputs_shape"] == [3, 3] and by["windows"].state["targets_shape"] == [3, 1]
    assert [f.state["start"] for f in frames if f.kind == "window"] == [0, 1, 2]
    assert "6 − 3 − 1 + 1 = 3" in by["windows"].caption


def test_series_windows_equal_sliding_window_view_and_the_noise_follows_the_seed() -> None:
    setup = _series(series="noisy_sine", length=50, period=9, noise=0.3, window=7, horizon=3)
    frames, result = drain(tensors_data.series_frames(setup, np.random.default_rng(5)))
    values = np.asarray(result["values"])
    assert np.allclose(values, tensors_data.series_values(setup, np.random.default_rng(5)))
    cuts = sliding_window_view(values, 10)
    assert np.array_equal(from_typed_array(result["inputs"]), cuts[:, :7])
    assert np.array_equal(from_typed_array(result["targets"]), cuts[:, 7:])
    assert np.array_equal(from_typed_array(result["inputs"]), sliding_window_view(values[:-3], 7))
    assert [f.state["start"] for f in frames if f.kind == "window"] == [0, 1, 2, 40]
