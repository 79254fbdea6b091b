"""Logistic regression step by step, by gradient descent (Rosenblatt's perceptron is ``app.engines.perceptron``).

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
from scipy.special import expit, log_softmax, softmax
from sklearn.preprocessing import PolynomialFeatures

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fixed, num, percent, plural
from app.engines.boundary import Split, grid_result, make_grid, score, thin

MAX_EPOCH_FRAMES = 80
DIVERGED_LOSS = 1e6
"""A mean cross-entropy this large (it starts at ln K ≤ 2.3) only comes from weights growing without bound."""
CHECK_EVERY = 8
"""Mini-batches of logistic regression between two ``checkpoint()`` calls (≤ 0.5 ms of steps at batch size 1)."""


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
        return np.asarray((X - self.mean) / self.scale)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return np.asarray((self.poly.transform(self._z(X)) - self.mean2) / self.scale2)  # (n, p)

    def names(self, base: tuple[str, ...]) -> list[str]:
        return [str(name) for name in self.poly.get_feature_names_out(list(base))]


def _moments(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = A.std(axis=0)
    return A.mean(axis=0), np.where(sd > 1e-12, sd, 1.0)


def _scores(F: np.ndarray, W: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    return np.asarray(F @ W + b)  # (n,) binary logits or (n, K)


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
    return np.asarray(softmax(z, axis=1))


GRAD_TOL = 1e-3
""""Settled" means the gradient of the whole objective (mean cross-entropy + L2 term) is below this norm …"""
REL_TOL = 1e-4
"""… and the loss changed by less than this fraction over the last epoch."""


def _gradient_norm(F: np.ndarray, target: np.ndarray, W: np.ndarray, b: np.ndarray | float, l2: float) -> float:
    """‖∇‖ of mean cross-entropy + (l2/2)‖W‖² over all training rows, weights and bias together."""
    P = _predict_proba(F, W, b)
    residual = P[:, 1] - target if W.ndim == 1 else P - target  # (n,) or (n, K)
    gW = F.T @ residual / F.shape[0] + l2 * W
    gb = np.atleast_1d(residual.mean(axis=0))
    return float(np.sqrt(np.sum(gW**2) + np.sum(gb**2)))


def _epochs(first: int, last: int, epochs: int) -> str:
    return f"Epoch {last} of {epochs}" if first == last else f"Epochs {first}–{last} of {epochs}"


def _signed(change: float) -> str:
    text = num(change, 2)
    return text if text.startswith("-") or text == "0" else "+" + text


def _loss_caption(
    span: tuple[int, int],
    epochs: int,
    before: float,
    after: float,
    last_change: float,
    steps: int,
    batch: int,
    n: int,
    lr: float,
    l2: float,
    grad: float,
    norms: tuple[float, float],
    train_accuracy: float,
) -> str:
    """What the epochs since the last frame did: the loss change and its reason, with the stopping test's numbers.

    ``last_change`` is the loss change over the last epoch alone (the stopping test's); ``norms`` ‖W‖ at the
    previous frame and now."""
    change = after - before
    head = (
        f"{_epochs(*span, epochs)} ({plural(steps, 'gradient step')} on batches of {batch}): cross-entropy "
        f"{fixed(before)} → {fixed(after)} ({_signed(change)})."
    )
    rel_last = abs(last_change) / max(before, 1e-12)
    growing = norms[1] > norms[0] * 1.01
    if train_accuracy == 1.0 and growing and grad >= GRAD_TOL:
        tail = (
            " Every training point is on its right side, so the loss can still fall towards 0 by making the "
            f"weights bigger: ‖W‖ grew {num(norms[0], 3)} → {num(norms[1], 3)}."
        )
        return (
            head
            + tail
            + (
                f" The L2 penalty (l2 = {num(l2)}) will stop the growth at a finite size."
                if l2 > 0
                else " With l2 = 0 it never settles: the loss reaches 0 only as ‖W‖ → ∞."
            )
        )
    if grad < GRAD_TOL and rel_last < REL_TOL:
        return head + (
            f" Settled: the gradient is {num(grad, 2)} (below {num(GRAD_TOL)}) and the last epoch "
            f"changed the loss by under {percent(REL_TOL, 2)}, so more epochs would change almost nothing."
        )
    if change > 0:
        if batch >= n:
            return head + (
                " It rose: full-batch gradient descent only does that when the step overshoots the "
                f"minimum, so the learning rate {num(lr)} is too large for these features."
            )
        if change / max(before, 1e-12) > 0.1:
            return head + (
                f" It rose sharply: the steps overshoot the minimum, so the learning rate {num(lr)} may be too large."
            )
        return head + (
            f" It rose a little: each step follows only {batch} of the {n} points, so the loss on the "
            "whole set wobbles around its minimum; a rise this small is that noise."
        )
    per_epoch = -change / max(before, 1e-12) / (span[1] - span[0] + 1)
    if per_epoch < 1e-3 and grad > 10 * GRAD_TOL:
        return head + (
            f" Crawling: only {percent(max(per_epoch, 0.0), 2)} per epoch although the gradient is still "
            f"{num(grad, 2)}, far from settled; each step moves the weights by lr × gradient ≈ "
            f"{num(lr * grad, 2)}, so the learning rate {num(lr)} may be too small."
        )
    if -change / max(before, 1e-12) > 0.1:
        return head + " A big fall: the steps moved the boundary to fit the points it was most wrong about."
    return head + (f" Still falling, more slowly (gradient {num(grad, 2)}): the steps are fine-tuning the boundary.")


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
    check_every = CHECK_EVERY * batch  # rows between two checkpoints: every CHECK_EVERY mini-batches
    shown = set(thin(epochs + 1, MAX_EPOCH_FRAMES))

    def snapshot(kind: str, caption: str, loss: float, grad: float) -> Frame:
        proba = _predict_proba(F_all, W, b)
        scores = score(y, proba.argmax(axis=1), parts, n_classes)
        grid_proba = _predict_proba(F_grid, W, b)
        state = {
            "weights": np.array(W, copy=True),
            "bias": np.array(b, copy=True) if not binary else float(b),
            "loss": loss,
            **scores.state(),
            "epoch": epoch,
            "gradient_norm": grad,
            "weight_norm": float(np.linalg.norm(W)),
            "settled": grad < GRAD_TOL and last_rel < REL_TOL,
        }
        visual = {
            "predicted": grid_proba.argmax(axis=1),
            "probability": grid_proba.max(axis=1),
            "misclassified": scores.misclassified,
        }
        return Frame(kind, caption, state, scores.metrics(loss=loss), visual=visual)

    epoch, last_rel = 0, np.inf
    loss = cross_entropy(F, yt, W, b)
    clamp = (
        f" A batch size of {batch_size} is more than the {plural(n, 'training point')}, so every step uses all "
        f"{n} (full batch)."
        if batch_size > n
        else ""
    )
    grad = _gradient_norm(F, target, W, b, l2)
    yield snapshot(
        "init",
        f"All weights start at zero, so every class is equally likely: cross-entropy "
        f"ln {n_classes} = {fixed(loss)}. Gradient descent will move the boundary.{clamp}",
        loss,
        grad,
    )
    previous, shown_at, shown_norm, settled_at = loss, 0, 0.0, None
    for epoch in range(1, epochs + 1):
        before_epoch = loss
        order = rng.permutation(n)
        for start in range(0, n, batch):
            if start % check_every == 0:  # at batch size 1 a step is ~60 µs: a check per step would cost ~0.5 %
                checkpoint()
            rows = order[start : start + batch]
            Fb = F[rows]
            residual = (
                _predict_proba(Fb, W, b)[:, 1] - target[rows] if binary else (_predict_proba(Fb, W, b) - target[rows])
            )  # (m,) or (m, K): ∂CE/∂logits
            W = W - lr * (Fb.T @ residual / rows.size + l2 * W)
            b = b - lr * residual.mean(axis=0)
        loss = cross_entropy(F, yt, W, b)
        with np.errstate(over="ignore", invalid="ignore"):
            blown = not (
                np.isfinite(loss)
                and loss < DIVERGED_LOSS
                and np.all(np.isfinite(W))
                and np.all(np.isfinite(b))
                and np.isfinite(np.sum(np.square(W)))
            )
        if blown:
            shrink = 1 - lr * l2
            why = (
                f" With l2 = {num(l2)} each step multiplies W by 1 − lr·l2 = {num(shrink, 3)}, so the penalty "
                "itself flips and grows the weights: lower the learning rate or l2."
                if shrink < -1
                else f" The learning rate {num(lr)} is too large for these features: try a smaller one."
            )
            how = f"passed {num(DIVERGED_LOSS)}" if np.isfinite(loss) else "is no longer finite"
            caption = f"Epoch {epoch}: the weights blew up (cross-entropy {how}).{why}"
            yield Frame("diverged", caption, {"epoch": epoch, "loss": None}, {})
            return {"diverged": True, "epoch": epoch, "train_indices": parts.train}
        last_rel = abs(loss - before_epoch) / max(before_epoch, 1e-12)
        if epoch in shown or settled_at is None:
            grad = _gradient_norm(F, target, W, b, l2)
            if settled_at is None and grad < GRAD_TOL and last_rel < REL_TOL:
                settled_at = epoch
        if epoch in shown:
            accuracy = float(np.mean(_predict_proba(F, W, b).argmax(axis=1) == yt))
            norm = float(np.linalg.norm(W))
            caption = _loss_caption(
                (shown_at + 1, epoch),
                epochs,
                previous,
                loss,
                loss - before_epoch,
                batches * (epoch - shown_at),
                batch,
                n,
                lr,
                l2,
                grad,
                (shown_norm, norm),
                accuracy,
            )
            yield snapshot("epoch", caption, loss, grad)
            previous, shown_at, shown_norm = loss, epoch, norm
    proba_grid = _predict_proba(F_grid, W, b)
    final = score(y, _predict_proba(F_all, W, b).argmax(axis=1), parts, n_classes)
    if grad < GRAD_TOL and last_rel < REL_TOL:
        verdict = (
            f" It settled at epoch {settled_at}: the gradient is {num(grad, 2)}, below {num(GRAD_TOL)}."
            if settled_at is not None
            else ""
        )
    elif final.train_accuracy == 1.0 and l2 == 0:
        verdict = (
            " It has not settled and never will: every training point is classified right, so the loss "
            "keeps falling towards 0 only as the weights keep growing (add an L2 penalty to stop that)."
        )
    else:
        verdict = (
            f" It has not settled: the gradient is still {num(grad, 2)} (settled means below "
            f"{num(GRAD_TOL)}); more epochs or a larger learning rate would lower the loss further."
        )
    caption = (
        f"Trained for {plural(epochs, 'epoch', 'epochs')} ({plural(epochs * batches, 'gradient step')}): "
        f"cross-entropy {fixed(loss)}, {final.summary()}.{verdict}"
    )
    yield snapshot("done", caption, loss, grad)
    return {
        "weights": W,
        "bias": b,
        "loss": loss,
        "train_accuracy": final.train_accuracy,
        "test_accuracy": final.test_accuracy,
        "confusion": final.confusion,
        "train_indices": parts.train,
        "test_indices": parts.test,
        "feature_names": phi.names(feature_names),
        "settled_epoch": settled_at,
        "gradient_norm": grad,
        "grid": grid_result(grid, proba_grid.argmax(axis=1), probability=proba_grid.max(axis=1)),
    }
