"""The optimiser race: torch.optim's own steps on a 2-D loss surface, one frame per (thinned) step.

Each run optimises its own 2-element float64 tensor ``p`` with a torch.optim optimiser; the surface is
written in torch (``app.engines.surfaces``), so ``p.grad`` comes from autograd. What torch.optim keeps in
``optimizer.state[p]`` (SGD's ``momentum_buffer``, Adam's ``exp_avg``) is read back for the arrows.
Shapes: positions, gradients and moments are (2,); ``visual`` arrays are (runs, 2) or lists of (m, 2).

Speed (the race at defaults is 6 × 500 steps; a whole run ≤ 1 s): per step, one autograd graph evaluates
every racer still running (their tensors stacked: one forward and one backward instead of six, with the same
elementwise arithmetic, so the same bits), and each optimiser's ``step`` body runs without the per-call
profiling and hook wrappers ``Optimizer.step`` adds (``_raw_step``).

Gradient descent on regression data lives in ``app.engines.gradient_descent`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, percent, plural
from app.engines.gradient_descent import (  # noqa: F401  (re-exported: the lab and tests import them from here)
    GD_BLOW_UP,
    GD_FRAME_CAP,
    GD_SEGMENT_CAP,
    gd_updates,
    learning_rate,
    least_squares,
    mse,
    mse_grid,
    run_gd,
    scale,
)
from app.engines.race_outcome import Ending, end_notes, point, settle
from app.engines.surfaces import Surface

FRAME_CAP = 120  # most frames a race emits: steps are thinned evenly above this (the last always kept)
BLOW_UP = 1e6  # a run whose position leaves |x|, |y| ≤ this (or turns NaN) has stopped
ARROW = 0.09  # arrow length as a fraction of the surface box's diagonal (arrows show direction)
MOMENT_KEY = {"momentum": "momentum_buffer", "nesterov": "momentum_buffer", "adam": "exp_avg"}
CARRIES = {"momentum", "nesterov", "adam"}  # optimisers whose step carries speed from earlier gradients
REL_RISE = 0.05  # a rise between two frames is news only above 5 % of the loss (1e-9 rises are rounding) ...
ABS_RISE = 1e-9  # ... and above this × max(1, |start loss|) (a loss near 0 can't make 5 % of nothing news)
COOLDOWN = 10  # frames before the same racer's rise is told again (an oscillation is one story, not 40)


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
        return torch.optim.SGD(
            [p], lr=spec.lr, momentum=s.get("momentum", 0.0), nesterov=spec.optimizer == "nesterov", foreach=False
        )
    if spec.optimizer == "adagrad":
        return torch.optim.Adagrad([p], lr=spec.lr, eps=s["eps"], foreach=False)
    if spec.optimizer == "rmsprop":
        return torch.optim.RMSprop([p], lr=spec.lr, alpha=s["alpha"], eps=s["eps"], foreach=False)
    if spec.optimizer == "adam":
        return torch.optim.Adam([p], lr=spec.lr, betas=tuple(s["betas"]), eps=s["eps"], foreach=False)
    raise ValueError(f"unknown optimizer {spec.optimizer!r}")


def _raw_step(opt: torch.optim.Optimizer) -> Callable[[], object]:
    """``opt.step()`` without its wrappers: torch.optim's own update (the class's ``step`` body), run under
    ``no_grad`` as ``Optimizer.step`` runs it for a non-differentiable optimiser.

    ``Optimizer.step`` is wrapped twice (``functools.wraps``, so ``__wrapped__`` leads to the body): a profiler
    ``record_function`` plus the step hooks (none are registered here), and a grad-mode switch with two dynamo
    graph breaks. For one 2-element tensor those cost as much as the update itself (3,000 steps a race).
    """
    body: Any = type(opt).step
    while hasattr(body, "__wrapped__"):
        body = body.__wrapped__
    step: Callable[[torch.optim.Optimizer], object] = body

    def run() -> object:
        with torch.no_grad():
            return step(opt)

    return run


class _Racer:
    """One optimiser's tensor, its torch.optim optimiser and everything it has visited."""

    def __init__(self, spec: RunSpec, surface: Surface, kappa: float, start: Sequence[float], noise_seed: int) -> None:
        self.spec = spec
        self.surface = surface
        self.kappa = kappa
        self.p = torch.tensor(list(start), dtype=torch.float64, requires_grad=True)
        self.opt = make_optimizer(spec, self.p)
        self.step = _raw_step(self.opt)
        self.noise = torch.Generator().manual_seed(noise_seed)  # the same noise sequence for every racer
        self.points: list[np.ndarray] = []  # (2,) per step, the start first
        self.losses: list[float] = []
        self.grad = np.zeros(2)  # the gradient torch.optim used (noise included)
        self.clean = np.zeros(2)  # the surface's own gradient at the last point (no noise)
        self.outcome = "running"  # then: diverged | unbounded (stopped early), or what `settle` finds at the end
        self.stopped_at: int | None = None
        self.note = ""  # the sentence that told how it stopped early
        self.ending: Ending | None = None  # how it ended, when it ran all its steps
        self.sent = 0  # points already sent to the browser as path segments
        # Loss rises since the last frame, split by the step's direction: a step that started downhill along
        # the surface's own slope and still ended higher went past the low point (overshoot); one that started
        # uphill was pushed there (by gradient noise or carried momentum).
        self.overshoot_rise = 0.0
        self.uphill_rise = 0.0
        self.last_rise_note = -COOLDOWN

    def evaluate(self, sigma: float, step: int) -> None:
        """Loss and (noisy) gradient at the current position, recorded as this step's state."""
        evaluate([self], sigma, step)

    def record(self, value: float, sigma: float, step: int) -> None:
        """Record this step's state once autograd has put the loss's gradient in ``p.grad``: add the gradient
        noise, and stop the racer if it left the plane or overflowed."""
        assert self.p.grad is not None
        clean = self.p.grad.numpy().copy()
        if sigma > 0:
            self.p.grad.add_(torch.randn(2, generator=self.noise, dtype=torch.float64), alpha=sigma)
        where = self.p.detach().numpy().copy()
        grad = self.p.grad.numpy().copy()
        if not np.isfinite(where).all() or np.abs(where).max() > BLOW_UP:
            self._stop(step, value, f"it left the plane (|x| or |y| > {num(BLOW_UP)})")
        elif not (np.isfinite(value) and np.isfinite(grad).all()):
            self._stop(step, value, "its loss or gradient overflowed")
        else:  # points and losses stay the same length: only finite states are recorded
            if self.points and value > self.losses[-1]:
                slope = float(self.clean @ (where - self.points[-1]))  # f's own slope along the step taken
                if slope < 0:
                    self.overshoot_rise += value - self.losses[-1]
                else:
                    self.uphill_rise += value - self.losses[-1]
            self.points.append(where)
            self.losses.append(value)
            self.grad, self.clean = grad, clean

    def _stop(self, step: int, value: float, why: str) -> None:
        """The run leaves the race: either the loss fell without bound (a surface with no minimum in that
        direction: nothing is wrong with the lr) or the steps blew up (true divergence)."""
        self.stopped_at = step
        label, losses = self.spec.label, self.losses
        falling = (
            self.surface.lowest is None
            and len(losses) > 1
            and losses[-1] < losses[0]
            and losses[-1] <= min(losses[-5:])
            and not value > losses[-1]
        )
        if falling:
            self.outcome = "unbounded"
            self.note = (
                f"{label} fell without bound: its loss went from {num(losses[0], 3)} down to "
                f"{num(losses[-1], 3)} and kept falling until {why} at step {step}. The surface has no "
                "minimum in that direction (f → −∞); that is not divergence, and no lr would stop it."
            )
            return
        self.outcome = "diverged"
        low = min(range(len(losses)), key=losses.__getitem__)
        rise = (
            f" after its loss rose from {num(losses[low], 3)} (step {low}) to {num(losses[-1], 3)}"
            if losses[-1] > losses[low]
            else ""
        )
        lengths = np.hypot(*np.diff(np.array(self.points), axis=0).T) if len(self.points) > 1 else np.zeros(0)
        grew = (
            f" and its steps grew from {num(lengths[0], 2)} to {num(lengths[-1], 2)} long"
            if len(lengths) > 1 and lengths[-1] > 2 * lengths[0]
            else ""
        )
        self.note = (
            f"{label} diverged at step {step}: {why}{rise}{grew}. Its lr {num(self.spec.lr, 3)} is too "
            "large for the curvature it met; try a smaller lr (the others go on)."
        )

    def moment(self) -> np.ndarray | None:
        key = MOMENT_KEY.get(self.spec.optimizer)
        buf = self.opt.state.get(self.p, {}).get(key) if key else None
        return None if buf is None else buf.detach().numpy().copy()

    @property
    def active(self) -> bool:
        return self.stopped_at is None

    def rise_note(self, before: float, frame: int, sigma: float, scale_: float) -> str | None:
        """A sentence when the loss rose meaningfully since the last frame (loss ``before``), with its cause."""
        after = self.losses[-1]
        over, uphill = self.overshoot_rise, self.uphill_rise
        self.overshoot_rise = self.uphill_rise = 0.0
        if after - before <= REL_RISE * max(abs(before), abs(after)) + ABS_RISE * scale_:
            return None
        if frame - self.last_rise_note < COOLDOWN:
            return None
        self.last_rise_note = frame
        head = f"{self.spec.label}'s loss rose {num(before, 3)} → {num(after, 3)}"
        if before > 0:
            head += f" (×{num(after / before, 2)})" if after >= 2 * before else f" (+{percent(after / before - 1)})"
        carries = self.spec.optimizer in CARRIES
        if over >= uphill and carries:
            cause = "the speed it carries took it past the valley floor and up the far side: it overshot"
        elif over >= uphill and sigma > 0:  # the noise lengthens and turns the steps: no claim about the lr
            cause = (
                f"its noisy steps (σ = {num(sigma, 3)}) went past the lowest point along their direction and "
                "up the far side"
            )
        elif over >= uphill:  # a clean step that started downhill and ended higher: too long for the curvature
            cause = (
                "its steps went past the lowest point along their direction and up the far side: it "
                f"overshot (lr {num(self.spec.lr, 3)} is long for the curvature here)"
            )
        elif sigma > 0 and carries:  # the noise and the carried speed both act: no claim which one did it
            cause = f"the gradient noise (σ = {num(sigma, 3)}) and the speed it carries took its steps uphill"
        elif sigma > 0:  # without momentum a clean step always starts downhill: the noise turned it
            cause = f"the gradient noise (σ = {num(sigma, 3)}) pointed its steps uphill"
        else:
            cause = (
                "the speed it carries took it past the valley floor and now up the far side, against the "
                "gradient, until the gradient turns it round: momentum overshoots"
            )
        return f"{head}: {cause}."

    def state(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "optimizer": self.spec.optimizer,
            "label": self.spec.label,
            "position": self.points[-1].copy(),
            "loss": self.losses[-1],
            "gradient": self.grad.copy(),
            "diverged": self.outcome == "diverged",
            "outcome": self.outcome,
        }
        moment = self.moment()
        if moment is not None and np.isfinite(moment).all():
            out["moment"] = moment
        return out


