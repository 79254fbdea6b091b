"""The GAN game on 2-D points (issue 17): a generator G(z) and a discriminator D(x), both ``torch.nn`` MLPs,
trained in turns by the plain PyTorch loop.

Seeds (the reference loop in ``tests/engines/test_gan_train.py`` follows them to the letter):

* ``init = torch.Generator().manual_seed(seed)`` draws, in order, G's layers then D's (each ``nn.Linear`` with
  PyTorch's own default rule, weight then bias: ``cnn_model.default_init``), then the fixed evaluation set every
  frame is read on: ``z_eval`` (N_EVAL, latent) ``randn``, ``real_idx`` (N_EVAL,) ``randint`` into the real
  points and ``eps_eval`` (N_EVAL, 1) ``rand`` (the Wasserstein penalty's mixing weights).
* ``noise = torch.Generator().manual_seed(seed + 1)`` draws the training batches: per discriminator step
  ``randint(0, n, (B,))`` (real points, with replacement), ``randn(B, latent)`` and, for ``wasserstein-gp``,
  ``rand(B, 1)``; per generator step ``randn(B, latent)``.

One generator step is ``d_steps`` discriminator updates (``zero_grad`` / loss / ``backward`` / ``step`` on D, with
G's output detached) then one generator update (the loss of D(G(z)), ``backward`` into G's parameters only,
``step`` on G: the same numbers as a plain ``loss.backward()``, without D's unused weight gradients). Losses:

* ``minimax``: L_D = −mean log D(x) − mean log(1 − D(G(z))), L_G = mean log(1 − D(G(z)));
* ``non-saturating``: the same L_D, L_G = −mean log D(G(z));
* ``wasserstein-gp``: a critic (no sigmoid): L_D = mean D(G(z)) − mean D(x) + λ·mean(‖∇D(x̂)‖ − 1)² at
  x̂ = ε·x + (1 − ε)·G(z), L_G = −mean D(G(z)).

D(x) = σ(logit) is computed as softplus of the logit (stable). A frame reads the nets under ``no_grad`` on the
fixed evaluation set (and the arrows with ``torch.autograd.grad`` on a detached copy of the samples, so nothing
reaches the parameters' ``.grad``): it never changes what training does. Shapes: points (n, 2) float32; the grid
(g·g, 2) float32 row-major (y outer, x inner).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.typed_array import typed_array
from app.engines import gan_captions as captions
from app.engines.cnn_model import default_init

N_EVAL = 300
"""Generated samples every frame draws (the same noise vectors each time), and real ones its D read-outs use."""
N_ARROWS = 50
"""Generated samples that carry a gradient arrow (the first of the evaluation set)."""
ARROW_SHARE = 0.12
"""The longest arrow is drawn this share of the plot's wider side (the frame states the resulting scale)."""
COVER_SHARE = 0.25
"""A mode is covered when at least this share of its fair share (N_EVAL / modes) of the samples hit it."""
EXPLODED = 1e6
"""A loss (or a read-out value) beyond this in size stops the run with an ``exploded`` frame: the game blew up."""
LEAKY_SLOPE = 0.2
ADAM_BETAS = (0.5, 0.999)
ACTIVATIONS: dict[str, type[nn.Module]] = {"tanh": nn.Tanh, "relu": nn.ReLU, "elu": nn.ELU}


@dataclass(frozen=True)
class GanData:
    """The real points and the picture's grid as the nets see them, and the ring's modes if the data is a ring."""

    X: np.ndarray  # (n, 2) float32
    grid: np.ndarray  # (g·g, 2) float32, y outer, x inner
    side: int  # g
    span: float  # the plot's wider side (data units)
    centres: np.ndarray | None  # (K, 2) float64 ring modes, or None
    hit_radius: float  # a sample within this of a centre hits that mode (3σ), 0 without modes


@dataclass(frozen=True)
class Plan:
    """What the params decide about the nets and the game."""

    g_layers: tuple[int, ...]
    d_layers: tuple[int, ...]
    activation: str
    latent_dim: int
    loss: str  # minimax | non-saturating | wasserstein-gp
    gp_weight: float
    g_optimizer: str
    g_lr: float
    d_optimizer: str
    d_lr: float
    d_steps: int
    batch_size: int
    steps: int
    every: int


