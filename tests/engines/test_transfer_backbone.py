"""The shipped backbone regenerates bit for bit: ``train_backbone()`` (what ``scripts/make_transfer_backbone.py``
writes) gives tensors ``torch.equal`` to the shipped file's. The file's bytes are not compared: ``torch.save``'s
zip layout may change between torch versions while the tensors stay the same."""

from __future__ import annotations

import torch

from app.engines import transfer_model as tm


def test_shipped_backbone_regenerates_bit_for_bit() -> None:
    shipped = tm.load_shipped()
    assert shipped is not None, f"{tm.WEIGHTS_PATH} is missing: run scripts/make_transfer_backbone.py"
    state, source_accuracy = tm.train_backbone()
    assert sorted(state) == sorted(shipped)
    for key, tensor in state.items():
        assert torch.equal(tensor, shipped[key]), key
    assert source_accuracy > 0.95
    assert tm.WEIGHTS_PATH.stat().st_size < 64_000
    assert tm.backbone().from_file
