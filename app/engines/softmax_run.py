"""The softmax lab's frames: one example's logits taken through softmax, the loss and its gradient, then
gradient steps on the logits.

Kinds, in order: ``logits`` → ``exp`` → ``normalise`` → ``stability`` → ``loss`` → ``log-softmax`` →
``gradient`` → ``temperature`` → ``step`` × (≤ ``MAX_STEP_FRAMES``) → ``done``. Every frame carries the whole
computation at its logits (``state``: logits, scaled, shift, exp, exp_sum, probabilities, log_probs, loss,
grad, …); ``exp``, ``normalise`` and ``stability`` add the naive (unshifted) softmax as float64 gives it, with
infinities and NaNs as ``None`` (JSON has neither) and the failure said in words (``problem``).

A gradient step is ``z ← z − lr · (p − onehot(target)) / T``: the gradient sums to 0, so the mean logit never
moves; the target's logit rises and every other falls, so the loss falls at every step.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import num, percent, plural
from app.engines import softmax as sm

MAX_STEP_FRAMES = 50
"""Most ``step`` frames one run shows; more steps than this are grouped, a few per frame (the last is shown)."""
TEMPERATURE_FACTORS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""The ``temperature`` frame's temperatures, as multiples of the run's T."""


def _vec(values: np.ndarray, digits: int = 4) -> str:
    return "[" + ", ".join(num(float(v), digits) for v in values) + "]"


def _finite_or_none(values: np.ndarray) -> list[float | None]:
    return [float(v) if math.isfinite(float(v)) else None for v in values]


def _state(s: sm.Softmax, target: int, names: Sequence[str], step: int, model: Linear | None = None) -> dict[str, Any]:
    grad = sm.grad_logits(s.probabilities, target, s.temperature)
    extra = {} if model is None else {"model": _model_state(model, grad)}
    return extra | {
        "class_names": list(names),
        "target": int(target),
        "temperature": s.temperature,
        "step": int(step),
        "logits": s.logits.copy(),
        "scaled": s.scaled.copy(),
        "shift": s.shift,
        "exp": s.exp.copy(),
        "exp_sum": s.exp_sum,
        "probabilities": s.probabilities.copy(),
        "log_probs": s.log_probs.copy(),
        "loss": sm.nll(s.log_probs, target),
        "p_target": float(s.probabilities[target]),
        "grad": grad,
    }


@dataclass(frozen=True)
class Linear:
    """A linear softmax classifier on one example: logits z = W·x + b (the "from a small model" source)."""

    weights: np.ndarray  # (K, d) W
    bias: np.ndarray  # (K,) b
    x: np.ndarray  # (d,) the example's features

    def logits(self) -> np.ndarray:
        z: np.ndarray = self.weights @ self.x + self.bias
        return z


def _model_state(model: Linear, grad: np.ndarray) -> dict[str, Any]:
    grad_w, _ = sm.grad_linear(grad, model.x)
    return {
        "features": model.x.copy(),
        "weights": model.weights.copy(),
        "bias": model.bias.copy(),
        "grad_weights": grad_w,
    }


def _naive_state(n: sm.Naive) -> dict[str, Any]:
    return {
        "exp": _finite_or_none(n.exp),
        "exp_sum": n.exp_sum if math.isfinite(n.exp_sum) else None,
        "probabilities": _finite_or_none(n.probabilities),
        "problem": n.problem,
    }


def _metrics(state: dict[str, Any]) -> dict[str, float]:
    return {"loss": float(state["loss"]), "target_probability": float(state["p_target"])}


def _frame(kind: str, caption: str, state: dict[str, Any], **extra: Any) -> Frame:
    checkpoint()  # a cancelled run stops before its next frame
    # The explanation's frames share one computation: each gets its own copies (frames never alias arrays).
    return Frame(kind=kind, caption=caption, state=copy.deepcopy({**state, **extra}), metrics=_metrics(state))


def _over(temperature: float) -> str:
    return "z" if temperature == 1.0 else "z/T"


def _e(temperature: float) -> str:
    """e^z, or e^(z/T) at another temperature."""
    return "e^z" if temperature == 1.0 else "e^(z/T)"


def _minus(w: str, m: float) -> str:
    """The exponent with m taken away: "z − 1001", or "z + 1000" for m = −1000."""
    return f"{w} − {num(m)}" if m >= 0 else f"{w} + {num(-m)}"


