"""Limits, host/port, cache and CORS, all from the environment (``STEPWISE_*``)."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _cores() -> int:
    return os.cpu_count() or 1


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
    run_timeout_s: float = Field(
        30.0,
        gt=0,
        description="Compute budget of one run: seconds its engine may spend computing (time waiting for a "
        "CPU behind other runs does not count). Checked inside engine loops, so it holds within a frame.",
    )
    max_concurrent_runs: int = Field(
        64,
        ge=1,
        description="Distinct runs one worker computes at once, sharing its CPU frame by frame (new runs' "
        "first frames first). Identical requests share one run and count once.",
    )
    max_queued_runs: int = Field(
        256, ge=0, description="Distinct runs waiting for a place beyond max_concurrent_runs (then 503)."
    )
    cpu_slots: int = Field(
        default_factory=_cores, ge=1, description="Engine steps one worker executes at the same time (threads)."
    )
    max_body_bytes: int = Field(2_000_000, ge=1_024, description="Largest request body (413 above).")
    retry_after_s: int = Field(2, ge=1, description="Retry-After sent with a 503 when all run slots are busy.")
    max_search_fits: int = Field(
        2_000, ge=8, description="Most model fits one hyperparameter search may plan (candidates × folds + 1)."
    )
    max_search_fits_mlp: int = Field(300, ge=8, description="The same for a network (its fits train for epochs).")
    max_images: int = Field(2_000, ge=1, description="Most images in an image dataset.")
    max_image_side: int = Field(
        256, ge=8, description="Longest image side in pixels: photos and uploads are shrunk to it."
    )
    max_model_bytes: int = Field(
        1_400_000, ge=1, description="Largest weights file a network's initial_weights may hold, decoded."
    )
    max_cnn_parameters: int = Field(2_000_000, ge=1, description="Most parameters a CNN may have.")
    max_cnn_work: float = Field(
        3e10, gt=0, description="Most multiply-adds one CNN run may train (epochs × images × per image)."
    )
    image_max_bytes: int = Field(
        1_000_000, ge=1_024, description="Largest image POST /api/v1/datasets/image takes (413)."
    )
    image_max_pixels: int = Field(
        25_000_000, ge=64, description="Most pixels an uploaded image may declare (checked before decoding)."
    )
    csv_max_bytes: int = Field(2_000_000, ge=1_024, description="Largest CSV POST /api/v1/datasets/parse takes (413).")
    csv_max_rows: int = Field(5_000, ge=4, description="Most data rows in an uploaded CSV.")
    csv_max_columns: int = Field(50, ge=1, description="Most columns in an uploaded CSV.")
    csv_max_classes: int = Field(20, ge=2, description="Most distinct values in a CSV's label column.")

    cache_entries: int = Field(256, ge=0, description="Finished runs kept in the in-process LRU (0 = off).")
    cache_bytes: int = Field(256 * 1024 * 1024, ge=0, description="Byte budget of the in-process LRU.")
    redis_url: str | None = Field(
        None, description="Redis for several replicas: the shared frame log of runs (computing and finished)."
    )
    redis_lease_ms: int = Field(
        3_000,
        ge=200,
        description="Lease of the lock a replica holds on a run it computes; another replica takes the run "
        "over when the lease lapses (the computing replica died).",
    )
    redis_log_ttl_s: int = Field(24 * 3600, ge=1, description="How long a finished run's frame log stays in Redis.")
    redis_retry_s: float = Field(
        5.0, gt=0, description="After Redis fails, serve from the in-process cache this long before trying again."
    )
    warm_on_start: bool = Field(False, description="Precompute the warm list into the cache when a worker starts.")
    previews_on_start: bool = Field(
        True, description="Draw every lab's catalog preview once start-up priming is done (else on first request)."
    )
    gzip_min_bytes: int = Field(1_024, ge=0, description="Responses smaller than this are sent uncompressed.")
    gzip_level: int = Field(6, ge=1, le=9, description="zlib level of compressed responses and streams.")
    gzip_cache_bytes: int = Field(
        32 * 1024 * 1024, ge=0, description="Compressed bodies of finished runs kept for replay (0 = off)."
    )
    prime_give_up_s: float = Field(
        180.0, gt=0, description="After this long priming a worker says ready anyway (/readyz), naming the lab."
    )
    csv_sniff_bytes: int = Field(8_192, ge=256, description="Bytes of an uploaded CSV its delimiter is guessed from.")
    csv_parse_slots: int = Field(
        default_factory=lambda: max(1, _cores() // 2),
        ge=1,
        description="CSV uploads parsed at once (threads or worker processes); more wait their turn.",
    )
    csv_thread_max_bytes: int = Field(
        65_536,
        ge=0,
        description="Uploads up to this size are parsed in a thread; larger ones in a worker process, where their "
        "GIL holds and garbage collections cannot stall the server.",
    )

    cors_origins: list[str] = Field(default_factory=list, description="CORS allow-list; empty = CORS off.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
