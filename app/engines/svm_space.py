"""The kernel trick made visible: where the SVM's separator is flat, and the words that say so.

A kernel K(x, z) is a dot product φ(x)·φ(z) of features the SVM never computes. For the linear and polynomial
kernels (coef0 ≥ 0) φ is finite and written out here exactly, term by term, so the panel can draw the points in
φ-space with the flat separator w·φ(x) + b = 0. RBF's φ has infinitely many coordinates and the sigmoid kernel
(like poly with coef0 < 0) is not always a dot product at all: for them the panel shows what the SVM really
uses, similarities to the support vectors.

Shapes: training ``Xt`` (n, 2), ``t`` (n,) in {−1, +1}, ``alpha`` (n,); every row ``X`` (m, 2).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.text import num, plural
from app.engines.boundary import line_segment


@dataclass(frozen=True)
class Kernel:
    name: str
    gamma: float
    degree: int
    coef0: float

    def __call__(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """(len(A), len(B)) kernel values, as SVC computes them: scikit-learn's pairwise kernels' formulas (a test
        checks they agree to 1e-12), without their input checks, which cost more than the kernel on small inputs.
        The dot products are summed feature by feature rather than by BLAS: with two features that is as fast,
        and it never spawns threads on a busy machine (where a threaded 500 × 2 × 500 product took 10 ms instead
        of 0.2); the poly power is repeated multiplication rather than ``pow``."""
        A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
        dots = _dots(A, B)
        if self.name == "rbf":  # ‖a‖² + ‖b‖² − 2a·b, floored at 0 (euclidean_distances), then exp(−γ d²)
            dots *= -2.0
            dots += _dots(A, A, paired=True)[:, None]
            dots += _dots(B, B, paired=True)[None, :]
            np.maximum(dots, 0.0, out=dots)
            dots *= -self.gamma
            np.exp(dots, out=dots)
            return dots
        return self.of_dots(dots)

    def diagonal(self, A: np.ndarray) -> np.ndarray:
        """(len(A),) K(aᵢ, aᵢ), the same bits as the diagonal of ``self(A, A)`` for linear, poly and sigmoid."""
        if self.name == "rbf":
            return np.ones(A.shape[0])
        return self.of_dots(_dots(A, A, paired=True))

    def of_dots(self, dots: np.ndarray) -> np.ndarray:
        """The kernel from its dot products, in place: x·z, (γ x·z + coef0)^d or tanh(γ x·z + coef0)."""
        if self.name == "linear":
            return dots
        dots *= self.gamma
        dots += self.coef0
        if self.name == "poly":
            return _power(dots, self.degree)
        np.tanh(dots, out=dots)
        return dots


def _power(x: np.ndarray, degree: int) -> np.ndarray:
    """x**degree for a whole degree ≥ 1 by repeated squaring (``x`` may be overwritten): a few multiplications
    instead of ``pow``, 12× faster per value and within a few ulps of it."""
    result: np.ndarray | None = None
    base = x
    while degree:
        if degree & 1:
            result = base if result is None else np.multiply(result, base, out=result)
        degree >>= 1
        if degree:
            base = base * base
    assert result is not None
    return result


def _dots(A: np.ndarray, B: np.ndarray, paired: bool = False) -> np.ndarray:
    """(len(A), len(B)) dot products aᵢ·bⱼ, or (len(A),) aᵢ·bᵢ when ``paired``, summed over features in order."""
    out: np.ndarray = A[:, 0] * B[:, 0] if paired else np.multiply.outer(A[:, 0], B[:, 0])
    for d in range(1, A.shape[1]):
        out += A[:, d] * B[:, d] if paired else np.multiply.outer(A[:, d], B[:, d])
    return out


def kernel_formula(k: Kernel) -> str:
    """The kernel as the learner sets it, with its numbers."""
    g = num(k.gamma, 3)
    if k.name == "linear":
        return "K(x, z) = x·z"
    if k.name == "poly":
        c = f" + {num(k.coef0, 3)}" if k.coef0 > 0 else f" − {num(-k.coef0, 3)}" if k.coef0 < 0 else ""
        return f"K(x, z) = ({g}·x·z{c})^{k.degree}"
    if k.name == "rbf":
        return f"K(x, z) = exp(−{g}·‖x − z‖²)"
    c = f" + {num(k.coef0, 3)}" if k.coef0 > 0 else f" − {num(-k.coef0, 3)}" if k.coef0 < 0 else ""
    return f"K(x, z) = tanh({g}·x·z{c})"


def poly_terms(k: Kernel) -> list[tuple[int, float, int, int]] | None:
    """The explicit feature map of a linear or polynomial kernel as (m, s, a, b): the coordinate
    √(m·s) · x₁ᵃ x₂ᵇ, with m a whole multinomial count and s the kernel's numbers, so that φ(x)·φ(z) = K(x, z)
    exactly. None when no real map exists (a negative coefficient: poly with coef0 < 0) or no finite one does
    (rbf, sigmoid).

    (γ x·z + c)^d = Σₖ C(d, k) c^(d−k) γ^k (x·z)^k and (x·z)^k = Σₐ C(k, a) (x₁z₁)^a (x₂z₂)^(k−a)."""
    if k.name == "linear":
        return [(1, 1.0, 1, 0), (1, 1.0, 0, 1)]
    if k.name != "poly":
        return None
    terms = []
    for power in range(k.degree, -1, -1):
        s = k.coef0 ** (k.degree - power) * k.gamma**power
        if s < 0:
            return None
        for a in range(power, -1, -1):
            if s > 0:
                terms.append((math.comb(k.degree, power) * math.comb(power, a), s, a, power - a))
    return terms


def feature_map(terms: list[tuple[int, float, int, int]], A: np.ndarray) -> np.ndarray:
    """(m, len(terms)) φ(A) for the terms of ``poly_terms``."""
    return np.column_stack([math.sqrt(m * s) * A[:, 0] ** a * A[:, 1] ** b for m, s, a, b in terms])


def term_name(m: int, s: float, a: int, b: int) -> str:
    """ "0.9·√2·x₁x₂", "x₁²", "1": one coordinate of φ for a caption or an axis title."""
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    parts = [f"x{sub}{str(p).translate(sup) if p > 1 else ''}" for sub, p in (("₁", a), ("₂", b)) if p]
    root = math.isqrt(m)
    factors = [] if abs(s - 1) < 1e-12 else [num(math.sqrt(s), 3)]
    factors += [] if m == 1 else [str(root)] if root * root == m else [f"√{m}"]
    return "·".join([*factors, "".join(parts) or "1"])


def feature_space(
    k: Kernel,
    Xt: np.ndarray,
    t: np.ndarray,
    alpha: np.ndarray,
    rho: float,
    objective: float,
    f_train: np.ndarray,
    X: np.ndarray,
    train_rows: np.ndarray,
    similarity: Callable[[np.ndarray], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Where the separator is flat: ``result.feature_space`` for the kernel-trick panel.

    * ``kind = "explicit"`` (linear, poly with coef0 ≥ 0): ``names`` of the D non-constant coordinates of φ,
      ``w`` (D,) = Σ αᵢyᵢφ(xᵢ) and ``b``, so f(x) = w·φ(x) + b; ``coords`` (n, ≤3) the points drawn: φ itself when
      D ≤ 3, else (two directions the points spread most across, then the signed distance along w) — the plane is
      then ``axis 3 = −b/‖w‖``.
    * ``kind = "similarity"`` (rbf, sigmoid, poly with coef0 < 0): ``coords`` (n, 2) = (S₋, S₊), each point's
      α-weighted similarity to the support vectors of class 0 and class 1, f = S₊ − S₋ − ρ, with ``lines``.
    * both: ``wrong`` the training rows (into X) on the wrong side of f = 0, ``margin_width`` 2/‖w‖.

    ``similarity(sv)``, when given, returns K(X, Xt[sv]) (n, n_sv) from kernel values the caller already has.
    """
    coef = alpha * t  # (n,)
    sv = alpha > 0
    w_norm = math.sqrt(max(2.0 * (float(alpha.sum()) - objective), 0.0))  # ‖w‖² = 2(Σα − dual objective)
    wrong = train_rows[(f_train > 0) != (t > 0)]
    out: dict[str, Any] = {
        "kernel": k.name,
        "formula": kernel_formula(k),
        "wrong": wrong,
        "rho": rho,
        "margin_width": 2.0 / w_norm if w_norm > 0 else None,
    }
    terms = poly_terms(k)
    with np.errstate(all="ignore"):
        phi = feature_map(terms, X) if terms else None
    if terms and phi is not None and np.isfinite(phi).all():
        keep = [j for j, (_, _, a, b) in enumerate(terms) if a + b > 0]  # constants shift every point alike
        constant = [m * s for m, s, a, b in terms if a + b == 0]
        phi = phi[:, keep]
        w = phi[train_rows].T @ coef  # (D,)
        names = [term_name(*terms[j]) for j in keep]
        out.update(
            kind="explicit",
            names=names,
            w=w,
            b=-rho,
            dimension=len(keep),
            constant=math.sqrt(constant[0]) if constant else None,
        )
        if len(keep) == 2:
            out.update(coords=phi, axes=names, **_lines(phi, w, -rho))
        elif len(keep) == 3:  # the coordinate w leans on most goes up, so the plane is a height over the other two
            up = int(np.argmax(np.abs(w)))
            order = [a for a in range(3) if a != up] + [up]
            out.update(
                coords=phi[:, order], axes=[names[a] for a in order], surface=_plane(phi[:, order], w[order], -rho)
            )
        else:  # look along w: the separator is the level −b/‖w‖ of the third axis
            norm = float(np.linalg.norm(w))
            unit = w / norm if norm > 0 else np.eye(len(keep))[0]
            rest = phi - np.outer(phi @ unit, unit)
            _, _, vt = np.linalg.svd(rest - rest.mean(axis=0), full_matrices=False)
            coords = np.column_stack([rest @ vt[0], rest @ vt[1], phi @ unit])
            plane = np.array([0.0, 0.0, norm]) if norm > 0 else np.array([0.0, 0.0, 1.0])
            out.update(coords=coords, axes=["spread 1", "spread 2", "along w"], surface=_plane(coords, plane, -rho))
        return out
    K_all = k(X, Xt[sv]) if similarity is None else similarity(sv)  # (n, n_sv)
    plus, minus = t[sv] > 0, t[sv] < 0
    a_sv = alpha[sv]
    coords = np.column_stack([K_all[:, minus] @ a_sv[minus], K_all[:, plus] @ a_sv[plus]])
    out.update(
        **_lines(coords, np.array([-1.0, 1.0]), -rho), axes=["S₋ (similarity to class 0)", "S₊ (similarity to class 1)"]
    )
    out.update(kind="similarity", coords=coords)
    return out