def _pct(p: float) -> str:
    """A probability in words: a percentage, or a tiny number, or 0 said as rounding."""
    if p == 0.0:
        return "0 (below float64's smallest number)"
    return percent(p, 1) if p >= 0.001 else num(p, 3)


def _two(a: float, b: float) -> tuple[str, str]:
    """Two numbers with enough digits to tell them apart (up to 12)."""
    for digits in range(4, 13):
        x, y = num(a, digits), num(b, digits)
        if x != y:
            return x, y
    return num(a), num(b)


def _largest_exp(n: sm.Naive, s: sm.Softmax) -> str:
    """The scaled logit whose exp goes wrong first, as "e^(1001)"."""
    i = int(np.argmax(s.scaled)) if n.problem == "overflow" else int(np.argmin(s.scaled))
    return f"e^({num(float(s.scaled[i]))})"


def _logits_caption(s: sm.Softmax, target: int, names: Sequence[str], note: str) -> str:
    k = s.logits.size
    head = (
        f"{note}Logits are raw scores, one per class: z = {_vec(s.logits)} for {plural(k, 'class')}, and the "
        f"target (the true class) is {names[target]}. "
    )
    if s.temperature == 1.0:
        return head + "Softmax turns them into probabilities in three moves: exponentiate, add up, divide."
    return head + (
        f"Each is first divided by the temperature T = {num(s.temperature)}: z/T = {_vec(s.scaled)}; softmax then "
        "exponentiates, adds up and divides."
    )


def _exp_caption(s: sm.Softmax, n: sm.Naive) -> str:
    w = _over(s.temperature)
    if n.problem == "none":
        return (
            f"Exponentiate: {_e(s.temperature)} = {_vec(n.exp)}. Every value is now positive, and a "
            f"{'logit' if s.temperature == 1.0 else 'scaled logit'} one unit higher gets an exp e ≈ 2.718 times "
            "larger, so the gaps between classes are stretched."
        )
    big = _largest_exp(n, s)
    if n.problem == "overflow":
        why = (
            f"{big} is beyond float64's largest number (about 1.8×10^308) and becomes infinity, so the naive sum is "
            "infinity and infinity / infinity is not a number"
        )
    else:
        why = (
            f"every {_e(s.temperature)} is below float64's smallest number (about 5×10^-324), even {big}, and "
            "rounds to 0, so the naive sum is 0 and 0 / 0 is not a number"
        )
    return (
        f"Exponentiate: {_e(s.temperature)} fails here: {why}. The bars show e^({_minus(w, s.shift)}) = "
        f"{_vec(s.exp)} "
        "instead (the stability frame says why that is allowed)."
    )


def _normalise_caption(s: sm.Softmax, n: sm.Naive, names: Sequence[str]) -> str:
    top = int(np.argmax(s.probabilities))
    total = n.exp_sum if n.problem == "none" else s.exp_sum
    zero = [names[j] for j in range(s.probabilities.size) if s.probabilities[j] == 0.0]
    tail = (
        "and no class gets exactly 0"
        if not zero
        else f"and {', '.join(zero)} rounds to 0 (its share is below float64's smallest number)"
    )
    return (
        f"Normalise: dividing each exp by their sum {num(total)} makes them add up to 1: p = "
        f"{_vec(s.probabilities)}. The largest logit ({names[top]}) gets the largest share, "
        f"{percent(float(s.probabilities[top]), 1)}, {tail}."
    )


def _stability_caption(s: sm.Softmax, n: sm.Naive) -> str:
    w = _over(s.temperature)
    m = num(s.shift)
    if n.problem == "none":
        diff = float(np.max(np.abs(n.probabilities - s.probabilities)))
        same = "identical to the last bit" if diff == 0 else f"the largest difference is {num(diff, 2)}"
        return (
            f"Why subtract the max: taking m = max({w}) = {m} from every scaled logit multiplies every exp, and so "
            f"their sum, by the same e^({num(-s.shift)}), which cancels in the division: p is unchanged "
            f"({same}). But now the largest exp is exactly 1, so no logits, however large, can overflow."
        )
    bad = sum(1 for p in n.probabilities if not math.isfinite(float(p)))
    k = s.logits.size
    broken = (
        f"{_e(s.temperature)} overflows to infinity and {bad} of the {k} naive probabilities "
        f"{'is' if bad == 1 else 'are'} not a number"
        if n.problem == "overflow"
        else f"every {_e(s.temperature)} underflows to 0, so all {k} naive probabilities are 0 / 0, not a number"
    )
    return (
        f"Why subtract the max: naively {broken}. Taking m = max({w}) = {m} from every scaled logit first changes "
        f"nothing mathematically (the factor e^({num(-s.shift)}) cancels between top and bottom), but now the exps "
        f"are {_vec(s.exp)}, the largest exactly 1, and p = {_vec(s.probabilities)} comes out right."
    )


