"""The optimiser race: torch.optim's own steps on a 2-D loss surface, one frame per (thinned) step.

Each run optimises its own 2-element float64 tensor ``p`` with a torch.optim optimiser; the surface is
written in torch (``app.engines.surfaces``), so ``p.grad`` comes from autograd. What torch.optim keeps in
``optimizer.state[p]`` (SGD's ``momentum_buffer``, Adam's ``exp_avg``) is read back for the arrows.
Shapes: positions, gradients and moments are (2,); ``visual`` arrays are (runs, 2) or lists of (m, 2).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from app.engines.frame import Frame
from app.engines.surfaces import Surface

FRAME_CAP = 120  # most frames a race emits: steps are thinned evenly above this (the last always kept)
BLOW_UP = 1e6  # a run whose position leaves |x|, |y| ≤ this (or turns NaN) has diverged
ARROW = 0.09  # arrow length as a fraction of the surface box's diagonal (arrows show direction)
MOMENT_KEY = {"momentum": "momentum_buffer", "nesterov": "momentum_buffer", "adam": "exp_avg"}


@dataclass(frozen=True)
class RunSpec:
    """One racer: ``optimizer`` (sgd | momentum | nesterov | adagrad | rmsprop | adam), its ``lr`` and
    its own settings (``momentum``, ``alpha``, ``eps``, ``betas``), already filled with defaults."""

    optimizer: str
    lr: float
    settings: dict[str, Any] = field(default_factory=dict)
    label: str = ""


def make_optimizer(spec: RunSpec, p: torch.Tensor) -> torch.optim.Optimizer:
    """torch.optim's optimiser for one racer (foreach off: one tiny tensor, the plain loop is fastest)."""
    s = spec.settings
    if spec.optimizer in ("sgd", "momentum", "nesterov"):
        return torch.optim.SGD([p], lr=spec.lr, momentum=s.get("momentum", 0.0),
                               nesterov=spec.optimizer == "nesterov", foreach=False)
    if spec.optimizer == "adagrad":
        return torch.optim.Adagrad([p], lr=spec.lr, eps=s["eps"], foreach=False)
    if spec.optimizer == "rmsprop":
        return torch.optim.RMSprop([p], lr=spec.lr, alpha=s["alpha"], eps=s["eps"], foreach=False)
    if spec.optimizer == "adam":
        return torch.optim.Adam([p], lr=spec.lr, betas=tuple(s["betas"]), eps=s["eps"], foreach=False)
    raise ValueError(f"unknown optimizer {spec.optimizer!r}")


class _Racer:
    """One optimiser's tensor, its torch.optim optimiser and everything it has visited."""

    def __init__(self, spec: RunSpec, surface: Surface, kappa: float, start: Sequence[float], noise_seed: int) -> None:
        self.spec = spec
        self.surface = surface
        self.kappa = kappa
        self.p = torch.tensor(list(start), dtype=torch.float64, requires_grad=True)
        self.opt = make_optimizer(spec, self.p)
        self.noise = torch.Generator().manual_seed(noise_seed)  # the same noise sequence for every racer
        self.points: list[np.ndarray] = []  # (2,) per step, the start first
        self.losses: list[float] = []
        self.grad = np.zeros(2)
        self.diverged_at: int | None = None
        self.why = ""
        self.sent = 0  # points already sent to the browser as path segments

    def evaluate(self, sigma: float) -> None:
        """Loss and (noisy) gradient at the current position, recorded as this step's state."""
        self.opt.zero_grad(set_to_none=False)
        loss = self.surface.formula(self.p[0], self.p[1], self.kappa)
        loss.backward()
        if sigma > 0:
            assert self.p.grad is not None
            self.p.grad.add_(torch.randn(2, generator=self.noise, dtype=torch.float64), alpha=sigma)
        point = self.p.detach().numpy().copy()
        value = float(loss.detach())
        grad = self.p.grad.numpy().copy() if self.p.grad is not None else np.zeros(2)
        if not np.isfinite(point).all() or np.abs(point).max() > BLOW_UP:
            self.diverged_at, self.why = len(self.points), f"it left the plane (|x| or |y| > {BLOW_UP:g})"
        elif not (np.isfinite(value) and np.isfinite(grad).all()):
            self.diverged_at, self.why = len(self.points), "its loss or gradient became NaN or infinite"
        else:  # points and losses stay the same length: only finite states are recorded
            self.points.append(point)
            self.losses.append(value)
            self.grad = grad

    def moment(self) -> np.ndarray | None:
        key = MOMENT_KEY.get(self.spec.optimizer)
        buf = self.opt.state.get(self.p, {}).get(key) if key else None
        return None if buf is None else buf.detach().numpy().copy()

    @property
    def active(self) -> bool:
        return self.diverged_at is None

    def state(self) -> dict[str, Any]:
        out: dict[str, Any] = {"optimizer": self.spec.optimizer, "label": self.spec.label,
                               "position": self.points[-1].copy(), "loss": self.losses[-1],
                               "gradient": self.grad.copy(), "diverged": not self.active}
        moment = self.moment()
        if moment is not None:
            out["moment"] = moment
        return out


