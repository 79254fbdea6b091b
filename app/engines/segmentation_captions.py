"""Captions of the segmentation lab's frames: what the step did, in this run's numbers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.core.text import fmt_count, plural
from app.engines.transposed_conv import Geometry


def _cells(pixels: Sequence[tuple[int, int]], x: np.ndarray, g: Geometry) -> str:
    if len(pixels) == 1:
        i, j = pixels[0]
        top, left = i * g.stride, j * g.stride
        return (
            f"Input pixel ({i}, {j}) = {x[i, j]:g} stamps {x[i, j]:g} × the kernel onto the canvas with its corner "
            f"at ({i}·{g.stride}, {j}·{g.stride}) = ({top}, {left}), covering rows {top}–{top + g.span - 1} and "
            f"columns {left}–{left + g.span - 1}"
        )
    i = pixels[0][0]
    return (
        f"Input row {i} ({plural(len(pixels), 'pixel')}: {', '.join(f'{x[i, j]:g}' for j, _ in enumerate(pixels))}) "
        "stamps "
        f"its kernels onto canvas rows {i * g.stride}–{i * g.stride + g.span - 1}, {g.stride} columns apart"
    )


def stamp(pixels: Sequence[tuple[int, int]], x: np.ndarray, g: Geometry, done: int, overlaps: int) -> str:
    """``done`` input pixels stamped so far; ``overlaps`` canvas cells that more than one stamp has reached."""
    total = g.size * g.size
    first = (
        ""
        if done > len(pixels)
        else (
            f"A transposed convolution of a {g.size}×{g.size} input with a {g.kernel}×{g.kernel} kernel, stride "
            f"{g.stride}: every input pixel stamps the kernel, scaled by its value, onto a {g.full}×{g.full} canvas. "
        )
    )
    overlap = (
        f"{plural(overlaps, 'canvas cell')} now {'holds' if overlaps == 1 else 'hold'} the sum of more than one "
        f"stamp (stride {g.stride} < kernel span {g.span})."
        if overlaps
        else f"No two stamps overlap yet (stride {g.stride}, kernel span {g.span})."
    )
    return f"{first}{_cells(pixels, x, g)}. {done} of {plural(total, 'pixel')} stamped. {overlap}"


def crop(g: Geometry, difference: float) -> str:
    cut = f"cutting padding {g.padding} from each edge" if g.padding else "no padding to cut"
    extra = (
        f" and keeping output_padding {g.output_padding} extra row and column at the bottom and right"
        if g.output_padding
        else ""
    )
    return (
        f"The {g.full}×{g.full} canvas becomes the {g.out}×{g.out} output by {cut}{extra}: {g.arithmetic()}. "
        f"It equals torch's conv_transpose2d of the same input and kernel (largest difference {difference:.1g}). "
        "The decoder below doubles its maps' sides this way, with learnt kernels."
    )


def _ious(names: Sequence[str], iou: Sequence[float]) -> str:
    return ", ".join(f"{n} {v:.2f}" for n, v in zip(names, iou, strict=True))


def init(names: Sequence[str], parameters: int, n_train: int, n_test: int, mean_iou: float, accuracy: float) -> str:
    return (
        f"Training starts: an encoder–decoder of {plural(parameters, 'parameter')} scores each pixel as one of "
        f"{len(names)} classes ({', '.join(names)}), learning from {plural(n_train, 'image')} and tested on "
        f"{fmt_count(n_test)}. "
        f"Untrained, it gets {accuracy:.1%} of the test pixels right and a mean IoU of {mean_iou:.2f}."
    )


def epoch(
    names: Sequence[str],
    epoch_no: float,
    epochs: int,
    loss: float,
    iou: Sequence[float],
    accuracy: float,
    before: float,
) -> str:
    mean = float(np.mean(iou))
    change = "up" if mean > before else "down" if mean < before else "unchanged"
    return (
        f"Epoch {epoch_no:g} of {epochs}: mean training loss {loss:.4f}. On the test images {accuracy:.1%} of "
        f"the pixels are classed right; IoU per class {_ious(names, iou)}; mean IoU {mean:.3f} ({change} from "
        f"{before:.3f})."
    )


def done(
    names: Sequence[str], epochs: int, steps: int, iou: Sequence[float], accuracy: float, confusion: np.ndarray
) -> str:
    """``confusion`` (K, K) test pixel counts, row true class, column predicted."""
    mean = float(np.mean(iou))
    worst = int(np.argmin(iou))
    row = confusion[worst].astype(np.int64).copy()
    total = int(row.sum())
    row[worst] = -1
    other = int(np.argmax(row))
    mistaken = (
        f"; of its {plural(total, 'test pixel')} {fmt_count(confusion[worst, other])} "
        f"{'is' if confusion[worst, other] == 1 else 'are'} read as {names[other]}"
        if total and confusion[worst, other] > 0
        else ""
    )
    return (
        f"Trained: {plural(epochs, 'epoch')}, {plural(steps, 'Adam step')}. Test mean IoU {mean:.3f} and pixel "
        f"accuracy {accuracy:.1%}. The hardest class is {names[worst]} (IoU {iou[worst]:.2f}){mistaken}."
    )