def _loss_caption(s: sm.Softmax, target: int, names: Sequence[str]) -> str:
    p = float(s.probabilities[target])
    loss = sm.nll(s.log_probs, target)
    if p == 0.0:
        return (
            f"The loss is −log p[target]. Here p({names[target]}) = e^({num(-loss)}) is below float64's smallest "
            "number and rounds to 0, so −log p would be infinity; computing log p directly (log-softmax, next) "
            f"gives the loss {num(loss)}."
        )
    return (
        f"The loss is −log p[target]: p({names[target]}) = {num(p)}, so the loss is −log {num(p)} = {num(loss)}. "
        "A sure right answer (p = 1) costs 0, and the loss grows without bound as p falls towards 0."
    )


def _log_softmax_caption(s: sm.Softmax, target: int) -> str:
    loss = sm.nll(s.log_probs, target)
    p = float(s.probabilities[target])
    if p == 0.0:
        agree = "where −log p of the rounded p is infinity"
    else:
        diff = abs(-math.log(p) - loss)
        agree = (
            "exactly the number −log p gave" if diff == 0 else f"the number −log p gave up to rounding ({num(diff, 2)})"
        )
    w = _over(s.temperature)
    return (
        f"Log-softmax computes log p in one stable step: {w} − m − log Σ e^({w} − m) = {_vec(s.log_probs)}. "
        f"NLL picks the target's entry and negates it: {num(loss)}, {agree}. Log-softmax then NLL is exactly "
        "what cross-entropy does."
    )


def _gradient_caption(s: sm.Softmax, target: int, names: Sequence[str]) -> str:
    grad = sm.grad_logits(s.probabilities, target, s.temperature)
    p = s.probabilities
    pt = num(float(p[target]))
    expr = f"{pt} − 1" if s.temperature == 1.0 else f"({pt} − 1)/{num(s.temperature)}"
    others = [j for j in range(p.size) if j != target]
    worst = max(others, key=lambda j: float(p[j]))
    return (
        f"The gradient ∂loss/∂z = (p − onehot(target)){'' if s.temperature == 1.0 else ' / T'}: the target "
        f"{names[target]} gets {expr} = {num(float(grad[target]))} (negative: a step "
        f"raises its logit); every other class gets its own {'p' if s.temperature == 1.0 else 'p/T'} (positive: its "
        "logit goes down, most for the likeliest "
        f"wrong class, {names[worst]}, at {num(float(grad[worst]))}). The entries sum to 0."
    )


def _temperature_caption(z: np.ndarray, temperature: float, probs: np.ndarray, names: Sequence[str]) -> str:
    top = int(np.argmax(z))
    lo_t, hi_t = temperature * TEMPERATURE_FACTORS[0], temperature * TEMPERATURE_FACTORS[-1]
    k = z.size
    return (
        f"The same logits at other temperatures: the top class ({names[top]}) gets {_pct(float(probs[0, top]))} "
        f"at T = {num(lo_t)} and {_pct(float(probs[-1, top]))} at T = {num(hi_t)} (a tie would be 1/{k} = "
        f"{percent(1 / k, 1)} each). A small T stretches the gaps (sharper), a large T shrinks them (softer); the "
        "order of the classes never changes."
    )


def _step_caption(
    first: int,
    last: int,
    total: int,
    lr: float,
    before: dict[str, Any],
    after: dict[str, Any],
    names: Sequence[str],
    linear: bool = False,
) -> str:
    t = int(after["target"])
    which = f"Step {last}" if first == last else f"Steps {first}–{last}"
    rule = "W ← W − η·(∂loss/∂z)·xᵀ, b ← b − η·∂loss/∂z (and so z = W·x + b)" if linear else "z ← z − η·∂loss/∂z"
    was, now = _two(float(before["logits"][t]), float(after["logits"][t]))
    moved = f"raised {names[t]}'s logit from {was} to {now} and lowered the others"
    if after["loss"] < before["loss"]:
        change = f"the loss fell from {num(before['loss'])} to {num(after['loss'])}"
    else:
        change = f"the loss stayed at {num(after['loss'])} (p is 1 to float64's precision: the gradient is 0)"
        moved = "changed nothing"
    return (
        f"{which} of {total}: {rule} with η = {num(lr)} {moved}; {change}, and p({names[t]}) is now "
        f"{_pct(after['p_target'])}."
    )


