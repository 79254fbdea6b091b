"""Every lab's frame and result models by id, as its catalog entry carries them (shared by the frame-schema tests)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from app.catalog import all_algorithms


@dataclass(frozen=True)
class FrameModels:
    """A lab's wire models, as its catalog entry carries them."""

    frame: type[BaseModel]
    result: type[BaseModel]


def _models() -> dict[str, FrameModels]:
    out: dict[str, FrameModels] = {}
    for a in all_algorithms():
        assert a.frame_model is not None and a.result_model is not None, f"{a.id} has no frame/result models"
        out[a.id] = FrameModels(a.frame_model, a.result_model)
    return out


FRAME_MODELS = _models()
