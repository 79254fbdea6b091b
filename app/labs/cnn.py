"""The CNN lab (issue 15): a small convolutional network trained on images with PyTorch, opened up layer by
layer, saved and loaded, and read on a digit the learner draws (``predict``).

``prepare`` checks what needs the image size: the layer list (a layer whose output would be empty is a 422 at
``layers[i]`` saying the arithmetic), the parameter count and the training work (a 422 with the numbers), the
shown test image, and a weights file (not a torch file, or one of another architecture: a 422 at
``initial_weights`` naming the layer and the shapes). The train/test split is stratified and seeded by the
dataset's own seed (0 for the digits), as every classifier lab's split is: the scene draws the test images
before the engine runs. The run's seed draws the initial weights, the batch order, augmentation and dropout.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import math
import pickle
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count
from app.engines import cnn_train
from app.engines.cnn_model import LayerError, LayerInfo, build, feature_maps
from app.schemas.cnn import CnnParams
from app.schemas.common import ParamsError
from app.schemas.frames import cnn as frames
from app.views.cnn import CnnView

NOT_A_MODEL = "not a Stepwise model file"
PREDICT_CACHE = 32
"""Trained networks kept built for ``predict`` (a class drawing at once costs one load per model)."""


@dataclass(frozen=True)
class CnnInputs:
    """The split images, the network's layer table, the test pictures the scene draws, the weights to start from."""

    data: cnn_train.CnnData
    test_pixels: np.ndarray  # (n_test, H, W, C) uint8: the test images as loaded
    table: tuple[LayerInfo, ...]
    initial_state: Mapping[str, torch.Tensor] | None
    sample: int

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.data.class_names

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.data.X_train.shape[1:])


def layer_specs(params: CnnParams) -> list[dict[str, Any]]:
    return [layer.model_dump() for layer in params.layers]


def _work(table: Sequence[LayerInfo], specs: Sequence[Mapping[str, Any]], in_shape: tuple[int, ...]) -> int:
    """Multiply-adds of one image's forward pass: conv out_h·out_w·filters·C_in·k², dense in·units."""
    total, shape = 0, in_shape
    built = [s for s in specs]  # the table has the added flatten / output rows: walk it, reading conv sizes
    conv_kernels = iter(int(s["kernel"]) for s in built if s["type"] == "conv")
    for row in table:
        if row.name.startswith("conv"):
            k = next(conv_kernels)
            total += math.prod(row.output_shape) * shape[0] * k * k
        elif row.name.startswith(("dense", "output")):
            total += math.prod(shape) * row.output_shape[0]
        shape = row.output_shape
    return total


def _load_weights(text: str, model: nn.Module, table: Sequence[LayerInfo]) -> dict[str, torch.Tensor]:
    """The state_dict a weights file holds, checked against ``model``'s: same keys, same shapes."""
    try:
        raw = base64.b64decode(text, validate=True)
        state = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    except (
        binascii.Error,
        ValueError,
        RuntimeError,
        EOFError,
        pickle.UnpicklingError,
        zipfile.BadZipFile,
        OSError,
        AttributeError,
        TypeError,
        KeyError,
    ):
        raise ParamsError(("initial_weights",), f"{NOT_A_MODEL} (torch.load could not read it)") from None
    if not isinstance(state, Mapping) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()
    ):
        raise ParamsError(("initial_weights",), f"{NOT_A_MODEL} (it holds no state_dict of tensors)")
    wanted = model.state_dict()
    for key, tensor in wanted.items():
        index = int(key.split(".")[0])
        where = f"layer {index + 1} ({table[index].name})"
        if key not in state:
            raise ParamsError(("initial_weights",), f"the file is for another network: it has no {key} for {where}")
        if tuple(state[key].shape) != tuple(tensor.shape):
            raise ParamsError(
                ("initial_weights",),
                f"the file is for another network: {where} needs {key} of shape {tuple(tensor.shape)}, the file "
                f"has {tuple(state[key].shape)}",
            )
    extra = sorted(set(state) - set(wanted))
    if extra:
        raise ParamsError(("initial_weights",), f"the file is for another network: it also has {', '.join(extra[:3])}")
    return {k: v.detach().clone() for k, v in state.items()}


def _split(params: CnnParams, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = int(labels.size)
    n_test = math.ceil(params.test_fraction * n)
    if n_test < k or n - n_test < k:
        raise ParamsError(
            ("dataset",),
            f"{fmt_count(n)} images with a test share of {params.test_fraction:g} leave {n - n_test} to train on "
            f"and {n_test} to test on; each part needs at least one image of each of the {k} classes",
        )
    seed = int(getattr(params.dataset, "seed", 0))
    train, test = train_test_split(np.arange(n), test_size=n_test, stratify=labels, random_state=seed)
    return np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64)