def _done_caption(total: int, first: dict[str, Any], last: dict[str, Any], names: Sequence[str]) -> str:
    t = int(last["target"])
    if total == 0:
        return (
            f"No gradient steps were asked for, so the loss stays {num(first['loss'])} at p({names[t]}) = "
            f"{_pct(first['p_target'])}."
        )
    rose = f"rose from {_pct(first['p_target'])} to" if last["p_target"] > first["p_target"] else "stayed at"
    return (
        f"After {plural(total, 'gradient step')} the loss fell from {num(first['loss'])} to {num(last['loss'])} and "
        f"p({names[t]}) {rose} {_pct(last['p_target'])}. The mean logit "
        "never moved (the gradient sums to 0), and the loss never reaches 0: that would need the target's logit "
        "infinitely far above the others."
    )


def temperature_sweep(z: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """(temperatures (m,), probabilities (m, K)) of ``z`` at ``temperature`` × ``TEMPERATURE_FACTORS``."""
    temps = np.array([temperature * f for f in TEMPERATURE_FACTORS], dtype=np.float64)
    return temps, np.stack([sm.softmax(z, float(t)).probabilities for t in temps])


def run(
    logits: np.ndarray,
    *,
    target: int,
    temperature: float,
    lr: float,
    steps: int,
    class_names: Sequence[str],
    note: str = "",
    model: Linear | None = None,
) -> Generator[Frame, None, dict[str, Any]]:
    """The lab's frames for one example (``logits`` (K,), class ``target``); returns the result.

    ``note`` (a sentence and a space, or "") begins the first caption (the source of the logits). With ``model``
    the logits are its W·x + b and the steps move W and b (∂loss/∂W = (p − onehot)/T · xᵀ), not z itself."""
    z = (model.logits() if model is not None else np.asarray(logits, dtype=np.float64)).copy()
    names = list(class_names)
    s = sm.softmax(z, temperature)
    n = sm.naive(z, temperature)
    first = _state(s, target, names, 0, model)
    naive = _naive_state(n)
    yield _frame("logits", _logits_caption(s, target, names, note), first, naive=naive)
    yield _frame("exp", _exp_caption(s, n), first, naive=naive)
    yield _frame("normalise", _normalise_caption(s, n, names), first, naive=naive)
    yield _frame("stability", _stability_caption(s, n), first, naive=naive)
    yield _frame("loss", _loss_caption(s, target, names), first)
    yield _frame("log-softmax", _log_softmax_caption(s, target), first)
    chain = (
        " For z = W·x + b the chain rule gives ∂loss/∂W = (∂loss/∂z)·xᵀ (each class's row is x times its entry) and "
        "∂loss/∂b = ∂loss/∂z."
        if model is not None
        else ""
    )
    yield _frame("gradient", _gradient_caption(s, target, names) + chain, first)
    temps, probs = temperature_sweep(z, temperature)
    yield _frame(
        "temperature",
        _temperature_caption(z, temperature, probs, names),
        first,
        temperatures=temps,
        probabilities_by_temperature=probs,
    )
    losses = [float(first["loss"])]
    every = max(1, math.ceil(steps / MAX_STEP_FRAMES))
    current, shown_from, before = first, 1, first
    for step in range(1, steps + 1):
        checkpoint()
        if model is None:
            z = z - lr * current["grad"]
        else:
            grad_w, grad_b = sm.grad_linear(current["grad"], model.x)
            model = Linear(model.weights - lr * grad_w, model.bias - lr * grad_b, model.x)
            z = model.logits()
        current = _state(sm.softmax(z, temperature), target, names, step, model)
        losses.append(float(current["loss"]))
        if step % every == 0 or step == steps:
            caption = _step_caption(shown_from, step, steps, lr, before, current, names, model is not None)
            yield _frame("step", caption, current)
            shown_from, before = step + 1, current
    yield _frame("done", _done_caption(steps, first, current, names), current)
    return {
        "steps": int(steps),
        "initial_loss": float(first["loss"]),
        "final_loss": float(current["loss"]),
        "losses": np.asarray(losses),
        "final_logits": current["logits"].copy(),
        "final_probabilities": current["probabilities"].copy(),
    }