def evaluate(racers: Sequence[_Racer], sigma: float, step: int) -> None:
    """Loss and (noisy) gradient of every racer at its current position, recorded as this step's state.

    All racers share a surface and κ, so one graph serves them all: their tensors stacked (m, 2), the formula
    on the two columns (m,), one backward. The formula is elementwise, so each racer's loss and gradient are
    the same numbers as from its own graph: the same operations on the same operands (for m ≤ 7 torch's CPU
    kernels even take the same scalar path as for a 0-d tensor; the race has at most 6 racers), and nothing
    mixes rows. ``p.grad`` is zeroed in place first, as ``zero_grad(set_to_none=False)`` does.
    """
    if not racers:
        return
    surface, kappa = racers[0].surface, racers[0].kappa
    for racer in racers:
        if racer.p.grad is not None:
            racer.p.grad.zero_()
    points = torch.stack([racer.p for racer in racers])  # (m, 2), each row tied to its racer's leaf
    losses = surface.formula(points[:, 0], points[:, 1], kappa)  # (m,)
    torch.autograd.backward(losses, torch.ones_like(losses))  # ∂(Σ losses)/∂p_i = ∂loss_i/∂p_i
    for racer, value in zip(racers, losses.detach().tolist(), strict=True):
        racer.record(value, sigma, step)


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


