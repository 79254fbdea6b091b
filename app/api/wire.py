"""Wire models of the public API (DESIGN §3)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalog import Algorithm


class AlgorithmInfo(BaseModel):
    id: str
    title: str
    family: str
    summary: str
    days: list[int]
    params_schema: dict[str, Any]
    defaults: dict[str, Any]

    @classmethod
    def of(cls, algorithm: Algorithm) -> AlgorithmInfo:
        return cls(
            id=algorithm.id,
            title=algorithm.title,
            family=algorithm.family,
            summary=algorithm.summary,
            days=list(algorithm.days),
            params_schema=algorithm.params_model.model_json_schema(),
            defaults=algorithm.params_model().model_dump(mode="json"),
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
