"""The CSV reader's bounded, linear parts: the delimiter guess, its sample, the row count past the limit.

``csv.Sniffer`` (which ``sniff_delimiter`` replaced) took 0.8 s on 8 KB of ``a,"b`` and 26 s on 64 KB; the
guess now reads the first ``STEPWISE_CSV_SNIFF_BYTES`` (cut at a line break) once per candidate delimiter.
"""

from __future__ import annotations

import pickle

import anyio
import anyio.to_process
import pytest

from app.datasets.csv_parse import (
    SNIFF_BYTES,
    CsvError,
    ParseOptions,
    parse_upload,
    read_table,
    sniff_delimiter,
    sniff_sample,
)

OPTIONS = ParseOptions(
    features=None, label=None, no_label=False, max_rows=5000, max_columns=50, max_classes=20, max_abs=1e12
)


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("x,y,label\n1.5,2,a\n3,4,b\n", ","),
        ("x;y;label\n1,5;2,25;a\n3,5;4,75;b\n", ";"),  # decimal commas: the header decides
        ("1\t2\t0\n3\t4\t1\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('name,x,y\n"Smith; John",1,2\n"Doe; Jane",3,4\n', ","),  # a quoted ';' is not a delimiter
        ('a;b\n"1,5";2\n"3,5";4\n', ";"),
        ("x\n1\n2\n3\n", ","),  # one column: nothing splits, the default
        ("", ","),
        ("1,2;3\n4,5;6\n", ","),  # both split every row alike: the preferred order (csv.Sniffer's) decides
        ("a,b,c\n1;2;3;4\n5;6;7;8\n9;1;2;3\n", ";"),  # the most rows of one width, not the first line
        ("a,b\n1,2\n\n\n3,4\n", ","),  # blank lines do not vote
    ],
)
def test_the_delimiter_that_splits_most_rows_alike(sample: str, delimiter: str) -> None:
    assert sniff_delimiter(sample) == delimiter


@pytest.mark.parametrize(
    "hostile",
    ['a,"b' * 16_000, '"' * 64_001, ',"' * 32_000, ",;\t|" * 16_000, '"\n",' * 16_000, "\r" * 64_000],
)
def test_hostile_samples_get_an_answer(hostile: str) -> None:
    # The 64 KB case took csv.Sniffer 26 s; each of these is a few ms (the service sniffs 8 KB).
    assert sniff_delimiter(hostile) in ",\t;|"


def test_the_sample_is_the_first_bytes_cut_at_a_line_break() -> None:
    raw = b"a,b\n" * 5_000  # 20,000 bytes
    sample = sniff_sample(raw, 1_026)
    assert sample == "a,b\n" * 256 and len(sample) == 1_024
    assert sniff_sample(b"a,b\n1,2\n", 1_024) == "a,b\n1,2\n"  # shorter than the window: all of it
    assert sniff_sample(b"x" * 5_000, 1_024) == "x" * 1_024  # no line break in the window: the window
    assert sniff_sample(b"a,b\r1,2\r3,4\r", 9) == "a,b\r1,2\r"  # old-Mac line ends count
    assert sniff_sample("\ufeffa;b\n1;2\n".encode(), 1_024) == "a;b\n1;2\n"  # the BOM goes


def test_a_character_cut_by_the_window_is_dropped_not_an_error() -> None:
    raw = ("é" * 600).encode()  # 1,200 bytes of 2-byte characters, no line break
    assert sniff_sample(raw, 1_025) == "é" * 512


def test_only_the_window_is_sniffed() -> None:
    # Semicolon lines after the window cannot outvote the comma lines inside it.
    raw = ("a,b\n" + "1,2\n" * 100 + "3;4;5\n" * 2_000).encode()
    with pytest.raises(CsvError) as err:  # read with ',' as sniffed: the semicolon rows are one field
        read_table(raw, max_rows=5_000, max_columns=50, sniff_bytes=256)
    assert err.value.code == "ragged_row" and err.value.row == 102
    assert SNIFF_BYTES == 8_192


def test_rows_past_the_limit_are_counted_not_kept() -> None:
    for raw, expected in [
        (b"1,2\n" * 500_000, "the file has 500000 data rows; at most 5000"),
        (b"a,b\n" + b"1,2\n" * 5_001, "the file has 5001 data rows; at most 5000"),
    ]:
        with pytest.raises(CsvError) as err:
            read_table(raw, max_rows=5_000, max_columns=50)
        assert err.value.code == "too_many_rows" and err.value.msg == expected
    header_and_limit = read_table(b"a,b\n" + b"1,2\n" * 5_000, max_rows=5_000, max_columns=50)
    assert len(header_and_limit.rows) == 5_000 and header_and_limit.lines[-1] == 5_001


def test_a_csv_error_pickles_whole() -> None:
    error = CsvError("not_a_number", "row 3, column 'b': 'x' is not a number", row=3, column="b")
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, CsvError)
    assert (back.code, back.msg, back.row, back.column) == ("not_a_number", error.msg, 3, "b")


def test_parse_upload_in_a_worker_process_is_parse_upload_here() -> None:
    good = b"x,y,c\n" + b"".join(b"%d.5,%d,%s\n" % (i, i % 7, b"ab"[i % 2 : i % 2 + 1]) for i in range(300))
    bad = b"x,y,c\n1,2,a\n3,zz,b\n5,6,a\n7,8,b\n"

    async def both() -> tuple[object, object]:
        there = await anyio.to_process.run_sync(parse_upload, good, OPTIONS)
        try:
            await anyio.to_process.run_sync(parse_upload, bad, OPTIONS)
        except CsvError as exc:
            return there, (exc.code, exc.row, exc.column)
        raise AssertionError("the defect was not raised")

    there, defect = anyio.run(both)
    assert there == parse_upload(good, OPTIONS)
    assert defect == ("not_a_number", 3, "y")
