"""Wire models of the public API (DESIGN §3)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalog import Algorithm


def _wire_models(algorithm: Algorithm[Any, Any]) -> tuple[type[BaseModel] | None, type[BaseModel] | None]:
    """The lab's frame and result models (every lab has them; the contract test checks it)."""
    return algorithm.frame_model, algorithm.result_model


@cache
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()  # the models are static: built once per process


class AlgorithmInfo(BaseModel):
    id: str
    title: str
    family: str
    summary: str
    days: list[int]
    params_schema: dict[str, Any]
    defaults: dict[str, Any]
    frame_schema: dict[str, Any] | None = Field(
        None,
        description="JSON Schema of one frame of a run (`index`, `kind`, `caption`, `state`, `metrics`, `figure`): "
        "a union over the lab's frame kinds, every key and type the frames carry. Null for a lab without models.",
    )
    result_schema: dict[str, Any] | None = Field(
        None, description="JSON Schema of the run's `result`. Null for a lab without models."
    )

    @classmethod
    def of(cls, algorithm: Algorithm[Any, Any]) -> AlgorithmInfo:
        frame, result = _wire_models(algorithm)
        return cls(
            id=algorithm.id,
            title=algorithm.title,
            family=algorithm.family,
            summary=algorithm.summary,
            days=list(algorithm.days),
            params_schema=algorithm.params_model.model_json_schema(),
            defaults=algorithm.params_model().model_dump(mode="json"),
            frame_schema=_json_schema(frame) if frame else None,
            result_schema=_json_schema(result) if result else None,
        )


class RunRequest(BaseModel):
    """``POST /api/v1/algorithms/{id}/runs`` body; both fields optional (defaults apply)."""

    model_config = ConfigDict(extra="forbid")

    params: dict[str, Any] = Field(default_factory=dict, description="The algorithm's params; see its params_schema.")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Seeds every random choice of the run.")


class Health(BaseModel):
    status: str = "ok"


class ErrorDetail(BaseModel):
    detail: Any