def frame_steps(steps: int, cap: int = FRAME_CAP) -> list[int]:
    """The steps that get a frame: all of 0..steps, or ``cap`` + 1 evenly spaced ones (0 and steps kept)."""
    if steps <= cap:
        return list(range(steps + 1))
    return sorted(set(np.linspace(0, steps, cap + 1).round().astype(int).tolist()))


def _tip(origin: np.ndarray, vector: np.ndarray | None, length: float) -> np.ndarray:
    """Where an arrow from ``origin`` pointing along −vector (the way it pushes) ends; NaN when none."""
    if vector is None:
        return np.full(2, np.nan)
    norm = float(np.hypot(*vector))
    if not np.isfinite(norm) or norm == 0.0:
        return np.full(2, np.nan)
    return origin - length * vector / norm


def _fmt(v: float) -> str:
    return f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"


def _caption(step: int, steps: int, racers: list[_Racer], news: list[str], surface: Surface) -> str:
    alive = sorted((r for r in racers if r.active), key=lambda r: r.losses[-1])
    if step == 0:
        names = ", ".join(r.spec.label for r in racers)
        head = (f"{len(racers)} optimiser{'s' if len(racers) > 1 else ''} ({names}) start together at "
                f"({racers[0].points[0][0]:.3g}, {racers[0].points[0][1]:.3g}), loss {_fmt(racers[0].losses[0])}.")
        return head + (" Arrows: −gradient (solid) and the momentum / first moment torch.optim keeps (dashed).")
    head = f"Step {step} of {steps}: " if step < steps else f"Finished {steps} steps: "
    if alive:
        lead = alive[0]
        head += f"{lead.spec.label} leads at loss {_fmt(lead.losses[-1])}"
        if len(alive) > 1:
            head += "; then " + ", ".join(f"{r.spec.label} {_fmt(r.losses[-1])}" for r in alive[1:4])
        head += ", and the rest behind." if len(alive) > 4 else "."
    else:
        head += "every run has diverged."
    if step == steps and alive and surface.minima:
        p = alive[0].points[-1]
        near = min(surface.minima, key=lambda m: np.hypot(p[0] - m[0], p[1] - m[1]))
        gap = np.hypot(p[0] - near[0], p[1] - near[1])
        head += f" {alive[0].spec.label} ended {gap:.2g} from the minimum at ({near[0]:g}, {near[1]:g})."
    return " ".join([head, *news])


def run(
    surface: Surface,
    *,
    kappa: float,
    start: Sequence[float],
    steps: int,
    gradient_noise: float,
    runs: Sequence[RunSpec],
    rng: np.random.Generator,
) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``start``, ``step`` … and ``end``: every racer's position, loss, gradient (and moment)."""
    noise_seed = int(rng.integers(2**31))
    racers = [_Racer(spec, surface, kappa, start, noise_seed) for spec in runs]
    x0, x1, y0, y1 = surface.box
    length = ARROW * float(np.hypot(x1 - x0, y1 - y0))
    keep = set(frame_steps(steps))
    previous = [float("nan")] * len(racers)  # loss at the previous frame, for "went up" news
    news: list[str] = []
    for step in range(steps + 1):
        for racer in racers:
            if not racer.active:
                continue
            racer.evaluate(gradient_noise)
            if not racer.active:
                news.append(f"{racer.spec.label} diverged at step {step}: {racer.why}; try a smaller lr "
                            "(the others go on).")
            elif step < steps:
                racer.opt.step()
        if step not in keep:
            continue
        for i, racer in enumerate(racers):
            if racer.active and step > 0 and racer.losses[-1] > previous[i] * (1 + 1e-9) + 1e-12:
                news.append(f"{racer.spec.label}'s loss went up ({_fmt(previous[i])} → {_fmt(racer.losses[-1])}): "
                            "it overshot.")
            previous[i] = racer.losses[-1]
        yield _frame(step, steps, racers, news[:3], surface, length)
        news = []
    return {
        "paths": [{"optimizer": r.spec.optimizer, "label": r.spec.label, "lr": r.spec.lr,
                   "points": np.array(r.points), "losses": np.array(r.losses), "diverged": not r.active}
                  for r in racers],
        "minima": [list(m) for m in surface.minima],
    }


