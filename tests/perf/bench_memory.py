"""Does the cache's byte count match what the process spends? RSS growth against ``cache.stats()["bytes"]``.

Run: ``python -m tests.perf.bench_memory [--mb 100]``. Fills the in-process cache through the real run service
with distinct logistic-regression runs (figures on, as the page asks) until it holds about ``--mb`` MB, then
prints the resident-set growth of the process against the cache's own accounting. Goal (issue 11): about 1×
(issue 11 measured 4.7× before runs were stored as one blob each). The first run is computed before the
baseline, so imports and one-off allocations do not count.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import os

from app.catalog import get_algorithm
from app.runs import plan_run
from app.service import RunService
from app.settings import Settings
from tests.perf.timing import load


def rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _trim() -> None:
    gc.collect()
    with contextlib.suppress(OSError):  # give freed arenas back to the OS, so RSS shows what is live (glibc)
        ctypes.CDLL("libc.so.6").malloc_trim(0)


async def fill(target_bytes: int) -> tuple[int, int, int]:
    settings = Settings(cache_entries=100_000, cache_bytes=4 * target_bytes)
    service = RunService(settings)
    algorithm = get_algorithm("logistic-regression")
    assert algorithm is not None

    async def one(seed: int) -> None:
        plan = plan_run(algorithm, {}, seed, True, settings)
        async for _ in service.stream(plan):
            pass

    await one(0)
    _trim()
    base, base_cached = rss_bytes(), service.cache.stats()["bytes"]
    seed = 1
    while service.cache.stats()["bytes"] - base_cached < target_bytes:
        await one(seed)
        seed += 1
    untrimmed = rss_bytes() - base
    _trim()
    print(f"  (before malloc_trim the RSS growth was {untrimmed / 2**20:.1f} MB)")
    return rss_bytes() - base, service.cache.stats()["bytes"] - base_cached, seed - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=100.0)
    args = parser.parse_args()
    grown, cached, runs = asyncio.run(fill(int(args.mb * 1024 * 1024)))
    print(
        f"{runs} logistic-regression runs cached: cache says {cached / 2**20:.1f} MB, RSS grew {grown / 2**20:.1f} MB "
        f"-> {grown / cached:.2f}x (goal ~1x; 4.7x before) [{load()}]"
    )


if __name__ == "__main__":
    main()
