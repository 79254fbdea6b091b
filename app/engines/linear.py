"""Linear classifiers step by step: logistic regression by gradient descent, and Rosenblatt's perceptron.

scikit-learn's ``LogisticRegression`` solves in one call (L-BFGS), so the descent is written here and tested
against it: at ``C = 1/(l2·n)`` both minimise mean cross-entropy + (l2/2)·‖W‖² (the bias unpenalised). The
perceptron rule is four lines and hides nothing, so it is written out too.

Shapes: ``X`` (n, 2); ``y`` (n,) class indices; features ``F`` (n, p); binary weights ``W`` (p,) and a scalar
bias, multinomial ``W`` (p, K) and bias (K,).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.special import expit, log_softmax, softmax
from sklearn.preprocessing import PolynomialFeatures

from app.engines.boundary import Grid, Scores, Split, grid_result, line_segment, make_grid, score, thin
from app.engines.frame import Frame

MAX_EPOCH_FRAMES = 80
MAX_UPDATE_FRAMES = 200


class FeatureMap:
    """x ↦ standardised polynomial features of standardised x, fitted on the training rows.

    Standardising twice keeps plain gradient descent well conditioned at degree 5 (x⁵ of raw data spans
    orders of magnitude); the weights are then in units of standard deviations of each feature.
    """

    def __init__(self, X_train: np.ndarray, degree: int) -> None:
        self.mean, self.scale = _moments(X_train)
        self.poly = PolynomialFeatures(degree, include_bias=False).fit(self._z(X_train))
        self.mean2, self.scale2 = _moments(self.poly.transform(self._z(X_train)))

    def _z(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean) / self.scale

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return (self.poly.transform(self._z(X)) - self.mean2) / self.scale2  # (n, p)

    def names(self, base: tuple[str, ...]) -> list[str]:
        return [str(name) for name in self.poly.get_feature_names_out(list(base))]


def _moments(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = A.std(axis=0)
    return A.mean(axis=0), np.where(sd > 1e-12, sd, 1.0)


def _scores(F: np.ndarray, W: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    return F @ W + b  # (n,) binary logits or (n, K)


def cross_entropy(F: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray | float) -> float:
    """Mean cross-entropy (no penalty term), computed stably from the logits."""
    z = _scores(F, W, b)
    if W.ndim == 1:
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    return float(-np.mean(log_softmax(z, axis=1)[np.arange(y.size), y]))


def _predict_proba(F: np.ndarray, W: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """(n, K) class probabilities (K = 2 for the binary model)."""
    z = _scores(F, W, b)
    if W.ndim == 1:
        p1 = expit(z)
        return np.column_stack([1.0 - p1, p1])
    return softmax(z, axis=1)


def _loss_caption(epoch: int, epochs: int, before: float, after: float, batches: int) -> str:
    change = after - before
    head = f"Epoch {epoch} of {epochs}: cross-entropy {before:.4f} → {after:.4f} ({change:+.4f})."
    steps = f"{batches} gradient step{'s' if batches != 1 else ''}"
    if change > 1e-9:
        return head + f" It rose: the {steps} overshot the minimum, so the learning rate may be too large."
    if -change < 1e-4:
        return head + f" Barely moved after {steps}: the gradient is nearly flat, the model has settled."
    if -change > 0.05:
        return head + f" A big fall: the {steps} moved the boundary towards the points it got wrong."
    return head + f" Still falling, more slowly: the {steps} are fine-tuning the boundary."


def logistic_regression(
    X: np.ndarray,
    y: np.ndarray,
    parts: Split,
    *,
    n_classes: int,
    lr: float,
    epochs: int,
    batch_size: int,
    l2: float,
    polynomial_degree: int,
    grid_size: int,
    feature_names: tuple[str, ...],
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Sigmoid (2 classes) or softmax (more) regression by mini-batch gradient descent on mean cross-entropy +
    (l2/2)‖W‖². Frames: ``init`` (zero weights), ``epoch`` (thinned to ≤ 80), then ``done`` or ``diverged``."""
    phi = FeatureMap(X[parts.train], polynomial_degree)
    F_all, grid = phi(X), make_grid(X, grid_size)
    F_grid = phi(grid.points)
    F, yt = F_all[parts.train], y[parts.train]
    n, p = F.shape
    binary = n_classes == 2
    W = np.zeros(p) if binary else np.zeros((p, n_classes))
    b: np.ndarray | float = 0.0 if binary else np.zeros(n_classes)
    target = yt.astype(float) if binary else np.eye(n_classes)[yt]  # (n,) or (n, K)
    batch = min(batch_size, n)
    batches = -(-n // batch)
    shown = set(thin(epochs + 1, MAX_EPOCH_FRAMES))

    def snapshot(kind: str, caption: str, loss: float) -> Frame:
        proba = _predict_proba(F_all, W, b)
        scores = score(y, proba.argmax(axis=1), parts, n_classes)
        grid_proba = _predict_proba(F_grid, W, b)
        state = {"weights": np.array(W, copy=True), "bias": np.array(b, copy=True) if not binary else float(b),
                 "loss": loss, **scores.state(), "epoch": epoch}
        visual = {"predicted": grid_proba.argmax(axis=1), "probability": grid_proba.max(axis=1),
                  "misclassified": scores.misclassified}
        return Frame(kind, caption, state, scores.metrics(loss=loss), visual=visual)

    epoch = 0
    loss = cross_entropy(F, yt, W, b)
    yield snapshot("init", f"All weights start at zero, so every class is equally likely: cross-entropy "
                           f"ln {n_classes} = {loss:.4f}. Gradient descent will move the boundary.", loss)
    previous = loss
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            Fb = F[rows]
            residual = _predict_proba(Fb, W, b)[:, 1] - target[rows] if binary else (
                _predict_proba(Fb, W, b) - target[rows])  # (m,) or (m, K): ∂CE/∂logits
            W = W - lr * (Fb.T @ residual / rows.size + l2 * W)
            b = b - lr * residual.mean(axis=0)
        loss = cross_entropy(F, yt, W, b)
        if not (np.isfinite(loss) and np.all(np.isfinite(W))):
            caption = (f"Epoch {epoch}: the weights blew up (cross-entropy is no longer finite). The learning "
                       f"rate {lr:g} is too large for these features: try a smaller one.")
            yield Frame("diverged", caption, {"epoch": epoch, "loss": None}, {})
            return {"diverged": True, "epoch": epoch, "train_indices": parts.train}
        if epoch in shown:
            yield snapshot("epoch", _loss_caption(epoch, epochs, previous, loss, batches), loss)
            previous = loss
    proba_grid = _predict_proba(F_grid, W, b)
    final = score(y, _predict_proba(F_all, W, b).argmax(axis=1), parts, n_classes)
    yield snapshot("done", f"Trained for {epochs} epochs: cross-entropy {loss:.4f}, {final.summary()}.", loss)
    return {
        "weights": W, "bias": b, "loss": loss, "train_accuracy": final.train_accuracy,
        "test_accuracy": final.test_accuracy, "confusion": final.confusion, "train_indices": parts.train,
        "test_indices": parts.test, "feature_names": phi.names(feature_names),
        "grid": grid_result(grid, proba_grid.argmax(axis=1), probability=proba_grid.max(axis=1)),
    }


# --------------------------------------------------------------------------------------------------------------
# Perceptron


def perceptron_updates(
    X: np.ndarray, t: np.ndarray, *, lr: float, epochs: int, order: list[np.ndarray]
) -> tuple[list[tuple[int, int, np.ndarray, float]], list[int], np.ndarray, float]:
    """Rosenblatt's rule: for each x in an epoch's order, if t(w·x + b) ≤ 0 then w += lr·t·x, b += lr·t.

    ``t`` in {−1, +1}; ``order[e]`` the rows (indices into X) visited in epoch e. Stops after the first epoch
    without an update. Returns (updates as (epoch, row, w after, b after), errors per epoch, w, b).
    """
    w, b = np.zeros(X.shape[1]), 0.0
    updates: list[tuple[int, int, np.ndarray, float]] = []
    errors: list[int] = []
    for epoch in range(epochs):
        count = 0
        for i in order[epoch]:
            if t[i] * (X[i] @ w + b) <= 0:
                w = w + lr * t[i] * X[i]
                b = b + lr * t[i]
                updates.append((epoch + 1, int(i), w, b))
                count += 1
        errors.append(count)
        if count == 0:
            break
    return updates, errors, w, b


def linearly_separable(X: np.ndarray, t: np.ndarray) -> bool:
    """Is there (w, b) with t(w·x + b) ≥ 1 for every row? A feasibility LP (HiGHS), exact up to its tolerance."""
    A = -t[:, None] * np.column_stack([X, np.ones(X.shape[0])])  # (n, d+1)
    res = linprog(np.zeros(X.shape[1] + 1), A_ub=A, b_ub=-np.ones(X.shape[0]), bounds=(None, None),
                  method="highs")
    return bool(res.status == 0)


def _perceptron_frame(
    kind: str, caption: str, X: np.ndarray, y: np.ndarray, parts: Split, grid: Grid, w: np.ndarray, b: float,
    *, misclassified: int | None, before: tuple[np.ndarray, float] | None, epoch: int,
) -> Frame:
    predicted = (X @ w + b > 0).astype(np.int64)
    scores: Scores = score(y, predicted, parts, 2)
    state = {"weights": w.copy(), "bias": float(b), "misclassified": misclassified, "epoch": epoch,
             **scores.state()}
    visual: dict[str, Any] = {"predicted": (grid.points @ w + b > 0).astype(np.int64),
                              "misclassified": scores.misclassified, "line_after": line_segment(w, b, grid.box)}
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
    """Frames: ``init``, one ``update`` per weight change (thinned evenly past 200), then ``converged`` or
    ``stopped``. Class 1 is t = +1, class 0 is t = −1."""
    t = np.where(y == 1, 1.0, -1.0)
    order = [rng.permutation(parts.train) if shuffle else parts.train for _ in range(epochs)]
    updates, errors, w, b = perceptron_updates(X, t, lr=lr, epochs=epochs, order=order)
    grid = make_grid(X, grid_size)
    zero = np.zeros(X.shape[1])
    yield _perceptron_frame("init", "The perceptron starts with w = 0 and b = 0: every point sits on the boundary, "
                            "so each one it visits counts as a mistake until the line moves.", X, y, parts, grid,
                            zero, 0.0, misclassified=None, before=None, epoch=0)
    picks = thin(len(updates), MAX_UPDATE_FRAMES)
    for rank, k in enumerate(picks):
        epoch, row, w_k, b_k = updates[k]
        w_prev, b_prev = (updates[k - 1][2], updates[k - 1][3]) if k else (zero, 0.0)
        side = "class 1 (t = +1)" if t[row] > 0 else "class 0 (t = −1)"
        skipped = "" if len(picks) == len(updates) else f" (update {k + 1} of {len(updates)}; frame {rank + 1} "\
            f"of {len(picks)} shown)"
        sign = "+" if t[row] > 0 else "−"
        caption = (f"Epoch {epoch}: point {row}, of {side}, was on the wrong side, so w ← w {sign} {lr:g}·x and "
                   f"b ← b {sign} {lr:g}: the line turns towards it{skipped}.")
        yield _perceptron_frame("update", caption, X, y, parts, grid, w_k, b_k, misclassified=row,
                                before=(w_prev, b_prev), epoch=epoch)
    converged = bool(errors) and errors[-1] == 0
    if converged:
        kind = "converged"
        caption = (f"Converged in epoch {len(errors)}: a full pass over the training points without a mistake "
                   f"after {len(updates)} updates. The data is linearly separable, so the rule was bound to stop.")
    else:
        kind = "stopped"
        left = errors[-1] if errors else 0
        if linearly_separable(X[parts.train], t[parts.train]):
            caption = (f"Stopped after {epochs} epochs with {left} mistakes in the last one. The training data is "
                       "linearly separable, so more epochs would end with zero errors.")
        else:
            caption = (f"Stopped after {epochs} epochs, still {left} mistakes in the last one: the data is not "
                       "linearly separable (no straight line splits the classes; XOR is the classic case), so the "
                       "perceptron never converges. A multilayer perceptron can: see the neural network lab.")
    yield _perceptron_frame(kind, caption, X, y, parts, grid, w, b, misclassified=None, before=None,
                            epoch=len(errors))
    predicted_grid = (grid.points @ w + b > 0).astype(np.int64)
    final = score(y, (X @ w + b > 0).astype(np.int64), parts, 2)
    return {
        "weights": w, "bias": float(b), "errors_per_epoch": errors, "converged": converged,
        "n_updates": len(updates), "train_accuracy": final.train_accuracy, "test_accuracy": final.test_accuracy,
        "train_indices": parts.train, "test_indices": parts.test, "grid": grid_result(grid, predicted_grid),
    }
