"""Regenerate the transfer-learning lab's shipped backbone: ``app/datasets/weights/transfer_backbone.pt``.

    .venv/bin/python -m scripts.make_transfer_backbone      # or: .venv/bin/python scripts/make_transfer_backbone.py

The source run (``app.engines.transfer_model.train_backbone``: digits 0–4, single-threaded torch, seed 0) is
deterministic, so this writes the same tensors every time (``tests/engines/test_transfer_backbone.py`` checks
them with ``torch.equal``; the zip bytes of ``torch.save`` may differ between torch versions). Nothing is
downloaded: the digits are scikit-learn's bundled ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from app.engines.transfer_model import WEIGHTS_PATH, train_backbone


def main() -> None:
    state, source_accuracy = train_backbone()
    WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, WEIGHTS_PATH)
    print(
        f"wrote {WEIGHTS_PATH} ({WEIGHTS_PATH.stat().st_size:,} bytes); held-out source accuracy {source_accuracy:.4f}"
    )


if __name__ == "__main__":
    main()
