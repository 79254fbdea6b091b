"""The convolution lab's whole run against torch on the same tensor, interleaved, with the load average.

    .venv/bin/python -m tests.perf.bench_convolution

For each case (the defaults: a 48-px grey photo; a large one: the 256-px colour photo), times
``prepare`` + the engine's every frame (what a request costs the worker) against
``torch.nn.functional.conv2d`` + ReLU + ``max_pool2d`` on the same (C, H, W) tensor, alternating the two, and
prints the medians and their ratio. Also prints the largest frame's encoded size at the defaults
(``app.encoding.encode``, as the wire sends it), and the frame count.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines.convolution_run import run
from app.labs.convolution import prepare
from app.schemas.convolution import ConvolutionParams
from app.views.convolution import ConvolutionView

CASES: dict[str, dict[str, Any]] = {
    "defaults (48 px grey)": {},
    "256 px colour photo": {"image": {"name": "photo", "which": "china", "side": 256}, "channels": "rgb"},
}
REPEATS = 7


def _lab(params: dict[str, Any]) -> Callable[[], Any]:
    model = ConvolutionParams.model_validate(params)

    def once() -> Any:
        return drain(run(prepare(model, DEFAULT_LIMITS)))

    return once


def _torch(params: dict[str, Any]) -> Callable[[], Any]:
    setup = prepare(ConvolutionParams.model_validate(params), DEFAULT_LIMITS)
    image = torch.from_numpy(setup.image)[None]  # (1, C, H, W)
    kernel = torch.from_numpy(setup.kernel)[None]  # (1, C, k, k): one output map

    def once() -> Any:
        out = F.conv2d(image, kernel, stride=setup.stride, dilation=setup.dilation)  # (1, 1, H_out, W_out)
        return F.max_pool2d(F.relu(out), setup.pool_size, setup.pool_stride)

    return once


def _time(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    torch.set_num_threads(1)  # as the service runs each lab
    for name, params in CASES.items():
        lab, ref = _lab(params), _torch(params)
        lab(), ref()  # warm caches (the photo load, torch's first call)
        lab_t, ref_t = [], []
        for _ in range(REPEATS):
            lab_t.append(_time(lab))
            ref_t.append(_time(ref))
        lab_m, ref_m = statistics.median(lab_t), statistics.median(ref_t)
        frames, _ = lab()
        print(
            f"{name}: lab {lab_m * 1e3:.1f} ms ({len(frames)} frames), torch conv2d+relu+max_pool2d "
            f"{ref_m * 1e3:.3f} ms, ratio {lab_m / ref_m:.0f}x, load {os.getloadavg()[0]:.2f}"
        )
    model = ConvolutionParams.model_validate({})
    setup = prepare(model, DEFAULT_LIMITS)
    frames, _ = drain(run(setup))
    view = ConvolutionView()
    for with_figure in (False, True):
        sizes = [
            len(
                encode(
                    {"kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics}
                    | ({"figure": view.render(f, setup, model)} if with_figure else {})
                )
            )
            for f in frames
        ]
        top = int(np.argmax(sizes))
        what = "with its figure (the page's)" if with_figure else "without figure (the API's)"
        print(
            f"largest frame at defaults {what}: {sizes[top]:,} bytes (frame {top}, {frames[top].kind}); "
            f"median {int(np.median(sizes)):,}; scene {len(encode(view.scene(setup, model))):,} bytes"
        )


if __name__ == "__main__":
    main()