def activation(name: str) -> nn.Module:
    if name == "leaky_relu":
        return nn.LeakyReLU(LEAKY_SLOPE)
    return ACTIVATIONS[name]()


def mlp(n_in: int, hidden: Sequence[int], n_out: int, act: str, generator: torch.Generator) -> nn.Sequential:
    """Linear → activation per hidden layer, then a linear output; weights drawn from ``generator`` layer by layer."""
    widths = [n_in, *hidden, n_out]
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(widths)):
        linear = nn.Linear(a, b)
        default_init(linear, generator)
        layers.append(linear)
        if i < len(widths) - 2:
            layers.append(activation(act))
    return nn.Sequential(*layers)


def optimizer(name: str, params: Sequence[nn.Parameter], lr: float) -> torch.optim.Optimizer:
    """torch.optim's rule: Adam with the GAN betas (0.5, 0.999), RMSProp or plain SGD."""
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=ADAM_BETAS)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)


def d_loss(D: nn.Module, real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor | None, plan: Plan) -> torch.Tensor:
    """The discriminator's (critic's) loss on a batch; ``fake`` is detached from G."""
    out_real: torch.Tensor = D(real)
    out_fake: torch.Tensor = D(fake)
    if plan.loss != "wasserstein-gp":
        return F.softplus(-out_real).mean() + F.softplus(out_fake).mean()  # −log σ(l), −log(1 − σ(l))
    assert eps is not None
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(mixed).sum(), mixed, create_graph=True)
    penalty = ((grad.norm(dim=1) - 1) ** 2).mean()
    critic: torch.Tensor = out_fake.mean() - out_real.mean() + plan.gp_weight * penalty
    return critic


def g_loss_each(out_fake: torch.Tensor, loss: str) -> torch.Tensor:
    """Each generated sample's generator loss (n, 1), from D's output (logit or critic value) on it."""
    if loss == "non-saturating":
        return F.softplus(-out_fake)  # −log D(G(z))
    if loss == "minimax":
        return -F.softplus(out_fake)  # log(1 − D(G(z)))
    return -out_fake


def d_output(out: torch.Tensor, loss: str) -> torch.Tensor:
    """What the picture shows: D's probability σ(logit), or the critic's raw value."""
    shown: torch.Tensor = out if loss == "wasserstein-gp" else torch.sigmoid(out)
    return shown


def frame_steps(steps: int, every: int) -> list[int]:
    """The generator steps after which a frame is drawn: every ``every``, and the last."""
    marks = list(range(every, steps + 1, every))
    return marks if marks and marks[-1] == steps else [*marks, steps]


def coverage(fake: np.ndarray, data: GanData) -> dict[str, Any] | None:
    """Hits per mode (a sample counts for its nearest centre when within ``hit_radius``), modes covered, the rule."""
    if data.centres is None:
        return None
    k = int(data.centres.shape[0])
    dist = np.linalg.norm(fake[:, None, :].astype(np.float64) - data.centres[None], axis=2)  # (N, K)
    nearest = dist.argmin(axis=1)
    near = dist[np.arange(fake.shape[0]), nearest] <= data.hit_radius
    hits = np.bincount(nearest[near], minlength=k)
    min_hits = max(1, math.ceil(COVER_SHARE * fake.shape[0] / k))
    return {
        "hits": [int(h) for h in hits],
        "covered": int((hits >= min_hits).sum()),
        "total": k,
        "min_hits": min_hits,
        "radius": float(data.hit_radius),
        "quality": float(near.mean()) if fake.shape[0] else 0.0,
    }


@dataclass
class _Eval:
    real: torch.Tensor  # (N_EVAL, 2)
    z: torch.Tensor  # (N_EVAL, latent)
    eps: torch.Tensor  # (N_EVAL, 1)
    grid: torch.Tensor  # (g·g, 2)