def _caption(step: int, steps: int, racers: list[_Racer], news: list[str], covers: int) -> str:
    alive = sorted((r for r in racers if r.active), key=lambda r: r.losses[-1])
    if step == 0:
        names = ", ".join(r.spec.label for r in racers)
        frames = f" Each frame covers about {plural(covers, 'step')}." if covers > 1 else ""
        return (
            f"{plural(len(racers), 'optimiser')} ({names}) start together at {point(racers[0].points[0])}, "
            f"loss {num(racers[0].losses[0], 3)}. Arrows: −gradient (solid) and the momentum / first moment "
            f"torch.optim keeps (dotted).{frames}"
        )
    head = f"Step {step} of {steps}: " if step < steps else f"Finished {plural(steps, 'step')}: "
    if alive:
        lead = alive[0]
        head += f"{lead.spec.label} leads at loss {num(lead.losses[-1], 3)}"
        if len(alive) > 1:
            head += "; then " + ", ".join(f"{r.spec.label} {num(r.losses[-1], 3)}" for r in alive[1:4])
        head += ", and the rest behind." if len(alive) > 4 else "."
    else:
        head += "no optimiser is still on the plane."
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
    kept = frame_steps(steps)
    keep = set(kept)
    covers = round(steps / (len(kept) - 1))
    previous = [float("nan")] * len(racers)  # loss at the previous frame, for the rise news
    news: list[str] = []
    frame = 0
    for step in range(steps + 1):
        checkpoint()  # a long race stops here when its client has gone or its budget is spent
        running = [racer for racer in racers if racer.active]
        evaluate(running, gradient_noise, step)
        for racer in running:
            if not racer.active:
                news.append(racer.note)
            elif step < steps:
                racer.step()
        if step not in keep:
            continue
        for i, racer in enumerate(racers):
            if racer.active and step > 0:
                note = racer.rise_note(previous[i], frame, gradient_noise, max(1.0, abs(racer.losses[0])))
                if note:
                    news.append(note)
            previous[i] = racer.losses[-1]
        if step == steps:
            for racer in racers:
                if racer.active:
                    racer.ending = settle(
                        racer.surface, kappa, racer.spec.label, racer.points, racer.losses, gradient_noise
                    )
                    racer.outcome = racer.ending.outcome
            news = [*news[:3], *end_notes(surface, racers)]
        yield _frame(step, steps, racers, news[:3] if step < steps else news, length, covers)
        news = []
        frame += 1
    return {
        "paths": [
            {
                "optimizer": r.spec.optimizer,
                "label": r.spec.label,
                "lr": r.spec.lr,
                "points": np.array(r.points),
                "losses": np.array(r.losses),
                "diverged": r.outcome == "diverged",
                "outcome": r.outcome,
            }
            for r in racers
        ],
        "minima": [list(m) for m in surface.minima],
    }


def _frame(step: int, steps: int, racers: list[_Racer], news: list[str], length: float, covers: int) -> Frame:
    kind = "start" if step == 0 else "end" if step == steps else "step"
    heads = np.array([r.points[-1] for r in racers])  # (runs, 2)
    segments, loss_segments = [], []
    for r in racers:  # what each racer visited since the last frame: (m, 2) points and (m,) losses
        segments.append(np.array(r.points[r.sent :]).reshape(-1, 2))
        loss_segments.append(np.array(r.losses[r.sent :]))
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
    return Frame(kind, _caption(step, steps, racers, news, covers), state, {"best_loss": min(losses)}, visual)
