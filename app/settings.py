"""Limits, host/port, cache and CORS, all from the environment (``STEPWISE_*``)."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_concurrency() -> int:
    return 2 * (os.cpu_count() or 1)


class Settings(BaseSettings):
    """Every limit the service enforces. Each is an env var ``STEPWISE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="STEPWISE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1

    max_points: int = Field(5_000, ge=1, description="Most rows a dataset may have.")
    max_points_hierarchical: int = Field(
        2_000, ge=2, description="Most rows for hierarchical clustering (its distance matrix grows as n²)."
    )
    max_abs_value: float = Field(
        1e12,
        gt=0,
        allow_inf_nan=False,
        description="Largest size |v| of a data value (inline X, CSV cells): squares of it must stay finite.",
    )
    max_frames: int = Field(2_000, ge=1, description="Most frames one run may emit.")
    run_timeout_s: float = Field(30.0, gt=0, description="Wall-clock budget of one run.")
    max_concurrent_runs: int = Field(default_factory=_default_concurrency, ge=1)
    max_body_bytes: int = Field(2_000_000, ge=1_024, description="Largest request body (413 above).")
    retry_after_s: int = Field(2, ge=1, description="Retry-After sent with a 503 when all run slots are busy.")
    csv_max_bytes: int = Field(2_000_000, ge=1_024, description="Largest CSV POST /api/v1/datasets/parse takes (413).")
    csv_max_rows: int = Field(5_000, ge=4, description="Most data rows in an uploaded CSV.")
    csv_max_columns: int = Field(50, ge=1, description="Most columns in an uploaded CSV.")
    csv_max_classes: int = Field(20, ge=2, description="Most distinct values in a CSV's label column.")

    cache_entries: int = Field(256, ge=0, description="Finished runs kept in the in-process LRU (0 = off).")
    cache_bytes: int = Field(256 * 1024 * 1024, ge=0, description="Byte budget of the in-process LRU.")
    redis_url: str | None = Field(None, description="Shared run cache for several replicas.")

    cors_origins: list[str] = Field(default_factory=list, description="CORS allow-list; empty = CORS off.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