def _box(P: np.ndarray) -> np.ndarray:
    """(2, d): the points' bounding box grown by 10 % of its span (a flat axis gets a unit-wide box)."""
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return np.vstack([lo - 0.1 * span, hi + 0.1 * span])


def _lines(P: np.ndarray, w: np.ndarray, b: float) -> dict[str, Any]:
    """The 2-D boundary w·p + b = 0 and the margins w·p + b = ±1 inside the points' box, as segments (or None)."""
    (x0, y0), (x1, y1) = _box(P)
    return {
        "lines": {
            name: line_segment(w, b - level, (x0, x1, y0, y1))
            for name, level in (("boundary", 0.0), ("margin_low", -1.0), ("margin_high", 1.0))
        }
    }


def _plane(P: np.ndarray, w: np.ndarray, b: float, size: int = 12) -> dict[str, Any] | None:
    """The 3-D plane w·p + b = 0 as a height over the first two axes: {"x" (g,), "y" (g,), "z" (g, g) with None
    outside the points' box}; None when it is vertical."""
    if abs(w[2]) < 1e-12:
        return None
    box = _box(P)
    xs, ys = np.linspace(box[0, 0], box[1, 0], size), np.linspace(box[0, 1], box[1, 1], size)
    gx, gy = np.meshgrid(xs, ys)  # (g, g), rows along y
    z = -(w[0] * gx + w[1] * gy + b) / w[2]
    inside = (z >= box[0, 2]) & (z <= box[1, 2])
    return {
        "x": xs,
        "y": ys,
        "z": [
            [float(v) if ok else None for v, ok in zip(row, mask, strict=True)]
            for row, mask in zip(z, inside, strict=True)
        ],
    }