def _prepare(params: CnnParams, limits: Limits) -> CnnInputs:
    images = params.dataset.load()
    assert images.labels is not None  # digits and shapes are labelled
    k = len(images.class_names)
    train, test = _split(params, images.labels, k)
    X = (images.images.astype(np.float32) / np.float32(255.0)).transpose(0, 3, 1, 2)  # (n, H, W, C) → (n, C, H, W)
    X = np.ascontiguousarray(X)
    n_test = int(test.size)
    if params.sample >= n_test:
        raise ParamsError(
            ("sample",), f"sample is {params.sample}, but the test set has {n_test} images (0 to {n_test - 1})"
        )
    in_shape = (int(X.shape[1]), int(X.shape[2]), int(X.shape[3]))
    specs = layer_specs(params)
    try:
        model, table = build(specs, in_shape, k, torch.Generator().manual_seed(0))
    except LayerError as err:
        raise ParamsError(("layers", err.index), err.msg) from None
    total = sum(row.params for row in table)
    if total > limits.max_cnn_parameters:
        raise ParamsError(
            ("layers",),
            f"the network has {fmt_count(total)} parameters; at most {fmt_count(limits.max_cnn_parameters)} are "
            "allowed (STEPWISE_MAX_CNN_PARAMETERS)",
        )
    n_train = int(train.size)
    per_image = _work(table, specs, in_shape)
    work = per_image * n_train * params.epochs
    if work > limits.max_cnn_work:
        raise ParamsError(
            ("epochs",),
            f"{params.epochs} epochs × {fmt_count(n_train)} training images × {fmt_count(per_image)} "
            f"multiply-adds per image = {work:.3g}, more than the {limits.max_cnn_work:.3g} one run may train "
            "(STEPWISE_MAX_CNN_WORK): fewer epochs, images or filters",
        )
    batch = min(params.batch_size, n_train)
    if any(s["type"] == "batchnorm" for s in specs) and (batch < 2 or n_train % batch == 1):
        raise ParamsError(
            ("batch_size",),
            f"batch norm needs at least 2 images in every batch; {fmt_count(n_train)} training images in batches "
            f"of {batch} leave a batch of 1",
        )
    state = None if params.initial_weights is None else _load_weights(params.initial_weights, model, table)
    data = cnn_train.CnnData(X[train], images.labels[train], X[test], images.labels[test], images.class_names)
    return CnnInputs(data, images.images[test], tuple(table), state, params.sample)


def _run(inputs: CnnInputs, params: CnnParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    plan = cnn_train.TrainPlan(
        layers=layer_specs(params),
        optimizer=params.optimizer,
        lr=float(params.lr),
        batch_size=params.batch_size,
        epochs=params.epochs,
        augment=params.augment,
        sample=params.sample,
        initial_state=inputs.initial_state,
    )
    return cnn_train.run(inputs.data, plan, seed=int(rng.integers(0, 2**62)))


_cache: OrderedDict[tuple[str, str], tuple[nn.Sequential, list[LayerInfo]]] = OrderedDict()
_cache_lock = threading.Lock()


def _trained(params: CnnParams, result: Mapping[str, Any]) -> tuple[nn.Sequential, list[LayerInfo]]:
    """The run's trained network, built once per (weights, layers) and kept (LRU of ``PREDICT_CACHE``)."""
    text = str(result["model"]["base64"])
    specs = layer_specs(params)
    c, h, w = (int(s) for s in result["input_shape"])
    key = (hashlib.sha256(text.encode()).hexdigest(), repr((specs, c, h, w)))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    model, table = build(specs, (c, h, w), len(result["class_names"]), torch.Generator().manual_seed(0))
    model.load_state_dict(_load_weights(text, model, table))
    model.eval()
    with _cache_lock:
        _cache[key] = (model, table)
        while len(_cache) > PREDICT_CACHE:
            _cache.popitem(last=False)
    return model, table


def predict(params: CnnParams, result: Mapping[str, Any], image: np.ndarray) -> dict[str, Any]:
    """The trained network's reading of ``image`` (uint8 (H, W) or (H, W, C) at the run's input size): its
    probabilities, the class it picks, and every layer's output for it (u1 typed arrays scaled per layer)."""
    c, h, w = (int(s) for s in result["input_shape"])
    pixels = np.asarray(image)
    if pixels.ndim == 2:
        pixels = pixels[..., None]  # (H, W) → (H, W, 1)
    if pixels.shape != (h, w, c):
        raise ParamsError(
            ("image",), f"the image is {list(pixels.shape)}; this network reads {h} × {w} × {c} (H, W, C)"
        )
    model, table = _trained(params, result)
    x = torch.from_numpy(
        np.ascontiguousarray(pixels.transpose(2, 0, 1)[None], dtype=np.float32) / 255.0
    )  # (1, C, H, W)
    outs = feature_maps(model, x)
    probs = torch.softmax(outs[-1][0], dim=0).numpy()
    return {
        "probabilities": [float(p) for p in probs],
        "predicted": int(probs.argmax()),
        "class_names": list(result["class_names"]),
        "layers": cnn_train.encode_maps(outs, table),
    }


CNN: Algorithm[CnnParams, CnnInputs] = Algorithm(
    id="cnn",
    title="Convolutional network",
    family="cnn",
    summary=(
        "Train a real convolutional network with PyTorch on handwritten digits or shapes and open it up: watch "
        "the first layer's filters form epoch by epoch, follow one test image through every layer (conv, ReLU, "
        "pooling, dense, softmax), see which test images it gets wrong, save the trained weights and load them "
        "again, and draw a digit for it to read."
    ),
    days=(37, 38, 39, 55, 58, 59, 60),
    params_model=CnnParams,
    prepare=_prepare,
    engine=_run,
    view=CnnView(),
    frame_model=frames.CnnFrame,
    result_model=frames.CnnResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (CNN,)
