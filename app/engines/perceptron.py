"""Rosenblatt's perceptron step by step: the rule is four lines and hides nothing, so it is written out, update
by update (tests check it against scikit-learn's ``Perceptron`` where their conventions meet).

Shapes: ``X`` (n, 2); ``t`` (n,) targets ±1; weights ``w`` (2,) and a scalar bias ``b``.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, plural
from app.engines.boundary import Grid, Scores, Split, grid_result, line_segment, make_grid, score, thin

MAX_UPDATE_FRAMES = 200


@dataclass(frozen=True)
class Update:
    """One weight change: the ``index``-th update (from 0), in ``epoch`` (from 1), at ``row``; w and b after it;
    ``score`` = t·(w·x + b) of the row just before (≤ 0: why it was a mistake)."""

    index: int
    epoch: int
    row: int
    w: np.ndarray
    b: float
    score: float


def perceptron_updates(
    X: np.ndarray, t: np.ndarray, *, lr: float, epochs: int, orders: Iterator[np.ndarray], keep: int
) -> tuple[list[Update], int, list[int], np.ndarray, float]:
    """Rosenblatt's rule: for each x in an epoch's order, if t(w·x + b) ≤ 0 then w += lr·t·x, b += lr·t.

    ``t`` in {−1, +1}; ``orders`` yields the rows visited in each epoch (drawn only as epochs run). Stops after
    the first epoch without an update. The rule runs on u = w / lr from u = 0 and w = lr·u is reported, so lr
    provably only rescales: every lr makes the same mistakes, bit for bit. Returns (about ``keep`` updates
    spread evenly over the run, always with the last; the number of updates; mistakes per epoch; w; b): memory
    stays bounded however many epochs run (kept every ``stride``-th update, the stride doubling as needed).
    """
    u1, u2, c = 0.0, 0.0, 0.0  # the boundary labs are 2-D: plain floats make the visit loop ~10× faster
    xs, ys, targets = X[:, 0].tolist(), X[:, 1].tolist(), t.tolist()
    kept: list[tuple[int, int, int, list[float], float, float]] = []
    last_row, last_epoch, last_margin = -1, 0, 0.0
    stride, count, errors = 1, 0, []
    for epoch in range(1, epochs + 1):
        checkpoint()  # per epoch: every update of the run is made here, before the first frame
        mistakes = 0
        for i in next(orders).tolist():
            ti = targets[i]
            margin = ti * (u1 * xs[i] + u2 * ys[i] + c)
            if margin <= 0:
                u1 += ti * xs[i]
                u2 += ti * ys[i]
                c += ti
                mistakes += 1
                last_row, last_epoch, last_margin = i, epoch, margin
                if count % stride == 0:
                    kept.append((count, epoch, i, [u1, u2], c, margin))
                    if len(kept) > 2 * keep:
                        stride *= 2
                        kept = [k for k in kept if k[0] % stride == 0]
                count += 1
        errors.append(mistakes)
        if mistakes == 0:
            break
    if count and kept[-1][0] != count - 1:
        kept.append((count - 1, last_epoch, last_row, [u1, u2], c, last_margin))
    shown = [kept[j] for j in thin(len(kept), keep)]
    updates = [Update(k, e, r, lr * np.array(uk), lr * ck, lr * m) for k, e, r, uk, ck, m in shown]
    return updates, count, errors, lr * np.array([u1, u2]), lr * c


def linearly_separable(X: np.ndarray, t: np.ndarray) -> bool:
    """Is there (w, b) with t(w·x + b) ≥ 1 for every row? A feasibility LP (HiGHS), exact up to its tolerance."""
    A = -t[:, None] * np.column_stack([X, np.ones(X.shape[0])])  # (n, d+1)
    res = linprog(np.zeros(X.shape[1] + 1), A_ub=A, b_ub=-np.ones(X.shape[0]), bounds=(None, None), method="highs")
    return bool(res.status == 0)


def _perceptron_frame(
    kind: str,
    caption: str,
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    grid: Grid,
    w: np.ndarray,
    b: float,
    *,
    misclassified: int | None,
    before: tuple[np.ndarray, float] | None,
    epoch: int,
) -> Frame:
    predicted = (X @ w + b > 0).astype(np.int64)
    scores: Scores = score(y, predicted, parts, 2)
    state = {"weights": w.copy(), "bias": float(b), "misclassified": misclassified, "epoch": epoch, **scores.state()}
    visual: dict[str, Any] = {
        "predicted": (grid.points @ w + b > 0).astype(np.int64),
        "misclassified": scores.misclassified,
        "line_after": line_segment(w, b, grid.box),
    }
    if before is not None:
        visual["line_before"] = line_segment(before[0], before[1], grid.box)
    if misclassified is not None:
        visual["highlight"] = misclassified
    return Frame(kind, caption, state, scores.metrics(), visual=visual)


def perceptron(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    lr: float,
    epochs: int,
    shuffle: bool,
    grid_size: int,
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames: ``init``, one ``update`` per weight change (thinned evenly past 200, each caption saying how many
    updates it stands for), then ``converged`` or ``stopped``. Class 1 is t = +1, class 0 is t = −1."""
    t = np.where(y == 1, 1.0, -1.0)
    orders = (rng.permutation(parts.train) if shuffle else parts.train for _ in range(epochs))
    updates, total, errors, w, b = perceptron_updates(X, t, lr=lr, epochs=epochs, orders=orders, keep=MAX_UPDATE_FRAMES)
    grid = make_grid(X, grid_size)
    zero = np.zeros(X.shape[1])
    yield _perceptron_frame(
        "init",
        "The perceptron starts with w = 0 and b = 0: every point sits on the boundary, "
        "so each one it visits counts as a mistake until the line moves. From zero the "
        f"learning rate only scales w and b (each is lr × a sum of ±x), so lr = {num(lr)} "
        "makes the same mistakes and draws the same line as any other lr.",
        X,
        y,
        parts,
        grid,
        zero,
        0.0,
        misclassified=None,
        before=None,
        epoch=0,
    )
    thinned = len(updates) < total
    previous: Update | None = None
    for update in updates:
        checkpoint()
        row, sign = update.row, "+" if t[update.row] > 0 else "−"
        w_prev, b_prev = update.w - lr * t[row] * X[row], update.b - lr * t[row]
        side = "class 1 (t = +1)" if t[row] > 0 else "class 0 (t = −1)"
        gain = lr * (X[row] @ X[row] + 1)
        caption = (
            f"Epoch {update.epoch}: point {row}, of {side}, was on the wrong side (t·(w·x + b) = "
            f"{num(update.score, 3)} ≤ 0), so w ← w {sign} {num(lr)}·x and b ← b {sign} {num(lr)}: its "
            f"score rises by lr·(‖x‖² + 1) = {num(gain, 3)}, moving the line towards it."
        )
        if thinned:
            since = update.index - (previous.index if previous else -1)
            first = previous.epoch if previous else 1
            span = f"epoch {first}" if first == update.epoch else f"epochs {first}–{update.epoch}"
            caption += (
                f" Frames are thinned: this is update {update.index + 1:,} of {total:,}, standing for the "
                f"{plural(since, 'update')} since the previous frame ({span})."
            )
        previous = update
        yield _perceptron_frame(
            "update",
            caption,
            X,
            y,
            parts,
            grid,
            update.w,
            update.b,
            misclassified=row,
            before=(w_prev, b_prev),
            epoch=update.epoch,
        )
    converged = bool(errors) and errors[-1] == 0
    if converged:
        kind = "converged"
        caption = (
            f"Converged in epoch {len(errors)}: a full pass over the training points without a mistake "
            f"after {plural(total, 'update')}. The data is linearly separable, so the rule was bound to stop."
        )
    else:
        kind = "stopped"
        left = plural(errors[-1] if errors else 0, "mistake")
        if linearly_separable(X[parts.train], t[parts.train]):
            caption = (
                f"Stopped after {plural(epochs, 'epoch', 'epochs')} with {left} in the last one. The "
                "training data is linearly separable, so enough epochs would end with zero mistakes (the "
                "narrower the gap between the classes, the more it takes)."
            )
        else:
            caption = (
                f"Stopped after {plural(epochs, 'epoch', 'epochs')}, still {left} in the last one: the data "
                "is not linearly separable (no straight line splits the classes; XOR is the classic case), so "
                "the perceptron never converges. A multilayer perceptron can: see the neural network lab."
            )
    yield _perceptron_frame(kind, caption, X, y, parts, grid, w, b, misclassified=None, before=None, epoch=len(errors))
    predicted_grid = (grid.points @ w + b > 0).astype(np.int64)
    final = score(y, (X @ w + b > 0).astype(np.int64), parts, 2)
    return {
        "weights": w,
        "bias": float(b),
        "errors_per_epoch": errors,
        "converged": converged,
        "n_updates": total,
        "train_accuracy": final.train_accuracy,
        "test_accuracy": final.test_accuracy,
        "train_indices": parts.train,
        "test_indices": parts.test,
        "grid": grid_result(grid, predicted_grid),
    }
