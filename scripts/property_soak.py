"""Thousands of random small runs over the whole catalog (the property suite of tests/test_catalog_properties.py
at soak size, with fresh random examples each time).

    .venv/bin/python scripts/property_soak.py --examples 300 [--lab kmeans]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="random requests per lab (default 300)")
    parser.add_argument("--lab", default=None, help="only this lab id")
    args = parser.parse_args()
    env = {**os.environ, "STEPWISE_PROPERTY_EXAMPLES": str(args.examples), "STEPWISE_PROPERTY_RANDOM": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_catalog_properties.py"]
    if args.lab:
        command += ["-k", args.lab]
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
