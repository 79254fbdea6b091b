"""CLI: ``python -m app [serve] [--host H] [--port P] [--workers N]`` | ``list`` | ``run ALGO --set k=3 ...``
| ``warm`` (precompute every lab's defaults)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any

from app.settings import get_settings


def _parse_value(text: str) -> Any:
    """``3`` → 3, ``0.5`` → 0.5, ``true`` → True, ``[[0,0],[1,1]]`` → list; anything else stays a string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_sets(pairs: Sequence[str]) -> dict[str, Any]:
    """``["k=3", "dataset.name=moons"]`` → ``{"k": 3, "dataset": {"name": "moons"}}``."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"--set expects NAME=VALUE, got {pair!r}")
        *path, leaf = name.split(".")
        node = params
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = _parse_value(value)
    return params


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def _list(_: argparse.Namespace) -> int:
    from app.catalog import all_algorithms

    for algorithm in all_algorithms():
        days = ", ".join(str(d) for d in algorithm.days)
        print(f"{algorithm.id:24} {algorithm.family:16} days {days:10} {algorithm.title}")
    return 0


async def _collect(args: argparse.Namespace) -> int:
    from app.catalog import get_algorithm
    from app.runs import RunFailed, RunInputError, json_document, jsonl_line, plan_run
    from app.service import RunService

    algorithm = get_algorithm(args.algorithm)
    if algorithm is None:
        print(f"unknown algorithm {args.algorithm!r}; try `python -m app list`", file=sys.stderr)
        return 2
    settings = get_settings()
    try:
        plan = plan_run(algorithm, parse_sets(args.set), args.seed, args.figure, settings)
    except RunInputError as exc:
        for error in exc.errors:
            loc = error["loc"][2:] if error["loc"][1:2] == ["params"] else error["loc"][1:]  # params.k → k
            print(f"{'.'.join(str(p) for p in loc)}: {error['msg']}", file=sys.stderr)
        return 2
    except RunFailed as exc:  # the lab broke on valid params (logged): not the user's mistake
        print(exc.payload["detail"], file=sys.stderr)
        return 1
    service = RunService(settings)
    collected = []
    async for event in service.stream(plan):
        if event.kind == "error":
            print(json.loads(event.data)["detail"], file=sys.stderr)
            return 1
        if args.format == "jsonl":
            print(jsonl_line(event), flush=True)
        collected.append(event)
    if args.format == "json":
        print(json_document(plan, collected))
    return 0


async def _warm(_: argparse.Namespace) -> int:
    from app.service import RunService
    from app.warm import warm, warm_list

    settings = get_settings()
    if not settings.redis_url:
        print(
            "no STEPWISE_REDIS_URL: these runs are computed in this process only (a check that they run). "
            "To warm a server, give it Redis, or start it with STEPWISE_WARM_ON_START=true.",
            file=sys.stderr,
        )
    service = RunService(settings)
    try:
        report = await warm(service, warm_list(settings))
    finally:
        await service.close()
    for row in report:
        figure = "yes" if row.figure else "no"
        print(f"{row.algorithm:24} figure={figure:3} {row.outcome:8} {row.events:5} events {row.seconds:6.2f} s")
    print(f"{len(report)} runs: {service.runs_started} computed here, the rest already in the shared log")
    return 0 if all(row.outcome in ("result", "error") for row in report) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Stepwise: step-by-step ML runs.")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the web app and API (the default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    sub.add_parser("list", help="list the algorithms")
    sub.add_parser("warm", help="precompute the warm list (every lab's defaults) into the cache / shared log")
    run = sub.add_parser("run", help="run one algorithm in-process and print its frames")
    run.add_argument("algorithm")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a param (dotted for nested: dataset.name=moons); repeatable",
    )
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--format", choices=("json", "jsonl"), default="json")
    run.add_argument("--figure", action="store_true", help="include the Plotly figures")
    args = parser.parse_args(argv)
    if args.command == "list":
        return _list(args)
    if args.command == "run":
        return asyncio.run(_collect(args))
    if args.command == "warm":
        return asyncio.run(_warm(args))
    if args.command is None:
        args = serve.parse_args([])
    return _serve(args)


if __name__ == "__main__":
    raise SystemExit(main())