def _frame(step: int, steps: int, racers: list[_Racer], news: list[str], surface: Surface,
           length: float) -> Frame:
    kind = "start" if step == 0 else "end" if step == steps else "step"
    heads = np.array([r.points[-1] for r in racers])  # (runs, 2)
    segments, loss_segments = [], []
    for r in racers:  # what each racer visited since the last frame: (m, 2) points and (m,) losses
        segments.append(np.array(r.points[r.sent:]).reshape(-1, 2))
        loss_segments.append(np.array(r.losses[r.sent:]))
        r.sent = len(r.points)
    visual = {
        "heads": heads,
        "grad_tips": np.array([_tip(r.points[-1], r.grad, length) for r in racers]),
        "moment_tips": np.array([_tip(r.points[-1], r.moment(), length) for r in racers]),
        "segments": segments,
        "loss_segments": loss_segments,
    }
    losses = [r.losses[-1] for r in racers if r.active] or [r.losses[-1] for r in racers]
    state = {"step": step, "runs": [r.state() for r in racers]}
    return Frame(kind, _caption(step, steps, racers, news, surface), state, {"best_loss": min(losses)}, visual)


# ---------------------------------------------------------------- gradient descent on linear regression
# Model ŷ = X·w + b, loss MSE = mean((ŷ − y)²), gradient ∇w = 2/m·Xᵀr, ∇b = 2/m·Σr over the m rows of a
# batch (r = ŷ − y). NumPy by hand: the lab is the update rule itself (tested against lstsq and one step).

GD_FRAME_CAP = 150  # most frames of a gradient-descent run (ticks evenly spaced in epochs)
GD_SEGMENT_CAP = 60  # most path points one frame adds per variant (long SGD stretches are thinned)
GD_BLOW_UP = 1e12


def scale(X: np.ndarray, how: str) -> np.ndarray:
    """X (n, d) scaled column-wise: none | minmax (to [0, 1]) | standardize (mean 0, sd 1); constant columns kept."""
    if how == "minmax":
        lo, span = X.min(axis=0), np.ptp(X, axis=0)
        return (X - lo) / np.where(span > 0, span, 1.0)
    if how == "standardize":
        sd = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return X.copy()


