"""The README's labs table says what the catalog says (ids, families, journal days): a new lab fails here
until it is listed."""

from __future__ import annotations

import re
from pathlib import Path

from app.catalog import all_algorithms
from app.pages import compact_days

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `([a-z0-9-]+)` \| ([a-z_-]+) \| ([0-9–, ]+) \| (.+) \|$")


def test_the_readme_labs_table_matches_the_catalog() -> None:
    rows = {m[1]: (m[2], m[3]) for line in README.read_text().splitlines() if (m := ROW.match(line))}
    catalog = {a.id: (a.family, compact_days(a.days)) for a in all_algorithms()}
    assert rows == catalog