def _read(G: nn.Module, D: nn.Module, ev: _Eval, data: GanData, plan: Plan) -> dict[str, Any]:
    """What a frame shows, read without touching training: samples, D on the grid and on both sets, arrows."""
    with torch.no_grad():
        fake = G(ev.z)
        grid = d_output(D(ev.grid), plan.loss).reshape(data.side, data.side)
        d_real = float(d_output(D(ev.real), plan.loss).mean())
        d_fake = float(d_output(D(fake), plan.loss).mean())
    at = fake[:N_ARROWS].clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(g_loss_each(D(at), plan.loss).sum(), at)
    push = (-grad).numpy().astype(np.float64)  # (m, 2) −∂ℓ_G/∂x: the way each sample is pushed
    longest = float(np.linalg.norm(push, axis=1).max()) if push.size else 0.0
    scale = ARROW_SHARE * data.span / longest if longest > 0 else 1.0
    fake_np = fake.numpy()
    return {
        "fake": fake_np.copy(),
        "grid": grid.numpy().copy(),
        "d_real": d_real,
        "d_fake": d_fake,
        "at": at.detach().numpy().copy(),
        "push": push,
        "scale": scale,
        "longest": longest,
        "modes": coverage(fake_np, data),
    }


def _eval_losses(G: nn.Module, D: nn.Module, ev: _Eval, plan: Plan) -> tuple[float, float]:
    """Both losses on the evaluation set at the current weights (the init frame's, before any step)."""
    with torch.no_grad():
        fake = G(ev.z)
    eps = ev.eps if plan.loss == "wasserstein-gp" else None
    dl = float(d_loss(D, ev.real, fake, eps, plan).detach())
    with torch.no_grad():
        gl = float(g_loss_each(D(fake), plan.loss).mean())
    return dl, gl


def _state(step: int, losses: tuple[float, float], read: dict[str, Any], first: bool, data: GanData) -> dict[str, Any]:
    state: dict[str, Any] = {
        "step": step,
        "d_loss": losses[0],
        "g_loss": losses[1],
        "d_real": read["d_real"],
        "d_fake": read["d_fake"],
        "fake": typed_array(read["fake"], "f4"),
        "d_grid": typed_array(read["grid"], "f4"),
        "arrows": {
            "at": typed_array(read["at"], "f4"),
            "push": typed_array(read["push"], "f4"),
            "scale": read["scale"],
        },
    }
    if first:
        state["real"] = typed_array(data.X, "f4")
    if read["modes"] is not None:
        state["modes"] = read["modes"]
    return state


def _metrics(state: dict[str, Any]) -> dict[str, float]:
    metrics = {k: float(state[k]) for k in ("d_loss", "g_loss", "d_real", "d_fake")}
    if "modes" in state:
        metrics["modes_covered"] = float(state["modes"]["covered"])
    return metrics