def least_squares(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """The exact minimiser of the MSE (NumPy lstsq on [X, 1]): w (d,), b."""
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    return theta[:-1], float(theta[-1])


def mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    r = X @ w + b - y
    return float(r @ r) / len(y)


def learning_rate(lr: float, schedule: str, epoch: int, decay_rate: float, drop: float, step_every: int) -> float:
    """The rate used throughout epoch ``epoch`` (0-based)."""
    if schedule == "step":
        return lr * drop ** (epoch // step_every)
    if schedule == "inverse-time":
        return lr / (1.0 + decay_rate * epoch)
    if schedule == "exponential":
        return lr * float(np.exp(-decay_rate * epoch))
    return lr


def gd_updates(X: np.ndarray, y: np.ndarray, batch: int, rates: list[float],
               rng: np.random.Generator) -> Generator[tuple[float, np.ndarray, float], None, None]:
    """(progress in epochs, w, b) after every update; rows reshuffled each epoch unless batch = n."""
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for epoch, lr in enumerate(rates):
        order = np.arange(n) if batch >= n else rng.permutation(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            Xb = X[idx]
            r = Xb @ w + b - y[idx]  # (m,)
            w = w - lr * (2.0 / len(idx)) * (Xb.T @ r)
            b = b - lr * (2.0 / len(idx)) * float(r.sum())
            yield epoch + min(start + batch, n) / n, w, b


class _Variant:
    def __init__(self, name: str, X: np.ndarray, y: np.ndarray, batch: int, rates: list[float],
                 rng: np.random.Generator) -> None:
        self.name, self.X, self.y = name, X, y
        self.updates = gd_updates(X, y, batch, rates, rng)
        self.w, self.b = np.zeros(X.shape[1]), 0.0
        self.pending: tuple[float, np.ndarray, float] | None = next(self.updates, None)
        self.count = 0
        self.diverged = False
        self.path: list[np.ndarray] = []
        self.losses: list[float] = []

    def advance(self, until: float) -> np.ndarray:
        """Apply every update up to ``until`` epochs; returns the (k, d+1) points visited on the way."""
        seen = []
        while not self.diverged and self.pending is not None and self.pending[0] <= until + 1e-12:
            _, w, b = self.pending
            if not (np.isfinite(w).all() and np.isfinite(b)) or max(np.abs(w).max(), abs(b)) > GD_BLOW_UP:
                self.diverged = True
                break
            self.w, self.b = w, b
            self.count += 1
            seen.append(np.append(w, b))
            self.pending = next(self.updates, None)
        return np.array(seen).reshape(-1, self.X.shape[1] + 1)


def run_gd(X: np.ndarray, y: np.ndarray, *, variants: Sequence[str], batch_size: int, rates: list[float],
           scaling: str, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    """Frames at evenly spaced epoch ticks: each variant's w, b and training MSE (X already scaled)."""
    n = len(y)
    line_x = np.array([X[:, 0].min(), X[:, 0].max()])
    batches = {"batch": n, "mini-batch": min(batch_size, n), "stochastic": 1}
    racers = [_Variant(v, X, y, batches[v], rates, child) for v, child in zip(variants, rng.spawn(len(variants)),
                                                                                 strict=True)]
    w_star, b_star = least_squares(X, y)
    best = mse(X, y, w_star, b_star)
    most = max(-(-n // batches[v]) for v in variants) * len(rates)  # updates of the busiest variant
    ticks = np.linspace(0.0, len(rates), min(GD_FRAME_CAP, most) + 1)
    for k, tick in enumerate(ticks):
        segments = []
        for v in racers:
            seen = v.advance(float(tick)) if k else np.append(v.w, v.b)[None, :]
            if len(seen) > GD_SEGMENT_CAP:  # keep the last point: the path must end where the variant is
                seen = seen[np.unique(np.linspace(0, len(seen) - 1, GD_SEGMENT_CAP).round().astype(int))]
            segments.append(seen)
            v.path.append(np.append(v.w, v.b))
            v.losses.append(mse(X, y, v.w, v.b))
        state = {"epoch": float(tick), "variants": [
            {"variant": v.name, "w": v.w.copy(), "b": v.b, "loss": v.losses[-1], "updates": v.count,
             "diverged": v.diverged} for v in racers]}
        metrics = {f"{v.name} MSE": v.losses[-1] for v in racers}
        kind = "start" if k == 0 else "end" if k == len(ticks) - 1 else "update"
        # The data panel's fitted lines at its two x ends (two features: at x₂ = mean x₂): (V, 2).
        lines = np.array([v.w[0] * line_x + v.b + (v.w[1] * X[:, 1].mean() if X.shape[1] > 1 else 0.0)
                          for v in racers])
        yield Frame(kind, _gd_caption(k, float(tick), racers, best, len(rates)), state, metrics,
                    visual={"segments": segments, "lines": lines})
    return {
        "variants": [{"variant": v.name, "w": v.w, "b": v.b, "losses": np.array(v.losses),
                      "path": np.array(v.path), "updates": v.count, "diverged": v.diverged} for v in racers],
        "exact": {"w": w_star, "b": b_star, "loss": best},
        "scaling": scaling,
    }


def _gd_caption(k: int, epoch: float, racers: list[_Variant], best: float, epochs: int) -> str:
    if k == 0:
        return (f"All variants start at w = 0, b = 0 (MSE {_fmt(racers[0].losses[0])}); the least-squares "
                f"optimum has MSE {_fmt(best)}.")
    parts = []
    for v in racers:
        if v.diverged:
            parts.append(f"{v.name} diverged (try a smaller lr or scale the features)")
        else:
            parts.append(f"{v.name} {_fmt(v.losses[-1])} after {v.count} update{'s' if v.count != 1 else ''}")
    head = f"Epoch {epoch:.3g} of {epochs}: MSE " if k else ""
    return head + "; ".join(parts) + f" (optimum {_fmt(best)})."


def mse_grid(X: np.ndarray, y: np.ndarray, w_star: np.ndarray, b_star: float, n: int = 80) -> dict[str, Any]:
    """The MSE over a window holding the start (0) and the optimum: over (w, b) with one feature, over
    (w₁, w₂) at b = b* with two. Returns axes ``u`` (n,), ``v`` (n,), ``level`` (n, n) = log10(MSE − min + ε)."""
    star = np.append(w_star, b_star) if X.shape[1] == 1 else w_star[:2]  # the two plotted coordinates
    lo, hi = np.minimum(star, 0.0), np.maximum(star, 0.0)
    pad = 0.3 * np.maximum(hi - lo, 1e-3)
    u, v = np.linspace(lo[0] - pad[0], hi[0] + pad[0], n), np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)
    A = np.column_stack([X, np.ones(len(y))])  # (m, d+1)
    G, c, yy = A.T @ A / len(y), A.T @ y / len(y), float(y @ y) / len(y)
    U, V = np.meshgrid(u, v)  # (n, n)
    theta = np.zeros((n, n, A.shape[1]))
    if X.shape[1] == 1:
        theta[..., 0], theta[..., 1] = U, V
    else:
        theta[..., 0], theta[..., 1], theta[..., -1] = U, V, b_star
    z = np.einsum("ijk,kl,ijl->ij", theta, G, theta) - 2 * theta @ c + yy  # (n, n) MSE, from the Gram matrix
    eps = max(float(np.ptp(z)) * 1e-5, 1e-12)
    return {"u": u, "v": v, "level": np.log10(z - z.min() + eps), "star": star}
