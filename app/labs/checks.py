"""The data checks several labs make, in one wording: each raises ``ParamsError`` (a 422 at its location),
except ``clamp_count``, which turns a count the data contradicts into a ``Clamp`` (the run goes on with it).

They run in ``prepare``, where the data is known; what the params alone decide is the schema's job.
``lab`` names the lab in the sentence ("k-means", "the network"), so the learner reads who refuses.
"""

from __future__ import annotations

import numpy as np

from app.core.algorithm import Clamp
from app.core.text import plural
from app.datasets import Dataset
from app.schemas.common import ParamsError


def require_labels(data: Dataset, lab: str) -> np.ndarray:
    """``data.y`` (n,), or a ``dataset.y`` error when the (inline) data has no labels."""
    if data.y is None:
        raise ParamsError(("dataset", "y"), f"{lab} needs class labels: give the inline data a 'y' list (one per row)")
    return data.y


def require_2d(data: Dataset, lab: str, *, or_1d: bool = False) -> None:
    """Two features (or one, with ``or_1d``): the lab draws the data on a plane."""
    d = data.X.shape[1]
    if d == 2 or (or_1d and d == 1):
        return
    wanted = "1 or 2 features (columns of X)" if or_1d else "2 features (columns of X)"
    raise ParamsError(("dataset", "X"), f"{lab} draws the data on a plane, so it needs {wanted}; the data has {d}")


def require_classes(
    y: np.ndarray, lab: str, *, minimum: int = 2, maximum: int | None = None, hint: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct labels (k,) and every point's class index 0..k−1 (n,) int64, when ``minimum`` ≤ k ≤
    ``maximum``; ``hint`` is added to a too-many message (another lab that takes more)."""
    labels, codes = np.unique(y, return_inverse=True)
    k = int(labels.size)
    if k < minimum:
        found = f"every point has label {labels[0]}" if k == 1 else f"the data has {plural(k, 'class')}"
        raise ParamsError(("dataset", "y"), f"{found}: {lab} needs at least {minimum} classes")
    if maximum is not None and k > maximum:
        more = f" ({hint})" if hint else ""
        raise ParamsError(("dataset", "y"), f"the data has {k} classes; {lab} takes at most {maximum}{more}")
    return labels, codes.astype(np.int64)


def require_rows(data: Dataset, lab: str, minimum: int) -> None:
    """At least ``minimum`` points."""
    n = data.X.shape[0]
    if n < minimum:
        raise ParamsError(("dataset",), f"{lab} needs at least {plural(minimum, 'point')}; the data has {n}")


def clamp_count(param: str, label: str, asked: int, most: int, of_what: str, then: str = "") -> tuple[Clamp, ...]:
    """``(Clamp,)`` when ``asked`` is more than ``most`` (the count of ``of_what`` the data has), else ``()``.

    ``label`` is the count in words ("k", "batch size"), ``then`` what the used value means, if anything:
    "Note: batch size = 32 is more than the 2 training points, so batch size = 2 is used: every step uses
    all of them (full batch)."
    """
    if asked <= most:
        return ()
    note = f"Note: {label} = {asked} is more than the {plural(most, of_what)}, so {label} = {most} is used{then}."
    return (Clamp(param, most, note),)
