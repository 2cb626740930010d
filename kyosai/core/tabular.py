"""Reading and writing tables as Japanese offices keep them: CSV (UTF-8, BOM, CP932) and .xlsx."""

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["TableReadError", "decode_text", "detect_encoding", "iter_records", "read_table",
           "write_rows"]

ENCODINGS = ("utf-8-sig", "cp932")


class TableReadError(ValueError):
    """The file cannot be read as a table (unknown encoding, not CSV or xlsx, empty)."""


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


def read_table(path: Path, data: bytes | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (cells as text) of a CSV or .xlsx file; line 1 is the header."""
    header, records = iter_records(path, data)
    return header, [dict(zip(header, cells, strict=True)) for _, cells in records]


Records = Iterator[tuple[int, list[str]]]


def iter_records(path: Path, data: bytes | None = None) -> tuple[list[str], Records]:
    """Header and a stream of (line, cells) of a CSV or .xlsx file, for large files.

    `line` is the row number a spreadsheet shows (the header is line 1); blank rows are skipped,
    and every row has exactly as many cells as the header. A file that breaks off midway raises
    TableReadError from the stream.
    """
    raw = path.read_bytes() if data is None else data
    if path.suffix.lower() == ".xlsx" or raw[:2] == b"PK":
        return _xlsx_records(raw)
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=detect_encoding(raw), newline="")
    reader = csv.reader(text)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise TableReadError(f"CSV として読み込めません: {exc}") from None
    if first is None:
        raise TableReadError("ファイルが空です")
    header = [_clean_header(name) for name in first]
    return header, _csv_body(reader, len(header))


def _csv_body(reader: Any, width: int) -> Records:
    line = 1
    try:
        for row in reader:
            line += 1
            if "".join(row).strip():  # not a blank row
                yield line, row if len(row) == width else _pad(row, width)
    except csv.Error as exc:
        raise TableReadError(f"{line + 1}行目を CSV として読み込めません: {exc}") from None


def _pad(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width]


def _xlsx_records(raw: bytes) -> tuple[list[str], Records]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableReadError(f"Excel ファイルを読み込めません: {exc}") from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        workbook.close()
        raise TableReadError("ファイルが空です")
    header = [_clean_header(name) for name in first]
    return header, _xlsx_body(workbook, rows, len(header))


def _xlsx_body(workbook: Any, rows: Iterator[tuple[Any, ...]], width: int) -> Records:
    try:
        for line, row in enumerate(rows, start=2):
            cells = ["" if cell is None else _cell_text(cell) for cell in row]
            if any(cell.strip() for cell in cells):
                yield line, cells if len(cells) == width else _pad(cells, width)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_rows(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str,
    align_right: Sequence[bool] | None = None,
) -> None:
    """Write rows as csv, json (a list of objects) or an aligned text table."""
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    elif fmt == "json":
        out.write(json.dumps([dict(zip(header, row, strict=True)) for row in rows],
                             ensure_ascii=False, indent=2) + "\n")
    else:
        _write_text_table(out, list(header), rows, align_right)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _write_text_table(
    out: TextIO, header: list[str], rows: list[list[str]], align_right: Sequence[bool] | None
) -> None:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = list(align_right or [False] * len(header))
    for row in [header, *rows]:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if right[i] and row is not header else cell + pad)
        out.write("  ".join(cells).rstrip() + "\n")
