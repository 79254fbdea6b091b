"""CSV → (X, y) for the labs: sniff the delimiter and header, pick feature and label columns, check every defect.

Pure Python/NumPy; the web layer turns a ``CsvError`` into a 4xx. Row numbers in messages are the file's line
numbers (1-based, header included), as a spreadsheet shows them; columns are named by their header (or
``column N``, 1-based, without one).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.text import num

DELIMITERS = ",;\t|"
SNIFF_ORDER = ",\t;|"  # the candidates by preference on a tie (csv.Sniffer's order, which this replaced)
SNIFF_BYTES = 8_192  # bytes the delimiter is guessed from (STEPWISE_CSV_SNIFF_BYTES in the service)
MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}


class CsvError(ValueError):
    """A defect in the file. ``code`` is stable (for clients), ``msg`` says where and what."""

    def __init__(self, code: str, msg: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(msg)
        self.code, self.msg, self.row, self.column = code, msg, row, column

    def __reduce__(self) -> tuple[object, ...]:  # raised in a worker process (``parse_upload``), re-raised here
        return _csv_error, (self.code, self.msg, self.row, self.column)


def _csv_error(code: str, msg: str, row: int | None, column: str | None) -> CsvError:
    return CsvError(code, msg, row=row, column=column)


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]  # data rows only, every one len(columns) long
    delimiter: str
    header: bool
    lines: list[int] = field(default_factory=list)  # file line each data row starts on (1-based)

    def line(self, i: int) -> int:
        """File line number of ``rows[i]`` (blank lines and quoted newlines counted, as an editor shows)."""
        return self.lines[i] if self.lines else i + (2 if self.header else 1)


@dataclass(frozen=True)
class Selection:
    features: list[str]
    label: str | None
    X: np.ndarray  # (n, len(features)) float64
    y: np.ndarray | None  # (n,) int64 indices into classes
    classes: list[str] = field(default_factory=list)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def sniff_delimiter(sample: str) -> str:
    """The candidate (``,`` tab ``;`` ``|``, preferred in that order on a tie) that splits the most records of
    ``sample`` into the same number of fields, more than one (more fields wins a tie); ``,`` when none splits
    any record (a one-column file).

    Each candidate reads the sample with the csv module, quotes and all, as the whole file will be read: one
    linear pass per candidate. ``csv.Sniffer`` is not used: its regexes backtrack, quadratically or worse
    (8 KB of ``a,"b`` took it 0.8 s, 64 KB 26 s, holding the GIL all along)."""
    best, best_score = ",", (0, 0)
    for delimiter in SNIFF_ORDER:
        widths: dict[int, int] = {}
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if len(record) > 1:
                    widths[len(record)] = widths.get(len(record), 0) + 1
        except csv.Error:  # a sample the file's own reading will reject with a row number: no vote
            continue
        score = max(((count, width) for width, count in widths.items()), default=(0, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff_sample(raw: bytes, limit: int) -> str:
    """The first ``limit`` bytes of the file cut after their last line break (the whole of a shorter file):
    the delimiter is guessed from whole lines at the start, whatever the file's size."""
    if len(raw) <= limit:
        return raw.decode("utf-8-sig", errors="ignore")
    head = raw[:limit]
    cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return (head[: cut + 1] if cut > 0 else head).decode("utf-8-sig", errors="ignore")  # a cut character is dropped


def _looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """A header when some cell of the first row is text while that column is numeric below it."""
    for j, cell in enumerate(first):
        below = [r[j] for r in rest[:20] if j < len(r) and r[j].strip().lower() not in MISSING]
        if not _is_number(cell.strip()) and below and all(_is_number(v.strip()) for v in below):
            return True
    return all(not _is_number(c.strip()) for c in first) and bool(rest)


MAX_CELL_CHARS = 1_000  # a cell holds a number or a short label; longer is a broken quote or the wrong file


def _records(text: str, delimiter: str, keep: int) -> tuple[list[tuple[int, list[str]]], int]:
    """The file's first ``keep`` records with the line each starts on (1-based), blank lines skipped, and how
    many records it has in all (counted, not kept: 2 MB of one-number rows is 500,000 of them). A quoted
    field may hold delimiters, doubled quotes and newlines: it stays one field (the csv module reads the whole
    text, not pre-split lines, so ``"x\ny"`` is one value with a newline in it)."""
    # The csv module's field limit (131,072 characters, process-wide) would raise a bare csv.Error; the text
    # is already within STEPWISE_CSV_MAX_BYTES, so lift the limit to its length and check each cell below.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    count, start = 0, 1
    try:
        for record in reader:
            if "".join(record).strip():  # some cell is not blank (one C call, not a generator per record)
                if count < keep:
                    out.append((start, record))
                count += 1
            start = reader.line_num + 1
    except csv.Error as exc:  # e.g. a stray quote inside an unquoted field (the module is not strict by default)
        raise CsvError(
            "bad_quoting", f"row {start}: the CSV cannot be read there ({exc}); check its quotes", row=start
        ) from None
    return out, count


def _check_cells(records: list[tuple[int, list[str]]], columns: list[str], unclosed: bool) -> None:
    """Every cell short: a giant cell is a quote never closed (``unclosed``: the file has an odd number of
    quote characters, which proper quoting never gives, and ``records`` end where the file does) that
    swallowed the rest of the file, or not a CSV."""
    for line, record in records:
        if max(map(len, record), default=0) <= MAX_CELL_CHARS:
            continue
        j, cell = next((j, cell) for j, cell in enumerate(record) if len(cell) > MAX_CELL_CHARS)
        hint = (
            "; the file has a quote that is never closed, which makes the rest of the file one value"
            if unclosed and record is records[-1][1]
            else ""
        )
        raise CsvError(
            "cell_too_long",
            f"row {line}, column {columns[j]!r}: a value of {len(cell):,} "
            f"characters, longer than the {MAX_CELL_CHARS:,} a cell may hold{hint}",
            row=line,
            column=columns[j],
        )


def read_table(raw: bytes, *, max_rows: int, max_columns: int, sniff_bytes: int = SNIFF_BYTES) -> Table:
    """Decode (UTF-8, BOM allowed), sniff the delimiter from the first ``sniff_bytes``, split into records;
    every record must be as wide as the first. Linear in the file's size (2 MB of hostile text: well under a
    second)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(
            "not_utf8", f"the file is not UTF-8 text (byte {exc.start} cannot be decoded); save it as UTF-8 CSV"
        ) from None
    if not text.strip():
        raise CsvError("empty", "the file is empty")
    delimiter = sniff_delimiter(sniff_sample(raw, sniff_bytes))
    # Past max_rows data rows (and a header) the rest is only counted, for the message: no check looks at it.
    numbered, total = _records(text, delimiter, keep=max_rows + 2)
    complete = total == len(numbered)
    if not numbered:
        raise CsvError("empty", "the file is empty")
    width = len(numbered[0][1])
    if width > max_columns:
        raise CsvError("too_many_columns", f"the file has {width} columns; at most {max_columns}")
    for line, rec in numbered:
        if len(rec) != width:
            raise CsvError(
                "ragged_row", f"row {line} has {len(rec)} fields but row {numbered[0][0]} has {width}", row=line
            )
    records = [rec for _, rec in numbered]
    header = _looks_like_header(records[0], records[1:])
    columns = (
        [c.strip() or f"column {j + 1}" for j, c in enumerate(records[0])]
        if header
        else [f"column {j + 1}" for j in range(width)]
    )
    if len(set(columns)) != len(columns):
        columns = [f"{c} ({j + 1})" for j, c in enumerate(columns)]
    _check_cells(numbered, columns, unclosed=complete and text.count('"') % 2 == 1)
    data = numbered[1:] if header else numbered
    if total - int(header) > max_rows:
        raise CsvError("too_many_rows", f"the file has {total - int(header)} data rows; at most {max_rows}")
    if len(data) < 4:
        raise CsvError(
            "too_few_rows", f"the file has {len(data)} data row{'s' if len(data) != 1 else ''}; at least 4 are needed"
        )
    return Table(
        columns=columns,
        rows=[[c.strip() for c in r] for _, r in data],
        delimiter=delimiter,
        header=header,
        lines=[line for line, _ in data],
    )


def _column(table: Table, ref: str) -> int:
    """A column by header name, or by 0-based index written as digits."""
    if ref in table.columns:
        return table.columns.index(ref)
    if ref.isdigit() and int(ref) < len(table.columns):
        return int(ref)
    raise CsvError("unknown_column", f"no column {ref!r}; the columns are {', '.join(table.columns)}", column=ref)


def _numeric(table: Table, j: int) -> bool:
    """Mostly numbers: a column of measurements with a typo in it is still a feature (and the typo an error
    naming its row), while a column of names is not."""
    cells = [r[j] for r in table.rows if r[j].lower() not in MISSING]
    return bool(cells) and sum(_is_number(c) for c in cells) * 2 > len(cells)


def _label_values(values: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct labels in natural order (numerically when all are numbers) and each row's index into them."""
    distinct = sorted(set(values), key=lambda v: (0, float(v), v) if _is_number(v) else (1, 0.0, v))
    lookup = {v: i for i, v in enumerate(distinct)}
    return distinct, np.array([lookup[v] for v in values], dtype=np.int64)


def select(
    table: Table,
    features: list[str] | None,
    label: str | None,
    *,
    max_classes: int,
    no_label: bool = False,
    max_abs: float = math.inf,
) -> Selection:
    """X from the feature columns (default: the first two numeric columns that are not the label) and y from
    the label column (default: the last column when it is not a feature, unless ``no_label``). Every value
    of X must be at most ``max_abs`` in size (``STEPWISE_MAX_ABS_VALUE``, the rule inline data follows)."""
    n_cols = len(table.columns)
    label_j = None if no_label else (_column(table, label) if label is not None else None)
    if features is not None:
        feature_js = [_column(table, f) for f in features]
        if len(set(feature_js)) != len(feature_js):
            raise CsvError("duplicate_feature", "the same column is picked twice as a feature")
    else:
        if label_j is None and not no_label and n_cols >= 3:
            label_j = n_cols - 1
        feature_js = [j for j in range(n_cols) if j != label_j and _numeric(table, j)][:2]
        if not feature_js:
            raise CsvError("no_numeric_column", "no column holds only numbers, so there is nothing to use as X")
    if label_j is not None and label_j in feature_js:
        raise CsvError(
            "label_is_feature",
            f"column {table.columns[label_j]!r} is both a feature and the label",
            column=table.columns[label_j],
        )
    X = np.empty((len(table.rows), len(feature_js)))
    for i, row in enumerate(table.rows):
        line = table.line(i)
        for k, j in enumerate(feature_js):
            cell = row[j]
            if cell.lower() in MISSING:
                raise CsvError(
                    "missing_value",
                    f"row {line}, column {table.columns[j]!r}: the value is missing",
                    row=line,
                    column=table.columns[j],
                )
            try:
                value = float(cell)
            except ValueError:
                raise CsvError(
                    "not_a_number",
                    f"row {line}, column {table.columns[j]!r}: {cell[:40]!r} is not a number",
                    row=line,
                    column=table.columns[j],
                ) from None
            if not math.isfinite(value):
                raise CsvError(
                    "not_finite",
                    f"row {line}, column {table.columns[j]!r}: {cell!r} is not a finite number",
                    row=line,
                    column=table.columns[j],
                )
            if abs(value) > max_abs:
                raise CsvError(
                    "too_large",
                    f"row {line}, column {table.columns[j]!r}: {cell[:40]!r} is larger in "
                    f"size than {num(max_abs)}, the limit of a data value (STEPWISE_MAX_ABS_VALUE): "
                    "squared distances would overflow; rescale the column",
                    row=line,
                    column=table.columns[j],
                )
            X[i, k] = value
    y: np.ndarray | None = None
    classes: list[str] = []
    if label_j is not None:
        name = table.columns[label_j]
        values = [row[label_j] for row in table.rows]
        for i, v in enumerate(values):
            if v.lower() in MISSING:
                raise CsvError(
                    "missing_value",
                    f"row {table.line(i)}, column {name!r}: the label is missing",
                    row=table.line(i),
                    column=name,
                )
        classes, y = _label_values(values)
        if len(classes) < 2:
            raise CsvError(
                "one_class",
                f"every row of label column {name!r} is {classes[0]!r}: a classifier needs at least two classes",
                column=name,
            )
        if len(classes) > max_classes:
            raise CsvError(
                "too_many_classes",
                f"label column {name!r} has {len(classes)} distinct values; at most "
                f"{max_classes} classes (is it a measurement rather than a label?)",
                column=name,
            )
    return Selection(
        features=[table.columns[j] for j in feature_js],
        label=None if label_j is None else table.columns[label_j],
        X=X,
        y=y,
        classes=classes,
    )


@dataclass(frozen=True)
class ParseOptions:
    """What ``POST /api/v1/datasets/parse`` asks of one upload: the columns and the service's limits."""

    features: list[str] | None
    label: str | None
    no_label: bool
    max_rows: int
    max_columns: int
    max_classes: int
    max_abs: float
    sniff_bytes: int = SNIFF_BYTES


def parse_upload(raw: bytes, options: ParseOptions) -> dict[str, Any]:
    """The response body of a parsed upload (raises ``CsvError``). Module-level, plain data in and out, and
    ``CsvError`` pickles: it runs in a worker process too."""
    table = read_table(raw, max_rows=options.max_rows, max_columns=options.max_columns, sniff_bytes=options.sniff_bytes)
    picked = select(
        table,
        options.features,
        options.label,
        max_classes=options.max_classes,
        no_label=options.no_label,
        max_abs=options.max_abs,
    )
    return {
        "name": "csv",
        "columns": table.columns,
        "delimiter": table.delimiter,
        "header": table.header,
        "n_rows": len(table.rows),
        "features": picked.features,
        "label": picked.label,
        "feature_names": picked.features,
        "classes": picked.classes,
        "X": picked.X.tolist(),
        "y": None if picked.y is None else picked.y.tolist(),
    }
