"""Regenerate app/datasets/series/sunspots.csv (the rnn lab's real series) from the copy statsmodels ships.

statsmodels is not a dependency of Stepwise: install it somewhere throwaway and point PYTHONPATH at it, once::

    .venv/bin/pip install --target /tmp/sm statsmodels
    PYTHONPATH=/tmp/sm .venv/bin/python scripts/make_rnn_series.py

The data are the yearly mean sunspot numbers 1700–2008 (statsmodels.datasets.sunspots, public domain, from the
National Geophysical Data Center). The CSV has a header ``year,sunspots`` and one row a year.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "app" / "datasets" / "series" / "sunspots.csv"


def main() -> None:
    from statsmodels.datasets import sunspots  # a throwaway install, only when regenerating

    frame = sunspots.load_pandas().data
    lines = ["year,sunspots"] + [f"{int(y)},{v:g}" for y, v in zip(frame["YEAR"], frame["SUNACTIVITY"], strict=True)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} rows to {OUT}")


if __name__ == "__main__":
    main()