def kernel_caption(space: dict[str, Any], short: bool = False) -> str:
    """What the kernel is, and whether a flat separator really separates the classes (counted from the final
    decision values): a paragraph for the panel, or one sentence (``short``) for the last frame."""
    wrong = len(space["wrong"])
    if short:
        where = {
            "linear": "the plane of the data itself",
            "explicit": f"the {plural(space.get('dimension', 0), 'feature')} φ(x) = "
            f"({', '.join(space.get('names', []))})",
            "similarity": "whose feature space has infinitely many dimensions"
            if space["kernel"] == "rbf"
            else "that is not always a dot product of any features",
        }
        key = "linear" if space["kernel"] == "linear" else space["kind"]
        flat = "line" if space.get("dimension") == 2 else "plane"
        verdict = (
            f"a flat {flat} there separates every training point"
            if wrong == 0
            else f"{plural(wrong, 'training point')} {'is' if wrong == 1 else 'are'} still on the wrong side"
            if key != "similarity"
            else f"{plural(wrong, 'training point')} {'is' if wrong == 1 else 'are'} on the wrong side"
        )
        if key == "similarity" and wrong == 0:
            verdict = "every training point is on its class's side"
        return (
            f"Kernel {space['formula']}: a dot product in {where[key]}; {verdict}."
            if key != "similarity"
            else f"Kernel {space['formula']}: a similarity {where[key]}; {verdict}."
        )
    side = (
        "every training point lies on its class's side"
        if wrong == 0
        else f"{plural(wrong, 'training point')} still lie on the wrong side (a soft margin allows that, at a cost "
        "C each)"
        if wrong > 1
        else "1 training point still lies on the wrong side (a soft margin allows that, at a cost C)"
    )
    formula = space["formula"]
    if space["kind"] == "explicit":
        phi = ", ".join(space["names"])
        dim = space["dimension"]
        if space["kernel"] == "linear":
            head = (
                f"The linear kernel {formula} is the ordinary dot product: no lift, the separator is the "
                "straight line w·x + b = 0 in the plane of the data"
            )
        else:
            extra = " (plus a constant coordinate)" if space["constant"] else ""
            head = (
                f"A kernel is a dot product in a space of new features: {formula} = φ(x)·φ(z) with "
                f"φ(x) = ({phi}){extra}, {plural(dim, 'dimension')}. The SVM never computes φ, only K, yet its "
                f"boundary is the flat {'plane' if dim == 3 else 'line' if dim == 2 else 'hyperplane'} "
                "w·φ(x) + b = 0 there"
            )
        verdict = " and it separates the classes: " if wrong == 0 else ", but it does not separate them: "
        return head + verdict + side + "."
    if space["kernel"] == "rbf":
        head = (
            f"A kernel is a similarity: {formula} is 1 for the same point and falls towards 0 with distance. "
            "It is a dot product φ(x)·φ(z) in a space with infinitely many dimensions, which no picture can "
            "show"
        )
    elif space["kernel"] == "sigmoid":
        head = (
            f"{formula} is used as a similarity, but it is not always a dot product of any features (its "
            "kernel matrix can have negative eigenvalues), so there is no space to draw"
        )
    else:
        head = (
            f"With coef0 < 0, {formula} has negative coefficients, so it is not a dot product of real "
            "features and there is no space to draw"
        )
    return (
        head + ". The SVM only needs similarities: f(x) = S₊(x) − S₋(x) − ρ, the α-weighted similarity to "
        f"the support vectors of class 1 minus that to class 0; in those two numbers the boundary is a "
        f"straight line, and {side}."
    )
