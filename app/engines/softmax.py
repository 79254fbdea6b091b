"""Softmax, log-softmax, negative log-likelihood and their gradient, by hand in NumPy float64.

The point of the lab is to show every intermediate number, so nothing here calls a library softmax: the
tests compare each function with ``torch.softmax``, ``torch.log_softmax``, ``F.nll_loss``, ``F.cross_entropy``
and autograd's gradient in float64 (to 1e-12).

Shapes: ``z`` (K,) logits of one example, ``t`` the target class index, ``T`` > 0 the temperature. Every
function divides by ``T`` first (``s = z / T``, the scaled logits), then:

* stable softmax: ``p = exp(s − max s) / Σ exp(s − max s)``;
* naive softmax: ``exp(s) / Σ exp(s)``, which overflows (``exp(710) = inf``) or underflows (``exp(−746) = 0``)
  in float64; ``naive`` reports what it gives, inf and NaN included, for the stability frame to say in words;
* log-softmax: ``s − max s − log Σ exp(s − max s)`` (finite for every finite ``s``);
* NLL / cross-entropy: ``−log_softmax(s)[t]``;
* ∂loss/∂z = ``(p − onehot(t)) / T``; for logits ``z = W·x + b``: ∂/∂W = ``outer(∂loss/∂z, x)``, ∂/∂b = ∂loss/∂z.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOAT64_MAX = float(np.finfo(np.float64).max)
"""≈ 1.8 × 10^308: the largest float64; exp(s) overflows to infinity for s above log of it (≈ 709.78)."""
EXP_OVERFLOW_AT = float(np.log(FLOAT64_MAX))


@dataclass(frozen=True)
class Softmax:
    """Every intermediate of the stable softmax of one logit vector at one temperature (arrays (K,))."""

    logits: np.ndarray  # z
    temperature: float  # T
    scaled: np.ndarray  # s = z / T
    shift: float  # max s, subtracted before exp
    exp: np.ndarray  # exp(s − shift), each in (0, 1], the largest exactly 1
    exp_sum: float  # Σ exp(s − shift) ≥ 1
    probabilities: np.ndarray  # p = exp / exp_sum
    log_probs: np.ndarray  # log p = s − shift − log exp_sum


@dataclass(frozen=True)
class Naive:
    """The naive softmax exp(s) / Σ exp(s) in float64, as it comes out (inf / NaN included)."""

    exp: np.ndarray  # (K,) exp(s): inf where s > ≈ 709.78, 0 where s < ≈ −745
    exp_sum: float  # inf when any exp overflowed (or the sum did), 0 when all underflowed
    probabilities: np.ndarray  # (K,) exp / exp_sum: NaN for inf/inf and 0/0

    @property
    def problem(self) -> str:
        """The naive result in one word: "none" when the naive probabilities are all numbers, else
        "overflow" (an exp or the sum is infinite) or "underflow" (every exp rounded to 0)."""
        if not np.isfinite(self.exp_sum):
            return "overflow"
        if self.exp_sum == 0.0:
            return "underflow"
        return "none" if np.isfinite(self.probabilities).all() else "overflow"


def scaled(z: np.ndarray, temperature: float) -> np.ndarray:
    return np.asarray(z, dtype=np.float64) / float(temperature)


def softmax(z: np.ndarray, temperature: float = 1.0) -> Softmax:
    """The stable softmax of ``z / temperature`` with its intermediates."""
    z = np.asarray(z, dtype=np.float64).copy()
    s = scaled(z, temperature)
    shift = float(s.max())
    e = np.exp(s - shift)
    total = float(e.sum())
    return Softmax(
        logits=z,
        temperature=float(temperature),
        scaled=s,
        shift=shift,
        exp=e,
        exp_sum=total,
        probabilities=e / total,
        log_probs=s - shift - np.log(total),
    )


def naive(z: np.ndarray, temperature: float = 1.0) -> Naive:
    """exp(s) / Σ exp(s) with no shift: what float64 gives (no warnings; inf and NaN kept)."""
    s = scaled(z, temperature)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(s)
        total = e.sum()
        p = e / total
    return Naive(exp=e, exp_sum=float(total), probabilities=p)


def log_softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    return softmax(z, temperature).log_probs


def nll(log_probs: np.ndarray, target: int) -> float:
    """The negative log-likelihood of one example: −log p[target] read off the log-probabilities."""
    return float(-np.asarray(log_probs)[target])


def cross_entropy(z: np.ndarray, target: int, temperature: float = 1.0) -> float:
    """Cross-entropy of logits ``z`` (at ``temperature``) against the class ``target``: NLL of log-softmax."""
    return nll(log_softmax(z, temperature), target)


def one_hot(k: int, target: int) -> np.ndarray:
    out = np.zeros(k, dtype=np.float64)
    out[target] = 1.0
    return out


def grad_logits(probabilities: np.ndarray, target: int, temperature: float = 1.0) -> np.ndarray:
    """∂ cross-entropy / ∂z = (p − onehot(target)) / T (K,): it sums to 0; only the target's entry is negative."""
    p = np.asarray(probabilities, dtype=np.float64)
    grad: np.ndarray = (p - one_hot(p.size, target)) / float(temperature)
    return grad


def grad_linear(grad_z: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For logits z = W·x + b: (∂loss/∂W (K, d) = outer(∂loss/∂z, x), ∂loss/∂b (K,) = ∂loss/∂z)."""
    g = np.asarray(grad_z, dtype=np.float64)
    return np.outer(g, np.asarray(x, dtype=np.float64)), g.copy()
