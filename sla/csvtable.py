"""CSV exports read one way: bytes to text, the separator, the header, numbered rows and number cells."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy and pyarrow are loaded when a file is read by columns
    import numpy as np
    from numpy.typing import NDArray

#: The separators a header line is searched for; a tie goes to the comma.
SEPARATORS = ",;\t|"
#: How a CSV file writes a quote inside a cell: the hint of every quote that breaks a record.
_QUOTES = 'write a quote inside a cell as ""'
#: How much of a file is looked at before reading it: for binary data, UTF-16 and the separator.
_HEAD = 65536


class CsvProblem(Exception):
    """Why a CSV input cannot be read at all. `kind` names the problem so that each caller says it
    in its own words and code: folder, missing, unreadable, utf16, binary, empty (no text),
    headless (no header row), decode (`detail` is the byte, as 0xff) or csv (the csv module's
    complaint). `line` is where, when known."""

    def __init__(self, kind: str, detail: str = "", line: int | None = None, header: bool = False) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail, self.line = kind, detail, line
        self.header = header  # raised while the header row was read


def norm(text: str) -> str:
    """A header or value for lenient matching: lower case, runs of other characters as one `_`."""
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


def blank(record: list[str]) -> bool:
    """A record of empty cells, or of spaces only: an empty line, or one of separators. It is no row."""
    return not any(record) or not "".join(record).strip()


def sniff(line: str) -> str:
    """The separator of a CSV file from its header line: the most frequent of `SEPARATORS`."""
    return max(SEPARATORS, key=lambda d: (line.count(d), d == ","))


def open_csv(path: str, encoding: str = "utf-8-sig", delimiter: str | None = None) -> CsvTable:
    """A CSV file as a table, read as a stream in `encoding` (UTF-16 text only when the encoding
    says so); raises CsvProblem. The caller closes the table."""
    try:
        with open(path, "rb") as probe:
            head = probe.read(_HEAD)
        stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 - the table reads it after we return
    except IsADirectoryError:
        raise CsvProblem("folder") from None
    except FileNotFoundError:
        raise CsvProblem("missing") from None
    except OSError as exc:
        raise CsvProblem("unreadable", exc.strerror or str(exc)) from None
    try:
        wide = encoding.lower().replace("-", "").replace("_", "").startswith("utf16")
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not wide:
            raise CsvProblem("utf16")
        if b"\x00" in head and not wide:
            raise CsvProblem("binary")
        if not head.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
            raise CsvProblem("empty")
        table = CsvTable(stream, head.decode(encoding, errors="ignore"), delimiter, encoding)
        table.path = path
        return table
    except BaseException:
        stream.close()
        raise


def read_csv(text: str, delimiter: str | None = None) -> CsvTable:
    """CSV text already decoded (a worklog) as a table; raises CsvProblem."""
    head = text[:_HEAD]
    if "\x00" in head:
        raise CsvProblem("binary")
    if not head.strip(" \t\r\n\ufeff"):
        raise CsvProblem("empty")
    return CsvTable(io.StringIO(text, newline=""), head, delimiter, "utf-8")


class CsvTable:
    """A CSV text read as a stream: the header, then numbered rows.

    A row's number is the line it starts on, the first line being 1, as a text editor counts (a
    cell with a line break in it makes the next row's number jump). Records of empty cells are
    skipped and are not rows, but their lines are counted.

    Quotes are read strictly, so that no row is lost without a word: a quote that is never
    closed, or that closes its cell in the middle (`"a"b`), and a cell longer than the csv
    module's field size limit make their record unreadable (`broken`, with the reason), and
    the reading goes on at the next line. A problem in the header makes the whole file unreadable.
    """

    #: The file the table reads, when it reads one (`columns` reads it again, by columns).
    path: str | None = None

    def __init__(self, stream: IO[str], head: str, delimiter: str | None, encoding: str) -> None:
        self._stream, self.encoding = stream, encoding
        lines = head.lstrip("\ufeff").splitlines()
        self.delimiter = delimiter or sniff(lines[0] if lines else "")
        self.reader: Any = csv.reader(stream, delimiter=self.delimiter, strict=True)
        #: The records `rows` could not read, as (the line each starts on, why).
        self.broken: list[tuple[int, str]] = []
        self._in_header = True
        self._rows = self._records()
        first = next(self._rows, None)
        if first is None:
            raise CsvProblem("headless")
        self.header_row, self._in_header = first[0], False
        self.header = [h.strip().lstrip("\ufeff") for h in first[1]]
        self.width = len(self.header)
        self._exact = {h: i for i, h in reversed(list(enumerate(self.header)))}
        self._loose = {norm(h): i for i, h in reversed(list(enumerate(self.header)))}

    def close(self) -> None:
        self._stream.close()

    def position(self) -> int:
        """How many bytes of the file have been read so far (for a progress bar); 0 when the
        text does not come from a file."""
        buffer = getattr(self._stream, "buffer", None)
        try:
            return int(buffer.tell()) if buffer is not None else 0
        except (OSError, ValueError):
            return 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(number, cells) of each row after the header; the caller checks `ragged`, and reports
        `broken` when the rows are done. A caller that loops over `reader` itself (faster) counts
        lines from `reader.line_num`, inside `guard`, and catches csv.Error: `unreadable` says why."""
        return self._rows

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self.reader
        line = reader.line_num
        with self.guard():
            while True:
                try:
                    for record in reader:
                        start, line = line + 1, reader.line_num
                        if record and not blank(record):
                            yield start, record
                    return
                except csv.Error as exc:
                    if self._in_header:
                        raise
                    self.broken.append((line + 1, self.unreadable(exc, line + 1)))
                    line = reader.line_num

    def unreadable(self, error: csv.Error, start: int) -> str:
        """Why the record that starts on line `start` cannot be read; the reader stopped on its
        line `reader.line_num`, and goes on from the next."""
        end = self.reader.line_num
        skipped = f"line {start} was skipped" if end <= start else f"lines {start} to {end} were skipped"
        text = str(error)
        if text == "unexpected end of data":  # the end of the file inside quotes
            if end > start:
                skipped = f"lines {start} to {end} were read as one cell and skipped"
            return f'its quote (") is never closed, so {skipped}; close the quote, and {_QUOTES}'
        if text.startswith("field larger than field limit"):
            return f"a cell is longer than {csv.field_size_limit():,} characters, so {skipped}"
        if "expected after" in text:  # `"a"b`: a quote closed the cell, and more of it follows
            return f'a quote (") ends a cell in the middle on line {end}, so {skipped}; {_QUOTES}'
        return f"cannot be read as CSV ({text}), so {skipped}"

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Text that cannot be decoded, or a CSV the csv module cannot read, as a CsvProblem."""
        reader = self.reader
        try:
            yield
        except UnicodeDecodeError as exc:
            raise CsvProblem(
                "decode", f"0x{exc.object[exc.start]:02x}", reader.line_num + 1, self._in_header
            ) from None
        except csv.Error as exc:
            raise CsvProblem("csv", str(exc), reader.line_num, self._in_header) from None

    def column(self, *names: str, as_written: bool = True) -> int | None:
        """The index of the first of `names` the header has, each tried as written and then
        normalised (`as_written` False: normalised only), or None.

        A header may repeat a name (Jira writes one `Watchers`, `Labels`, `Comment`, `Sprint` or
        `Attachment` column per value): such a name is its first occurrence, and the columns
        after it that repeat it are read with the row but found by no name."""
        for name in names:
            found = self._exact.get(name) if as_written else None
            if found is None:
                found = self._loose.get(norm(name))
            if found is not None:
                return found
        return None

    def ragged(self, record: list[str]) -> str | None:
        """Why a record does not fit the header, or None."""
        if len(record) != self.width:
            return f"has {len(record)} fields where the header has {self.width}"
        return None


# ------------------------------------------------------------------------------- by columns


@dataclass
class Columns:
    """Rows of a CSV file read by columns (`column_chunks`): each column as an Arrow string
    array, with the line each row starts on; and the records of another width than the header's,
    as (line, cells), which Arrow leaves out."""

    lines: NDArray[np.int64]
    columns: list[Any]  # pyarrow.StringArray, one per header column
    ragged: list[tuple[int, list[str]]]
    position: int  # bytes of the file read so far


#: Bytes of a file read by columns at a time: a whole number of lines, about this many.
CHUNK = 8 << 20


def column_chunks(table: CsvTable, chunk: int = CHUNK) -> Iterator[Columns] | None:
    """The rows after the header of a table read from a file, by columns, with the same cells
    and line numbers as `rows` gives; or None when the file is not one that can be read so with
    the same result (or pyarrow is missing), and the caller reads it by rows.

    Such a file is UTF-8, holds no quote (so every line is one record, split at each separator),
    no NUL, no carriage return but before a line feed, and no line longer than the csv module's
    field size limit. The whole file is checked before the first rows are given.
    """
    import codecs
    from importlib.util import find_spec

    if table.path is None or codecs.lookup(table.encoding).name not in ("utf-8", "utf-8-sig"):
        return None
    if find_spec("pyarrow") is None:
        return None
    segments = _segments(table.path, table.header_row, chunk)
    if segments is None:
        return None
    return _chunks(table.path, segments, table.header_row + 1, table.delimiter, table.width)


#: A stretch of whole lines of a file: its first byte, the byte after it, and how many lines.
Segment = tuple[int, int, int]


def _segments(path: str, header_row: int, size: int) -> list[Segment] | None:
    """The lines after the header in stretches of about `size` bytes, when the file is plain
    enough to be read by columns (see `column_chunks`); else None."""
    import codecs

    import numpy as np

    decoder = codecs.getincrementaldecoder("utf-8")()
    limit = csv.field_size_limit()
    segments: list[Segment] = []
    start = -1  # where the current segment starts (-1: in the header still)
    lines = 0  # line feeds seen
    offset = 0  # where the block starts in the file
    previous = -1  # the position of the last line feed seen
    lines_before = 0  # the lines before the current segment
    last = b""  # the last byte of the block before
    with open(path, "rb") as fh:
        while block := fh.read(size):
            if b'"' in block or b"\x00" in block or (last == b"\r" and not block.startswith(b"\n")):
                return None
            if b"\r" in block and block.count(b"\r") - block.count(b"\r\n") - block.endswith(b"\r"):
                return None  # a carriage return that ends a line by itself
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return None
            breaks = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10) + offset
            if len(breaks):
                gaps = np.diff(breaks, prepend=previous)
                if int(gaps.max()) - 1 > limit:
                    return None
                if start < 0 and lines + len(breaks) >= header_row:
                    start = int(breaks[header_row - lines - 1]) + 1
                    lines_before = header_row
                if start >= 0 and int(breaks[-1]) + 1 > start:
                    segments.append((start, int(breaks[-1]) + 1, lines + len(breaks) - lines_before))
                    start, lines_before = int(breaks[-1]) + 1, lines + len(breaks)
                previous = int(breaks[-1])
                lines += len(breaks)
            offset += len(block)
            if offset - previous - 1 > limit:
                return None
            last = block[-1:]
    if last == b"\r":
        return None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    if start < 0:  # the header is the last line: no rows
        return []
    if offset > start:  # a last line without a line feed
        segments.append((start, offset, 1))
    return segments


class _Others:
    """Counts the records Arrow leaves out for their width (it is told to skip them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, row: Any) -> str:
        self.count += 1
        return "skip"


