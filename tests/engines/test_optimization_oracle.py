"""The race's shortcuts change no number (issue 11): every racer's path is, bit for bit, what the plain torch.optim
loop makes (``zero_grad``, ``backward``, ``step``), and racing together (one autograd graph for all racers) is
racing alone, with gradient noise and with racers that leave the race early.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from app.core.frame import drain
from app.engines import optimization as opt
from app.engines.surfaces import SURFACES

SETTINGS: dict[str, dict[str, Any]] = {
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.9},
    "adagrad": {"eps": 1e-10},
    "rmsprop": {"alpha": 0.99, "eps": 1e-8},
    "adam": {"betas": [0.9, 0.999], "eps": 1e-8},
}
LR = {"sgd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.3, "rmsprop": 1e-2, "adam": 0.05}


def _race(surface: str, specs: list[opt.RunSpec], steps: int, noise: float = 0.0, seed: int = 0) -> dict[str, Any]:
    s = SURFACES[surface]
    _, result = drain(
        opt.run(
            s, kappa=10.0, start=s.start, steps=steps, gradient_noise=noise, runs=specs, rng=np.random.default_rng(seed)
        )
    )
    return result


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_path_is_the_plain_torch_optim_loop(surface: str, name: str) -> None:
    spec = opt.RunSpec(name, LR[name], SETTINGS[name], name)
    s = SURFACES[surface]
    p = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
    o = opt.make_optimizer(spec, p)
    points = [p.detach().numpy().copy()]
    for _ in range(40):
        o.zero_grad()
        torch.autograd.backward(s.formula(p[0], p[1], 10.0))
        o.step()
        points.append(p.detach().numpy().copy())
    path = _race(surface, [spec], steps=40)["paths"][0]
    if path["outcome"] in ("diverged", "unbounded"):  # it left the race: the steps it did take must agree
        points = points[: len(path["points"])]
    assert np.array_equal(path["points"], np.array(points))


@pytest.mark.parametrize("surface", ["rosenbrock", "rastrigin", "six-hump-camel", "saddle"])
@pytest.mark.parametrize("noise", [0.0, 1.5])
def test_racing_together_is_racing_alone(surface: str, noise: float) -> None:
    specs = [opt.RunSpec(name, LR[name], SETTINGS[name], name) for name in SETTINGS]
    specs.append(opt.RunSpec("sgd", 0.5, {}, "sgd fast"))  # leaves the plane within a few steps on most surfaces
    together = _race(surface, specs, steps=150, noise=noise, seed=3)["paths"]
    for spec, path in zip(specs, together, strict=True):
        alone = _race(surface, [spec], steps=150, noise=noise, seed=3)["paths"][0]
        assert np.array_equal(path["points"], alone["points"]), spec.label
        assert np.array_equal(path["losses"], alone["losses"]), spec.label
        assert path["outcome"] == alone["outcome"]