def run(data: GanData, plan: Plan, *, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Frames ``init`` (the untrained generator), ``step`` every ``plan.every`` generator steps, ``done``; or, when
    a loss leaves the finite range (``EXPLODED``), ``exploded`` (the last sound frame's numbers) and the end."""
    init = torch.Generator().manual_seed(seed)
    G = mlp(plan.latent_dim, plan.g_layers, 2, plan.activation, init)
    D = mlp(2, plan.d_layers, 1, plan.activation, init)
    X = torch.from_numpy(data.X)
    n = int(X.shape[0])
    ev = _Eval(
        real=X[torch.randint(0, n, (N_EVAL,), generator=init)],
        z=torch.randn(N_EVAL, plan.latent_dim, generator=init),
        eps=torch.rand(N_EVAL, 1, generator=init),
        grid=torch.from_numpy(data.grid),
    )
    g_params = list(G.parameters())
    g_opt = optimizer(plan.g_optimizer, g_params, plan.g_lr)
    d_opt = optimizer(plan.d_optimizer, list(D.parameters()), plan.d_lr)
    noise = torch.Generator().manual_seed(seed + 1)
    wgan = plan.loss == "wasserstein-gp"
    B = plan.batch_size
    facts = captions.Facts(plan.loss, plan.steps, plan.d_steps, plan.every, N_EVAL, n, plan.latent_dim)

    read = _read(G, D, ev, data, plan)
    losses = _eval_losses(G, D, ev, plan)
    state = _state(0, losses, read, True, data)
    story = captions.Story()
    story.see(0, read["modes"])
    first = Frame("init", captions.init(facts, state, read), state, _metrics(state), _visual(state, story))
    yield first

    d_losses: list[float] = []
    g_losses: list[float] = []
    last = 0
    broken: tuple[str, int, float] | None = None
    frame = first
    for mark in frame_steps(plan.steps, plan.every):
        step_no = last
        while step_no < mark and broken is None:
            step_no += 1
            for _ in range(plan.d_steps):
                checkpoint()
                idx = torch.randint(0, n, (B,), generator=noise)
                z = torch.randn(B, plan.latent_dim, generator=noise)
                eps = torch.rand(B, 1, generator=noise) if wgan else None
                with torch.no_grad():
                    fake = G(z)  # G(z).detach(), without building G's graph
                d_opt.zero_grad()
                loss = d_loss(D, X[idx], fake, eps, plan)
                torch.autograd.backward(loss)
                d_opt.step()
                value = float(loss.detach())
                if not _sane(value):
                    broken = ("critic loss" if wgan else "D loss", step_no, value)
                    break
                d_losses.append(value)
            if broken is not None:
                break
            z = torch.randn(B, plan.latent_dim, generator=noise)
            g_opt.zero_grad()
            loss = g_loss_each(D(G(z)), plan.loss).mean()
            torch.autograd.backward(loss, inputs=g_params)  # loss.backward(); D's own .grad is not needed
            g_opt.step()
            value = float(loss.detach())
            if not _sane(value):
                broken = ("G loss", step_no, value)
                break
            g_losses.append(value)
        if broken is None:
            read = _read(G, D, ev, data, plan)
            if not _sound(read):
                broken = ("generated points or D's output", mark, math.nan)
        if broken is not None:
            caption = captions.exploded(facts, broken, frame.state["step"])
            frame = Frame("exploded", caption, frame.state, frame.metrics, frame.visual)
            yield frame
            break
        span = mark - last
        losses = (float(np.mean(d_losses[-span * plan.d_steps :])), float(np.mean(g_losses[-span:])))
        last = mark
        state = _state(mark, losses, read, False, data)
        before = story.see(mark, read["modes"])
        kind = "done" if mark == plan.steps else "step"
        caption = (
            captions.done(facts, state, read, story)
            if kind == "done"
            else captions.step(facts, state, read, before, story, span)
        )
        frame = Frame(kind, caption, state, _metrics(state), _visual(state, story))
        yield frame
    return {
        "d_losses": d_losses,
        "g_losses": g_losses,
        "steps": story.steps,
        "modes_covered": story.covered if data.centres is not None else [],
        "first_all_covered": story.first_all,
        "final_d_loss": frame.state["d_loss"],
        "final_g_loss": frame.state["g_loss"],
        "exploded_at": None if broken is None else broken[1],
    }


def _sane(loss: float) -> bool:
    """A loss that is finite and below ``EXPLODED`` in size: training goes on."""
    return math.isfinite(loss) and abs(loss) < EXPLODED


def _sound(read: dict[str, Any]) -> bool:
    """A frame's read-out that is finite everywhere and within float32's comfortable range."""
    arrays = (read["fake"], read["grid"], read["push"])
    finite = all(bool(np.isfinite(a).all()) and float(np.abs(a).max(initial=0)) < EXPLODED for a in arrays)
    return finite and all(math.isfinite(read[k]) for k in ("d_real", "d_fake", "scale", "longest"))


def _visual(state: dict[str, Any], story: captions.Story) -> dict[str, Any]:
    """What only the view draws: the curves' history up to this frame."""
    story.history["d_loss"].append(state["d_loss"])
    story.history["g_loss"].append(state["g_loss"])
    story.history["d_real"].append(state["d_real"])
    story.history["d_fake"].append(state["d_fake"])
    return {"history": {k: list(v) for k, v in story.history.items()} | {"step": list(story.steps)}}
