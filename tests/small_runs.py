"""Small params for the labs whose defaults train networks for seconds (CI's minutes went to running them at
defaults again and again): the catalog-wide tests that check the shape of a run — arrays never aliased, every
frame rendered and valid Plotly, checkpoints, the encoding's bytes, frames against their models — run these
instead. The defaults stay checked where they are the claim: test_runs_at_defaults_bounded_and_deterministic,
the card previews, the every-lab browser page and each lab's named default tests (accuracy, IoU, speed)."""

from __future__ import annotations

from typing import Any

SMALL: dict[str, dict[str, Any]] = {
    "cnn": {"dataset": {"name": "shapes", "n_samples": 40, "side": 8}, "epochs": 2, "augment": True},
    "resnet": {"dataset": {"name": "moons", "n_samples": 40}, "depth": 4, "width": 4, "epochs": 2},
    "separable-conv": {
        "image": {"name": "photo", "which": "flower", "side": 16},
        "kernel": 5,
        "out_channels": 2,
        "conv1_filters": 2,
        "conv2_filters": 3,
        "digits": 200,
        "epochs": 1,
    },
    "segmentation": {"n_samples": 24, "side": 8, "width": 2, "epochs": 1, "batch_size": 8, "shown": 1},
    "transfer-learning": {"labelled": 10, "epochs": 2, "unfreeze_every": 1},
    "rnn": {"length": 60, "window": 8, "hidden_size": 4, "epochs": 2},
    "gan": {
        "dataset": {"name": "ring", "n_samples": 64},
        "g_layers": [8],
        "d_layers": [8],
        "steps": 6,
        "every": 3,
        "batch_size": 16,
    },
}
"""Lab id → params: tiny, each reaching init, a training frame and done."""


def small_params(lab: str) -> dict[str, Any]:
    """The lab's small params (a copy), or ``{}`` (its defaults) for a lab whose defaults are already quick."""
    return {key: value for key, value in SMALL.get(lab, {}).items()}
