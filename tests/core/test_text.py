import pytest

from app.core.text import fixed, num, percent, plural


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "iteration", "1 iteration"),
        (2, "iteration", "2 iterations"),
        (0, "cluster", "0 clusters"),
        (1, "core point", "1 core point"),
        (3, "core point", "3 core points"),
        (2, "class", "2 classes"),
        (5, "neighbour", "5 neighbours"),
        (1, "neighbour", "1 neighbour"),
        (12000, "step", "12,000 steps"),
        (2, "boundary", "2 boundaries"),
        (2, "day", "2 days"),
        (2, "index", "indices"),
        (2, "epoch", "2 epochs"),
        (2, "batch", "2 batches"),
    ],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word).endswith(expected)


def test_numbers_never_print_minus_zero_or_nan() -> None:
    assert fixed(-0.00001) == "0.0000"
    assert fixed(-0.5, 2) == "-0.50"
    assert num(-1e-12, 4) == "-1×10^-12"
    assert num(0.0) == "0" and num(-0.0) == "0"
    assert num(float("nan")) == "not a number"
    assert num(float("inf")) == "infinity"
    assert num(143.21) == "143.2"
    assert percent(0.8) == "80 %"
