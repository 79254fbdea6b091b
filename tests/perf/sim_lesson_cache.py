"""How often a lesson path's runs are already computed: a simulation for docs/SCALING.md (no server, no timing).

Run: ``python -m tests.perf.sim_lesson_cache [--students 10000] [--lessons 100] [--seed 0]``.

The model (each number a flag; the defaults are a guess at a MOOC, written down so that it can be argued with):

* Every student opens every lesson's link: the lesson's preset run (the same request for all of them).
* A fraction ``f`` of them then change settings: ``1 + Poisson(tweaks - 1)`` changes each, every change moving
  one of the lab's ``controls`` sliders to one of its ``positions``, starting from the preset and building on
  the student's previous change (a random walk: the settings they have now are the ones they run next).
  Which control and which position are Zipf-distributed (exponent ``zipf``): most people move the same
  few sliders to the same few round values, a few go anywhere.
* A run is computed once per distinct request (in flight through the frame log, then from the cache);
  every other request for it is a hit. The cache is taken to hold a lesson's runs for as long as students
  take the lesson (Redis' log TTL is 24 h: a lesson taken over weeks recomputes its preset about once a day,
  which changes nothing below).

Prints, for a range of ``f``: requests, runs computed, the hit rate, and how much of the compute the preset
saves. Lessons are independent and alike, so the totals are per-lesson sums.
"""

from __future__ import annotations

import argparse

import numpy as np


def _zipf(n: int, exponent: float) -> np.ndarray:
    weights: np.ndarray = 1.0 / np.arange(1, n + 1) ** exponent
    normalised: np.ndarray = weights / weights.sum()
    return normalised


def lesson(
    rng: np.random.Generator, students: int, f: float, tweaks: float, controls: int, positions: int, zipf: float
) -> tuple[int, int]:
    """(requests, distinct runs) of one lesson. A setting is an int: one base-``positions`` digit per
    control, all digits 0 for the preset (position 0 = the preset's value)."""
    changers = rng.binomial(students, f)
    steps = 1 + rng.poisson(max(tweaks - 1.0, 0.0), size=changers)
    state = np.zeros(changers, dtype=np.int64)
    place = positions ** np.arange(controls, dtype=np.int64)
    seen = [np.zeros(1, dtype=np.int64)]  # the preset
    control_p, position_p = _zipf(controls, zipf), _zipf(positions, zipf)
    for step in range(int(steps.max(initial=0))):
        active = steps > step
        n = int(active.sum())
        control = rng.choice(controls, size=n, p=control_p)
        position = rng.choice(positions, size=n, p=position_p)
        current = state[active]
        digit = (current // place[control]) % positions
        state[active] = current + (position - digit) * place[control]
        seen.append(state[active].copy())
    requests = students + int(steps.sum())
    return requests, len(np.unique(np.concatenate(seen)))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.sim_lesson_cache", description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--lessons", type=int, default=100)
    parser.add_argument("--tweaks", type=float, default=3.0, help="mean changes per student who changes settings")
    parser.add_argument("--controls", type=int, default=8, help="sliders a lab offers")
    parser.add_argument("--positions", type=int, default=20, help="positions of each slider")
    parser.add_argument("--zipf", type=float, default=1.1, help="popularity exponent of controls and positions")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"{args.students:,} students x {args.lessons} lessons; those who change settings make on average "
        f"{args.tweaks:g} changes, each one of {args.controls} sliders x {args.positions} positions "
        f"(Zipf {args.zipf:g}), building on their last one"
    )
    print(f"{'f':>5} {'requests':>11} {'runs computed':>14} {'hit rate':>9} {'per lesson':>11}")
    for f in (0.0, 0.1, 0.25, 0.5, 0.75, 1.0):
        rng = np.random.default_rng(args.seed)
        totals = np.array(
            [
                lesson(rng, args.students, f, args.tweaks, args.controls, args.positions, args.zipf)
                for _ in range(args.lessons)
            ]
        ).sum(axis=0)
        requests, computed = int(totals[0]), int(totals[1])
        print(f"{f:5.2f} {requests:11,} {computed:14,} {1 - computed / requests:9.2%} {computed / args.lessons:11,.0f}")
    print("(without sharing every request is a run: the hit rate is the fraction of compute saved)")


if __name__ == "__main__":
    main()
