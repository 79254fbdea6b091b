"""Captions of the GAN lab: each says where the game stands in this run's numbers (both losses against their
equilibrium values, what D says of real and generated points, the modes covered and the rule that counts them),
and names mode collapse when coverage falls or stays low."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from app.core.text import fixed, fmt_count, num, plural

LN2 = math.log(2)
LOW_SHARE = 0.5
"""Coverage at or below this share of the modes, a quarter or more into the run, is called mode collapse."""


@dataclass(frozen=True)
class Facts:
    """What every caption may name about the run."""

    loss: str
    steps: int
    d_steps: int
    every: int
    n_eval: int
    n_real: int
    latent_dim: int


@dataclass
class Story:
    """The run so far, as the captions and the result tell it: each frame's step and modes covered."""

    steps: list[int] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)
    first_all: int | None = None
    history: dict[str, list[float]] = field(
        default_factory=lambda: {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": [], "modes": []}
    )

    def see(self, step: int, modes: dict[str, Any] | None) -> tuple[int, int] | None:
        """Record a frame; returns the best coverage before it and the step it was first reached (None: no modes)."""
        best = None
        if modes is not None and self.covered:
            top = max(self.covered)
            best = (top, self.steps[self.covered.index(top)])
        self.steps.append(step)
        if modes is not None:
            self.covered.append(modes["covered"])
            self.history["modes"].append(float(modes["covered"]))
            if modes["covered"] == modes["total"] and self.first_all is None:
                self.first_all = step
        return best


def _d(value: float, loss: str) -> str:
    return fixed(value, 2) if loss != "wasserstein-gp" else fixed(value, 3)


def _rule(modes: dict[str, Any], facts: Facts) -> str:
    return (
        f"a mode counts as covered when at least {plural(modes['min_hits'], 'generated point')} of the "
        f"{fmt_count(facts.n_eval)} lie within 3σ = {fixed(modes['radius'], 2)} of its centre"
    )


def _judge(state: dict[str, Any], loss: str) -> str:
    """What D says of real and generated points, and what it would say at the game's equilibrium."""
    r, f = state["d_real"], state["d_fake"]
    if loss == "wasserstein-gp":
        return (
            f"The critic scores real points {_d(r, loss)} and generated ones {_d(f, loss)} on average: the gap "
            f"{_d(r - f, loss)} estimates the Wasserstein distance between them (0 when G matches the data)"
        )
    return (
        f"D gives real points a probability of being real of {_d(r, loss)} on average and generated ones "
        f"{_d(f, loss)} (at the game's equilibrium D(x) = 0.5 everywhere)"
    )


def _losses(state: dict[str, Any], facts: Facts, span: int) -> str:
    over = f"means over the last {plural(span, 'step')}" if span > 1 else "at this step"
    d, g = fixed(state["d_loss"], 3), fixed(state["g_loss"], 3)
    if facts.loss == "wasserstein-gp":
        return f"critic loss {d}, generator loss {g} ({over})"
    eq_g = "ln 2 ≈ 0.693" if facts.loss == "non-saturating" else "−ln 2 ≈ −0.693"
    return f"D loss {d}, G loss {g} ({over}; at the equilibrium they are 2 ln 2 ≈ 1.386 and {eq_g})"


def _arrows(state: dict[str, Any], read: dict[str, Any]) -> str:
    if read["longest"] <= 0:
        return "The generator's gradient is 0 at every sample: nothing pushes them"
    return (
        f"Arrows: −∂L_G/∂x, the way the generator's loss pushes 50 of its samples, drawn at "
        f"{fixed(state['arrows']['scale'], 3)}× their length (the longest is {fixed(read['longest'], 3)})"
    )


def _coverage(modes: dict[str, Any] | None, before: tuple[int, int] | None, step: int, facts: Facts) -> str:
    if modes is None:
        return ""
    c, k = modes["covered"], modes["total"]
    dropped = before is not None and c < before[0]
    low = step >= facts.steps / 4 and c <= LOW_SHARE * k
    head = f"All {k} modes covered" if c == k else f"{c} of {k} modes covered"
    text = f" {head}."
    if c < k and (dropped or low) and step > 0:
        if dropped and before is not None:
            text += (
                f" Mode collapse: down from {before[0]} at step {fmt_count(before[1])}, the generator crowds onto the "
                "modes D rates highest and abandons the others."
            )
        else:
            text += (
                f" Mode collapse: {plural(k - c, 'mode')} still missed a quarter or more into the run; the generator "
                "keeps making the same few kinds of point."
            )
    return text


def init(facts: Facts, state: dict[str, Any], read: dict[str, Any]) -> str:
    modes = state.get("modes")
    shading = "the critic's score D(x)" if facts.loss == "wasserstein-gp" else "D(x), the probability D says x is real"
    text = (
        f"The untrained generator turns {fmt_count(facts.n_eval)} noise vectors z ~ N(0, I) of "
        f"{plural(facts.latent_dim, 'dimension')} into the orange points; the {fmt_count(facts.n_real)} real ones are "
        f"grey. The shading is {shading}. {_judge(state, facts.loss)}."
    )
    if modes is not None:
        text += f" {modes['covered']} of {modes['total']} modes covered ({_rule(modes, facts)})."
    return f"{text} {_arrows(state, read)}."


def step(
    facts: Facts,
    state: dict[str, Any],
    read: dict[str, Any],
    before: tuple[int, int] | None,
    story: Story,
    span: int,
) -> str:
    d_each = f" ({plural(facts.d_steps, 'discriminator step')} each)" if facts.d_steps > 1 else ""
    return (
        f"Step {fmt_count(state['step'])} of {fmt_count(facts.steps)}{d_each}: {_losses(state, facts, span)}. "
        f"{_judge(state, facts.loss)}.{_coverage(state.get('modes'), before, state['step'], facts)} "
        f"{_arrows(state, read)}."
    )


def done(facts: Facts, state: dict[str, Any], read: dict[str, Any], story: Story) -> str:
    modes = state.get("modes")
    text = f"After {plural(facts.steps, 'generator step')}: {_losses(state, facts, min(facts.every, facts.steps))}. "
    text += f"{_judge(state, facts.loss)}."
    if modes is not None:
        c, k = modes["covered"], modes["total"]
        if c == k:
            since = f" (first all at step {fmt_count(story.first_all)})" if story.first_all is not None else ""
            text += f" All {k} modes are covered{since}: no mode collapse."
        else:
            best = max(story.covered)
            text += (
                f" Only {c} of {k} modes are covered (the best was {best}): mode collapse, the generator missed "
                f"{plural(k - c, 'mode')}."
            )
        text += f" The rule: {_rule(modes, facts)}."
    return text


def exploded(facts: Facts, broken: tuple[str, int, float], shown: int) -> str:
    """Training blew up: what, at which step, and what to try; the picture stays at the last sound frame."""
    what, step, value = broken
    reached = "became infinite or not a number" if not math.isfinite(value) else f"reached {num(value, 3)}"
    tips = "a smaller discriminator learning rate, Adam"
    if facts.loss == "wasserstein-gp":
        tips += ", or a larger gradient penalty"
    else:
        tips += ", or the non-saturating loss"
    return (
        f"The game blew up at step {fmt_count(step)} of {fmt_count(facts.steps)}: the {what} {reached} (past "
        f"{num(1e6)} the run stops). The picture stays at step {fmt_count(shown)}, the last sound frame. Try {tips}."
    )
