"""Reading and writing tables as Japanese offices keep them: CSV (UTF-8, BOM, CP932) and .xlsx."""

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyosai.core import files
from kyosai.core.files import FileLimits, FileRefused

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["TableReadError", "csv_cell", "decode_text", "detect_encoding", "iter_records",
           "read_table", "spreadsheet_text", "write_rows"]

ENCODINGS = ("utf-8-sig", "cp932")


class TableReadError(FileRefused):
    """The file cannot be read as a table (unknown encoding, not CSV or xlsx, empty, too big)."""


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932, whichever decodes; else a Japanese error."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError("文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）")


def detect_encoding(data: bytes) -> str:
    """The first of ENCODINGS that decodes the whole of `data` (else a Japanese error)."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableReadError("文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）")


def _clean_header(name: Any) -> str:
    return unicodedata.normalize("NFKC", str(name or "")).strip()


def read_table(path: Path, data: bytes | None = None,
               limits: FileLimits | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (cells as text) of a CSV or .xlsx file; line 1 is the header."""
    header, records = iter_records(path, data, limits)
    return header, [dict(zip(header, cells, strict=True)) for _, cells in records]


Records = Iterator[tuple[int, list[str]]]


def iter_records(path: Path, data: bytes | None = None,
                 limits: FileLimits | None = None) -> tuple[list[str], Records]:
    """Header and a stream of (line, cells) of a CSV or .xlsx file, for large files.

    `line` is the row number a spreadsheet shows (the header is line 1); blank rows are skipped,
    and every row has exactly as many cells as the header. Every file goes through the guards of
    `kyosai.core.files` first: a file over the size limit, an .xlsx archive that would unpack into
    too much, more lines or columns than the limits, or a cell too long raise TableReadError
    (located when it can be), from the stream when found midway; an .xlsx sheet's declared
    dimension is ignored (a sheet claiming A1:XFD1048576 is read as the rows it holds).
    """
    limits = limits or files.current_limits()
    try:
        raw = files.read_limited(path, limits.max_bytes) if data is None else data
        files.check_size(len(raw), limits.max_bytes)
        if path.suffix.lower() == ".xlsx" or raw[:2] == b"PK":
            files.check_xlsx_archive(raw, limits)
            return _xlsx_records(raw, limits)
    except TableReadError:
        raise
    except FileRefused as exc:
        raise TableReadError(exc.message, exc.line, exc.column) from None
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=detect_encoding(raw), newline="")
    reader = csv.reader(text)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise TableReadError(f"CSV として読み込めません: {exc}", 1) from None
    if first is None:
        raise TableReadError("ファイルが空です")
    _check_width(first, 1, limits)
    _check_nul(first, 1, [])
    header = [_clean_header(name) for name in first]
    return header, _csv_body(reader, header, limits)


def _check_nul(row: Sequence[str], line: int, header: Sequence[str]) -> None:
    """Refuse a NUL character (0x00): no spreadsheet writes one in a cell, and PostgreSQL's text
    columns cannot hold it (the import would fail at the database instead of at the cell)."""
    for index, cell in enumerate(row):
        if "\x00" in cell:
            column = header[index] if index < len(header) else None
            raise TableReadError("NUL 文字（0x00）が含まれています（テキストの CSV として保存し直してください）",
                                 line, column or None)


def _check_width(cells: Sequence[Any], line: int, limits: FileLimits) -> None:
    """Refuse a row with a value beyond the column cap, or a cell longer than the cell cap."""
    if len(cells) > limits.max_columns and any(
            cell not in (None, "") for cell in cells[limits.max_columns:]):
        raise TableReadError(f"列が多すぎます（{limits.max_columns:,} 列まで）", line)
    for cell in cells:
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise TableReadError(
                f"長すぎる値があります（1つの欄は {limits.max_cell_chars:,} 文字まで）", line)


def _check_line(line: int, limits: FileLimits) -> None:
    if line > limits.max_rows:
        raise TableReadError(f"行数が多すぎます（見出しを含めて {limits.max_rows:,} 行まで）", line)


