"""Words for captions: one plural rule and one number format, used by every lab.

Captions are read by learners, so "1 iterations", "(-0.0000)" and "nan" must never reach them.
"""

from __future__ import annotations

import math

# "epoch" and "stomach" end in a hard "ch": they take a plain "s".
_IRREGULAR = {
    "epoch": "epochs",
    "stomach": "stomachs",
    "neighbour": "neighbours",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "child": "children",
    "datum": "data",
}


def plural_of(word: str) -> str:
    """The plural of a caption noun ("point" → "points", "class" → "classes", "index" → "indices")."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "sh", "ch")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(count: int | float, word: str, many: str | None = None) -> str:
    """``count`` and the right form of ``word``: ``plural(1, "point")`` → "1 point", ``plural(3, "point")`` →
    "3 points"; ``many`` overrides the plural form ("1 core point" / "3 core points" need only the last word)."""
    head, _, last = word.rpartition(" ")
    form = last if count == 1 else (many if many is not None else plural_of(last))
    words = f"{head} {form}" if head else form
    return f"{fmt_count(count)} {words}"


def fmt_count(count: int | float) -> str:
    """An integer count with thousands separators ("12,000")."""
    return f"{int(count):,}" if float(count).is_integer() else f"{count:g}"


def num(value: float, digits: int = 4) -> str:
    """A number for a caption: ``digits`` significant figures, no "-0", no exponent for ordinary sizes,
    and words for the values that are not numbers ("not a number", "infinity")."""
    value = float(value)
    if math.isnan(value):
        return "not a number"
    if math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}×10^{int(exp)}"
    if text.lstrip("-") in {"0", "0.0"} or float(text.replace("×10^", "e")) == 0:
        return "0"
    return text


def fixed(value: float, decimals: int = 4) -> str:
    """A fixed-point number (``decimals`` places) that never prints "-0.0000" for a tiny negative."""
    value = float(value)
    if not math.isfinite(value):
        return num(value)
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def percent(fraction: float, decimals: int = 0) -> str:
    """A fraction as a percentage ("0.8" → "80 %")."""
    return f"{fixed(100 * fraction, decimals)} %"