def _chunks(
    path: str, segments: list[Segment], first_line: int, delimiter: str, width: int
) -> Iterator[Columns]:
    import numpy as np
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

    names = [f"c{i}" for i in range(width)]
    others = _Others()
    parse = pa_csv.ParseOptions(
        delimiter=delimiter,
        quote_char=False,
        escape_char=False,
        double_quote=False,
        newlines_in_values=False,
        ignore_empty_lines=True,
        invalid_row_handler=others,
    )
    convert = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        check_utf8=False,  # checked with the whole file
    )
    line = first_line
    with open(path, "rb") as fh:
        for start, stop, count in segments:
            fh.seek(start)
            data = fh.read(stop - start)
            others.count = 0
            found = pa_csv.read_csv(
                pa.py_buffer(data),
                read_options=pa_csv.ReadOptions(
                    column_names=names, use_threads=False, block_size=max(len(data), 1 << 20)
                ),
                parse_options=parse,
                convert_options=convert,
            )
            columns = [found.column(i).combine_chunks() for i in range(width)]
            ragged: list[tuple[int, list[str]]] = []
            if found.num_rows == count and not others.count:  # every line a record: lines are rows
                lines = np.arange(line, line + count, dtype=np.int64)
            else:  # empty lines, or records of another width
                lines, ragged = _line_numbers(data, line, ord(delimiter), width, delimiter)
            if len(lines) != found.num_rows:  # pragma: no cover - both split the lines alike
                raise AssertionError("the rows read by columns do not match the lines")
            del found, data  # only the columns are kept, and only until the next chunk
            yield Columns(lines, columns, ragged, stop)
            del columns, lines, ragged
            line += count