def _csv_body(reader: Any, header: list[str], limits: FileLimits) -> Records:
    line = 1
    width = len(header)
    max_rows, max_chars = limits.max_rows, limits.max_cell_chars
    try:
        for row in reader:
            line += 1
            if line > max_rows:
                _check_line(line, limits)
            if len(row) > width:
                _check_width(row, line, limits)
            joined = "".join(row)
            if "\x00" in joined:
                _check_nul(row, line, header)
            if joined.strip():  # not a blank row
                # no cell can be longer than the whole row: look at each only for a long row
                if len(joined) > max_chars and len(row) <= width and any(
                        len(cell) > max_chars for cell in row):
                    _check_width(row, line, limits)
                yield line, row if len(row) == width else _pad(row, width)
    except csv.Error as exc:
        raise TableReadError(f"CSV として読み込めません: {exc}", line + 1) from None


def _pad(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width]


def _xlsx_records(raw: bytes, limits: FileLimits) -> tuple[list[str], Records]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # read_only trusts the sheet's <dimension>: a 2 KB file claiming A1:XFD1048576 would
        # yield a million rows of 16,384 cells. Forget it and read the rows the sheet holds.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableReadError(f"Excel ファイルを読み込めません: {_brief(exc)}") from None
    if first is None:
        workbook.close()
        raise TableReadError("ファイルが空です")
    _check_width(first, 1, limits)
    header = [_clean_header(name) for name in first[:limits.max_columns]]
    return header, _xlsx_body(workbook, rows, len(header), limits)


def _brief(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _xlsx_body(workbook: Any, rows: Iterator[tuple[Any, ...]], width: int,
               limits: FileLimits) -> Records:
    line = 1
    try:
        for line, row in enumerate(rows, start=2):
            _check_line(line, limits)
            if len(row) > width:
                _check_width(row, line, limits)
                row = row[:width]
            cells = ["" if cell is None else _cell_text(cell) for cell in row]
            if any(cell.strip() for cell in cells):
                if any(len(cell) > limits.max_cell_chars for cell in cells):
                    _check_width(cells, line, limits)
                yield line, cells if len(cells) == width else _pad(cells, width)
    except TableReadError:
        raise
    except Exception as exc:  # a sheet that breaks off midway: openpyxl raises many kinds
        raise TableReadError(f"この行の付近で Excel ファイルを読み込めません: {_brief(exc)}",
                             line + 1) from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Writing: no text a user typed may run as a spreadsheet formula (issue 11, item 5). A union named
# =HYPERLINK("http://x","y") is exported as that text. Every CSV and Excel writer goes through
# the helpers below: CSV cells through `csv_cell`; every workbook is written by xlsxwriter through
# `kyosai.core.xlsx.new_workbook`, which writes text as text (openpyxl only reads).

#: What makes a spreadsheet read a cell as a formula (or run DDE): OWASP's list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def spreadsheet_text(text: str) -> str:
    """`text` as no spreadsheet runs it: a leading ' when it begins with = + - @ tab or CR.

    A negative or signed number written as text ("-12", "-1,234.5", "+3%") is a number to a
    spreadsheet, not a formula, and is left as it is; anything else starting so is quoted.
    """
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """A cell for a CSV file: blank for None, numbers as they are, text made safe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return str(value)


def write_rows(
    out: "SupportsWrite[str]", header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str,
    align_right: Sequence[bool] | None = None,
) -> None:
    """Write rows as csv, json (a list of objects) or an aligned text table."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_cell(cell) for cell in header])
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
        return
    texts = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if fmt == "json":
        out.write(json.dumps([dict(zip(header, row, strict=True)) for row in texts],
                             ensure_ascii=False, indent=2) + "\n")
    else:
        _write_text_table(out, list(header), texts, align_right)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _write_text_table(
    out: "SupportsWrite[str]", header: list[str], rows: list[list[str]], align_right: Sequence[bool] | None
) -> None:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = list(align_right or [False] * len(header))
    for row in [header, *rows]:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if right[i] and row is not header else cell + pad)
        out.write("  ".join(cells).rstrip() + "\n")
