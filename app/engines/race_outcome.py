"""How each racer of the optimiser race ended, in words that are true of its last state.

At the last step every racer still on the plane is classified against the surface itself: BFGS from its
end point finds the minimum of the basin it is in (``surfaces.nearest_minimum``, kept only when it is a true
minimum inside the plot: gradient ≈ 0 and the Hessian positive); the racer is *at* that minimum when within
``NEAR`` × the box diagonal of it, and the minimum is *global* when its loss is the surface's known lowest
value (else local). A racer that is not at a minimum is still descending (its loss fell over the last tenth of
the run) or not settled (it went up and down). On the saddle (no minimum) a racer can only be at the saddle
point (gradient 0, Hessian with both signs) or still falling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from app.core.text import num, plural
from app.engines.surfaces import Surface, nearest_minimum, value_grad_hessian

NEAR = 1e-3  # "at" a minimum: within this × the surface box's diagonal
NEAR_NOISY = 1e-2  # with gradient noise: the median distance over the last tenth of the run within this × diagonal
STATIONARY = 1e-6  # ‖∇f‖ below this counts as 0 (the saddle-point and true-minimum tests)


@dataclass(frozen=True)
class Ending:
    """What a racer's last state is: ``outcome`` and the numbers that decide it."""

    outcome: str  # global minimum | local minimum | saddle point | descending | not settled
    label: str
    loss: float
    grad: float  # ‖∇f‖ at the end point
    minimum: tuple[float, float] | None = None  # the basin's minimum (where BFGS from the end point lands)
    value: float = 0.0  # f there
    dist: float = 0.0  # from the end point to it
    window: int = 0  # steps in the last tenth (the trend window)
    leaves: bool = False  # BFGS from the end point walked out of the plot (no minimum of the basin in it)


class RacerLike(Protocol):
    spec: Any
    outcome: str
    stopped_at: int | None
    ending: Ending | None


def point(p: Sequence[float] | np.ndarray) -> str:
    return f"({num(p[0], 3)}, {num(p[1], 3)})"


def _is_global(surface: Surface, value: float) -> bool:
    return surface.lowest is not None and value <= surface.lowest + 1e-6 * max(1.0, abs(surface.lowest))


def _true_minimum(surface: Surface, kappa: float, p: np.ndarray) -> tuple[tuple[np.ndarray, float] | None, bool]:
    """(the basin's minimum and f there, if BFGS found a true one inside the plot; whether BFGS left the plot —
    from Beale's plateaus the way down leads far away, to no minimum)."""
    found = nearest_minimum(surface, kappa, p)
    if found is None:
        return None, surface.lowest is not None
    where, value = found
    x0, x1, y0, y1 = surface.box
    pad = 0.1 * max(x1 - x0, y1 - y0)
    if not (x0 - pad <= where[0] <= x1 + pad and y0 - pad <= where[1] <= y1 + pad):
        return None, True
    _, grad, hess = value_grad_hessian(surface, kappa, where)
    if float(np.hypot(*grad)) > STATIONARY * max(1.0, abs(value)) * 1e3 or np.linalg.eigvalsh(hess).min() <= 0:
        return None, False
    return (where, value), False