def _line_numbers(
    data: bytes, first: int, sep: int, width: int, delimiter: str
) -> tuple[NDArray[np.int64], list[tuple[int, list[str]]]]:
    """The line of each record of `width` cells in a block of whole lines, and the records of
    another width (empty lines are no records)."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.r_[0, ends[:-1] + 1]
    stops = ends - ((ends > starts) & (raw[np.maximum(ends - 1, 0)] == 13))  # without a \r
    separators = np.flatnonzero(raw == sep)
    cells = np.searchsorted(separators, stops) - np.searchsorted(separators, starts) + 1
    empty = stops <= starts
    numbers = np.arange(first, first + len(starts), dtype=np.int64)
    good = ~empty & (cells == width)
    ragged = [
        (int(numbers[i]), data[starts[i] : stops[i]].decode("utf-8").split(delimiter))
        for i in np.flatnonzero(~empty & (cells != width)).tolist()
    ]
    return numbers[good], ragged


# ------------------------------------------------------------------------------- number cells


class AmbiguousNumber(ValueError):
    """A number whose comma (or point) could be a decimal mark or could group thousands."""


_DIGITS = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*")


def number(text: str, decimal: str = ".") -> Decimal:
    """A number cell as a Decimal. With `decimal` "." (the default) the point is the decimal mark
    and a comma may only group thousands in threes (1,234.50); with "," the comma is the decimal
    mark and a point groups (1.234,50). Any other use of the grouping mark (1,5 by default) is an
    AmbiguousNumber; exponents, NaN, infinities and digits other than 0-9 are a ValueError."""
    group = {".": ",", ",": "."}.get(decimal)
    if group is None:
        raise ValueError(f"the decimal mark is '.' or ',', not {decimal!r}")
    raw = text.strip()
    if not _DIGITS.fullmatch(raw):
        raise ValueError(f"{raw!r} is not a number")
    d, g = re.escape(decimal), re.escape(group)
    found = re.fullmatch(rf"([+-]?)([0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]*)(?:{d}([0-9]*))?", raw)
    if found is None or not (found[2] or found[3]):
        if group in raw:
            example = "1.5" if decimal == "." else "1,5"
            grouped = "1,234.5" if decimal == "." else "1.234,5"
            raise AmbiguousNumber(
                f"{raw!r} is ambiguous: {group!r} may only group thousands ({grouped}); write {example}"
            )
        raise ValueError(f"{raw!r} is not a number")
    sign, whole, fraction = found[1], found[2].replace(group, "") or "0", found[3] or ""
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


__all__ = [
    "CHUNK",
    "SEPARATORS",
    "AmbiguousNumber",
    "Columns",
    "CsvProblem",
    "CsvTable",
    "blank",
    "column_chunks",
    "norm",
    "number",
    "open_csv",
    "read_csv",
    "sniff",
]