def settle(
    surface: Surface, kappa: float, label: str, points: list[np.ndarray], losses: list[float], sigma: float = 0.0
) -> Ending:
    """How a racer that ran all its steps ended: ``points`` (steps + 1, 2), ``losses`` (steps + 1,). With gradient
    noise (``sigma`` > 0) single steps jitter, so the last tenth of the run is judged by medians, and "at" a
    minimum means a median distance within ``NEAR_NOISY`` × the diagonal."""
    p, loss = points[-1], losses[-1]
    x0, x1, y0, y1 = surface.box
    diag = float(np.hypot(x1 - x0, y1 - y0))
    _, grad, hess = value_grad_hessian(surface, kappa, p)
    g = float(np.hypot(*grad))
    window = max(1, len(losses) // 10)
    if sigma > 0 and len(losses) > 2 * window:
        now, back = float(np.median(losses[-window:])), float(np.median(losses[-2 * window : -window]))
    else:
        now, back = loss, (losses[-1 - window] if len(losses) > window else losses[0])
    trend = "descending" if now < back - 1e-12 * max(1.0, abs(back)) else "not settled"
    found, leaves = _true_minimum(surface, kappa, p)
    if found is None:
        curv = np.linalg.eigvalsh(hess)
        outcome = "saddle point" if g <= STATIONARY and curv.min() < 0 < curv.max() else trend
        return Ending(outcome, label, loss, g, window=window, leaves=leaves)
    where, value = found
    dist = float(np.hypot(*(p - where)))
    if sigma > 0:
        typical = float(np.median(np.hypot(*(np.array(points[-window:]) - where).T)))
        near = typical <= NEAR_NOISY * diag
    else:
        near = dist <= NEAR * diag
    if _is_global(surface, value) and surface.minima:  # name the known minimiser, not BFGS's 1e-17 of it
        where = np.array(min(surface.minima, key=lambda m: float(np.hypot(*(where - np.array(m))))))
    if near:
        trend = "global minimum" if _is_global(surface, value) else "local minimum"
    return Ending(trend, label, loss, g, (float(where[0]), float(where[1])), value, dist, window)


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _toward(surface: Surface, e: Ending) -> str:
    if e.minimum is None:  # (the racers whose way down leaves the plot get one sentence of their own)
        return ""
    if _is_global(surface, e.value):
        return f", {num(e.dist, 2)} from the global minimum at {point(e.minimum)}"
    return f", {num(e.dist, 2)} from the local minimum at {point(e.minimum)} (loss {num(e.value, 4)})"


def end_notes(surface: Surface, racers: Sequence[RacerLike]) -> list[str]:
    """One sentence per outcome that happened, naming the racers it happened to (in race order)."""
    endings = [r.ending for r in racers if r.ending is not None]
    lowest = "" if surface.lowest is None else num(surface.lowest, 4)
    where = " or ".join(point(m) for m in surface.minima)
    out = []
    best = [e for e in endings if e.outcome == "global minimum"]
    if best:
        several = len(surface.minima) > 1
        at = f"; this surface has {len(surface.minima)} of them" if several else f" at {where}"
        out.append(
            f"{_names([e.label for e in best])} reached the global minimum (loss {lowest}{at}): "
            + ", ".join(
                f"{e.label} loss {num(e.loss, 3)}" + (f" at {point(e.minimum)}" if several and e.minimum else "")
                for e in best
            )
            + "."
        )
    local = [e for e in endings if e.outcome == "local minimum"]
    if local:
        spots: dict[tuple[float, float], list[Ending]] = {}
        for e in local:
            assert e.minimum is not None
            spots.setdefault((round(e.minimum[0], 3), round(e.minimum[1], 3)), []).append(e)
        parts = [
            f"{_names([e.label for e in group])} at {point(spot)} (loss {num(group[0].value, 4)})"
            for spot, group in spots.items()
        ]
        out.append(
            f"Stuck in {'local minima' if len(spots) > 1 else 'a local minimum'}: {'; '.join(parts)}. The "
            f"gradient is 0 at such a dip (the {'racers end' if len(local) > 1 else 'racer ends'} with ‖∇f‖ ≤ "
            f"{num(max(e.grad for e in local), 2)}), but its loss is above the global minimum {lowest} at "
            f"{where}: gradient steps cannot climb out of a dip."
        )
    saddle = [e for e in endings if e.outcome == "saddle point"]
    if saddle:
        out.append(
            f"{_names([e.label for e in saddle])} stopped at the saddle point: the gradient is 0 there but f "
            "curves down in another direction, so it is not a minimum (a nudge would send it downhill)."
        )
    going = [e for e in endings if e.outcome == "descending"]
    if going:
        out.append(
            "Still descending when the steps ran out: "
            + "; ".join(
                f"{e.label} (loss {num(e.loss, 3)}, ‖∇f‖ = {num(e.grad, 2)}{_toward(surface, e)})" for e in going
            )
            + "."
        )
    moving = [e for e in endings if e.outcome == "not settled"]
    if moving:
        out.append(
            "Not settled: "
            + "; ".join(
                f"{e.label}'s loss (now {num(e.loss, 3)}) did not fall over the last {plural(e.window, 'step')}"
                f"{_toward(surface, e)}"
                for e in moving
            )
            + "."
        )
    away = [e.label for e in going + moving if e.leaves]
    if away:
        out.append(
            f"From where {_names(away)} {'is' if len(away) == 1 else 'are'}, the way downhill leads out of "
            "the plot, not to a minimum in it."
        )
    stopped = [
        f"{r.spec.label} {'diverged' if r.outcome == 'diverged' else 'fell without bound'} at step {r.stopped_at}"
        for r in racers
        if r.outcome in ("diverged", "unbounded")
    ]
    if stopped:
        out.append(f"Stopped early: {'; '.join(stopped)}.")
    if surface.lowest is None and (going or moving):
        out.append("This surface has no minimum, so no optimiser can converge on it.")
    return out
